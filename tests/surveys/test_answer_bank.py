"""The framework review's bank of labelled answers: built from the dev sets only, shipped
with its vectors, and used only to choose a point's codebook theme."""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from surveys.themes import (
    CodebookTheme,
    Embedder,
    builtin_codebook,
    builtin_codebooks,
    choice,
    default_embedder,
    parse_codebook,
    theme_answers,
    vector_model,
)
from surveys.themes import matching as m
from surveys.themes.bank import shipped_vectors
from surveys.themes.embed import MiniLMEmbedder, answer_text
from surveys.themes.themed import OTHER_LABEL

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import build_answer_bank as builder  # noqa: E402
from build_answer_map import map_without  # noqa: E402
from themes_quality import DEV, read  # noqa: E402


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return default_embedder()


def test_the_shipped_bank_is_what_the_script_builds_from_the_dev_sets() -> None:
    assert builder.SHIPPED.read_text(encoding="utf-8") == builder.build()
    assert builder.vectors_up_to_date(builder.build())
    rows = builder.bank_rows(DEV)
    assert len(rows) > 2000
    books = builtin_codebooks("framework-review")
    for question, theme, answer in rows:
        assert theme in {t.label for t in books[question]}, (question, theme)
        assert answer == answer.strip() and answer


def test_every_dev_set_and_no_unseen_set_goes_into_the_bank(
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = {p.name for p in (ROOT / "bench" / "data").glob("themes_*.csv")}
    dev = {p.name for p in DEV.values()}
    assert not {n for n in dev if "unseen" in n}
    # A dev set added to bench/data must be listed in DEV to join the bank.
    assert {n for n in files if "unseen" not in n} == dev
    monkeypatch.setitem(builder.DEV, "unseen_a",
                        ROOT / "bench" / "data" / "themes_unseen_a.csv")
    with pytest.raises(ValueError, match="not a dev set"):
        builder.bank_rows(["labelled", "unseen_a"])


def test_the_shipped_vectors_are_the_default_models_own() -> None:
    model = MiniLMEmbedder()
    kept = shipped_vectors(vector_model(model))
    rows = builder.bank_rows(DEV)
    assert len(kept) == len({answer_text(a) for _, _, a in rows})
    sample = [answer_text(a) for _, _, a in rows[::250]]
    fresh = model.embed(sample)
    assert np.allclose(np.stack([kept[t] for t in sample]), fresh, atol=2e-3)
    # Another encoder (the fallbacks) embeds the bank itself.
    assert shipped_vectors("hashing-1024/1024") == {}


def test_only_the_built_in_codebook_has_a_bank() -> None:
    barriers = builtin_codebook("framework-review", "barriers")
    assert all(len(t.answers) >= 20 for t in barriers)
    assert not any(t.answers for t in builtin_codebook("swot", "strengths"))
    own = parse_codebook('[[theme]]\nlabel = "Money"\ndescription = "funding"\n'
                         'examples = ["no budget"]\n')
    assert own == [CodebookTheme("Money", "funding", ("no budget",))]
    # A codebook without a bank scores as it did: one matrix, no vote.
    vectors = default_embedder().embed(["no budget at all"])
    plain, voted = m.match_scores(own, vectors, default_embedder(), ["no budget at all"])
    assert plain is voted


def test_a_bank_without_the_set_chooses_its_themes_better(
        embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    """dev_mixed's barriers (one-liners, several themes in one answer, acronyms, typos), with
    the bank of the other nine dev sets: 41 of 65 main themes right without it, 48 with.
    The bank alone: the shipped answer map learned from dev_mixed too, so it is left out
    (test_answer_map.py measures the two together, each learned without the set)."""
    monkeypatch.setattr(m, "answer_map", lambda _embedder: None)
    rows = read(DEV["dev_mixed"])["barriers"]
    answers, truth = [a for a, _ in rows], [t for _, t in rows]

    def right(book: list[CodebookTheme]) -> int:
        themed = theme_answers(answers, book, embedder=embedder)
        label = {t.id: t.label for t in themed.themes}
        return sum(bool(a) and label[a[0]] == want
                   for a, want in zip(themed.assignments, truth, strict=True))

    without = right(builder.codebook_without("barriers", "dev_mixed", {}))
    banked = builder.codebook_without("barriers", "dev_mixed")
    assert not {a for t in banked for a in t.answers} & set(answers)
    assert right(banked) >= without + 6


def test_the_bank_chooses_among_the_themes_the_texts_find_nearly_as_good() -> None:
    """A point joins a theme by the codebook's texts (over `match_min`, within the margin
    of their best) or, where the texts fit it at all, by the bank's vote among the themes
    the texts score within BANK_WINDOW of their best; a point the texts fit nowhere joins
    nothing, whatever the vote."""
    plain = np.array([[0.40, 0.30, 0.20],   # fits; the vote prefers the second theme
                      [0.40, 0.30, 0.20],   # fits; the vote prefers the third, too far off
                      [0.30, 0.28, 0.10]],  # fits nothing
                     dtype=np.float32)
    ranked = plain + np.array([[0.0, 0.2, 0.0], [0.0, 0.0, 0.4], [0.0, 0.3, 0.0]],
                              dtype=np.float32)
    assert m.matched(plain, 0.34, 0.04).tolist() == [[True, False, False]] * 2 + [[False] * 3]
    assert m.matched(plain, 0.34, 0.04, ranked).tolist() == [
        [True, True, False], [True, False, False], [False, False, False]]


def test_a_bank_without_the_set_may_choose_which_themes_a_point_joins(
        embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    """dev_work (members telling what a difficult year cost them, rarely in their theme's
    words), with the bank and the answer map both learned without it: 177 of 240 main
    themes right with the bank only ranking the themes the codebook's texts chose, 184
    with it choosing among those the texts find nearly as good (matching.BANK_WINDOW).
    Measured with `assign`'s order of an answer's themes (the rule as it was chosen; the
    learned choice of the main theme has its own test, test_main_choice.py)."""
    monkeypatch.setattr(choice, "WEIGHTS", choice.ASSIGN_WEIGHTS)
    held = map_without("dev_work", embedder)
    monkeypatch.setattr(m, "answer_map", lambda _embedder: held)
    others = builder.bank_without("dev_work")

    def right() -> int:
        return right_without("dev_work", others, embedder)

    after = right()
    monkeypatch.setattr(m, "BANK_WINDOW", 0.0)  # the bank only ranks: as before
    before = right()
    assert after >= before + 5, (before, after)


ROUND = [
    "The county kept moving the goalposts on what the LAA targets were.",
    "Half the board never turn up, and the ones who do send a deputy with no say.",
    "No money behind any of it. We agreed things and nobody could fund them.",
    "Two councils, two sets of priorities, and we sat in the middle.",
    "Nobody told us what happened after the meeting; the minutes came a month late.",
    "The catering was awful.",
    "Happy Christmas everyone!",
    "We never knew who was meant to do what, or who answered for it when it went wrong.",
    "Staff kept changing: three chairs in two years.",
    "Too many acronyms, too little plain English from the centre.",
]


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


def test_bank_answers_are_never_quoted_listed_or_a_label(embedder: Embedder) -> None:
    book = builtin_codebook("framework-review", "barriers")
    themed = theme_answers(ROUND, book, embedder=embedder)
    labels = {t.label for t in book}
    said = " | ".join(_words(a) for a in ROUND)
    bank = [a for t in book for a in t.answers]
    for theme in themed.themes:
        assert set(theme.quotes) <= set(ROUND)
        for point in theme.points:
            assert _words(point) in said, point
        assert theme.label in labels or theme.label == OTHER_LABEL \
            or _words(theme.label) in said
        assert not [a for a in bank if a in theme.quotes or a in theme.points]


def test_an_off_topic_remark_stays_out_of_the_codebook(embedder: Embedder) -> None:
    """The bank says which theme a point is about, not whether it is about one: remarks
    the codebook's own texts fit nowhere near stay "Other points", however their nearest
    bank answers vote."""
    book = builtin_codebook("framework-review", "barriers")
    themed = theme_answers(ROUND, book, embedder=embedder)
    label = {t.id: t.label for t in themed.themes}
    for n in (5, 6):
        assert [label[i] for i in themed.assignments[n]] == [OTHER_LABEL], ROUND[n]
    without = theme_answers(ROUND, [replace(t, answers=()) for t in book], embedder=embedder)
    other = {t.id: t.label for t in without.themes}
    assert [other[i] for i in without.assignments[5]] == [OTHER_LABEL]


def test_another_encoder_embeds_each_bank_answer_once_over_a_whole_round() -> None:
    """An encoder the shipped vectors were not made by (a fallback) embeds the bank itself,
    once per process: a report of every framework-review question keeps the 3,830 bank
    answers beside the codebooks' 1,436 texts, which the old limit of 4,096 kept vectors
    could not hold, so the first questions' bank answers were dropped and embedded again."""
    from collections import Counter

    from surveys.themes import HashingEmbedder

    class Counting(HashingEmbedder):
        def __init__(self) -> None:
            super().__init__()
            self.seen: Counter[str] = Counter()

        def embed(self, texts: list[str]) -> np.ndarray:  # type: ignore[override]
            self.seen.update(texts)
            return super().embed(texts)

    counting = Counting()
    books = builtin_codebooks("framework-review")
    asked = [q for q, book in books.items() if any(t.answers for t in book)]
    for _ in range(2):  # a second report of the same round
        for question in asked:
            theme_answers(["No money and no staff.", "The county never listened to us."],
                          books[question], embedder=counting)
    bank = {answer_text(a) for q in asked for t in books[q] for a in t.answers}
    assert len(bank) > 2500
    again = [t for t in bank if counting.seen[t] > 1]
    assert not again, (len(again), again[:2])


def right_without(name: str, others: dict[str, dict[str, list[str]]],
                  embedder: Embedder) -> int:
    """Main themes right on dev set `name`, each question's codebook given the bank
    `others` (built without that set)."""
    count = 0
    for question, rows in read(DEV[name]).items():
        answers, truth = [a for a, _ in rows], [t for _, t in rows]
        book = builder.codebook_without(question, name, others)
        themed = theme_answers(answers, book, embedder=embedder)
        label = {t.id: t.label for t in themed.themes}
        count += sum(bool(a) and label[a[0]] == want
                     for a, want in zip(themed.assignments, truth, strict=True))
    return count
