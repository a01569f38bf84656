"""The Scheduler: reads the database, asks the planner what is due and does it, idempotently."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from scheduler.digest import DigestService
from scheduler.planner import Plan, plan
from scheduler.quiet import Schedule
from storage.reminder_points import ReminderPointRepository
from surveys.action_follow_up import FollowUps
from surveys.clock import Clock
from surveys.errors import RoundClosed
from surveys.reminders import ReminderResult, Reminders
from surveys.rounds import RoundService

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    """What one tick did."""

    opened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    reminded: dict[tuple[int, str], ReminderResult] = field(default_factory=dict)
    digests: int = 0
    action_reminders: int = 0

    @property
    def queued(self) -> int:
        """Messages this tick put in the outbox, besides invitations and closing messages."""
        return (sum(r.queued for r in self.reminded.values()) + self.digests
                + self.action_reminders)

    @property
    def changed(self) -> bool:
        """Whether the tick did anything at all."""
        return bool(self.opened or self.closed or self.reminded or self.digests
                    or self.action_reminders)


class Scheduler:
    """Opens and closes rounds, fires reminder points and sends digests when they come due.

    It keeps no state: every tick reads the rounds and fired points from the database.
    """

    def __init__(self, rounds: RoundService, reminders: Reminders,
                 points: ReminderPointRepository, digests: DigestService, clock: Clock,
                 schedule: Schedule, follow_ups: FollowUps | None = None) -> None:
        self.rounds = rounds
        self.reminders = reminders
        self.points = points
        self.digests = digests
        self.clock = clock
        self.schedule = schedule
        # Agreed actions' reminders: their moments join the plan, their messages the tick.
        self.follow_ups = follow_ups
        # Set by the JobQueue binding; called after in-process changes to rounds.
        self.on_change: Callable[[], Awaitable[object]] | None = None

    async def plan(self) -> Plan:
        """What is due now and when the next thing is, from the database."""
        rounds = await self.rounds.all(("scheduled", "open"))
        fired = [(p.round_id, p.point) for p in await self.points.all()]
        due = plan(rounds, fired, self.clock.now(), self.schedule)
        if self.follow_ups is not None:
            later = await self.follow_ups.next_due()
            if later is not None and (due.next_due is None or later < due.next_due):
                due.next_due = max(later, due.now)
        return due

    async def tick(self) -> TickReport:
        """Do everything due now; a second call at the same moment does nothing more."""
        report = TickReport(opened=await self.rounds.open_due())
        due = await self.plan()
        going = self.schedule.next_allowed(due.now)
        for round_id in due.to_close:
            # Deadlines fall late in the day: partners hear of the close in the morning.
            if await self.rounds.close(round_id, partners_from=going):
                report.closed.append(round_id)
        for item in due.reminders:
            try:
                result = await self.reminders.remind_at_point(
                    item.round_id, item.point.name, item.point.at,
                    only_not_started=item.point.only_not_started, not_before=going,
                    skipped=[(p.name, p.at) for p in item.skipped])
            except RoundClosed:
                continue
            if result is not None:
                report.reminded[(item.round_id, item.point.name)] = result
                log.info("round %s: reminder point %s queued %d (skipped %s)", item.round_id,
                         item.point.name, result.queued, [p.name for p in item.skipped])
        if self.follow_ups is not None:
            report.action_reminders = await self.follow_ups.remind_due()
        report.digests = await self.digests.send_due(due.now)
        if report.changed:
            log.info("tick: opened %s, closed %s, %d reminder point(s), %d digest(s)",
                     report.opened, report.closed, len(report.reminded), report.digests)
        return report

    async def changed(self) -> None:
        """Call after creating, opening or closing a round in this process: replans the jobs."""
        if self.on_change is not None:
            await self.on_change()
