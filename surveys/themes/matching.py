"""How well each point fits each codebook theme.

A point is compared with every text that stands for a theme (its label, each aspect
its description lists, each example): the nearest of those and the theme's centre
together, plus word overlap. Where a codebook has few examples (a coordinator's own,
say), the answers themselves teach it their wording: each theme's centre is pulled a
little towards the answers that fit it best, a few times over, so "doing it on top of
the day job" joins "Lack of resources" once enough partners have said both kinds of thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .answermap import mapped, shipped_map, target_text
from .bank import shipped_vectors
from .codebook import CodebookTheme
from .embed import Embedder, _unit, answer_text, vector_model
from .lexical import lexical_scores
from .references import reference_vectors

LEXICAL_WEIGHT = 0.5  # share of word overlap in a codebook score
NEAREST_SHARE = 0.5  # nearest text of a theme against its centre
REFINE_ROUNDS = 3  # passes that pull theme centres towards the answers
REFINE_SHARE = 0.3  # weight of the answers' own theme centres in each pass
REFINE_TEMPERATURE = 0.05  # how sharply a point's weight goes to its best themes
REFINE_MIN_POINTS = 20  # fewer points than this teach nothing reliable
RICH_EXAMPLES = 6  # a codebook with this many examples a theme needs no refining
# A built-in codebook's bank of labelled answers (bank.py) votes on each point's theme:
# its BANK_NEIGHBOURS nearest answers, softmax-weighted by similarity at BANK_TEMPERATURE,
# the votes centred on an even share and added to the score times BANK_SHARE. The vote
# ranks the themes a point joins (and so its answer's main theme); which themes it joins
# stays the codebook texts' call (engine.py). Chosen on the dev sets, each measured with a
# bank built without it (bench/match_dev.py): built-in 0.839 -> 0.861 pooled over nine,
# dev_own 0.600 -> 0.644, dev_mixed 0.711 -> 0.750; with the tenth set, dev_work (written
# after these were chosen), in the bank too: 0.818 -> 0.845 over ten, dev_work 0.613 ->
# 0.671, dev_own 0.667. Letting the vote also choose which
# themes a point joins gave 0.879-0.885 (dev_own 0.711-0.739), but it moves which answers
# a theme's points are drawn from: the demo's "Lack of 'buy in'" lost its only point
# (tests/surveys/test_report_wording.py), and with no gate "Happy Christmas everyone!"
# became a barrier. Shares 0.2-0.4, neighbours 5-20, temperatures 0.02-0.05 all did alike.
BANK_SHARE = 0.3
BANK_NEIGHBOURS = 10
BANK_TEMPERATURE = 0.05
BANK_SLICE = 2048  # points compared with the bank at once
# The bank's vote also chooses which themes a point joins (`matched`), among those the
# codebook's texts score within this of their best for it, if they fit it at all. Partners
# who never use a theme's words ("I personally believed in it. My area director thought it
# was a nice-to-have") score near several themes by the texts, and the texts' best is
# often not theirs, while their nearest bank answers are: on dev_own, dev_work and
# dev_mixed (each with a bank and map learned without it) 54 of 148 misses had the coders'
# theme first by the bank's vote and no point joining it (bench/README.md). With the window
# unlimited, answers in the theme's own words lost to the bank ("scrutiny of what each
# agency is delivering" left Challenge; labelled 0.978 -> 0.966); 0.08 / 0.12 / 0.16 /
# 0.22 gave 0.876 / 0.879 / 0.881 / 0.880 pooled over ten dev sets, each set's bank and
# map without it (0.870 with the bank only ranking). Over twelve (dev_forms and dev_talk
# landed after it was chosen): 0.871 -> 0.878, each question's map without it 0.857 ->
# 0.874; 0.10 and 0.22 gave 0.875 / 0.871 and 0.877 / 0.875.
BANK_WINDOW = 0.16
# The shipped map from answers to descriptions (answermap.py): each point's similarity to a
# theme's "label: description" after the map, less the same before it, centred over the
# themes (it reorders them; the thresholds keep their scale), is added MAP_SHARE times,
# before the codebook's texts decide which themes a point joins. A codebook of labels and
# descriptions only (a coordinator's own) has nothing else to learn partners' wording
# from: on the dev sets with each question's map trained without it (bench/README.md),
# label + description 0.701 -> 0.741 pooled over ten; shares 0.5-1.1 within 0.01; not
# centred 0.736, with more points left to new themes. A codebook with examples (the
# built-in, with its bank) takes it only for points its own texts fit (over `match_min`):
# 0.849 -> 0.870 with each dev set's map and bank learned without it, 0.863 with each
# question's map learned without it. For every point it gave 0.887 / 0.870, but brought
# in points that fit nothing (the demo's "…is exactly the sort of thing we should be
# piloting" joined "Defining roles & responsibilities", leaving "Police car" the main
# theme of the street triage answer: tests/surveys/test_demo_themes.py).
MAP_SHARE = 0.8
# A point below this against every codebook theme is left to clustering (engine.py). Each
# shipped embedder has its own `match_min`, the 5th percentile of the best scores of
# answers a coder put in a codebook theme (bench/match_threshold.py), and may have a
# `match_min_sparse` for codebooks of labels and descriptions with few examples, found
# the same way; this is for any other.
MATCH_MIN = 0.24
# Each of these was set on bench/data/themes_labelled.csv and themes_heldout.csv;
# themes_test.csv and themes_test2.csv, written apart from both, are the yardsticks.


def aspects(theme: CodebookTheme) -> list[str]:
    """The texts a point is compared with: label, each listed aspect, each example."""
    texts = [theme.label, f"{theme.label}: {theme.description}" if theme.description else ""]
    parts = re.split(r"[,;:]|\band\b|\bor\b", theme.description)
    texts += [p.strip() for p in parts if p.strip()]
    texts += list(theme.examples)
    return [t for t in texts if t]


def has_rich_examples(codebook: Sequence[CodebookTheme]) -> bool:
    """Whether a codebook's themes carry enough examples to need no refining (and to be
    held to the embedder's `match_min` rather than its `match_min_sparse`)."""
    return bool(codebook) and float(np.mean([len(t.examples) for t in codebook])) >= RICH_EXAMPLES


def codebook_texts(codebook: Sequence[CodebookTheme]) -> list[str]:
    """Every text a codebook's themes are compared by: labels, aspects and examples."""
    return [a for theme in codebook for a in aspects(theme)]


def refine(scores: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Scores blended, pass by pass, with similarity to centres made of the points."""
    if len(vectors) < REFINE_MIN_POINTS:
        return scores
    for _ in range(REFINE_ROUNDS):
        logits = (scores - scores.max(axis=1, keepdims=True)) / REFINE_TEMPERATURE
        weights = np.exp(logits)
        weights /= weights.sum(axis=1, keepdims=True)
        centres = _unit(weights.T @ vectors)
        scores = (1 - REFINE_SHARE) * scores + REFINE_SHARE * (vectors @ centres.T)
    return scores.astype(np.float32)


def match_scores(
    codebook: Sequence[CodebookTheme],
    vectors: np.ndarray,
    embedder: Embedder,
    texts: Sequence[str] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """Two scores of every point (a row of unit `vectors`) against every theme: by the
    codebook's own texts, and with its bank's vote added (`bank_scores`; the same matrix
    for a codebook without a bank). The first says whether a point fits the codebook at
    all: the bank's answers say which theme, not whether a remark about the catering is
    a barrier (with the vote alone deciding, "Happy Christmas everyone!" found one)."""
    groups = [aspects(t) for t in codebook]
    aspect_vecs = reference_vectors([a for group in groups for a in group], embedder)
    owner = np.repeat(np.arange(len(codebook)), [len(g) for g in groups])
    sims = vectors @ aspect_vecs.T
    scores = np.empty((len(vectors), len(codebook)), dtype=np.float32)
    for j in range(len(codebook)):
        mine = owner == j
        centre = _unit(aspect_vecs[mine].mean(axis=0, keepdims=True))[0]
        scores[:, j] = NEAREST_SHARE * sims[:, mine].max(axis=1) + (1 - NEAREST_SHARE) * (
            vectors @ centre
        )
    if texts:
        scores += LEXICAL_WEIGHT * lexical_scores(codebook, texts)
    lift = map_lift(codebook, vectors, embedder)
    rich = has_rich_examples(codebook)
    if lift is not None:
        lifted = (scores + MAP_SHARE * lift).astype(np.float32)
        if rich:
            # A codebook with examples: only for points its own texts already fit, so the
            # map never brings in a point that fits nothing ("is exactly the sort of thing
            # we should be piloting" joined "Defining roles & responsibilities").
            fits = scores.max(axis=1) >= float(getattr(embedder, "match_min", MATCH_MIN))
            lifted[~fits] = scores[~fits]
        scores = lifted
    if not rich:
        scores = refine(scores, vectors)
    votes = bank_scores(codebook, vectors, embedder)
    if votes is None:
        return scores, scores
    return scores, (scores + BANK_SHARE * votes).astype(np.float32)


def codebook_scores(
    codebook: Sequence[CodebookTheme],
    vectors: np.ndarray,
    embedder: Embedder,
    texts: Sequence[str] = (),
) -> np.ndarray:
    """Score of every point (a row of unit `vectors`) against every theme, the bank's vote
    included (for ranking a point's themes: `match_scores`)."""
    return match_scores(codebook, vectors, embedder, texts)[1]


def matched(plain: np.ndarray, match_min: float, margin: float,
            ranked: np.ndarray | None = None) -> np.ndarray:
    """Which themes each point joins. By the codebook's own texts (`plain`): those over
    `match_min` and within `margin` of its best. With `ranked` (the scores with a bank's
    vote, `match_scores`), a point the codebook's texts fit (its best over `match_min`)
    also joins the themes within `margin` of its best ranked score, if its texts put them
    within BANK_WINDOW of their best: the bank may choose among the themes the texts find
    nearly as good, never bring in a point that fits nothing ("Happy Christmas everyone!"
    stays out, whatever its nearest bank answers vote)."""
    top = plain.max(axis=1, keepdims=True)
    out = (plain >= match_min) & (plain >= top - margin)
    if ranked is not None:
        best = ranked.max(axis=1, keepdims=True)
        out |= (top >= match_min) & (ranked >= best - margin) & (plain >= top - BANK_WINDOW)
    return out


def answer_map(embedder: Embedder) -> np.ndarray | None:
    """The shipped map from answers to descriptions for this encoder, or None."""
    return shipped_map(vector_model(embedder))


def map_lift(codebook: Sequence[CodebookTheme], vectors: np.ndarray,
             embedder: Embedder) -> np.ndarray | None:
    """How much nearer each point (a row of unit `vectors`) comes to each theme's
    "label: description" through the map (answermap.py); None for an encoder without one."""
    found = answer_map(embedder)
    if found is None or not len(vectors):
        return None
    goal = reference_vectors([target_text(t) for t in codebook], embedder)
    lift = mapped(vectors, found) @ goal.T - vectors @ goal.T
    return (lift - lift.mean(axis=1, keepdims=True)).astype(np.float32)


def bank_scores(codebook: Sequence[CodebookTheme], vectors: np.ndarray,
                embedder: Embedder) -> np.ndarray | None:
    """How each point's nearest bank answers vote among the themes (bank.py): the
    BANK_NEIGHBOURS most similar answers, each weighing more the nearer it is, their
    weights summing to one per point. None when no theme has a bank."""
    counts = [len(t.answers) for t in codebook]
    if not any(counts):
        return None
    texts = [answer_text(a) for t in codebook for a in t.answers]
    bank = reference_vectors(texts, embedder, shipped_vectors(vector_model(embedder)))
    owner = np.repeat(np.arange(len(codebook)), counts)
    k = min(BANK_NEIGHBOURS, len(bank))
    votes = np.zeros((len(vectors), len(codebook)), dtype=np.float64)
    # A slice of points at a time: 10,000 answers make some 40,000 points, and their
    # similarities to 774 bank answers at once would be 120 MB.
    for start in range(0, len(vectors), BANK_SLICE):
        sims = vectors[start:start + BANK_SLICE] @ bank.T
        near = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(sims, near, axis=1)
        weights = np.exp((top - top.max(axis=1, keepdims=True)) / BANK_TEMPERATURE)
        weights /= weights.sum(axis=1, keepdims=True)
        rows = np.repeat(np.arange(start, start + len(sims)), k)
        np.add.at(votes, (rows, owner[near].ravel()), weights.ravel())
    # Centred on an even share of the themes that have bank answers; a theme without any
    # (a coordinator's own, added to a built-in question) is neither helped nor held back.
    banked = np.array(counts) > 0
    votes[:, banked] -= 1.0 / banked.sum()
    votes[:, ~banked] = 0.0
    return votes.astype(np.float32)


__all__ = ["MATCH_MIN", "answer_map", "aspects", "bank_scores", "codebook_scores", "codebook_texts",
           "has_rich_examples", "map_lift", "match_scores", "matched", "refine"]
