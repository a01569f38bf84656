"""Seconds, injected: the sender's pacing and the local server's delays read and wait on a
`Timer`, so a test moves time by hand and checks a delay exactly instead of sleeping on it.

`LoopTimer` is the real thing (monotonic seconds, waits on the event loop); `ManualTimer`
moves only when a test advances it, shows what is waiting and for how long, and can carry a
`ManualClock` along so that wall time (due times in the outbox) and pacing move together.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Protocol

from surveys.clock import ManualClock


class Timer(Protocol):
    """Monotonic seconds, and waiting for an event for at most so many of them."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never goes backwards."""
        ...

    async def wait(self, event: asyncio.Event, seconds: float) -> bool:
        """Wait until `event` is set or `seconds` have passed; whether the event is set."""
        ...


class LoopTimer:
    """The real time: `time.monotonic` and the event loop's timeouts."""

    def monotonic(self) -> float:
        """Seconds on the system's monotonic clock."""
        return time.monotonic()

    async def wait(self, event: asyncio.Event, seconds: float) -> bool:
        """Wait on the event loop for `event`, at most `seconds`."""
        if seconds <= 0:
            return event.is_set()
        try:
            await asyncio.wait_for(event.wait(), seconds)
        except TimeoutError:
            return event.is_set()
        return True


class ManualTimer:
    """Time that moves only when the test says: waits end when `advance` reaches them."""

    def __init__(self, start: float = 1000.0, clock: ManualClock | None = None) -> None:
        self.now = start
        self.clock = clock
        self._deadlines: list[float] = []   # of the waits under way
        self._moved = asyncio.Event()       # set (and replaced) by every advance
        self._waiting = asyncio.Event()     # set whenever a wait begins

    def monotonic(self) -> float:
        """The timer's current second."""
        return self.now

    @property
    def deadlines(self) -> list[float]:
        """When each wait under way would time out, earliest first."""
        return sorted(self._deadlines)

    def advance(self, seconds: float) -> None:
        """Move forward (the wall clock too, if one was given); waits now due end."""
        self.now += seconds
        if self.clock is not None:
            self.clock.advance(timedelta(seconds=seconds))
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()

    async def wait(self, event: asyncio.Event, seconds: float) -> bool:
        """Wait until `event` is set or the timer has been advanced `seconds`."""
        if event.is_set() or seconds <= 0:
            return event.is_set()
        deadline = self.now + seconds
        self._deadlines.append(deadline)
        self._waiting.set()
        try:
            while not event.is_set() and self.now < deadline:
                either = {asyncio.ensure_future(event.wait()),
                          asyncio.ensure_future(self._moved.wait())}
                try:
                    await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for waiter in either:
                        waiter.cancel()
        finally:
            self._deadlines.remove(deadline)
        return event.is_set()

    async def until_waiting(self, seconds: float) -> None:
        """Return once something waits until a moment in the future at least `seconds` from
        now (a hang guard is the caller's)."""
        while not any(d > self.now and d - self.now >= seconds - 1e-9
                      for d in self._deadlines):
            self._waiting.clear()
            await self._waiting.wait()
