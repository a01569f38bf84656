"""A consistent copy of the database, taken with SQLite's online backup while the bot runs."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

from storage.errors import StoreUnavailable


def _copy(source: str, out: Path) -> int:
    if not Path(source).exists():
        raise StoreUnavailable(f"there is no database at {source}")
    if out.resolve() == Path(source).resolve():
        raise StoreUnavailable("the backup must go to another file than the database itself")
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        return _copy_to(source, partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _copy_to(source: str, partial: Path, out: Path) -> int:
    src = sqlite3.connect(source, timeout=30)
    try:
        # Created private: a backup holds everything the database does.
        os.close(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
        dst = sqlite3.connect(partial)
        try:
            # One step (pages=-1): a single read transaction, so the copy is one moment's
            # state even while the bot writes (WAL lets it go on writing meanwhile).
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            ok = dst.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if ok != "ok":
        raise StoreUnavailable(f"the backup of {source} failed its check: {ok}")
    os.replace(partial, out)
    return out.stat().st_size


async def backup_database(source: str | Path, out: str | Path) -> int:
    """Copy the database at `source` to `out` (replaced only once the copy is whole and
    checked); returns its size in bytes."""
    try:
        return await asyncio.to_thread(_copy, str(source), Path(out))
    except (sqlite3.Error, OSError) as exc:
        raise StoreUnavailable(f"cannot back up {source} to {out}: {exc}") from exc
