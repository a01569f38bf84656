"""Whether a phrase can head a new theme: how many of the theme's answers back it, by
using it or by saying the same in other words."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from .headings import is_label, names_one
from .phrases import bare, content_stems, is_acronym

# A new theme's label must be backed by this many of its answers: used by them, or said
# in other words by a point of theirs at least this close to it (on the dev sets, no
# codebook: at 0.5 ARI fell from 0.368 to 0.321 and 15% of answers went to "Other
# points"; at 0.4, 0.359 and 7.5%).
LABEL_BACKERS = 2
LABEL_BACKING_SIMILARITY = 0.4
# A phrase one answer wrote, backed by one other answer only in other words, where that
# answer names a topic of its own (its point could itself head a theme), must be this close
# to it: partners listing workshop topics name each their own, and "Housing and
# homelessness" headed "Older people and loneliness" (0.44) and "Neighbourhood working".
# One that says the same backs it so ("Devolved budget" by "Dedicated budget", 0.71).
# Held to this for every lone backer (a story as much as a topic), dev ARI fell: dev_mixed
# 0.343 -> 0.238, dev_phone 0.494 -> 0.419, dev_own 0.322 -> 0.255.
LONE_BACKING_SIMILARITY = 0.5
# A phrase whose head names one person, post, body, place or occasion (`names_one`) heads a
# new theme only if this many of its answers back it: it is what one answer was about, and
# one other answer near it in meaning ("Busiest person in the building" by "Our
# building", "Head of housing" by "housing", "Risk meeting" by "That has sorted more
# problems than any meeting") or two do not make it what the theme's answers share. Backed
# so, the next phrase is tried, held to the same; with none, the answers go to "Other
# points". On the 14 dev sets (no codebook) 26 labels went, nearly all one answer's; 14
# themes took another phrase, 12 went to "Other points" (328 -> 372 answers there), and
# ARI pooled 0.4625 -> 0.4561 (dev_talk -0.033, dev_mixed -0.022).
INSTANCE_BACKERS = 4


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
        near = own @ vec
        best: dict[int, float] = {}
        topics: dict[int, bool] = {}
        for text, a, s in zip(texts, answers, near, strict=True):
            if s >= LABEL_BACKING_SIMILARITY and named <= written[a] and a not in backers:
                best[a] = max(best.get(a, -1.0), float(s))
                topics[a] = topics.get(a, True) and is_label(text.strip(" .!?"))
        if len(backers) + len(best) == LABEL_BACKERS and len(best) == 1 \
                and all(topics.values()) and max(best.values()) < LONE_BACKING_SIMILARITY:
            best = {}
        backers |= set(best)
    return backers


def backers_needed(phrase: str) -> int:
    """How many of a new theme's answers must back a phrase for it to head the theme."""
    return INSTANCE_BACKERS if names_one(phrase) else LABEL_BACKERS


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


__all__ = ["INSTANCE_BACKERS", "LABEL_BACKERS", "LABEL_BACKING_SIMILARITY", "backers_needed",
           "backing", "named_in", "names"]
