"""Partners, partnerships, join invitations and coordinators."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

import aiosqlite

from storage.db import Database, from_db, to_db
from storage.errors import InviteRefused, RecordMissing
from storage.records import Membership, Partner, PartnerRow

_PARTNER_COLUMNS = ("id, name, organisation, sector, telegram_username, telegram_user_id, "
                    "chat_id, reachable, digest_opt_in, joined_at")


# The unused links of the given partners (a JSON array of ids) beyond each one's newest `keep`.
PRUNE_OLDER_LINKS = (
    "DELETE FROM invitations WHERE rowid IN ("
    " SELECT rowid FROM (SELECT rowid, ROW_NUMBER() OVER ("
    "  PARTITION BY partner_id ORDER BY created_at DESC, rowid DESC) AS newer"
    "  FROM invitations WHERE used_at IS NULL"
    "  AND partner_id IN (SELECT value FROM json_each(?))) WHERE newer > ?)")


class PartnerRepository:
    """Reads and writes partners and what hangs off them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def import_rows(self, rows: Sequence[PartnerRow], now: datetime) -> tuple[int, int]:
        """Add or update partners (matched by name and organisation, in any letter case);
        returns (added, updated). Later rows of one partner win, as if applied in order."""
        stamp = to_db(now)
        async with self.db.write() as conn:
            cur = await conn.execute("SELECT id, name, organisation FROM partners")
            existing = {_key(r[1], r[2]): int(r[0]) for r in await cur.fetchall()}
            # Each partner's values after every row of the file, in file order.
            merged: dict[tuple[str, str], list[object]] = {}
            for row in rows:
                key = _key(row.name, row.organisation)
                had = merged.get(key)
                if had is None:
                    merged[key] = [row.name, row.organisation, row.sector,
                                   row.telegram_username]
                else:
                    had[2] = row.sector
                    had[3] = row.telegram_username or had[3]
            new = [v for k, v in merged.items() if k not in existing]
            await conn.executemany(
                "INSERT INTO partners (name, organisation, sector, telegram_username,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(*v, stamp, stamp) for v in new])
            await conn.executemany(
                "UPDATE partners SET sector = ?, telegram_username = COALESCE(?, "
                "telegram_username), updated_at = ? WHERE id = ?",
                [(v[2], v[3], stamp, existing[k]) for k, v in merged.items() if k in existing])
            ids = dict(existing)
            if new:
                cur = await conn.execute("SELECT id, name, organisation FROM partners")
                ids = {_key(r[1], r[2]): int(r[0]) for r in await cur.fetchall()}
            await conn.executemany("INSERT OR IGNORE INTO partnerships (name) VALUES (?)",
                                   [(name,) for name in dict.fromkeys(r.partnership
                                                                      for r in rows)])
            cur = await conn.execute("SELECT id, name FROM partnerships")
            partnership_ids = {_fold(str(r[1])): int(r[0]) for r in await cur.fetchall()}
            seats = {(ids[_key(r.name, r.organisation)],
                      partnership_ids[_fold(r.partnership)]): r.role
                     for r in rows}
            await conn.executemany(
                "INSERT INTO memberships (partner_id, partnership_id, role) VALUES (?, ?, ?)"
                " ON CONFLICT (partner_id, partnership_id) DO UPDATE SET role = excluded.role",
                [(pid, sid, role) for (pid, sid), role in seats.items()])
        return len(new), sum(1 for k in merged if k in existing)

    async def all(self) -> list[Partner]:
        """Every partner, by name."""
        async with self.db.read() as conn:
            return await _partners(conn, "1 ORDER BY name COLLATE NOCASE, id", ())

    async def get(self, partner_id: int) -> Partner:
        """One partner, or RecordMissing."""
        async with self.db.read() as conn:
            found = await _partners(conn, "id = ?", (partner_id,))
        if not found:
            raise RecordMissing("partner", partner_id)
        return found[0]

    async def by_user(self, telegram_user_id: int) -> Partner | None:
        """The partner bound to this Telegram user, if any."""
        # One statement, seats included: this runs on every update a partner sends.
        async with self.db.read() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT {_PARTNER_COLUMNS}, (SELECT json_group_array(json_array(name, role))"
                " FROM (SELECT p.name, m.role FROM memberships m JOIN partnerships p"
                " ON p.id = m.partnership_id WHERE m.partner_id = partners.id ORDER BY p.name))"
                " AS seats"
                " FROM partners WHERE telegram_user_id = ?", (telegram_user_id,))
        if not rows:
            return None
        r = next(iter(rows))
        seats = tuple(Membership(name, role) for name, role in json.loads(r["seats"]))
        return _partner(r, seats)

    async def partnerships(self) -> list[str]:
        """Names of all partnerships."""
        async with self.db.read() as conn:
            cur = await conn.execute("SELECT name FROM partnerships ORDER BY name")
            return [r["name"] for r in await cur.fetchall()]

    async def add_invitations(self, hashes: Sequence[tuple[int, str]], now: datetime,
                              expires_at: datetime, keep: int | None = None) -> None:
        """Store the hashes of new invite tokens, (partner id, hash) each, in one go.

        Unused tokens that have expired are deleted, and with `keep`, so is every unused
        token of a partner older than their newest `keep`: listing the partners again and
        again then leaves at most `keep` live links a partner instead of one more a listing.
        """
        created, expires = to_db(now), to_db(expires_at)
        async with self.db.write() as conn:
            await conn.executemany(
                "INSERT INTO invitations (token_hash, partner_id, created_at, expires_at)"
                " VALUES (?, ?, ?, ?)",
                [(token_hash, pid, created, expires) for pid, token_hash in hashes])
            await conn.execute(
                "DELETE FROM invitations WHERE used_at IS NULL AND expires_at <= ?", (created,))
            if keep is not None:
                # Only the partners just issued can have gone past `keep`.
                issued = json.dumps(sorted({pid for pid, _ in hashes}))
                await conn.execute(PRUNE_OLDER_LINKS, (issued, keep))

    async def redeem_invitation(self, token_hash: str, telegram_user_id: int, chat_id: int,
                                now: datetime) -> Partner:
        """Bind the chat to the invited partner, once; raises InviteRefused otherwise."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                "SELECT partner_id, expires_at, used_at FROM invitations WHERE token_hash = ?",
                (token_hash,))
            found = await cur.fetchone()
            if found is None:
                raise InviteRefused("unknown")
            if found["used_at"] is not None:
                raise InviteRefused("used")
            expires = from_db(found["expires_at"])
            if expires is not None and expires <= now:
                raise InviteRefused("expired")
            partner_id = int(found["partner_id"])
            cur = await conn.execute("SELECT telegram_user_id FROM partners WHERE id = ?",
                                     (partner_id,))
            owner = await cur.fetchone()
            bound = owner["telegram_user_id"] if owner is not None else None
            if bound is not None and bound != telegram_user_id:
                raise InviteRefused("taken")
            cur = await conn.execute(
                "SELECT id FROM partners WHERE (telegram_user_id = ? OR chat_id = ?) AND id != ?",
                (telegram_user_id, chat_id, partner_id))
            if await cur.fetchone():
                raise InviteRefused("other_account")
            await conn.execute(
                "UPDATE partners SET telegram_user_id = ?, chat_id = ?, reachable = 1,"
                " joined_at = COALESCE(joined_at, ?), updated_at = ? WHERE id = ?",
                (telegram_user_id, chat_id, to_db(now), to_db(now), partner_id))
            # Every outstanding link of this partner is spent once one is used.
            await conn.execute(
                "UPDATE invitations SET used_at = ? WHERE partner_id = ? AND used_at IS NULL",
                (to_db(now), partner_id))
            partners = await _partners(conn, "id = ?", (partner_id,))
        return partners[0]

    async def set_reachable(self, partner_id: int, reachable: bool, now: datetime) -> None:
        """Mark a partner reachable or not (403: they blocked the bot)."""
        async with self.db.write() as conn:
            await conn.execute("UPDATE partners SET reachable = ?, updated_at = ? WHERE id = ?",
                               (int(reachable), to_db(now), partner_id))

    async def set_digest(self, partner_id: int, opt_in: bool, now: datetime) -> None:
        """Turn a partner's weekly line on or off."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE partners SET digest_opt_in = ?, updated_at = ? WHERE id = ?",
                (int(opt_in), to_db(now), partner_id))

    async def is_coordinator(self, telegram_user_id: int) -> bool:
        """Whether the user was added as a coordinator in the database."""
        async with self.db.read() as conn:
            cur = await conn.execute("SELECT 1 FROM coordinators WHERE telegram_user_id = ?",
                                     (telegram_user_id,))
            return await cur.fetchone() is not None

    async def coordinators(self) -> list[int]:
        """Coordinators added in the database (not those in the config file)."""
        async with self.db.read() as conn:
            cur = await conn.execute("SELECT telegram_user_id FROM coordinators ORDER BY 1")
            return [int(r[0]) for r in await cur.fetchall()]

    async def coordinator_partnerships(self) -> dict[int, list[str]]:
        """The partnerships each limited coordinator is limited to (global ones are absent)."""
        async with self.db.read() as conn:
            cur = await conn.execute("SELECT telegram_user_id, partnership FROM"
                                     " coordinator_partnerships ORDER BY 1, 2")
            found: dict[int, list[str]] = {}
            for row in await cur.fetchall():
                found.setdefault(int(row[0]), []).append(row[1])
            return found

    async def add_coordinator(self, telegram_user_id: int, now: datetime,
                              partnerships: Sequence[str] = ()) -> bool:
        """Add a coordinator, limited to `partnerships` (none: global); an existing one takes
        the new limits. False if they were already there."""
        async with self.db.write() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO coordinators (telegram_user_id, added_at) VALUES (?, ?)",
                (telegram_user_id, to_db(now)))
            await conn.execute("DELETE FROM coordinator_partnerships WHERE telegram_user_id = ?",
                               (telegram_user_id,))
            await conn.executemany(
                "INSERT OR IGNORE INTO coordinator_partnerships (telegram_user_id, partnership)"
                " VALUES (?, ?)", [(telegram_user_id, name) for name in partnerships])
            return cur.rowcount > 0

    async def remove_coordinator(self, telegram_user_id: int) -> bool:
        """Remove a coordinator; False if not there."""
        async with self.db.write() as conn:
            cur = await conn.execute("DELETE FROM coordinators WHERE telegram_user_id = ?",
                                     (telegram_user_id,))
            return cur.rowcount > 0


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _fold(text: str) -> str:
    """Text as SQLite's NOCASE compares it: only ASCII letters fold (lower() is the fast way
    for ASCII text; translate keeps other letters as they are)."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def _key(name: str, organisation: str) -> tuple[str, str]:
    """Name and organisation as the partners table matches them."""
    return _fold(name), _fold(organisation)


async def _partners(conn: aiosqlite.Connection, where: str,
                    params: Iterable[object]) -> list[Partner]:
    # execute_fetchall: one trip to the database thread, not two (this runs on every update).
    rows = await conn.execute_fetchall(
        f"SELECT {_PARTNER_COLUMNS} FROM partners WHERE {where}", tuple(params))
    if not rows:
        return []
    ids = [int(r["id"]) for r in rows]
    if len(ids) <= 500:
        marks = ",".join("?" * len(ids))
        cur = await conn.execute(
            "SELECT m.partner_id, p.name, m.role FROM memberships m"
            f" JOIN partnerships p ON p.id = m.partnership_id WHERE m.partner_id IN ({marks})"
            " ORDER BY p.name", ids)
    else:  # many partners: every seat in one pass beats a query with thousands of ids
        cur = await conn.execute(
            "SELECT m.partner_id, p.name, m.role FROM memberships m"
            " JOIN partnerships p ON p.id = m.partnership_id ORDER BY p.name")
    seats: dict[int, list[Membership]] = {}
    for r in await cur.fetchall():
        seats.setdefault(int(r[0]), []).append(Membership(r[1], r[2]))
    return [_partner(r, tuple(seats.get(int(r["id"]), ()))) for r in rows]


def _partner(r: aiosqlite.Row, seats: tuple[Membership, ...]) -> Partner:
    return Partner(
        id=int(r["id"]), name=r["name"], organisation=r["organisation"], sector=r["sector"],
        memberships=seats, telegram_username=r["telegram_username"],
        telegram_user_id=r["telegram_user_id"], chat_id=r["chat_id"],
        reachable=bool(r["reachable"]), digest_opt_in=bool(r["digest_opt_in"]),
        joined_at=from_db(r["joined_at"]))
