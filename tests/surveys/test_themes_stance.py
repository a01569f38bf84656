"""Which theme an answer is about: a point that names a theme only to deny it counts for
none (surveys/themes/stance.py); the part a partner marks as the one that matters ranks
first; a theme more of its points fall under comes first."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from surveys.themes import (
    ThemedQuestion,
    builtin_codebook,
    default_embedder,
    theme_answers,
    themed,
)
from surveys.themes.features import Point, segment
from surveys.themes.stance import (
    denied_points,
    focus_of,
    focus_points,
    is_denial,
    is_ranked,
    taken_back,
)
from surveys.themes.themed import Group as _Group
from surveys.themes.themed import assign as _assign


@pytest.mark.parametrize(
    "point",
    ["Money isn't the problem here", "It wasn't the money", "It's not a money issue",
     "Clarity wasn't the issue for us", "I'd not call it networking",
     "I wouldn't say it gave us a shared focus", "Everybody says it's about commitment",
     "It isn't", "I've no complaint about clarity", "the aims were clear enough",
     "It doesn't need more structure", "Resources? Don't make me laugh",
     "nothing to do with the LAA", "funding was never the issue"],
)
def test_a_denial_is_seen(point: str) -> None:
    assert is_denial(point)


@pytest.mark.parametrize(
    "point",
    # Complaints, not denials; and denials that go on to make a point after a "but".
    ["not enough money", "no money for staff", "It wasn't clear what we were for",
     "nobody was clear about the aims", "the money never came",
     "Good leadership does not need to come from the biggest partner",
     "they say it's a borough matter",
     "Not sure it made us closer, but the data we swap now is far better"],
)
def test_a_complaint_or_a_turn_to_the_point_is_no_denial(point: str) -> None:
    assert not is_denial(point)


def test_an_answer_that_only_denies_keeps_its_point() -> None:
    points, _ = segment(["It wasn't the money.", "It wasn't the money. Nobody knew the aims."])
    assert [p.text for p in points] == ["It wasn't the money", "It wasn't the money",
                                        "Nobody knew the aims"]
    assert denied_points(points, 2).tolist() == [False, True, False]


def _barriers_themed(answers: list[str]) -> tuple[ThemedQuestion, list[str]]:
    """The answers themed by the built-in barriers codebook, and each answer's main theme's
    label ("" for none)."""
    found = theme_answers(answers, builtin_codebook("framework-review", "barriers"),
                          embedder=default_embedder())
    label = {t.id: t.label for t in found.themes}
    return found, [label[a[0]] if a else "" for a in found.assignments]


def test_a_denied_theme_is_not_the_answers_theme() -> None:
    """With the built-in codebook, an answer that sets money aside to complain about
    ownership is not put under "Lack of resources", nor quoted there."""
    answers = [
        "I'd not call it a money problem. The trouble was half the people who mattered "
        "weren't there, and the ones who were couldn't decide anything without their bosses.",
        "It wasn't the money. Nobody could ever tell you what the partnership was for.",
        "no money", "no funding for the coordinator post", "budgets cut every year",
    ]
    found, mains = _barriers_themed(answers)
    assert mains[0] != "Lack of resources" and mains[1] != "Lack of resources"
    assert mains[2:] == ["Lack of resources"] * 3
    resources = next(t for t in found.themes if t.label == "Lack of resources")
    assert not any(q.startswith(("I'd not", "It wasn't")) for q in resources.quotes)


def test_the_theme_more_of_an_answers_points_fall_under_comes_first(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Three bullets of a minute under one codebook theme outweigh one bullet that scores
    a little higher under another; not so for a new theme (a cluster) against a codebook
    theme, nor with AGREE 0."""
    points = [Point(0, t) for t in ("LAA refresh", "indicator haggling", "stretch targets",
                                    "no money")]

    def groups(from_codebook: bool) -> list[_Group]:
        return [_Group("LAA", "", from_codebook, np.array([0, 1, 2]), np.array([0.5] * 3)),
                _Group("Lack of resources", "", True, np.array([3]), np.array([0.6]))]

    assert _assign(groups(True), points, 1) == [[0, 1]]
    assert _assign(groups(False), points, 1) == [[1, 0]]
    monkeypatch.setattr(themed, "AGREE", 0.0)
    assert _assign(groups(True), points, 1) == [[1, 0]]


def test_the_part_marked_as_the_one_that_matters_is_a_points_focus() -> None:
    assert focus_of("Staff time was thin, yes, but the bigger thing was the LAA") \
        == "the bigger thing was the LAA"
    assert focus_of("Clearer roles would help, but mostly we need a strong chair") \
        == "mostly we need a strong chair"
    # A plain "but" marks nothing; nor does an emphasis far after it.
    assert focus_of("we tried but nobody came") == ""
    assert focus_of("We asked but nobody from the county council or the health trust "
                    "ever came to the meetings, really") == ""


def _dev_mixed(question: str) -> list[tuple[str, str]]:
    """(answer, theme) rows of one question of bench/data/themes_dev_mixed.csv."""
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "data" / "themes_dev_mixed.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [(r["answer"], r["theme"]) for r in csv.DictReader(handle)
                if r["question"] == question]


@pytest.mark.parametrize(("question", "opening", "conceded"), [
    ("added-value", "Good networking, yes, and some shared info, but for me the value",
     "Improved / extended networking & relationship building"),
    ("added-value", "There were a couple of joint events, fine, but what I valued",
     "Opportunity for joint working"),
    ("key-leadership", "Pulling the groups together matters, but mostly", "Coordination"),
])
def test_the_theme_a_partner_says_matters_most_is_the_main_one(
        question: str, opening: str, conceded: str) -> None:
    """In a whole round of the dev_mixed set with the built-in codebook, an answer that
    concedes one theme "but" marks another as what matters has that one as its main
    theme (as its coder put it); the conceded theme is still among its themes. The
    codebook's bank of answers is the one built without dev_mixed: with its own answers
    in the bank, an answer's every point would vote for its coded theme."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from build_answer_bank import codebook_without

    rows = _dev_mixed(question)
    answers = [a for a, _ in rows]
    n = next(i for i, a in enumerate(answers) if a.startswith(opening))
    themed = theme_answers(answers, codebook_without(question, "dev_mixed"),
                           embedder=default_embedder())
    label = {t.id: t.label for t in themed.themes}
    got = [label[t] for t in themed.assignments[n]]
    assert got[0] == rows[n][1] != conceded
    assert conceded in got


def test_among_new_themes_the_one_more_points_fall_under_comes_first(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Between two new themes (clusters, scored as similarity less 1) the same rule holds as
    between codebook themes: three points under one outweigh one a little closer to another."""
    points = [Point(0, t) for t in ("new chief exec", "new structure", "new faces every year",
                                    "county council")]
    groups = [_Group("", "", False, np.array([0, 1, 2]), np.array([-0.5] * 3)),
              _Group("", "", False, np.array([3]), np.array([-0.4]))]
    assert _assign(groups, points, 1) == [[0, 1]]
    monkeypatch.setattr(themed, "AGREE", 0.0)
    assert _assign(groups, points, 1) == [[1, 0]]


def test_an_answers_opening_aside_is_not_its_main_new_theme() -> None:
    """No codebook, the real engine on the voices set's barriers: "I remember when we had a
    county council that knew what it was doing. Anyway. Every year it's a new initiative…"
    is about instability; its opening aside alone had made the county council its theme."""
    data = Path(__file__).resolve().parents[2] / "bench" / "data" / "themes_dev_voices.csv"
    with data.open(newline="", encoding="utf-8") as handle:
        answers = [r["answer"] for r in csv.DictReader(handle) if r["question"] == "barriers"]
    which = next(i for i, a in enumerate(answers) if a.startswith("I remember when we had"))
    found = theme_answers(answers, embedder=default_embedder())
    label = {t.id: t.label for t in found.themes}
    touched = [label[t] for t in found.assignments[which]]
    # The aside may count under a theme of its own or, read in its answer's light in the
    # learned view (projection.py), under the answer's theme; never as the main theme.
    assert touched
    assert "county" not in touched[0].lower()


@pytest.mark.parametrize(("answer", "taken"), [
    # The decoy, the sentence that takes it back, and the landing, which is kept.
    ("Funding, I'd have said a year ago. Honestly though, nobody owns anything.",
     ["Funding"]),
    ("I put communication down, then crossed it out. It's that nobody decides.",
     ["I put communication down", "then crossed it out"]),
    ("My first thought was the money. No – it's that nobody decides anything.",
     ["My first thought was the money"]),
    ("Trust matters. Funding. I'd have said that once. Now it's ownership.",
     ["Funding", "I'd have said that once"]),
    ("Structures is what I'd usually say. This time it was the turnover of chief execs.",
     ["Structures is what I'd usually say"]),
    ("Buy-in was my first thought, but partners were willing enough. It was that one "
     "officer serviced the board on top of three other jobs.",
     ["Buy-in was my first thought, but partners were willing enough"]),
    # Nothing taken back: a reply to a question, "no" as a word, a figure of speech, an
    # answer that is only its decoy, and what the partner believed before and why.
    ("Did it work? No. Nobody shared data.", []),
    ("I report to the board and get nothing back. No feedback, no minutes.", []),
    ("I'd put it this way: if it were a company it would have gone under.", []),
    ("I'd have said funding", []),
])
def test_what_a_partner_takes_back_is_a_decoy(answer: str, taken: list[str]) -> None:
    points, _ = segment([answer])
    flags = taken_back(points, [answer])
    assert [p.text for p, f in zip(points, flags, strict=True) if f] == taken
    assert not flags[-1]  # the landing is never taken back


def test_one_half_weighed_down_is_no_denial_and_the_other_is_the_focus() -> None:
    assert focus_of("Not the money so much as the point of it") == "the point of it"
    point = "Well, it's less about communication, more that it felt like a council committee"
    assert not is_denial(point)
    assert focus_of(point) == "it felt like a council committee"
    # Split at the comma, the weighed-down half alone denies.
    assert is_denial("Less the information") and is_denial("it's less about the money")
    assert not is_denial("less money than last year")


@pytest.mark.parametrize(("answer", "first"), [
    ("1) funding 2) time 3) trust", "funding"),
    ("My top three: 1) trust, 2) money, 3) time", "trust"),
    ("Top of my list: trust; after that the money", "trust"),
    ("First the money, then the staff time, and last the politics.", "the money"),
    ("Money, staff and time, in that order.", "Money"),
])
def test_a_ranked_lists_first_item_is_its_focus(answer: str, first: str) -> None:
    assert is_ranked(answer)
    points, _ = segment([answer])
    focus = focus_points(points, [answer], np.zeros(len(points), bool))
    assert list(focus.values()) == [first]


@pytest.mark.parametrize("answer", [
    # A numbered list after a sentence gives examples of that sentence; a list unranked.
    "It had no teeth. (1) no consequence when a partner didn't deliver, (2) actions rolled "
    "forward",
    "Money, staff, time.",
    "First of all, thanks for asking.",
])
def test_a_list_that_ranks_nothing_has_no_focus(answer: str) -> None:
    assert not is_ranked(answer)
    points, _ = segment([answer])
    assert focus_points(points, [answer], np.zeros(len(points), bool)) == {}


def test_a_theme_taken_back_is_not_the_answers_theme() -> None:
    """With the built-in codebook, an answer that names funding first and takes it back is
    about what it lands on; without `taken_back` it was put under "Lack of resources"."""
    answers = [
        "Funding, I'd have said a year ago. Now it's that nobody can say who answers for "
        "what the board agrees.",
        "My first thought was the money. No – it's that everything is decided at the "
        "council and the rest of us are guests.",
        "no money", "budgets cut every year", "nobody knows who is accountable",
    ]
    _, mains = _barriers_themed(answers)
    assert mains[0] == mains[1] == mains[4] == "Unclear accountability"
    assert mains[2:4] == ["Lack of resources"] * 2
