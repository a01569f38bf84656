"""Quiet hours: when the bot may start a conversation with someone.

Every message the bot starts (invitations, a round opening, reminders manual or automatic,
closing notices, digests) waits for the end of quiet hours; a reply to a person's own action
goes at once. Rounds, reminders and digests all ask this one rule; `scheduler/` only decides
when to look.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Quiet = tuple[tuple[int, int], tuple[int, int]] | None   # ((20, 0), (8, 0)), or None for none


@dataclass(frozen=True)
class QuietHours:
    """Quiet hours (and, if set, weekends) in the partnership's time zone."""

    zone: ZoneInfo
    quiet: Quiet = ((20, 0), (8, 0))
    weekends: bool = False

    def next_allowed(self, moment: datetime) -> datetime:
        """The first moment at or after `moment` when the bot may start a conversation (UTC)."""
        return next_allowed(moment, self.quiet, self.weekends, self.zone)

    def allows(self, moment: datetime) -> bool:
        """Whether the bot may start a conversation at `moment`."""
        return self.next_allowed(moment) <= moment


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall time on a day in `zone`; one that does not exist (spring forward) lands after."""
    return datetime.combine(day, at, zone).astimezone(UTC).astimezone(zone)


def next_allowed(moment: datetime, quiet: Quiet, weekends: bool, zone: ZoneInfo) -> datetime:
    """The first moment at or after `moment` (aware) outside quiet hours and, if set, weekends.

    Quiet hours are wall-clock times in `zone` and may run across midnight ("20:00-08:00").
    Returns UTC.
    """
    if moment.tzinfo is None:
        raise ValueError("next_allowed needs an aware datetime")
    local = moment.astimezone(zone)
    start = time(*quiet[0]) if quiet else None
    end = time(*quiet[1]) if quiet else None
    for _ in range(8):   # a weekend and a night at most; the loop settles in two or three
        moved = local
        if weekends and local.weekday() >= 5:
            monday = local.date() + timedelta(days=7 - local.weekday())
            moved = local_moment(monday, time(0, 0), zone)
        elif start is not None and end is not None and start != end:
            wall = local.time().replace(tzinfo=None, fold=0)
            if start > end:       # across midnight
                if wall >= start:
                    moved = local_moment(local.date() + timedelta(days=1), end, zone)
                elif wall < end:
                    moved = local_moment(local.date(), end, zone)
            elif start <= wall < end:
                moved = local_moment(local.date(), end, zone)
        if moved == local:
            return local.astimezone(UTC)
        local = max(moved, local)
    return local.astimezone(UTC)
