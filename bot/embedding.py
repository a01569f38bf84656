"""The background worker that embeds answers as they are stored."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from surveys.vectors import VectorService

log = logging.getLogger(__name__)


# Seconds between two passes of theming the open rounds ahead of their reports.
WARM_EVERY = 300.0


class EmbeddingWorker:
    """Embeds queued answer texts in small batches, idling when the queue is empty.

    When idle it also gets reports ready: the open rounds' codebooks, and, at most every
    `warm_every` seconds and only after new answers came in, the label and point phrases
    a report would embed (`warm`, e.g. `ReportService.warm_themes`), so a coordinator's
    report of 10,000 answers does not wait for some hundreds of them to be embedded.
    """

    def __init__(self, vectors: VectorService, idle: float = 2.0, batch: int = 64,
                 warm: Callable[[], Awaitable[int]] | None = None,
                 warm_every: float = WARM_EVERY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.vectors = vectors
        self.idle = idle
        self.batch = batch
        self.warm = warm
        self.warm_every = warm_every
        self.clock = clock
        self._answers_since_warm = False
        self._last_warm: float | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run in the background."""
        self._task = asyncio.create_task(self.run(), name="embedding-worker")

    async def stop(self) -> None:
        """Stop between two slices of a batch (see `surveys.vectors.SLICE`): the batch under
        way is dropped, not waited for, and embedded again next time."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _warm_due(self) -> bool:
        """Whether to theme the open rounds now: new answers came in since the last pass,
        and that pass is `warm_every` seconds ago (a pass of 10,000 answers takes seconds)."""
        return (self._answers_since_warm
                and (self._last_warm is None
                     or self.clock() - self._last_warm >= self.warm_every))

    async def step(self) -> int:
        """One turn: a batch of queued answers, else the open rounds' codebooks, else (when
        due) their label and point phrases; how much was done (0 when idle)."""
        done = await self.vectors.embed_queued(self.batch)
        self._answers_since_warm = self._answers_since_warm or bool(done)
        if not done:  # idle: get the open rounds' codebooks ready for their reports
            done = await self.vectors.warm_open_rounds()
        if not done and self.warm is not None and self._warm_due():
            self._answers_since_warm = False  # then their label and point phrases
            self._last_warm = self.clock()
            done = await self.warm()
        return done

    async def run(self) -> None:
        """Embed for ever; an error is logged and tried again after a pause."""
        while True:
            try:
                done = await self.step()
            except Exception:  # the model or the database failed; answers are safe, retry
                log.exception("embedding answers failed; trying again shortly")
                done = 0
            if not done:
                await asyncio.sleep(self.idle)
