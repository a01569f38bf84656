"""The words every report format prints around an area's suggested actions, written once."""

from __future__ import annotations

from surveys.plural import count, noun
from surveys.report.model import SuggestedItem, SuggestionList
from surveys.suggestions import left_out_note, letter, proposers


def intro(sl: SuggestionList) -> str:
    """The line under the heading: how many answers, how many distinct suggestions."""
    n = len(sl.items)
    if n == 1:
        found = f"{count(sl.answered, 'answer')}: one suggestion"
    elif all(item.count == 1 for item in sl.items):  # no order to speak of, no count printed
        found = f"{count(sl.answered, 'answer')}: {n} distinct suggestions, each suggested once"
    else:
        found = (f"{count(sl.answered, 'answer')}: {n} distinct {noun(n, 'suggestion')}, most "
                 "suggested first")
    if sl.themes is not None:
        found += ("; with so many, they are grouped into themes here, and the workbook's "
                  "Suggestions sheet lists every one")
    return found + "."


def mark(n: int) -> str:
    """The letter of the n-th suggestion (from 0), as seed 004 letters them."""
    return letter(n)


def suggested_by(item: SuggestedItem, *, unbroken: bool = False) -> str:
    """"(suggested by 3)", or "" for a proposal one partner made: "(suggested by 1)" after
    every line of a list where each has one proposer is noise, and the intro says so once.
    `unbroken` with no-break spaces, so a page never ends a line on "(suggested by" (HTML
    keeps it whole by its style)."""
    text = proposers(item.count)
    return text.replace(" ", "\u00a0") if unbroken else text


def _views(sl: SuggestionList) -> list[str]:
    if not sl.views:
        return []
    said = "; ".join(f"“{v}”" for v in sl.views)
    return [f"Also said, {'a view' if len(sl.views) == 1 else 'views'} rather than an "
            f"action: {said}"]


def notes(sl: SuggestionList) -> list[str]:
    """The notes after the list: views that suggest no action, in the partners' words (not
    lettered among the actions, nor offered to be agreed), and answers that suggested
    nothing."""
    return _views(sl) + ([left_out_note(sl.left_out)] if sl.left_out else [])


def none_note(sl: SuggestionList) -> str:
    """What stands in for an empty list."""
    if not sl.answered:
        return "No answers."
    return " ".join(["No actions were suggested.", *_views(sl)])



