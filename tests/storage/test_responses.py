"""The answer path against a real SQLite file: re-answering, comments and the embed queue."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Database, to_db
from storage.held_texts import HeldText, HeldTextRepository
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


async def test_earlier_versions_kept_by_the_trigger_and_read_back_in_one_statement(
        db: Database, clock: ManualClock) -> None:
    repo = ResponseRepository(db)
    rid = await _response(db, clock)
    async with db.write() as conn:
        await conn.execute("INSERT INTO partners (id, name, organisation, sector, created_at,"
                           " updated_at)"
                           " VALUES (7, 'Asha Patel', 'Fareham Borough Council', 'Council',"
                           " 'z', 'z')")
        await conn.execute("UPDATE responses SET partner_id = 7 WHERE id = ?", (rid,))
        await conn.execute("UPDATE rounds SET opens_at = ?1, deadline = ?1, created_at = ?1",
                           (to_db(clock.now()),))
    first = clock.now()
    await repo.save_answer(rid, "sector", "Council", None, False, first,
                           next_question="years", stage="answer", screen_from="sector")
    clock.advance(timedelta(minutes=1))
    await repo.save_answer(rid, "sector", ["Police", "NHS"], "both", False, clock.now(),
                           next_question="years", stage="answer")
    await repo.save_answer(rid, "years", None, None, True, clock.now(), next_question=None,
                           stage="review")
    history = await repo.history(rid, "sector")
    assert [(h.value, h.version, h.answered_at) for h in history] == [("Council", 1, first)]
    async with db.read() as conn:
        replaced = [r[0] for r in await conn.execute_fetchall(
            "SELECT replaced_at FROM answer_history")]
    assert replaced == [to_db(clock.now())]          # when the new version replaced it

    found = await repo.with_round(1, 7)
    assert found is not None
    rnd, response, answers = found
    assert (rnd.id, rnd.title, rnd.state, rnd.questionnaire) == (1, "R", "open", {})
    assert response.id == rid and response.stage == "review"
    assert response.screen_from == "sector"        # kept: the later moves gave none
    assert answers == await repo.answers(rid)
    assert answers["sector"].value == ["Police", "NHS"] and answers["sector"].version == 2
    assert answers["years"].skipped and answers["years"].value is None
    assert await repo.with_round(1, 8) is None     # not invited
    assert await repo.with_round(2, 7) is None     # no such round


async def test_an_anonymous_ballot_leaves_no_trace_of_the_chat_on_its_partner(
        db: Database, clock: ManualClock) -> None:
    repo = ResponseRepository(db)
    rid = await _response(db, clock)
    async with db.write() as conn:
        await conn.execute("UPDATE rounds SET anonymity = 'anonymous'")
    await repo.save_answer(rid, "overall", "Amber", "too many targets", False, clock.now(),
                           next_question=None, stage="review", screen_from="why")
    await repo.set_screen(rid, 42, "why")
    await repo.submit(rid, clock.now(), anonymous=True)
    response = await repo.get(rid)
    assert response is not None and response.state == "submitted"
    # Where the chat stood follows from what was typed, and so from the ballot's content.
    assert (response.screen_message_id, response.screen_from) == (None, None)
    assert (response.focused_at, response.updated_at, response.submitted_at) == (None, None, None)


async def test_a_held_message_filed_as_an_anonymous_answer_keeps_no_words_once_cast(
        db: Database, clock: ManualClock) -> None:
    """A coordinator who is also a partner typed after their /actions pick expired, and
    filed the message as their answer: once the ballot is cast, the held row (which names
    the coordinator) no longer holds the words; a message not filed keeps its words, as it
    may yet be an action's wording, but no longer names the response."""
    repo, held = ResponseRepository(db), HeldTextRepository(db)
    rid = await _response(db, clock)
    async with db.write() as conn:
        await conn.execute("UPDATE rounds SET anonymity = 'anonymous'")
    answer, wording = "Meetings run long and decide little", "Give the youth council a seat"

    def kept(text: str) -> HeldText:
        return HeldText(4242, 4242, text, 1, 0, "d", "Offered wording", rid, "why", "Why?",
                        clock.now())

    filed, waiting = await held.add(kept(answer)), await held.add(kept(wording))
    assert await held.file(filed, "answer")
    await repo.save_answer(rid, "why", answer, None, False, clock.now(),
                           next_question=None, stage="review")
    await repo.submit(rid, clock.now(), anonymous=True)

    row, other = await held.get(filed), await held.get(waiting)
    assert row is not None and other is not None
    assert (row.text, row.filed_as, row.response_id, row.question_id) == ("", "answer", None,
                                                                         None)
    assert (other.text, other.filed_as, other.response_id) == (wording, "", None)
    async with db.read() as conn:
        tables = [r[0] for r in await (await conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")).fetchall()]
        holding = []
        for table in tables:
            rows = await (await conn.execute(f'SELECT * FROM "{table}"')).fetchall()
            if any(answer in str(cell) for r in rows for cell in r):
                holding.append(table)
    assert "ballot_answers" in holding and "held_texts" not in holding, holding
