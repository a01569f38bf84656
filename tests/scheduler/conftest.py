"""Fixtures for the scheduler: the domain services plus a Scheduler over the same SQLite file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from scheduler import Schedule, Scheduler, build_scheduler
from storage.records import OutboxMessage
from surveys.templates import builtin_template
from tests.surveys.conftest import LONDON, Domain, domain  # noqa: F401 - the fixture itself

COORDINATOR = 77


@dataclass
class Timeline:
    """A domain, its scheduler, and helpers to move through a round's weeks."""

    domain: Domain
    scheduler: Scheduler
    schedule: Schedule

    def fresh(self) -> Scheduler:
        """A new Scheduler over the same database, as after a restart."""
        return build_scheduler(self.domain.db, self.domain.rounds, self.schedule, coordinators)

    async def new_round(self, *, days: int = 14, opens_at: datetime | None = None,
                        policy: dict[str, object] | None = None, **kw: object) -> int:
        """A framework-review round for everyone whose deadline is `days` days away."""
        start = opens_at or self.domain.clock.now()
        deadline = self.domain.rounds.deadline_from((start + timedelta(days=days)).date())
        return await self.domain.rounds.create(
            builtin_template("framework-review"), deadline=deadline, opens_at=opens_at,
            policy=policy, **kw)  # type: ignore[arg-type]

    async def response_id(self, round_id: int, name: str) -> int:
        partner = next(p for p in self.domain.people if p.name == name)
        found = await self.domain.responses.of_partner(round_id, partner.id)
        assert found is not None
        return found.id

    async def submit(self, round_id: int, name: str) -> None:
        rid = await self.response_id(round_id, name)
        await self.domain.responses.submit(rid, self.domain.clock.now(), anonymous=False)

    async def start(self, round_id: int, name: str) -> None:
        rid = await self.response_id(round_id, name)
        await self.domain.responses.move(rid, "q1", "answer", self.domain.clock.now())

    async def outbox(self, kind: str, round_id: int | None = None) -> list[OutboxMessage]:
        return await self.domain.outbox.messages(kind=kind, round_id=round_id)

    async def reminded(self, round_id: int) -> dict[str, int]:
        """Reminders queued (not cancelled) per partner name."""
        names = {p.id: p.name for p in self.domain.people}
        out: dict[str, int] = {}
        for m in await self.outbox("reminder", round_id):
            if m.state != "cancelled":
                out[names[m.partner_id or 0]] = out.get(names[m.partner_id or 0], 0) + 1
        return out


async def coordinators() -> list[int]:
    return [COORDINATOR]


@pytest.fixture
def timeline(domain: Domain) -> Timeline:  # noqa: F811 - the imported fixture
    schedule = Schedule(LONDON)
    return Timeline(domain, build_scheduler(domain.db, domain.rounds, schedule, coordinators),
                    schedule)
