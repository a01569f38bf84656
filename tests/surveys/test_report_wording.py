"""What a reader of the report sees of its themes: the overview's lines, and the points and
quotes under each theme (issue 11)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from surveys.report.model import Distribution, Section, Split, ThemeItem, ThemeList
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
from surveys.themes.headings import is_label
from surveys.themes.phrases import (
    candidates,
    content_stems,
    occurs_in,
    only_what_was_done_to,
)

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


def _split(short: str, good: list[tuple[str, int]], bad: list[tuple[str, int]]) -> Split:
    """An effectiveness question as the framework review's report has it: a side's themes
    come from that side's "Why?" answers alone."""
    points = ("Very effective", "Effective", "Not very effective", "Very ineffective")
    return Split(f"How effective has the connection been? ({short})",
                 Distribution(short, short, points, (3, 12, 11, 7), positive=2, short=short),
                 tuple((side, ThemeList(f"{short}|{side}", short, 15, tuple(
                     ThemeItem(label, "", count) for label, count in themes)))
                       for side, themes in (("Very effective / effective", good),
                                            ("Not very effective / very ineffective", bad))))


def test_each_side_of_a_split_question_has_its_overview_line() -> None:
    """In the framework layout the overview had no line for "How effective has the
    connection between the thematic groups and the LSP been?": its "Why?" themes sit in a
    Split, which `theme_lines` skipped. Each side gets a line; a label on both sides of
    one question is not a theme shared across questions."""
    about_you = Section("About you", [
        _split("Thematic groups ↔ LSP",
               [("Attendance & participation", 7), ("Communication & reporting", 5),
                ("Scrutiny & follow-through", 5)],
               [("Communication & reporting", 6), ("Scrutiny & follow-through", 6),
                ("Working in silos", 4)]),
        _split("District LSP ↔ county groups", [("District representation", 8)],
               [("Countywide leadership / guidance", 5), ("Working in silos", 2)])])
    lines = dict(theme_lines([about_you, *_sections()[:1]], "themes"))
    assert lines["Thematic groups ↔ LSP, very effective / effective"] == (
        "Attendance & participation (7) · Communication & reporting (5) · "
        "Scrutiny & follow-through (5)")
    assert lines["District LSP ↔ county groups, very effective / effective"] == (
        "District representation (8)")
    assert lines["District LSP ↔ county groups, not very effective / very ineffective"] == (
        "Countywide leadership / guidance (5)")
    # "Working in silos" is raised under both questions: one line names each side.
    assert lines["Working in silos"] == (
        "raised under Thematic groups ↔ LSP, not very effective / very ineffective (4) · "
        "District LSP ↔ county groups, not very effective / very ineffective (2)")
    assert lines["Thematic groups ↔ LSP, not very effective / very ineffective"] == (
        "Communication & reporting (6) · Scrutiny & follow-through (6)")


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


DEMO_ROUND = Path(__file__).resolve().parent / "data" / "demo_framework_round.json"


@pytest.fixture(scope="module")
def demo_round(embedder: Embedder) -> dict[str, tuple[list[str], ThemedQuestion]]:
    """Round 1 of `make demo` (the framework review) as its partners answered it: the
    answers the demo drew from the pools, themed by the real engine and codebook."""
    found = json.loads(DEMO_ROUND.read_text(encoding="utf-8"))["questions"]
    return {qid: (list(q["texts"]), theme_answers(
        list(q["texts"]), builtin_codebook("framework-review", qid), embedder=embedder,
        question=q["prompt"])) for qid, q in found.items()}


def _theme(themed: ThemedQuestion, label: str) -> Theme:
    return next(t for t in themed.themes if t.label == label)


def test_a_theme_quotes_only_answers_that_fit_it_best(
        demo_round: dict[str, tuple[list[str], ThemedQuestion]],
        framework: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """An answer is quoted under its main theme only if that theme is the one it fits
    best, judged by the codebook's description and examples and the theme's other answers
    (not its short label alone), and no theme quotes more answers than its count. The
    demo had quoted "It gives small orgs like ours access to decision makers…" under
    "Information sharing" (it fits every theme alike) and the Welsh answer "Cydweithio
    gwell… better joint working between the sectors…" under "Greater awareness &
    understanding", whose point it gave ("Better joint working between the sectors")."""
    answers, themed = demo_round["added-value"]
    sharing = _theme(themed, "Information sharing")
    aware = _theme(themed, "Greater awareness & understanding")
    assert not any(q.startswith("It gives small orgs") for q in sharing.quotes)
    assert not any(q.startswith("Cydweithio") for q in aware.quotes)
    assert "better joint working between the sectors" not in {p.casefold() for p in aware.points}
    # What stays: answers plainly about their theme are still quoted under it.
    assert any(q.startswith("Info sharing") for q in sharing.quotes)
    assert any(q.startswith("Greater awareness of who lives here") for q in aware.quotes)
    for answers, themed in [*demo_round.values(), *framework.values()]:
        main = {i: got[0] for i, got in enumerate(themed.assignments) if got}
        for theme in themed.themes:
            assert len(theme.quotes) <= theme.count
            for answer in _quoted(theme, answers):
                assert main[answers.index(answer)] == theme.id, (theme.label, answer)


def test_the_demo_has_no_label_cut_from_a_denial(
        demo_round: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """"First round without the LSP" (raised by 2) headed a theme of the demo's added
    value, from "…would not have got past the first round without the LSP behind it"."""
    labels = {t.label for _, themed in demo_round.values() for t in themed.themes}
    assert "First round without the LSP" not in labels


def test_a_codebook_theme_several_raised_shows_what_they_said(
        demo_round: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """A codebook theme several partners raised lists phrases of theirs about it. The
    demo's "LAA" (7), "Relationships" (9) and "Communication" (6) had listed none: a point
    holding the label's one word ("Pace of the LAA") was dropped as repeating the label,
    a clause ending on a passive ("Business hasn't really been engaged") was cut as a
    dangling verb, and a point was judged against the description without the examples."""
    answers, themed = demo_round["barriers"]
    for label in ("LAA", "Relationships", "Communication"):
        theme = _theme(themed, label)
        assert theme.points, label
        for point in theme.points:
            assert any(occurs_in(point, answers[i]) for i in theme.answer_indexes)
            assert content_stems(point) - content_stems(label), (label, point)


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


def test_a_codebook_theme_raised_by_several_lists_a_clause_said_of_everyone(
        demo_round: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """The demo's "Lack of 'buy in'" (raised by 5) listed no point: its answers' clauses
    open on "everyone" or "nobody" ("…everyone brings their own figures"), a pronoun no
    heading opens on, and cut after it they open on a verb ("brings their own figures")
    or say the opposite ("reads the minutes" of "nobody reads the minutes"). A clause
    said of everyone or no one is now a point whole, never a label, and never cut. (The
    theme no longer lists "Everyone brings their own figures": that answer is quoted
    under "Communication", and a partner's words are shown under one theme; it quotes
    its own main answer instead, test_demo_themes.)"""
    answers, themed = demo_round["barriers"]
    theme = _theme(themed, "Lack of 'buy in'")
    assert theme.count >= 2 and (theme.points or theme.quotes)
    for point in theme.points:
        assert any(occurs_in(point, answers[i]) for i in theme.answer_indexes), point
    said = {c.text: (is_label(c.text, point=True), is_label(c.text))
            for t in ("Nobody reads the minutes", "everyone brings their own figures",
                      "Everyone's got their own targets", "nobody else turned up",
                      "Nobody reads the minutes or the papers before the board meeting starts")
            for c in candidates(t)}
    assert said == {"Nobody reads the minutes": (True, False),
                    "everyone brings their own figures": (True, False),
                    "brings their own figures": (False, False),
                    "Everyone's got their own targets": (True, False)}


def test_a_point_says_what_partners_said_not_only_what_they_spoke_of(
        demo_round: dict[str, tuple[list[str], ThemedQuestion]],
        framework: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """The demo's "Communication" listed "Community strategy consultation", of "We
    responded to the community strategy consultation and never heard what happened to our
    comments": what the partners wrote about, not what they said of it. And its "'Buy in'"
    of the LAA listed "Clear ownership of each target; Target by a named partner", one run
    ("…of each target by a named partner") cut in two at the word they share."""
    from surveys.themes.represent import _one_run

    _, themed = demo_round["barriers"]
    assert "Community strategy consultation" not in _theme(themed, "Communication").points
    assert only_what_was_done_to("community strategy consultation",
                                 "We responded to the community strategy consultation")
    assert not only_what_was_done_to("joint funding bids",
                                     "networking, info sharing, a couple of joint funding bids")
    assert not only_what_was_done_to("health board", "The health board never comes")
    # What they did is no topic: "Information sharing: Share data" stays.
    assert not only_what_was_done_to("share data", "we can now share data on repeat victims")
    assert "Share data" in _theme(demo_round["added-value"][1], "Information sharing").points
    assert _one_run("Clear ownership of each target", "Target by a named partner")
    assert not _one_run("Joint funding bids", "Annual partnership conference")
    for _, themed in [*demo_round.values(), *framework.values()]:
        for theme in themed.themes:
            for n, point in enumerate(theme.points):
                assert not any(_one_run(point, other) for other in theme.points[n + 1:]), \
                    (theme.label, theme.points)
