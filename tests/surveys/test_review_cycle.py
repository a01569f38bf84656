"""The review cycle on two stored rounds: actions agreed, their progress, and the changes."""

from __future__ import annotations

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from storage.actions import ActionRepository, ComparisonRepository
from storage.db import Database
from storage.partners import PartnerRepository
from storage.responses import ResponseRepository
from storage.rounds import RoundRepository
from storage.themes import RoundThemesRepository
from surveys.actions import ActionService
from surveys.clock import ManualClock
from surveys.errors import InvalidAnswer
from surveys.report import render_html, render_markdown, render_xlsx
from surveys.report.model import Table
from surveys.reporting import ReportService
from surveys.review_cycle import ReviewCycle
from tests.surveys.test_report_fixtures import make_round

LONDON = ZoneInfo("Europe/London")
LAST_YEAR = [
    {"long-term-goals-1": "Well", "leading-the-lsp-1": "Well",
     "long-term-goals-actions": "Refresh the community strategy every three years"},
    {"long-term-goals-1": "Well", "leading-the-lsp-1": "Not very well",
     "long-term-goals-actions": "The community strategy needs refreshing every three years"},
    {"long-term-goals-1": "Not very well", "leading-the-lsp-1": "Well",
     "long-term-goals-actions": "Refresh the strategy every few years with partners"},
    {"long-term-goals-1": "Not at all well", "leading-the-lsp-1": "Not at all well"},
]
THIS_YEAR = [
    {"long-term-goals-1": "Very well", "leading-the-lsp-1": "Well",
     "long-term-goals-actions": "Induction training for new board members"},
    {"long-term-goals-1": "Well", "leading-the-lsp-1": "Very well",
     "long-term-goals-actions": "Train new members of the board when they join"},
    {"long-term-goals-1": "Well", "leading-the-lsp-1": None,
     "long-term-goals-actions": "An induction pack and training for new members"},
    {"long-term-goals-1": "Don't know", "leading-the-lsp-1": None},
]


class Cycle:
    def __init__(self, db: Database, clock: ManualClock) -> None:
        self.db, self.clock = db, clock
        self.rounds = RoundRepository(db)
        self.actions = ActionService(ActionRepository(db), self.rounds, PartnerRepository(db),
                                     clock, LONDON)
        self.cycle = ReviewCycle(self.rounds, ActionRepository(db), ComparisonRepository(db),
                                 clock, LONDON, min_group_size=3)
        self.reports = ReportService(self.rounds, ResponseRepository(db), PartnerRepository(db),
                                     RoundThemesRepository(db), 3, "Europe/London",
                                     cycle=self.cycle)


@pytest.fixture
async def two_years(db: Database, clock: ManualClock) -> tuple[Cycle, int, int]:
    c = Cycle(db, clock)
    last = await make_round(db, clock, "working-better-together", "confidential", LAST_YEAR,
                            title="Self-assessment 2026")
    await c.rounds.close(last, [], clock.now())
    refresh = await c.actions.add(last, text="To refresh the SCS every three years.",
                                  owner="Philippa Oyelaran", due="2027-03-31", area="1")
    await c.actions.add(last, text="To develop a programme of induction training for new "
                        "members.", owner="Maximilian Thorsby", due="2027-06-30", area="3",
                        organisation="Thorsby Constabulary")
    clock.advance(timedelta(days=200))
    await c.actions.update(refresh.id, status="done", note="Refreshed SCS adopted in May")
    clock.advance(timedelta(days=165))   # a year on; induction training is overdue
    this = await make_round(db, clock, "working-better-together", "confidential", THIS_YEAR,
                            title="Self-assessment 2027")
    return c, last, this


async def test_the_default_comparison_is_last_years_round(two_years: tuple[Cycle, int, int]
                                                          ) -> None:
    c, last, this = two_years
    assert (await c.cycle.link(this, None)).id == last  # type: ignore[union-attr]
    assert await c.cycle.comparisons.compared_with(this) == last
    with pytest.raises(InvalidAnswer, match="compared with itself"):
        await c.cycle.link(this, this)
    other = await make_round(c.db, c.clock, "swot", "named", [{"strengths": "Trust"}])
    with pytest.raises(InvalidAnswer, match="same questionnaire"):
        await c.cycle.checked(other, "working-better-together")


async def test_last_years_report_ends_with_agreed_actions(two_years: tuple[Cycle, int, int]
                                                          ) -> None:
    c, last, _ = two_years
    report = (await c.reports.build(last)).report
    agreed = report.sections[-1]
    assert agreed.title == "Agreed actions"
    assert [(b.title, b.rows) for b in agreed.blocks if isinstance(b, Table)] == [
        ("The LSP's long-term goals", (("a)", "To refresh the SCS every three years.",
                                        "Philippa Oyelaran", "31 Mar 2027", "done"),)),
        ("Meetings and messages", (("a)", "To develop a programme of induction training for "
                                    "new members.", "Thorsby Constabulary (Maximilian Thorsby)",
                                    "30 Jun 2027", "agreed (overdue)"),))]
    assert report.sections[0].title != "Progress on last review's actions"


async def test_next_years_report_shows_progress_then_the_changes(
        two_years: tuple[Cycle, int, int]) -> None:
    c, _, this = two_years
    await c.cycle.link(this, None)
    report = (await c.reports.build(this)).report
    progress, since = report.sections[0], report.sections[1]
    assert progress.title == "Progress on last review's actions"
    assert "2 actions agreed, 1 settled — 1 agreed, 1 done; 1 overdue" in progress.intro
    first = progress.blocks[0]
    assert isinstance(first, Table)
    assert first.rows == (("a)", "To refresh the SCS every three years.", "Philippa Oyelaran",
                           "31 Mar 2027", "done", "Refreshed SCS adopted in May"),)

    assert since.title == "Since the last review"
    tables = {b.title: b for b in since.blocks if isinstance(b, Table)}
    rows = tables["Favourable ratings by question"].rows
    assert len(rows) == 2   # questions nobody rated in either year are left out

    def by_question(start: str) -> tuple[str, ...]:
        return next(row for row in rows if row[1].startswith(start))

    # Last year 2 of 4 favourable; this year 3 of 3 (Don't know left out).
    goals = by_question("How well does the sustainable community")
    assert goals[2:] == ("50% (2 of 4)", "100% (3 of 3)", "▲ +50 pts")
    # Two ratings this year: under the minimum group of 3 in a confidential round.
    members = by_question("How well are elected members engaged")
    assert members[2:] == ("–", "–", "too few answers")
    assert "1 question had fewer than 3 ratings" in tables[
        "Favourable ratings by question"].note
    by_area = {row[0]: row for row in tables["Favourable ratings by area"].rows}
    assert by_area["The LSP's long-term goals"][1:] == ("50% (2 of 4)", "100% (3 of 3)",
                                                       "▲ +50 pts")
    assert by_area["Leading the LSP and creating a culture of working together"][3] == \
        "too few answers"
    changes = [row for row in tables["Themes new, grown, shrunk and gone"].rows
               if row[0] == "What actions would you suggest?"]
    # Suggested actions are compared by their wording, once two or more suggested one:
    # "Train new members of the board when they join" (one partner) is no change to report.
    assert {(row[1], row[2], row[3], row[4]) for row in changes} == {
        ("Refresh the community strategy every three years", "3 of 3", "–", "gone"),
        ("Introduce an induction pack and training for new members", "–", "2 of 3", "new")}

    html = render_html(report, charts_on=False)
    assert html.index("Progress on last review") < html.index("Since the last review") \
        < html.index("The LSP&#x27;s long-term goals</h2>")
    assert "▲ +50 pts" in html and "Refreshed SCS adopted in May" in html
    assert "Progress on last review" in render_markdown(report)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, [])))
    # The change tables are in the workbook: on a sheet of their own, or with the other
    # tables while the workbook keeps to eight sheets.
    assert len(book.sheetnames) <= 8
    cells = {str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for c in row if c is not None}
    assert "Favourable ratings by area" in cells or any(
        name.startswith("Change by") for name in book.sheetnames)
