"""Labels, points and quotes a partnership would recognise: drawn from what partners said."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from surveys.themes import Embedder, builtin_codebook, default_embedder, theme_answers
from surveys.themes.engine import OTHER_ID, OTHER_LABEL
from surveys.themes.phrases import candidates, is_label, occurs_in
from surveys.themes.quotes import quote_of
from surveys.themes.represent import points_for
from surveys.themes.sentences import sentences

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
QUESTION = "What have been the main barriers to partnership working?"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """The real model, loaded once."""
    return default_embedder()


@pytest.mark.parametrize("label", [
    # Labels the engine printed before (issue 11), none of which a person would publish.
    "Not fifty", "Reach they don't", "Being listened", "NIs: scs", "Nobody's said",
    "Then never hear what happened to them", "Writes the papers and chairs",
    "Care leavers: takes, somebody, raised, hoarding", "🙂👍", "Board was poor",
    "Enough local", "Spent mtgs", "Agencies to agree", "NIs LAA SCS CAA",
    "Rhaid i ni weithio gyda'n gilydd", "Funding", "Barriers to partnership working",
    "One two three four five six seven", "Volunteers and residents'", "Support from the council's",
    "Partners share data far",
])
def test_labels_no_one_would_publish(label: str) -> None:
    assert not is_label(label, QUESTION)


@pytest.mark.parametrize("label", [
    "Jargon and acronyms", "Feedback never comes back", "Lending staff between partners",
    "Organisations round the table", "Outcomes for residents", "Two tier local government",
])
def test_labels_a_person_would_write(label: str) -> None:
    assert is_label(label, QUESTION)


def test_a_phrase_never_drops_the_negation_before_it() -> None:
    found = {p.text for p in candidates("Not a great deal if I'm honest. Not new structures")}
    assert "great deal" not in found and "new structures" not in found
    assert not is_label("Nid oes dim arian")


@pytest.mark.parametrize(("text", "expected"), [
    ("Not top down e.g. the county. It works ie. Brookside is fine.",
     ["Not top down e.g. the county.", "It works ie. Brookside is fine."]),
    ("Cllr. Smith chairs it. St. Peter's hall is used. Dr. Jones agreed.",
     ["Cllr. Smith chairs it.", "St. Peter's hall is used.", "Dr. Jones agreed."]),
    ("We got £1.5m. That is 3.5 percent.", ["We got £1.5m.", "That is 3.5 percent."]),
    ("1. Funding\n2. Staff time\n- the LAA", ["1. Funding", "2. Staff time", "- the LAA"]),
    ("money, staff etc. The LAA dominates", ["money, staff etc.", "The LAA dominates"]),
    ("money, staff etc. and time i.e. everything", ["money, staff etc. and time i.e. everything"]),
])
def test_sentences_know_abbreviations_decimals_and_lists(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_a_long_answer_is_quoted_by_whole_sentences_and_a_short_one_whole() -> None:
    short = "No money.\nNo staff either."
    assert quote_of(short, ["No money"]) == short  # line breaks kept
    long = ("The board meets four times a year and the papers are fine. " * 3
            + "Funding is the real barrier, i.e. we have no money for projects. "
            + "Cllr. Smith agrees with that. " + "Otherwise things are fine. " * 4)
    quote = quote_of(long, ["Funding is the real barrier"])
    assert quote == "Funding is the real barrier, i.e. we have no money for projects."


def _dev_answers(question: str) -> list[str]:
    with (DATA / "themes_heldout.csv").open(newline="", encoding="utf-8") as handle:
        by_q: dict[str, list[str]] = defaultdict(list)
        for row in csv.DictReader(handle):
            by_q[row["question"]].append(row["answer"])
    return by_q[question]


@pytest.mark.parametrize("codebook", [False, True])
def test_labels_points_and_quotes_come_from_the_answers(embedder: Embedder,
                                                        codebook: bool) -> None:
    answers = _dev_answers("barriers")
    book = builtin_codebook("framework-review", "barriers") if codebook else []
    themed = theme_answers(answers, book, embedder=embedder, question=QUESTION)
    descriptions = {t.description for t in book}
    assert themed.themes
    for theme in themed.themes:
        if theme.id == OTHER_ID:
            assert theme.label == OTHER_LABEL and theme.points == ()
        elif not theme.from_codebook:
            assert is_label(theme.label, QUESTION), theme.label
        assert len(theme.points) <= points_for(theme.count)
        mine = [answers[i] for i in theme.answer_indexes]
        for point in theme.points:
            assert point not in descriptions
            assert any(occurs_in(point, a) for a in mine), (theme.label, point)
        main = [answers[i] for i in theme.answer_indexes if themed.assignments[i][0] == theme.id]
        assert len(theme.quotes) <= min(3, theme.count, len(main))
        for quote in theme.quotes:
            assert any(quote.split(" … ")[0] in a for a in main), (theme.label, quote)


def test_one_answer_makes_one_theme_not_three(embedder: Embedder) -> None:
    jargon = "Jargon. NIs, LAA, SCS, CAA, ABG…"
    answers = [jargon] * 4 + [
        "too many acronyms nobody explains", "no money for anything", "funding cut again",
        "budgets stretched to breaking point", "the county never turns up",
        "district and county duplicate everything", "two tier working is a mess",
        "all jargon and initials, outsiders are lost",
    ]
    themed = theme_answers(answers, embedder=embedder, question=QUESTION)
    touching = [t for t in themed.themes if 0 in t.answer_indexes]
    assert len(touching) == 1, [t.label for t in touching]


def test_few_answers_few_points(embedder: Embedder) -> None:
    book = builtin_codebook("framework-review", "barriers")
    answers = ["membership of the board keeps changing and nobody knows who is on it",
               "not clear who the members are", "unclear membership, people come and go"]
    themed = theme_answers(answers, book, embedder=embedder, question=QUESTION)
    for theme in themed.themes:
        assert len(theme.points) <= points_for(theme.count) <= 1
        for point in theme.points:  # never the codebook's 2008 wording
            assert any(occurs_in(point, a) for a in answers)


def test_a_point_never_ends_on_a_possessive() -> None:
    """A point cut before the noun its possessive belongs to is no point."""
    assert not is_label("Volunteers and residents’", point=True)
    assert is_label("Residents' groups", point=True)


@pytest.mark.parametrize(("text", "cut"), [
    # A run that stops short of the noun it leads to, or runs from a subject into a verb's
    # object, is no phrase a partner would recognise as theirs.
    ("the council gets asked awkward questions by people", "council gets asked awkward"),
    ("ambitions for older people", "ambitions for older"),
    ("the partnership has a track record", "partnership has a track"),
    ("it gave the voluntary sector a seat at the table", "voluntary sector a seat"),
    ("we cant commit staff", "cant commit"),
    ("it did little for the college", "little for the college"),
    ("Too big for discussion - reports read out", "big for discussion"),
])
def test_a_point_is_never_a_fragment(text: str, cut: str) -> None:
    assert cut not in {p.text for p in candidates(text)}


def test_phone_negations_without_apostrophes_are_negations() -> None:
    found = {p.text for p in candidates("groups dont talk. partners cant commit staff")}
    assert "commit staff" not in found and not any(p.endswith("dont") for p in found)
    assert "track record" in {p.text for p in candidates("the partnership has a track record")}
