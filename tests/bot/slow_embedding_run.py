"""`partnerpulse run` whose model takes ten minutes over every batch (for test_shutdown).

The real command, with one thing swapped before it starts: the embedder the wiring loads.
`SlowEmbedder.embed` writes the file named by PARTNERPULSE_TEST_BATCH_MARKER as it begins,
so the test knows a batch is under way, then blocks as a big batch on a slow CPU would.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import bot.wiring
from bot.commands.run import run

BATCH_SECONDS = 600.0


class SlowEmbedder:
    """An embedder whose every batch outlasts any reasonable wait."""

    name = "slow-test-model"
    dim = 8

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Mark the batch as begun, then take ten minutes over it."""
        Path(os.environ["PARTNERPULSE_TEST_BATCH_MARKER"]).write_text(str(len(texts)))
        time.sleep(BATCH_SECONDS)
        return np.zeros((len(texts), self.dim), dtype=np.float32)


if __name__ == "__main__":
    bot.wiring.default_embedder = SlowEmbedder  # type: ignore[assignment]
    run()
