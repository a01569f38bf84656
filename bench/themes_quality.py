"""Quality of the themes engine on labelled sets, against plain baselines.

Dev sets (every weight, threshold and rule of the engine was chosen on these):
`themes_labelled.csv`, `themes_heldout.csv`, `themes_test.csv`, `themes_test2.csv`, and
`themes_dev_phone.csv`, `themes_dev_voices.csv`, `themes_dev_minutes.csv`, `themes_dev_mixed.csv`,
`themes_dev_own.csv`, `themes_dev_work.csv`, `themes_dev_forms.csv`, `themes_dev_talk.csv`,
`themes_dev_keys.csv`, `themes_dev_ramble.csv`, `themes_dev_turns.csv`,
`themes_dev_pictures.csv` (phone-chat typing, mixed voices, workshop minutes, the issue's mixed
styles, members in their own organisation's terms, members telling what a difficult year cost
them, an ordinary online consultation form, spoken answers transcribed, the short end:
keywords, acronyms, text-speak, dictation errors, questions back; the long end: rambling
answers in members' own sector terms; answers that change their mind, rank, wish, advise a
successor, hedge or ask back; answers in figures of speech, reported speech, clerks' copies of
paper forms, stories and sector jargon).
Unseen sets (`--unseen`; measured only at the end, never tuned on): `themes_unseen_a.csv`
to `themes_unseen_g.csv`, written apart in deliberately different styles, and
`themes_unseen_h.csv`, ordinary consultation-form answers written apart as the closest
stand-in for the product owner's hidden set, and `themes_unseen_i.csv`, members writing in
their own organisation's terms (head of service, parish clerk, GP, fire station, BID …),
stories of one meeting, comparisons and hedged answers, and `themes_unseen_j.csv`, an
online consultation export of a county-wide review: officer-report prose, plain blunt
answers, partners writing English as a second language, answers that start on another
question, and `themes_unseen_k.csv`, written in voices none of a–j used: figures of
speech, reported dialogue, transcribed paper forms, answers that correct themselves, wishes
and advice to a successor, ranked lists, and `themes_unseen_l.csv`, in forms none of a–k
used: open letters, deadpan irony, venting, a youth council member, scorecards, confessions,
audit findings, borrowed genres, diaries (see bench/data/UNSEEN.md).

For each set, per question and overall, three settings of the engine:

- main-theme accuracy with the built-in framework-review codebook (labels, descriptions,
  twelve example answers a theme, and its bank of labelled answers: for a dev set, the
  bank of the other dev sets, `build_answer_bank.bank_without`; likewise the map new themes
  are clustered in, `build_theme_projection.fit`, is learned without the dev set measured);
- main-theme accuracy with a coordinator's kind of codebook: label and description only;
- adjusted Rand index of the themes found with no codebook (k chosen by the engine);

and the plain baselines: TF-IDF nearest codebook text (built-in codebook); nearest label +
description by the same MiniLM encoder; TF-IDF + k-means and MiniLM + k-means, both given
the true number of themes. Unseen sets are also pooled, with the spread between them. The
last line is one JSON object with every figure.

    .venv/bin/python bench/themes_quality.py [--unseen] [--embedder default|minilm|...]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import replace
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
    matching,
    theme_answers,
)
from surveys.themes.cluster import kmeans
from surveys.themes.projection import projection_of

DATA = Path(__file__).parent / "data"
DEV = {"labelled": DATA / "themes_labelled.csv", "heldout": DATA / "themes_heldout.csv",
       "test": DATA / "themes_test.csv", "test2": DATA / "themes_test2.csv",
       # Written apart in phone-chat, mixed voices and workshop-minute / colloquial styles
       # (bench/data/DEV.md); tuning allowed.
       "dev_phone": DATA / "themes_dev_phone.csv", "dev_voices": DATA / "themes_dev_voices.csv",
       "dev_minutes": DATA / "themes_dev_minutes.csv", "dev_mixed": DATA / "themes_dev_mixed.csv",
       "dev_own": DATA / "themes_dev_own.csv", "dev_work": DATA / "themes_dev_work.csv",
       "dev_forms": DATA / "themes_dev_forms.csv", "dev_talk": DATA / "themes_dev_talk.csv",
       "dev_keys": DATA / "themes_dev_keys.csv", "dev_ramble": DATA / "themes_dev_ramble.csv",
       "dev_turns": DATA / "themes_dev_turns.csv",
       "dev_pictures": DATA / "themes_dev_pictures.csv"}
UNSEEN = {f"unseen_{s}": DATA / f"themes_unseen_{s}.csv" for s in "abcdefghijkl"}
TEMPLATE = "framework-review"
STOP = set(
    "a an the and or of to in on for with at by from is are was were be been it its this that "
    "we our us they their them i my me you your not no too very so as but all any more most "
    "just have has had do does did there here what who which".split()
)
EMBEDDERS = {"default": default_embedder, "minilm": MiniLMEmbedder,
             "wordllama": WordLlamaEmbedder, "hashing": HashingEmbedder}
ACCURACY = ("engine", "engine_sparse", "tfidf", "nearest_label")
ARI = ("engine_ari", "tfidf_kmeans", "minilm_kmeans")
shipped_answer_map = matching.answer_map


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
    norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return (out / norms).astype(np.float32)


def sparse(codebook: list[CodebookTheme]) -> list[CodebookTheme]:
    """A coordinator's kind of codebook: each theme's label and description, no examples
    (and no bank of answers)."""
    return [replace(t, examples=(), answers=()) for t in codebook]


def read(path: Path) -> dict[str, list[tuple[str, str]]]:
    """(answer, theme) rows of a labelled set, by question."""
    by_q: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_q[row["question"]].append((row["answer"], row["theme"]))
    return by_q


def main_labels(answers: list[str], codebook: list[CodebookTheme],
                embedder: Embedder) -> list[str]:
    """The label of each answer's main theme ("-" for none)."""
    themed = theme_answers(answers, codebook, embedder=embedder)
    label_of = {t.id: t.label for t in themed.themes}
    return [label_of.get(a[0], "-") if a else "-" for a in themed.assignments]


def question_figures(rows: list[tuple[str, str]], codebook: list[CodebookTheme],
                     embedder: Embedder) -> dict[str, float]:
    """Every figure for one question's labelled answers."""
    answers = [a for a, _ in rows]
    truth = [t for _, t in rows]
    k_true = len(set(truth))

    def accuracy(predicted: list[str]) -> float:
        return float(np.mean([p == t for p, t in zip(predicted, truth, strict=True)]))

    out: dict[str, float] = {}
    out["engine"] = accuracy(main_labels(answers, codebook, embedder))
    out["engine_sparse"] = accuracy(main_labels(answers, sparse(codebook), embedder))
    free = theme_answers(answers, embedder=embedder)
    out["engine_ari"] = adjusted_rand(truth, [a[0] if a else "-" for a in free.assignments])
    out["engine_themes"] = len(free.themes)
    cb_text = [" ".join([t.label, t.description, *t.examples]) for t in codebook]
    x = tfidf(answers, answers + cb_text)
    c = tfidf(cb_text, answers + cb_text)
    out["tfidf"] = accuracy([codebook[j].label for j in (x @ c.T).argmax(axis=1)])
    out["tfidf_kmeans"] = adjusted_rand(truth, [str(v) for v in kmeans(x, k_true, seed=0)[0]])
    vecs = embedder.embed(answers)
    names = embedder.embed([f"{t.label}: {t.description}" for t in codebook])
    out["nearest_label"] = accuracy([codebook[j].label for j in (vecs @ names.T).argmax(axis=1)])
    out["minilm_kmeans"] = adjusted_rand(truth, [str(v) for v in kmeans(vecs, k_true, seed=0)[0]])
    return out


class WithMap:
    """An encoder carrying a map of its own for clustering new themes (projection.py)."""

    def __init__(self, inner: Embedder, projection: object) -> None:
        self.inner, self.theme_projection = inner, projection
        self.name: str = inner.name

    def __getattr__(self, name: str) -> object:  # dim, match_min, vector_model…
        return getattr(self.inner, name)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed(texts)


def evaluate(name: str, path: Path, embedder: Embedder) -> dict[str, float]:
    """Every figure for one set, per question and overall (accuracy pooled over answers,
    ARI averaged over questions)."""
    by_q = read(path)
    started = time.perf_counter()
    total = sum(len(rows) for rows in by_q.values())
    print(f"{name} ({path.name}): {total} answers, {len(by_q)} questions")
    figures: dict[str, float] = {"answers": total}
    pooled: dict[str, float] = defaultdict(float)
    aris: dict[str, list[float]] = defaultdict(list)
    # A dev set is measured with the built-in codebook's bank of answers built without it
    # (leave one set out; with its own answers in the bank a figure says nothing); an
    # unseen set, which the bank never holds, with the bank as shipped.
    # Likewise the answer map (surveys/themes/answermap.py): the shipped one was trained on
    # every dev set, so a dev set is measured with one trained without it; and the map new
    # themes are clustered in (projection.py).
    others = None
    if name in DEV:
        from build_answer_bank import bank_without, codebook_without
        from build_answer_map import map_without
        others = bank_without(name)
        # (Only an encoder with a shipped map gets one: a fallback matches without.)
        held = map_without(name, embedder) if shipped_answer_map(embedder) is not None \
            else None
        matching.answer_map = lambda _embedder: held  # type: ignore[assignment]
        if projection_of(embedder) is not None:
            import build_theme_projection as maps
            from build_answer_bank import bank_rows
            rows = bank_rows(n for n in DEV if n != name)
            embedder = WithMap(embedder, maps.fit(*maps.training_rows(rows, maps.bank()[2])))
    else:
        matching.answer_map = shipped_answer_map  # type: ignore[assignment]
    for question, rows in by_q.items():
        book = builtin_codebook(TEMPLATE, question) if others is None \
            else codebook_without(question, name, others)
        got = question_figures(rows, book, embedder)
        for key in ACCURACY:
            pooled[key] += got[key] * len(rows)
        for key in ARI:
            aris[key].append(got[key])
        for key, value in got.items():
            figures[f"{question}.{key}"] = round(value, 4)
        print(f"  {question:24} n={len(rows):3} | accuracy {got['engine']:.3f}, label+description "
              f"{got['engine_sparse']:.3f} | ARI {got['engine_ari']:.3f} "
              f"({int(got['engine_themes'])} themes) | baselines: TF-IDF {got['tfidf']:.3f}, "
              f"nearest label {got['nearest_label']:.3f}, TF-IDF+k-means "
              f"{got['tfidf_kmeans']:.3f}, MiniLM+k-means {got['minilm_kmeans']:.3f}")
    for key in ACCURACY:
        figures[key] = round(pooled[key] / total, 4)
    for key in ARI:
        figures[key] = round(float(np.mean(aris[key])), 4)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(f"  overall: accuracy {figures['engine']:.3f} (TF-IDF {figures['tfidf']:.3f}); "
          f"label+description codebook {figures['engine_sparse']:.3f} (nearest label+description "
          f"{figures['nearest_label']:.3f}); ARI no codebook {figures['engine_ari']:.3f} "
          f"(TF-IDF+k-means {figures['tfidf_kmeans']:.3f}, MiniLM+k-means "
          f"{figures['minilm_kmeans']:.3f})")
    return figures


def pool(results: dict[str, dict[str, float]]) -> dict[str, float]:
    """Accuracy over every answer of the sets, ARI averaged over their questions, and the
    spread (largest less smallest) of each between the sets."""
    total = sum(r["answers"] for r in results.values())
    out: dict[str, float] = {"answers": total}
    for key in ACCURACY:
        out[key] = round(sum(r[key] * r["answers"] for r in results.values()) / total, 4)
    for key in ARI:
        per_q = [v for r in results.values() for k, v in r.items() if k.endswith(f".{key}")]
        out[key] = round(float(np.mean(per_q)), 4)
    for key in (*ACCURACY, *ARI):
        values = [r[key] for r in results.values()]
        out[f"{key}_spread"] = round(max(values) - min(values), 4)
    return out


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", choices=sorted(EMBEDDERS), default="default")
    parser.add_argument("--unseen", action="store_true",
                        help="also measure the unseen sets (only at the end: never tune on them)")
    parser.add_argument("--only-unseen", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    embedder = EMBEDDERS[args.embedder]()
    print(f"embedder: {embedder.name}")
    sets = {} if args.only_unseen else dict(DEV)
    if args.unseen or args.only_unseen:
        sets.update({k: p for k, p in UNSEEN.items() if p.exists()})
    results = {name: evaluate(name, path, embedder) for name, path in sets.items()}
    out: dict[str, object] = {"embedder": embedder.name, "sets": results}
    for group, names in (("dev", DEV), ("unseen", UNSEEN)):
        chosen = {n: results[n] for n in names if n in results}
        if not chosen:
            continue
        pooled = pool(chosen)
        out[group] = pooled
        print(f"{group} pooled ({int(pooled['answers'])} answers, {len(chosen)} sets): accuracy "
              f"{pooled['engine']:.3f} (spread {pooled['engine_spread']:.3f}); "
              f"label+description {pooled['engine_sparse']:.3f} "
              f"(spread {pooled['engine_sparse_spread']:.3f}); "
              f"ARI {pooled['engine_ari']:.3f} (spread {pooled['engine_ari_spread']:.3f}) | "
              f"baselines: TF-IDF {pooled['tfidf']:.3f}, nearest label+description "
              f"{pooled['nearest_label']:.3f}, TF-IDF+k-means {pooled['tfidf_kmeans']:.3f}, "
              f"MiniLM+k-means {pooled['minilm_kmeans']:.3f}")
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
