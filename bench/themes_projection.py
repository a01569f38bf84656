"""The learned map (build_theme_projection.py) measured honestly on the dev sets, no codebook.

Each dev set is themed with a map learned without it: leave one set out (`loso`: the bank
of every other dev set) and, stricter, leave one question out (`loqo`: also without any
set's answers to the question being themed, so the map cannot know that question's
themes). Per set and pooled, the mean ARI of the answers' main themes over `--seeds`
clustering seeds, against the engine with no map (`none`), for each setting of
`--configs` (dimensions:shrinkage:power:share, comma-separated). `--raw` measures the
clusters before merging and naming only (faster, for a first sweep). Never reads the
unseen sets. Each text is embedded once a run (`--cache FILE` keeps them between runs).

    .venv/bin/python bench/themes_projection.py --seeds 3 --configs 48:0.3:0.5:0.5
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_theme_projection as builder
from build_answer_bank import bank_rows
from common import add_dev_theme_args, dev_theme_sets
from themes_clusters import Remembered, raw_clusters
from themes_quality import DEV, adjusted_rand, read

from surveys.themes import default_embedder, theme_answers
from surveys.themes import features as features_module

MODES = ("none", "loso", "loqo")


def parse_config(text: str) -> tuple[int, float, float, float]:
    dims, shrinkage, power, share = text.split(":")
    return int(dims), float(shrinkage), float(power), float(share)


class Folds:
    """Maps learned without a dev set (and a question), each learned once a run."""

    def __init__(self) -> None:
        self.vectors = builder.bank()[2]
        self.rows: dict[str, list[tuple[str, str, str]]] = {}
        self.maps: dict[tuple[object, ...], np.ndarray] = {}

    def map(self, mode: str, dev_set: str, question: str, dims: int, shrinkage: float,
            power: float) -> np.ndarray:
        key = (mode, dev_set, question if mode == "loqo" else "", dims, shrinkage, power)
        if key not in self.maps:
            if dev_set not in self.rows:
                self.rows[dev_set] = bank_rows(n for n in DEV if n != dev_set)
            rows = [r for r in self.rows[dev_set] if mode != "loqo" or r[0] != question]
            x, questions, themes = builder.training_rows(rows, self.vectors)
            self.maps[key] = builder.fit(x, questions, themes, dims, shrinkage, power)
        return self.maps[key]


def mains_of(answers: Sequence[str], embedder: Remembered, seed: int, raw: bool) -> list[str]:
    if raw:
        return raw_clusters(list(answers), embedder, seed)
    found = theme_answers(answers, embedder=embedder, seed=seed)
    return [a[0] if a else "-" for a in found.assignments]


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_dev_theme_args(parser, seeds=3, modes=",".join(MODES))
    parser.add_argument("--configs", default=f"{builder.DIMENSIONS}:{builder.SHRINKAGE}:"
                        f"{builder.POWER}:{features_module.PROJECTED_SHARE}")
    parser.add_argument("--raw", action="store_true", help="clusters before naming only")
    args = parser.parse_args(argv)
    wanted = dev_theme_sets(parser, args, DEV)
    embedder = Remembered(default_embedder(), args.cache)
    folds = Folds()
    data = {name: read(DEV[name]) for name in wanted}
    started = time.perf_counter()
    results: dict[str, dict[str, float]] = {}
    modes = [m for m in args.modes.split(",") if m]
    runs = [("none", None)] if "none" in modes else []
    runs += [(m, parse_config(c)) for c in args.configs.split(",") for m in modes if m != "none"]
    for mode, config in runs:
        tag = mode if config is None else f"{mode} {':'.join(map(str, config))}"
        per_set: dict[str, float] = {}
        pooled: list[float] = []
        for name, questions in data.items():
            got = []
            for question, rows in questions.items():
                answers = [a for a, _ in rows]
                truth = [t for _, t in rows]
                if config is None:
                    embedder.theme_projection = None
                else:
                    dims, shrinkage, power, share = config
                    features_module.PROJECTED_SHARE = share
                    embedder.theme_projection = folds.map(mode, name, question, dims,
                                                          shrinkage, power)
                for seed in range(args.seeds):
                    got.append(adjusted_rand(truth, mains_of(answers, embedder, seed, args.raw)))
            per_set[name] = round(float(np.mean(got)), 4)
            pooled += got
        per_set["pooled"] = round(float(np.mean(pooled)), 4)
        results[tag] = per_set
        print(f"{tag:28} pooled {per_set['pooled']:.3f}  " + " ".join(
            f"{n} {v:.3f}" for n, v in per_set.items() if n != "pooled"), flush=True)
    embedder.keep()
    out = {"seeds": args.seeds, "raw": args.raw, "results": results,
           "seconds": round(time.perf_counter() - started, 1)}
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
