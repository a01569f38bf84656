"""Anonymous ballots cannot be put back on their partners by anything the database files hold.

Forty partners answer an anonymous round in a random order, each at its own time, while the
embedding worker keeps up (or is stopped, so its queue keeps every text); then every attack
in `linkage.py` orders the ballots by what is stored (rowids, scan order, times, byte offsets
in the file and the WAL) and is matched with the true order of submission. None may do better
than chance: a random ordering puts one ballot on its partner on average, and more than six
in about one run in ten thousand.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from storage.db import Database
from storage.outbox import OutboxRepository
from storage.partners import PartnerRepository
from storage.records import PartnerRow
from storage.responses import ResponseRepository
from storage.rounds import RoundRepository
from storage.vectors import VectorRepository
from surveys.answering import AnsweringService
from surveys.clock import ManualClock
from surveys.rounds import RoundService
from surveys.screens import Action, Outcome, Screen
from surveys.templates import builtin_template
from surveys.themes import HashingEmbedder
from surveys.vectors import VectorService
from tests.surveys.conftest import LONDON
from tests.surveys.linkage import file_attacks, score, table_attacks

PARTNERS = 40
WORDS = ("trust budget housing police grant board chair data sharing risk delivery county "
         "voluntary health youth safety plan review staff money leaders meetings agenda "
         "outcomes priorities commissioning estates transport skills carers schools").split()


def button(screen: Screen, label: str) -> Action:
    for row in screen.buttons:
        for b in row:
            if b.label in (label, f"✓ {label}"):
                return b.action
    raise AssertionError(f"no button {label!r}")


def last(outcome: Outcome) -> Screen:
    """What the partner now looks at: the newest message sent, else the one redrawn."""
    if outcome.send:
        return outcome.send[-1]
    assert outcome.edit is not None, outcome
    return outcome.edit


def sentence(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, 6)) + f" {rng.randrange(10**6):06d}"


@pytest.mark.parametrize("worker", ["keeps up", "stopped"])
async def test_no_stored_order_links_a_ballot_to_its_partner(db: Database, clock: ManualClock,
                                                             worker: str) -> None:
    rng = random.Random(14)
    partners = PartnerRepository(db)
    await partners.import_rows(
        [PartnerRow(f"Partner {i:02d}", f"Organisation {i:02d}", "Council", "Fareham Partnership",
                    "Member") for i in range(PARTNERS)], clock.now())
    async with db.write() as conn:
        await conn.execute("UPDATE partners SET chat_id = 1000 + id, telegram_user_id = 1000 + id")
    responses = ResponseRepository(db)
    rounds_repo = RoundRepository(db)
    rounds = RoundService(rounds_repo, responses, partners, OutboxRepository(db), clock, LONDON,
                          min_group_size=3)
    answering = AnsweringService(rounds_repo, responses, clock, LONDON, max_text_length=4000)
    vectors = VectorService(VectorRepository(db), HashingEmbedder)
    rid = await rounds.create(builtin_template("rag-feedback"),
                              deadline=clock.now() + timedelta(days=14), anonymity="anonymous")
    people = await partners.all()
    order = rng.sample(people, len(people))
    texts_of: dict[int, list[str]] = {}
    # Everyone opens the round early, in an order of their own, then answers when they can.
    for who in rng.sample(people, len(people)):
        clock.advance(timedelta(minutes=rng.randrange(1, 30)))
        await answering.press(who, Action("start", rid))
    for who in order:
        clock.advance(timedelta(minutes=rng.randrange(5, 240)))
        s = last(await answering.press(who, Action("start", rid)))
        s = last(await answering.press(who, button(s, rng.choice(["Green", "Amber", "Red"]))))
        texts_of[who.id] = [sentence(rng) for _ in range(3)]
        for text in texts_of[who.id]:
            s = last(await answering.text(who, text))
        s = last(await answering.press(who, button(s, "Submit")))
        mine = await responses.of_partner(rid, who.id)
        assert mine is not None and mine.state == "submitted"
        if worker == "keeps up":  # as it does in the bot; stopped, the queue keeps every text
            await vectors.embed_queued(100)

    # Which ballot is whose, known only to the test (by the texts each partner typed).
    place = {who.id: n for n, who in enumerate(order)}
    answers = await responses.answers_of_round(rid)
    ballots: dict[int, list[str]] = {}
    truth: dict[int, int] = {}
    for response in await responses.of_round(rid):
        if not response.is_ballot:
            continue
        typed = [a.value for a in answers[response.id].values() if isinstance(a.value, str)
                 and a.value not in ("Green", "Amber", "Red")]
        owner = next(pid for pid, texts in texts_of.items() if set(texts) == set(typed))
        ballots[response.id], truth[response.id] = typed, place[owner]
    assert len(ballots) == PARTNERS

    path = Path(db.path)
    results = [score("ballot id", {b: float(b) for b in ballots}, truth),
               *table_attacks(path, ballots, truth), *file_attacks(path, ballots, truth)]
    report = "\n".join(str(r) for r in results)
    print(report)
    assert any(r.attack.startswith("file (main)") for r in results), report
    assert any("answers by scan" in r.attack for r in results), report
    assert any(r.attack.startswith(("embed_queue", "text_vectors")) for r in results), report
    for result in results:
        assert result.matched <= 6 and abs(result.rank_correlation) < 0.65, report


async def test_a_ballot_keeps_only_groups_big_enough_to_hide_in(db: Database,
                                                                clock: ManualClock) -> None:
    partners = PartnerRepository(db)
    await partners.import_rows(
        [PartnerRow(f"Council {i}", f"Council {i}", "Council", "Board", "Member")
         for i in range(3)]
        + [PartnerRow("Only Police", "Constabulary", "Police", "Board", "Member")], clock.now())
    async with db.write() as conn:
        await conn.execute("UPDATE partners SET chat_id = 1000 + id, telegram_user_id = 1000 + id")
    responses, rounds_repo = ResponseRepository(db), RoundRepository(db)
    rounds = RoundService(rounds_repo, responses, partners, OutboxRepository(db), clock, LONDON,
                          min_group_size=3)
    rid = await rounds.create(builtin_template("rag-feedback"),
                              deadline=clock.now() + timedelta(days=14), anonymity="anonymous")
    for who in await partners.all():
        mine = await responses.of_partner(rid, who.id)
        assert mine is not None
        await responses.submit(mine.id, clock.now(), anonymous=True, min_group=3)
    ballots = [r for r in await responses.of_round(rid) if r.is_ballot]
    # Three councils share a sector; the one police officer's sector would name them.
    assert sorted(str(b.sector) for b in ballots) == ["Council", "Council", "Council", "None"]
    assert all(b.partnerships == ("Board",) for b in ballots)
