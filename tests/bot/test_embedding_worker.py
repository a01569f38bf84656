"""The embedding worker: answers first, then codebooks, then (when due) a pass that themes
the open rounds ahead of their reports."""

from __future__ import annotations

from typing import cast

from bot.embedding import EmbeddingWorker
from surveys.vectors import VectorService


class Vectors:
    """The worker's side of VectorService: a queue of answers and codebooks to warm."""

    def __init__(self) -> None:
        self.queue: list[int] = []
        self.codebooks = 0

    async def embed_queued(self, batch: int = 64) -> int:
        return self.queue.pop(0) if self.queue else 0

    async def warm_open_rounds(self) -> int:
        done, self.codebooks = self.codebooks, 0
        return done


async def test_rounds_are_themed_ahead_only_after_new_answers_and_at_most_every_interval(
        ) -> None:
    vectors = Vectors()
    now = [1000.0]
    passes: list[float] = []

    async def warm() -> int:
        passes.append(now[0])
        return 7

    worker = EmbeddingWorker(cast(VectorService, vectors), warm=warm, warm_every=300,
                             clock=lambda: now[0])
    assert await worker.step() == 0 and passes == []  # nothing came in: nothing to theme
    vectors.queue = [3]
    vectors.codebooks = 12
    assert await worker.step() == 3  # answers first
    assert await worker.step() == 12 and passes == []  # then the codebooks
    assert await worker.step() == 7 and passes == [1000.0]  # then the pass
    assert await worker.step() == 0 and passes == [1000.0]  # no new answers: no pass
    vectors.queue = [2]
    assert await worker.step() == 2
    now[0] += 299
    assert await worker.step() == 0 and len(passes) == 1  # too soon after the last pass
    now[0] += 1
    assert await worker.step() == 7 and passes == [1000.0, 1300.0]


async def test_without_a_pass_to_run_the_worker_only_embeds() -> None:
    vectors = Vectors()
    vectors.queue = [1]
    worker = EmbeddingWorker(cast(VectorService, vectors))
    assert await worker.step() == 1
    assert await worker.step() == 0
