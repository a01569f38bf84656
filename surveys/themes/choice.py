"""Which of the codebook themes an answer's points joined is its main theme.

An answer whose points join several codebook themes has one main theme. `themed.assign`
ranks them by the answer's best point in each, a little more for each further point
(AGREE); that throws away what the engine already knows of the whole answer: its score
as one text by the codebook's texts, and with its bank's vote. A few weights, learned
on the dev sets by `bench/build_main_choice.py` (a conditional logistic regression over
the themes each answer joined, each dev set's bank and map learned without it), weigh
those together; the theme they put first is the answer's main theme. The others keep
the order `assign` gives them.

Every feature is a margin: a theme's figure less the best of the answer's themes (or of
all the codebook's themes, for the whole answer's scores), so 0 is the best and the
weights say how much each kind of evidence counts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from .themed import AGREE

FEATURES = (
    "point",  # the answer's best point in the theme (its ranking score), less the best theme's
    "points",  # how many more of its points the theme holds than the theme with most
    "whole",  # the whole answer's score with the bank's vote, less its best over the codebook
    "whole_texts",  # the whole answer's score by the codebook's texts alone, the same way
    "vote",  # the bank's vote for the theme on the whole answer, less its best
    "first",  # where the answer's first point in the theme comes (0 first, 1 last)
    "last",  # 1 if the theme holds the answer's last point
)
# What `themed.assign` weighs alone: the best point, and AGREE for each further point.
ASSIGN_WEIGHTS = (1.0, AGREE, 0.0, 0.0, 0.0, 0.0, 0.0)
# The learned choice overrides `assign`'s only when it scores its theme this much higher:
# answers the weights find near a tie stay as they were. Chosen on twelve dev sets,
# counting answers whose chosen theme is the coders' (weights fitted without the set /
# without the set and the question): 0 / 0.1 / 0.2 / 0.3 / 0.5 gave +13 / +14 / +14 /
# +15 / +11 and -1 / +3 / +9 / +7 / +3 answers against `assign`.
LEAD = 0.3
# Fitted on every dev set by bench/build_main_choice.py (its docstring has the commands).
# Main-theme accuracy over sixteen dev sets (3,837 answers), the engine run through, each
# set's bank and map learned without it and the weights fitted without it: 0.872 (assign's
# order) -> 0.875. No set down by more than 2 answers against assign's order (dev_ramble -1);
# against the fourteen-set bank and weights, the fourteen older sets 3,036 -> 3,034 right.
WEIGHTS = (3.275, 0.655, 2.883, 1.523, 1.36, -0.676, 0.152)


@dataclass(frozen=True)
class Candidates:
    """The codebook themes each many-theme answer joined, and their features."""

    answers: np.ndarray  # (n,) answer index of each row
    themes: np.ndarray  # (n,) codebook theme index of each row
    features: np.ndarray  # (n, len(FEATURES))


def choices(owners: np.ndarray, hit: np.ndarray, ranking: np.ndarray,
            whole_plain: np.ndarray, whole_ranked: np.ndarray,
            settled: Collection[int] = ()) -> Candidates:
    """Rows for every (answer, theme) where the answer joined two or more codebook themes,
    but for the answers `settled` (those with a focus: "…, but really it came down to one
    coordinator on a two-day contract", whose ranking the focus decides).

    `owners` is each point's answer; `hit` which themes each point joins; `ranking` each
    point's ranking score; `whole_plain` / `whole_ranked` each point's whole answer's
    score by the codebook's texts / with the bank's vote (its own for a one-point answer).
    """
    empty = Candidates(np.zeros(0, int), np.zeros(0, int), np.zeros((0, len(FEATURES))))
    if not len(owners):
        return empty
    # Points come answer by answer (features.segment): each answer's are one run of rows.
    first = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    last = np.r_[first[1:], len(owners)] - 1
    run = np.repeat(np.arange(len(first)), last - first + 1)
    best = np.maximum.reduceat(np.where(hit, ranking, -np.inf), first)
    held = np.add.reduceat(hit.astype(float), first)
    joined = held > 0
    many = np.flatnonzero(joined.sum(axis=1) >= 2)  # runs, one an answer
    many = many[~np.isin(owners[first[many]], list(settled))]
    if not len(many):
        return empty
    # Each point's place in its answer, 0 for the first to 1 for the last.
    place = (np.arange(len(owners)) - first[run]) / np.maximum(1, last - first)[run]
    earliest = np.minimum.reduceat(np.where(hit, place[:, None], np.inf), first)
    plain = whole_plain[first[many]].astype(float)
    ranked = whole_ranked[first[many]].astype(float)
    vote = ranked - plain
    rows, themes = np.nonzero(joined[many])
    answers = many[rows]  # runs, until the end
    own_best = np.where(joined[many], best[many], -np.inf).max(axis=1)
    own_held = held[many].max(axis=1)

    def margin(m: np.ndarray) -> np.ndarray:
        return m[rows, themes] - m.max(axis=1)[rows]

    features = np.column_stack([
        best[answers, themes] - own_best[rows],
        held[answers, themes] - own_held[rows],
        margin(ranked),
        margin(plain),
        margin(vote),
        earliest[answers, themes],
        hit[last[answers], themes].astype(float),
    ])
    return Candidates(owners[first[answers]], themes, features)


def main_themes(found: Candidates, weights: tuple[float, ...] | None = None) -> dict[int, int]:
    """The answers in `found` whose main theme the weights (WEIGHTS if none) change, and
    to which theme: the one they score best (ties to the first in the codebook's order),
    where it scores more than LEAD above the theme `assign` would put first."""
    if not len(found.answers):
        return {}
    learned = found.features @ np.asarray(WEIGHTS if weights is None else weights, dtype=float)
    plain = found.features @ np.asarray(ASSIGN_WEIGHTS, dtype=float)
    # Rows come answer by answer, each answer's in the codebook's order.
    starts = np.flatnonzero(np.r_[True, found.answers[1:] != found.answers[:-1]])
    owner = np.cumsum(np.isin(np.arange(len(found.answers)), starts)) - 1

    def first_best(utility: np.ndarray) -> np.ndarray:
        top = np.maximum.reduceat(utility, starts)
        rows = np.where(utility == top[owner], np.arange(len(utility)), len(utility))
        return np.minimum.reduceat(rows, starts)

    mine, theirs = first_best(learned), first_best(plain)
    change = (mine != theirs) & (learned[mine] - learned[theirs] > LEAD)
    return dict(zip(found.answers[starts[change]].tolist(),
                    found.themes[mine[change]].tolist(), strict=True))


__all__ = ["ASSIGN_WEIGHTS", "FEATURES", "WEIGHTS", "Candidates", "choices", "main_themes"]
