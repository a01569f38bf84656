"""The embedding worker: answers first, then codebooks, then (when due) a pass that themes
the open rounds ahead of their reports."""

from __future__ import annotations

from typing import cast

from bot.embedding import EmbeddingWorker
from bot.updates import PerChatUpdateProcessor
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


async def test_the_worker_waits_for_a_quiet_moment_but_not_for_ever() -> None:
    vectors = Vectors()
    vectors.queue = [5, 4, 3]
    now = [0.0]
    quiet = [0.5]   # seconds since the bot last handled an update
    worker = EmbeddingWorker(cast(VectorService, vectors), clock=lambda: now[0],
                             quiet_for=lambda: quiet[0], quiet=2.0, most_deferred=60.0)
    assert await worker.step() == 0 and vectors.queue == [5, 4, 3]  # partners are tapping
    quiet[0] = 2.0
    assert await worker.step() == 5     # quiet for long enough: a turn
    quiet[0] = 0.0
    now[0] = 100.0
    assert await worker.step() == 0     # busy again: waiting from now on
    now[0] = 159.0
    assert await worker.step() == 0
    now[0] = 160.0
    assert await worker.step() == 4     # waited 60 s under a steady stream: one turn anyway
    assert await worker.step() == 0     # and then it waits again
    now[0] = 220.0
    assert await worker.step() == 3


async def test_quiet_for_counts_from_the_last_update_done() -> None:
    now = [10.0]
    updates = PerChatUpdateProcessor(4, clock=lambda: now[0])
    assert updates.quiet_for() == float("inf")   # nothing handled yet
    seen: list[float] = []

    async def handler() -> None:
        seen.append(updates.quiet_for())   # under way: not quiet
        now[0] = 12.0

    await updates.do_process_update(object(), handler())
    now[0] = 15.0
    assert seen == [0.0] and updates.quiet_for() == 3.0


async def test_what_the_worker_loads_is_set_aside_from_the_collector_once() -> None:
    vectors = Vectors()
    settled: list[int] = []

    async def warm() -> int:
        return 0   # a pass that kept nothing still imported the report's modules

    worker = EmbeddingWorker(cast(VectorService, vectors), warm=warm, warm_every=0,
                             settle=lambda: settled.append(len(settled)))
    assert await worker.step() == 0 and settled == []   # nothing done, nothing loaded
    vectors.queue = [2, 3]
    assert await worker.step() == 2 and settled == [0]  # the model was loaded: settled
    assert await worker.step() == 3 and settled == [0]  # once
    assert await worker.step() == 0 and settled == [0, 1]  # the first pass: once more
    vectors.queue = [1]
    await worker.step()
    await worker.step()
    assert settled == [0, 1]
