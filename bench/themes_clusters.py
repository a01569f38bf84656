"""No-codebook theming on the dev sets only, fast enough to compare variants: ARI over seeds,
at full size and with questions cut to the unseen sets' size, and where it is lost.

`bench/themes_quality.py` runs every setting once; this runs only the inductive engine, over
several seeds (`--seeds`), optionally with each question cut into chunks of `--cut` answers
(the unseen sets hold about 60 a question), and embeds each text once for the whole run. For
each set it prints the mean adjusted Rand index of the answers' main themes, the share of
answers left in "Other points", and the ARI of the clusters before they were merged and named
(each answer in the cluster most of its points fell in): the gap between the two is what
merging, naming and "Other points" cost. It never reads the unseen sets.

    .venv/bin/python bench/themes_clusters.py [--seeds 3] [--cut 60] [--sets dev_mixed,...]
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from themes_quality import DEV, adjusted_rand, read

from surveys.themes import Embedder, default_embedder, theme_answers
from surveys.themes.engine import cluster_left
from surveys.themes.features import context_vectors, point_vectors, segment
from surveys.themes.themed import OTHER_ID


class Remembered:
    """An embedder that embeds each text once per run (seeds and cuts repeat texts)."""

    def __init__(self, inner: Embedder, cache: str | None = None) -> None:
        self.inner = inner
        self.name: str = inner.name
        self.seen: dict[str, np.ndarray] = {}
        # `--cache FILE`: the vectors of an earlier run, read now and written by `keep`.
        self.cache = Path(cache) if cache else None
        if self.cache and self.cache.is_file():
            self.seen = pickle.loads(self.cache.read_bytes())

    def keep(self) -> None:
        """Write every vector seen to the cache file, if there is one."""
        if self.cache:
            self.cache.write_bytes(pickle.dumps(self.seen))

    def __getattr__(self, name: str) -> object:  # name, match_min, vector_model…
        return getattr(self.inner, name)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        todo = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if todo:
            self.seen.update(zip(todo, self.inner.embed(todo), strict=True))
        if not texts:
            return self.inner.embed([])
        return np.stack([self.seen[t] for t in texts]).astype(np.float32)


def raw_clusters(answers: list[str], embedder: Embedder, seed: int) -> list[str]:
    """Each answer's cluster before merging and naming: the one most of its points are in
    (the engine's own steps up to `cluster_points`, no codebook)."""
    points, _ = segment(answers)
    if not points:
        return ["-"] * len(answers)
    vecs = point_vectors(points, answers, embedder, {})
    every = np.arange(len(points))
    whole = context_vectors(every, points, answers, vecs, embedder, {})
    votes: list[Counter[int]] = [Counter() for _ in answers]
    for label, idx in enumerate(cluster_left(every, points, vecs, whole, embedder, None, seed)):
        for i in idx:
            votes[points[int(i)].answer][label] += 1
    return [str(v.most_common(1)[0][0]) if v else "-" for v in votes]


def chunks(rows: list[tuple[str, str]], cut: int) -> list[list[tuple[str, str]]]:
    """The question's answers whole, or shuffled (fixed seed) into chunks of `cut`."""
    if not cut or len(rows) <= cut:
        return [rows]
    order = np.random.default_rng(7).permutation(len(rows))
    return [[rows[int(i)] for i in order[s:s + cut]]
            for s in range(0, len(rows) - cut // 2, cut)]


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--cut", type=int, default=0, help="answers a question (0: whole)")
    parser.add_argument("--sets", default="", help="comma-separated dev set names")
    args = parser.parse_args(argv)
    wanted = [s for s in args.sets.split(",") if s] or list(DEV)
    unknown = sorted(set(wanted) - set(DEV))
    if unknown:
        parser.error(f"not dev sets: {', '.join(unknown)} (unseen sets are never run here)")
    embedder = Remembered(default_embedder())
    started = time.perf_counter()
    per_set: dict[str, dict[str, float]] = {}
    out: dict[str, object] = {"seeds": args.seeds, "cut": args.cut, "sets": per_set}
    pooled: dict[str, list[float]] = {"ari": [], "raw_ari": [], "other": []}
    for name in wanted:
        got: dict[str, list[float]] = {"ari": [], "raw_ari": [], "other": []}
        for rows in read(DEV[name]).values():
            for part in chunks(rows, args.cut):
                answers = [a for a, _ in part]
                truth = [t for _, t in part]
                for seed in range(args.seeds):
                    found = theme_answers(answers, embedder=embedder, seed=seed)
                    mains = [a[0] if a else "-" for a in found.assignments]
                    got["ari"].append(adjusted_rand(truth, mains))
                    got["other"].append(float(np.mean([m == OTHER_ID for m in mains])))
                    got["raw_ari"].append(
                        adjusted_rand(truth, raw_clusters(answers, embedder, seed)))
        figures = {k: round(float(np.mean(v)), 4) for k, v in got.items()}
        per_set[name] = figures
        for key, values in got.items():
            pooled[key] += values
        print(f"{name:12} ARI {figures['ari']:.3f} (clusters before naming "
              f"{figures['raw_ari']:.3f}), other points {figures['other']:.1%}")
    totals = {k: round(float(np.mean(v)), 4) for k, v in pooled.items()}
    seconds = round(time.perf_counter() - started, 1)
    out.update(pooled=totals, seconds=seconds)
    print(f"pooled       ARI {totals['ari']:.3f} (clusters before naming "
          f"{totals['raw_ari']:.3f}), other points {totals['other']:.1%}; "
          f"{len(pooled['ari'])} runs, {seconds} s")
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
