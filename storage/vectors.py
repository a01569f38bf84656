"""The queue of texts to embed and the cache of their vectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.db import Database


class VectorRepository:
    """Texts waiting for a vector, and vectors by text hash and model."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def queued(self, limit: int) -> list[str]:
        """Texts waiting to be embedded (in text order: the queue keeps no time)."""
        async with self.db.read() as conn:
            cur = await conn.execute(
                "SELECT text FROM embed_queue ORDER BY text LIMIT ?", (limit,))
            return [r[0] for r in await cur.fetchall()]

    async def store(self, model: str, vectors: Sequence[tuple[str, bytes]],
                    done: Sequence[str]) -> None:
        """Keep vectors (by text hash) and take the embedded texts off the queue, at once."""
        async with self.db.write() as conn:
            await conn.executemany(
                "INSERT OR REPLACE INTO text_vectors (text_hash, model, vector) VALUES (?, ?, ?)",
                [(key, model, blob) for key, blob in vectors])
            await conn.executemany("DELETE FROM embed_queue WHERE text = ?",
                                   [(text,) for text in done])

    async def lookup(self, model: str, keys: Sequence[str]) -> dict[str, bytes]:
        """Stored vectors of a model for the given text hashes."""
        return {r[0]: r[1] for r in await self._stored(model, keys, "text_hash, vector")}

    async def stored_keys(self, model: str, keys: Sequence[str]) -> set[str]:
        """Which of these text hashes already have a vector of the model."""
        return {r[0] for r in await self._stored(model, keys, "text_hash")}

    async def _stored(self, model: str, keys: Sequence[str], columns: str) -> list[Any]:
        """Rows of a model's vectors under these hashes, 500 hashes a statement (under the
        999 bound parameters that older SQLite builds allow)."""
        rows: list[Any] = []
        async with self.db.read() as conn:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                marks = ",".join("?" * len(chunk))
                cur = await conn.execute(
                    f"SELECT {columns} FROM text_vectors WHERE model = ?"
                    f" AND text_hash IN ({marks})", (model, *chunk))
                rows.extend(await cur.fetchall())
        return rows

    async def forget(self, keys: Sequence[str], texts: Sequence[str]) -> None:
        """Delete the vectors under these text hashes (every model) and unqueue these texts."""
        async with self.db.write() as conn:
            await conn.executemany("DELETE FROM text_vectors WHERE text_hash = ?",
                                   [(key,) for key in keys])
            await conn.executemany("DELETE FROM embed_queue WHERE text = ?",
                                   [(text,) for text in texts])

    async def queue_size(self) -> int:
        """How many texts wait for a vector."""
        async with self.db.read() as conn:
            row = await (await conn.execute("SELECT COUNT(*) FROM embed_queue")).fetchone()
        return int(row[0]) if row else 0
