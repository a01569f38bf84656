"""The digest's weekly moment, in local time across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from scheduler.quiet import digest_moment, next_digest_moment, period_of

LONDON = ZoneInfo("Europe/London")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_digest_moment_follows_local_time_across_dst() -> None:
    monday_9 = (0, 9, 0)
    # winter: 09:00 GMT is 09:00 UTC; summer: 09:00 BST is 08:00 UTC
    assert digest_moment(utc(2026, 3, 25, 12), monday_9, LONDON) == utc(2026, 3, 23, 9)
    assert next_digest_moment(utc(2026, 3, 25, 12), monday_9, LONDON) == utc(2026, 3, 30, 8)
    assert digest_moment(utc(2026, 3, 30, 8, 0), monday_9, LONDON) == utc(2026, 3, 30, 8)
    assert digest_moment(utc(2026, 3, 30, 7, 59), monday_9, LONDON) == utc(2026, 3, 23, 9)
    assert period_of(utc(2026, 3, 30, 8), LONDON) == "2026-W14"
    # autumn back: Monday 26 October 2026 09:00 GMT
    assert next_digest_moment(utc(2026, 10, 20), monday_9, LONDON) == utc(2026, 10, 26, 9)
