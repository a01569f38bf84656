"""PartnerPulse: scheduler — time: opening and closing rounds, reminders, the weekly digest.

`planner` says what is due (pure); `Scheduler.tick` does it (idempotent); `jobs` binds the
tick to python-telegram-bot's JobQueue. `build_scheduler` wires one over a database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from scheduler.digest import DigestService, Scope
from scheduler.quiet import Schedule
from scheduler.service import Scheduler, TickReport
from storage.db import Database
from storage.digests import DigestRepository
from storage.reminder_points import ReminderPointRepository
from surveys.action_follow_up import FollowUps
from surveys.reminders import Reminders
from surveys.rounds import RoundService

__all__ = ["Schedule", "Scheduler", "TickReport", "build_scheduler"]


def build_scheduler(db: Database, rounds: RoundService, schedule: Schedule,
                    coordinators: Callable[[], Awaitable[list[int]]],
                    top_themes: Callable[[int], Awaitable[list[str]]] | None = None,
                    reminders: Reminders | None = None,
                    follow_ups: FollowUps | None = None, scope: Scope | None = None
                    ) -> Scheduler:
    """A Scheduler over the database, using the round service's repositories and clock.

    `reminders` is the one reminder service the chat and the CLI use too; by default one is
    built over the same repositories with the schedule's quiet hours. `follow_ups` reminds
    owners of agreed actions and adds them to the digest. `scope` says which partnerships a
    coordinator's digest covers (`Coordinators.get`); without it, every coordinator's covers all.
    """
    points = ReminderPointRepository(db)
    reminders = reminders or Reminders(rounds.rounds, rounds.responses, rounds.partners,
                                       rounds.clock, schedule.zone, points,
                                       quiet=schedule.quiet_hours)
    digests = DigestService(rounds, rounds.responses, DigestRepository(db), schedule,
                            coordinators, top_themes,
                            follow_ups.week if follow_ups is not None else None, scope)
    return Scheduler(rounds, reminders, points, digests, rounds.clock, schedule, follow_ups)
