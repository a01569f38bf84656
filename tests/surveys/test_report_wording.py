"""What a reader of the report sees of its themes: the overview's lines, and the points and
quotes under each theme (issue 11)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from surveys.report.model import Section, ThemeItem, ThemeList
from surveys.report.overview import theme_lines
from surveys.templates import builtin_template
from surveys.themes import (
    Embedder,
    Theme,
    ThemedQuestion,
    builtin_codebook,
    default_embedder,
    theme_answers,
)
from surveys.themes.phrases import content_stems, occurs_in
from surveys.themes.segment import split_points
from surveys.themes.themed import OTHER_ID

# The demo's framework review, as its overview had it: "'Buy in'" heads three questions'
# lines, and "Resources" would head two once "'Buy in'" leaves the strategy's.
FRAMEWORK = [
    ("Sustainable Community Strategy", [("Developing outcomes", 9), ("Balance", 8),
                                        ("'Buy in'", 6), ("Resources", 5),
                                        ("Involve frontline staff", 2)]),
    ("Local Area Agreement", [("Relationship to local area needs", 11), ("'Buy in'", 5),
                              ("Innovation", 3), ("Targets", 2)]),
    ("Commissioning and delivery", [("Developing & responding to community needs", 11),
                                    ("'Buy in'", 9), ("Accountability & delivery", 6)]),
    ("Leadership and governance", [("Good independent leadership", 12),
                                   ("Improved accountability", 6), ("Clear roles", 4)]),
    ("Planning and aligning resources", [("Coordination", 16), ("Resources", 10),
                                         ("Alignment to the Community Strategy", 10)]),
]


def _sections() -> list[Section]:
    return [Section(title, [ThemeList(title.lower(), title, 30, tuple(
        ThemeItem(label, "", count) for label, count in themes))])
        for title, themes in FRAMEWORK]


def test_a_label_raised_under_several_questions_is_shown_once_with_each_question() -> None:
    lines = theme_lines(_sections(), "themes")
    where = [w for w, _ in lines]
    # No two lines name the same theme: a reader could not tell five "'Buy in'" apart.
    named = [label for _, text in lines for label in text.split(" · ")]
    assert len(named) == len(set(named))
    assert "'Buy in'" in where and "Resources" in where
    together = dict(lines)
    assert together["'Buy in'"] == ("raised under Sustainable Community Strategy (6) · "
                                    "Local Area Agreement (5) · Commissioning and delivery (9)")
    # "Resources" moves up into the strategy's top three once "'Buy in'" leaves it, and
    # meets the planning question's "Resources" there.
    assert together["Resources"] == ("raised under Sustainable Community Strategy (5) · "
                                      "Planning and aligning resources (10)")
    # Each question's own line still names up to three themes of its own.
    assert together["Sustainable Community Strategy"] == (
        "Developing outcomes (9) · Balance (8) · Involve frontline staff (2)")
    assert together["Leadership and governance"] == (
        "Good independent leadership (12) · Improved accountability (6) · Clear roles (4)")


def test_labels_of_one_question_each_stay_on_its_line() -> None:
    lines = theme_lines(_sections()[:1], "themes")
    assert lines == [("Sustainable Community Strategy",
                      "Developing outcomes (9) · Balance (8) · 'Buy in' (6)")]


# The demo's answers to the framework review (bot/demo/answers), themed by the real engine
# with the template's built-in codebook, as its report is.
POOLS = Path(__file__).resolve().parents[2] / "bot" / "demo" / "answers" / "framework-review.toml"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """The real model, loaded once."""
    return default_embedder()


@pytest.fixture(scope="module")
def framework(embedder: Embedder) -> dict[str, tuple[list[str], ThemedQuestion]]:
    pools = tomllib.loads(POOLS.read_text(encoding="utf-8"))["questions"]
    template = builtin_template("framework-review")
    out = {}
    for qid in ("added-value", "barriers", "key-leadership"):
        prompt = next(q.prompt for q in template.questions if q.id == qid)
        answers = list(pools[qid]["answers"])
        out[qid] = (answers, theme_answers(answers, builtin_codebook("framework-review", qid),
                                           embedder=embedder, question=prompt))
    return out


def _quoted(theme: Theme, answers: list[str]) -> list[str]:
    """The answers a theme quotes."""
    return [a for q in theme.quotes for a in answers if q.split(" … ")[0] in a]


def test_a_theme_quotes_only_answers_about_it(
        framework: dict[str, tuple[list[str], ThemedQuestion]], embedder: Embedder) -> None:
    """A theme's quotes hold one of its points or a word of its label, or are close to its
    label with no other label of the question much closer (else it quotes only its most
    typical answer): never "Credibility when we go to government…" under "Challenge", nor
    "Intelligence. We don't have a shared picture of need…" under "Communication" (closer
    to "Lack of resources")."""
    for qid, (answers, themed) in framework.items():
        real = [t for t in themed.themes if t.id != OTHER_ID]
        labels = embedder.embed([t.label for t in real])
        for n, theme in enumerate(real):
            assert len(theme.quotes) <= theme.count
            if len(theme.quotes) == 1:
                continue  # a theme's one quote may be its most typical answer (test_themes)
            for answer in _quoted(theme, answers):
                if content_stems(theme.label) & content_stems(answer) or any(
                        occurs_in(p, answer) for p in theme.points):
                    continue
                near = embedder.embed(split_points(answer)) @ labels.T
                best = near.max(axis=0)
                assert best[n] >= 0.2 and best.max() - best[n] <= 0.1, (qid, theme.label, answer)
    quoted = {(qid, t.label): _quoted(t, answers)
              for qid, (answers, themed) in framework.items() for t in themed.themes}
    assert not any(a.startswith("Credibility when we go") for a in quoted.get(
        ("added-value", "Challenge"), []))
    assert not any(a.startswith("Intelligence.") for a in quoted.get(
        ("barriers", "Communication"), []))


def test_a_point_says_something_about_its_theme(
        framework: dict[str, tuple[list[str], ThemedQuestion]], embedder: Embedder) -> None:
    """A bare noun or two ("Council chamber", "Private sector person") is listed only when
    it is about the theme: it shares a word with the label or is close to it."""
    listed = set()
    for answers, themed in framework.values():
        for theme in themed.themes:
            for point in theme.points:
                listed.add(point.casefold())
                assert any(occurs_in(point, answers[i]) for i in theme.answer_indexes)
                if len(point.split()) <= 3 and not (content_stems(point)
                                                    & content_stems(theme.label)):
                    near = float(embedder.embed([point])[0] @ embedder.embed([theme.label])[0])
                    assert near >= 0.2, (theme.label, point, near)
    assert not listed & {"council chamber", "private sector person", "seen as a leader"}


def test_the_digest_says_which_question_a_repeated_top_theme_is_from() -> None:
    """The digest names a round's top themes in one line: "'Buy in'" twice would be two
    themes nobody could tell apart, so each says its question; a label heading one row
    stays as it is."""
    from surveys.report.build import theme_names, top_themes

    sections = [Section(title, [ThemeList(title.lower(), title, 30, tuple(
        ThemeItem(label, "", count) for label, count in themes))]) for title, themes in (
        ("Local Area Agreement", [("'Buy in'", 9), ("Innovation", 3)]),
        ("Commissioning and delivery", [("'Buy in'", 7), ("Accountability & delivery", 6)]))]
    names = theme_names(top_themes(sections))
    assert names == ["'Buy in' (Local Area Agreement)", "'Buy in' (Commissioning and delivery)",
                     "Accountability & delivery", "Innovation"]
