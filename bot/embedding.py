"""The background worker that embeds answers as they are stored."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from surveys.vectors import VectorService

log = logging.getLogger(__name__)


class EmbeddingWorker:
    """Embeds queued answer texts in small batches, idling when the queue is empty."""

    def __init__(self, vectors: VectorService, idle: float = 2.0, batch: int = 64) -> None:
        self.vectors = vectors
        self.idle = idle
        self.batch = batch
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

    async def run(self) -> None:
        """Embed for ever; an error is logged and tried again after a pause."""
        while True:
            try:
                done = await self.vectors.embed_queued(self.batch)
                if not done:  # idle: get the open rounds' codebooks ready for their reports
                    done = await self.vectors.warm_open_rounds()
            except Exception:  # the model or the database failed; answers are safe, retry
                log.exception("embedding answers failed; trying again shortly")
                done = 0
            if not done:
                await asyncio.sleep(self.idle)
