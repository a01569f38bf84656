"""One bot per database: an OS lock on `<database>.lock`, held for the life of the process.

Two pollers on one database would each answer every partner and two schedulers would each
send the reminders. `flock` is released by the kernel when the process ends, however it
ends, so a crash never leaves a stale lock; the file holds the holder's pid to name it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from storage.errors import StoreUnavailable


class BotLock:
    """The lock a running bot holds on its database."""

    def __init__(self, database_path: str | Path) -> None:
        self.database = str(database_path)
        self.path = Path(f"{database_path}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise StoreUnavailable naming the process that holds it."""
        if self.database == ":memory:" or self._fd is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the lock file {self.path}: {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise StoreUnavailable(
                f"Another PartnerPulse bot (pid {holder}) is already running on "
                f"{self.database}. Only one bot may use a database: stop that one first "
                f"(kill {holder}), or give this one its own database.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        """Let go (the file stays: removing it would race with a bot starting)."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
