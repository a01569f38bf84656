"""Codebook themes that answers fall back to (`engine._fall_back`: points of "Other points"
given to the codebook theme they fit best): what they list, and when an answer falls back.
Each case is a dev set's question, themed by the real engine and built-in codebook."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from surveys.themes import Embedder, builtin_codebook, default_embedder, theme_answers
from surveys.themes.phrases import occurs_in

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """The real model, loaded once."""
    return default_embedder()


def _answers(name: str, question: str) -> list[str]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return [row["answer"] for row in csv.DictReader(handle) if row["question"] == question]


@pytest.mark.parametrize(("name", "question", "sparse", "label", "point"), [
    # Raised by 30, quoting three, described only from the answers it held before the
    # fall-back gave it more, it listed nothing they said.
    ("themes_heldout.csv", "barriers", True, "Lack of 'buy in'", "Commitment was paper thin"),
    ("themes_dev_mixed.csv", "key-leadership", False, "Structure / representation",
     "Voluntary sector has ONE seat"),
])
def test_a_theme_answers_fell_back_to_is_described_from_all_its_answers(
        embedder: Embedder, name: str, question: str, sparse: bool, label: str,
        point: str) -> None:
    answers = _answers(name, question)
    book = builtin_codebook("framework-review", question)
    if sparse:
        book = [replace(t, examples=(), answers=()) for t in book]
    themed = theme_answers(answers, book, embedder=embedder)
    theme = next(t for t in themed.themes if t.label == label)
    assert theme.quotes
    assert theme.points == (point,)
    mains = [i for i in theme.answer_indexes if themed.assignments[i][:1] == [theme.id]]
    assert any(occurs_in(point, answers[i]) for i in mains)
