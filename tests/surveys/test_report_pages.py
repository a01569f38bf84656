"""How the PDF falls into pages, as a councillor printing it reads them: a theme's label goes
over the page with its quotes, a heading with what follows it, and a long table starts where
it is, under its title, rather than leaving most of a page empty."""

from __future__ import annotations

import io

import docx
from pypdf import PdfReader

from storage.db import Database
from surveys.clock import ManualClock
from surveys.report import build_report
from surveys.report.model import Report, Section, Table, ThemeItem, ThemeList
from surveys.report.pdf import render_pdf
from surveys.report.word import render_docx
from tests.surveys.test_report_fixtures import load, make_round
from tests.surveys.test_report_layouts import CASES


async def _report(db: Database, clock: ManualClock) -> Report:
    rid = await make_round(db, clock, "swot", "named", CASES["swot"])
    return build_report(await load(db, rid))


def _pages(report: Report) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in
            PdfReader(io.BytesIO(render_pdf(report))).pages]


def _filler(rows: int) -> Table:
    return Table("Meetings held", ("Month", "Venue"),
                 tuple((f"Month {n}", "Council chamber") for n in range(rows)))


THEMES = ThemeList("barriers", "What has held the partnership back?", 24, tuple(
    ThemeItem(f"Barrier {n}", "Pace of the LAA", 4, (
        f"Quote {n} one: the LAA took over every meeting for two years and we lost sight of "
        "what we wanted to do locally.",
        f"Quote {n} two: we were asked to sign off targets with a week's notice.")) for n in
    range(6)))


async def test_a_themes_label_never_ends_a_page_without_its_quotes(
        db: Database, clock: ManualClock) -> None:
    # The demo's page 4 ended "• Performance: National targets vs local priorities (raised
    # by 8)", its two quotes overleaf. Every position on the page is tried.
    report = await _report(db, clock)
    for rows in range(0, 48, 2):
        report.sections = [Section("Looking back", [_filler(rows), THEMES])]
        pages = _pages(report)
        for n in range(6):
            label = next(i for i, text in enumerate(pages) if f"Barrier {n}" in text)
            assert f"Quote {n} one" in pages[label], (rows, n)
        heading = next(i for i, text in enumerate(pages) if THEMES.title in text)
        assert "Barrier 0" in pages[heading], rows


async def test_a_long_table_starts_under_the_one_before_it(
        db: Database, clock: ManualClock) -> None:
    # The year-on report's "Favourable ratings by question" (two pages long) moved whole to
    # page 5, leaving page 4 two-thirds empty under a seven-row table.
    report = await _report(db, clock)
    report.sections = [Section("Since the last review", [
        Table("Favourable ratings by area", ("Area", "Change"),
              tuple((f"Area {n}", "▲ +5 pts") for n in range(7))),
        Table("Favourable ratings by question", ("Question", "Change"),
              tuple((f"Question {n}", "▼ −3 pts") for n in range(70)))])]
    pages = _pages(report)
    start = next(i for i, text in enumerate(pages) if "Favourable ratings by area" in text)
    assert "Favourable ratings by question" in pages[start]
    assert "Question 0 " in pages[start]


async def test_a_short_table_is_never_split_from_its_title(
        db: Database, clock: ManualClock) -> None:
    report = await _report(db, clock)
    for rows in range(20, 60, 3):
        report.sections = [Section("Who responded", [_filler(rows), Table(
            "Response rate by sector", ("Sector", "Rate"),
            tuple((f"Sector {n}", "86%") for n in range(6)))])]
        pages = _pages(report)
        title = next(i for i, text in enumerate(pages) if "Response rate by sector" in text)
        assert all(f"Sector {n} 86%" in pages[title] for n in range(6)), rows


async def test_word_keeps_a_themes_label_with_its_quotes(
        db: Database, clock: ManualClock) -> None:
    # The demo's Word file ended a page on "Other points (raised by 1)", its quote overleaf.
    report = await _report(db, clock)
    report.sections = [Section("Looking back", [THEMES])]
    paras = docx.Document(io.BytesIO(render_docx(report))).paragraphs
    labels = [i for i, p in enumerate(paras) if p.text.startswith("Barrier ")]
    assert len(labels) == 6
    for i in labels:
        kept = [p.paragraph_format.keep_with_next for p in paras[i:i + 3]]
        assert kept == [True, True, None], paras[i].text   # the last quote lets go
    assert paras[labels[0] - 1].paragraph_format.keep_with_next   # "24 answers"


async def test_a_long_tables_note_never_starts_a_page(db: Database, clock: ManualClock) -> None:
    # The self-assessment's page 2 opened on "Suggested by two or more partners; every
    # suggestion is listed under its area.", its table on page 1.
    report = await _report(db, clock)
    note = "Suggested by two or more partners; every suggestion is listed under its area."
    for rows in range(30, 50):
        report.sections = [Section("Actions", [Table(
            "Actions suggested most", ("Area", "Suggested action"),
            tuple((f"Area {n}", f"Action {n}") for n in range(rows)), note=note)])]
        pages = _pages(report)
        at = next(i for i, text in enumerate(pages) if note in text)
        assert f"Action {rows - 1} " in pages[at], rows


async def test_no_word_table_row_breaks_across_a_page(db: Database, clock: ManualClock) -> None:
    from docx.oxml.ns import qn

    report = await _report(db, clock)
    report.sections = [Section("Since the last review", [Table(
        "Favourable ratings by question", ("Question", "Change"),
        tuple((f"How well does question {n} reflect the partners' ambition and priorities?",
               "▲ +5 pts") for n in range(40)))])]
    tables = docx.Document(io.BytesIO(render_docx(report))).tables
    rows = [row for t in tables for row in t.rows]
    assert len(rows) >= 41
    for row in rows:
        marks = row._tr.trPr.findall(qn("w:cantSplit"))
        assert marks and marks[0].get(qn("w:val")) == "true"
