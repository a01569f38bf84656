"""Average-linkage clustering on cosine similarity, bounded to a sample.

The O(n²) merge runs on at most `SAMPLE` points; every other point joins the cluster
whose centroid it is nearest, so 10,000 points cost about what 2,000 do.
"""

from __future__ import annotations

import numpy as np

SAMPLE = 2000  # points merged pairwise; the rest are assigned to the nearest centroid
_NONE = -np.inf


def _merges(x: np.ndarray) -> list[tuple[int, int]]:
    """The order in which average linkage merges the rows of x: (kept, absorbed) pairs."""
    n = x.shape[0]
    sim = (x @ x.T).astype(np.float64)
    np.fill_diagonal(sim, _NONE)
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    best = sim.argmax(axis=1)
    best_sim = sim[np.arange(n), best]
    merges: list[tuple[int, int]] = []
    for _ in range(n - 1):
        i = int(np.argmax(np.where(alive, best_sim, _NONE)))
        j = int(best[i])
        # The merged cluster's similarity to every other is the size-weighted mean.
        row = (size[i] * sim[i] + size[j] * sim[j]) / (size[i] + size[j])
        row[~alive] = _NONE
        row[i] = row[j] = _NONE
        sim[i], sim[:, i] = row, row
        sim[j], sim[:, j] = _NONE, _NONE
        size[i] += size[j]
        alive[j] = False
        best_sim[j] = _NONE
        merges.append((i, j))
        # Rows that pointed at i or j must look again; others may now prefer i.
        stale = np.flatnonzero(alive & ((best == i) | (best == j)))
        for r in stale:
            best[r] = int(sim[r].argmax())
            best_sim[r] = sim[r, best[r]]
        better = alive & (row > best_sim)
        best[better] = i
        best_sim[better] = row[better]
        if alive.sum() > 1:
            best[i] = int(sim[i].argmax())
            best_sim[i] = sim[i, best[i]]
    return merges


def cut(merges: list[tuple[int, int]], n: int, k: int) -> np.ndarray:
    """Labels 0..k-1 of n points after the first n-k merges."""
    parent = np.arange(n)
    for i, j in merges[: max(0, n - k)]:
        parent[j] = i
    root = parent.copy()
    for _ in range(n):  # follow pointers until every point names its cluster's root
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    _, labels = np.unique(root, return_inverse=True)
    return labels


def centroids(x: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Unit centroid of each label."""
    sums = np.zeros((k, x.shape[1]), dtype=np.float32)
    np.add.at(sums, labels, x)
    return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)


def sample_rows(n: int, seed: int, limit: int | None = None) -> np.ndarray:
    """Indexes of the rows merged pairwise: all of them, or a seeded sample."""
    limit = limit or SAMPLE
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, limit, replace=False))





def _silhouette_from_sim(sim: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette with cosine distance, given the similarity matrix."""
    ks, own = np.unique(labels, return_inverse=True)
    if len(ks) < 2:
        return -1.0
    onehot = np.zeros((len(labels), len(ks)), dtype=np.float32)
    onehot[np.arange(len(labels)), own] = 1.0
    sizes = onehot.sum(axis=0)
    sums = (1.0 - sim) @ onehot
    rows = np.arange(len(labels))
    own_size = sizes[own]
    a = sums[rows, own] / np.maximum(own_size - 1, 1)
    other = sums / np.maximum(sizes, 1)
    other[rows, own] = np.inf
    b = other.min(axis=1)
    s = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def cluster(
    x: np.ndarray, n_clusters: int | None = None, seed: int = 0, k_max: int = 15
) -> tuple[np.ndarray, np.ndarray]:
    """Labels and unit centroids of unit rows x; k from the silhouette unless given."""
    n = x.shape[0]
    if n < 2:
        return np.zeros(n, dtype=int), x[:1].copy()
    rows = sample_rows(n, seed)
    xs = x[rows]
    merges = _merges(xs)
    if n_clusters:
        k = min(n_clusters, len(rows))
    else:
        sim = xs @ xs.T
        k_top = min(k_max, max(2, int(np.sqrt(len(rows)) * 1.5)), len(rows) // 2)
        k, best = 1, -np.inf
        for cand in range(2, k_top + 1):
            score = _silhouette_from_sim(sim, cut(merges, len(rows), cand))
            if score > best + 1e-9:
                k, best = cand, score
    centres = centroids(xs, cut(merges, len(rows), k), k)
    return (x @ centres.T).argmax(axis=1), centres
__all__ = ["SAMPLE", "centroids", "cluster", "cut", "sample_rows"]
