"""A learned view of the encoder's space in which answers making the same point lie close.

The sentence encoder groups answers by wording and style as much as by the point made:
"no money" and "budgets are stretched to breaking" lie apart, two rambling answers on
different points lie close. The framework review's bank of labelled answers (bank.py: 3,830
answers in many styles, each coded with the point it makes) shows which directions of the
space tell points apart and which only tell styles apart. `bench/build_theme_projection.py`
learns from it, offline, a linear map (linear discriminant analysis with shrinkage, on
answers centred per question) and ships it here, keyed to the default model's name and
published SHA-256 like the bank's vectors; the fallback encoders get none. New themes are
clustered on each point's vector blended with its image under the map (features.py): a
matrix product at run time. The map is only a view for clustering; labels, points and
quotes are still chosen from what partners said, in the encoder's own space.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from .embed import Embedder, made_by, vector_model

PROJECTION_FILE = Path(__file__).parent / "data" / "theme-projection.npz"
_UNSET = object()


@lru_cache(maxsize=4)
def shipped_projection(model: str) -> np.ndarray | None:
    """The shipped map (dim × k, float32) if it was learned on vectors of this
    `vector_model` made by the model file of the published SHA-256; None otherwise."""
    if not PROJECTION_FILE.is_file():
        return None
    with np.load(PROJECTION_FILE, allow_pickle=False) as kept:
        if not made_by(kept, model):
            return None
        matrix = kept["projection"].astype(np.float32)
    matrix.setflags(write=False)  # shared by every theming in the process
    return matrix


def projection_of(embedder: Embedder) -> np.ndarray | None:
    """The map new themes are clustered in for this encoder: its own `theme_projection`
    if it carries one (a bench measuring a map learned without the set it themes), else
    the shipped one if it was learned on this encoder's vectors, else None."""
    own = getattr(embedder, "theme_projection", _UNSET)
    if own is not _UNSET:
        return None if own is None else np.asarray(own, dtype=np.float32)
    dim = getattr(embedder, "dim", None)
    if dim is None:  # only the shipped encoders know their length
        return None
    matrix = shipped_projection(vector_model(embedder))
    if matrix is None or matrix.shape[0] != int(dim):
        return None
    return matrix


__all__ = ["PROJECTION_FILE", "projection_of", "shipped_projection"]
