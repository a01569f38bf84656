""""Other points" gathers what fits no theme: it closes a question's own list, but is never
ranked among the themes raised most, an overview's lines or the digest. (/actions offers
partners' suggestions, never themes: tests/surveys/test_suggestions.py.)"""

from __future__ import annotations

from surveys.report.build import top_themes
from surveys.report.model import Grid, Section, ThemeItem, ThemeList
from surveys.report.overview import theme_lines
from surveys.templates import builtin_template
from surveys.themes.themed import OTHER_LABEL


def _list(key: str, *items: tuple[str, int]) -> ThemeList:
    themes = tuple(ThemeItem(label, "", count) for label, count in items)
    return ThemeList(key, f"Question {key}", sum(c for _, c in items), themes)


def _sections(actions_key: str) -> list[Section]:
    return [
        Section("Meetings", [_list("q1", ("Papers late", 4), (OTHER_LABEL, 13))]),
        Section("Suggested", [_list(actions_key, ("Shorter agendas", 3), (OTHER_LABEL, 5))]),
        Section("RAG", [Grid("RAG", (_list("green", (OTHER_LABEL, 2)),
                                     _list("red", ("Funding cut", 2), (OTHER_LABEL, 6))))]),
    ]


def test_other_points_is_never_a_top_theme_or_an_overview_line() -> None:
    q = builtin_template("working-better-together")
    actions = next(x for x in q.questions if x.tag == "actions")
    sections = _sections(actions.id)

    ranked = [row[0] for row in top_themes(sections).rows]
    assert ranked == ["Papers late", "Shorter agendas", "Funding cut"]

    lines = dict(theme_lines(sections, "themes"))
    assert OTHER_LABEL not in " ".join(lines.values())
    assert "Funding cut (2)" in " ".join(lines.values())
    # The question's own list still ends with it.
    assert sections[0].blocks[0].themes[-1].label == OTHER_LABEL  # type: ignore[union-attr]


def test_a_theme_one_partner_raised_is_not_among_the_themes_raised_most() -> None:
    """The demo's SWOT summary read "Threats: Policy & political change (9) · Loss of
    funding (7) · Partners pulling out resources (1)", as if the last were a finding."""
    sections = [Section("SWOT", [Grid("SWOT", (
        _list("threats", ("Policy change", 9), ("Loss of funding", 7), ("Staff pulled", 1)),
        _list("opportunities", ("Networking", 1), ("Merge forums", 1), (OTHER_LABEL, 3)),
        _list("weaknesses", (OTHER_LABEL, 4))))])]
    lines = dict(theme_lines(sections, "themes"))
    assert lines["Question threats"] == "Policy change (9) · Loss of funding (7)"
    # A box whose themes were each raised by one says so, rather than picking three.
    assert lines["Question opportunities"] == "no theme raised by more than one partner"
    assert "Question weaknesses" not in lines
    ranked = [row[0] for row in top_themes(sections).rows]
    assert ranked == ["Policy change", "Loss of funding"]
