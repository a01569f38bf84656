"""The digest's weekly moment, and the Schedule the scheduler works to.

Quiet hours themselves are a rule of the survey (`surveys.quiet`); the Schedule only carries
them to the digest and the tick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from surveys.quiet import Quiet, QuietHours, next_allowed
from surveys.quiet import local_moment as _local

__all__ = ["Quiet", "QuietHours", "Schedule", "digest_moment", "next_allowed",
           "next_digest_moment", "period_of"]


@dataclass(frozen=True)
class Schedule:
    """When messages may go out and when the digest is due, in the partnership's time zone."""

    zone: ZoneInfo
    quiet: Quiet = ((20, 0), (8, 0))
    quiet_weekends: bool = False
    digest: tuple[int, int, int] = (0, 9, 0)   # weekday (Mon = 0), hour, minute

    @property
    def quiet_hours(self) -> QuietHours:
        """The quiet-hours rule this schedule carries."""
        return QuietHours(self.zone, self.quiet, self.quiet_weekends)

    def next_allowed(self, moment: datetime) -> datetime:
        """The first moment at or after `moment` outside quiet hours."""
        return self.quiet_hours.next_allowed(moment)


def digest_moment(now: datetime, digest: tuple[int, int, int], zone: ZoneInfo) -> datetime:
    """The latest weekly digest moment at or before `now` (UTC)."""
    weekday, hour, minute = digest
    today = now.astimezone(zone).date()
    day = today - timedelta(days=(today.weekday() - weekday) % 7)
    moment = _local(day, time(hour, minute), zone)
    if moment > now:
        moment = _local(day - timedelta(days=7), time(hour, minute), zone)
    return moment.astimezone(UTC)


def next_digest_moment(now: datetime, digest: tuple[int, int, int], zone: ZoneInfo) -> datetime:
    """The first weekly digest moment after `now` (UTC)."""
    last = digest_moment(now, digest, zone).astimezone(zone)
    return _local(last.date() + timedelta(days=7), time(digest[1], digest[2]),
                  zone).astimezone(UTC)


def period_of(moment: datetime, zone: ZoneInfo) -> str:
    """The digest period a digest moment belongs to: its ISO week, e.g. "2026-W45"."""
    year, week, _ = moment.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"
