"""Theme one question's answers: codebook first (deductive), then clusters (inductive)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .cluster import keywords, label_cluster
from .codebook import CodebookTheme
from .embed import Embedder, answer_text, default_embedder, embedder_dim
from .lexical import CharGrams
from .matching import codebook_scores
from .segment import is_non_answer, split_points
from .spectral import cluster, sample_rows

# A point below this against every codebook theme is left to clustering. Each shipped
# embedder has its own `match_min`, the 5th percentile of the best scores of answers a
# coder put in a codebook theme (bench/match_threshold.py); this is for any other.
MATCH_MIN = 0.24
MATCH_MARGIN = 0.04  # other themes within this of the best also get the point
MIN_CLUSTER = 2  # a new theme needs points from at least this many answers
GRAM_SHARE = 0.3  # share of character n-grams in the vectors that new themes cluster
CONTEXT = 0.5  # weight of its whole answer in a point's vector when clustering
CHUNK = 2000  # points whose clustering features are made at once


@dataclass(frozen=True)
class Theme:
    """A theme of one question: its label, how many answers touch it, a few quotes."""

    id: str
    label: str
    description: str
    count: int
    quotes: tuple[str, ...]
    answer_indexes: tuple[int, ...]
    from_codebook: bool


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
class _Point:
    answer: int
    text: str


def slug(label: str, taken: set[str]) -> str:
    """A short id from a label, unique among `taken` (which it joins)."""
    base = "-".join(re.findall(r"[a-z0-9]+", label.lower()))[:40].strip("-") or "theme"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _segment(answers: Sequence[str]) -> tuple[list[_Point], int]:
    points: list[_Point] = []
    non_answers = 0
    for i, answer in enumerate(answers):
        found = split_points(answer or "")
        if not found:
            non_answers += 1
        points.extend(_Point(i, p) for p in found)
    return points, non_answers


def _stored_vectors(vectors: object, n: int, dim: int) -> dict[int, np.ndarray]:
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


def _point_vectors(
    points: list[_Point], answers: Sequence[str], embedder: Embedder,
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


def _unit(m: np.ndarray) -> np.ndarray:
    return (m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)).astype(np.float32)


class ClusterFeatures:
    """The unit rows that new themes are clustered on, made for any subset of the points.

    The embedding is centred (what every answer to a question shares says nothing about
    which theme it is), a point leans towards its whole answer, and character n-grams
    are concatenated so typos and word forms still meet.
    """

    def __init__(self, texts: Sequence[str], vecs: np.ndarray,
                 context: np.ndarray | None = None) -> None:
        self.texts = texts
        self.x = vecs if context is None else _unit(vecs + CONTEXT * context)
        self.mean = self.x.mean(axis=0)
        self.grams = CharGrams(texts)

    def rows(self, idx: np.ndarray) -> np.ndarray:
        """Feature rows of the points at idx."""
        x = _unit(self.x[idx] - self.mean)
        grams = self.grams.rows([self.texts[int(i)] for i in idx])
        out = np.hstack([x * np.sqrt(1 - GRAM_SHARE), grams * np.sqrt(GRAM_SHARE)])
        return _unit(out)


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


def _quotes(indexes: np.ndarray, sims: np.ndarray, points: list[_Point],
            answers: Sequence[str], per_answer: np.ndarray,
            is_main: np.ndarray) -> tuple[str, ...]:
    """Up to three representative quotes: whole answers when short, else the point.

    Answers whose main theme this is come first: one that only touches the theme
    (and is quoted under its own main theme) is quoted here only if too few do.
    """
    quotes: list[str] = []
    used: set[int] = set()
    for i in indexes[np.lexsort((-sims, ~is_main))]:
        p = points[int(i)]
        if p.answer in used:
            continue
        used.add(p.answer)
        whole = answers[p.answer].strip()
        quotes.append(whole if per_answer[p.answer] == 1 and len(whole) <= 200 else p.text)
        if len(quotes) == 3:
            break
    return tuple(quotes)


def theme_answers(
    answers: Sequence[str],
    codebook: Sequence[CodebookTheme] = (),
    n_themes: int | None = None,
    seed: int = 0,
    embedder: Embedder | None = None,
    vectors: object = None,
) -> ThemedQuestion:
    """Theme answers to one question.

    `vectors` are optional stored answer vectors (`answer_vector`), one row per answer
    (a row may be None); rows whose length is not the embedder's are ignored. Pass only
    vectors stored under the embedder's `vector_model`.
    """
    embedder = embedder or default_embedder()
    match_min = float(getattr(embedder, "match_min", MATCH_MIN))
    points, non_answers = _segment(answers)
    assignments: list[list[str]] = [[] for _ in answers]
    model_note = str(getattr(embedder, "fallback_note", "") or "")
    if not points:
        return ThemedQuestion([], assignments, 0, non_answers, 0, model_note=model_note)
    given = (
        _stored_vectors(vectors, len(answers), embedder_dim(embedder)) if vectors is not None
        else {}
    )
    vecs = _point_vectors(points, answers, embedder, given)
    per_answer = np.bincount([p.answer for p in points], minlength=len(answers))
    taken: set[str] = set()
    members: list[tuple[str, str, str, bool, np.ndarray, np.ndarray]] = []
    # (id, label, description, from_codebook, point indexes, point scores)
    point_themes: list[list[tuple[float, str, bool]]] = [[] for _ in points]
    left = np.arange(len(points))
    if codebook:
        scores = codebook_scores(codebook, vecs, embedder, [p.text for p in points])
        top = scores.max(axis=1)
        hit = (scores >= match_min) & (scores >= top[:, None] - MATCH_MARGIN)
        for j, theme in enumerate(codebook):
            idx = np.flatnonzero(hit[:, j])
            tid = slug(theme.label, taken)
            if len(idx):
                members.append((tid, theme.label, theme.description, True, idx, scores[idx, j]))
            for i in idx:
                point_themes[i].append((float(scores[i, j]), tid, True))
        left = np.flatnonzero(top < match_min)
    unthemed = 0
    if len(left):
        multi = per_answer[[points[i].answer for i in left]] > 1
        context = None
        if multi.any():
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
            whole = whole[where]  # embedded once per answer
            context = vecs[left].copy()
            context[multi] = whole
        features = ClusterFeatures([points[i].text for i in left], vecs[left], context)
        labels = cluster_points(features, n_themes, seed)
        used_labels = {m[1].lower() for m in members}
        found: list[tuple[str, np.ndarray, np.ndarray]] = []  # (label, points, similarities)
        for c in np.unique(labels):
            idx = left[labels == c]
            if len({points[i].answer for i in idx}) < MIN_CLUSTER:
                unthemed += len(idx)
                continue
            centre = _unit(vecs[idx].sum(axis=0, keepdims=True))[0]
            sims = vecs[idx] @ centre
            label = label_cluster([points[i].text for i in idx], sims, used_labels)
            used_labels.add(label.lower())
            found.append((label, idx, sims))
        words = keywords([[points[i].text for i in idx] for _, idx, _ in found],
                         [label for label, _, _ in found])
        for (label, idx, sims), listed in zip(found, words, strict=True):
            tid = slug(label, taken)
            members.append((tid, label, ", ".join(listed), False, idx, sims))
            for i, s in zip(idx, sims, strict=True):
                point_themes[i].append((float(s) - 1.0, tid, False))  # below any codebook match
    best: dict[int, dict[str, float]] = {}
    for n, p in enumerate(points):
        for score, tid, _ in point_themes[n]:
            got = best.setdefault(p.answer, {})
            got[tid] = max(got.get(tid, -9.0), score)
    for answer, got in best.items():
        assignments[answer] = [t for t, _ in sorted(got.items(), key=lambda kv: -kv[1])]
    themes = []
    for order, (tid, label, description, from_cb, idx, sims) in enumerate(members):
        answer_ids = tuple(sorted({points[i].answer for i in idx}))
        is_main = np.array([assignments[points[i].answer][:1] == [tid] for i in idx], dtype=bool)
        quotes = _quotes(idx, sims, points, answers, per_answer, is_main)
        themes.append((order, Theme(tid, label, description, len(answer_ids), quotes,
                                    answer_ids, from_cb)))
    themes.sort(key=lambda ot: (-ot[1].count, not ot[1].from_codebook, ot[0]))
    return ThemedQuestion([t for _, t in themes], assignments, unthemed, non_answers, len(points),
                          model_note=model_note)


__all__ = ["Theme", "ThemedQuestion", "answer_text", "is_non_answer", "theme_answers"]
