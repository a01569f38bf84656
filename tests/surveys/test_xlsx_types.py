"""The workbook holds figures as numbers, shares as percentages and dates as dates, read back
with openpyxl, while text stays text."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl

from storage.db import Database
from surveys.clock import ManualClock
from surveys.report import build_report, render_xlsx
from surveys.report.model import Section, Table
from surveys.report.xlsx import typed
from tests.surveys.test_report_fixtures import load, make_round

ANSWERS = [{"long-term-goals-1": "Very well", "long-term-goals-2": "Not at all well",
            "long-term-goals-3": "Well", "leading-the-lsp-1": "Not very well"}] * 3


def _rows_after(sheet: openpyxl.worksheet.worksheet.Worksheet, title: str) -> list[tuple]:
    rows = list(sheet.iter_rows())
    start = next(n for n, r in enumerate(rows) if r[0].value == title)
    out = []
    for r in rows[start + 2:]:
        if r[0].value in (None, ""):
            break
        out.append(r)
    return out


async def test_figures_are_numbers_percentages_and_dates(db: Database,
                                                         clock: ManualClock) -> None:
    rid = await make_round(db, clock, "working-better-together", "named", ANSWERS)
    report = build_report(await load(db, rid))
    report.sections.append(Section("Agreed actions", [Table(
        "Actions", ("", "Action", "Owner", "Due"), (("a)", "Publish the papers", "Chair",
                                                      "23 May 2027"),), sheet="Actions")]))
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))

    summary = book["Summary"]
    [goals, *_] = _rows_after(summary, "How each area does")
    assert goals[0].value == "The LSP's long-term goals"
    assert (goals[1].value, goals[2].value) == (3, 9)
    assert goals[3].value == 0.67 and goals[3].number_format == "0%"
    facts = {r[0].value: r[1] for r in summary.iter_rows(max_col=2) if r[0].value}
    assert facts["Invited"].value == 3 and facts["Response rate"].value == 1.0
    assert facts["Response rate"].number_format == "0%"

    responses = book["Responses"]
    row = next(responses.iter_rows(min_row=2))
    assert [c.value for c in row[2:]] == [3, 3, 1]  # 100%, a number shown as a percentage
    assert row[4].number_format == "0%"

    ratings = book["Ratings"]
    header = [c.value for c in ratings[1]]
    favourable = ratings.cell(2, header.index("% favourable") + 1)
    assert favourable.value == 1 and favourable.number_format == "0%"  # all rated it well

    due = book["Actions"]["D2"]
    assert due.value == datetime(2027, 5, 23) and due.is_date
    assert book["Actions"]["B2"].value == "Publish the papers"


def test_only_whole_figures_become_numbers() -> None:
    assert typed("41") == (41, "")
    assert typed("68%") == (0.68, "0%")
    assert typed("Green 67% (3)") == ("Green 67% (3)", "")
    assert typed("68% (25 of 37)") == ("68% (25 of 37)", "")
    assert typed("–") == ("–", "")
    assert typed("3 Mayflower Close") == ("3 Mayflower Close", "")
