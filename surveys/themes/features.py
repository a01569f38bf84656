"""The points of a question's answers and their vectors, and the features new themes are
clustered on.

An answer is split into the points it makes (`segment.split_points`); each point gets a
vector, from the answer's stored vector when the answer is a single point. Clustering works
on centred vectors leaning towards their whole answer, with character n-grams alongside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .cluster import unit_rows
from .embed import Embedder
from .lexical import CharGrams
from .segment import split_points
from .spectral import cluster, sample_rows

GRAM_SHARE = 0.3  # share of character n-grams in the vectors that new themes cluster
# Weight of its whole answer in a point's vector when clustering: as much as the point's
# own. A point of a long answer is read in its answer's light ("Well, that's the thing,
# isn't it" is about whatever the answer is about); 1.0 against 0.5 on the dev sets, ARI
# 0.350 → 0.370 (three seeds each, two sets of three), dev_voices 0.47 → 0.57.
CONTEXT = 1.0
CHUNK = 2000  # points whose clustering features are made at once
# Share of a point's image under the learned map (projection.py) in its clustering vector,
# the rest its own centred vector: the map was learned from the bank's themes, so the raw
# vector keeps apart the themes the bank never saw.
PROJECTED_SHARE = 0.5
# The partners round a local partnership's table. Which of them an answer names is not its
# theme ("the police never came" and "health never came" are one point; "police now share
# their data" another), yet it pulls answers together in the encoder's space: new themes
# are clustered with these directions taken out. On the dev sets (no codebook, four
# seeds each): ARI 0.322 -> 0.333, the workshop-minutes set 0.143 -> 0.198, questions cut
# to 60 answers (the unseen sets' size) 0.291 -> 0.305. Twelve unrelated words ("table",
# "river"…) taken out instead: 0.321, no better than none.
PARTNERS = ("police", "health", "NHS", "PCT", "county council", "district council", "housing",
            "voluntary sector", "business", "fire and rescue", "probation",
            "schools and colleges")


@dataclass
class Point:
    """One point an answer makes: the answer's index and the text of the point."""

    answer: int
    text: str


def segment(answers: Sequence[str]) -> tuple[list[Point], int]:
    """Every point of every answer, in order, and how many answers said nothing."""
    points: list[Point] = []
    non_answers = 0
    for i, answer in enumerate(answers):
        found = split_points(answer or "")
        if not found:
            non_answers += 1
        points.extend(Point(i, p) for p in found)
    return points, non_answers


def stored_vectors(vectors: object, n: int, dim: int) -> dict[int, np.ndarray]:
    """Usable stored vectors by answer: rows of `dim` values; others (None, another
    model's length, not finite) are left out, so those answers are embedded afresh."""
    if vectors is None:
        return {}
    if isinstance(vectors, np.ndarray) and vectors.ndim == 2:
        rows: Sequence[object] = list(vectors)
    else:
        rows = list(vectors)  # type: ignore[call-overload]
    if len(rows) != n:
        raise ValueError("vectors must have one row per answer")
    out = {}
    for i, row in enumerate(rows):
        if row is None:
            continue
        vec = np.asarray(row, dtype=np.float32).reshape(-1)
        if vec.shape[0] == dim and np.isfinite(vec).all():
            out[i] = vec
    return out


def point_vectors(
    points: list[Point], answers: Sequence[str], embedder: Embedder,
    given: dict[int, np.ndarray],
) -> np.ndarray:
    """Vectors of the points, reusing an answer's stored vector when it is one point."""
    single = {}
    if given:
        counts = np.bincount([p.answer for p in points], minlength=len(answers))
        single = {i: v for i, v in given.items() if counts[i] == 1}
    todo = [i for i, p in enumerate(points) if p.answer not in single]
    fresh = embedder.embed([points[i].text for i in todo]) if todo else None
    if fresh is not None and len(todo) == len(points):
        return np.asarray(fresh, dtype=np.float32)  # no second copy of a big matrix
    dim = fresh.shape[1] if fresh is not None else next(iter(single.values())).shape[0]
    out = np.zeros((len(points), dim), dtype=np.float32)
    if fresh is not None:
        out[todo] = fresh
    for i, p in enumerate(points):
        if p.answer in single:
            out[i] = single[p.answer]
    return out


def unit(m: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1, as float32."""
    return unit_rows(m).astype(np.float32)


class ClusterFeatures:
    """The unit rows that new themes are clustered on, made for any subset of the points.

    The embedding is centred (what every answer to a question shares says nothing about
    which theme it is), loses the directions of the partners named (`PARTNERS`), is
    blended with its image under the learned map when there is one (projection.py), a
    point leans towards its whole answer, and character n-grams are concatenated so typos
    and word forms still meet.
    """

    def __init__(self, texts: Sequence[str], vecs: np.ndarray,
                 context: np.ndarray | None = None, partners: np.ndarray | None = None,
                 projection: np.ndarray | None = None) -> None:
        self.texts = texts
        self.projection = projection
        self.x = vecs if context is None else unit(vecs + CONTEXT * context)
        self.mean = self.x.mean(axis=0)
        # An orthonormal basis of the partners' vectors (PARTNERS), taken out of every row.
        self.basis = partner_basis(partners)
        self.grams = CharGrams(texts)

    def rows(self, idx: np.ndarray) -> np.ndarray:
        """Feature rows of the points at idx."""
        x = in_view(self.x[idx], self.mean, self.basis, self.projection)
        grams = self.grams.rows_at(idx)
        out = np.hstack([x * np.sqrt(1 - GRAM_SHARE), grams * np.sqrt(GRAM_SHARE)])
        return unit(out)


def partner_basis(partners: np.ndarray | None) -> np.ndarray | None:
    """An orthonormal basis of the partners' vectors (PARTNERS), or None."""
    if partners is None or not len(partners):
        return None
    return np.linalg.qr(partners.T.astype(np.float64))[0].astype(np.float32)


def in_view(x: np.ndarray, mean: np.ndarray, basis: np.ndarray | None,
            projection: np.ndarray | None) -> np.ndarray:
    """Unit rows of vectors as new themes are clustered on them, before the n-grams:
    centred on the question's mean, the partners' directions out, blended with their
    image under the learned map when there is one."""
    x = x - mean
    if basis is not None:
        x = x - (x @ basis) @ basis.T
    x = unit(x)
    if projection is not None:
        mapped = unit(x @ projection)
        x = unit(np.hstack([x * np.sqrt(1 - PROJECTED_SHARE),
                            mapped * np.sqrt(PROJECTED_SHARE)]))
    return x


class ThemeView:
    """The learned view of one question's answers (`in_view`) for any vectors: what a new
    theme is named in when no phrase names it in the encoder's own space (naming.py)."""

    def __init__(self, mean: np.ndarray, partners: np.ndarray | None,
                 projection: np.ndarray) -> None:
        self.mean = mean
        self.basis = partner_basis(partners)
        self.projection = projection

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return in_view(np.asarray(x, dtype=np.float32), self.mean, self.basis,
                       self.projection)


def cluster_points(features: ClusterFeatures, n_themes: int | None, seed: int) -> np.ndarray:
    """Labels of every point: a sample clustered, the rest put with the nearest centre,
    a chunk at a time."""
    n = len(features.texts)
    rows = sample_rows(n, seed)
    labels, centres = cluster(features.rows(rows), n_themes, seed=seed)
    if len(rows) == n:
        return labels
    out = np.empty(n, dtype=int)
    for start in range(0, n, CHUNK):
        idx = np.arange(start, min(n, start + CHUNK))
        out[idx] = (features.rows(idx) @ centres.T).argmax(axis=1)
    out[rows] = labels  # the sample keeps its graph clusters
    return out




def context_vectors(left: np.ndarray, points: list[Point], answers: Sequence[str],
                    vecs: np.ndarray, embedder: Embedder,
                    given: dict[int, np.ndarray]) -> np.ndarray | None:
    """For each point at `left`, the vector of its whole answer when the answer makes
    several points (its own vector otherwise); None when every answer is one point."""
    per_answer = np.bincount([p.answer for p in points], minlength=len(answers))
    multi = per_answer[[points[i].answer for i in left]] > 1
    if not multi.any():
        return None
    owners = np.array([points[i].answer for i in left[multi]])
    unique, where = np.unique(owners, return_inverse=True)
    # A stored vector of a many-point answer is that of the whole answer.
    todo = [a for a in unique if int(a) not in given]
    fresh = embedder.embed([answers[a] for a in todo]) if todo else None
    whole = np.zeros((len(unique), vecs.shape[1]), dtype=np.float32)
    for k, a in enumerate(unique):
        if int(a) in given:
            whole[k] = given[int(a)]
    if fresh is not None:
        whole[[k for k, a in enumerate(unique) if int(a) not in given]] = fresh
    context = vecs[left].copy()
    context[multi] = whole[where]  # embedded once per answer
    return context
