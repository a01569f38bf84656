"""`partnerpulse run` whose model takes a tenth of a second a text (for test_shutdown).

The real command, with one thing swapped before it starts: the embedder the wiring loads.
`SlowEmbedder.embed` writes the file named by PARTNERPULSE_TEST_BATCH_MARKER as it begins,
so the test knows a batch is under way; an open round's codebook (1,436 texts) then takes
two and a half minutes, a slice of 32 about three seconds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import bot.wiring
from bot.commands.run import run

SECONDS_A_TEXT = 0.1


class SlowEmbedder:
    """An embedder ten times slower than MiniLM on a busy two-core machine."""

    name = "slow-test-model"
    dim = 8

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Mark the batch as begun, then take a tenth of a second a text."""
        Path(os.environ["PARTNERPULSE_TEST_BATCH_MARKER"]).write_text(str(len(texts)))
        time.sleep(SECONDS_A_TEXT * len(texts))
        return np.zeros((len(texts), self.dim), dtype=np.float32)


if __name__ == "__main__":
    bot.wiring.default_embedder = SlowEmbedder  # type: ignore[assignment]
    run()
