"""Observation records (migration 0014) in a real SQLite file: one a partnership per observer,
the observer's own response mirroring them, counted once, erased with the observer."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from storage.db import Database
from storage.partners import PartnerRepository
from storage.records import PartnerRow
from storage.responses import ResponseRepository
from storage.rounds import NewRound, RoundRepository
from storage.themes import RoundThemesRepository
from surveys.clock import ManualClock

ROWS = [PartnerRow("Sue Jewkes", "Audit Commission", "Other public body", "Norfolk CAA", "Lead"),
        PartnerRow("Ann Other", "Breckland Council", "Council", "Breckland LSP", "member")]


async def _round(db: Database, clock: ManualClock) -> tuple[int, int]:
    now = clock.now()
    partners = PartnerRepository(db)
    await partners.import_rows(ROWS, now)
    observer = next(p for p in await partners.all() if p.name == "Sue Jewkes")
    new = NewRound(title="Observations", template_id="meeting-observation",
                   questionnaire={}, audience={}, anonymity="confidential", opens_at=now,
                   deadline=now + timedelta(days=7), reminder_policy={})
    rid = await RoundRepository(db).create(new, "open", [observer], None, now)
    return rid, observer.id


async def test_records_are_one_a_partnership_and_the_invitation_mirrors_them(
        db: Database, clock: ManualClock) -> None:
    rid, observer = await _round(db, clock)
    responses = ResponseRepository(db)
    first = await responses.open_record(rid, observer, "Breckland LSP", clock.now())
    clock.advance(timedelta(minutes=1))
    again = await responses.open_record(rid, observer, "Breckland LSP", clock.now())
    assert again.id == first.id and again.subject == "Breckland LSP"
    assert again.partner_id is None and again.observer_id == observer
    assert again.partnerships == ("Breckland LSP",) and again.sector == "Other public body"
    own = await responses.of_partner(rid, observer)
    assert own is not None and own.state == "not_started"
    assert own.focused_at == clock.now()    # looking at a record is looking at the round

    await responses.save_answer(first.id, "structure", "Green", "clear", False, clock.now(),
                                next_question=None, stage="review")
    own = await responses.of_partner(rid, observer)
    assert own is not None and own.state == "in_progress" and own.started_at is not None
    await responses.submit(first.id, clock.now(), anonymous=False)
    own = await responses.of_partner(rid, observer)
    assert own is not None and own.state == "submitted" and own.submitted_at == clock.now()
    # A second record started does not take the observer's submission back.
    second = await responses.open_record(rid, observer, "Norwich LSP", clock.now())
    await responses.save_answer(second.id, "structure", "Red", None, False, clock.now(),
                                next_question="size", stage="comment")
    own = await responses.of_partner(rid, observer)
    assert own is not None and own.state == "submitted"

    # What a tap loads: the record looked at last.
    found = await responses.with_answers(rid, observer)
    assert found is not None and found[0].id == second.id and "structure" in found[1]
    # Counted once: the round's responses are the invitations; records come apart.
    assert [r.id for r in await responses.of_round(rid)] == [own.id]
    assert [r.subject for r in await responses.records_of_round(rid)] == [
        "Breckland LSP", "Norwich LSP"]
    (tally,) = await RoundRepository(db).overview()
    assert (tally.invited, tally.submitted) == (1, 1)
    answers = await responses.answers_of_round(rid)
    assert answers[first.id]["structure"].value == "Green"


async def test_a_second_record_of_one_partnership_is_refused_by_the_schema(
        db: Database, clock: ManualClock, tmp_path: Path) -> None:
    rid, observer = await _round(db, clock)
    await ResponseRepository(db).open_record(rid, observer, "Breckland LSP", clock.now())
    raw = sqlite3.connect(tmp_path / "test.db")
    with pytest.raises(sqlite3.IntegrityError):
        raw.execute("INSERT INTO responses (round_id, observer_id, subject, state)"
                    " VALUES (?, ?, 'Breckland LSP', 'not_started')", (rid, observer))
    raw.close()


async def test_erasing_an_observer_erases_their_records(db: Database, clock: ManualClock,
                                                        tmp_path: Path) -> None:
    rid, observer = await _round(db, clock)
    responses = ResponseRepository(db)
    record = await responses.open_record(rid, observer, "Breckland LSP", clock.now())
    await responses.save_answer(record.id, "leadership", "Amber", "Chair read a script",
                                False, clock.now(), next_question=None, stage="review")
    assert "Chair read a script" in await responses.texts_of_partner(observer)
    assert await RoundThemesRepository(db).forget_partner(observer) == 0
    await responses.forget_partner(observer)
    await responses.scrub()
    assert await responses.records_of_round(rid) == []
    assert await responses.get(record.id) is None and await responses.answers(record.id) == {}
    (own,) = await responses.of_round(rid)
    assert own.state == "withdrawn"
    # Nothing of the record is left in the answer tables (the disk: tests/surveys/test_erasure).
    raw = sqlite3.connect(tmp_path / "test.db")
    held = raw.execute("SELECT COUNT(*) FROM answers WHERE comment LIKE '%script%'"
                       " UNION ALL SELECT COUNT(*) FROM answer_history").fetchall()
    raw.close()
    assert held == [(0,), (0,)]
