"""Which of a theme's answers a reader would see are about it: the ones it may quote and
draw its points from.

The encoder puts right and wrong quotes in the same range of closeness to a short label
("It gives small orgs like ours access to decision makers…" is as close to "Information
sharing" as "Info sharing - good practice from other areas…"), so a label alone cannot
tell them apart. An answer is judged against everything that says what each theme of the
question is: its label, what a codebook says it covers and its examples (used here for
matching only, never printed), and the theme's other answers. It is about its main theme
when that theme is the one it fits best, or nearly, and it fits it well enough; else the
theme does not quote it, and takes no point from it. A theme none of whose answers is
plainly about it shows no quote rather than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache

import numpy as np

from .codebook import CodebookTheme
from .embed import Embedder
from .features import Point, unit
from .language import in_language
from .matching import aspects
from .phrases import flat, is_edge
from .references import reference_vectors
from .themed import OTHER_LABEL, Group

# How a point fits a theme: its closeness to the nearest text that says what the theme is,
# three parts, and to the centre of the theme's other answers, one part; an answer fits by
# the points that put it under its main theme. On the demo's framework review (five
# questions, 114 answers quoted before) the centre at half let a theme's loose answers
# pull others in ("The scrutiny role has helped…" lost to "Communication & reporting").
NEAREST_SHARE = 0.75
# It is about its main theme when no other theme of the question fits it better by more
# than this, and it fits its own at least this well.
ABOUT_MARGIN = 0.0
ABOUT_MIN = 0.3
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")  # "two-tier" is two English words


def references(group: Group, examples: Sequence[str] = ()) -> list[str]:
    """The texts that say what a theme is: a codebook theme's label, the aspects its
    description lists and its examples; a new theme's label and points."""
    if group.label == OTHER_LABEL and not group.from_codebook:
        return []
    if group.from_codebook:
        # An aspect that carries on the label's phrase ("…understanding of working
        # together in partnership, of people in the area, of the third sector") is read
        # with it: "of the third sector" alone is about any sector.
        return [f"{group.label} {t}" if t.split() and is_edge(t.split()[0]) else t
                for t in aspects(CodebookTheme(group.label, group.description,
                                               tuple(examples)))]
    return [t for t in (group.label, *group.points) if t]


@lru_cache(maxsize=1 << 15)  # more than one question's points at 10,000 answers
def _english(text: str) -> bool:
    """Whether a point's words read as English (`language.in_language`)."""
    return in_language(_WORDS.findall(text))


def main_points(groups: Sequence[Group], points: Sequence[Point],
                mains: Sequence[int]) -> list[dict[int, list[int]]]:
    """For each group, the points it holds of each answer whose main theme it is."""
    out: list[dict[int, list[int]]] = [{} for _ in groups]
    for g, group in enumerate(groups):
        for i in group.idx:
            answer = points[int(i)].answer
            if mains[answer] == g:
                out[g].setdefault(answer, []).append(int(i))
    return out


def about(groups: Sequence[Group], points: Sequence[Point], answers: Sequence[str],
          mains: Sequence[int], vecs: np.ndarray, embedder: Embedder,
          judged: Sequence[Collection[int] | None] | None = None) -> list[dict[int, float]]:
    """For each group, the answers with points in it that are about it, each with how well
    it fits (best first when quoting): the group is the one those points fit best, and
    they fit it at least ABOUT_MIN. `mains[a]` is answer a's main group, or -1: a group's
    centre is made of its main answers' points. Groups without a label yet (clusters
    still to be named) are left out, as quoters and as rivals. `judged[g]`, when given
    and not None, holds the only answers of group g to judge (those its points are drawn
    from): the rest are left out of its dict, and judging each answer is the cost here."""
    refs = [references(g, g.examples) for g in groups]
    out: list[dict[int, float]] = [{} for _ in groups]
    live = [g for g, r in enumerate(refs) if r]
    if not live:
        return out
    texts = [t for g in live for t in refs[g]]
    owner = np.repeat(np.arange(len(live)), [len(refs[g]) for g in live])
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    ends = np.r_[starts[1:], len(texts)]
    found = reference_vectors(texts, embedder)
    # A phrase a new theme was named from says nothing about which theme an answer that
    # used it fits: it is the answer's own words.
    drawn = [(k, flat(t)) for k, t in enumerate(texts)
             if not groups[live[owner[k]]].from_codebook]
    held = main_points(groups, points, mains)
    sums = np.stack([vecs[[i for idx in held[g].values() for i in idx]].sum(axis=0)
                     if held[g] else np.zeros(vecs.shape[1], dtype=vecs.dtype) for g in live])
    centres = unit(sums)
    alone = np.array([not held[g] for g in live])  # nobody's main theme: nearest text only
    any_alone = bool(alone.any())
    # The points that put it under its theme are read; when none of them is in English
    # (a Welsh sentence won the theme), the answer's English points are. Asked only of
    # the points of answers judged, each text once (`_english`): asking it of every point
    # at every call was a fifth of theming 10,000 answers.
    of_answer: dict[int, list[int]] = {}
    for i, p in enumerate(points):
        of_answer.setdefault(p.answer, []).append(i)
    for n, g in enumerate(live):
        own_refs = set(range(starts[n], ends[n]))
        inside: dict[int, list[int]] = {}
        wanted = judged[g] if judged is not None else None
        for i in groups[g].idx:
            if wanted is None or points[int(i)].answer in wanted:
                inside.setdefault(points[int(i)].answer, []).append(int(i))
        for answer, own in inside.items():
            said = [i for i in own if _english(points[i].text)] \
                or [i for i in of_answer[answer] if _english(points[i].text)] or own
            mine = vecs[said]
            near = mine @ found.T
            if drawn:
                said_flat = flat(answers[answer])
                gone = [k for k, t in drawn if t in said_flat]
                # Unless they are all its own theme has: then the theme is what this
                # answer said (two partners gave it word for word: "Healthy towns bid"),
                # and it is judged by them rather than by nothing.
                if gone and own_refs <= set(gone):
                    gone = [k for k in gone if k not in own_refs]
                if gone:
                    near[:, gone] = -1.0
            nearest = np.maximum.reduceat(near, starts, axis=1)  # points x themes
            to_centre = mine @ centres.T
            if answer in held[g]:  # the theme's other answers: its centre without this one
                rest = sums[n] - vecs[held[g][answer]].sum(axis=0)
                norm = float(np.sqrt(rest.dot(rest)))  # np.linalg.norm's sum, not its checks
                to_centre[:, n] = mine @ (rest / norm) if norm > 1e-6 else nearest[:, n]
            fits = NEAREST_SHARE * nearest + (1 - NEAREST_SHARE) * to_centre
            if any_alone:
                fits[:, alone] = nearest[:, alone]
            best = fits.max(axis=0)
            fit = float(best[n])
            if fit >= ABOUT_MIN and fit >= float(best.max()) - ABOUT_MARGIN:
                out[g][answer] = fit
    return out


__all__ = ["ABOUT_MARGIN", "ABOUT_MIN", "about", "main_points", "references"]
