"""What theming makes of one question: its themes, the groups they are built from, and
which themes each answer touches, main first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .features import Point

MIN_CLUSTER = 2  # a new theme needs points from at least this many answers
# A minute's bullets or a long answer make several points; the codebook theme that more of
# them fall under is more likely its main theme than the one its single best point scores
# highest on. Each further point in a theme adds this to the answer's score for it. On the
# dev sets (0.07 to 0.15 alike): dev_minutes 0.783 -> 0.828, label + description 0.678 ->
# 0.689; dev_voices label + description 0.844 -> 0.861; the others the same or +0.003.
AGREE = 0.1
OTHER_ID = "other-points"
OTHER_LABEL = "Other points"


@dataclass(frozen=True)
class Theme:
    """A theme of one question: its label, how many answers touch it, points and quotes.

    `points` are short phrases partners used in this theme's answers, most typical first;
    `description` is the codebook's (for matching only, never printed as what partners said).
    """

    id: str
    label: str
    description: str
    count: int
    quotes: tuple[str, ...]
    answer_indexes: tuple[int, ...]
    from_codebook: bool
    points: tuple[str, ...] = ()


@dataclass
class ThemedQuestion:
    """The themes of one question and which themes each answer touches (main first)."""

    themes: list[Theme]
    assignments: list[list[str]]
    unthemed: int
    non_answers: int
    points: int = 0
    theme_by_id: dict[str, Theme] = field(default_factory=dict, repr=False)
    # Set when a fallback encoder made the vectors (the default model would not load).
    model_note: str = ""

    def __post_init__(self) -> None:
        self.theme_by_id = {t.id: t for t in self.themes}


@dataclass
class Group:
    """A theme being built: codebook label or none yet, its points and their scores."""

    label: str
    description: str
    from_codebook: bool
    idx: np.ndarray
    scores: np.ndarray  # a codebook score, or similarity to the cluster's centre less 1
    points: tuple[str, ...] = ()


def slug(label: str, taken: set[str]) -> str:
    """A short id from a label, unique among `taken` (which it joins)."""
    base = "-".join(re.findall(r"[a-z0-9]+", label.lower()))[:40].strip("-") or "theme"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def assign(groups: list[Group], points: list[Point], n_answers: int) -> list[list[int]]:
    """The groups each answer touches, best first: by its best point's score, and for a
    codebook theme `AGREE` more for each further point of the answer it holds."""
    best: list[dict[int, float]] = [{} for _ in range(n_answers)]
    for g, group in enumerate(groups):
        held: dict[int, int] = {}
        for i, score in zip(group.idx, group.scores, strict=True):
            answer = points[int(i)].answer
            got = best[answer]
            got[g] = max(got.get(g, -9.0), float(score))
            held[answer] = held.get(answer, 0) + 1
        if group.from_codebook:
            for answer, n in held.items():
                best[answer][g] += AGREE * (n - 1)
    return [[g for g, _ in sorted(got.items(), key=lambda kv: (-kv[1], kv[0]))] for got in best]


__all__ = ["AGREE", "MIN_CLUSTER", "OTHER_ID", "OTHER_LABEL", "Group", "Theme", "ThemedQuestion",
           "assign", "slug"]
