"""Spectral clustering of unit vectors on a nearest-neighbour graph, k by modularity.

Short answers sit on thin, curved clusters that centroid methods cut badly: linking
each answer to its few nearest neighbours and clustering that graph follows them. The
graph work (an eigendecomposition) runs on at most `SAMPLE` points; every other point
joins the cluster whose centroid it is nearest, so 10,000 points cost about what 1,500 do.

OpenBLAS splits a product or an eigendecomposition differently with each thread count, and
the last bits of the result change with the split (a 1,500-point `eigh` or matrix product
differs between 1 and 2 threads), so themes could depend on the server's cores. Theming
runs on one BLAS thread (`one_blas_thread`): the same answers, the same themes, on any
core count; one thread is also faster when other work shares the cores.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from threadpoolctl import threadpool_limits

from .cluster import kmeans, unit_rows

SAMPLE = 1500  # points in the graph; the rest are assigned to the nearest centroid
NEIGHBOURS = 10  # edges per point in the graph (fewer for very few points)
K_MAX = 15  # most themes chosen from the data
RESOLUTION = 1.4  # above 1, modularity favours more, smaller themes (set on the labelled sets)


_PIN_LOCK = threading.Lock()
_pinned = 0  # themings in progress, in any thread, under the one-thread limit
_limiter: threadpool_limits | None = None


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS limited to one thread while the block runs (and while any other thread's
    block runs: the limit is process-wide, so the last to leave lifts it)."""
    global _pinned, _limiter
    with _PIN_LOCK:
        if _pinned == 0:
            _limiter = threadpool_limits(limits=1, user_api="blas")
        _pinned += 1
    try:
        yield
    finally:
        with _PIN_LOCK:
            _pinned -= 1
            if _pinned == 0 and _limiter is not None:
                _limiter.restore_original_limits()
                _limiter = None


def sample_rows(n: int, seed: int, limit: int | None = None) -> np.ndarray:
    """Indexes of the rows that make the graph: all of them, or a seeded sample."""
    limit = limit or SAMPLE
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, limit, replace=False))


def neighbour_graph(x: np.ndarray, neighbours: int = NEIGHBOURS) -> np.ndarray:
    """Symmetric weights: cosine similarity to each point's nearest neighbours, else 0."""
    n = x.shape[0]
    nn = max(1, min(neighbours, n - 1))
    weights = np.zeros((n, n), dtype=np.float32)
    for start in range(0, n, 256):  # a block of rows at a time: no n×n temporaries
        block = np.arange(start, min(n, start + 256))
        sim = (x[block] @ x.T).astype(np.float32)
        sim[np.arange(len(block)), block] = -np.inf
        nearest = np.argpartition(-sim, nn - 1, axis=1)[:, :nn]
        kept = np.take_along_axis(sim, nearest, axis=1)
        # A floor keeps a point linked even where every neighbour is dissimilar.
        weights[block[:, None], nearest] = np.maximum(kept, 1e-3)
    return np.maximum(weights, weights.T)


def modularity(weights: np.ndarray, labels: np.ndarray, resolution: float = 1.0) -> float:
    """Newman's modularity of a partition of a weighted graph, at a resolution."""
    total = float(weights.sum())
    if total <= 0:
        return 0.0
    k = int(labels.max()) + 1
    onehot = np.zeros((len(labels), k))
    onehot[np.arange(len(labels)), labels] = 1.0
    inside = np.einsum("ik,ij,jk->", onehot, weights, onehot)
    degree = onehot.T @ weights.sum(axis=1)
    return float(inside / total - resolution * ((degree / total) ** 2).sum())


class _Edges:
    """A sparse neighbour graph's edges, for modularity in O(edges) rather than O(n²k)."""

    def __init__(self, weights: np.ndarray) -> None:
        self.i, self.j = np.nonzero(weights)
        self.w = weights[self.i, self.j].astype(np.float64)
        self.degree = weights.sum(axis=1).astype(np.float64)
        self.total = float(self.w.sum())

    def modularity(self, labels: np.ndarray, resolution: float = 1.0) -> float:
        """Newman's modularity of a partition, at a resolution (as `modularity`)."""
        if self.total <= 0:
            return 0.0
        inside = float(self.w[labels[self.i] == labels[self.j]].sum())
        degree = np.bincount(labels, weights=self.degree)
        return inside / self.total - resolution * float(((degree / self.total) ** 2).sum())


def _spectral_labels(vectors: np.ndarray, k: int, seed: int) -> np.ndarray:
    """k-means on the row-normalised leading k eigenvectors."""
    u = vectors[:, :k]
    u = unit_rows(u)
    labels, _, _ = kmeans(u.astype(np.float32), k, seed=seed, n_init=6)
    _, labels = np.unique(labels, return_inverse=True)  # no empty label numbers
    return labels


def centroids(x: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Unit centroid of each label."""
    sums = np.zeros((k, x.shape[1]), dtype=np.float32)
    np.add.at(sums, labels, x)
    return unit_rows(sums)


def cluster(
    x: np.ndarray, n_clusters: int | None = None, seed: int = 0, k_max: int = K_MAX
) -> tuple[np.ndarray, np.ndarray]:
    """Labels and unit centroids of unit rows x; k by graph modularity unless given."""
    n = x.shape[0]
    if n < 3:
        return np.zeros(n, dtype=int), x[:1].copy()
    rows = sample_rows(n, seed)
    xs = x[rows]
    weights = neighbour_graph(xs, NEIGHBOURS)
    scale = (1.0 / np.sqrt(np.maximum(weights.sum(axis=1), 1e-12))).astype(np.float32)
    normalised = weights * scale[:, None]
    normalised *= scale[None, :]
    _, vectors = np.linalg.eigh(normalised)
    del normalised
    vectors = vectors[:, ::-1]  # leading eigenvectors first
    edges = _Edges(weights)
    del weights
    if n_clusters:
        k = max(1, min(n_clusters, len(rows)))
        labels = _spectral_labels(vectors, k, seed) if k > 1 else np.zeros(len(rows), int)
    else:
        k_top = min(k_max, max(2, len(rows) // 3))
        best = -np.inf
        labels = np.zeros(len(rows), dtype=int)
        for cand in range(2, k_top + 1):
            found = _spectral_labels(vectors, cand, seed)
            score = edges.modularity(found, RESOLUTION)
            if score > best + 1e-9:
                best, labels = score, found
    k = int(labels.max()) + 1
    centres = centroids(xs, labels, k)
    if len(rows) == n:
        return labels, centres
    out = (x @ centres.T).argmax(axis=1)
    out[rows] = labels  # the sample keeps its graph clusters
    return out, centres


__all__ = ["SAMPLE", "centroids", "cluster", "modularity", "neighbour_graph", "one_blas_thread",
           "sample_rows"]
