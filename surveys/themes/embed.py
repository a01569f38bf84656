"""Sentence vectors for answers: the WordLlama static embedding, or a hashing fallback.

Every vector is float32 and L2-normalised, so a dot product is a cosine. The vector
of one answer depends on that answer alone, so the app can store it with the answer
(`vector_to_bytes`) and theming can reuse it later.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from .segment import split_points

# Phone shorthand expanded before embedding; the model has never seen most of it.
_SHORTHAND = {
    "govt": "government", "gov": "government", "ppl": "people", "mtgs": "meetings",
    "mtg": "meeting", "mgmt": "management", "mngt": "management", "cttee": "committee",
    "orgs": "organisations", "org": "organisation", "info": "information",
    "comms": "communication", "vol": "voluntary", "vcs": "voluntary sector",
    "vcse": "voluntary sector", "3rd": "third", "w/": "with", "b/c": "because",
    "bc": "because", "tbh": "", "imo": "", "imho": "", "v": "very", "thru": "through",
    "n": "and", "&": "and", "+": "and", "esp": "especially", "prob": "probably",
    "probs": "probably", "def": "definitely", "hrs": "hours", "yrs": "years",
    "cos": "because", "coz": "because", "wrk": "work", "wk": "work", "ur": "your",
    "u": "you", "r": "are", "pls": "please", "eg": "for example", "dept": "department",
    "depts": "departments", "reps": "representatives", "rep": "representative",
    "ctee": "committee", "resourcing": "resources", "dosh": "money", "cash": "money",
}
_TOKEN = re.compile(r"[A-Za-z0-9/&+']+|[^\sA-Za-z0-9]")


def normalise(text: str) -> str:
    """Text as the model should see it: shorthand expanded, spacing collapsed."""
    words = []
    for token in _TOKEN.findall(text):
        words.append(_SHORTHAND.get(token.lower(), token))
    return " ".join(w for w in words if w)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def _unit(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class WordLlamaEmbedder:
    """WordLlama's 256-d static embedding, loaded from the files its wheel ships."""

    name = "wordllama-l2-supercat-256"

    def __init__(self) -> None:
        import wordllama
        from wordllama import WordLlama

        # The default offline load looks in a cache folder; the weights sit in the package.
        self._model = WordLlama.load(
            cache_dir=Path(wordllama.__file__).parent, disable_download=True
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 256), dtype=np.float32)
        vectors = self._model.embed([normalise(t) or "-" for t in texts], norm=False)
        return _unit(vectors)


class HashingEmbedder:
    """A model-free fallback: hashed words, word pairs and character trigrams."""

    name = "hashing-1024"

    def __init__(self, dim: int = 1024) -> None:
        self.dim = dim

    def _features(self, text: str) -> list[str]:
        words = [w[:6] for w in re.findall(r"[a-z0-9]+", normalise(text).lower())]
        grams = [f"#{w[i:i + 3]}" for w in words for i in range(max(1, len(w) - 2))]
        pairs = [f"{a}_{b}" for a, b in itertools.pairwise(words)]
        return words + words + pairs + grams

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                out[row, value % self.dim] += 1.0 if value >> 63 else -1.0
        return _unit(out)


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """WordLlama when it is installed, else the hashing fallback; loaded once."""
    try:
        return WordLlamaEmbedder()
    except (ImportError, OSError, FileNotFoundError):
        return HashingEmbedder()


def answer_text(answer: str) -> str:
    """The text whose vector stands for a whole answer (its single point, if just one)."""
    points = split_points(answer)
    return points[0] if len(points) == 1 else answer.strip()


def answer_vector(answer: str, embedder: Embedder | None = None) -> np.ndarray:
    """The vector to store with one answer; theme_answers accepts these as `vectors`."""
    return (embedder or default_embedder()).embed([answer_text(answer)])[0]


def vector_to_bytes(vector: np.ndarray) -> bytes:
    """Bytes for storage: float32, native order."""
    return np.asarray(vector, dtype=np.float32).tobytes()


def vector_from_bytes(blob: bytes) -> np.ndarray:
    """The vector stored by `vector_to_bytes`."""
    return np.frombuffer(blob, dtype=np.float32).copy()
