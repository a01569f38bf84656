"""Spherical k-means on unit vectors (what spectral clustering runs on its eigenvectors).

Everything here is O(n·k) per pass.
"""

from __future__ import annotations

import numpy as np


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


def unit_rows(m: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (a zero row stays zero); the dtype is the input's."""
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
            centres = unit_rows(sums).astype(np.float32)
        score = float((x @ centres.T)[np.arange(n), labels].sum())
        if best is None or score > best[2]:
            best = (labels, centres, score)
    assert best is not None
    return best
