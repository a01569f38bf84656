"""The SQLite database: one connection, migrations at start-up, writes in BEGIN IMMEDIATE."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from itertools import pairwise
from pathlib import Path

import aiosqlite

from storage.errors import StoreFailed, StoreUnavailable, UpdateRepeated

log = logging.getLogger(__name__)

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_db(moment: datetime) -> str:
    """A timezone-aware moment as sortable UTC text."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the database")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def from_db(text: str | None) -> datetime | None:
    """UTC text back to an aware datetime (None stays None)."""
    if text is None:
        return None
    # fromisoformat reads our fixed form ("...Z" included) far faster than strptime.
    return datetime.fromisoformat(text)


@dataclass
class UpdateClaim:
    """A Telegram update to be marked applied by the first write made while handling it, in
    that write's own transaction: the update and its effect are committed together, or
    neither is (a crash in between leaves it to be applied again when it is redelivered)."""

    update_id: int
    at: str                 # when it was handled, as the database stores times
    state: str = "pending"  # "claimed" once committed; "repeated": applied before; "dropped"


# The claim of the update being handled: each update is handled in a task of its own, which
# sees the claim set there (and tasks it starts share the same object, so it is made once).
_claim: ContextVar[UpdateClaim | None] = ContextVar("update_claim", default=None)
_CLAIM = "INSERT OR IGNORE INTO processed_updates (update_id, processed_at) VALUES (?, ?)"


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name[:-4], entry.read_text(encoding="utf-8")))
    found.sort()
    # Two files with one number: the second would be taken as applied and silently skipped.
    for (version, first, _), (again, second, _) in pairwise(found):
        if version == again:
            raise StoreUnavailable(f"migrations {first} and {second} share the number {version}")
    return found


class Database:
    """One aiosqlite connection shared by the process; an asyncio lock orders its use."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        # A scrub asked for while another waits for the lock is served by that one.
        self._scrub_waiting: asyncio.Future[bool] | None = None

    async def open(self) -> Database:
        """Connect, set the pragmas and apply any migrations not yet applied."""
        conn: aiosqlite.Connection | None = None
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                # Tried first without a worker thread: a connect that fails inside aiosqlite
                # leaves its thread to report to an event loop that may be gone by then.
                sqlite3.connect(self.path).close()
            conn = await aiosqlite.connect(self.path, isolation_level=None, timeout=30)
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA busy_timeout=30000")
            # Overwrite freed pages, so erased answers do not linger in the file.
            await conn.execute("PRAGMA secure_delete=ON")
        except (sqlite3.Error, OSError) as exc:
            # A connection that opened but cannot be set up is closed here: left open, its
            # worker thread outlived the event loop ("Event loop is closed" at exit).
            if conn is not None:
                await conn.close()
            raise StoreUnavailable(f"cannot open the database {self.path}: {exc}") from exc
        self._conn = conn
        await self.migrate()
        if await self._scrub_due():  # the last run stopped before it rebuilt the file
            await self.scrub()
        return self

    async def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def __aenter__(self) -> Database:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def conn(self) -> aiosqlite.Connection:
        """The open connection."""
        if self._conn is None:
            raise StoreUnavailable("the database is not open")
        return self._conn

    async def migrate(self) -> list[str]:
        """Apply migrations in order, each in one transaction with its record; returns names."""
        conn = self.conn
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied: list[str] = []
        for version, name, sql in _migrations():
            async with self._lock:
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    cur = await conn.execute(
                        "SELECT 1 FROM schema_migrations WHERE version = ?", (version,))
                    if await cur.fetchone():
                        await conn.execute("ROLLBACK")
                        continue
                    for statement in _statements(sql):
                        await conn.execute(statement)
                    await conn.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at)"
                        " VALUES (?, ?, ?)", (version, name, to_db(datetime.now(UTC))))
                    await conn.execute("COMMIT")
                except Exception as exc:
                    await conn.execute("ROLLBACK")
                    raise StoreUnavailable(f"migration {name} failed: {exc}") from exc
            log.info("applied migration %s", name)
            applied.append(name)
        return applied

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error.

        SQLite's own errors (locked, disk full, read-only) leave as StoreFailed."""
        claim = _claim.get()
        if claim is not None and claim.state == "repeated":  # nothing more of it is applied
            raise UpdateRepeated(claim.update_id)
        if claim is not None and claim.state != "pending":
            claim = None
        async with self._lock:
            conn = self.conn
            try:
                await conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._failed(exc) from exc
            try:
                if claim is not None:
                    await self._claim_in(conn, claim)
                yield conn
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):  # nothing to roll back, say
                    await conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._failed(exc) from exc
                raise
            else:
                try:
                    await conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    with contextlib.suppress(sqlite3.Error):
                        await conn.execute("ROLLBACK")
                    raise self._failed(exc) from exc
                if claim is not None:
                    claim.state = "claimed"

    async def write_one(self, sql: str, params: tuple[object, ...]) -> int:
        """A write of one statement; its row count. In autocommit it is its own transaction
        and needs no BEGIN and COMMIT (two fewer trips to the database thread), unless an
        update's claim is to be committed with it."""
        claim = _claim.get()
        if claim is not None and claim.state in ("pending", "repeated"):
            async with self.write() as conn:
                cur = await conn.execute(sql, params)
                return cur.rowcount
        async with self.read() as conn:
            cur = await conn.execute(sql, params)
            return cur.rowcount

    async def write_claiming(self, sql: str, params: tuple[object, ...]) -> None:
        """A write of one statement that claims the update being handled itself: its last two
        parameters are the update's id and time (both None when no claim is pending), and it
        aborts with 'update repeated' if that update was claimed before (a trigger does this,
        e.g. `answer_moves` in migration 0017). One trip, no BEGIN and COMMIT."""
        claim = _claim.get()
        if claim is not None and claim.state == "repeated":
            raise UpdateRepeated(claim.update_id)
        pending = claim if claim is not None and claim.state == "pending" else None
        ids = (pending.update_id, pending.at) if pending is not None else (None, None)
        async with self.read() as conn:
            try:
                await conn.execute(sql, (*params, *ids))
            except sqlite3.IntegrityError as exc:
                if pending is not None and "update repeated" in str(exc):
                    pending.state = "repeated"
                    raise UpdateRepeated(pending.update_id) from exc
                raise
        if pending is not None:
            pending.state = "claimed"

    @staticmethod
    def claim_update(update_id: int, moment: datetime) -> None:
        """Mark this update applied with the next write made while handling it (in this task
        and the tasks it starts); see `UpdateClaim`."""
        _claim.set(UpdateClaim(update_id, to_db(moment)))

    async def settle_claim(self) -> bool:
        """Once the update was handled: claim it now if no write did (an update that only
        read, or was only answered); False if it was applied before. Nothing is claimed for
        an update whose handling failed (`drop_claim`), so a redelivery applies it."""
        claim = _claim.get()
        if claim is None or claim.state != "pending":
            return claim is None or claim.state != "repeated"
        async with self.read() as conn:
            cur = await conn.execute(_CLAIM, (claim.update_id, claim.at))
            if cur.rowcount > 0:
                claim.state = "claimed"
                return True
        claim.state = "repeated"
        return False

    @staticmethod
    def drop_claim() -> None:
        """Handling the update failed: whatever it committed stays, but it is not claimed by
        a later write or by `settle_claim`."""
        claim = _claim.get()
        if claim is not None and claim.state == "pending":
            claim.state = "dropped"

    async def _claim_in(self, conn: aiosqlite.Connection, claim: UpdateClaim) -> None:
        cur = await conn.execute(_CLAIM, (claim.update_id, claim.at))
        if cur.rowcount == 0:
            claim.state = "repeated"
            raise UpdateRepeated(claim.update_id)

    async def scrub(self) -> bool:
        """Rebuild the file (VACUUM) and empty the WAL, so no deleted text and no order of
        writing survives on disk; False if a reader kept the WAL from being emptied (the
        scrub stays due and is done again at the next start)."""
        waiting = self._scrub_waiting
        if waiting is not None:
            return await asyncio.shield(waiting)
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._scrub_waiting = done
        emptied = False
        try:
            async with self._lock:
                self._scrub_waiting = None  # a request from now on needs a pass of its own
                conn = self.conn
                try:
                    # VACUUM copies every table in key order into fresh pages: a ballot's
                    # cells end up where its random id puts them, and freed pages are gone.
                    await conn.execute("VACUUM")
                    cur = await conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    row = await cur.fetchone()
                    emptied = row is not None and row[0] == 0
                    if emptied:
                        await conn.execute("DELETE FROM upkeep WHERE task = 'scrub'")
                        await conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error as exc:  # what was asked is committed; the scrub waits
                    log.warning("could not scrub %s: %s", self.path, exc)
        finally:
            done.set_result(emptied)
        if not emptied:
            log.warning("the WAL of %s is not yet empty; the scrub is done again next time",
                        self.path)
        return emptied

    async def _scrub_due(self) -> bool:
        async with self.read() as conn:
            cur = await conn.execute("SELECT 1 FROM upkeep WHERE task = 'scrub' AND due")
            return await cur.fetchone() is not None

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for reading, outside any other task's transaction."""
        async with self._lock:
            try:
                yield self.conn
            except sqlite3.Error as exc:
                raise self._failed(exc) from exc

    def _failed(self, exc: sqlite3.Error) -> StoreFailed:
        """SQLite's error as a sentence an operator can act on."""
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            hint = "it is locked by another program (a long-running export or backup?)"
        elif "full" in text:
            hint = "the disk is full; free some space"
        elif "readonly" in text or "read-only" in text:
            hint = "it is read-only; check the file's and its folder's permissions"
        else:
            hint = str(exc)
        return StoreFailed(f"The database {self.path} could not be used: {hint}. Nothing "
                           "was half-saved; try again once that is fixed.")


async def mark_scrub_due(conn: aiosqlite.Connection) -> None:
    """Within a write: the file must be scrubbed (see `Database.scrub`) once this commits."""
    await conn.execute("INSERT OR REPLACE INTO upkeep (task, due) VALUES ('scrub', 1)")


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (complete_statement handles quotes and comments)."""
    out: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                out.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
            ln.strip().startswith("--") or not ln.strip() for ln in buffer.splitlines()):
        out.append(buffer.strip())
    return out
