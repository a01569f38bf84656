"""A map that carries partners' answers nearer the way a codebook describes a theme.

Partners rarely write like a theme's description ("nobody at the table can sign anything
off" against "Lack of 'buy in': lack of commitment from partners …"), and a coordinator's
own codebook has nothing else to match by: no examples, no bank of answers. The map is a
384 x 384 matrix, learned once and offline (`bench/build_answer_map.py`) from labelled
text the package ships — the framework review's bank of answers and every shipped
codebook's examples — so that an answer, mapped, lies nearest its own theme's
"label: description" among its question's themes. What it learned is how answers in
general relate to descriptions, not any one codebook: measured on questions it never saw,
it helps (bench/README.md).

It is shipped for the default model only (`answer-map.npz`, keyed by the model's
`vector_model` and the model file's published SHA-256); another encoder gets no map and
matches as before.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from .codebook import CodebookTheme

MAP_FILE = "answer-map.npz"


def target_text(theme: CodebookTheme) -> str:
    """The text of a theme the map brings answers towards: what a coordinator writes."""
    return f"{theme.label}: {theme.description}" if theme.description else theme.label


@lru_cache(maxsize=4)
def shipped_map(model: str) -> np.ndarray | None:
    """The shipped map for this `vector_model`, if it was made with the model file of the
    published SHA-256; None otherwise."""
    from .embed import made_by

    file = resources.files("surveys").joinpath("codebooks", MAP_FILE)
    if not file.is_file():
        return None
    with file.open("rb") as handle, np.load(handle, allow_pickle=False) as kept:
        if not made_by(kept, model):
            return None
        return np.ascontiguousarray(kept["map"].astype(np.float32))


def mapped(vectors: np.ndarray, answer_map: np.ndarray) -> np.ndarray:
    """Unit rows of the vectors carried by the map."""
    out = vectors @ answer_map
    norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
    return (out / norms).astype(np.float32)


__all__ = ["MAP_FILE", "mapped", "shipped_map", "target_text"]
