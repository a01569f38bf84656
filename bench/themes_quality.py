"""Quality of the themes engine on four labelled sets.

`themes_test2.csv` and `themes_test.csv` come first and are the yardsticks: 341 and 409
answers to four questions each, written by separate sessions that saw only the seed's
theme labels and meanings, never the codebook, its examples or the other sets. Nothing was
tuned on test2; test was measured twice, before and after the last engine change (chosen
on the dev sets), and then used with the dev sets to check clustering settings.
`themes_heldout.csv` (written apart from the first codebook) and `themes_labelled.csv`
(written with it) are the dev sets every weight and threshold was set on.

Prints, for each set, per question and overall: main-theme accuracy with the question's default
codebook, and the adjusted Rand index of inductive themes (no codebook) against the
labels; then the same two figures for a TF-IDF baseline (TF-IDF similarity to the
codebook text; TF-IDF + k-means given the true number of themes). The last line is
one JSON object with every figure.

Every threshold (the embedder's `match_min`, from `match_threshold.py`; the engine's
weights) was set on the two dev sets; nothing is tuned on the test set.

    .venv/bin/python bench/themes_quality.py [--embedder default|minilm|wordllama|hashing]
        [--codebook FILE.toml]   # another template codebook ([questions.<id>] tables)
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from surveys.themes import (
    CodebookTheme,
    Embedder,
    HashingEmbedder,
    MiniLMEmbedder,
    WordLlamaEmbedder,
    builtin_codebook,
    default_embedder,
    theme_answers,
)
from surveys.themes.cluster import kmeans
from surveys.themes.codebook import parse_template_codebooks
from surveys.themes.engine import MATCH_MIN

DATA = Path(__file__).parent / "data"
SETS = {"test2": DATA / "themes_test2.csv", "test": DATA / "themes_test.csv",
        "heldout": DATA / "themes_heldout.csv", "labelled": DATA / "themes_labelled.csv"}
TEMPLATE = "framework-review"
STOP = set(
    "a an the and or of to in on for with at by from is are was were be been it its this that "
    "we our us they their them i my me you your not no too very so as but all any more most "
    "just have has had do does did there here what who which".split()
)


def adjusted_rand(truth: list[str], pred: list[str]) -> float:
    """Adjusted Rand index of two labelings (Hubert & Arabie)."""
    t = {v: i for i, v in enumerate(sorted(set(truth)))}
    p = {v: i for i, v in enumerate(sorted(set(pred)))}
    table = np.zeros((len(t), len(p)))
    for a, b in zip(truth, pred, strict=True):
        table[t[a], p[b]] += 1

    def comb2(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    index = comb2(table)
    rows, cols = comb2(table.sum(axis=1)), comb2(table.sum(axis=0))
    total = comb2(np.array([table.sum()]))
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    return 0.0 if maximum == expected else (index - expected) / (maximum - expected)


def tokens(text: str) -> list[str]:
    return [w[:6] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP]


def tfidf(docs: list[str], vocab_docs: list[str]) -> np.ndarray:
    """Unit TF-IDF rows of docs, with document frequencies taken from vocab_docs."""
    vocab: dict[str, int] = {}
    df: dict[str, int] = defaultdict(int)
    for doc in vocab_docs:
        for w in set(tokens(doc)):
            df[w] += 1
            vocab.setdefault(w, len(vocab))
    n = len(vocab_docs)
    idf = np.array([np.log((1 + n) / (1 + df[w])) + 1 for w in vocab])
    out = np.zeros((len(docs), len(vocab)))
    for i, doc in enumerate(docs):
        for w in tokens(doc):
            if w in vocab:
                out[i, vocab[w]] += 1
    out *= idf
    return (out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)).astype(
        np.float32
    )


EMBEDDERS = {
    "default": default_embedder,
    "minilm": MiniLMEmbedder,
    "wordllama": WordLlamaEmbedder,
    "hashing": HashingEmbedder,
}


CodebookOf = Callable[[str], list[CodebookTheme]]


def default_codebook(question: str) -> list[CodebookTheme]:
    """The question's codebook as framework-review ships it."""
    return builtin_codebook(TEMPLATE, question)


def evaluate(path: Path, embedder: Embedder,
             codebook_of: CodebookOf = default_codebook) -> dict[str, float]:
    """Every figure for one labelled CSV (question,answer,theme)."""
    by_q: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_q[row["question"]].append((row["answer"], row["theme"]))
    figures: dict[str, float] = {}
    hits = {"engine": 0, "tfidf": 0}
    total = 0
    ari: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()
    print(f"{path.name}: {sum(len(v) for v in by_q.values())} answers")
    for question, rows in by_q.items():
        answers = [a for a, _ in rows]
        truth = [t for _, t in rows]
        codebook = codebook_of(question)
        k_true = len(set(truth))
        # Engine, deductive: the label of each answer's main theme.
        themed = theme_answers(answers, codebook, embedder=embedder)
        label_of = {t.id: t.label for t in themed.themes}
        main = [label_of[a[0]] if a else "-" for a in themed.assignments]
        acc = float(np.mean([m == t for m, t in zip(main, truth, strict=True)]))
        # Engine, inductive: no codebook; k from the data, and k given.
        free = theme_answers(answers, embedder=embedder)
        ari_auto = adjusted_rand(truth, [a[0] if a else "-" for a in free.assignments])
        given = theme_answers(answers, n_themes=k_true, embedder=embedder)
        ari_k = adjusted_rand(truth, [a[0] if a else "-" for a in given.assignments])
        # Baseline: TF-IDF similarity to the codebook text; TF-IDF + k-means with true k.
        cb_text = [" ".join([t.label, t.description, *t.examples]) for t in codebook]
        x = tfidf(answers, answers + cb_text)
        c = tfidf(cb_text, answers + cb_text)
        base_main = [codebook[j].label for j in (x @ c.T).argmax(axis=1)]
        base_acc = float(np.mean([m == t for m, t in zip(base_main, truth, strict=True)]))
        labels, _, _ = kmeans(x, k_true, seed=0)
        base_ari = adjusted_rand(truth, [str(v) for v in labels])
        hits["engine"] += round(acc * len(rows))
        hits["tfidf"] += round(base_acc * len(rows))
        total += len(rows)
        ari["engine_auto"].append(ari_auto)
        ari["engine_k"].append(ari_k)
        ari["tfidf_k"].append(base_ari)
        print(
            f"{question:16} n={len(rows):3} themes={k_true:2} | accuracy {acc:.3f} "
            f"(tfidf {base_acc:.3f}) | ARI auto k={len(free.themes):2} {ari_auto:.3f}, "
            f"k given {ari_k:.3f} (tfidf k given {base_ari:.3f}) | "
            f"unthemed points {themed.unthemed}"
        )
        figures[f"{question}.accuracy"] = round(acc, 4)
        figures[f"{question}.ari_auto"] = round(ari_auto, 4)
        figures[f"{question}.ari_k_given"] = round(ari_k, 4)
        figures[f"{question}.tfidf_accuracy"] = round(base_acc, 4)
        figures[f"{question}.tfidf_ari"] = round(base_ari, 4)
    figures["accuracy"] = round(hits["engine"] / total, 4)
    figures["tfidf_accuracy"] = round(hits["tfidf"] / total, 4)
    figures["ari"] = round(float(np.mean(ari["engine_auto"])), 4)
    figures["ari_k_given"] = round(float(np.mean(ari["engine_k"])), 4)
    figures["tfidf_ari"] = round(float(np.mean(ari["tfidf_k"])), 4)
    figures["accuracy_ratio"] = round(figures["accuracy"] / max(figures["tfidf_accuracy"], 1e-9), 2)
    figures["ari_ratio"] = round(figures["ari"] / max(figures["tfidf_ari"], 1e-9), 2)
    figures["seconds"] = round(time.perf_counter() - started, 2)
    figures["answers"] = total
    print(
        f"overall: main-theme accuracy {figures['accuracy']:.3f} vs TF-IDF "
        f"{figures['tfidf_accuracy']:.3f} (x{figures['accuracy_ratio']}); ARI no codebook "
        f"{figures['ari']:.3f} (k given {figures['ari_k_given']:.3f}) vs TF-IDF+k-means "
        f"{figures['tfidf_ari']:.3f} (x{figures['ari_ratio']})"
    )
    return figures


def pooled(figures: dict[str, float], sizes: dict[str, int],
           names: tuple[str, ...]) -> dict[str, float]:
    """Accuracy over every answer of the named sets, ARI averaged over their questions."""
    total = sum(sizes[n] for n in names)
    out = {f"tests.{k}": round(sum(figures[f"{n}.{k}"] * sizes[n] for n in names) / total, 4)
           for k in ("accuracy", "tfidf_accuracy")}
    for key in ("ari", "tfidf_ari"):
        per_question = [v for k, v in figures.items()
                        if k.split(".")[0] in names and k.endswith(
                            ".ari_auto" if key == "ari" else ".tfidf_ari") and k.count(".") == 2]
        out[f"tests.{key}"] = round(float(np.mean(per_question)), 4)
    return out


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", choices=sorted(EMBEDDERS), default="default")
    parser.add_argument("--codebook", type=Path,
                        help="a template codebook file to use instead of the shipped one")
    args = parser.parse_args(argv)
    codebook_of = default_codebook
    if args.codebook:
        loaded = parse_template_codebooks(args.codebook.read_text(encoding="utf-8"),
                                          str(args.codebook))
        codebook_of = lambda question: loaded.get(question, [])  # noqa: E731
        print(f"codebook: {args.codebook}")
    embedder = EMBEDDERS[args.embedder]()
    match_min = getattr(embedder, "match_min", MATCH_MIN)
    print(f"embedder: {embedder.name}; codebook match threshold {match_min} "
          "(calibrated on the dev sets; nothing tuned on themes_test.csv)")
    figures: dict[str, float] = {}
    sizes: dict[str, int] = {}
    for name, path in SETS.items():
        found = evaluate(path, embedder, codebook_of)
        sizes[name] = int(found.pop("answers"))
        for key, value in found.items():
            figures[f"{name}.{key}"] = value
        print()
    figures.update(pooled(figures, sizes, ("test2", "test")))
    print(f"both test sets ({sizes['test2'] + sizes['test']} answers, 8 questions): "
          f"main-theme accuracy {figures['tests.accuracy']:.3f} vs TF-IDF "
          f"{figures['tests.tfidf_accuracy']:.3f}; ARI no codebook {figures['tests.ari']:.3f} "
          f"vs TF-IDF+k-means {figures['tests.tfidf_ari']:.3f}")
    print(json.dumps({"embedder": embedder.name, **figures}))
    return figures


if __name__ == "__main__":
    main()
