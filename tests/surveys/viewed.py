"""The real encoder carrying a learned view of a test's choosing, for tests of clustering."""

from __future__ import annotations

import numpy as np

from surveys.themes import Embedder


class Mapped:
    """The real encoder carrying `projection` as its learned view (None: no view)."""

    def __init__(self, inner: Embedder, projection: np.ndarray | None) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = getattr(inner, "dim", 384)
        self.theme_projection = projection

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed(texts)
