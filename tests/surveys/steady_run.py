"""One dev question themed in a process of its own (for test_themes_steady).

    python -m tests.surveys.steady_run SET QUESTION [THREADS]

Themes the answers of one question of `bench/data/themes_SET.csv` with no codebook and
prints every theme in full (label, count, points, quotes, answers) and each answer's
themes, as one JSON line. THREADS, when given, is onnxruntime's intra-op thread count.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from surveys.themes import Embedder, MiniLMEmbedder, default_embedder, theme_answers

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


def themed_in_full(dev_set: str, question: str, embedder: Embedder) -> dict[str, object]:
    """Every theme of one dev question, in full."""
    with (DATA / f"themes_{dev_set}.csv").open(newline="", encoding="utf-8") as handle:
        answers = [r["answer"] for r in csv.DictReader(handle) if r["question"] == question]
    themed = theme_answers(answers, embedder=embedder)
    return {"themes": [[t.label, t.count, list(t.points), list(t.quotes),
                        list(t.answer_indexes)] for t in themed.themes],
            "assignments": themed.assignments}


if __name__ == "__main__":
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    model = MiniLMEmbedder(threads=threads) if threads else default_embedder()
    print(json.dumps(themed_in_full(sys.argv[1], sys.argv[2], model), ensure_ascii=False))
