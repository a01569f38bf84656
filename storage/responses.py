"""Responses and answers: every answer committed the moment it is given."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from storage.ballots import answer_texts, cast_ballot
from storage.db import Database, from_db, mark_scrub_due, to_db
from storage.errors import RecordMissing
from storage.outbox import insert_messages
from storage.records import Answer, NewMessage, Response, Round
from storage.rounds import ROUND_JSON, round_record

_COLUMNS = ("id, round_id, partner_id, is_ballot, state, current_question, stage, draft,"
            " screen_message_id, sector, organisation, partnerships, invited_at, started_at,"
            " submitted_at, updated_at, reminders_sent, last_reminded_at, focused_at, screen_from,"
            " subject, observer_id")


def _response(r: aiosqlite.Row) -> Response:
    return Response(
        id=r["id"], round_id=r["round_id"], partner_id=r["partner_id"], state=r["state"],
        current_question=r["current_question"], stage=r["stage"],
        draft=json.loads(r["draft"]) if r["draft"] is not None else None,
        screen_message_id=r["screen_message_id"], is_ballot=bool(r["is_ballot"]),
        sector=r["sector"], organisation=r["organisation"],
        partnerships=tuple(json.loads(r["partnerships"] or "[]")),
        invited_at=from_db(r["invited_at"]), started_at=from_db(r["started_at"]),
        submitted_at=from_db(r["submitted_at"]), updated_at=from_db(r["updated_at"]),
        reminders_sent=r["reminders_sent"], last_reminded_at=from_db(r["last_reminded_at"]),
        focused_at=from_db(r["focused_at"]), screen_from=r["screen_from"],
        subject=r["subject"], observer_id=r["observer_id"])


def _answer(r: aiosqlite.Row) -> Answer:
    return Answer(
        response_id=r["response_id"], question_id=r["question_id"],
        value=json.loads(r["value"]) if r["value"] is not None else None,
        comment=r["comment"], skipped=bool(r["skipped"]), version=r["version"],
        answered_at=from_db(r["answered_at"]))


class ResponseRepository:
    """Reads and writes responses and their answers."""

    def __init__(self, db: Database,
                 vector_keys: Callable[[str], Sequence[str]] | None = None,
                 ballot_min_group: int = 3) -> None:
        self.db = db
        # A ballot keeps a sector or partnerships only if this many invitees share it.
        self.ballot_min_group = ballot_min_group
        # The keys a text's vectors are stored under (its whole and its points); given, the
        # vectors of earlier versions dropped when a ballot is cast are deleted with them.
        self.vector_keys = vector_keys

    async def get(self, response_id: int) -> Response | None:
        """A response by id."""
        async with self.db.read() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM responses WHERE id = ?", (response_id,))
        return _response(next(iter(rows))) if rows else None

    async def of_partner(self, round_id: int, partner_id: int) -> Response | None:
        """The partner's response to a round, if they were invited."""
        async with self.db.read() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM responses WHERE round_id = ? AND partner_id = ?",
                (round_id, partner_id))
        return _response(next(iter(rows))) if rows else None

    async def with_round(self, round_id: int, partner_id: int
                         ) -> tuple[Round, Response, dict[str, Answer]] | None:
        """The round, the partner's response to it and its answers, read together (every tap):
        in an observation round, the record they looked at last, if they have one.

        One statement, one trip to the database thread: the round comes as a JSON object and
        the answers as a JSON array. None if the partner was not invited (or no such round).
        """
        async with self.db.read() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT r.*, (SELECT {ROUND_JSON} FROM rounds WHERE rounds.id = r.round_id)"
                " AS round_row, (SELECT json_group_array(json_array(question_id, value,"
                " comment, skipped, version, answered_at)) FROM answers"
                f" WHERE response_id = r.id) AS answer_rows FROM (SELECT {_COLUMNS}, 0 AS own"
                " FROM responses WHERE round_id = ? AND observer_id = ?"
                f" UNION ALL SELECT {_COLUMNS}, 1 FROM responses WHERE round_id = ?"
                " AND partner_id = ?) AS r"
                " ORDER BY own, focused_at IS NULL, focused_at DESC, id DESC LIMIT 1",
                (round_id, partner_id, round_id, partner_id))
        if not rows:
            return None
        row = next(iter(rows))
        answers = {}
        for qid, value, comment, skipped, version, answered_at in json.loads(row["answer_rows"]):
            answers[qid] = Answer(
                response_id=row["id"], question_id=qid,
                value=json.loads(value) if value is not None else None, comment=comment,
                skipped=bool(skipped), version=version, answered_at=from_db(answered_at))
        return round_record(json.loads(row["round_row"])), _response(row), answers

    async def with_answers(self, round_id: int, partner_id: int
                           ) -> tuple[Response, dict[str, Answer]] | None:
        """The partner's response to a round (an observer's record looked at last) and its
        answers."""
        found = await self.with_round(round_id, partner_id)
        return None if found is None else found[1:]

    async def all_of_partner(self, partner_id: int) -> list[Response]:
        """Every response of a partner, the one they looked at last first, then by last change."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                f"SELECT {_COLUMNS} FROM responses WHERE partner_id = ?"
                " ORDER BY focused_at IS NULL, focused_at DESC, updated_at DESC, id DESC",
                (partner_id,))
            return [_response(r) for r in await cur.fetchall()]

    async def of_round(self, round_id: int) -> list[Response]:
        """Every response of a round in id order, then its anonymous ballots (is_ballot);
        observation records are not responses here (see `records_of_round`)."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                f"SELECT {_COLUMNS} FROM responses WHERE round_id = ? AND observer_id IS NULL"
                " ORDER BY id", (round_id,))
            found = [_response(r) for r in await cur.fetchall()]
            cur = await conn.execute(
                "SELECT id, round_id, sector, partnerships FROM ballots WHERE round_id = ?"
                " ORDER BY id", (round_id,))
            found += [Response(id=r["id"], round_id=r["round_id"], partner_id=None,
                               state="submitted", stage="submitted", is_ballot=True,
                               sector=r["sector"],
                               partnerships=tuple(json.loads(r["partnerships"] or "[]")))
                      for r in await cur.fetchall()]
            return found

    async def records_of_round(self, round_id: int) -> list[Response]:
        """The observation records of a round, by partnership then id."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                f"SELECT {_COLUMNS} FROM responses WHERE round_id = ? AND observer_id IS NOT NULL"
                " ORDER BY subject, id", (round_id,))
            return [_response(r) for r in await cur.fetchall()]

    async def records_of(self, round_id: int, observer_id: int) -> list[Response]:
        """One observer's records in a round, by partnership."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                f"SELECT {_COLUMNS} FROM responses WHERE round_id = ? AND observer_id = ?"
                " ORDER BY subject", (round_id, observer_id))
            return [_response(r) for r in await cur.fetchall()]

    async def open_record(self, round_id: int, observer_id: int, subject: str,
                          now: datetime) -> Response:
        """The observer's record of a partnership in a round, made if new, and looked at now
        (so what they type and tap goes to it)."""
        async with self.db.write() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO responses (round_id, partner_id, observer_id, subject,"
                " state, sector, organisation, partnerships, invited_at, updated_at)"
                " SELECT round_id, NULL, partner_id, ?, 'not_started', sector, organisation,"
                " json_array(?), invited_at, ? FROM responses"
                " WHERE round_id = ? AND partner_id = ? AND observer_id IS NULL",
                (subject, subject, to_db(now), round_id, observer_id))
            await conn.execute(
                "UPDATE responses SET focused_at = ? WHERE round_id = ? AND observer_id = ?"
                " AND subject = ?", (to_db(now), round_id, observer_id, subject))
            rows = await conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM responses WHERE round_id = ? AND observer_id = ?"
                " AND subject = ?", (round_id, observer_id, subject))
        if not rows:
            raise RecordMissing("response", observer_id)
        return _response(next(iter(rows)))

    async def answers(self, response_id: int) -> dict[str, Answer]:
        """The current answers of a response, by question id."""
        async with self.db.read() as conn:
            rows = await conn.execute_fetchall(
                "SELECT * FROM answers WHERE response_id = ?", (response_id,))
        return {r["question_id"]: _answer(r) for r in rows}

    async def answers_of_round(self, round_id: int) -> dict[int, dict[str, Answer]]:
        """Answers of every response of a round, by response id then question id."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT a.* FROM answers a JOIN responses r ON r.id = a.response_id"
                " WHERE r.round_id = ?", (round_id,))
            out: dict[int, dict[str, Answer]] = {}
            for r in await cur.fetchall():
                out.setdefault(r["response_id"], {})[r["question_id"]] = _answer(r)
            cur = await conn.execute(
                "SELECT a.* FROM ballot_answers a JOIN ballots b ON b.id = a.ballot_id"
                " WHERE b.round_id = ?", (round_id,))
            for r in await cur.fetchall():
                out.setdefault(r["ballot_id"], {})[r["question_id"]] = Answer(
                    response_id=r["ballot_id"], question_id=r["question_id"],
                    value=json.loads(r["value"]) if r["value"] is not None else None,
                    comment=r["comment"], skipped=bool(r["skipped"]))
            return out

    async def history(self, response_id: int, question_id: str) -> list[Answer]:
        """Earlier versions of an answer, oldest first."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT * FROM answer_history WHERE response_id = ? AND question_id = ?"
                " ORDER BY version", (response_id, question_id))
            return [_answer(r) for r in await cur.fetchall()]

    async def save_answer(self, response_id: int, question_id: str, value: Any,
                          comment: str | None, skipped: bool, now: datetime, *,
                          next_question: str | None, stage: str,
                          screen_from: str | None = None) -> None:
        """Store an answer and move the partner on, at once (the earlier version is kept in
        answer_history by a trigger, migration 0016); `screen_from`, if given, is where the
        live message's transcript now begins.

        One statement (the view `answer_moves`, migration 0017), which also claims the
        Telegram update being handled, if any (`Database.write_claiming`)."""
        await self.db.write_claiming(
            "INSERT INTO answer_moves (response_id, question_id, value, comment, skipped,"
            " answered_at, next_question, stage, screen_from, update_id, claimed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (response_id, question_id,
             None if value is None else json.dumps(value, ensure_ascii=False),
             comment, int(skipped), to_db(now), next_question, stage, screen_from))

    async def save_comment(self, response_id: int, question_id: str, comment: str | None,
                           now: datetime, *, next_question: str | None, stage: str) -> None:
        """Attach (or clear) the comment on an answer and move the partner on."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE answers SET comment = ?, version = version + 1, answered_at = ?"
                " WHERE response_id = ? AND question_id = ?",
                (comment, to_db(now), response_id, question_id))
            await _move(conn, response_id, next_question, stage, now)

    async def move(self, response_id: int, question_id: str | None, stage: str,
                   now: datetime, *, screen_from: str | None = None) -> None:
        """Point the response at a question (Back, Change an answer, review)."""
        # One statement: autocommit makes it a transaction without a BEGIN and COMMIT.
        await self._one_statement(*_move_statement(response_id, question_id, stage, now,
                                                   screen_from))

    async def focus(self, response_id: int, now: datetime) -> None:
        """Note that the partner is looking at this round now (Open, Continue, a button)."""
        # Not once an anonymous ballot is cast: the time would say when it was.
        await self._one_statement(
            "UPDATE responses SET focused_at = ? WHERE id = ? AND NOT (state = 'submitted'"
            " AND round_id IN (SELECT id FROM rounds WHERE anonymity = 'anonymous'))",
            (to_db(now), response_id))

    async def set_draft(self, response_id: int, draft: Any, now: datetime) -> None:
        """Keep what the partner has typed or ticked so far (None clears it)."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE responses SET draft = ?, updated_at = ?, focused_at = ?,"
                " state = CASE state WHEN 'not_started' THEN 'in_progress' ELSE state END,"
                " started_at = COALESCE(started_at, ?) WHERE id = ?",
                (None if draft is None else json.dumps(draft, ensure_ascii=False), to_db(now),
                 to_db(now), to_db(now), response_id))

    async def set_screen(self, response_id: int, message_id: int | None,
                         screen_from: str | None = None) -> None:
        """Remember which chat message shows the current step, and the first question whose
        transcript line it carries (None: only the current step)."""
        await self._one_statement(
            "UPDATE responses SET screen_message_id = ?, screen_from = ? WHERE id = ?",
            (message_id, screen_from, response_id))

    async def _one_statement(self, sql: str, params: tuple[Any, ...]) -> int:
        """A write of one statement: in autocommit it is its own transaction, so it needs no
        BEGIN and COMMIT of its own (two fewer trips to the database thread on every tap)."""
        return await self.db.write_one(sql, params)

    async def submit(self, response_id: int, now: datetime, *, anonymous: bool,
                     min_group: int | None = None) -> None:
        """Submit; in an anonymous round the answers move to an unlinked ballot, which keeps
        the partner's sector and partnerships only where at least `min_group` (by default
        the repository's) of the round's invitees share them: a lone sector names its partner."""
        async with self.db.write() as conn:
            if anonymous:
                await cast_ballot(conn, response_id, min_group or self.ballot_min_group,
                                   self.vector_keys)
                # The partner's times would say when their ballot was cast: none are kept.
                # Nor where their chat stood: the last message's id and the question it
                # began at follow from what they typed (a comment starts a new message), and
                # so from what their ballot says.
                await conn.execute(
                    "UPDATE responses SET state = 'submitted', submitted_at = NULL,"
                    " started_at = NULL, updated_at = NULL, focused_at = NULL,"
                    " current_question = NULL, screen_message_id = NULL, screen_from = NULL,"
                    " stage = 'submitted', draft = NULL WHERE id = ?", (response_id,))
                await mark_scrub_due(conn)
            else:
                await conn.execute(
                    "UPDATE responses SET state = 'submitted', submitted_at = ?, updated_at = ?,"
                    " current_question = NULL, stage = 'submitted', draft = NULL,"
                    " started_at = COALESCE(started_at, ?) WHERE id = ?",
                    (to_db(now), to_db(now), to_db(now), response_id))
        if anonymous:  # the old pages and the WAL still hold the order of writing
            await self.db.scrub()

    async def queue_reminders(self, reminders: Sequence[tuple[int, NewMessage]],
                              now: datetime) -> int:
        """Queue reminders and count each against its response (as of when it goes), at once."""
        queued = 0
        async with self.db.write() as conn:
            for response_id, message in reminders:
                if await insert_messages(conn, [message], now):
                    await conn.execute(
                        "UPDATE responses SET reminders_sent = reminders_sent + 1,"
                        " last_reminded_at = ? WHERE id = ?",
                        (to_db(max(now, message.not_before)), response_id))
                    queued += 1
        return queued

    async def texts_of_partner(self, partner_id: int) -> list[str]:
        """Every text a partner gave (answers, comments, earlier versions), to erase after."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT value, comment FROM answers WHERE response_id IN"
                " (SELECT id FROM responses WHERE partner_id = ? OR observer_id = ?)"
                " UNION ALL SELECT value, comment FROM answer_history WHERE response_id IN"
                " (SELECT id FROM responses WHERE partner_id = ? OR observer_id = ?)",
                (partner_id, partner_id, partner_id, partner_id))
            return answer_texts(await cur.fetchall())

    async def texts_in_use(self) -> list[str]:
        """Every text still held in an answer, a ballot or an earlier version."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT value, comment FROM answers UNION ALL SELECT value, comment FROM"
                " ballot_answers UNION ALL SELECT value, comment FROM answer_history")
            return answer_texts(await cur.fetchall())

    async def forget_partner(self, partner_id: int) -> int:
        """Erase a partner and every answer linked to them; their responses stay as withdrawn.

        Ballots of anonymous rounds carry no link to anyone, so they cannot be found to erase.
        The file is scrubbed afterwards (see `Database.scrub`), so nothing is left on disk.
        """
        async with self.db.write() as conn:
            cur = await conn.execute(
                "SELECT id, observer_id IS NULL FROM responses WHERE partner_id = ?"
                " OR observer_id = ?", (partner_id, partner_id))
            found = list(await cur.fetchall())
            ids = [r[0] for r in found]
            own = sum(1 for r in found if r[1])   # responses, not their records
            for rid in ids:
                await conn.execute("DELETE FROM answers WHERE response_id = ?", (rid,))
                await conn.execute("DELETE FROM answer_history WHERE response_id = ?", (rid,))
            # What they typed that is held until they say what it is (0049): an answer to
            # be, or their words as a coordinator.
            await conn.execute(
                "DELETE FROM held_texts WHERE response_id IN (SELECT id FROM responses WHERE"
                " partner_id = ? OR observer_id = ?) OR coordinator_id = (SELECT"
                " telegram_user_id FROM partners WHERE id = ?)",
                (partner_id, partner_id, partner_id))
            # An observer's records go whole (their invitation shows the withdrawal).
            await conn.execute("DELETE FROM responses WHERE observer_id = ?", (partner_id,))
            await conn.execute(
                "UPDATE responses SET state = CASE state WHEN 'not_started' THEN state"
                " ELSE 'withdrawn' END, current_question = NULL, draft = NULL,"
                " organisation = NULL WHERE partner_id = ?", (partner_id,))
            await conn.execute("DELETE FROM partners WHERE id = ?", (partner_id,))
            await mark_scrub_due(conn)
        return own

    async def scrub(self) -> bool:
        """Leave nothing deleted on disk: rebuild the file and empty the WAL."""
        return await self.db.scrub()

    def claim_with_next_write(self, update_id: int, now: datetime) -> None:
        """Record the Telegram update being handled as processed in the transaction of the
        next write made while handling it (`Database.claim_update`)."""
        self.db.claim_update(update_id, now)

    async def settle_claim(self) -> bool:
        """Claim the update being handled now if no write did; False if it was seen before."""
        return await self.db.settle_claim()

    def drop_claim(self) -> None:
        """Leave the update being handled unclaimed (its handling failed)."""
        self.db.drop_claim()

    async def forget_updates(self, *, before: datetime) -> int:
        """Forget the updates processed before a moment; how many."""
        return await self.db.write_one(
            "DELETE FROM processed_updates WHERE processed_at < ?", (to_db(before),))


async def _move(conn: aiosqlite.Connection, response_id: int, question_id: str | None,
                stage: str, now: datetime, screen_from: str | None = None) -> None:
    await conn.execute(*_move_statement(response_id, question_id, stage, now, screen_from))


def _move_statement(response_id: int, question_id: str | None, stage: str, now: datetime,
                    screen_from: str | None) -> tuple[str, tuple[Any, ...]]:
    return (
        "UPDATE responses SET current_question = ?, stage = ?, draft = NULL, updated_at = ?,"
        " focused_at = ?, screen_from = COALESCE(?, screen_from),"
        " state = CASE state WHEN 'not_started' THEN 'in_progress' ELSE state END,"
        " started_at = COALESCE(started_at, ?) WHERE id = ?",
        (question_id, stage, to_db(now), to_db(now), screen_from, to_db(now), response_id))
