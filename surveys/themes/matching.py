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

from .codebook import CodebookTheme
from .embed import Embedder, _unit
from .lexical import lexical_scores
from .references import reference_vectors

LEXICAL_WEIGHT = 0.5  # share of word overlap in a codebook score
NEAREST_SHARE = 0.5  # nearest text of a theme against its centre
REFINE_ROUNDS = 3  # passes that pull theme centres towards the answers
REFINE_SHARE = 0.3  # weight of the answers' own theme centres in each pass
REFINE_TEMPERATURE = 0.05  # how sharply a point's weight goes to its best themes
REFINE_MIN_POINTS = 20  # fewer points than this teach nothing reliable
RICH_EXAMPLES = 6  # a codebook with this many examples a theme needs no refining
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


def codebook_scores(
    codebook: Sequence[CodebookTheme],
    vectors: np.ndarray,
    embedder: Embedder,
    texts: Sequence[str] = (),
) -> np.ndarray:
    """Score of every point (a row of unit `vectors`) against every theme."""
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
    if has_rich_examples(codebook):
        return scores  # the examples already speak the partners' language
    return refine(scores, vectors)


__all__ = ["aspects", "codebook_scores", "codebook_texts", "has_rich_examples", "refine"]
