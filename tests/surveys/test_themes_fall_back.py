"""Codebook themes that answers fall back to (`engine._fall_back`: points of "Other points"
given to the codebook theme they fit best): what they list, and when an answer falls back.
Each case is a dev set's question, themed by the real engine and built-in codebook."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest

from surveys.themes import Embedder, builtin_codebook, default_embedder, theme_answers
from surveys.themes.phrases import occurs_in

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
DEMO = Path(__file__).resolve().parent / "data"


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
    pytest.param("themes_heldout.csv", "barriers", True, "Lack of 'buy in'",
                 "Commitment was paper thin", marks=pytest.mark.xfail(strict=True, reason=(
                     "open: with the answer map rebuilt from sixteen dev sets, heldout's "
                     "'Lack of 'buy in'' (label + description) lists no point"))),
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


def test_an_answer_that_fell_back_on_a_thin_margin_is_counted_but_not_quoted(
        embedder: Embedder) -> None:
    """The demo's SCS question quoted "Consultation that reaches beyond the usual
    suspects." as what partners said of "Accountability": it fits no theme well, and
    Accountability (0.336) barely better than Balance (0.328); the fall-back gave it to
    Accountability on that margin. It was still counted there, quoted nowhere; and as
    Accountability's only main answer, it was all the theme had, with a point of another
    answer's clipped ("Voluntary sector contributes"). A theme quoting nobody lists no
    point of a guess, so it is not listed, and the answer is counted under "Other
    points", quoted nowhere."""
    found = json.loads((DEMO / "demo_more_questions.json").read_text(encoding="utf-8"))
    question = found["questions"]["key-scs"]
    answers = list(question["texts"])
    themed = theme_answers(answers, builtin_codebook("framework-review", "key-scs"),
                           embedder=embedder, question=question["prompt"])
    label_of = {t.id: t.label for t in themed.themes}
    wide = answers.index("Consultation that reaches beyond the usual suspects.")
    assert [label_of[t] for t in themed.assignments[wide]] == ["Other points"]
    assert "Accountability" not in label_of.values()
    assert not any(q.startswith("Consultation that reaches") for t in themed.themes
                   for q in t.quotes)
    # Answers that fell back with a clear margin are still quoted (the dev sets' quotes
    # are all as before): "Balance" quotes three.
    balance = next(t for t in themed.themes if t.label == "Balance")
    assert len(balance.quotes) == 3
