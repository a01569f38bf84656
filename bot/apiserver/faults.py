"""Faults on demand (429, 403, 500, slow, timeout) and Telegram's global sending limit."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["429", "400", "403", "500", "slow", "timeout"]
FAULT_KINDS: frozenset[str] = frozenset({"429", "400", "403", "500", "slow", "timeout"})


@dataclass
class Fault:
    """One planned fault: which method (and chat) it hits, what it does, how many times."""

    kind: FaultKind
    method: str | None = None
    chat_id: int | None = None
    count: int | None = 1
    retry_after: int = 1
    delay: float | None = None
    description: str | None = None
    hits: int = 0

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Whether this fault applies to a call of ``method`` aimed at ``chat_id``."""
        if self.count is not None and self.hits >= self.count:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id

    @property
    def exhausted(self) -> bool:
        """Whether the fault has fired as many times as planned."""
        return self.count is not None and self.hits >= self.count


class FaultPlan:
    """The faults waiting to fire, first added first matched."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(
        self,
        method: str | None = None,
        kind: FaultKind = "500",
        *,
        chat_id: int | None = None,
        count: int | None = 1,
        retry_after: int = 1,
        delay: float | None = None,
        description: str | None = None,
    ) -> Fault:
        """Plan a fault for ``method`` (any method if None); ``count=None`` fires forever."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        fault = Fault(
            kind=kind,
            method=method,
            chat_id=chat_id,
            count=count,
            retry_after=retry_after,
            delay=delay,
            description=description,
        )
        self._faults.append(fault)
        return fault

    def take(self, method: str, chat_id: int | None) -> Fault | None:
        """The first matching fault, counted as fired, or None."""
        for fault in self._faults:
            if fault.matches(method, chat_id):
                fault.hits += 1
                return fault
        return None

    def clear(self) -> None:
        """Forget every planned fault."""
        self._faults.clear()

    @property
    def pending(self) -> list[Fault]:
        """Faults that have not fired as often as planned."""
        return [fault for fault in self._faults if not fault.exhausted]

    def __len__(self) -> int:
        return len(self.pending)


class SendRateLimit:
    """A sliding one-second window over accepted sends; beyond ``per_second`` answer 429."""

    def __init__(self, per_second: int | None, clock: Callable[[], float]) -> None:
        self.per_second = per_second
        self._clock = clock
        self._accepted: deque[float] = deque()

    def retry_after(self) -> int | None:
        """Seconds to wait if one more send now would break the limit, else None."""
        if not self.per_second:
            return None
        now = self._clock()
        while self._accepted and self._accepted[0] <= now - 1.0:
            self._accepted.popleft()
        if len(self._accepted) < self.per_second:
            return None
        return max(1, math.ceil(self._accepted[0] + 1.0 - now))

    def record(self) -> None:
        """Count one accepted send."""
        if self.per_second:
            self._accepted.append(self._clock())
