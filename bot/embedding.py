"""The background worker that embeds answers as they are stored."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import Awaitable, Callable

from surveys.vectors import VectorService

log = logging.getLogger(__name__)


# Seconds between two passes of theming the open rounds ahead of their reports.
WARM_EVERY = 300.0
# The worker waits until no update has been handled for this long (partners tapping are
# served first: its model and theming would take the event loop's core, and its imports
# and Python work hold the interpreter's lock, from their taps)...
QUIET = 2.0
# ...but no longer than this: under a steady stream of updates it does one turn anyway.
MOST_DEFERRED = 300.0


def settle_heap() -> None:
    """Collect, then set every object alive now aside from later collections (`gc.freeze`).

    What is alive after start-up, and after the model and the report's modules are loaded,
    lives as long as the bot; a full collection would walk it all each time (about 45 ms
    after start-up and 200 ms once the report's modules are in, on the shared machine), a
    pause in the middle of some partner's tap. Frozen, a full collection walks only what
    came after."""
    gc.collect()
    gc.freeze()


class EmbeddingWorker:
    """Embeds queued answer texts in small batches, idling when the queue is empty.

    When idle it also gets reports ready: the open rounds' codebooks, and, at most every
    `warm_every` seconds and only after new answers came in, the label and point phrases
    a report would embed (`warm`, e.g. `ReportService.warm_themes`), so a coordinator's
    report of 10,000 answers does not wait for some hundreds of them to be embedded.

    All of it is background work: given `quiet_for` (seconds since the bot last handled an
    update, `PerChatUpdateProcessor.quiet_for`), a turn waits until that is `quiet` seconds,
    or until it has waited `most_deferred` seconds.
    """

    def __init__(self, vectors: VectorService, idle: float = 2.0, batch: int = 64,
                 warm: Callable[[], Awaitable[int]] | None = None,
                 warm_every: float = WARM_EVERY,
                 clock: Callable[[], float] = time.monotonic,
                 quiet_for: Callable[[], float] | None = None, quiet: float = QUIET,
                 most_deferred: float = MOST_DEFERRED,
                 settle: Callable[[], None] | None = None) -> None:
        self.vectors = vectors
        self.idle = idle
        self.batch = batch
        self.warm = warm
        self.warm_every = warm_every
        self.clock = clock
        self.quiet_for = quiet_for
        self.quiet = quiet
        self.most_deferred = most_deferred
        self._deferred_since: float | None = None
        # After its first turn with work (the model loaded) and its first pass (the report's
        # modules imported), what it loaded is set aside from the garbage collector.
        self.settle = settle
        self._settled: set[str] = set()
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

    def _deferred(self) -> bool:
        """Whether to leave this turn to a quieter moment (partners are tapping)."""
        if self.quiet_for is None or self.quiet_for() >= self.quiet:
            self._deferred_since = None
            return False
        now = self.clock()
        if self._deferred_since is None:
            self._deferred_since = now
        if now - self._deferred_since < self.most_deferred:
            return True
        self._deferred_since = None  # waited long enough: one turn now, then wait again
        return False

    async def step(self) -> int:
        """One turn: a batch of queued answers, else the open rounds' codebooks, else (when
        due) their label and point phrases; how much was done (0 when idle, or when the
        turn waits for a quiet moment)."""
        if self._deferred():
            return 0
        done = await self.vectors.embed_queued(self.batch)
        self._answers_since_warm = self._answers_since_warm or bool(done)
        if not done:  # idle: get the open rounds' codebooks ready for their reports
            done = await self.vectors.warm_open_rounds()
        if done:
            self._settle_once("model")
        if not done and self.warm is not None and self._warm_due():
            self._answers_since_warm = False  # then their label and point phrases
            self._last_warm = self.clock()
            done = await self.warm()
            self._settle_once("report")
        return done

    def _settle_once(self, what: str) -> None:
        if self.settle is not None and what not in self._settled:
            self._settled.add(what)
            self.settle()

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
