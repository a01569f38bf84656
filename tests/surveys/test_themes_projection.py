"""The map new themes are clustered in, learned from the bank of labelled answers: shipped
as what its build script makes, only for the default model, and measured on real answers
with a map learned without them."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pytest

from surveys.themes import Embedder, HashingEmbedder, default_embedder, theme_answers
from surveys.themes.embed import MiniLMEmbedder, vector_model
from surveys.themes.projection import projection_of, shipped_projection
from tests.surveys.viewed import Mapped

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import build_theme_projection as builder  # noqa: E402
from build_answer_bank import bank_rows  # noqa: E402
from themes_quality import DEV, adjusted_rand  # noqa: E402

BARRIERS = "What have been the main barriers to partnership working?"



@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return default_embedder()


def test_the_shipped_map_is_what_the_script_learns_from_the_shipped_bank() -> None:
    matrix, bank_hash = builder.build()
    kept = builder.shipped()
    assert kept is not None
    assert kept[1] == bank_hash  # learned from the bank as it is now
    assert builder.same(kept[0], matrix)
    assert matrix.shape == (384, builder.DIMENSIONS)
    # Learning it twice gives the same map, signs and all.
    assert np.array_equal(matrix, builder.build()[0])


def test_only_the_default_model_gets_the_map() -> None:
    model = MiniLMEmbedder()
    matrix = projection_of(model)
    assert matrix is not None and matrix.shape == (384, builder.DIMENSIONS)
    assert shipped_projection(vector_model(model)) is not None
    assert projection_of(HashingEmbedder()) is None
    assert shipped_projection("hashing-1024/1024") is None


def test_answers_making_the_same_point_cluster_together_in_the_learned_view(
        embedder: Embedder) -> None:
    """Barriers in the issue's mixed styles (one-liners, rambling, text-speak…), with no
    codebook, clustered with a map learned without this dev set: the themes found agree
    with the coders' far better than in the encoder's own space, where answers group by
    wording and style (seed 0: ARI 0.10 without the map, 0.25 with it)."""
    with (ROOT / "bench" / "data" / "themes_dev_mixed.csv").open(
            newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["question"] == "barriers"]
    answers, truth = [r["answer"] for r in rows], [r["theme"] for r in rows]
    training = bank_rows(n for n in DEV if n != "dev_mixed")
    assert not {a for _, _, a in training} & {a.strip() for a in answers}
    vectors = builder.bank()[2]
    learned = builder.fit(*builder.training_rows(training, vectors))

    def ari(projection: np.ndarray | None) -> float:
        themed = theme_answers(answers, embedder=Mapped(embedder, projection), seed=0,
                               question=BARRIERS)
        return adjusted_rand(truth, [a[0] if a else "-" for a in themed.assignments])

    plain, mapped = ari(None), ari(learned)
    assert mapped >= plain + 0.08, (plain, mapped)
