"""Vectors of the texts that say what a theme is, worked out once per encoder.

Theming one question compares its points with every codebook text (label, aspects,
examples) several times over: to match them, to rank an answer's themes by its whole
answer, to judge which answers a theme may quote and take points from, and to tell a
point about the theme. A report does that for each question of a round against the same
template's codebook, and the CLI's one question did it six times: the framework review's
barriers codebook alone (166 texts) took some 10 of the 51 seconds of theming a
1,000-answer CSV. The encoder gives a text the same vector whatever it is embedded with
(embed.py pads each text to a width of its own), so a kept vector is the one it would
give again, and the themes are the same.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence

import numpy as np

from .embed import Embedder

# Kept per encoder; past this many texts the oldest are dropped (a bot process reports on
# many rounds with the one default encoder). The default encoder's vectors of a built-in
# codebook's bank are shipped and not kept here, but another encoder keeps the framework
# review's 3,830 bank answers beside its codebooks' 1,436 texts: at 4,096 the first
# question's were dropped and embedded again on every report. 8,192 vectors of 384 floats
# are 12 MB.
MAX_KEPT = 8192

_kept: weakref.WeakKeyDictionary[Embedder, dict[str, np.ndarray]] = \
    weakref.WeakKeyDictionary()


def _store(embedder: Embedder) -> dict[str, np.ndarray] | None:
    try:
        return _kept.setdefault(embedder, {})
    except TypeError:  # an encoder that cannot be weakly referenced: nothing is kept
        return None


def reference_vectors(texts: Sequence[str], embedder: Embedder,
                      shipped: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """The vectors of texts that stand for themes, each embedded once per encoder. Texts in
    `shipped` (vectors the package ships for this encoder) are taken from there, not kept."""
    shipped = shipped or {}
    store = _store(embedder)
    if store is None:
        todo = [t for t in texts if t not in shipped]
        made = dict(zip(todo, embedder.embed(todo), strict=True)) if todo else {}
        return np.stack([shipped[t] if t in shipped else made[t] for t in texts]) \
            .astype(np.float32, copy=False) if texts else embedder.embed([])
    todo = list(dict.fromkeys(t for t in texts if t not in store and t not in shipped))
    if todo:
        for text, vector in zip(todo, embedder.embed(todo), strict=True):
            store[text] = vector
    if not texts:
        return embedder.embed([])
    out = np.stack([shipped[t] if t in shipped else store[t] for t in texts]) \
        .astype(np.float32, copy=False)
    while len(store) > MAX_KEPT:  # the oldest go first
        del store[next(iter(store))]
    return out


__all__ = ["MAX_KEPT", "reference_vectors"]
