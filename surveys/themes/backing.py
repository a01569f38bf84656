"""Whether a phrase can head a new theme: how many of the theme's answers back it, by
using it or by saying the same in other words."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from .phrases import bare, content_stems, is_acronym

# A new theme's label must be backed by this many of its answers: used by them, or said
# in other words by a point of theirs at least this close to it (on the dev sets, no
# codebook: at 0.5 ARI fell from 0.368 to 0.321 and 15% of answers went to "Other
# points"; at 0.4, 0.359 and 7.5%).
LABEL_BACKERS = 2
LABEL_BACKING_SIMILARITY = 0.4


def backing(phrase: str, using: set[int], vec: np.ndarray, texts: Sequence[str],
            answers: Sequence[int], own: np.ndarray | None) -> set[int]:
    """The theme's answers that back a phrase as its label: those that use it (`using`),
    or all of its words in their own order and form ("meetings were run…" backs "How
    meetings run"), and those with a point that says the same (a label one partner wrote
    for a theme of several would speak for the others: "Tough call on the youth budget
    (3)"). `texts` and `answers` are the theme's points and their answers, `own` their
    vectors (None: no point is judged by its meaning)."""
    backers = set(using)
    words = content_stems(phrase)
    said: dict[int, set[str]] = defaultdict(set)
    written: dict[int, set[str]] = defaultdict(set)
    for text, answer in zip(texts, answers, strict=True):
        said[answer] |= content_stems(text)
        written[answer] |= named_in(text)
    if words:
        backers |= {a for a, stems in said.items() if words <= stems}
    if own is not None:
        # A name is what one answer is about, not what the theme's answers share: an
        # answer that says the same in other words backs a label only if it names the
        # same ("Government Office deadline" is one partner's; "LSP action plan" is
        # backed by others who speak of the LSP).
        named = names(phrase)
        close = own @ vec >= LABEL_BACKING_SIMILARITY
        backers |= {a for a, near in zip(answers, close, strict=True)
                    if near and named <= written[a]}
    return backers


def names(text: str) -> set[str]:
    """The names a phrase holds, as compared (`bare`): acronyms, and capitalised words
    after its first ("Government Office deadline", "LAA block talks")."""
    words = text.split()
    return {bare(w).removesuffix("'s") for k, w in enumerate(words)
            if is_acronym(w) or (k and w[:1].isupper())}


_WORDS = re.compile(r"[^\W_][\w'’&/-]*")  # as `phrases` reads words


def named_in(text: str) -> set[str]:
    """The words of a text, as `names` gives them."""
    return {bare(w).removesuffix("'s") for w in _WORDS.findall(text)}


__all__ = ["LABEL_BACKERS", "LABEL_BACKING_SIMILARITY", "backing", "named_in", "names"]
