"""Inductive themes: average-linkage clustering, its features, labels, the held-out set."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from surveys.themes import Embedder, agglo, builtin_codebook, default_embedder, theme_answers
from surveys.themes.cluster import shorten
from surveys.themes.lexical import char_gram_vectors

HELDOUT = Path(__file__).resolve().parents[2] / "bench" / "data" / "themes_heldout.csv"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return default_embedder()


def _blobs(n_per: int, k: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, 16))
    truth = np.repeat(np.arange(k), n_per)
    x = centres[truth] + 0.15 * rng.normal(size=(len(truth), 16))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32), truth


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    return len(set(zip(a.tolist(), b.tolist(), strict=True))) == len(set(a.tolist())) == len(
        set(b.tolist())
    )


def test_cut_gives_k_clusters_and_recovers_blobs() -> None:
    x, truth = _blobs(20, 4)
    merges = agglo._merges(x)
    assert len(merges) == len(x) - 1
    for k in (1, 4, 9):
        assert len(set(agglo.cut(merges, len(x), k).tolist())) == k
    assert _same_partition(agglo.cut(merges, len(x), 4), truth)


def test_cluster_chooses_k_from_the_data() -> None:
    x, truth = _blobs(15, 5)
    labels, centres = agglo.cluster(x)
    assert len(centres) == 5
    assert _same_partition(labels, truth)


def test_cluster_beyond_the_sample_assigns_every_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(agglo, "SAMPLE", 40)
    x, truth = _blobs(30, 3)
    labels, centres = agglo.cluster(x, n_clusters=3, seed=1)
    assert labels.shape == (90,) and len(centres) == 3
    assert _same_partition(labels, truth)
    again, _ = agglo.cluster(x, n_clusters=3, seed=1)
    assert np.array_equal(labels, again)


def test_char_grams_join_typos() -> None:
    others = ["no money for staff", "funding was cut", "two tier councils", "poor feedback"]
    v = char_gram_vectors(["the comittee never met", "the committee never met", *others * 2])
    assert v.dtype == np.float32
    assert float(v[0] @ v[1]) > 0.6 > float(v[0] @ v[2])


@pytest.mark.parametrize(
    "text",
    ["LAA LAA LAA. thats all we talked about", "ownership, ownership, ownership",
     "contacts contacts contacts!!", "money money and more money for the staff staff"],
)
def test_labels_never_repeat_a_word(text: str) -> None:
    label = shorten(text)
    words = [w.lower().strip(",.!?") for w in label.split()]
    assert label and len(words) <= 6
    assert max(Counter(words).values()) == 1
    assert not label.endswith((",", ".", "!"))


REPEATS = [
    "LAA LAA LAA. thats all we talked about", "LAA LAA LAA all day long",
    "the LAA LAA LAA again", "LAA targets took over",
    "no money no money no money", "money money money, none of it",
    "never any money for projects", "no money for staff",
]


def test_theme_labels_from_repetitive_answers(embedder: Embedder) -> None:
    for seed in (0, 1):
        themed = theme_answers(REPEATS, seed=seed, embedder=embedder)
        assert themed.themes
        for theme in themed.themes:
            words = [w.lower().strip(",.!?") for w in theme.label.split()]
            assert len(words) <= 6 and max(Counter(words).values()) < 2, theme.label


def test_stable_for_a_fixed_seed_with_a_codebook(embedder: Embedder) -> None:
    answers = [*REPEATS, "two councils doing everything twice", "county and district again"]
    codebook = builtin_codebook("framework-review", "barriers")
    runs = [theme_answers(answers, codebook, seed=5, embedder=embedder) for _ in range(2)]
    assert runs[0].assignments == runs[1].assignments
    assert [t.label for t in runs[0].themes] == [t.label for t in runs[1].themes]


def test_heldout_set_is_labelled_with_codebook_themes() -> None:
    with HELDOUT.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 300
    questions = Counter(r["question"] for r in rows)
    assert len(questions) >= 3 and min(questions.values()) >= 80
    labels = {q: {t.label for t in builtin_codebook("framework-review", q)} for q in questions}
    for row in rows:
        assert row["theme"] in labels[row["question"]], row
        assert len(row["answer"].split()) >= 3
