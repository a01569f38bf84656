""""Other points" gathers what fits no theme: it closes a question's own list, but is never
ranked among the themes raised most, an overview's lines or the digest. (/actions offers
partners' suggestions, never themes: tests/surveys/test_suggestions.py.)"""

from __future__ import annotations

import io
from dataclasses import replace

import docx
import openpyxl
from pypdf import PdfReader

from storage.db import Database
from surveys.clock import ManualClock
from surveys.report import build_report, render_html, render_markdown, render_xlsx
from surveys.report.build import top_themes
from surveys.report.model import Grid, Section, ThemeItem, ThemeList
from surveys.report.overview import theme_lines
from surveys.report.pdf import render_pdf
from surveys.report.word import render_docx
from surveys.templates import builtin_template
from surveys.themes.themed import OTHER_LABEL
from tests.surveys.test_report_fixtures import load, make_round
from tests.surveys.test_report_layouts import CASES


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


async def test_one_other_point_is_written_as_a_person_would_in_every_format(
        db: Database, clock: ManualClock) -> None:
    """The demo's "Other points (raised by 1)" over one answer read oddly: the written
    formats say "One other point"; the workbook's Themes sheet keeps label and count."""
    rid = await make_round(db, clock, "swot", "named", CASES["swot"])
    report = build_report(await load(db, rid))
    one = ThemeList("barriers", "What has held the partnership back?", 5, (
        ThemeItem("Pace of the LAA", "targets signed off in a week", 4,
                  ("We were asked to sign off targets with a week's notice.",)),
        ThemeItem(OTHER_LABEL, "", 1, ("The car park at the civic offices is always full.",))))
    report.sections = [Section("Looking back", [one])]
    pdf = " ".join(" ".join(p.extract_text().split())
                   for p in PdfReader(io.BytesIO(render_pdf(report))).pages)
    word = " ".join(p.text for p in docx.Document(io.BytesIO(render_docx(report))).paragraphs)
    html = render_html(report)
    md = render_markdown(report)
    assert "- **One other point**\n  - “The car park" in md
    assert "<strong>One other point</strong> <ul class=\"quotes\">" in html
    for text in (pdf, word):
        assert "One other point “The car park" in text
    for text in (md, html, pdf, word):
        assert "Other points" not in text and "(raised by 1)" not in text
        assert "(raised by 4)" in text
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    rows = [r for r in book["Themes"].iter_rows(values_only=True) if OTHER_LABEL in r]
    assert len(rows) == 1 and 1 in rows[0]
    # Several other points keep their count.
    report.sections = [Section("Looking back", [replace(one, themes=(
        one.themes[0], replace(one.themes[1], count=2)))])]
    assert "- **Other points** (raised by 2)" in render_markdown(report)
