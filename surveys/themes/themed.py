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
# The same holds between new themes (an off-topic opening, "I remember when we had a county
# council that knew what it was doing. Anyway. Every year it's a new initiative…", is not
# what the answer is about). No codebook, eight dev sets, three seeds each: ARI 0.329 ->
# 0.335, no set worse (dev_voices 0.552 -> 0.578, dev_minutes 0.260 -> 0.269); questions
# cut to 60 answers 0.261 -> 0.264.
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
    examples: tuple[str, ...] = ()  # a codebook's, for telling which answers are about it
    spare: tuple[str, ...] = ()  # listed if it has no point and quotes answers (finish.py)
    clause: tuple[str, ...] = ()  # listed if it has neither (represent._clause)
    # Answers this codebook theme is the main theme of, whatever their points score
    # (`choice.main_themes`: the whole answer's scores weighed with its points').
    main_of: frozenset[int] = frozenset()


def slug(label: str, taken: set[str]) -> str:
    """A short id from a label, unique among `taken` (which it joins)."""
    base = "-".join(re.findall(r"[a-z0-9]+", label.lower()))[:40].strip("-") or "theme"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def assign(groups: list[Group], points: list[Point], n_answers: int) -> list[list[int]]:
    """The groups each answer touches, best first: by its best point's score, and `AGREE`
    more for each further point of the answer a group holds; that never lifts a new theme
    past a codebook theme it scored below (new themes are what the codebook left over).
    A group an answer is in `main_of` comes first for it."""
    best: list[dict[int, float]] = [{} for _ in range(n_answers)]
    held: list[dict[int, int]] = [{} for _ in range(n_answers)]
    for g, group in enumerate(groups):
        for i, score in zip(group.idx, group.scores, strict=True):
            answer = points[int(i)].answer
            got = best[answer]
            got[g] = max(got.get(g, -9.0), float(score))
            held[answer][g] = held[answer].get(g, 0) + 1
    for answer, got in enumerate(best):
        # A new theme's bonus never lifts it past a codebook theme it scored below: new
        # themes are what the codebook did not cover, so a codebook match comes first.
        above = {g: s for g, s in got.items() if groups[g].from_codebook}
        for g, n in held[answer].items():
            raised = got[g] + AGREE * (n - 1)
            if not groups[g].from_codebook:
                passed = [s for s in above.values() if s > got[g]]
                if passed:
                    raised = min(raised, min(passed) - 1e-6)
            got[g] = raised
    return [[g for g, _ in sorted(got.items(), key=lambda kv: (
        answer not in groups[kv[0]].main_of, -kv[1], kv[0]))] for answer, got in enumerate(best)]


__all__ = ["AGREE", "MIN_CLUSTER", "OTHER_ID", "OTHER_LABEL", "Group", "Theme", "ThemedQuestion",
           "assign", "slug"]
