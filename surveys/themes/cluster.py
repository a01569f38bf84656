"""Spherical k-means on unit vectors, a data-driven choice of k, and readable labels.

Everything here is O(n·k) per pass; the choice of k is scored on a bounded sample,
so 10,000 points cost about what 2,000 do.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from .lexical import STOP

_SAMPLE = 1500  # points scored when choosing k
_FILLER = re.compile(
    r"^(?:(?:i\s+(?:think|feel|guess|suppose|would say)|tbh|imo|honestly|well|so|"
    r"probably|mainly|mostly|definitely|really|for me|for us|in my view|personally|"
    r"the main (?:one|thing|issue|barrier|problem) (?:is|was|has been)|"
    r"(?:it|there) (?:is|was|has been)|we (?:have|had|got)|a lot of|lots of)\b[\s,:-]*)+",
    re.IGNORECASE,
)
_TRAILING = {
    "and", "or", "of", "the", "to", "a", "an", "with", "for", "in", "on", "but", "at",
    "by", "from", "our", "their", "its", "is", "are", "was", "were", "that", "which",
    "what", "when", "how", "who", "if", "so", "as", "had", "have", "has", "did", "do",
    "we", "i", "they", "it", "it's", "be", "been", "took", "got", "not", "no", "very",
}
_MAX_WORDS = 6
_LABEL_WORDS = 8  # a whole clause of up to this many words beats a cut one


def _init_plus_plus(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding with cosine distance."""
    n = x.shape[0]
    centres = np.empty((k, x.shape[1]), dtype=np.float32)
    centres[0] = x[rng.integers(n)]
    closest = 1.0 - x @ centres[0]
    for i in range(1, k):
        weights = np.clip(closest, 0.0, None) ** 2
        total = float(weights.sum())
        pick = rng.choice(n, p=weights / total) if total > 0 else rng.integers(n)
        centres[i] = x[pick]
        closest = np.minimum(closest, 1.0 - x @ centres[i])
    return centres


def _unit_rows(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def kmeans(
    x: np.ndarray, k: int, seed: int = 0, n_init: int = 4, max_iter: int = 40
) -> tuple[np.ndarray, np.ndarray, float]:
    """Cluster unit rows into k groups: (labels, unit centroids, total cosine similarity)."""
    n = x.shape[0]
    k = max(1, min(k, n))
    rng = np.random.default_rng(seed)
    best: tuple[np.ndarray, np.ndarray, float] | None = None
    for _ in range(n_init):
        centres = _init_plus_plus(x, k, rng)
        labels = np.full(n, -1)
        for _ in range(max_iter):
            sims = x @ centres.T
            new = sims.argmax(axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            onehot = np.zeros((n, k), dtype=np.float32)
            onehot[np.arange(n), labels] = 1.0
            sums = onehot.T @ x  # np.add.at is far slower
            empty = onehot.sum(axis=0) == 0
            # An empty cluster restarts on the point worst served by its centre.
            for j in np.flatnonzero(empty):
                sums[j] = x[int(sims.max(axis=1).argmin())]
            centres = _unit_rows(sums).astype(np.float32)
        score = float((x @ centres.T)[np.arange(n), labels].sum())
        if best is None or score > best[2]:
            best = (labels, centres, score)
    assert best is not None
    return best


def _silhouette(x: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette with cosine distance (x is a small sample)."""
    dist = 1.0 - x @ x.T
    ks = np.unique(labels)
    if len(ks) < 2:
        return -1.0
    onehot = (labels[:, None] == ks[None, :]).astype(np.float32)
    sizes = onehot.sum(axis=0)
    sums = dist @ onehot
    own = np.searchsorted(ks, labels)
    own_size = sizes[own]
    a = sums[np.arange(len(x)), own] / np.maximum(own_size - 1, 1)
    other = sums / np.maximum(sizes, 1)
    other[np.arange(len(x)), own] = np.inf
    b = other.min(axis=1)
    s = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def choose_k(x: np.ndarray, seed: int = 0, k_min: int = 2, k_max: int | None = None) -> int:
    """The number of clusters with the best silhouette on a sample of the points."""
    n = x.shape[0]
    if n < 2 * k_min:
        return 1
    k_max = min(k_max or 15, max(k_min, int(np.sqrt(n) * 1.5)), n // 2)
    rng = np.random.default_rng(seed)
    sample = x if n <= _SAMPLE else x[rng.choice(n, _SAMPLE, replace=False)]
    best_k, best_score = k_min, -np.inf
    for k in range(k_min, k_max + 1):
        labels, _, _ = kmeans(sample, k, seed=seed, n_init=2, max_iter=25)
        score = _silhouette(sample, labels)
        if score > best_score + 1e-9:
            best_k, best_score = k, score
    return best_k


def shorten(text: str, max_words: int = _MAX_WORDS) -> str:
    """A short label from one point: fillers and repeats dropped, cut at a clause."""
    text = _FILLER.sub("", text.strip()).strip(" .,;:!?-")
    head = re.split(r"[,;:()\[\]–—.!?]|\s-\s", text)[0].strip()
    if len(head.split()) >= 2:
        text = head
    words: list[str] = []
    for word in text.split():
        # "LAA LAA LAA" or "ownership, ownership": a word says it once in a label.
        bare = word.lower().strip(",.;:!?")
        # Function words ("the right people round the table") may come twice.
        if bare in _TRAILING or bare not in {w.lower().strip(",.;:!?") for w in words}:
            words.append(word)
    words = words[:max_words]
    while len(words) > 1 and words[-1].lower() in _TRAILING:
        words.pop()
    label = " ".join(words).strip(" ,.;:!?-")
    return label[:1].upper() + label[1:] if label else label


def label_cluster(points: Sequence[str], sims: np.ndarray, taken: set[str]) -> str:
    """A label from the cluster's most central points: the shortest readable one."""
    order = np.argsort(-sims, kind="stable")[:8]
    candidates = []
    for rank, i in enumerate(order):
        label = shorten(points[int(i)], max_words=_LABEL_WORDS)
        words = len(label.split())
        # Prefer the most central point; take a later one only if it reads better.
        penalty = rank * 0.4 + (3 if words < 2 else 0) + max(0, words - 4) * 0.35
        # A label cut short of its clause reads worse than a whole short clause.
        if len(shorten(points[int(i)], max_words=40).split()) > words:
            penalty += 2.5
        candidates.append((penalty, rank, label))
    for _, _, label in sorted(candidates):
        if label and label.lower() not in taken:
            return label
    base = candidates[0][2] or "Other"
    n = 2
    while f"{base} ({n})".lower() in taken:
        n += 1
    return f"{base} ({n})"


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
KEYWORDS = 4  # distinctive words listed under a new theme's label
# Words too general to say what a theme is about, on top of the function words.
_GENERAL = frozenset("""
    about after again against also always how felt feel happen happens matter another
    anyone anything around away back being
    best better between both came can can't cannot come could couldn't day days didn't
    different does doesn't doing done don't down each either else enough even ever every
    everyone everything far few first get gets getting give given go goes going gone good
    got great hard i'd i'm i've into isn't it's keep kept know last less let like little
    lot lots made make makes making many maybe might more much must need needed needs
    never new next nobody none nothing now off often once one only other others our out
    over own part people place point put quite rather real really rest right said same
    say see seem seems should since some someone something sometimes still such sure take
    taken than thing things think those though through time times together took tried
    try trying under until upon used using want wanted way ways well went were what's
    when where whether while whole why will with within without won't work worked working
    would wouldn't year years yes yet
""".split())


def keywords(clusters: Sequence[Sequence[str]], labels: Sequence[str] = ()) -> list[list[str]]:
    """The words that set each cluster apart (class TF-IDF), as its partners wrote them.

    A word counts once per point; it must come from two points of the cluster, and words
    of the cluster's label are left out, so the list adds to the label rather than repeats it.
    """
    def stem(word: str) -> str:
        return word.lower().replace("’", "'")[:5]

    spelt: Counter[tuple[str, str]] = Counter()
    per_cluster: list[Counter[str]] = []
    for points in clusters:
        found: Counter[str] = Counter()
        for point in points:
            words = {w for w in _WORD.findall(point)
                     if len(w) > 2 and w.lower() not in STOP and w.lower() not in _GENERAL}
            for w in words:
                spelt[(stem(w), w.lower())] += 1
            found.update({stem(w) for w in words})
        per_cluster.append(found)
    overall: Counter[str] = Counter()
    for found in per_cluster:
        overall.update(found)
    total = sum(len(points) for points in clusters) or 1
    best_spelling: dict[str, str] = {}
    for (st, word), _ in sorted(spelt.items(), key=lambda kv: (-kv[1], kv[0][1])):
        best_spelling.setdefault(st, word)
    out: list[list[str]] = []
    for c, found in enumerate(per_cluster):
        size = max(1, len(clusters[c]))
        in_label = {stem(w) for w in _WORD.findall(labels[c] if c < len(labels) else "")}
        scored = sorted(
            ((n / size) * np.log(total / overall[st]), st) for st, n in found.items()
            if n >= 2 and st not in in_label
        )
        out.append([best_spelling[st] for _, st in sorted(scored, reverse=True)[:KEYWORDS]])
    return out
