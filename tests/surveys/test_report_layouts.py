"""Report layouts from fixture rounds of every built-in template, in HTML, Markdown and XLSX."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest

from storage.db import Database
from surveys.clock import ManualClock
from surveys.report import (
    build_report,
    render_chart_png,
    render_html,
    render_markdown,
    render_xlsx,
)
from surveys.report.model import Grid, Profile, Ratings, Split, Table
from tests.surveys.test_report_fixtures import load, make_round

FRAMEWORK: list[dict[str, Any]] = [
    {"thematic-connection": "Effective",
     "thematic-connection-why": "Good attendance and participation at the board",
     "barriers": "Lack of funding and staff time. The LAA took over everything",
     "learning-join": "No", "learning-join-topics": "HIDDENTOPIC stale answer"},
    {"thematic-connection": "Not very effective",
     "thematic-connection-why": "Thematic groups work in silos, connected by accident",
     "barriers": "No clarity on aims and purpose", "learning-join": "Yes",
     "learning-join-topics": "Team work"},
    {"thematic-connection": "Very effective",
     "thematic-connection-why": "Raised the profile of the thematic groups",
     "barriers": "Two tier local government, complex structures", "role-years": 4},
]
RAG = [
    {"overall": ("Green", "mostly good"), "worked-well": "Partners were forced to work together",
     "not-quite-right": "Following up ideas is a problem", "not-working": "LAA blocks too rigid"},
    {"overall": "Amber", "worked-well": "Strong leadership from the council",
     "not-quite-right": "Not much awareness in communities",
     "not-working": "No business representation"},
    {"overall": "Red", "worked-well": "Range of partners working together",
     "not-quite-right": "Pooling funding is a challenge",
     "not-working": "Top down, not bottom up"},
]
SWOT = [
    {"strengths": "Strong local knowledge", "weaknesses": "Too many meetings",
     "opportunities": "Shared services", "threats": "Funding cuts"},
    {"strengths": "Good relationships between partners", "weaknesses": "Duplication of effort",
     "opportunities": "Joint commissioning", "threats": "Loss of momentum"},
    {"strengths": "Local knowledge of the area", "weaknesses": "Meetings too long",
     "opportunities": "Pooling budgets", "threats": "Budget reductions"},
]
FUNCTIONS = [
    {"top-down-strategy": ("Strongly", "evidence based"), "bottom-up-strategy": "Weakly",
     "theme-coordination": "Moderately", "programme-management": "Not at all",
     "project-management": "Moderately", "tasking": "Weakly"},
] * 6
WBT = [
    {"long-term-goals-1": ("Well", "The SCS reflects our priorities"),
     "long-term-goals-2": "Not very well",
     "long-term-goals-actions": "Refresh the SCS every three years"},
    {"long-term-goals-1": ("Very well", "Priorities are clear"),
     "long-term-goals-2": "Well",
     "long-term-goals-actions": "Build a picture of quality of life"},
    {"long-term-goals-1": "Not at all well", "long-term-goals-actions": "Refresh the strategy"},
]
OBSERVATION = [
    {"structure": ("Green", "clear two tier framework"), "size-count": 14,
     "leadership": ("Amber", "felt like a council meeting")},
    {"structure": ("Red", "no delivery board"), "size-count": 30,
     "leadership": ("Green", "independent chair")},
    {"structure": ("Amber", "changing to thematic"), "size-count": 18,
     "leadership": ("Green", "senior officers engaged")},
] * 2

CASES = {
    "framework-review": FRAMEWORK, "rag-feedback": RAG, "swot": SWOT,
    "partnership-functions": FUNCTIONS, "working-better-together": WBT,
    "meeting-observation": OBSERVATION,
}


async def _report(db: Database, clock: ManualClock, template: str, anonymity: str = "named"):
    rid = await make_round(db, clock, template, anonymity, CASES[template])
    return build_report(await load(db, rid))


@pytest.mark.parametrize("template", sorted(CASES))
async def test_every_template_renders_in_every_format(db: Database, clock: ManualClock,
                                                       template: str) -> None:
    report = await _report(db, clock, template)
    html = render_html(report)
    assert html.startswith("<!doctype html>") and "@media print" in html
    assert "Autumn review" in html and "data:image/png;base64," in html
    assert "<link" not in html and "<script" not in html
    md = render_markdown(report)
    assert md.startswith("# Autumn review")
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert book.sheetnames[0] == "Summary" and len(book.sheetnames) <= 8
    assert {"Responses", "Answers"} <= set(book.sheetnames)
    assert {"Ratings", "Themes", "Side by side"} & set(book.sheetnames)
    for sheet in book.worksheets[1:]:
        if sheet.title != "Tables":
            assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
        # One page wide: fitToWidth is 1 by default in the file format (XlsxWriter leaves it
        # out), and as many pages down as needed.
        assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.paperSize == 9  # A4
    assert render_chart_png(report).startswith(b"\x89PNG")


async def test_framework_review_themes_and_effectiveness_split(db: Database,
                                                               clock: ManualClock) -> None:
    report = await _report(db, clock, "framework-review")
    split = next(b for s in report.sections for b in s.blocks if isinstance(b, Split))
    (good_label, good), (bad_label, bad) = split.sides
    assert good_label == "Very effective / effective"
    assert bad_label == "Not very effective / very ineffective"
    good_text = " ".join(t.label + " ".join(t.quotes) for t in good.themes)
    bad_text = " ".join(t.label + " ".join(t.quotes) for t in bad.themes)
    assert "attendance" in good_text.lower() and "profile" in good_text.lower()
    assert "silos" in bad_text.lower() and "silos" not in good_text.lower()
    md = render_markdown(report)
    assert "✓ **Very effective / effective:**" in md
    assert "× **Not very effective / very ineffective:**" in md
    # Raised by one partner: the label and the quote, no points (nor a codebook's wording).
    assert re.search(r"- \*\*Lack of clarity\*\* \(raised by 1\)\n  - “No clarity on aims", md)
    # Funding was that partner's second point, after the LAA: it is counted under the LAA,
    # not shown as a theme with no quote of its own.
    assert "Lack of resources" not in md
    html = render_html(report)
    assert "<strong>Lack of clarity</strong>" in html and "(raised by 1)" in html


async def test_hidden_show_if_answers_are_ignored(db: Database, clock: ManualClock) -> None:
    report = await _report(db, clock, "framework-review")
    for text in (render_html(report), render_markdown(report)):
        assert "HIDDENTOPIC" not in text
    assert all(r["question_id"] != "learning-join-topics" or r["answer"] == "Team work"
               for r in report.raw)
    assert any(r["answer"] == "Team work" for r in report.raw)


async def test_rag_layout_has_three_coloured_lists(db: Database, clock: ManualClock) -> None:
    report = await _report(db, clock, "rag-feedback")
    grid = next(b for s in report.sections for b in s.blocks if isinstance(b, Grid))
    assert [c.colour for c in grid.cells] == ["green", "amber", "red"]
    assert grid.cells[0].heading == "Green (things that have worked well)"
    md = render_markdown(report)
    for heading in ("### Green (things that have worked well)",
                    "### Amber (not quite right, some concerns)",
                    "### Red (not working, needs improving)"):
        assert heading in md
    html = render_html(report)
    assert 'class="grid c3"' in html and 'class="cell red"' in html


async def test_swot_is_a_two_by_two_grid(db: Database, clock: ManualClock) -> None:
    report = await _report(db, clock, "swot")
    grid = next(b for s in report.sections for b in s.blocks if isinstance(b, Grid))
    assert grid.columns == 2
    assert [c.heading for c in grid.cells] == ["Strengths", "Weaknesses", "Opportunities",
                                                "Threats"]
    assert 'class="grid c2"' in render_html(report)


async def test_functions_profile_per_partnership(db: Database, clock: ManualClock) -> None:
    report = await _report(db, clock, "partnership-functions")
    profile = next(b for s in report.sections for b in s.blocks if isinstance(b, Profile))
    assert len(profile.functions) == 6
    assert profile.groups[0] == "All respondents"
    assert {"Northvale LSP", "Southmere LSP"} <= set(profile.groups)
    first = profile.functions[0]
    assert profile.counts[("All respondents", first)][0] == 6
    assert profile.counts[("Northvale LSP", first)][0] == 3
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert "Profile" in book.sheetnames
    # Each group named once over its six rows when read (the demo's round 5 printed one
    # partnership six rows running); every row in the workbook, which is sorted and filtered.
    md = render_markdown(report).split("### Function profile per partnership")[1].split("#")[0]
    assert md.count("| Northvale LSP |") == 1
    assert f"| Northvale LSP | {first} |" in md
    assert f"|  | {profile.functions[1]} |" in md
    sheet = [r[0] for r in book["Profile"].iter_rows(min_row=2, values_only=True)]
    assert sheet.count("Northvale LSP") == 6
    # A function's comments are named in the Themes sheet by its short label, as elsewhere.
    themes = list(book["Themes"].iter_rows(min_row=2, values_only=True))
    assert themes and {(r[1], r[2]) for r in themes} == {(first, "Comments")}


async def test_areas_ratings_comments_and_actions(db: Database, clock: ManualClock) -> None:
    report = await _report(db, clock, "working-better-together")
    first = report.sections[0]
    ratings = next(b for b in first.blocks if isinstance(b, Ratings))
    assert ratings.distributions[0].counts[:4] == (1, 1, 0, 1)
    md = render_markdown(report)
    assert "### Suggested actions" in md
    assert "Refresh" in md


async def test_observation_puts_partnerships_side_by_side(db: Database,
                                                          clock: ManualClock) -> None:
    report = await _report(db, clock, "meeting-observation")
    tables = [b for s in report.sections for b in s.blocks
              if isinstance(b, Table) and b.title.startswith("Structure:")]
    assert len(tables) == 1   # each dimension once, not its question four times over
    assert tables[0].columns == ("", "Northvale LSP", "Southmere LSP")
    assert [r[0] for r in tables[0].rows] == ["Rating", "Observer's notes"]
    assert report.front.by_partnership.rows[0][0] == "Northvale LSP"


async def test_user_text_is_escaped(db: Database, clock: ManualClock) -> None:
    answers = [dict(a) for a in RAG]
    answers[0]["worked-well"] = "<script>alert(1)</script> & <b>bold</b>"
    answers[1]["worked-well"] = "<script>alert(1)</script> again & <b>bold</b>"
    rid = await make_round(db, clock, "rag-feedback", "named", answers,
                           title="Review <i>2026</i>")
    report = build_report(await load(db, rid))
    html = render_html(report)
    assert "<script>alert" not in html and "<i>2026" not in html
    # The title is shown escaped; the answers are markup with nothing to say, so no theme
    # quotes them (a theme quotes only answers that fit it best), and none leaks through.
    assert "Review &lt;i&gt;2026&lt;/i&gt;" in html
    assert "<script>" not in render_markdown(report)
