"""The report as a Word document (python-docx): real headings, tables, charts as pictures,
quotes in Word's Quote style, A4 pages numbered in the footer."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from surveys.plural import count, unlisted, unrated, unthemed
from surveys.report import charts, suggested
from surveys.report.columns import fit_words, needs, shares
from surveys.report.html import distribution_table
from surveys.report.model import (
    Block,
    Distribution,
    Grid,
    NumberSummary,
    Profile,
    Rating,
    Ratings,
    Report,
    Split,
    SuggestionList,
    Table,
    ThemeList,
)

WIDTH = Cm(17)
TINTS = {"green": "DCEFDC", "amber": "FBE7C6", "red": "F6D2D2", "good": "DCEFDC",
         "bad": "F6D2D2", "strengths": "DCEFDC", "opportunities": "DCEFDC",
         "weaknesses": "F6D2D2", "threats": "F6D2D2"}
MUTED = RGBColor(0x5F, 0x6B, 0x76)


QUOTE_INDENT = Inches(0.25)  # where the default List Bullet's text starts, after its bullet


def _quote_style(doc: DocxDocument) -> None:
    """Quotes sit under their theme's bullet: indented to the bullet's text, in muted
    italics, with no blank line after, so they do not read as body text."""
    fmt = doc.styles["Quote"].paragraph_format
    fmt.left_indent = QUOTE_INDENT
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(2)
    font = doc.styles["Quote"].font
    font.italic = True
    font.color.rgb = MUTED


def _shade(cell: _Cell, fill: str) -> None:
    """A cell's background colour (python-docx has no API for it: w:shd in the cell's tcPr)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(table: DocxTable) -> None:
    """The header row repeats at the top of every page the table runs over, and no row
    breaks across a page (the year-on file's page 5 opened on the last line of a question,
    "sector, private sector and third sector representatives?", its row on page 4)."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(marker)
    for row in table.rows:
        whole = OxmlElement("w:cantSplit")
        whole.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(whole)


def _note(doc: DocxDocument, text: str) -> Paragraph:
    para = doc.add_paragraph()
    run = para.add_run(text)
    run.font.size = Pt(8.5)
    run.font.color.rgb = MUTED
    return para


def _chain(paras: list[Paragraph]) -> None:
    """Paragraphs Word moves to a new page together (each kept with the next): a theme's
    label with its quotes, which the demo's Word file split ("Other points (raised by 1)" at
    a page's foot, its one quote overleaf)."""
    for para in paras[:-1]:
        para.paragraph_format.keep_with_next = True


def table(doc: DocxDocument, t: Table, level: int = 3) -> None:
    """A Word table with a bold, repeated header row and the table's RAG tints."""
    if t.title:
        doc.add_heading(t.title, level)
    if not t.columns:
        return
    out = doc.add_table(rows=1, cols=len(t.columns))
    out.style = "Table Grid"
    for cell, text in zip(out.rows[0].cells, t.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
        _shade(cell, "EEF2F6")
    tints = t.colours or tuple(("",) * len(row) for row in t.rows)
    for row, tinted in zip(t.rows, tints, strict=True):
        cells = out.add_row().cells
        for cell, text, tint in zip(cells, row, tinted, strict=True):
            cell.text = str(text)
            if tint in TINTS:
                _shade(cell, TINTS[tint])
    size = _widths(out, t)
    for row in out.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(size)
    _repeat_header(out)
    if t.note:
        _note(doc, t.note)


CELL_PT, SMALLEST_PT = 8.5, 6.5


def _measure(size: float) -> Callable[[str, bool], float]:
    """A word's width in points at `size`, roughly (the reader's font is not known here)."""
    return lambda word, bold: len(word) * size * (0.64 if bold else 0.58) + 12   # margins


def _widths(out: DocxTable, t: Table) -> float:
    """Fixed column widths that keep each column's longest word whole, the type made
    smaller (down to 6.5 pt) where a wide table needs it; returns the type size."""
    page = WIDTH.pt
    start = [page * share for share in shares(t)]
    size = CELL_PT
    while True:
        widths = fit_words(t, start, _measure(size))
        whole = all(n <= w + 0.01 for n, w in zip(needs(t, _measure(size)), widths,
                                                    strict=True))
        if whole or size <= SMALLEST_PT:
            break
        size -= 0.5
    out.autofit = False
    for column, points in zip(out.columns, widths, strict=True):
        column.width = Pt(points)
        for cell in column.cells:
            cell.width = Pt(points)
    return size


def themes(doc: DocxDocument, tl: ThemeList, level: int = 3, show_title: bool = True) -> None:
    """Bold label, its points and count as a bullet; its quotes in the Quote style."""
    if show_title:
        doc.add_heading(tl.heading or tl.title, level)
        if tl.heading and tl.heading != tl.title:
            _note(doc, tl.title).paragraph_format.keep_with_next = True
    if not tl.themes:
        _note(doc, "No answers to theme.")
        return
    _note(doc, f"{count(tl.answered, 'answer')}").paragraph_format.keep_with_next = True
    if tl.listed:  # no theme: the comments themselves, as a person would list them
        for c in tl.comments:
            doc.add_paragraph(f"“{c}”", style="Quote")
        if tl.unthemed:
            _note(doc, unlisted(tl.unthemed))
        return
    for t in tl.themes:
        para = doc.add_paragraph(style="List Bullet")
        label, raised = t.heading()
        para.add_run(label + (":" if t.points else "")).bold = True
        if t.points:
            para.add_run(" " + t.points)
        if raised:
            para.add_run(" " + raised).font.color.rgb = MUTED
        _chain([para, *(doc.add_paragraph(f"“{q}”", style="Quote") for q in t.quotes)])
    if tl.unthemed:
        _note(doc, unthemed(tl.unthemed))


def _picture(doc: DocxDocument, png: bytes, width: float = 0.7) -> None:
    doc.add_picture(io.BytesIO(png), width=int(WIDTH * width))


def _distribution(doc: DocxDocument, d: Distribution) -> None:
    doc.add_heading(d.title, 3)
    if d.total:
        _picture(doc, charts.distribution_png(d), 0.6)
    found = distribution_table(d)
    table(doc, Table("", found.columns, found.rows, note=found.note))


def suggestions(doc: DocxDocument, sl: SuggestionList) -> None:
    """Seed 004's lettered suggested actions; the partners' own words in the Quote style."""
    doc.add_heading(sl.heading, 3)
    _note(doc, sl.title).paragraph_format.keep_with_next = True
    if not sl.items:
        _note(doc, suggested.none_note(sl))
        return
    _note(doc, suggested.intro(sl)).paragraph_format.keep_with_next = True
    if sl.themes is not None:
        themes(doc, sl.themes, show_title=False)
    else:
        for n, item in enumerate(sl.items):
            para = doc.add_paragraph()
            para.add_run(suggested.mark(n) + " ").bold = True
            para.add_run(item.wording)
            if by_text := suggested.suggested_by(item, unbroken=True):
                by = para.add_run(" " + by_text)
                by.font.color.rgb = MUTED
            _chain([para, *(doc.add_paragraph(f"“{w}”", style="Quote") for w in item.words)])
    for note in suggested.notes(sl):
        _note(doc, note)


def block(doc: DocxDocument, b: Block) -> None:
    """One block of a section."""
    if isinstance(b, ThemeList):
        themes(doc, b)
    elif isinstance(b, SuggestionList):
        suggestions(doc, b)
    elif isinstance(b, Split):
        _distribution(doc, b.distribution)
        for (label, tl), mark in zip(b.sides, ("✓", "×"), strict=True):
            doc.add_heading(f"{mark} {label}", 4)
            themes(doc, tl, show_title=False)
        if b.unrated:
            _note(doc, unrated(b.unrated))
    elif isinstance(b, Rating):
        _distribution(doc, b.distribution)
        if b.comments is not None and b.comments.themes:
            themes(doc, b.comments, 4)
    elif isinstance(b, Distribution):
        _distribution(doc, b)
    elif isinstance(b, Grid):
        for c in b.cells:
            themes(doc, c)
    elif isinstance(b, Ratings):
        doc.add_heading(f"Ratings: {b.title}", 3)
        if any(d.total for d in b.distributions):
            _picture(doc, charts.stacked_png(b.distributions), 1.0)
        rows = tuple((d.label, ", ".join(f"{p}: {c}" for p, c in zip(d.points, d.counts,
                                                                       strict=True)),
                      str(d.total)) for d in b.distributions)
        table(doc, Table("", ("Question", "Answers", "Total"), rows))
    elif isinstance(b, Profile):
        doc.add_heading(b.title, 3)
        if b.functions:
            _picture(doc, charts.profile_png(b), 1.0)
        found = b.table()
        table(doc, Table("", found.columns, found.rows))
    elif isinstance(b, Table):
        table(doc, b)
    elif isinstance(b, NumberSummary):
        doc.add_heading(b.title, 3)
        if not b.count:
            _note(doc, "No answers.")
        else:
            unit = f" {b.unit}" if b.unit else ""
            doc.add_paragraph(f"{count(b.count, 'answer')}: median {b.median:g}{unit} (from "
                              f"{b.minimum:g} to {b.maximum:g}).")
    else:
        raise TypeError(f"unknown block {type(b).__name__}")


def _page_numbers(doc: DocxDocument, title: str) -> None:
    """A4 portrait, 2 cm margins, and "title · Page N" in the footer (a PAGE field)."""
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))
        para = section.footer.paragraphs[0]
        para.text = f"{title} · Page "
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        para._p.append(field)


def render_docx(report: Report) -> bytes:
    """The whole report as a .docx: the overview, then each section from a new page."""
    doc = Document()
    _quote_style(doc)
    f, o = report.front, report.overview
    _page_numbers(doc, f.title)
    doc.core_properties.title = f.title
    doc.core_properties.author = "PartnerPulse"
    doc.add_heading(f.title, 0)
    _note(doc, f"{f.questionnaire} · {f.anonymity} round")
    if f.source:
        _note(doc, f"Questions from: {f.source}")
    _note(doc, f"Opened {f.when(f.opens_at)} · deadline {f.when(f.deadline)} · closed "
               f"{f.when(f.closed_at)}")
    para = doc.add_paragraph()
    para.add_run(f"{100 * f.rate:.0f}%").bold = True
    para.add_run(f" responded: {f.submitted} of {f.invited} invited partners.")
    for t in o.tables:
        table(doc, t, 2)
    if o.theme_lines:
        doc.add_heading("Themes raised most", 2)
        for where, text in o.theme_lines:
            line = doc.add_paragraph(style="List Bullet")
            line.add_run(where + ": ").bold = True
            line.add_run(text)
    doc.add_heading("Contents", 2)
    for title in report.contents:
        doc.add_paragraph(title, style="List Number")
    for s in report.sections:
        doc.add_page_break()
        doc.add_heading(s.title, 1)
        if s.intro:
            _note(doc, s.intro)
        for b in s.blocks:
            block(doc, b)
    if report.footnotes:
        doc.add_heading("Notes", 2)
        for text in report.footnotes:
            doc.add_paragraph(text, style="List Number")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
