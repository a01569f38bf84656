"""Theme one question's answers: codebook first (deductive), then clusters (inductive).

Each answer is split into its points. A point close enough to a codebook theme joins it;
the rest are clustered, clusters that share their answers or their meaning are merged,
and each is named by a phrase partners used (`represent`). A cluster no phrase can name,
or one raised by a single partner, goes to "Other points". Every theme lists points drawn
from its own answers and quotes the answers whose main theme it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .about import about
from .choice import choices, main_themes
from .codebook import CodebookTheme
from .embed import Embedder, answer_text, default_embedder, embedder_dim
from .features import (
    PARTNERS,
    ClusterFeatures,
    Point,
    ThemeView,
    cluster_points,
    context_vectors,
    point_vectors,
    segment,
    stored_vectors,
    unit,
)
from .finish import finish
from .matching import (
    MATCH_MIN,
    aspects,
    has_rich_examples,
    match_scores,
    matched,
)
from .memory import big_blocks_mapped
from .naming import named_in_view
from .phrases import candidates, flat, has_governed_list, restates
from .projection import projection_of
from .references import reference_vectors
from .represent import SAMPLE_POINTS, Draft, describe
from .segment import is_non_answer, listed_examples
from .spectral import one_blas_thread
from .stance import denied_points, focus_points, taken_back, without_denials
from .themed import MIN_CLUSTER, OTHER_LABEL, Group, ThemedQuestion, assign

MATCH_MARGIN = 0.04  # other themes within this of the best also get the point
# Two new themes merge when most of the smaller one's answers are also the larger one's
# (one answer's fragments: "Jargon. NIs, LAA, SCS"), beyond what chance would share, or
# when their centres are this close.
MERGE_OVERLAP = 0.5
MERGE_SIMILARITY = 0.8
# A point's claim to be its answer's main theme blends its own score with its whole
# answer's: "Well, I suppose... mostly it's the money" is about money, whichever clause
# scores best on its own (on the dev sets: accuracy +0.006 to +0.011 on each, ARI +0.005).
ANSWER_SHARE = 0.5
# A point no new theme takes (too few partners made it, or no phrase names it) goes to the
# codebook theme it fits best rather than to "Other points", if it clears the embedder's
# `match_floor` (`match_floor_sparse` for labels and descriptions only): the 1st percentile
# of coded answers' best scores (bench/match_threshold.py), where `match_min` is the 5th.
# "Other points" is then what fits nothing: off-topic remarks, not a barrier put in
# unexpected words. On the dev sets, main-theme accuracy 0.859 -> 0.871 (heldout 0.747 ->
# 0.769), label + description 0.739 -> 0.749 (heldout 0.579 -> 0.598); with no floor at
# all, the same figures: the floor only keeps what fits nothing out of the codebook.
# A point's focus (`stance.focus_of`: "…, but the bigger thing was that the board turned
# into a committee for the LAA") also joins the codebook themes it matches, and ranks its
# answer's themes by its own score and this much more: the partner said it matters most.
# On the dev sets (0.1 to 0.4 alike): dev_mixed 0.678 -> 0.706, label + description 0.528
# -> 0.556; dev_minutes, the one other set with such answers, and the rest the same.
FOCUS_BONUS = 0.2
FLOOR_BELOW = 0.08  # an embedder without a `match_floor`: this far below its match_min
# A point that falls back to a codebook theme it fits barely better than another (its best
# plain score beats the runner-up by less than this) is a guess between the two: it is
# counted there, as it is right as often as not (a margin rule that sent such points to
# "Other points" cost 15 of 3,437 dev answers built-in), but never quoted as an example
# of the theme, nor listed from (`finish`'s `guessed`). The demo's SCS question quoted
# "Consultation that reaches beyond the usual suspects." under "Accountability" (0.336,
# "Balance" 0.328). On the dev sets a sixth of fall-backs (built-in 164 of 1,190) are
# this thin, and 39% of them fall to the answer's coded theme (46% of all fall-backs).
FALL_BACK_MARGIN = 0.01


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


def _with_whole_answers(plain: np.ndarray, scores: np.ndarray,
                        codebook: Sequence[CodebookTheme], points: list[Point],
                        answers: Sequence[str], whole: np.ndarray | None,
                        embedder: Embedder) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codebook scores of the points of many-point answers blended with their whole
    answer's scores (for ranking an answer's themes, not for whether a point matches);
    and each point's whole answer's scores by the codebook's texts and with the bank's
    vote (`match_scores`; a one-point answer's are its point's)."""
    whole_plain, whole_scores = plain, scores
    if whole is None:
        return scores, whole_plain, whole_scores
    owners = np.array([p.answer for p in points])
    rows = np.flatnonzero(np.bincount(owners, minlength=len(answers))[owners] > 1)
    if not len(rows):
        return scores, whole_plain, whole_scores
    blended = scores.copy()
    answer_plain, answer_scores = match_scores(codebook, whole[rows], embedder,
                                               [answers[int(owners[i])] for i in rows])
    blended[rows] = (1 - ANSWER_SHARE) * scores[rows] + ANSWER_SHARE * answer_scores
    whole_plain, whole_scores = plain.copy(), scores.copy()
    whole_plain[rows], whole_scores[rows] = answer_plain, answer_scores
    return blended, whole_plain, whole_scores


def _choose_mains(book: list[Group], points: list[Point], ranking: np.ndarray,
                  whole_plain: np.ndarray, whole_scores: np.ndarray,
                  focused: set[int]) -> None:
    """Each codebook theme's `main_of`: the answers its points are in that the learned
    choice (`choice.main_themes`) makes it the main theme of, where `assign` would put
    another first; none of the `focused` (an answer with a focus keeps the focus's)."""
    hit = np.zeros((len(points), len(book)), dtype=bool)
    for j, group in enumerate(book):
        hit[group.idx, j] = True
    found = choices(np.array([p.answer for p in points]), hit, ranking, whole_plain,
                    whole_scores, focused)
    chosen: dict[int, set[int]] = {}
    for answer, theme in main_themes(found).items():
        chosen.setdefault(theme, set()).add(answer)
    for j, group in enumerate(book):
        group.main_of = frozenset(chosen.get(j, ()))


def _banked(codebook: Sequence[CodebookTheme], scores: np.ndarray) -> np.ndarray | None:
    """The scores with a bank's vote, for `matching.matched`, if the codebook has a bank;
    None otherwise (a coordinator's codebook joins points by its texts alone, as before)."""
    return scores if any(t.answers for t in codebook) else None


def _with_focus(hit: np.ndarray, ranking: np.ndarray, codebook: Sequence[CodebookTheme],
                points: list[Point], answers: Sequence[str], denied: np.ndarray,
                embedder: Embedder, match_min: float) -> tuple[np.ndarray, set[int]]:
    """Rankings of the points that have a focus (`stance.focus_of`) taken from the focus
    alone, FOCUS_BONUS up; each such point also joins (in `hit`, in place) the codebook
    themes its focus matches. Other points' rankings are as they were. And the answers
    with such a point."""
    focus = focus_points(points, answers, denied)
    if not focus:
        return ranking, set()
    rows = np.array(sorted(focus))
    texts = [focus[int(i)] for i in rows]
    plain, scores = match_scores(codebook, embedder.embed(texts), embedder, texts)
    hit[rows] |= matched(plain, match_min, MATCH_MARGIN, _banked(codebook, scores))
    ranking = ranking.copy()
    ranking[rows] = scores + FOCUS_BONUS
    return ranking, {points[int(i)].answer for i in rows}


def _drafts(groups: list[Group], mains: list[list[int]], points: list[Point],
            vecs: np.ndarray, plainly: list[dict[int, float]],
            listed: Sequence[set[str]],
            in_context: Callable[[int], set[str] | None],
            answers: Sequence[str] = ()) -> list[Draft]:
    """What `represent.describe` needs of each group: a codebook theme is described by the
    points of the answers whose main theme it is and that are plainly about it, and lists
    points only from those plainly about it (`about.about`: "Better joint working between
    the sectors" is not a point of "Greater awareness & understanding"); a cluster by all
    its points, though its points are listed only from the answers it quotes (those whose
    main theme it is)."""
    out = []
    for g, group in enumerate(groups):
        order = np.argsort(-group.scores, kind="stable")
        idx = group.idx[order]
        quoted = {points[int(i)].answer for i in idx if mains[points[int(i)].answer][:1] == [g]}
        if group.from_codebook:
            # Its centre, which its points are ranked by and held to, is made of answers
            # it may list points from (those plainly about it, `about.about`), its main
            # answers among them first. Made of its main answers alone, the demo's "Lack of
            # 'buy in'" (one main answer, whose point in it is a fragment `about` finds
            # about nothing: "the ones who don't") had a centre no partner's point was
            # near, and listed none.
            quoted = (quoted & set(plainly[g])) or set(plainly[g]) or quoted
        if group.from_codebook and quoted:
            idx = np.array([i for i in idx if points[int(i)].answer in quoted], dtype=int)
        idx = idx[:SAMPLE_POINTS]  # the most typical points are enough to name a theme
        centre = unit(vecs[idx].sum(axis=0, keepdims=True))[0] if len(idx) else vecs[0] * 0
        # What the codebook says the theme covers, and its examples: for telling a point
        # about it ("Private sector person in the room" under "Relationships", near
        # "private sector missing"), never printed.
        meaning = tuple(aspects(CodebookTheme(group.label, group.description,
                                              group.examples))[1:]) \
            if group.from_codebook and (group.description or group.examples) else ()
        if group.from_codebook:
            # Points from every answer with a point plainly about the theme, its main
            # theme or not: "Lack of 'buy in'", raised by five as their second idea, had
            # listed nothing they said.
            quoted = set(plainly[g])
            idx = np.array([i for i in group.idx[order][:SAMPLE_POINTS]
                            if points[int(i)].answer in quoted], dtype=int)
        texts = [points[int(i)].text for i in idx]
        examples = frozenset(points[int(i)].text for i in idx
                             if points[int(i)].text.casefold() in listed[points[int(i)].answer])
        owners = [points[int(i)].answer for i in idx]
        unplain = tuple((points[int(i)].text, points[int(i)].answer) for i in group.idx[order]
                        if group.from_codebook and points[int(i)].answer not in quoted
                        and mains[points[int(i)].answer][:1] == [g])
        written = set(owners) | {a for _, a in unplain}
        out.append(Draft(texts, owners, centre, group.label, frozenset(quoted), meaning,
                         examples, {a: whole for a in set(owners)
                                    if (whole := in_context(a)) is not None},
                         {a: answers[a] for a in written} if answers else {}, unplain))
    return out


def cluster_left(left: np.ndarray, points: list[Point], vecs: np.ndarray,
                 whole: np.ndarray | None, embedder: Embedder, n_themes: int | None,
                 seed: int) -> list[np.ndarray]:
    """The clusters (point indexes) of the points at `left`, no codebook theme took, each
    read with its whole answer, before any merging: the engine's own steps, which the
    benches and tests that look inside the clustering call too."""
    context = whole[left] if whole is not None else None
    features = ClusterFeatures([points[i].text for i in left], vecs[left], context,
                               reference_vectors(PARTNERS, embedder), projection_of(embedder))
    labels = cluster_points(features, n_themes, seed)
    return [left[labels == c] for c in np.unique(labels)]


def _drawn_from(group: Group, points: list[Point]) -> set[int] | None:
    """The answers a codebook theme's points may be drawn from (see `_drafts`); None for a
    cluster (not judged before it is named)."""
    if not group.from_codebook:
        return None
    top = group.idx[np.argsort(-group.scores, kind="stable")][:SAMPLE_POINTS]
    return {points[int(i)].answer for i in top}


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
    floor = float(getattr(embedder, "match_floor", match_min - FLOOR_BELOW))
    if codebook and not has_rich_examples(codebook):
        # Labels and descriptions alone score lower than examples do: the same rule (the
        # 5th percentile of coded answers' best scores) gives a threshold of its own.
        match_min = float(getattr(embedder, "match_min_sparse", match_min))
        floor = float(getattr(embedder, "match_floor_sparse", match_min - FLOOR_BELOW))
    points, non_answers = segment(answers)
    model_note = str(getattr(embedder, "fallback_note", "") or "")
    if not points:
        return ThemedQuestion([], [[] for _ in answers], 0, non_answers, 0,
                              model_note=model_note)
    given = stored_vectors(vectors, len(answers), embedder_dim(embedder)) \
        if vectors is not None else {}
    vecs = point_vectors(points, answers, embedder, given)
    groups: list[Group] = []
    left = np.arange(len(points))
    # Each point's whole answer (its own vector when the answer makes one point), or None
    # when every answer is one point; stored vectors of many-point answers are these.
    whole = context_vectors(left, points, answers, vecs, embedder, given)
    # A point that names a theme to set it aside ("Money isn't the problem") matches no
    # codebook theme, and its answer's whole-answer score is taken without it (stance.py).
    # On the dev sets: dev_minutes 0.728 -> 0.783, label + description 0.633 -> 0.678; the
    # other sets hold no such point.
    denied = denied_points(points, len(answers)) | taken_back(points, answers) if codebook \
        else np.zeros(len(points), bool)
    if codebook:
        plain, scores = match_scores(codebook, vecs, embedder, [p.text for p in points])
        # Whether a point joins any theme is the codebook's own texts' call (`plain`); a
        # built-in codebook's bank (matching.bank_scores) ranks the themes, and may choose
        # among those the texts find nearly as good (matching.BANK_WINDOW).
        hit = matched(plain, match_min, MATCH_MARGIN, _banked(codebook, scores))
        hit[denied] = False
        said = answers
        if whole is not None and denied.any():
            said, whole = without_denials(points, answers, denied, whole, embedder)
        ranking, whole_plain, whole_scores = _with_whole_answers(
            plain, scores, codebook, points, said, whole, embedder)
        ranking, focused = _with_focus(hit, ranking, codebook, points, answers, denied,
                                       embedder, match_min)
        for j, theme in enumerate(codebook):
            idx = np.flatnonzero(hit[:, j])
            groups.append(Group(theme.label, theme.description, True, idx, ranking[idx, j],
                                examples=theme.examples))
        # The main theme of an answer whose points joined several (choice.py): learned
        # with a bank's vote among its features, so a codebook without one keeps
        # `assign`'s order. Chosen again once "Other points" have fallen back.
        learned = _banked(codebook, scores) is not None
        if learned:
            _choose_mains(groups, points, ranking, whole_plain, whole_scores, focused)
        left = np.flatnonzero(~hit.any(axis=1) & ~denied)
    # Denials, and points of clusters too small or unnameable: "Other points".
    loose: list[int] = [int(i) for i in np.flatnonzero(denied)]
    guessed: set[int] = set()
    if len(left):
        clusters = cluster_left(left, points, vecs, whole, embedder, n_themes, seed)
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
            groups.append(Group("", "", False, idx, sims - 1.0))  # below any codebook match
    mains = assign(groups, points, len(answers))
    # Which answers are plainly about each codebook theme (clusters have no label yet).
    # Only the answers of the points a codebook theme's points are drawn from are judged
    # (`_drafts`: its SAMPLE_POINTS most typical): the quotes are judged in `finish`, once
    # every theme is named. At 10,000 answers judging every answer here as well was most
    # of the time this judging took, for the same themes.
    plainly = about(groups, points, answers, [m[0] if m else -1 for m in mains], vecs,
                    embedder, [_drawn_from(g, points) for g in groups]) \
        if codebook else [{} for _ in groups]
    listed = [listed_examples(a) for a in answers]
    runs: dict[int, set[str] | None] = {}

    def in_context(a: int) -> set[str] | None:
        """The runs of an answer with a governed list, as the whole answer gives them."""
        if a not in runs:
            runs[a] = {flat(c.text) for c in candidates(answers[a])} \
                if has_governed_list(answers[a]) else None
        return runs[a]

    drafts = _drafts(groups, mains, points, vecs, plainly, listed, in_context, answers)
    counts = [len({points[int(i)].answer for i in g.idx}) for g in groups]
    known = {p.text: vecs[i] for i, p in enumerate(points)}
    found = describe(drafts, embedder, question, counts, known=known)
    # With no codebook, a new theme no phrase names here is named, if a phrase will do, in
    # the view it was clustered in (naming.py): only with the learned view, as clustering.
    # With a codebook, what no new theme names falls back to the codebook's themes
    # (`_fall_back`), which is right more often (bench/match_dev.py: named in the view too,
    # built-in 0.852 -> 0.851, 5 of 420 dev_own and dev_work answers went to new themes).
    projection = projection_of(embedder)
    if projection is not None and not codebook:
        view = ThemeView(vecs.mean(axis=0), reference_vectors(PARTNERS, embedder), projection)
        found = named_in_view(drafts, found, view, embedder, question, counts, known)
    named: list[Group] = []
    by_label: dict[str, Group] = {}
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
        group.label, group.points, group.spare = got.label, got.points, got.spare
        group.clause = got.clause
        by_label[got.label.lower()] = group
        named.append(group)
    if codebook:
        loose, grown = _fall_back(loose, named, groups[:len(codebook)], plain, scores,
                                  ranking, floor, denied, guessed)
        if learned:
            _choose_mains(groups[:len(codebook)], points, ranking, whole_plain, whole_scores,
                          focused)
        _describe_grown(named, grown, points, answers, vecs, embedder, question,
                        (listed, in_context), known)
    if loose:
        idx = np.array(sorted(loose))
        named.append(Group(OTHER_LABEL, "", False, idx, np.full(len(idx), -2.0)))
    return finish(named, points, answers, non_answers, model_note, vecs, embedder,
                  frozenset(guessed))


def _fall_back(loose: list[int], named: list[Group], book: list[Group], plain: np.ndarray,
               scores: np.ndarray, ranking: np.ndarray, floor: float,
               denied: np.ndarray, guessed: set[int]) -> tuple[list[int], list[Group]]:
    """Points of "Other points" given to the codebook theme each fits best, if it clears
    `floor` and that theme is one of the question's (see FLOOR_BELOW); the rest are
    returned, with the themes given some that had found neither a point nor a spare
    (`_describe_grown`). A denial stays out: it scores no theme. A point's ranking score
    is the one it had (below `match_min`, so it ranks after its answer's clear matches).
    A point given on a thin margin (FALL_BACK_MARGIN) is added to `guessed`."""
    kept = {id(g) for g in named}
    out = []
    grown: dict[int, Group] = {}
    for i in loose:
        j = int(scores[i].argmax())  # the bank's vote may pick the theme, not the fit
        if denied[i] or plain[i].max() < floor or id(book[j]) not in kept:
            out.append(i)
            continue
        book[j].idx = np.append(book[j].idx, i)
        book[j].scores = np.append(book[j].scores, np.float32(ranking[i, j]))
        top = np.sort(plain[i])[::-1]
        if len(top) > 1 and float(top[0] - top[1]) < FALL_BACK_MARGIN:
            guessed.add(i)
        if not (book[j].points or book[j].spare):
            grown[j] = book[j]
    return out, [grown[j] for j in sorted(grown)]


def _describe_grown(named: list[Group], grown: list[Group], points: list[Point],
                    answers: Sequence[str], vecs: np.ndarray, embedder: Embedder,
                    question: str,
                    said: tuple[list[set[str]], Callable[[int], set[str] | None]],
                    known: dict[str, np.ndarray]) -> None:
    """The points (and spare) of each codebook theme `_fall_back` gave answers to and
    that had found none, found again from all its answers, in place: it was described
    from the answers it held before ("Structure / representation (raised by 10)" in
    dev_mixed's key-leadership listed nothing; now "Voluntary sector has ONE seat").
    Its answers are judged as before (`about`: by the codebook's themes, new themes left
    out), each with its main theme as it now stands; its label stays. Every theme is
    drafted again, so a phrase's rarity is counted over the question's themes as the
    first time, but only these are described (`describe`'s `only`).

    Only a theme with nothing listed: described again, a theme that had points lost more
    than it gained (on the 14 dev sets, built-in and label + description, themes with a
    point 626 -> 614): the answers it was given are its weakest, and they move the centre
    its points are held to and which answers are plainly about it. So no theme's points
    change but those of a theme that had none (there, 12 gain one, 626 -> 638)."""
    if not grown:
        return
    book = [g for g in named if g.from_codebook]
    ranked = assign(named, points, len(answers))
    at = {id(g): k for k, g in enumerate(book)}
    book_mains = [at.get(id(named[r[0]]), -1) if r else -1 for r in ranked]
    again = {id(g) for g in grown}
    judged = about(book, points, answers, book_mains, vecs, embedder,
                   [_drawn_from(g, points) for g in book])
    plainly = [judged[at[id(g)]] if id(g) in at else {} for g in named]
    listed, in_context = said
    drafts = _drafts(named, ranked, points, vecs, plainly, listed, in_context, answers)
    counts = [len({points[int(i)].answer for i in g.idx}) for g in named]
    only = {n for n, g in enumerate(named) if id(g) in again}
    found = describe(drafts, embedder, question, counts, known=known, only=only)
    for n in sorted(only):
        named[n].points, named[n].spare = found[n].points, found[n].spare
        named[n].clause = found[n].clause


__all__ = ["answer_text", "cluster_left", "is_non_answer", "merge_clusters", "theme_answers"]
