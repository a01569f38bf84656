"""Partnerships side by side: a RAG cell per area and partnership, small groups merged."""

from __future__ import annotations

import io

import openpyxl

from storage.db import Database
from storage.records import PartnerRow
from surveys.clock import ManualClock
from surveys.report import render_html, render_xlsx
from surveys.report.build import build_report
from surveys.report.by_partnership import partnership_section
from surveys.report.data import RoundData
from surveys.report.model import FrontPage, Report, Table
from tests.surveys.test_report_fixtures import load, make_round


def people(partnership: str, names: list[str]) -> list[PartnerRow]:
    return [PartnerRow(n, f"{n} Services", "Council", partnership, "member") for n in names]


PEOPLE = (people("Northvale LSP", ["Quarrington", "Oyelaran", "Thorsby"])
          + people("Southmere LSP", ["Vantongeren", "Brackenbury"])
          + people("Eastholm LSP", ["Drumgoole"]))
ANSWERS = [
    # Northvale: 2 of 3 favourable on goals, 3 of 3 on leading → Green both.
    {"long-term-goals-1": "Very well", "leading-the-lsp-1": "Well"},
    {"long-term-goals-1": "Well", "leading-the-lsp-1": "Well"},
    {"long-term-goals-1": "Not very well", "leading-the-lsp-1": "Very well"},
    # Southmere (2) and Eastholm (1) are under 3: merged into one column of 3.
    {"long-term-goals-1": "Not at all well", "leading-the-lsp-1": "Well"},
    {"long-term-goals-1": "Not very well", "leading-the-lsp-1": "Don't know"},
    {"long-term-goals-1": "Well", "leading-the-lsp-1": "Not very well"},
]


async def test_areas_by_partnership_with_small_groups_merged(db: Database,
                                                             clock: ManualClock) -> None:
    rid = await make_round(db, clock, "working-better-together", "confidential", ANSWERS,
                           people=PEOPLE)
    data = await load(db, rid, min_group_size=3)
    section = partnership_section(data)
    [table] = [b for b in section.blocks if isinstance(b, Table)]
    assert table.columns == ("Area", "Northvale LSP", "Other (groups under 3)")
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["The LSP's long-term goals"] == ("Green 67% (3)", "Red 33% (3)")
    # Don't know is no rating: 1 of 2 favourable.
    assert rows["Leading the LSP and creating a culture of working together"] == (
        "Green 100% (3)", "Amber 50% (2)")
    assert rows["Meetings and messages"] == ("–", "–")
    colours = dict(zip((r[0] for r in table.rows), table.colours, strict=True))
    assert colours["The LSP's long-term goals"] == ("", "green", "red")
    assert ('"Other (groups under 3)" counts together 2 partnerships with fewer than 3 '
            'respondents.') in section.intro
    assert "Southmere" not in section.intro and "Eastholm" not in render_html(
        Report(_front(data), [section], "areas", []), charts_on=False)

    html = render_html(Report(_front(data), [section], "areas", []), charts_on=False)
    assert '<td class="rag-green">Green 67% (3)</td>' in html
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(
        Report(_front(data), [section], "areas", []), [])))
    sheet = book["By partnership"]
    assert sheet["B2"].value == "Green 67% (3)"
    assert sheet["B2"].fill.fgColor.rgb.endswith("DCEFDC")
    assert sheet["C2"].fill.fgColor.rgb.endswith("F6D2D2")


async def test_dimensions_of_an_observation_named_round(db: Database,
                                                        clock: ManualClock) -> None:
    answers = [{"structure": "Green", "leadership": "Red"},
               {"structure": "Amber", "leadership": "Red"},
               {"structure": "Green", "leadership": "Amber"},
               {"structure": "Red", "leadership": "Green"}]
    rid = await make_round(db, clock, "meeting-observation", "named", answers, people=PEOPLE)
    data = await load(db, rid, min_group_size=3)
    [table] = partnership_section(data).blocks
    assert isinstance(table, Table) and table.columns[0] == "Dimension"
    # A named round shows every partnership, however small.
    assert table.columns[1:] == ("Northvale LSP", "Southmere LSP")
    # A dimension is named by its short label ("Structure"), not its whole prompt.
    structure = next(r for r in table.rows if r[0] == data.questionnaire.question(
        "structure").short)
    # Favourable is Green alone, as in "How each area does"; one rating shows just itself.
    assert structure[1:] == ("Green 67% (3)", "Red")


def _front(data: RoundData) -> FrontPage:
    """A front page to render the one section under (no text answers: nothing to theme)."""
    return build_report(data).front
