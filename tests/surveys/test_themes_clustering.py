"""Inductive themes: spectral clustering, its features, labels, the held-out set."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from surveys.themes import (
    Embedder,
    HashingEmbedder,
    builtin_codebook,
    default_embedder,
    spectral,
    theme_answers,
)
from surveys.themes import features as features_module
from surveys.themes.headings import is_label
from surveys.themes.lexical import char_gram_vectors

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


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


def test_neighbour_graph_is_symmetric_and_links_every_point() -> None:
    x, _ = _blobs(10, 3)
    weights = spectral.neighbour_graph(x, neighbours=4)
    assert np.array_equal(weights, weights.T)
    assert (np.count_nonzero(weights, axis=1) >= 4).all()
    assert np.diag(weights).max() == 0


def test_modularity_prefers_the_true_partition() -> None:
    x, truth = _blobs(12, 4)
    weights = spectral.neighbour_graph(x)
    shuffled = np.random.default_rng(0).permutation(truth)
    assert spectral.modularity(weights, truth) > 0.5 > spectral.modularity(weights, shuffled)


def test_modularity_from_the_edges_is_the_dense_one() -> None:
    x, truth = _blobs(12, 4)
    weights = spectral.neighbour_graph(x)
    for labels in (truth, np.random.default_rng(1).permutation(truth)):
        assert spectral._Edges(weights).modularity(labels, 1.4) == pytest.approx(
            spectral.modularity(weights, labels, 1.4), abs=1e-5)


def test_cluster_with_k_given_recovers_blobs() -> None:
    x, truth = _blobs(20, 4)
    labels, centres = spectral.cluster(x, n_clusters=4)
    assert len(centres) == 4
    assert _same_partition(labels, truth)


def test_cluster_chooses_k_from_the_data() -> None:
    x, truth = _blobs(15, 5)
    labels, centres = spectral.cluster(x)
    assert len(centres) == 5
    assert _same_partition(labels, truth)


def test_cluster_of_very_few_points() -> None:
    x, _ = _blobs(1, 2)
    labels, centres = spectral.cluster(x)
    assert labels.tolist() == [0, 0] and len(centres) == 1


def test_cluster_beyond_the_sample_assigns_every_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spectral, "SAMPLE", 40)
    x, truth = _blobs(30, 3)
    labels, centres = spectral.cluster(x, n_clusters=3, seed=1)
    assert labels.shape == (90,) and len(centres) == 3
    assert _same_partition(labels, truth)
    again, _ = spectral.cluster(x, n_clusters=3, seed=1)
    assert np.array_equal(labels, again)


def test_points_beyond_the_sample_join_their_nearest_theme_chunk_by_chunk(
    monkeypatch: pytest.MonkeyPatch, embedder: Embedder
) -> None:
    texts = [f"no money for {w}" for w in ("staff", "events", "projects", "admin")] * 6 + [
        f"the LAA took over {w}" for w in ("meetings", "agendas", "everything", "the board")
    ] * 6
    features = features_module.ClusterFeatures(texts, embedder.embed(texts))
    monkeypatch.setattr(spectral, "SAMPLE", 20)
    monkeypatch.setattr(features_module, "CHUNK", 7)
    sampled = features_module.cluster_points(features, 2, seed=3)
    assert sampled.shape == (48,)
    assert np.array_equal(sampled, features_module.cluster_points(features, 2, seed=3))
    assert _same_partition(sampled, np.repeat([0, 1], 24))


def test_char_grams_join_typos() -> None:
    others = ["no money for staff", "funding was cut", "two tier councils", "poor feedback"]
    v = char_gram_vectors(["the comittee never met", "the committee never met", *others * 2])
    assert v.dtype == np.float32
    assert float(v[0] @ v[1]) > 0.6 > float(v[0] @ v[2])


@pytest.mark.parametrize(
    "text",
    ["LAA LAA LAA", "ownership, ownership", "contacts contacts", "Money no money",
     "staff and more staff"],
)
def test_labels_never_repeat_a_word(text: str) -> None:
    assert not is_label(text)


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


@pytest.mark.parametrize("name", ["themes_test2.csv", "themes_test.csv", "themes_heldout.csv"])
def test_labelled_sets_use_codebook_themes(name: str) -> None:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 300
    assert len({r["answer"] for r in rows}) == len(rows)
    questions = Counter(r["question"] for r in rows)
    assert len(questions) >= 3 and min(questions.values()) >= 70
    labels = {q: {t.label for t in builtin_codebook("framework-review", q)} for q in questions}
    for row in rows:
        assert row["theme"] in labels[row["question"]], row
        assert row["answer"].strip()


def test_a_label_may_repeat_a_function_word() -> None:
    assert is_label("Right people round the table")


def test_theming_runs_on_one_blas_thread_and_lifts_the_limit_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The eigendecomposition runs pinned to one BLAS thread, whatever the process had."""
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads() -> set[int]:
        return {int(i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"}

    seen: list[set[int]] = []
    eigh = np.linalg.eigh

    def spied(m: np.ndarray) -> object:
        seen.append(blas_threads())
        return eigh(m)

    monkeypatch.setattr(spectral.np.linalg, "eigh", spied)
    answers = [f"{w} funding for the youth service" for w in ("no", "less", "cut", "lost")] + [
        f"the {w} never turn up to meetings" for w in ("police", "health", "council", "fire")]
    with threadpool_limits(limits=2, user_api="blas"):
        theme_answers(answers, embedder=HashingEmbedder())
        after = blas_threads()
    assert seen and all(s == {1} for s in seen)
    assert after == {2}


def test_pins_from_two_threads_at_once_lift_only_when_both_are_done() -> None:
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads() -> set[int]:
        return {int(i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"}

    with threadpool_limits(limits=2, user_api="blas"):
        first, second = spectral.one_blas_thread(), spectral.one_blas_thread()
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)
        still = blas_threads()  # the other theming is still running
        second.__exit__(None, None, None)
        assert (still, blas_threads()) == ({1}, {2})


_THEME_DEV_ANSWERS = """
import csv, json, sys
from pathlib import Path
from surveys.themes import HashingEmbedder, theme_answers
texts = []
for name in ("labelled", "heldout", "test", "test2", "dev_phone", "dev_voices"):
    with (Path(sys.argv[1]) / f"themes_{name}.csv").open(encoding="utf-8", newline="") as f:
        texts += [row["answer"] for row in csv.DictReader(f)]
got = theme_answers(texts, embedder=HashingEmbedder())
print(json.dumps([[(t.label, t.count, t.points) for t in got.themes], got.assignments]))
"""


def test_the_same_answers_give_the_same_themes_on_one_or_two_blas_threads() -> None:
    """1,857 answers (over 1,500 points: the graph's sample and its eigendecomposition) in
    two processes, one started with one OpenBLAS thread and one with two."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    outputs = []
    for threads in ("1", "2"):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads}
        done = subprocess.run([sys.executable, "-c", _THEME_DEV_ANSWERS, str(DATA)], env=env,
                              cwd=root, capture_output=True, text=True, check=True)
        outputs.append(done.stdout)
    themes, assignments = __import__("json").loads(outputs[0])
    assert len(themes) > 3 and len(assignments) > 1500
    assert outputs[0] == outputs[1]


def test_stored_and_recomputed_vectors_give_the_same_themes(embedder: Embedder) -> None:
    """The worker embeds each answer's texts as it arrives, a few at a time in any order,
    and a report looks them up (`CachedEmbedder`); a report with nothing stored embeds them
    all at once: the themes must not depend on which."""
    from surveys.vectors import CachedEmbedder, text_key, texts_to_embed

    answers: list[str] = []
    for name in ("labelled", "heldout", "dev_phone"):
        with (DATA / f"themes_{name}.csv").open(encoding="utf-8", newline="") as handle:
            answers += [r["answer"] for r in csv.DictReader(handle) if r["question"] == "barriers"]
    stored: dict[str, np.ndarray] = {}
    for end in range(len(answers), 0, -5):  # five answers at a time, the newest first
        texts = [t for a in answers[max(0, end - 5):end] for t in texts_to_embed(a)]
        stored.update(zip(map(text_key, texts), embedder.embed(texts), strict=True))
    cached = CachedEmbedder(embedder, stored)
    from_worker = theme_answers(answers, embedder=cached)
    afresh = theme_answers(answers, embedder=embedder)
    assert cached.hits >= len(answers) and len(afresh.themes) > 3
    assert [(t.label, t.count, t.points, t.quotes) for t in from_worker.themes] == [
        (t.label, t.count, t.points, t.quotes) for t in afresh.themes]
    assert from_worker.assignments == afresh.assignments


def _clusters_of(owner_sets: list[list[int]]) -> tuple[list[np.ndarray], list, np.ndarray]:
    """Clusters of points, the k-th from the answers in owner_sets[k], each cluster's points
    along a direction of its own (so only shared answers can merge them)."""
    from surveys.themes.features import Point

    points, vecs, clusters = [], [], []
    for k, owners in enumerate(owner_sets):
        start = len(points)
        for a in owners:
            points.append(Point(a, f"point {k} of answer {a}"))
            vecs.append(np.eye(len(owner_sets), dtype=np.float32)[k])
        clusters.append(np.arange(start, len(points)))
    return clusters, points, np.stack(vecs)


def test_clusters_of_one_answers_fragments_merge() -> None:
    """"Jargon. NIs, LAA, SCS": the same three answers in two clusters, seven others apart."""
    from surveys.themes.engine import merge_clusters

    merged = merge_clusters(*_clusters_of([[0, 1, 2], [0, 1, 2], list(range(3, 10))]))
    assert sorted(len(c) for c in merged) == [6, 7]


def test_clusters_sharing_answers_only_by_chance_stay_apart() -> None:
    """Long answers make points in many clusters: two clusters that each hold 12 of 20
    answers share 6 by chance alone (half the smaller, the old bar), and stay two themes."""
    from surveys.themes.engine import merge_clusters

    merged = merge_clusters(*_clusters_of([list(range(0, 12)), list(range(6, 18)),
                                           list(range(18, 20))]))
    assert sorted(len(c) for c in merged) == [2, 12, 12]


def test_the_partner_an_answer_names_is_not_its_theme(embedder: Embedder) -> None:
    """"The police never came" and "health never came" make one point, "police now share
    their data" another: clustered without the partners' directions, the two absences
    are closer to each other than to the police's data, and closer than before."""
    from surveys.themes.features import PARTNERS, ClusterFeatures

    texts = ["the police never came to a meeting", "health never came to a meeting",
             "the police now share their crime data with us"]
    vecs = embedder.embed(texts)
    plain = ClusterFeatures(texts, vecs).rows(np.arange(3))
    apart = ClusterFeatures(texts, vecs, partners=embedder.embed(list(PARTNERS)))
    rows = apart.rows(np.arange(3))
    assert float(rows[0] @ rows[1]) > float(plain[0] @ plain[1])
    assert float(rows[0] @ rows[1]) > float(rows[0] @ rows[2])
    # What is left of each row has nothing along a partner's vector.
    partners = embedder.embed(list(PARTNERS))
    centred = apart.x - apart.mean
    assert apart.basis is not None
    left = centred - (centred @ apart.basis) @ apart.basis.T
    assert np.abs(left @ partners.T).max() < 1e-4
