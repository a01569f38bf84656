"""Fixture rounds for the report tests, built in a real SQLite file (no tests here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from storage.db import Database
from storage.partners import PartnerRepository
from storage.records import PartnerRow
from storage.responses import ResponseRepository
from storage.rounds import NewRound, RoundRepository
from storage.themes import RoundThemesRepository
from surveys.clock import ManualClock
from surveys.report import RoundData, load_round
from surveys.templates import builtin_template, questionnaire_to_dict

# Names and organisations chosen so that none is an ordinary word of the answers.
PEOPLE: tuple[PartnerRow, ...] = (
    PartnerRow("Zebediah Quarrington", "Quarrington Haulage Ltd", "Business", "Northvale LSP",
               "member"),
    PartnerRow("Philippa Oyelaran", "Oyelaran Housing Trust", "Voluntary", "Northvale LSP",
               "chair"),
    PartnerRow("Maximilian Thorsby", "Thorsby Constabulary", "Police", "Northvale LSP",
               "member"),
    PartnerRow("Griselda Vantongeren", "Vantongeren NHS Foundation", "Health", "Southmere LSP",
               "member"),
    PartnerRow("Ottoline Brackenbury", "Brackenbury District Council", "Council",
               "Southmere LSP", "member"),
    PartnerRow("Cosmo Featherstonehaugh", "Featherstonehaugh Academy", "Education",
               "Southmere LSP", "member"),
    PartnerRow("Wilhelmina Drumgoole", "Drumgoole Youth Project", "Voluntary", "Eastholm LSP",
               "member"),
    PartnerRow("Bartholomew Inchcape", "Inchcape Fire Service", "Fire", "Eastholm LSP",
               "member"),
)

AnswerSpec = Any  # a value, or (value, comment), or None for a skip


async def make_round(db: Database, clock: ManualClock, template_id: str, anonymity: str,
                     answers: Sequence[Mapping[str, AnswerSpec]], *,
                     people: Sequence[PartnerRow] = PEOPLE, title: str = "Autumn review",
                     extra_invitees: int = 0,
                     audience: dict[str, list[str]] | None = None) -> int:
    """Create an open round of a built-in template and submit one response per answers dict."""
    now = clock.now()
    partners = PartnerRepository(db)
    await partners.import_rows(list(people), now)
    wanted = {(p.name, p.organisation) for p in people}
    everyone = [p for p in await partners.all() if (p.name, p.organisation) in wanted]
    order: dict[tuple[str, str], int] = {}
    for n, row in enumerate(people):  # a partner listed twice (two partnerships) is one
        order.setdefault((row.name, row.organisation), n)
    everyone.sort(key=lambda p: order[(p.name, p.organisation)])
    invitees = everyone[:len(answers) + extra_invitees]
    questionnaire = questionnaire_to_dict(builtin_template(template_id))
    new = NewRound(title=title, template_id=template_id, questionnaire=questionnaire,
                   audience=audience or {}, anonymity=anonymity, opens_at=now - timedelta(days=7),
                   deadline=now + timedelta(days=7), reminder_policy={})
    round_id = await RoundRepository(db).create(new, "open", invitees, None, now)
    responses = ResponseRepository(db)
    for partner, given in zip(invitees, answers, strict=False):
        resp = await responses.of_partner(round_id, partner.id)
        assert resp is not None
        for qid, spec in given.items():
            value, comment = spec if isinstance(spec, tuple) else (spec, None)
            await responses.save_answer(resp.id, qid, value, comment, value is None, now,
                                        next_question=None, stage="answer")
        await responses.submit(resp.id, now, anonymous=anonymity == "anonymous")
    return round_id


async def load(db: Database, round_id: int, min_group_size: int = 3) -> RoundData:
    """The report data of a fixture round."""
    return await load_round(round_id, RoundRepository(db), ResponseRepository(db),
                            PartnerRepository(db), RoundThemesRepository(db),
                            min_group_size=min_group_size)
