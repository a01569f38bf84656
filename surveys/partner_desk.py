"""A partner's own record: who they are by their Telegram account, their weekly line, and
everything PartnerPulse holds about them as a file (/mydata)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from storage.partners import PartnerRepository
from storage.records import Answer, Partner
from storage.responses import ResponseRepository
from storage.rounds import RoundRepository
from surveys.clock import Clock
from surveys.errors import maps_store_errors
from surveys.model import Questionnaire
from surveys.screens import answer_text
from surveys.templates import questionnaire_from_dict

ANONYMOUS_NOTE = "anonymous: submitted answers are not linked to you"


@maps_store_errors
class PartnerDesk:
    """What a partner may look up and change about themselves."""

    def __init__(self, partners: PartnerRepository, responses: ResponseRepository,
                 rounds: RoundRepository, clock: Clock) -> None:
        self.partners = partners
        self.responses = responses
        self.rounds = rounds
        self.clock = clock

    async def by_user(self, telegram_user_id: int) -> Partner | None:
        """The partner who joined from this Telegram account, if anyone did."""
        return await self.partners.by_user(telegram_user_id)

    async def set_digest(self, partner: Partner, on: bool) -> None:
        """Turn the partner's weekly line on or off."""
        await self.partners.set_digest(partner.id, on, self.clock.now())

    async def personal_data(self, partner: Partner) -> bytes:
        """Everything held about the partner, as UTF-8 JSON: their record, and per round their
        answers (an anonymous round's submitted answers are not linked to them, so not here)."""
        rounds: list[dict[str, object]] = []
        for response in await self.responses.all_of_partner(partner.id):
            rnd = await self.rounds.get(response.round_id)
            q = questionnaire_from_dict(rnd.questionnaire)
            answers = await self.responses.answers(response.id)
            entry: dict[str, object] = {
                "round": rnd.title, "state": response.state,
                "note": (ANONYMOUS_NOTE if rnd.anonymity == "anonymous"
                         and response.state == "submitted" else ""),
                "answers": _answers(q, answers)}
            # An observer's answers are in their records, one a partnership observed.
            records = await self.responses.records_of(rnd.id, partner.id)
            if records:
                entry["records"] = [
                    {"partnership": r.subject, "state": r.state,
                     "answers": _answers(q, await self.responses.answers(r.id))}
                    for r in records]
            rounds.append(entry)
        record = {
            "name": partner.name, "organisation": partner.organisation,
            "sector": partner.sector,
            "partnerships": [{"partnership": m.partnership, "role": m.role}
                             for m in partner.memberships],
            "rounds": rounds}
        return json.dumps(record, indent=2, ensure_ascii=False).encode("utf-8")


def _answers(q: Questionnaire, answers: Mapping[str, Answer]) -> list[dict[str, object]]:
    return [{"question": q.question(qid).prompt, "answer": answer_text(a),
             "answered_at": _iso(a.answered_at)} for qid, a in answers.items()]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
