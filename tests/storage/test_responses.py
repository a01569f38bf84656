"""The answer path against a real SQLite file: re-answering, comments and the embed queue."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Database
from storage.responses import ResponseRepository
from surveys.clock import ManualClock


async def _response(db: Database, clock: ManualClock) -> int:
    async with db.write() as conn:
        await conn.execute(
            "INSERT INTO rounds (id, title, template_id, questionnaire, audience, anonymity,"
            " opens_at, deadline, reminder_policy, state, created_at) VALUES (1, 'R', 't', '{}',"
            " '{}', 'named', 'x', 'y', '{}', 'open', 'z')")
        cur = await conn.execute(
            "INSERT INTO responses (round_id, state) VALUES (1, 'not_started')")
        return int(cur.lastrowid or 0)


async def test_the_same_text_again_while_it_waits_to_be_embedded(
        db: Database, clock: ManualClock) -> None:
    repo = ResponseRepository(db)
    rid = await _response(db, clock)
    for value, comment in (("Council", None), ("Council", None), ("Council", "Council"),
                           ("Police", "Council")):
        clock.advance(timedelta(seconds=1))
        await repo.save_answer(rid, "sector", value, comment, False, clock.now(),
                               next_question="next", stage="answer")
    await repo.save_comment(rid, "sector", "Police", clock.now(), next_question="next",
                            stage="answer")
    answer = (await repo.answers(rid))["sector"]
    assert (answer.value, answer.comment, answer.version) == ("Police", "Police", 5)
    async with db.read() as conn:
        queued = [r[0] for r in await (await conn.execute(
            "SELECT text FROM embed_queue ORDER BY text")).fetchall()]
    assert queued == ["Council", "Police"]
