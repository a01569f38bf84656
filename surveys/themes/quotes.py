"""Quotes under a theme: whole answers, or the whole sentences of a long one that make the point.

A theme quotes only answers whose main theme it is, the most typical first, never more
than those answers, and keeps the partner's line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .segment import without_na_mark
from .sentences import spans

MAX_QUOTES = 3
QUOTE_CHARS = 280  # an answer longer than this is quoted by the sentences making the point
GAP = " … "  # between sentences of one answer that were not next to each other


def _words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def quote_of(answer: str, points: Sequence[str], limit: int = QUOTE_CHARS) -> str:
    """The answer itself when short; else its sentences that hold the points, whole."""
    text = without_na_mark(answer.strip())  # "n/a - except…" is quoted from "Except…"
    if len(text) <= limit or not points:
        return text
    found = spans(text)
    if not found:
        return text
    chosen: set[int] = set()
    for point in points:
        want = _words(point)
        best, best_overlap = -1, 0.0
        for k, (start, end) in enumerate(found):
            sentence = text[start:end]
            if point.lower() in sentence.lower():
                best = k
                break
            overlap = len(want & _words(sentence)) / max(1, len(want))
            if overlap > best_overlap:
                best, best_overlap = k, overlap
        if best >= 0:
            chosen.add(best)
    if not chosen:
        chosen = {0}
    out = ""
    previous = -2
    for k in sorted(chosen):
        start, end = found[k]
        if out and len(out) + (end - start) > limit:
            break
        if previous == k - 1:  # next to the one before: the text between, line breaks and all
            out += text[found[previous][1]:end]
        else:
            out += (GAP if out else "") + text[start:end]
        previous = k
    return out


def pick(candidates: Sequence[tuple[float, int, str]], limit: int = MAX_QUOTES) -> tuple[str, ...]:
    """Up to `limit` quotes from (typicality, answer, quote), most typical first, each
    answer once and the same words never twice."""
    out: list[str] = []
    seen_answers: set[int] = set()
    seen_words: set[str] = set()
    for _, answer, quote in sorted(candidates, key=lambda c: (-c[0], c[1])):
        key = " ".join(quote.casefold().split()).strip(" .!?")
        if answer in seen_answers or not key or key in seen_words:
            continue
        seen_answers.add(answer)
        seen_words.add(key)
        out.append(quote)
        if len(out) == limit:
            break
    return tuple(out)


__all__ = ["MAX_QUOTES", "QUOTE_CHARS", "pick", "quote_of"]
