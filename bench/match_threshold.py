"""Where to set an embedder's codebook match threshold (`match_min`), from the dev sets.

For every answer of `themes_labelled.csv` and `themes_heldout.csv` (each labelled with a
theme of its question's default codebook) this takes the best codebook score of any of
its points, as `theme_answers` computes it, and prints percentiles of those scores. The
5th percentile is the threshold: 95% of answers that a coder put in a codebook theme
clear it, and a point below it is left to the new themes. The 1st percentile is the
embedder's `match_floor`: a point below `match_min` that no new theme takes still goes to
the codebook theme it fits best if it clears that. `themes_test.csv` is not read: it stays
the yardstick of `themes_quality.py`.

With `--sparse` the codebooks are cut to labels and descriptions (a coordinator's own, no
examples), whose scores sit lower: those percentiles are the embedder's `match_min_sparse`
and `match_floor_sparse`.

    .venv/bin/python bench/match_threshold.py [--embedder default|minilm|wordllama|hashing]
        [--sparse]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from themes_quality import EMBEDDERS, TEMPLATE, sparse

from surveys.themes import builtin_codebook
from surveys.themes.features import point_vectors, segment
from surveys.themes.matching import match_scores

DATA = Path(__file__).parent / "data"
DEV = (DATA / "themes_labelled.csv", DATA / "themes_heldout.csv")


def best_scores(path: Path, embedder: object, cut: bool = False) -> list[float]:
    """The best codebook score of each answer of one labelled set."""
    by_q: dict[str, list[str]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_q[row["question"]].append(row["answer"])
    out: list[float] = []
    for question, answers in by_q.items():
        points, _ = segment(answers)
        vecs = point_vectors(points, answers, embedder, {})  # type: ignore[arg-type]
        book = builtin_codebook(TEMPLATE, question)
        # The codebook's own texts, without its bank's vote: what `match_min` is held to.
        scores, _ = match_scores(sparse(book) if cut else book, vecs,
                                 embedder, [p.text for p in points])  # type: ignore[arg-type]
        best = np.full(len(answers), -np.inf)
        for i, p in enumerate(points):
            best[p.answer] = max(best[p.answer], float(scores[i].max()))
        out += [b for b in best if np.isfinite(b)]
    return out


def main() -> None:
    """Print the percentiles and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", choices=sorted(EMBEDDERS), default="default")
    parser.add_argument("--sparse", action="store_true",
                        help="codebooks of labels and descriptions only (match_min_sparse)")
    args = parser.parse_args()
    embedder = EMBEDDERS[args.embedder]()
    scores = [s for path in DEV for s in best_scores(path, embedder, args.sparse)]
    figures = {f"p{q}": round(float(np.percentile(scores, q)), 3) for q in (1, 5, 10, 25, 50)}
    print(f"{embedder.name}: {len(scores)} answers; best codebook score percentiles {figures}")
    tail = "_sparse" if args.sparse else ""
    print(f"match_min{tail} = {figures['p5']}, match_floor{tail} = {figures['p1']}")
    print(json.dumps({"embedder": embedder.name, "sparse": args.sparse, "answers": len(scores),
                      **figures}))


if __name__ == "__main__":
    main()
