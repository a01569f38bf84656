"""The planner: given the rounds, the points already fired and the time, what is due and when next.

Pure: no I/O, no clock. The Scheduler feeds it the database state and `now` and acts on the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from scheduler.quiet import Schedule, digest_moment, next_digest_moment, period_of
from storage.records import Round
from surveys.rounds import DEFAULT_POLICY

NUDGE = "nudge"


@dataclass(frozen=True)
class PolicyPoint:
    """One moment of a round's reminder policy."""

    name: str                 # "nudge", "before:3", "before:1"
    at: datetime
    only_not_started: bool


@dataclass(frozen=True)
class ReminderDue:
    """A policy point to fire now; earlier points that came due unsent are skipped with it."""

    round_id: int
    point: PolicyPoint
    skipped: tuple[PolicyPoint, ...] = ()


@dataclass
class Plan:
    """What is due at `now`, and when the next thing comes due."""

    now: datetime
    to_open: list[int] = field(default_factory=list)
    to_close: list[int] = field(default_factory=list)
    reminders: list[ReminderDue] = field(default_factory=list)
    digest_period: str = ""
    digest_at: datetime | None = None
    next_due: datetime | None = None

    @property
    def anything_due(self) -> bool:
        """Whether a tick now has rounds to open or close or reminders to send."""
        return bool(self.to_open or self.to_close or self.reminders)


def policy_points(rnd: Round) -> list[PolicyPoint]:
    """A round's reminder points in time order; points outside its open time are left out."""
    policy = {**DEFAULT_POLICY, **rnd.reminder_policy}
    points: list[PolicyPoint] = []
    nudge = policy.get("first_nudge_days")
    if nudge is not None:
        points.append(PolicyPoint(NUDGE, rnd.opens_at + timedelta(days=float(nudge)), True))
    for days in policy.get("before_deadline_days") or ():
        points.append(PolicyPoint(f"before:{float(days):g}",
                                  rnd.deadline - timedelta(days=float(days)), False))
    inside = [p for p in points if rnd.opens_at < p.at < rnd.deadline]
    return sorted(inside, key=lambda p: (p.at, p.name))


def plan(rounds: Sequence[Round], fired: Iterable[tuple[int, str]], now: datetime,
         schedule: Schedule) -> Plan:
    """What to do now, and when to look again."""
    done = set(fired)
    out = Plan(now=now)
    upcoming: list[datetime] = []
    for rnd in rounds:
        if rnd.state == "scheduled":
            if rnd.opens_at <= now:
                out.to_open.append(rnd.id)
            else:
                upcoming.append(rnd.opens_at)
        if rnd.state == "closed":
            continue
        if rnd.deadline <= now:
            if rnd.state == "open":
                out.to_close.append(rnd.id)
            continue
        upcoming.append(rnd.deadline)
        points = policy_points(rnd)
        # A point earlier than one already fired is stale, whether or not it was recorded.
        latest = max((p.at for p in points if (rnd.id, p.name) in done), default=None)
        pending = [p for p in points if (rnd.id, p.name) not in done
                   and (latest is None or p.at > latest)]
        due = [p for p in pending if p.at <= now]
        if rnd.state == "open" and due:
            # After downtime only the latest point that came due still makes sense.
            out.reminders.append(ReminderDue(rnd.id, due[-1], tuple(due[:-1])))
        upcoming += [p.at for p in pending if p.at > now]
    out.digest_at = digest_moment(now, schedule.digest, schedule.zone)
    out.digest_period = period_of(out.digest_at, schedule.zone)
    upcoming.append(next_digest_moment(now, schedule.digest, schedule.zone))
    out.next_due = now if out.anything_due else min(upcoming)
    return out
