"""Codebook accuracy on the dev sets only, fast, with where each miss went.

For tuning the matching side: the built-in framework-review codebook and a label +
description codebook on the eight dev sets of `themes_quality.py` (never an unseen set:
there is no option for them, and a name that is not a dev set is refused). Vectors can be
kept in a file between runs (`--cache`), so a second run re-themes without the model's
time: about 10 s for eight dev sets (2,217 answers) and both codebooks, against some
90 s cold.

Each answer is counted as:
- **right**: its main theme is the coders' theme;
- **secondary**: the coders' theme is one of its other themes (a ranking miss);
- **absent**: it has codebook themes, none the coders' (a matching miss);
- **new**: its main theme is a new theme, not the codebook's;
- **other**: "Other points", or no theme at all.

    .venv/bin/python bench/match_dev.py --cache /tmp/match-vectors.npz
    .venv/bin/python bench/match_dev.py --cache /tmp/match-vectors.npz --sets dev_mixed --misses

The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from build_answer_bank import bank_without, codebook_without
from themes_quality import DEV, EMBEDDERS, read, sparse

from surveys.themes import CodebookTheme, Embedder, matching, theme_answers
from surveys.themes.embed import vector_model
from surveys.themes.themed import OTHER_LABEL

KINDS = ("right", "secondary", "absent", "new", "other")
CODEBOOKS = ("built-in", "label+description")


class KeptVectors:
    """An embedder that remembers every text's vector, and can keep them in a file.

    The vectors are the wrapped embedder's own, so the engine themes exactly as it would
    with it; thresholds (`match_min` and the like) are passed through. A file made with
    another model is not read.
    """

    def __init__(self, inner: Embedder, path: Path | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = vector_model(inner)
        self.dim = int(getattr(inner, "dim", 0)) or int(inner.embed(["dimension"]).shape[1])
        for key in ("match_min", "match_min_sparse", "match_floor", "match_floor_sparse"):
            if hasattr(inner, key):
                setattr(self, key, getattr(inner, key))
        self.path = path
        self.known: dict[str, np.ndarray] = {}
        self.fresh = 0
        if path is not None and path.exists():
            with np.load(path, allow_pickle=False) as kept:
                if str(kept["model"]) == self.model:
                    self.known = dict(zip(kept["texts"].tolist(), kept["vectors"], strict=True))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.known]
        if todo:
            self.known.update(zip(todo, self.inner.embed(todo), strict=True))
            self.fresh += len(todo)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.known[t] for t in texts]).astype(np.float32)

    def save(self) -> None:
        """Write the vectors to the file, if there is one and anything new was embedded."""
        if self.path is None or not self.fresh:
            return
        texts = list(self.known)
        np.savez(self.path, model=np.array(self.model), texts=np.array(texts),
                 vectors=np.stack([self.known[t] for t in texts]).astype(np.float32))


def outcomes(answers: list[str], truth: list[str], codebook: Sequence[CodebookTheme],
             embedder: Embedder) -> list[tuple[str, str]]:
    """For each answer, its kind (one of KINDS) and the label of its main theme ("-")."""
    themed = theme_answers(answers, codebook, embedder=embedder)
    by_id = {t.id: t for t in themed.themes}
    out = []
    for assigned, want in zip(themed.assignments, truth, strict=True):
        themes = [by_id[i] for i in assigned if i in by_id]
        main = themes[0] if themes else None
        if main is None or not main.label or main.label == OTHER_LABEL:
            kind = "other"
        elif main.label == want:
            kind = "right"
        elif not main.from_codebook:
            kind = "new"
        elif want in [t.label for t in themes[1:]]:
            kind = "secondary"
        else:
            kind = "absent"
        out.append((kind, main.label if main else "-"))
    return out


def held_out_map(maps: Path | None, name: str, question: str) -> np.ndarray | None:
    """The answer map trained without this question (`maps`/QUESTION.npy, leave one
    question out) or else without this set (`maps`/SET.npy); None for no map."""
    if maps is None:
        return None
    for stem in (question, name):
        if (maps / f"{stem}.npy").is_file():
            return np.load(maps / f"{stem}.npy").astype(np.float32)
    raise SystemExit(f"{maps}: no map held out for {question} or {name}")


def evaluate(name: str, embedder: Embedder, misses: bool, bank: bool = True,
             maps: Path | None = None) -> dict[str, float]:
    """Accuracy and the kinds of misses for one dev set, with both codebooks. With `bank`,
    the built-in codebook's bank of answers is that of every other dev set (leave one set
    out: a set measured with its own answers in the bank says nothing); without, none.
    The answer map (answermap.py) is one trained without the question or the set, from
    `maps` (bench/build_answer_map.py --maps), or none: the shipped map was trained on
    every dev set, and a figure with it would say nothing."""
    figures: dict[str, float] = {}
    rows_by_q = read(DEV[name])
    total = sum(len(rows) for rows in rows_by_q.values())
    others = bank_without(name) if bank else {}
    for book_name in CODEBOOKS:
        kinds: Counter[str] = Counter()
        for question, rows in rows_by_q.items():
            book = codebook_without(question, name, others)
            if book_name != "built-in":
                book = sparse(book)
            answers, truth = [a for a, _ in rows], [t for _, t in rows]
            held = held_out_map(maps, name, question)
            matching.answer_map = lambda _embedder, held=held: held  # type: ignore[misc]
            got = outcomes(answers, truth, book, embedder)
            kinds.update(k for k, _ in got)
            if misses:
                for (kind, label), answer, want in zip(got, answers, truth, strict=True):
                    if kind != "right":
                        print(f"  {book_name} {question} {kind}: coders {want!r}, engine "
                              f"{label!r}: {' '.join(answer.split())[:160]}")
        key = "builtin" if book_name == "built-in" else "sparse"
        figures[key] = round(kinds["right"] / total, 4)
        for kind in KINDS[1:]:
            figures[f"{key}_{kind}"] = kinds[kind]
    figures["answers"] = total
    return figures


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", choices=sorted(EMBEDDERS), default="default")
    parser.add_argument("--cache", type=Path, help="a .npz file to keep vectors in")
    parser.add_argument("--sets", nargs="+", default=list(DEV), metavar="NAME",
                        help=f"dev sets to run (of {', '.join(DEV)})")
    parser.add_argument("--misses", action="store_true", help="print every miss")
    parser.add_argument("--no-bank", action="store_true",
                        help="the built-in codebook without its bank of answers (as before it)")
    parser.add_argument("--maps", type=Path, metavar="DIR",
                        help="answer maps held out per question or set (else no map)")
    args = parser.parse_args(argv)
    unknown = [s for s in args.sets if s not in DEV]
    if unknown:
        parser.error(f"not a dev set: {', '.join(unknown)} (unseen sets are measured only "
                     "by themes_quality.py --unseen)")
    started = time.perf_counter()
    embedder = KeptVectors(EMBEDDERS[args.embedder](), args.cache)
    results = {}
    for name in args.sets:
        got = evaluate(name, embedder, args.misses, bank=not args.no_bank, maps=args.maps)
        results[name] = got
        print(f"{name:12} n={int(got['answers']):4} | built-in {got['builtin']:.3f} "
              + " ".join(f"{k} {int(got[f'builtin_{k}'])}" for k in KINDS[1:])
              + f" | label+description {got['sparse']:.3f} "
              + " ".join(f"{k} {int(got[f'sparse_{k}'])}" for k in KINDS[1:]))
    embedder.save()
    total = sum(r["answers"] for r in results.values())
    pooled = {key: round(sum(r[key] * r["answers"] for r in results.values()) / total, 4)
              for key in ("builtin", "sparse")}
    print(f"pooled ({int(total)} answers, {len(results)} sets): built-in {pooled['builtin']:.3f}, "
          f"label+description {pooled['sparse']:.3f}; {time.perf_counter() - started:.0f} s, "
          f"{embedder.fresh} texts embedded")
    out: dict[str, object] = {"embedder": embedder.name, "bank": not args.no_bank,
                              "sets": results, "pooled": pooled}
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
