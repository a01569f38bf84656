"""Learn the weights that choose an answer's main theme among those its points joined.

    .venv/bin/python bench/build_answer_map.py --dev --by-set --maps /tmp/maps-set --cache V
    .venv/bin/python bench/build_answer_map.py --dev --maps /tmp/maps-q --cache V
    .venv/bin/python bench/build_main_choice.py --cache V --maps /tmp/maps-set \\
        --question-maps /tmp/maps-q

`surveys/themes/choice.py` ranks the codebook themes an answer joined by a few features
(its best point in each, how many of its points each holds, the whole answer's scores
by the codebook's texts and with the bank's vote). This fits their weights, a
conditional logistic regression (softmax over each answer's themes, the coders' theme
the target, a little L2 pull towards `assign`'s own weights), on the built-in codebook's
answers of every dev set (`themes_quality.DEV`, never an unseen set), each set themed
with a bank and answer map learned without it, as `bench/match_dev.py --maps` does.

It prints, on the built-in codebook, main-theme accuracy per dev set and pooled:
- `assign`: the engine's order before this (`choice.ASSIGN_WEIGHTS`);
- `set out`: weights fitted without the set measured (leave one set out);
- `assign, q out` and `question out`: each question themed with a map learned without it
  (`--question-maps`), in `assign`'s order, and with weights fitted without the set
  measured and without the question measured in any set;
and last the weights fitted on every set, to paste into `choice.WEIGHTS`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_answer_bank import bank_without, codebook_without
from match_dev import EMBEDDERS, KeptVectors, held_out_map, outcomes
from themes_quality import DEV, read

from surveys.themes import Embedder, choice, engine, matching

PULL = 1.0  # L2 weight towards ASSIGN_WEIGHTS, per 1,000 answers
Weights = tuple[float, ...]


@dataclass
class Answers:
    """The rows `choice.choices` made for one dev question's answers, with the truth."""

    name: str
    question: str
    found: choice.Candidates
    truth: np.ndarray  # (rows,) 1 where the row's theme is the coders'


def run(names: list[str], embedder: Embedder, maps: Path,
        weights: Callable[[str, str], Weights]) -> tuple[dict[str, tuple[int, int]],
                                                          list[Answers]]:
    """Theme every dev set with the built-in codebook (bank and map without the set, or the
    question, as `maps` holds them), each question with `weights(set, question)`: right
    and total per set, and the rows the choice saw."""
    seen: list[choice.Candidates] = []
    real = engine.choices

    def kept(*args: np.ndarray) -> choice.Candidates:
        found = real(*args)
        seen.append(found)
        return found

    engine.choices = kept  # type: ignore[assignment]
    figures, rows = {}, []
    try:
        for name in names:
            others = bank_without(name)
            right = total = 0
            for question, pairs in read(DEV[name]).items():
                book = codebook_without(question, name, others)
                answers, truth = [a for a, _ in pairs], [t for _, t in pairs]
                held = held_out_map(maps, name, question)
                matching.answer_map = lambda _e, held=held: held  # type: ignore[misc]
                choice.WEIGHTS = weights(name, question)
                seen.clear()
                got = outcomes(answers, truth, book, embedder)
                right += sum(k == "right" for k, _ in got)
                total += len(got)
                labels = [t.label for t in book]
                for found in seen[-1:]:  # the choice once "Other points" fell back
                    want = np.array([labels.index(truth[a]) if truth[a] in labels else -1
                                     for a in found.answers])
                    rows.append(Answers(name, question, found,
                                        (found.themes == want).astype(float)))
            figures[name] = (right, total)
    finally:
        engine.choices = real  # type: ignore[assignment]
        choice.WEIGHTS = choice.ASSIGN_WEIGHTS
    return figures, rows


def fit(rows: list[Answers]) -> Weights:
    """Conditional logit over each answer's themes (answers whose coders' theme is among
    them), by Newton's method, pulled towards ASSIGN_WEIGHTS."""
    x = np.concatenate([r.found.features for r in rows])
    y = np.concatenate([r.truth for r in rows])
    owner = np.concatenate([r.found.answers + 1_000_000 * k for k, r in enumerate(rows)])
    _, group = np.unique(owner, return_inverse=True)
    useful = np.bincount(group, weights=y)[group] > 0
    x, y, group = x[useful], y[useful], np.unique(group[useful], return_inverse=True)[1]
    n = int(group.max()) + 1 if len(group) else 0
    prior = np.asarray(choice.ASSIGN_WEIGHTS, dtype=float)
    lam = PULL * n / 1000.0
    w = prior.copy()
    for _ in range(50):
        u = x @ w
        top = np.full(n, -np.inf)
        np.maximum.at(top, group, u)
        e = np.exp(u - top[group])
        p = e / np.bincount(group, weights=e)[group]
        mean = np.stack([np.bincount(group, weights=p * x[:, f]) for f in range(x.shape[1])], 1)
        grad = x.T @ (y - p) - lam * (w - prior)
        centred = x - mean[group]
        hess = -(centred * p[:, None]).T @ centred - lam * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w = w - step
        if np.abs(step).max() < 1e-8:
            break
    return tuple(round(float(v), 3) for v in w)


def pooled(figures: dict[str, tuple[int, int]]) -> float:
    return sum(r for r, _ in figures.values()) / sum(t for _, t in figures.values())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="a .npz of vectors (bench/match_dev.py's)")
    parser.add_argument("--maps", type=Path, required=True,
                        help="answer maps without each set (build_answer_map.py --by-set)")
    parser.add_argument("--question-maps", type=Path,
                        help="answer maps without each question (build_answer_map.py --dev)")
    parser.add_argument("--sets", nargs="+", default=list(DEV), metavar="NAME")
    args = parser.parse_args(argv)
    if any(s not in DEV for s in args.sets):
        parser.error("only dev sets (unseen sets are measured by themes_quality.py --unseen)")
    embedder = KeptVectors(EMBEDDERS["default"](), args.cache)
    base, rows = run(args.sets, embedder, args.maps, lambda _s, _q: choice.ASSIGN_WEIGHTS)
    table = {"assign": base}
    by_set = {s: fit([r for r in rows if r.name != s]) for s in args.sets}
    table["set out"], _ = run(args.sets, embedder, args.maps, lambda s, _q: by_set[s])
    if args.question_maps:
        table["assign, q out"], q_rows = run(args.sets, embedder, args.question_maps,
                                             lambda _s, _q: choice.ASSIGN_WEIGHTS)
        cache: dict[tuple[str, str], Weights] = {}

        def without(s: str, q: str) -> Weights:
            if (s, q) not in cache:
                cache[s, q] = fit([r for r in q_rows if r.name != s and r.question != q])
            return cache[s, q]

        table["question out"], _ = run(args.sets, embedder, args.question_maps, without)
    embedder.save()
    print(f"{'set':12} " + " ".join(f"{k:>13}" for k in table))
    for s in args.sets:
        print(f"{s:12} " + " ".join(f"{f[s][0]:4}/{f[s][1]:<3} {f[s][0] / f[s][1]:.3f}"
                                    for f in table.values()))
    print(f"{'pooled':12} " + " ".join(f"{pooled(f):13.3f}" for f in table.values()))
    for s, w in by_set.items():
        print(f"without {s:12} {w}")
    print(f"WEIGHTS = {fit(rows)}  # {', '.join(choice.FEATURES)}")


if __name__ == "__main__":
    main()
