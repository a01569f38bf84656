"""Where no-codebook theming loses on the dev sets: per set and question, what the loss is.

For each dev set and question, themed with the learned map made without the set (`loso`) or
without the set and the question (`loqo`, a coordinator's new question), over `--seeds`:

- ARI of the answers' main themes, and of the clusters before merging and naming (`raw`);
- k: the themes the engine kept (not "Other points") against the coders' number;
- homogeneity and completeness of the main themes ("Other points" left out): low
  completeness with high homogeneity is one coders' theme split over several, the reverse
  several coders' themes in one;
- the share of answers in "Other points", and ARI of the rest alone;
- ARI when the engine is given the coders' k (`truek`: is choosing k the loss?);
- per answer (majority coders' theme of its main theme = its own?), by length in words and
  by the number of points it makes, pooled over sets: which answers are lost.

Never reads the unseen sets. `--cache FILE` keeps the texts' vectors between runs.

    .venv/bin/python bench/themes_diagnose.py --seeds 2 --modes loqo --cache /tmp/v.pkl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import add_dev_theme_args, dev_theme_sets
from themes_clusters import Remembered, raw_clusters
from themes_projection import Folds
from themes_quality import DEV, adjusted_rand, read

from surveys.themes import default_embedder, theme_answers
from surveys.themes.features import segment
from surveys.themes.themed import OTHER_ID

LENGTHS = ((0, 5), (6, 14), (15, 40), (41, 10_000))


def entropy(counts: np.ndarray) -> float:
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def homogeneity_completeness(truth: list[str], pred: list[str]) -> tuple[float, float]:
    """V-measure's two halves: does each found theme hold one coders' theme (homogeneity),
    is each coders' theme in one found theme (completeness)."""
    t = {v: i for i, v in enumerate(sorted(set(truth)))}
    p = {v: i for i, v in enumerate(sorted(set(pred)))}
    table = np.zeros((len(t), len(p)))
    for a, b in zip(truth, pred, strict=True):
        table[t[a], p[b]] += 1
    n = table.sum()
    h_t, h_p = entropy(table.sum(axis=1)), entropy(table.sum(axis=0))
    cond_t = sum(entropy(col) * col.sum() / n for col in table.T if col.sum())  # H(T|P)
    cond_p = sum(entropy(row) * row.sum() / n for row in table if row.sum())  # H(P|T)
    return (1.0 if h_t == 0 else 1 - cond_t / h_t), (1.0 if h_p == 0 else 1 - cond_p / h_p)


def right_answers(truth: list[str], pred: list[str]) -> list[bool]:
    """Each answer: is its coders' theme the majority of its found theme ("Other points"
    never right)."""
    members: dict[str, Counter[str]] = defaultdict(Counter)
    for a, b in zip(truth, pred, strict=True):
        members[b][a] += 1
    return [b != OTHER_ID and members[b].most_common(1)[0][0] == a
            for a, b in zip(truth, pred, strict=True)]


def bucket(words: int) -> str:
    for low, high in LENGTHS:
        if low <= words <= high:
            return f"{low}-{high}" if high < 10_000 else f"{low}+"
    return "?"


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_dev_theme_args(parser, seeds=2, modes="loso,loqo")
    parser.add_argument("--truek", action="store_true", help="also theme with the coders' k")
    parser.add_argument("--raw", action="store_true", help="also the clusters before naming")
    args = parser.parse_args(argv)
    wanted = dev_theme_sets(parser, args, DEV)
    embedder = Remembered(default_embedder(), args.cache)
    folds = Folds()
    out: dict[str, object] = {}
    for mode in [m for m in args.modes.split(",") if m]:
        rows_out = []
        by_len: dict[str, list[bool]] = defaultdict(list)
        by_points: dict[str, list[bool]] = defaultdict(list)
        pooled: dict[str, list[float]] = defaultdict(list)
        print(f"== {mode}: set question n k_true | ARI raw truek | k_eng other | "
              "hom comp | ARI-without-other")
        for name in wanted:
            for question, rows in read(DEV[name]).items():
                answers = [a for a, _ in rows]
                truth = [t for _, t in rows]
                embedder.theme_projection = folds.map(mode, name, question, 48, 0.3, 0.5)
                points, _ = segment(answers)
                n_points = Counter(p.answer for p in points)
                got: dict[str, list[float]] = defaultdict(list)
                for seed in range(args.seeds):
                    found = theme_answers(answers, embedder=embedder, seed=seed)
                    mains = [a[0] if a else "-" for a in found.assignments]
                    got["ari"].append(adjusted_rand(truth, mains))
                    if args.raw:
                        got["raw"].append(
                            adjusted_rand(truth, raw_clusters(answers, embedder, seed)))
                    if args.truek:
                        fixed = theme_answers(answers, embedder=embedder, seed=seed,
                                              n_themes=len(set(truth)))
                        got["truek"].append(adjusted_rand(
                            truth, [a[0] if a else "-" for a in fixed.assignments]))
                    kept = [i for i, m in enumerate(mains) if m != OTHER_ID]
                    got["k"].append(len({mains[i] for i in kept}))
                    got["other"].append(1 - len(kept) / len(mains))
                    if len(kept) > 1:
                        h, c = homogeneity_completeness([truth[i] for i in kept],
                                                        [mains[i] for i in kept])
                        got["hom"].append(h)
                        got["comp"].append(c)
                        got["ari_kept"].append(adjusted_rand([truth[i] for i in kept],
                                                             [mains[i] for i in kept]))
                    for i, ok in enumerate(right_answers(truth, mains)):
                        by_len[bucket(len(answers[i].split()))].append(ok)
                        by_points[str(min(n_points.get(i, 0), 3))].append(ok)
                fig = {k: round(float(np.mean(v)), 3) for k, v in got.items()}
                for k, v in got.items():
                    pooled[k] += v
                pooled["k_true"].append(len(set(truth)))
                row = {"set": name, "question": question, "n": len(answers),
                       "k_true": len(set(truth)), **fig}
                rows_out.append(row)
                print(f"{name:11} {question:18} {len(answers):4} {len(set(truth)):3} | "
                      f"{fig['ari']:.3f} {fig.get('raw', float('nan')):.3f} "
                      f"{fig.get('truek', float('nan')):.3f} | {fig['k']:5.1f} "
                      f"{fig['other']:.2f} | {fig.get('hom', 0):.2f} {fig.get('comp', 0):.2f} | "
                      f"{fig.get('ari_kept', 0):.3f}", flush=True)
        summary = {k: round(float(np.mean(v)), 3) for k, v in pooled.items()}
        lengths = {k: (len(v), round(float(np.mean(v)), 3)) for k, v in sorted(by_len.items())}
        counts = {k: (len(v), round(float(np.mean(v)), 3)) for k, v in sorted(by_points.items())}
        print(f"pooled {mode}: {summary}")
        print(f"right by length (answers, share): {lengths}")
        print(f"right by points made: {counts}")
        out[mode] = {"rows": rows_out, "pooled": summary, "by_length": lengths,
                     "by_points": counts}
    embedder.keep()
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
