"""Quiet hours and the digest's weekly moment: pure functions of time and a time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Quiet = tuple[tuple[int, int], tuple[int, int]] | None   # ((20, 0), (8, 0)), or None for none


@dataclass(frozen=True)
class Schedule:
    """When messages may go out and when the digest is due, in the partnership's time zone."""

    zone: ZoneInfo
    quiet: Quiet = ((20, 0), (8, 0))
    quiet_weekends: bool = False
    digest: tuple[int, int, int] = (0, 9, 0)   # weekday (Mon = 0), hour, minute

    def next_allowed(self, moment: datetime) -> datetime:
        """The first moment at or after `moment` outside quiet hours."""
        return next_allowed(moment, self.quiet, self.quiet_weekends, self.zone)


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    # A wall time that does not exist (spring forward) lands after the gap once in UTC.
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
            moved = _local(monday, time(0, 0), zone)
        elif start is not None and end is not None and start != end:
            wall = local.time().replace(tzinfo=None, fold=0)
            if start > end:       # across midnight
                if wall >= start:
                    moved = _local(local.date() + timedelta(days=1), end, zone)
                elif wall < end:
                    moved = _local(local.date(), end, zone)
            elif start <= wall < end:
                moved = _local(local.date(), end, zone)
        if moved == local:
            return local.astimezone(UTC)
        local = max(moved, local)
    return local.astimezone(UTC)


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
