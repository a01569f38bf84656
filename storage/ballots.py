"""Anonymous ballots: a submitted response's answers moved where nothing links them to anyone."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Sequence

import aiosqlite

from storage.errors import RecordMissing


def answer_texts(rows: Iterable[aiosqlite.Row]) -> list[str]:
    """The texts of answer rows (values that are texts, and comments), each once."""
    out: list[str] = []
    for value, comment in rows:
        decoded = json.loads(value) if value is not None else None
        if isinstance(decoded, str):  # what the queue trigger embeds: texts, not lists
            out.append(decoded)
        if comment:
            out.append(comment)
    return list(dict.fromkeys(out))


async def cast_ballot(conn: aiosqlite.Connection, response_id: int, min_group: int,
                       vector_keys: Callable[[str], Sequence[str]] | None) -> None:
    """Copy a response's answers to a new ballot and delete them (and their history, with
    the queued texts and vectors of earlier versions no one holds any more)."""
    cur = await conn.execute(
        "SELECT value, comment FROM answer_history WHERE response_id = ?", (response_id,))
    earlier = answer_texts(await cur.fetchall())
    cur = await conn.execute(
        "SELECT r.round_id,"
        " CASE WHEN (SELECT COUNT(*) FROM responses o WHERE o.round_id = r.round_id"
        "   AND o.sector IS r.sector) >= ? THEN r.sector END AS sector,"
        " CASE WHEN (SELECT COUNT(*) FROM responses o WHERE o.round_id = r.round_id"
        "   AND o.partnerships IS r.partnerships) >= ? THEN r.partnerships END AS partnerships"
        " FROM responses r WHERE r.id = ?", (min_group, min_group, response_id))
    row = await cur.fetchone()
    if row is None:
        raise RecordMissing("response", response_id)
    ballot = await _free_ballot_id(conn)
    # No partner, no times, no organisation, no version: only what a report may group by.
    await conn.execute(
        "INSERT INTO ballots (id, round_id, sector, partnerships) VALUES (?, ?, ?, ?)",
        (ballot, row["round_id"], row["sector"], row["partnerships"]))
    await conn.execute(
        "INSERT INTO ballot_answers (ballot_id, question_id, value, comment, skipped)"
        " SELECT ?, question_id, value, comment, skipped FROM answers WHERE response_id = ?",
        (ballot, response_id))
    await conn.execute("DELETE FROM answers WHERE response_id = ?", (response_id,))
    await conn.execute("DELETE FROM answer_history WHERE response_id = ?", (response_id,))
    # A coordinator's message held after their /actions pick expired (0049) and filed as
    # an answer is now in the ballot: its row keeps that it was filed (a second tap is
    # told so) but not the words, which would name the ballot's author. One not filed
    # keeps its words (it may yet be an action's wording) but no longer names the response.
    await conn.execute(
        "UPDATE held_texts SET text = '', response_id = NULL, question_id = NULL"
        " WHERE response_id = ? AND filed_as = 'answer'", (response_id,))
    await conn.execute(
        "UPDATE held_texts SET response_id = NULL, question_id = NULL WHERE response_id = ?",
        (response_id,))
    await _drop_unheld(conn, earlier, vector_keys)


async def _drop_unheld(conn: aiosqlite.Connection, texts: Sequence[str],
                       vector_keys: Callable[[str], Sequence[str]] | None) -> None:
    """Unqueue these texts, and delete their vectors, unless an answer still holds them."""
    for text in texts:
        quoted = json.dumps(text, ensure_ascii=False)
        cur = await conn.execute(
            "SELECT 1 FROM answers WHERE value = ? OR comment = ?"
            " UNION ALL SELECT 1 FROM ballot_answers WHERE value = ? OR comment = ?"
            " UNION ALL SELECT 1 FROM answer_history WHERE value = ? OR comment = ? LIMIT 1",
            (quoted, text) * 3)
        if await cur.fetchone() is not None:
            continue
        await conn.execute("DELETE FROM embed_queue WHERE text = ?", (text,))
        if vector_keys is not None:
            await conn.executemany("DELETE FROM text_vectors WHERE text_hash = ?",
                                   [(key,) for key in vector_keys(text)])


async def _free_ballot_id(conn: aiosqlite.Connection) -> int:
    # A random negative id: never a response's id, and its rank says nothing about when the
    # ballot was cast (the ballots table has no rowid to keep that order).
    while True:
        candidate = -(secrets.randbelow(2**52) + 1)
        cur = await conn.execute("SELECT 1 FROM ballots WHERE id = ?", (candidate,))
        if await cur.fetchone() is None:
            return candidate
