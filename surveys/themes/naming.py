"""A second try at naming a new theme, in the view it was clustered in.

New themes are clustered in the learned view (projection.py, features.py): there, answers
making the same point lie close though told as different stories. They are named in the
encoder's own space (represent.py), where a theme of such answers has a wide spread: no
phrase of theirs lies close enough to its centre, or is said in other words by a second
answer, and the whole theme went to "Other points". On the dev sets half the new themes of
members telling what happened in their own organisation's terms were lost so, against none
of the plainer sets (bench/README.md, "Where no-codebook theming loses"). A theme no
phrase names in the encoder's space is tried again with every vector seen in the view: the
same rules (`represent.describe`: a phrase partners used, a heading by `is_label`, close to
the theme's centre, backed by two of its answers), the same thresholds, only the space in
which "close" is measured is the one the theme was found in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .embed import Embedder
from .features import ThemeView, unit
from .represent import Description, Draft, describe


class _Viewed:
    """An encoder whose vectors are seen in a question's view."""

    def __init__(self, inner: Embedder, view: ThemeView) -> None:
        self.inner = inner
        self.view = view
        self.name = f"{inner.name}+view"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.view(self.inner.embed(texts))


def named_in_view(drafts: Sequence[Draft], found: list[Description], view: ThemeView | None,
                  embedder: Embedder, question: str, counts: Sequence[int],
                  known: dict[str, np.ndarray]) -> list[Description]:
    """`found` with each new theme that got no label named again in the view, where a
    phrase passes there; the rest as they were."""
    todo = [k for k, (draft, got) in enumerate(zip(drafts, found, strict=True))
            if not draft.label and not got.label and len(draft.texts)]
    if view is None or not todo:
        return found
    texts = list(dict.fromkeys(t for k in todo for t in drafts[k].texts))
    seen = dict(zip(texts, view(np.stack([known[t] for t in texts])), strict=True))
    again = describe(
        [replace(drafts[k], centre=unit(np.stack([seen[t] for t in drafts[k].texts])
                                        .sum(axis=0, keepdims=True))[0]) for k in todo],
        _Viewed(embedder, view), question, [counts[k] for k in todo], known=seen)
    out = list(found)
    for k, got in zip(todo, again, strict=True):
        if got.label:
            out[k] = got
    return out


__all__ = ["named_in_view"]
