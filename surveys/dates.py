"""Dates as coordinators type them: 18/12/2026, 18 Dec, 18th December 2026, 2026-12-18.

Day first, as in the UK; a date without a year is the next one on or after today.
"""

from __future__ import annotations

import re
from datetime import date

from surveys.errors import InvalidAnswer

MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1)
    for name in names}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_WORDS = re.compile(r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
                    r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?(?:\s+(\d{4}))?$")
_WORDS_MONTH_FIRST = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")
EXAMPLES = "18/12/2026, 18 Dec or 2026-12-18"


def parse_day(text: str, today: date) -> date:
    """The day `text` names; InvalidAnswer saying what would do if it names none."""
    cleaned = " ".join(text.strip().lower().split())
    try:
        if found := _ISO.match(cleaned):
            return date(int(found[1]), int(found[2]), int(found[3]))
        if found := _NUMERIC.match(cleaned):
            return _with_year(int(found[1]), int(found[2]), found[3], today)
        if (found := _WORDS.match(cleaned)) and found[2] in MONTHS:
            return _with_year(int(found[1]), MONTHS[found[2]], found[3], today)
        if (found := _WORDS_MONTH_FIRST.match(cleaned)) and found[1] in MONTHS:
            return _with_year(int(found[2]), MONTHS[found[1]], found[3], today)
    except ValueError:
        raise InvalidAnswer(f"{text.strip()!r} is not a day of the calendar.") from None
    raise InvalidAnswer(f"Deadline {text.strip()!r} should be a date like {EXAMPLES}.")


def _with_year(day: int, month: int, year: str | None, today: date) -> date:
    if year is not None:
        return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)
