"""bench/match_dev.py: the dev-only codebook bench, its kept vectors and its kinds of miss."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import match_dev  # noqa: E402
from themes_quality import DEV, read  # noqa: E402

from surveys.themes import HashingEmbedder, builtin_codebook, default_embedder  # noqa: E402


def test_kept_vectors_are_the_embedders_own_and_come_back_from_the_file(
        tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    inner = HashingEmbedder()
    kept = match_dev.KeptVectors(inner, path)
    texts = ["no money", "the LAA took over", "no money"]
    assert np.array_equal(kept.embed(texts), inner.embed(texts))
    assert kept.fresh == 2 and kept.match_min == inner.match_min
    kept.save()
    again = match_dev.KeptVectors(HashingEmbedder(), path)
    assert np.array_equal(again.embed(texts), inner.embed(texts)) and again.fresh == 0


def test_vectors_of_another_model_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    kept = match_dev.KeptVectors(HashingEmbedder(), path)
    kept.embed(["no money"])
    kept.save()

    class Other(HashingEmbedder):
        name = "another-model"

    assert match_dev.KeptVectors(Other(), path).known == {}


def test_unseen_sets_are_refused() -> None:
    with pytest.raises(SystemExit):
        match_dev.main(["--sets", "unseen_a"])


def test_each_answer_of_a_dev_round_is_counted_once_by_where_it_went() -> None:
    """The real engine on the dev_mixed barriers round: the kinds add up to the answers,
    and a right answer is one whose main theme is the coders'."""
    rows = read(DEV["dev_mixed"])["barriers"]
    answers, truth = [a for a, _ in rows], [t for _, t in rows]
    got = match_dev.outcomes(answers, truth, builtin_codebook("framework-review", "barriers"),
                             default_embedder())
    assert len(got) == len(answers)
    assert {k for k, _ in got} <= set(match_dev.KINDS)
    right = [label == want for (_, label), want in zip(got, truth, strict=True)]
    assert right == [k == "right" for k, _ in got]
    assert 0.5 < np.mean(right) < 1.0  # a hard set: the bench has misses to show
