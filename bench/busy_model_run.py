"""`partnerpulse run` with the configured model wrapped so a batch's start is visible.

    PARTNERPULSE_BENCH_BATCH_MARKER=FILE python bench/busy_model_run.py --config bot.toml

Used by bench/shutdown.py: the wrapper writes FILE when the model begins a batch, so SIGTERM
can land while the batch is provably under way (the real model, in its real thread).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import bot.wiring  # noqa: E402
from bot.commands.run import run  # noqa: E402
from surveys.themes import Embedder, default_embedder  # noqa: E402


class MarkedEmbedder:
    """The default model, announcing each batch it begins."""

    def __init__(self) -> None:
        self.inner: Embedder = default_embedder()
        self.name = self.inner.name
        self.dim = getattr(self.inner, "dim", None)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Write the marker (the batch's size), then embed as the bot would."""
        if len(texts) > 1:  # not the one-word probe for the model's dimension
            Path(os.environ["PARTNERPULSE_BENCH_BATCH_MARKER"]).write_text(str(len(texts)))
        return self.inner.embed(texts)


if __name__ == "__main__":
    bot.wiring.default_embedder = MarkedEmbedder  # type: ignore[assignment]
    run()
