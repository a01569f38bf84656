"""Answer vectors worked out in the background, so a report does not wait for the model.

When an answer is stored, its text joins a queue (a database trigger). A worker embeds each
queued text, its points and its whole, and keeps the vectors by the text's hash and the
model's name. A report themes its answers through `CachedEmbedder`, which takes what is
stored and embeds only what is not.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
from collections.abc import Callable, Sequence

import numpy as np

from storage.rounds import RoundRepository
from storage.vectors import VectorRepository
from surveys.errors import maps_store_errors
from surveys.model import Questionnaire
from surveys.templates import questionnaire_from_dict
from surveys.themes import (
    CodebookTheme,
    Embedder,
    builtin_codebook,
    codebook_texts,
    split_points,
)
from surveys.themes.phrases import candidates


def text_key(text: str) -> str:
    """The key a text's vector is stored under."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def model_key(embedder: Embedder) -> str:
    """The embedder's name with its dimension: vectors of other models are never mixed."""
    dim = getattr(embedder, "dim", None) or embedder.embed(["dimension"]).shape[1]
    return f"{embedder.name}/{int(dim)}"


def texts_to_embed(text: str) -> list[str]:
    """What theming will ask vectors for: the answer's points and the answer itself."""
    out = list(dict.fromkeys([*split_points(text), text.strip()]))
    return [t for t in out if t]


def phrase_texts(text: str) -> list[str]:
    """The runs of words of an answer's points that a report may hold up as a theme's label
    or point (`themes.phrases.candidates`), and so embed and keep: erasing the answer
    erases their vectors too."""
    return list(dict.fromkeys(c.text for point in split_points(text)
                              for c in candidates(point)))


class CachedEmbedder:
    """An embedder that answers from stored vectors and embeds only the rest.

    `cache` holds the vectors looked up beforehand (the answers' and the codebook's);
    `stored`, when given, is asked for any other text before the model is (the label and
    point phrases a report holds up, which a report or the worker kept earlier).
    """

    def __init__(self, inner: Embedder, cache: dict[str, np.ndarray],
                 stored: Callable[[list[str]], dict[str, np.ndarray]] | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.cache = cache
        self.stored = stored
        self.hits = 0
        self.misses = 0
        self.fresh: dict[str, np.ndarray] = {}   # worked out here, not yet stored
        for attribute in ("dim", "match_min", "match_min_sparse", "match_floor",
                          "match_floor_sparse", "fallback_note"):
            if hasattr(inner, attribute):
                setattr(self, attribute, getattr(inner, attribute))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of texts, stored ones first."""
        keys = [text_key(t) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self.cache]
        if missing and self.stored is not None:
            self.cache.update(self.stored(list(dict.fromkeys(keys[i] for i in missing))))
            missing = [i for i in missing if keys[i] not in self.cache]
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = self.inner.embed([texts[i] for i in missing])
            for row, i in enumerate(missing):
                self.cache[keys[i]] = fresh[row]
                self.fresh[keys[i]] = fresh[row]
        if not texts:
            return self.inner.embed([])
        return np.stack([self.cache[k] for k in keys]).astype(np.float32, copy=False)


@maps_store_errors
class VectorService:
    """Embeds queued answer texts and serves stored vectors to reports.

    The model works through a batch a slice at a time (`_embed`): stopping the bot mid-batch
    waits for one slice, not the batch, and the batch is embedded again after the restart.
    """

    def __init__(self, repo: VectorRepository, embedder: Callable[[], Embedder],
                 rounds: RoundRepository | None = None) -> None:
        self.repo = repo
        self._make = embedder
        self._embedder: Embedder | None = None
        self.rounds = rounds
        self._warmed: set[int] = set()

    def embedder(self) -> Embedder:
        """The model, loaded on first use."""
        if self._embedder is None:
            self._embedder = self._make()
        return self._embedder

    async def embed_queued(self, batch: int = 64) -> int:
        """Embed up to `batch` queued texts and store their vectors with the texts taken off
        the queue in one transaction; returns how many were done.

        Each call holds one batch, so a pass over 10,000 new answers keeps no more in memory
        than one of 64, and a pass stopped anywhere (even killed) loses nothing: what was
        committed stays, the rest is still queued. A point already stored (shared with an
        earlier answer: "no funding") is not embedded or written again.
        """
        texts = await self.repo.queued(batch)
        if not texts:
            return 0
        embedder = await asyncio.to_thread(self.embedder)
        model = await asyncio.to_thread(model_key, embedder)
        wanted = list(dict.fromkeys(t for text in texts for t in texts_to_embed(text)))
        have = await self.repo.stored_keys(model, [text_key(t) for t in wanted])
        wanted = [t for t in wanted if text_key(t) not in have]
        vectors = await _embed(embedder, wanted) if wanted else None
        rows = [] if vectors is None else [
            (text_key(t), np.asarray(v, dtype=np.float32).tobytes())
            for t, v in zip(wanted, vectors, strict=True)]
        await self.repo.store(model, rows, texts)
        return len(texts)

    async def cached_embedder(self, texts: Sequence[str],
                              also: Sequence[str] = ()) -> CachedEmbedder:
        """An embedder primed with the stored vectors of these answers (and their points) and
        of `also` (e.g. the codebook texts the answers are compared with)."""
        embedder = await asyncio.to_thread(self.embedder)
        wanted = list(dict.fromkeys([*(t for text in texts for t in texts_to_embed(text)),
                                     *also]))
        model = await asyncio.to_thread(model_key, embedder)
        stored = await self.repo.lookup(model, [text_key(t) for t in wanted])
        cache = {key: np.frombuffer(blob, dtype=np.float32) for key, blob in stored.items()}
        loop = asyncio.get_running_loop()

        def more(keys: list[str]) -> dict[str, np.ndarray]:
            """Stored vectors of other texts, asked of this loop from the theming thread."""
            if loop.is_closed() or not loop.is_running():
                return {}  # the loop that reads the database is gone: embed them
            try:
                asyncio.get_running_loop()
                return {}  # on a loop's own thread: waiting here would block it
            except RuntimeError:
                pass
            asked = asyncio.run_coroutine_threadsafe(self.repo.lookup(model, keys), loop)
            try:  # a loop stopping mid-report must not leave this thread waiting for ever
                found = asked.result(timeout=LOOKUP_WAIT)
            except concurrent.futures.TimeoutError:
                asked.cancel()
                return {}
            return {key: np.frombuffer(blob, dtype=np.float32) for key, blob in found.items()}

        return CachedEmbedder(embedder, cache, more)

    async def keep(self, cached: CachedEmbedder) -> int:
        """Store what a report had to embed itself, so the next one need not."""
        if not cached.fresh:
            return 0
        rows = [(key, np.asarray(v, dtype=np.float32).tobytes())
                for key, v in cached.fresh.items()]
        await self.repo.store(await asyncio.to_thread(model_key, cached.inner), rows, [])
        count = len(rows)
        cached.fresh.clear()
        return count

    async def warm_open_rounds(self) -> int:
        """Embed the codebooks of open rounds ahead of their reports; returns texts embedded."""
        if self.rounds is None:
            return 0
        done = 0
        for rnd in await self.rounds.all(("open",)):
            if rnd.id in self._warmed:
                continue
            texts = codebook_texts_of(questionnaire_from_dict(rnd.questionnaire))
            embedder = await asyncio.to_thread(self.embedder)
            model = await asyncio.to_thread(model_key, embedder)
            stored = await self.repo.lookup(model, [text_key(t) for t in texts])
            missing = [t for t in texts if text_key(t) not in stored]
            if missing:
                vectors = await _embed(embedder, missing)
                await self.repo.store(model, [
                    (text_key(t), np.asarray(v, dtype=np.float32).tobytes())
                    for t, v in zip(missing, vectors, strict=True)], [])
            self._warmed.add(rnd.id)
            done += len(missing)
        return done


# Seconds a report's theming thread waits for the database to read it stored vectors of
# phrases (a lookup takes milliseconds); past that it embeds them itself.
LOOKUP_WAIT = 30.0

# Texts the model embeds in one go. A stopping worker is cancelled between slices, and the
# process waits only for the slice under way: about a second of MiniLM on two busy cores.
SLICE = 32


async def _embed(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Vectors of `texts` (at least one), a slice at a time, each off the event loop."""
    parts = [await asyncio.to_thread(embedder.embed, list(texts[i:i + SLICE]))
             for i in range(0, len(texts), SLICE)]
    return np.concatenate(parts)


def codebook_texts_of(questionnaire: Questionnaire) -> list[str]:
    """The codebook texts a report of this questionnaire compares answers with."""
    texts: list[str] = []
    for question in questionnaire.questions:
        codebook = list(builtin_codebook(questionnaire.id, question.id))
        codebook += [CodebookTheme(e.label, e.description, e.examples)
                     for e in question.codebook]
        texts += codebook_texts(codebook)
    return list(dict.fromkeys(texts))
