"""Counts as a person writes them: "1 answer", "3 answers", never "3 answer(s)"."""

from __future__ import annotations

from collections.abc import Sequence


def noun(n: int, word: str) -> str:
    """The noun alone, as many as n: "column" for 1, "columns" otherwise. Every noun the
    product counts (answer, partner, day, round, row, record, partnership…) takes an "s"."""
    return word if n == 1 else word + "s"


def count(n: int, word: str) -> str:
    """"1 answer", "0 answers", "12 partners"."""
    return f"{n} {noun(n, word)}"


def listed(names: Sequence[str]) -> str:
    """Names as a person lists them: "A", "A and B", "A, B and C" (never "A, B")."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def verb(n: int, one: str, many: str) -> str:
    """The verb that agrees with a count: verb(1, "is", "are") -> "is"."""
    return one if n == 1 else many


def unthemed(n: int) -> str:
    """The note under a question's themes: "1 answer fits no theme." """
    return f"{count(n, 'answer')} {verb(n, 'fits', 'fit')} no theme."


def unlisted(n: int) -> str:
    """The note under a set listed comment by comment: answers that said nothing to list."""
    return (f"{count(n, 'other answer')} said nothing to list (“n/a”, "
            "“none” or the like).")


def unrated(n: int, *, dont_know: bool = False) -> str:
    """The note under a split question: reasons given without a rating are not split."""
    also = " (or with \"Don't know\")" if dont_know else ""
    return (f"{count(n, 'reason')} given without a rating{also} {verb(n, 'is', 'are')} left "
            "out of the split.")
