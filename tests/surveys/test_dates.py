"""Deadlines as coordinators type them."""

from __future__ import annotations

from datetime import date

import pytest

from surveys.dates import parse_day
from surveys.errors import InvalidAnswer

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
