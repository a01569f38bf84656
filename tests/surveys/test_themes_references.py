"""A question's codebook texts are embedded once, and judging which answers a codebook
theme draws its points from only where it reads them gives the same themes."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from surveys.themes import (
    Embedder,
    ThemedQuestion,
    builtin_codebook,
    codebook_texts,
    default_embedder,
    theme_answers,
)
from surveys.themes.phrases import flat

DEMO_ROUND = Path(__file__).resolve().parent / "data" / "demo_framework_round.json"


class CountingEmbedder:
    """The real model, counting how often each text is embedded."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        for attribute in ("dim", "match_min", "match_min_sparse", "match_floor",
                          "match_floor_sparse"):
            if hasattr(inner, attribute):
                setattr(self, attribute, getattr(inner, attribute))
        self.seen: Counter[str] = Counter()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.update(texts)
        return self.inner.embed(texts)


def _rounds() -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = json.loads(
        DEMO_ROUND.read_text(encoding="utf-8"))["questions"]
    return found


def _shown(themed: ThemedQuestion) -> list[tuple[object, ...]]:
    return [(t.id, t.label, t.count, t.points, t.quotes, t.answer_indexes)
            for t in themed.themes] + [tuple(a) for a in themed.assignments]


@pytest.fixture(scope="module")
def model() -> Embedder:
    return default_embedder()


def test_a_codebook_text_is_embedded_once_for_every_question_of_a_round(
        model: Embedder) -> None:
    """Matching, ranking by whole answers, judging quotes and choosing points each compared
    a question's points with its codebook's texts, and each embedded them again: the
    framework review's barriers codebook (166 texts) six times for one CSV. Now once per
    encoder, over every question, with the same themes."""
    counting = CountingEmbedder(model)
    for qid, q in _rounds().items():
        texts = list(q["texts"])  # type: ignore[call-overload]
        book = builtin_codebook("framework-review", qid)
        prompt = str(q["prompt"])
        themed = theme_answers(texts, book, embedder=counting, question=prompt)
        assert _shown(themed) == _shown(theme_answers(texts, book, embedder=model,
                                                      question=prompt))
        # A codebook text a partner also wrote ("Networking") is embedded as their point too.
        said = [flat(t) for t in texts]
        again = [t for t in codebook_texts(book) if counting.seen[t] > 1
                 and not any(flat(t) in s for s in said)]
        assert not again, (qid, again[:3], counting.seen[again[0]])


def test_judging_only_the_answers_points_are_drawn_from_gives_the_same_themes(
        model: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before naming, a codebook theme's answers are judged only among those its points
    are drawn from (its most typical points): judging all of them gives the same themes."""
    import surveys.themes.engine as engine

    for qid, q in _rounds().items():
        texts = list(q["texts"])  # type: ignore[call-overload]
        book = builtin_codebook("framework-review", qid)
        fewer = theme_answers(texts, book, embedder=model, question=str(q["prompt"]))
        with monkeypatch.context() as patch:
            patch.setattr(engine, "_drawn_from", lambda group, points: None)
            every = theme_answers(texts, book, embedder=model, question=str(q["prompt"]))
        assert _shown(fewer) == _shown(every), qid
