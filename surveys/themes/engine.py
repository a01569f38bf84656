"""Theme one question's answers: codebook first (deductive), then clusters (inductive).

Each answer is split into its points. A point close enough to a codebook theme joins it;
the rest are clustered, clusters that share their answers or their meaning are merged,
and each is named by a phrase partners used (`represent`). A cluster no phrase can name,
or one raised by a single partner, goes to "Other points". Every theme lists points drawn
from its own answers and quotes the answers whose main theme it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .codebook import CodebookTheme
from .embed import Embedder, answer_text, default_embedder, embedder_dim
from .features import (
    PARTNERS,
    ClusterFeatures,
    Point,
    cluster_points,
    context_vectors,
    point_vectors,
    segment,
    stored_vectors,
    unit,
)
from .matching import aspects, codebook_scores, has_rich_examples
from .memory import big_blocks_mapped
from .phrases import content_stems, occurs_in, restates
from .quotes import MAX_QUOTES, pick, quote_of
from .represent import SAMPLE_POINTS, Draft, describe
from .segment import is_non_answer
from .spectral import one_blas_thread
from .stance import denied_points, without_denials

# A point below this against every codebook theme is left to clustering. Each shipped
# embedder has its own `match_min`, the 5th percentile of the best scores of answers a
# coder put in a codebook theme (bench/match_threshold.py), and may have a
# `match_min_sparse` for codebooks of labels and descriptions with few examples, found
# the same way; this is for any other.
MATCH_MIN = 0.24
MATCH_MARGIN = 0.04  # other themes within this of the best also get the point
MIN_CLUSTER = 2  # a new theme needs points from at least this many answers
# Two new themes merge when most of the smaller one's answers are also the larger one's
# (one answer's fragments: "Jargon. NIs, LAA, SCS"), beyond what chance would share, or
# when their centres are this close.
MERGE_OVERLAP = 0.5
MERGE_SIMILARITY = 0.8
# A point's claim to be its answer's main theme blends its own score with its whole
# answer's: "Well, I suppose... mostly it's the money" is about money, whichever clause
# scores best on its own (on the dev sets: accuracy +0.006 to +0.011 on each, ARI +0.005).
ANSWER_SHARE = 0.5
# A minute's bullets or a long answer make several points; the codebook theme that more of
# them fall under is more likely its main theme than the one its single best point scores
# highest on. Each further point in a theme adds this to the answer's score for it. On the
# dev sets (0.07 to 0.15 alike): dev_minutes 0.783 -> 0.828, label + description 0.678 ->
# 0.689; dev_voices label + description 0.844 -> 0.861; the others the same or +0.003.
AGREE = 0.1
# After naming, a point left in "Other points" joins the new theme it is clearly closest
# to: at least this close to its centre and this much closer than to any other. Its
# answer then counts under that theme, is quoted only after the theme's own answers, and
# gives the theme no label or point (those were chosen before). On the dev sets, no
# codebook: answers in "Other points" 7.3% -> 5.3%, ARI 0.357 -> 0.364; with 0.2 and no
# margin, 0.8% but 0.354 (points joined themes they were only a little nearer).
ADOPT_MIN = 0.4
ADOPT_MARGIN = 0.05
ADOPTED_BELOW = -1.5  # adopted points score 0.5 * similarity - 2, members above -1
# A theme quotes an answer only if a reader would see it is about the theme: it holds one
# of the theme's points or a word of its label, or it is this close to the label and no
# other label of the question is closer by more than QUOTE_MARGIN. On the demo's framework
# review, "Challenge" had quoted "Credibility when we go to government…" (0.03 from its
# label) and "Communication" "Intelligence. We don't have a shared picture of need…"
# (0.26, but 0.39 from "Lack of resources"); "No feedback…" (0.26, 0.03 behind) stays.
QUOTE_ABOUT = 0.2
QUOTE_MARGIN = 0.1
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
class _Group:
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


def merge_clusters(clusters: list[np.ndarray], points: list[Point],
                   vecs: np.ndarray) -> list[np.ndarray]:
    """Clusters with the same answers or the same meaning joined, closest pair first.

    Shared answers count beyond chance: where answers make four or five points each (a
    rambling interview, a pasted submission), any two clusters share many answers, and
    counting them plainly had merged every theme of a question into one (dev_voices).
    """
    clusters = [np.sort(c) for c in clusters]
    everyone = max(1, len({points[int(i)].answer for c in clusters for i in c}))
    while len(clusters) > 1:
        owners = [{points[int(i)].answer for i in c} for c in clusters]
        centres = unit(np.stack([vecs[c].sum(axis=0) for c in clusters]))
        close = centres @ centres.T
        best, pair = -1.0, (0, 0)
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                shared = len(owners[a] & owners[b]) / max(1, min(len(owners[a]), len(owners[b])))
                # By chance the smaller shares as many as the larger holds of everyone.
                chance = max(len(owners[a]), len(owners[b])) / everyone
                shared = (shared - chance) / max(1e-9, 1.0 - chance)
                merit = max(shared - MERGE_OVERLAP, float(close[a, b]) - MERGE_SIMILARITY)
                if merit >= 0 and merit > best:
                    best, pair = merit, (a, b)
        if best < 0:
            break
        a, b = pair
        clusters[a] = np.sort(np.concatenate([clusters[a], clusters[b]]))
        del clusters[b]
    return clusters


def _with_whole_answers(scores: np.ndarray, codebook: Sequence[CodebookTheme],
                        points: list[Point], answers: Sequence[str],
                        whole: np.ndarray | None, embedder: Embedder) -> np.ndarray:
    """Codebook scores of the points of many-point answers blended with their whole
    answer's scores (for ranking an answer's themes, not for whether a point matches)."""
    if whole is None:
        return scores
    owners = np.array([p.answer for p in points])
    rows = np.flatnonzero(np.bincount(owners, minlength=len(answers))[owners] > 1)
    if not len(rows):
        return scores
    blended = scores.copy()
    answer_scores = codebook_scores(codebook, whole[rows], embedder,
                                    [answers[int(owners[i])] for i in rows])
    blended[rows] = (1 - ANSWER_SHARE) * scores[rows] + ANSWER_SHARE * answer_scores
    return blended


def _assign(groups: list[_Group], points: list[Point], n_answers: int) -> list[list[int]]:
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


def _drafts(groups: list[_Group], mains: list[list[int]], points: list[Point],
            vecs: np.ndarray) -> list[Draft]:
    """What `represent.describe` needs of each group: a codebook theme is described by the
    points of the answers whose main theme it is; a cluster by all its points, though its
    points are listed only from the answers it quotes (those whose main theme it is)."""
    out = []
    for g, group in enumerate(groups):
        order = np.argsort(-group.scores, kind="stable")
        idx = group.idx[order]
        quoted = {points[int(i)].answer for i in idx if mains[points[int(i)].answer][:1] == [g]}
        if group.from_codebook and quoted:
            idx = np.array([i for i in idx if points[int(i)].answer in quoted], dtype=int)
        idx = idx[:SAMPLE_POINTS]  # the most typical points are enough to name a theme
        centre = unit(vecs[idx].sum(axis=0, keepdims=True))[0] if len(idx) else vecs[0] * 0
        meaning = tuple(aspects(CodebookTheme(group.label, group.description))[1:]) \
            if group.from_codebook and group.description else ()
        out.append(Draft([points[int(i)].text for i in idx],
                         [points[int(i)].answer for i in idx], centre, group.label,
                         frozenset(quoted), meaning))
    return out


@one_blas_thread()  # the same themes whatever the server's core count (spectral.py)
def theme_answers(
    answers: Sequence[str],
    codebook: Sequence[CodebookTheme] = (),
    n_themes: int | None = None,
    seed: int = 0,
    embedder: Embedder | None = None,
    vectors: object = None,
    question: str = "",
) -> ThemedQuestion:
    """Theme answers to one question (`question`, its prompt, keeps labels from restating it).

    `vectors` are optional stored answer vectors (`answer_vector`), one row per answer
    (a row may be None); rows whose length is not the embedder's are ignored. Pass only
    vectors stored under the embedder's `vector_model`.
    """
    big_blocks_mapped()  # the big matrices below go back to the system when dropped
    embedder = embedder or default_embedder()
    # A codebook theme that only says the question again ("Locally responsive" under
    # "Bottom up objectives, engagement based, locally responsive") is no theme of the
    # answers: they are themed without it. A one-word label ("Resources" under "…the
    # alignment of resources") names a part of the question, and stays.
    codebook = [t for t in codebook if not (restates(t.label, question)
                                            and len(t.label.split()) > 1)]
    match_min = float(getattr(embedder, "match_min", MATCH_MIN))
    if codebook and not has_rich_examples(codebook):
        # Labels and descriptions alone score lower than examples do: the same rule (the
        # 5th percentile of coded answers' best scores) gives a threshold of its own.
        match_min = float(getattr(embedder, "match_min_sparse", match_min))
    points, non_answers = segment(answers)
    model_note = str(getattr(embedder, "fallback_note", "") or "")
    if not points:
        return ThemedQuestion([], [[] for _ in answers], 0, non_answers, 0,
                              model_note=model_note)
    given = stored_vectors(vectors, len(answers), embedder_dim(embedder)) \
        if vectors is not None else {}
    vecs = point_vectors(points, answers, embedder, given)
    groups: list[_Group] = []
    left = np.arange(len(points))
    # Each point's whole answer (its own vector when the answer makes one point), or None
    # when every answer is one point; stored vectors of many-point answers are these.
    whole = context_vectors(left, points, answers, vecs, embedder, given)
    # A point that names a theme to set it aside ("Money isn't the problem") matches no
    # codebook theme, and its answer's whole-answer score is taken without it (stance.py).
    # On the dev sets: dev_minutes 0.728 -> 0.783, label + description 0.633 -> 0.678; the
    # other sets hold no such point.
    denied = denied_points(points, len(answers)) if codebook else np.zeros(len(points), bool)
    if codebook:
        scores = codebook_scores(codebook, vecs, embedder, [p.text for p in points])
        top = scores.max(axis=1)
        hit = (scores >= match_min) & (scores >= top[:, None] - MATCH_MARGIN)
        hit[denied] = False
        said = answers
        if whole is not None and denied.any():
            said, whole = without_denials(points, answers, denied, whole, embedder)
        ranking = _with_whole_answers(scores, codebook, points, said, whole, embedder)
        for j, theme in enumerate(codebook):
            idx = np.flatnonzero(hit[:, j])
            groups.append(_Group(theme.label, theme.description, True, idx, ranking[idx, j]))
        left = np.flatnonzero((top < match_min) & ~denied)
    # Denials, and points of clusters too small or unnameable: "Other points".
    loose: list[int] = [int(i) for i in np.flatnonzero(denied)]
    if len(left):
        context = whole[left] if whole is not None else None
        features = ClusterFeatures([points[i].text for i in left], vecs[left], context,
                                   embedder.embed(list(PARTNERS)))
        labels = cluster_points(features, n_themes, seed)
        clusters = [left[labels == c] for c in np.unique(labels)]
        if n_themes is None:
            clusters = merge_clusters(clusters, points, vecs)
        for idx in clusters:
            if len({points[int(i)].answer for i in idx}) < MIN_CLUSTER:
                loose += [int(i) for i in idx]
                continue
            centre = unit(vecs[idx].sum(axis=0, keepdims=True))[0]
            sims = vecs[idx] @ centre
            if whole is not None:  # the main theme is what the whole answer is about too
                sims = (1 - ANSWER_SHARE) * sims + ANSWER_SHARE * (whole[idx] @ centre)
            groups.append(_Group("", "", False, idx, sims - 1.0))  # below any codebook match
    mains = _assign(groups, points, len(answers))
    found = describe(_drafts(groups, mains, points, vecs), embedder, question,
                     [len({points[int(i)].answer for i in g.idx}) for g in groups],
                     known={p.text: vecs[i] for i, p in enumerate(points)})
    named: list[_Group] = []
    by_label: dict[str, _Group] = {}
    for group, got in zip(groups, found, strict=True):
        if not len(group.idx):
            continue
        if not got.label:
            loose += [int(i) for i in group.idx]
            continue
        same = by_label.get(got.label.lower())
        if same is not None:  # two clusters a partner would call the same: one theme
            same.idx = np.concatenate([same.idx, group.idx])
            same.scores = np.concatenate([same.scores, group.scores])
            continue
        group.label, group.points = got.label, got.points
        by_label[got.label.lower()] = group
        named.append(group)
    loose = _adopt(loose, named, points, vecs, whole)
    if loose:
        idx = np.array(sorted(loose))
        named.append(_Group(OTHER_LABEL, "", False, idx, np.full(len(idx), -2.0)))
    return _finish(named, points, answers, non_answers, model_note, vecs, embedder)


def _adopt(loose: list[int], named: list[_Group], points: list[Point], vecs: np.ndarray,
           whole: np.ndarray | None) -> list[int]:
    """Points of "Other points" given to the new theme each is clearly closest to (see
    ADOPT_MIN); the rest are returned. A point is read with its whole answer, as it was
    clustered. An adopted point scores below every point the theme was made of, so its
    answer is quoted last and ranks the theme after any other theme of the answer."""
    new = [g for g in named if not g.from_codebook]
    if not loose or not new:
        return loose
    centres = unit(np.stack([vecs[g.idx].sum(axis=0) for g in new]))
    idx = np.array(sorted(loose))
    near = (vecs[idx] if whole is None else unit(vecs[idx] + whole[idx])) @ centres.T
    ranked = np.sort(near, axis=1)
    top = ranked[:, -1]
    runner_up = ranked[:, -2] if len(new) > 1 else np.full(len(idx), -1.0)
    adopted = (top >= ADOPT_MIN) & (top - runner_up >= ADOPT_MARGIN)
    for i, g, sim in zip(idx[adopted], near.argmax(axis=1)[adopted], top[adopted], strict=True):
        group = new[int(g)]
        group.idx = np.append(group.idx, i)
        # Members score their similarity less 1 (about -1 at worst), "Other points" -2.
        group.scores = np.append(group.scores, np.float32(0.5 * sim - 2.0))
    return [int(i) for i in idx[~adopted]]


def _second_ideas(groups: list[_Group], points: list[Point],
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


def _quotable(groups: list[_Group], points: list[Point], answers: Sequence[str],
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


def _finish(groups: list[_Group], points: list[Point], answers: Sequence[str],
            non_answers: int, model_note: str, vecs: np.ndarray | None = None,
            embedder: Embedder | None = None) -> ThemedQuestion:
    """Ids, assignments (main first; "Other points" only for answers with nothing else),
    counts and quotes of the final themes. With the points' vectors and the embedder, a
    theme quotes only answers about it (`_quotable`); without, any of its own answers."""
    taken: set[str] = set()
    ids = [OTHER_ID if g.label == OTHER_LABEL and not g.from_codebook else slug(g.label, taken)
           for g in groups]
    ranked = _assign(groups, points, len(answers))
    # A theme that is no answer's main theme is left out: its answers are counted and
    # quoted under the themes they are mainly about, and a theme with a count but not one
    # quote of its own ("Little for the college", raised by 7) would read as made up.
    # Unless it is a second idea partners raised apart from their main one (a point of
    # theirs in it and not in their main theme): then it is listed, counted and has its
    # points, and quotes nobody, since each answer is quoted under its main theme.
    kept = {gs[0] for gs in ranked if gs}
    kept |= {g for g in _second_ideas(groups, points, ranked)
             if groups[g].label != OTHER_LABEL}
    ranked = [[g for g in gs if g in kept] for gs in ranked]
    assignments: list[list[str]] = []
    for gs in ranked:
        real = [g for g in gs if ids[g] != OTHER_ID]
        assignments.append([ids[g] for g in (real or gs)])
    themes: list[tuple[int, Theme]] = []
    unthemed = 0
    about = _quotable(groups, points, answers, vecs, embedder) \
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


__all__ = ["OTHER_ID", "OTHER_LABEL", "Theme", "ThemedQuestion", "answer_text",
           "is_non_answer", "theme_answers"]
