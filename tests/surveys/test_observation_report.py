"""The observation report (seed 000) from records stored in a real SQLite file: each
dimension once, partnerships side by side, a RAG matrix, in every format; observers unnamed
in a confidential round."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import docx
import openpyxl
from pypdf import PdfReader

from storage.db import Database
from storage.partners import PartnerRepository
from storage.records import PartnerRow
from storage.responses import ResponseRepository
from storage.rounds import NewRound, RoundRepository
from surveys.clock import ManualClock
from surveys.report import build_report, render_html, render_markdown, render_xlsx
from surveys.report.model import Report, Table
from surveys.report.pdf import render_pdf
from surveys.report.word import render_docx
from surveys.templates import builtin_template, questionnaire_to_dict
from tests.surveys.test_report_fixtures import load

OBSERVERS = (
    PartnerRow("Susannah Jewkesbury", "Audit Commission", "Other public body",
               "Norfolk CAA", "Lead"),
    PartnerRow("Tobias Wainfleet", "Audit Commission", "Other public body", "Norfolk CAA",
               "Lead"),
)
LSPS = ("Breckland LSP", "Broadland LSP", "Great Yarmouth LSP", "Norwich LSP",
        "North Norfolk LSP", "South Norfolk LSP")
# A member of each LSP, so each is a partnership the observer can pick.
MEMBERS = tuple(PartnerRow(f"Member {n}", f"Council {n}", "Council", lsp, "member")
                for n, lsp in enumerate(LSPS))
STRUCTURE = "Structure: how clear is the partnership's structure?"


def record(colour: str, note: str, attendance: int = 15) -> dict[str, Any]:
    return {"structure": (colour, f"{note}: structure"), "size-count": attendance,
            "size": (colour, f"{note}: size"), "leadership": (colour, f"{note}: leadership"),
            "representation": ("Amber", "substitutes rarely speak"),
            "achievements": (colour, "credit union"), "performance": ("Red", "no reports"),
            "laa-links": ("Red", "LAA mentioned only"), "other-comments": f"{note}: other"}


async def observation_round(db: Database, clock: ManualClock, anonymity: str,
                            records: Mapping[int, Mapping[str, Mapping[str, Any]]],
                            audience: dict[str, list[str]] | None = None) -> int:
    """An observation round whose observers (by index) each record some partnerships."""
    now = clock.now()
    partners = PartnerRepository(db)
    await partners.import_rows([*OBSERVERS, *MEMBERS], now)
    everyone = {p.name: p for p in await partners.all()}
    observers = [everyone[o.name] for o in OBSERVERS]
    new = NewRound(title="Norfolk LSP observations", template_id="meeting-observation",
                   questionnaire=questionnaire_to_dict(builtin_template("meeting-observation")),
                   audience=audience or {}, anonymity=anonymity, opens_at=now - timedelta(days=7),
                   deadline=now + timedelta(days=7), reminder_policy={})
    rid = await RoundRepository(db).create(new, "open", observers, None, now)
    responses = ResponseRepository(db)
    for n, about in records.items():
        for lsp, answers in about.items():
            made = await responses.open_record(rid, observers[n].id, lsp, now)
            for qid, spec in answers.items():
                value, comment = spec if isinstance(spec, tuple) else (spec, None)
                await responses.save_answer(made.id, qid, value, comment, False, now,
                                            next_question=None, stage="answer")
            await responses.submit(made.id, now, anonymous=False)
    return rid


def _tables(report: Report, starts: str) -> list[Table]:
    return [b for s in report.sections for b in s.blocks
            if isinstance(b, Table) and b.title.startswith(starts)]


def _outputs(report: Report) -> dict[str, str]:
    pdf = PdfReader(io.BytesIO(render_pdf(report)))
    doc = docx.Document(io.BytesIO(render_docx(report)))
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    return {
        "html": re.sub(r"<[^>]+>", " ", render_html(report)).replace("&#x27;", "'"),
        "md": render_markdown(report),
        "pdf": " ".join(" ".join(p.extract_text().split()) for p in pdf.pages),
        "docx": "\n".join([p.text for p in doc.paragraphs]
                          + [c.text for t in doc.tables for r in t.rows for c in r.cells]),
        "xlsx": "\n".join(str(c) for ws in book.worksheets
                          for row in ws.iter_rows(values_only=True) for c in row if c),
    }


FOUR = {0: {"Breckland LSP": record("Green", "Breckland"),
            "Broadland LSP": record("Amber", "Broadland", 30)},
        1: {"Norwich LSP": record("Red", "Norwich", 12),
            "Broadland LSP": record("Green", "Broadland again", 20),
            "Great Yarmouth LSP": record("Green", "Yarmouth")}}


async def test_each_dimension_once_with_partnerships_side_by_side(
        db: Database, clock: ManualClock) -> None:
    rid = await observation_round(db, clock, "named", FOUR)
    report = build_report(await load(db, rid))
    (table,) = _tables(report, "Structure:")
    assert table.columns == ("", "Breckland LSP", "Broadland LSP", "Great Yarmouth LSP",
                             "Norwich LSP")
    rating, notes = table.rows
    assert rating == ("Rating", "Green", "Green 1 · Amber 1", "Green", "Red")
    # Broadland: 1 of 2 Green, 50% favourable by the report's one rule.
    assert table.colours[0] == ("", "green", "amber", "green", "red")
    assert notes[1] == "Breckland: structure"
    assert notes[2] == "Broadland: structure | Broadland again: structure"
    (attendance,) = _tables(report, "How many people attended?")
    assert attendance.rows == (("Answer", "15 people", "25 people (median of 2)", "15 people",
                                "12 people"),)
    # Each dimension's question is printed once in every format, not four times.
    for fmt, text in _outputs(report).items():
        if fmt != "xlsx":
            assert text.count(STRUCTURE) == 1, (fmt, text.count(STRUCTURE))
    # Front page: two observers invited, both submitted.
    assert (report.front.invited, report.front.submitted) == (2, 2)


async def test_rag_matrix_of_partnerships_and_dimensions(db: Database,
                                                         clock: ManualClock) -> None:
    rid = await observation_round(db, clock, "named", FOUR)
    report = build_report(await load(db, rid))
    (matrix,) = [t for t in report.overview.tables if t.title == "RAG matrix"]
    assert matrix.columns == ("Partnership", "Structure", "Size and attendance", "Leadership",
                              "Representation", "Achievements", "Managing performance",
                              "Links with the LAA")
    rows = {r[0]: r[1:] for r in matrix.rows}
    assert list(rows) == ["Breckland LSP", "Broadland LSP", "Great Yarmouth LSP", "Norwich LSP"]
    assert rows["Breckland LSP"][:2] == ("Green", "Green")
    assert rows["Norwich LSP"][-2:] == ("Red", "Red")
    assert "5 records of 4 partnerships" in matrix.note
    outputs = _outputs(report)
    for fmt, text in outputs.items():
        assert "RAG matrix" in text and "Managing performance" in text, fmt
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    sheet = book["Side by side"]
    rows_read = list(sheet.iter_rows(values_only=True))
    assert rows_read[0] == ("Section", "Dimension", "Partnership", "Rating or answer",
                            "Observer's notes")
    assert ("The meeting", STRUCTURE, "Norwich LSP", "Red", "Norwich: structure") in rows_read
    assert ("What the partnership achieves", "Other comments", "Norwich LSP", None,
            "Norwich: other") in rows_read
    assert len(book.sheetnames) <= 8 and book.sheetnames[0] == "Summary"


async def test_records_of_partnerships_outside_the_audience_keep_their_names(
        db: Database, clock: ManualClock) -> None:
    """As in the demo: the round goes to the observers' own partnership, and they record the
    meetings of others; each record stays under the partnership observed (it had become
    "No partnership" when reports began counting only the audience's partnerships)."""
    rid = await observation_round(db, clock, "named", FOUR,
                                  audience={"partnership": ["Norfolk CAA"]})
    report = build_report(await load(db, rid))
    (matrix,) = [t for t in report.overview.tables if t.title == "RAG matrix"]
    assert [r[0] for r in matrix.rows] == ["Breckland LSP", "Broadland LSP",
                                           "Great Yarmouth LSP", "Norwich LSP"]
    assert "5 records of 4 partnerships" in matrix.note
    assert "No partnership" not in render_markdown(report)


async def test_many_partnerships_are_cut_into_tables_of_four(db: Database,
                                                             clock: ManualClock) -> None:
    rid = await observation_round(db, clock, "named",
                                  {0: {lsp: record("Green", lsp) for lsp in LSPS}})
    report = build_report(await load(db, rid))
    first, second = _tables(report, "Structure:")
    assert len(first.columns) == 5 and second.title == STRUCTURE + " (continued)"
    assert second.columns == ("", "Norwich LSP", "South Norfolk LSP")


async def test_confidential_observation_names_no_observer_and_merges_no_partnership(
        db: Database, clock: ManualClock) -> None:
    rid = await observation_round(db, clock, "confidential", FOUR)
    report = build_report(await load(db, rid, min_group_size=3))
    (table,) = _tables(report, "Structure:")
    # A partnership recorded once is no small group of people: it keeps its column.
    assert "Breckland LSP" in table.columns and not any("Other" in c for c in table.columns)
    for fmt, text in _outputs(report).items():
        for observer in OBSERVERS:
            for part in observer.name.split():
                assert part not in text, (fmt, part)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    header = next(book["Answers"].iter_rows(values_only=True))
    # The observer's sector would say who they are; the partnership observed is what counts.
    assert header[0] == "partnership" and "sector" not in header and "respondent" not in header
