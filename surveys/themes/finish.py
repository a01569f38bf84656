"""The final themes of one question: which groups are kept, each answer's themes, counts,
and the quotes a reader would see are about each theme."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .about import about
from .embed import Embedder
from .features import Point
from .headings import denies, gave_little, names_a_gain
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


def finish(groups: list[Group], points: list[Point], answers: Sequence[str],
            non_answers: int, model_note: str, vecs: np.ndarray | None = None,
            embedder: Embedder | None = None,
            guessed: frozenset[int] = frozenset()) -> ThemedQuestion:
    """Ids, assignments (main first; "Other points" only for answers with nothing else),
    counts and quotes of the final themes. With the points' vectors and the embedder, a
    theme quotes only its answers that are about it (`about.about`); without, any of them.

    No theme is listed with a count and neither a point nor a quote: a reader would see a
    heading nobody can be shown to have said ("Lack of clarity (raised by 2)", "Means of
    communication (raised by 4)" over answers about a track record and local knowledge).
    Such a theme is left out and its answers are counted under their next theme, or
    under "Other points" when they have none, and the themes are worked out again.

    An answer is not quoted under a theme, nor a point listed from it, when each of its
    points there is `guessed` (fallen back to it on a thin margin, engine.FALL_BACK_MARGIN):
    it is counted there, but shown as what partners said of it, it would read as made up.
    """
    groups = list(groups)
    ids = _ids(groups)
    _set_aside_denied_gains(groups, ids, points, answers)
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
    while True:
        themed, empty = _settle(groups, ids, points, answers, ranked, kept, vecs, embedder,
                                guessed)
        if not empty:
            break
        kept -= empty
        homeless = [a for a, gs in enumerate(ranked) if gs and not any(g in kept for g in gs)]
        if homeless:
            other = _other_points(groups, ids)
            kept.add(other)
            held = {points[int(i)].answer for i in groups[other].idx}
            extra = [k for k, p in enumerate(points) if p.answer in set(homeless) - held]
            groups[other].idx = np.concatenate([groups[other].idx, np.array(extra, dtype=int)])
            groups[other].scores = np.concatenate([groups[other].scores,
                                                   np.full(len(extra), -2.0)])
            ranked = assign(groups, points, len(answers))
    themes, assignments, unthemed = themed
    return ThemedQuestion(themes, assignments, unthemed, non_answers, len(points),
                          model_note=model_note)


def _set_aside_denied_gains(groups: list[Group], ids: list[str], points: list[Point],
                            answers: Sequence[str]) -> None:
    """Take out of each codebook theme that names a gain ("Greater awareness &
    understanding") the points that deny or say something seldom happens, of answers
    that open by saying the partnership gave them little: "Very little for the college.
    We attend, we listen, but the agenda rarely touches education…" was counted and
    quoted as a gain in awareness, by its reason. Such an answer is counted and quoted
    under its other themes, or under "Other points" if it has none. (A point of such an
    answer that says what it did gain stays: "not much tbh. maybe being questioned by
    other partners, that kept us honest".)"""
    grudging = {a for a, text in enumerate(answers) if gave_little(text)}
    if not grudging:
        return
    before = {points[int(i)].answer for g in groups for i in g.idx}
    for group in groups:
        if not (group.from_codebook and names_a_gain(group.label)):
            continue
        keep = np.array([not (points[int(i)].answer in grudging and denies(points[int(i)].text))
                         for i in group.idx], dtype=bool)
        group.idx, group.scores = group.idx[keep], group.scores[keep]
    after = {points[int(i)].answer for g in groups for i in g.idx}
    homeless = before - after
    if homeless:
        other = _other_points(groups, ids)
        extra = [k for k, p in enumerate(points) if p.answer in homeless]
        groups[other].idx = np.concatenate([groups[other].idx, np.array(extra, dtype=int)])
        groups[other].scores = np.concatenate([groups[other].scores,
                                               np.full(len(extra), -2.0)])


def _ids(groups: list[Group]) -> list[str]:
    taken: set[str] = set()
    return [OTHER_ID if g.label == OTHER_LABEL and not g.from_codebook else slug(g.label, taken)
            for g in groups]


def _other_points(groups: list[Group], ids: list[str]) -> int:
    """The index of the "Other points" group, added (empty) if there is none."""
    if OTHER_ID in ids:
        return ids.index(OTHER_ID)
    groups.append(Group(OTHER_LABEL, "", False, np.zeros(0, dtype=int), np.zeros(0)))
    ids.append(OTHER_ID)
    return len(groups) - 1


def _settle(groups: list[Group], ids: list[str], points: list[Point], answers: Sequence[str],
            ranked: list[list[int]], kept: set[int], vecs: np.ndarray | None,
            embedder: Embedder | None, guessed: frozenset[int] = frozenset(),
            ) -> tuple[tuple[list[Theme], list[list[str]], int], set[int]]:
    """The themes the `kept` groups make (sorted), each answer's theme ids and how many
    are only in "Other points"; and the groups listed with neither a point nor a quote."""
    ranked = [[g for g in gs if g in kept] for gs in ranked]
    assignments: list[list[str]] = []
    for gs in ranked:
        real = [g for g in gs if ids[g] != OTHER_ID]
        assignments.append([ids[g] for g in (real or gs)])
    themes: list[tuple[int, Theme]] = []
    unthemed = 0
    mains = [gs[0] if gs else -1 for gs in ranked]
    plainly = about(groups, points, answers, mains, vecs, embedder) \
        if vecs is not None and embedder is not None else None
    empty: set[int] = set()
    in_doubt: dict[int, tuple[str, ...]] = {}
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
        sure: set[int] = set()  # answers with a point here that is not a guess
        for k in group.idx:
            own_points.setdefault(points[int(k)].answer, []).append(points[int(k)].text)
            if int(k) not in guessed:
                sure.add(points[int(k)].answer)
        candidates: list[tuple[float, int, str]] = []
        unplain: list[tuple[float, int, str]] = []  # its sure main answers not plainly about it
        for i, score in zip(group.idx, group.scores, strict=True):
            answer = points[int(i)].answer
            if assignments[answer][:1] != [tid] or answer not in sure:
                continue  # quoted under its own main theme; or a guess (`finish`)
            own = own_points[answer]
            if tid == OTHER_ID:
                candidates.append((-float(answer), answer, quote_of(answers[answer], own)))
                continue
            # Only answers plainly about the theme, the best fit first: typical of the
            # theme and close to what it is. A theme none of whose answers is plainly
            # about it quotes none: no quote reads better than a wrong one.
            fit = plainly[g].get(answer) if plainly is not None else 0.0
            if fit is None:
                unplain.append((float(score), answer, quote_of(answers[answer], own)))
                continue
            bonus = min(max(fit, 0.0), 1.0)
            candidates.append((float(score) + bonus, answer, quote_of(answers[answer], own)))
        quotes = pick(candidates, min(MAX_QUOTES, len(touching)))
        main = [a for a in touching if mains[a] == g and a in sure]
        said = (points_said(group.points, main, answers)
                or points_said(group.spare, main, answers)[:1]
                or points_said(group.clause, main, answers)[:1]) if quotes else tuple(
                    # Quoting nobody, it lists what its answers said there, not by a guess:
                    # the SCS question's "Accountability (raised by 3)", whose one main
                    # answer fell to it on a thin margin, listed "Reaches beyond the usual
                    # suspects" of that answer's "Consultation that reaches beyond…".
                    p for p in group.points
                    if any(occurs_in(p, answers[a]) for a in touching if a in sure))
        if not quotes and not said and tid != OTHER_ID:
            empty.add(g)
        themes.append((g, Theme(tid, group.label, group.description, len(touching), quotes,
                                touching, group.from_codebook, said)))
        if unplain and not quotes:
            in_doubt[g] = pick(unplain, min(MAX_QUOTES, len(touching)))
    # A theme that quotes nobody (a second idea, no answer's main theme; or one none of
    # whose main answers is plainly about it) shows no partner's words that a quote under
    # another theme shows: the demo's barriers listed "Lack of 'buy in': Everyone brings
    # their own figures (raised by 4)", quoting nobody, from an answer quoted under
    # "Communication". (A theme some answers' main theme that quotes them keeps its points:
    # they are drawn from those answers, `points_said`.)
    # Unless the point names the theme, when it is some answers' main theme: "Resources:
    # Resources are going to fall (raised by 9)", the words of an answer quoted under
    # "Coordination", are what partners said of resources.
    somebodys = set(mains)
    for n, (g, theme) in enumerate(themes):
        if theme.quotes or theme.id == OTHER_ID:
            continue
        named = content_stems(theme.label) if g in somebodys else set()
        shown = tuple(p for p in theme.points if named & content_stems(p)) + shown_once(
            [p for p in theme.points if not named & content_stems(p)],
            [q for h, t in themes if h != g for q in t.quotes])
        shown = tuple(p for p in theme.points if p in shown)  # in their order
        if shown != theme.points:
            # Left with nothing to show, a theme that is some answers' main theme (not by
            # a guess) quotes them, though none is plainly about it: left out, its answers
            # would be counted and quoted under their next theme ("The partners who benefit
            # from the LSP are keen; the ones who don't, don't turn up" under "Lack of
            # clarity"), further from what they said.
            quoted = () if shown else in_doubt.get(g, ())
            themes[n] = (g, replace(theme, points=shown, quotes=quoted))
            if not shown and not quoted:
                empty.add(g)
    themes.sort(key=lambda gt: (gt[1].id == OTHER_ID, -gt[1].count, not gt[1].from_codebook,
                                gt[0]))
    return ([t for _, t in themes], assignments, unthemed), empty


def shown_once(points: Sequence[str], quoted_elsewhere: Sequence[str]) -> tuple[str, ...]:
    """A theme's points but those a quote under another theme holds: a partner's words
    are shown under one theme. The demo's barriers listed "Lack of 'buy in': Everyone brings
    their own figures (raised by 4)", quoting nobody, from "Intelligence. We don't have a
    shared picture of need; everyone brings their own figures." quoted under
    "Communication"; consultation "Public meetings: PACT meetings in our sector" from an
    answer quoted under "Awareness / understanding". A theme left with neither a point
    nor a quote is not listed (`_settle`)."""
    return tuple(p for p in points if not any(occurs_in(p, q) for q in quoted_elsewhere))


def points_said(points: Sequence[str], main: Sequence[int], answers: Sequence[str],
                ) -> tuple[str, ...]:
    """A quoted theme's points that one of the answers it is the main theme of said, when
    it is some answer's main theme; all of them when it is none's (a second idea partners
    raised, quoted under their main themes). A point of an answer quoted under another
    theme read as said about this one, next to quotes that are not about it: the demo's
    SCS question listed "'Buy in': Rural areas need their own voice; Market towns" from
    answers quoted under "Balance"; consultation "'Buy in' & coordination: PACT meetings"
    from one quoted under "Awareness / understanding". Which theme is an answer's main one
    is settled only here, after the points were chosen (new themes named, loose points
    given to codebook themes). A theme that quotes nobody keeps every point (`_settle`):
    what partners said of it is all a reader is shown ("Resources: Resources are going to
    fall", raised by 9 as a second idea), and without it the theme and its count would go."""
    if not main:
        return tuple(points)
    return tuple(p for p in points if any(occurs_in(p, answers[a]) for a in main))


__all__ = ["finish", "points_said", "second_ideas", "shown_once"]
