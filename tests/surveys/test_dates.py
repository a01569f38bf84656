"""Deadlines as coordinators type them."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from surveys.dates import parse_day
from surveys.errors import InvalidAnswer
from surveys.screens import when

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(("typed", "day"), [
    ("2026-12-18", date(2026, 12, 18)),
    ("18/12/2026", date(2026, 12, 18)),
    ("18/12/26", date(2026, 12, 18)),
    ("18.12.2026", date(2026, 12, 18)),
    ("1/2", date(2027, 2, 1)),               # no year: the next 1 February
    ("18 Dec", date(2026, 12, 18)),
    ("18th December", date(2026, 12, 18)),
    ("Fri 18 Dec 2026", date(2026, 12, 18)),
    ("December 18, 2026", date(2026, 12, 18)),
    ("3 Jan", date(2027, 1, 3)),             # already past this year: next year's
    ("5 dec", date(2026, 12, 5)),            # today counts
])
def test_uk_dates_and_words(typed: str, day: date) -> None:
    assert parse_day(typed, TODAY) == day


@pytest.mark.parametrize("typed", ["next Friday", "31/02/2027", "18 Decembre", "12/18/2026", ""])
def test_what_is_not_a_date_says_what_would_do(typed: str) -> None:
    with pytest.raises(InvalidAnswer, match=r"calendar|18/12/2026, 18 Dec"):
        parse_day(typed, TODAY)


def test_a_deadline_typed_without_a_year_is_read_back_with_its_year() -> None:
    """"3 Jan" typed in December is next January: the read-back must say which."""
    zone = ZoneInfo("Europe/London")
    deadline = datetime.combine(parse_day("3 Jan", TODAY), time(23, 59), zone)
    assert when(deadline, zone) == "Sun 3 Jan 2027, 23:59"
