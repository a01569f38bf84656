"""Time, injected: the system clock in production, a clock tests move by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that says what time it is (aware, UTC)."""

    def now(self) -> datetime:
        """The current moment."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """The current moment, from the system."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told: tests and the demo live through weeks in seconds."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")

    def now(self) -> datetime:
        """The clock's current moment."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by `delta`; returns the new moment."""
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to a moment (never backwards)."""
        if moment < self._now:
            raise ValueError("a clock does not go backwards")
        self._now = moment
