"""The embedding worker's pass over the queue, in a process of its own (for test_vector_pass).

    python -m tests.surveys.vector_pass_run DB LOG

Embeds the queue of the database DB to its end, a batch of `BATCH` texts at a time, with
`LoggedEmbedder`: every text it embeds is appended to LOG (flushed at once), and each takes
a hundredth of a second, so the test can kill the process part-way through the pass.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from storage.db import Database
from storage.vectors import VectorRepository
from surveys.themes import HashingEmbedder
from surveys.vectors import VectorService

BATCH = 8


class LoggedEmbedder(HashingEmbedder):
    """Hashed words, writing down each text it embeds."""

    def __init__(self, log: Path, seconds_a_text: float = 0.0) -> None:
        super().__init__(dim=64)
        self.log = log
        self.seconds_a_text = seconds_a_text

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(self.seconds_a_text * len(texts))
        with self.log.open("a", encoding="utf-8") as out:
            out.writelines(f"{t}\n" for t in texts)
        return super().embed(texts)


async def embed_all(path: Path, log: Path, seconds_a_text: float = 0.0) -> int:
    """Embed the whole queue; how many queued texts were done."""
    async with Database(path) as db:
        service = VectorService(VectorRepository(db),
                                lambda: LoggedEmbedder(log, seconds_a_text))
        done = 0
        while count := await service.embed_queued(BATCH):
            done += count
        return done


if __name__ == "__main__":
    asyncio.run(embed_all(Path(sys.argv[1]), Path(sys.argv[2]), seconds_a_text=0.01))
