"""Linkage attacks on anonymous ballots: order the ballots by anything the database files hold
and see how many land on the partner who submitted in that place.

An attacker is given the best case: the true order in which partners submitted (the bot's
own chat history, or a coordinator watching the response rate, would give it). Anonymity
holds only if no ordering of the ballots taken from the files matches it better than chance.
Each attack reads the files or the tables as they are, so it runs against any schema.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


@dataclass(frozen=True)
class AttackResult:
    """How well one ordering of the ballots matched the order of submission."""

    attack: str
    matched: int        # ballots put on the very partner who cast them
    ballots: int        # ballots the attack could place at all
    rank_correlation: float

    def __str__(self) -> str:
        return (f"{self.attack}: {self.matched}/{self.ballots} matched, "
                f"rank correlation {self.rank_correlation:+.2f}")


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rank correlation of two equal-length sequences (no ties expected)."""
    n = len(xs)
    if n < 3:
        return 0.0
    rx = {v: i for i, v in enumerate(sorted(range(n), key=lambda i: xs[i]))}
    ry = {v: i for i, v in enumerate(sorted(range(n), key=lambda i: ys[i]))}
    d2 = sum((rx[i] - ry[i]) ** 2 for i in range(n))
    return 1 - 6 * d2 / (n * (n * n - 1))


def score(attack: str, keys: Mapping[int, float], truth: Mapping[int, int]) -> AttackResult:
    """Match ballots sorted by the attack's key to partners sorted by true submission order.

    `truth` gives each ballot's true place in the submission order (0 = first)."""
    placed = [b for b in truth if b in keys]
    by_key = sorted(placed, key=lambda b: (keys[b], b))
    places = sorted(truth[b] for b in placed)
    matched = sum(1 for guess, b in zip(places, by_key, strict=True) if truth[b] == guess)
    rho = spearman([keys[b] for b in placed], [truth[b] for b in placed])
    return AttackResult(attack, matched, len(placed), rho)


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                        " AND name NOT LIKE 'sqlite_%'").fetchall()
    return [r[0] for r in rows]


def _needles(texts: Sequence[str]) -> list[str]:
    """What a ballot's texts look like where stored: the text, its JSON form, its sha256."""
    out = []
    for text in texts:
        out += [text, hashlib.sha256(text.encode("utf-8")).hexdigest()]
    return out


def table_attacks(db: Path, ballots: Mapping[int, Sequence[str]],
                  truth: Mapping[int, int]) -> list[AttackResult]:
    """Order ballots by the rowid, the scan position and any time of the rows holding their
    texts (or their hashes), table by table."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    results = []
    try:
        for table in _tables(conn):
            try:
                rows = conn.execute(f'SELECT rowid, * FROM "{table}"').fetchall()
                has_rowid = True
            except sqlite3.OperationalError:  # WITHOUT ROWID: there is none to sort by
                rows = [(None, *r) for r in conn.execute(f'SELECT * FROM "{table}"').fetchall()]
                has_rowid = False
            cells = [[str(c) for c in row[1:] if isinstance(c, str)] for row in rows]
            keys: dict[str, dict[int, float]] = {"rowid": {}, "scan": {}, "time": {}}
            for ballot, texts in ballots.items():
                needles = _needles(texts)
                for position, (row, strings) in enumerate(zip(rows, cells, strict=True)):
                    if not any(n in s for n in needles for s in strings):
                        continue
                    if has_rowid:
                        keys["rowid"][ballot] = min(keys["rowid"].get(ballot, row[0]), row[0])
                    keys["scan"][ballot] = min(keys["scan"].get(ballot, position), position)
                    times = [s for s in strings if _TIME.match(s)]
                    if times:
                        stamp = float(re.sub(r"\D", "", min(times))[:20])
                        keys["time"][ballot] = min(keys["time"].get(ballot, stamp), stamp)
            for how, found in keys.items():
                if len(found) >= 3:
                    results.append(score(f"{table} by {how}", found, truth))
    finally:
        conn.close()
    return results


def file_attacks(db: Path, ballots: Mapping[int, Sequence[str]],
                 truth: Mapping[int, int]) -> list[AttackResult]:
    """Order ballots by where their texts (or hashes) first and last appear in the database
    file and its WAL: the order cells and frames were written in."""
    results = []
    for suffix in ("", "-wal"):
        path = Path(f"{db}{suffix}")
        data = path.read_bytes() if path.exists() else b""
        first: dict[int, float] = {}
        last: dict[int, float] = {}
        for ballot, texts in ballots.items():
            for needle in _needles(texts):
                raw = needle.encode("utf-8")
                at, end = data.find(raw), data.rfind(raw)
                if at >= 0:
                    first[ballot] = min(first.get(ballot, at), at)
                    last[ballot] = max(last.get(ballot, end), end)
        for how, found in (("first", first), ("last", last)):
            if len(found) >= 3:
                results.append(score(f"file{suffix or ' (main)'} by {how} offset", found,
                                     truth))
                results.append(score(f"file{suffix or ' (main)'} by {how} offset, reversed",
                                     {b: -v for b, v in found.items()}, truth))
    return results
