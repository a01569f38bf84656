"""The final themes of one question: which groups are kept, each answer's themes, counts,
and the quotes a reader would see are about each theme."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .embed import Embedder
from .features import Point
from .phrases import content_stems, occurs_in
from .quotes import MAX_QUOTES, pick, quote_of
from .themed import (
    MIN_CLUSTER,
    OTHER_ID,
    OTHER_LABEL,
    Group,
    Theme,
    ThemedQuestion,
    assign,
    slug,
)

ADOPTED_BELOW = -1.5  # adopted points score 0.5 * similarity - 2, members above -1
# A theme quotes an answer only if a reader would see it is about the theme: it holds one
# of the theme's points or a word of its label, or it is this close to the label and no
# other label of the question is closer by more than QUOTE_MARGIN. On the demo's framework
# review, "Challenge" had quoted "Credibility when we go to government…" (0.03 from its
# label) and "Communication" "Intelligence. We don't have a shared picture of need…"
# (0.26, but 0.39 from "Lack of resources"); "No feedback…" (0.26, 0.03 behind) stays.
QUOTE_ABOUT = 0.2
QUOTE_MARGIN = 0.1


def second_ideas(groups: list[Group], points: list[Point],
                  ranked: list[list[int]]) -> set[int]:
    """Groups that at least MIN_CLUSTER answers raise as a second idea: by a point of
    theirs that is not also in the group of their main theme."""
    main_points: set[int] = set()
    for g, group in enumerate(groups):
        main_points |= {int(i) for i in group.idx if ranked[points[int(i)].answer][:1] == [g]}
    out = set()
    for g, group in enumerate(groups):
        raised = {points[int(i)].answer for i in group.idx
                  if int(i) not in main_points and ranked[points[int(i)].answer][:1] != [g]}
        if len(raised) >= MIN_CLUSTER:
            out.add(g)
    return out


def quotable(groups: list[Group], points: list[Point], answers: Sequence[str],
              vecs: np.ndarray, embedder: Embedder) -> list[dict[int, float]]:
    """For each group, the answers a reader would see are about it (see QUOTE_ABOUT), each
    with how well it fits: its best point's closeness to the label or a point."""
    named = [g for g, group in enumerate(groups) if group.label != OTHER_LABEL]
    out: list[dict[int, float]] = [{} for _ in groups]
    if not named:
        return out
    texts = list(dict.fromkeys([groups[g].label for g in named]
                               + [p for g in named for p in groups[g].points]))
    row = {t: k for k, t in enumerate(texts)}
    found = embedder.embed(texts)
    labels = found[[row[groups[g].label] for g in named]]
    # Every point of an answer counts when asking which label it is closest to: an answer
    # whose main theme is won by two of its points ("…credibility with the public…") may
    # be much closer to another label by a third.
    everything: dict[int, list[int]] = {}
    for i, p in enumerate(points):
        everything.setdefault(p.answer, []).append(i)
    for n, g in enumerate(named):
        group = groups[g]
        own = content_stems(group.label)
        said = found[[row[p] for p in group.points]] if group.points else None
        by_answer: dict[int, list[int]] = {}
        for i in group.idx:
            by_answer.setdefault(points[int(i)].answer, []).append(int(i))
        for answer, idx in by_answer.items():
            near = (vecs[everything[answer]] @ labels.T).max(axis=0)  # to every label
            fit = float(near[n])
            if said is not None:
                fit = max(fit, float((vecs[idx] @ said.T).max()))
            text = answers[answer]
            if own & content_stems(text) or any(occurs_in(p, text) for p in group.points) \
                    or (near[n] >= QUOTE_ABOUT and near.max() - near[n] <= QUOTE_MARGIN):
                out[g][answer] = fit
    return out


def finish(groups: list[Group], points: list[Point], answers: Sequence[str],
            non_answers: int, model_note: str, vecs: np.ndarray | None = None,
            embedder: Embedder | None = None) -> ThemedQuestion:
    """Ids, assignments (main first; "Other points" only for answers with nothing else),
    counts and quotes of the final themes. With the points' vectors and the embedder, a
    theme quotes only answers about it (`quotable`); without, any of its own answers."""
    taken: set[str] = set()
    ids = [OTHER_ID if g.label == OTHER_LABEL and not g.from_codebook else slug(g.label, taken)
           for g in groups]
    ranked = assign(groups, points, len(answers))
    # A theme that is no answer's main theme is left out: its answers are counted and
    # quoted under the themes they are mainly about, and a theme with a count but not one
    # quote of its own ("Little for the college", raised by 7) would read as made up.
    # Unless it is a second idea partners raised apart from their main one (a point of
    # theirs in it and not in their main theme): then it is listed, counted and has its
    # points, and quotes nobody, since each answer is quoted under its main theme.
    kept = {gs[0] for gs in ranked if gs}
    kept |= {g for g in second_ideas(groups, points, ranked)
             if groups[g].label != OTHER_LABEL}
    ranked = [[g for g in gs if g in kept] for gs in ranked]
    assignments: list[list[str]] = []
    for gs in ranked:
        real = [g for g in gs if ids[g] != OTHER_ID]
        assignments.append([ids[g] for g in (real or gs)])
    themes: list[tuple[int, Theme]] = []
    unthemed = 0
    about = quotable(groups, points, answers, vecs, embedder) \
        if vecs is not None and embedder is not None else None
    for g, group in enumerate(groups):
        tid = ids[g]
        touching = tuple(sorted({a for a, got in enumerate(assignments) if tid in got}))
        if not touching:
            continue
        if tid == OTHER_ID:
            unthemed = sum(1 for i in group.idx if assignments[points[int(i)].answer] == [tid])
        # Each answer's points in this theme, gathered once: looking them up afresh for
        # every point took 9 of the 50 seconds of theming 10,000 answers.
        own_points: dict[int, list[str]] = {}
        for k in group.idx:
            own_points.setdefault(points[int(k)].answer, []).append(points[int(k)].text)
        candidates: list[tuple[float, int, str]] = []
        unlike: list[tuple[float, int, str]] = []
        for i, score in zip(group.idx, group.scores, strict=True):
            answer = points[int(i)].answer
            if assignments[answer][:1] != [tid]:
                continue  # quoted under its own main theme
            own = own_points[answer]
            if tid == OTHER_ID:
                candidates.append((-float(answer), answer, quote_of(answers[answer], own)))
                continue
            # The best fit first: typical of the theme and close to its label or a point;
            # an answer adopted from "Other points" (scored below -1.5) still comes last.
            fit = about[g].get(answer) if about is not None else 0.0
            found = candidates if fit is not None else unlike
            bonus = min(max(fit or 0.0, 0.0), 1.0) if score > ADOPTED_BELOW else 0.0
            found.append((float(score) + bonus, answer, quote_of(answers[answer], own)))
        # A theme shown with a count and not one quote would read as made up: when none of
        # its answers is plainly about it (a codebook's label in other words than the
        # answers': "Lack of 'buy in'" for "agencies working in silos"), it quotes its most
        # typical one, and only that one.
        quotes = pick(candidates, min(MAX_QUOTES, len(touching))) or pick(unlike, 1)
        themes.append((g, Theme(tid, group.label, group.description, len(touching), quotes,
                                touching, group.from_codebook, group.points)))
    themes.sort(key=lambda gt: (gt[1].id == OTHER_ID, -gt[1].count, not gt[1].from_codebook,
                                gt[0]))
    return ThemedQuestion([t for _, t in themes], assignments, unthemed, non_answers,
                          len(points), model_note=model_note)


__all__ = ["finish", "quotable", "second_ideas"]
