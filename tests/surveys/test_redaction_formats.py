"""Partner names redacted in every format of a confidential round (HTML, Markdown, PDF text,
Word, the workbook with its answers sheet), everyday words spared.

The rule (issue 12): a whole name or organisation goes wherever it is written; a part of a
name goes too, unless it is an everyday word ("Green", "Hall", "Kit", "Script"), which goes
only right beside another part of that name or a title (Cllr, Mr, Ms, Dr …).
"""

from __future__ import annotations

import io
import re

import docx
import openpyxl
from pypdf import PdfReader

from storage.db import Database
from storage.records import PartnerRow
from surveys.clock import ManualClock
from surveys.report import build_report, render_html, render_markdown, render_xlsx
from surveys.report.pdf import render_pdf
from surveys.report.word import render_docx
from tests.surveys.test_report_fixtures import load, make_round

PEOPLE = (
    PartnerRow("Jo Green", "Fenwick Housing Trust", "Voluntary", "Northvale LSP", "chair"),
    PartnerRow("Sam Hall", "Ardley Constabulary", "Police", "Northvale LSP", "member"),
    PartnerRow("Kit Script", "Ossory District Council", "Council", "Northvale LSP", "member"),
    PartnerRow("Dave Okafor", "Okafor Builders", "Business", "Northvale LSP", "member"),
    # Not invited to the round, but named in an answer: still a partner, still redacted.
    PartnerRow("Priya Li", "Kestrel NHS Trust", "Health", "Southmere LSP", "member"),
)
INVITED = 4
# Each answer names partners (whole, by surname after a title, first name alone, with a
# possessive) and uses the everyday words their names share, at the start of sentences too.
ANSWERS = [
    {"strengths": "Green for the LAA, amber for the hub. Cllr Green chaired it well.",
     "weaknesses": "Okafor's report was late. We met at the Town Hall, which was too small.",
     "opportunities": "Ask Priya Li about joint commissioning.",
     "threats": "Jo said the safety kit budget goes. Funding cuts."},
    {"strengths": "Green for the LAA. Ms Hall and Kit Script spoke for the police.",
     "weaknesses": "Li's team and Fenwick Housing Trust were absent. Meetings too long.",
     "opportunities": "Town Hall as a hub for joint commissioning.",
     "threats": "The chair read from a script. Funding cuts."},
    {"strengths": "Strong local knowledge; Dave Okafor knows the patch.",
     "weaknesses": "Dr Okafor and Sam Hall duplicate effort with Ardley Constabulary.",
     "opportunities": "Shared services with Ossory District Council.",
     "threats": "Budget reductions. Green light for cuts at Kestrel NHS Trust."},
    {"strengths": "Good relationships between partners.",
     "weaknesses": "Duplication of effort.",
     "opportunities": "Pooling budgets, says Jo Green.",
     "threats": "Loss of momentum."},
]
WHOLE_NAMES = [p.name for p in PEOPLE] + [p.organisation for p in PEOPLE]
# Name parts that are no everyday word: gone wherever they stand.
NAME_PARTS = ["Jo", "Sam", "Dave", "Okafor", "Priya", "Li", "Fenwick", "Ardley", "Ossory",
              "Kestrel"]
EVERYDAY = ["Green for the LAA", "Town Hall", "safety kit", "a script", "Green light"]


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    doc = docx.Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _xlsx_cells(data: bytes) -> dict[str, str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: "\n".join(str(c) for row in sheet.iter_rows(values_only=True)
                                   for c in row if c is not None)
            for sheet in book.worksheets}


async def _outputs(db: Database, clock: ManualClock) -> dict[str, str]:
    rid = await make_round(db, clock, "swot", "confidential", ANSWERS, people=PEOPLE)
    report = build_report(await load(db, rid, min_group_size=3))
    sheets = _xlsx_cells(render_xlsx(report))
    return {"html": render_html(report), "md": render_markdown(report),
            "pdf": _pdf_text(render_pdf(report)), "docx": _docx_text(render_docx(report)),
            "xlsx": "\n".join(sheets.values()), "answers sheet": sheets["Answers"]}


def _flat(text: str) -> str:
    # PDF text and HTML wrap lines anywhere; compare words, not layout.
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


async def test_no_partner_name_in_any_format(db: Database, clock: ManualClock) -> None:
    outputs = await _outputs(db, clock)
    assert "Okafor" in ANSWERS[0]["weaknesses"] and len(PEOPLE) > INVITED
    for fmt, text in outputs.items():
        flat = _flat(text)
        for name in WHOLE_NAMES:
            assert name.lower() not in flat.lower(), (fmt, name)
        for part in NAME_PARTS:
            assert not re.search(rf"\b{part}\b", flat), (fmt, part)
        # A surname after a title goes too, and the possessive reads on.
        assert not re.search(r"\b(?:Cllr|Ms|Dr)\.? (?:Green|Hall|Okafor)\b", flat), fmt
    answers = _flat(outputs["answers sheet"])
    assert "Cllr [name] chaired" in answers and "[name]'s report" in answers
    assert "Ask [name] about" in answers and "[name] said the safety kit" in answers


async def test_everyday_words_spared_in_every_format(db: Database, clock: ManualClock) -> None:
    for fmt, text in (await _outputs(db, clock)).items():
        flat = _flat(text)
        for mangled in ("[name] for the LAA", "Town [name]", "safety [name]", "a [name]",
                        "[name] light"):
            assert mangled not in flat, (fmt, mangled)
        if fmt == "answers sheet":   # every answer is there, so every everyday word must be
            for phrase in EVERYDAY:
                assert phrase in flat, (fmt, phrase)
        else:   # the themed pages quote some answers: what they quote keeps its words
            assert any(phrase in flat for phrase in EVERYDAY), fmt
