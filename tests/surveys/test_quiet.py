"""Quiet hours, a rule of the survey: across midnight, weekends and DST changes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from surveys.quiet import QuietHours, next_allowed

LONDON = ZoneInfo("Europe/London")
NIGHT = ((20, 0), (8, 0))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_outside_quiet_hours_nothing_waits() -> None:
    assert next_allowed(utc(2026, 11, 3, 12, 0), NIGHT, False, LONDON) == utc(2026, 11, 3, 12, 0)
    assert next_allowed(utc(2026, 11, 3, 21, 0), None, False, LONDON) == utc(2026, 11, 3, 21, 0)


def test_evening_waits_for_next_morning_across_midnight() -> None:
    assert next_allowed(utc(2026, 11, 3, 21, 0), NIGHT, False, LONDON) == utc(2026, 11, 4, 8, 0)
    assert next_allowed(utc(2026, 11, 3, 23, 59), NIGHT, False, LONDON) == utc(2026, 11, 4, 8)


def test_small_hours_wait_for_the_same_morning() -> None:
    assert next_allowed(utc(2026, 11, 4, 3, 0), NIGHT, False, LONDON) == utc(2026, 11, 4, 8, 0)
    # the edges: 08:00 is allowed, 20:00 is quiet
    assert next_allowed(utc(2026, 11, 4, 8, 0), NIGHT, False, LONDON) == utc(2026, 11, 4, 8, 0)
    assert next_allowed(utc(2026, 11, 4, 20, 0), NIGHT, False, LONDON) == utc(2026, 11, 5, 8)


def test_a_window_within_one_day() -> None:
    lunch = ((12, 0), (13, 30))
    assert next_allowed(utc(2026, 11, 4, 12, 15), lunch, False, LONDON) == utc(2026, 11, 4, 13,
                                                                                  30)
    assert next_allowed(utc(2026, 11, 4, 14, 0), lunch, False, LONDON) == utc(2026, 11, 4, 14)


def test_quiet_weekends_wait_for_monday_morning() -> None:
    friday_night = utc(2026, 11, 6, 21, 0)
    assert next_allowed(friday_night, NIGHT, True, LONDON) == utc(2026, 11, 9, 8, 0)
    assert next_allowed(utc(2026, 11, 7, 12, 0), NIGHT, True, LONDON) == utc(2026, 11, 9, 8, 0)
    assert next_allowed(utc(2026, 11, 7, 12, 0), None, True, LONDON) == utc(2026, 11, 9, 0, 0)
    assert next_allowed(utc(2026, 11, 7, 12, 0), NIGHT, False, LONDON) == utc(2026, 11, 7, 12)


def test_spring_forward_morning_is_08_00_summer_time() -> None:
    # 29 March 2026: clocks go 01:00 GMT → 02:00 BST; 08:00 BST is 07:00 UTC.
    assert next_allowed(utc(2026, 3, 28, 22, 0), NIGHT, False, LONDON) == utc(2026, 3, 29, 7, 0)


def test_fall_back_morning_is_08_00_winter_time() -> None:
    # 25 October 2026: clocks go 02:00 BST → 01:00 GMT; 21:30 BST is 20:30 UTC.
    assert next_allowed(utc(2026, 10, 24, 20, 30), NIGHT, False, LONDON) == utc(2026, 10, 25, 8)
    # inside the repeated hour (01:30 GMT, the second time round) it still waits for 08:00
    assert next_allowed(utc(2026, 10, 25, 1, 30), NIGHT, False, LONDON) == utc(2026, 10, 25, 8)


def test_quiet_hours_ending_in_the_missing_hour() -> None:
    # 01:30 does not exist on 29 March 2026 in London: the end lands after the gap.
    late = ((22, 0), (1, 30))
    found = next_allowed(utc(2026, 3, 29, 0, 30), late, False, LONDON)
    assert found == utc(2026, 3, 29, 1, 30)   # 02:30 BST
    assert found.astimezone(LONDON).hour == 2


def test_other_zone() -> None:
    ny = ZoneInfo("America/New_York")
    # 8 March 2026: US clocks spring forward; 08:00 EDT is 12:00 UTC
    assert next_allowed(utc(2026, 3, 8, 3, 0), NIGHT, False, ny) == utc(2026, 3, 8, 12, 0)


def test_the_rule_as_an_object_says_whether_now_is_allowed() -> None:
    quiet = QuietHours(LONDON, NIGHT)
    assert not quiet.allows(utc(2026, 12, 2, 2, 24))
    assert quiet.next_allowed(utc(2026, 12, 2, 2, 24)) == utc(2026, 12, 2, 8, 0)
    assert quiet.allows(utc(2026, 12, 2, 12, 0))
