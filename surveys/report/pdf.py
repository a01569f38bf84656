"""The report as an A4 PDF with page numbers (reportlab: pure Python, from PyPI alone).

Text is set in DejaVu Sans, which matplotlib ships, so every Latin letter, dash and curly
quote prints; an emoji it lacks (no font here has them in outline) is left out, the words
kept, rather than printed as an empty box.
"""

from __future__ import annotations

import io
import re
import unicodedata
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from surveys.plural import count, unlisted, unrated, unthemed
from surveys.report import charts, suggested
from surveys.report.columns import fit_words, shares
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

WIDTH = A4[0] - 30 * mm
FONT = "PulseSans"
TINTS = {"green": "#dcefdc", "amber": "#fbe7c6", "red": "#f6d2d2", "good": "#dcefdc",
         "bad": "#f6d2d2", "strengths": "#dcefdc", "opportunities": "#dcefdc",
         "weaknesses": "#f6d2d2", "threats": "#f6d2d2"}
EDGES = {"green": "#2e7d32", "amber": "#b26a00", "red": "#c62828", "good": "#2e7d32",
         "bad": "#c62828", "strengths": "#2e7d32", "opportunities": "#2e7d32",
         "weaknesses": "#c62828", "threats": "#c62828"}


@cache
def _fonts() -> frozenset[int]:
    """Register DejaVu Sans (regular, bold, italic) once; the code points it can print."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = {"": "DejaVuSans.ttf", "-Bold": "DejaVuSans-Bold.ttf",
             "-Italic": "DejaVuSans-Oblique.ttf", "-BoldItalic": "DejaVuSans-BoldOblique.ttf"}
    for suffix, file in faces.items():
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT + "-Bold",
                                  italic=FONT + "-Italic", boldItalic=FONT + "-BoldItalic")
    face: Any = pdfmetrics.getFont(FONT).face
    return frozenset(face.charToGlyph)


def printable(text: object, *, names: bool = False) -> str:
    """Text the PDF font can print, XML-escaped for a Paragraph. A symbol it cannot print
    (an emoji) is left out, keeping the words around it: "[speak-no-evil monkey]" in a
    partner's quote read as a transcriber's note, not as what they wrote. Only a quote
    (`names`) that is nothing but such symbols gives their names, so it never prints empty."""
    known = _fonts()
    kept, named = [], []
    for ch in str(text):
        if ord(ch) in known or ch in "\n\t":
            kept.append(ch)
        elif (unicodedata.category(ch) in ("Mn", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F
              or 0x1F3FB <= ord(ch) <= 0x1F3FF):
            continue  # joiners, variation selectors and skin tones of an emoji sequence
        else:
            named.append(f"[{unicodedata.name(ch, 'symbol').lower()}]")
    words = "".join(kept)
    if named:  # no gap left where a symbol was: "great  thanks", "through ."
        words = re.sub(r" ([,.;:!?)])", r"\1", re.sub(r" {2,}", " ", words))
    words = words.strip()
    if names and named and not any(ch.isalnum() for ch in words):
        words = " ".join([words, *named]).strip()
    return escape(words, quote=False)


def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, alignment=TA_LEFT,
                          spaceAfter=3)
    return {
        "body": base,
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT + "-Bold", fontSize=18,
                             leading=22, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT + "-Bold", fontSize=14,
                             leading=18, spaceBefore=4, spaceAfter=6,
                             textColor=colors.HexColor("#1f5fa8")),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT + "-Bold", fontSize=11,
                             leading=14, spaceBefore=8, spaceAfter=3),
        "meta": ParagraphStyle("meta", parent=base, fontSize=8.5,
                               textColor=colors.HexColor("#5f6b76")),
        "quote": ParagraphStyle("quote", parent=base, fontName=FONT + "-Italic", fontSize=8.8,
                                leading=11.5, leftIndent=16, textColor=colors.HexColor("#39424a"),
                                spaceAfter=1),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.3, leading=10.4, spaceAfter=0),
        "head": ParagraphStyle("head", parent=base, fontName=FONT + "-Bold", fontSize=8.3,
                               leading=10.4, spaceAfter=0),
        "big": ParagraphStyle("big", parent=base, fontSize=12, leading=16, spaceBefore=4),
        # A theme's label: its second line starts under the first's words, not the bullet.
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=9, bulletIndent=0,
                                 bulletFontName=FONT),
    }


S = _styles()


def p(text: object, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped)."""
    return Paragraph(printable(text), S[style])


def chained(flows: list[Flowable]) -> list[Flowable]:
    """Flowables that go to a new page together (each but the last kept with the next): a
    theme's label with its quotes, a heading with its note and what follows it. The page
    template chains them; inside a table's cell (a SWOT grid) it does not, which is right."""
    for f in flows[:-1]:
        f.keepWithNext = 1
    return flows


def heading(text: object, style: str = "h3") -> Paragraph:
    """A heading never left alone at a page's foot: it is kept with what follows it."""
    made = p(text, style)
    made.keepWithNext = 1
    return made


FIRST_ROWS = 3       # a table's title goes to the next page unless this many rows fit under it
WHOLE_TABLE = A4[1] / 4   # a table up to this tall is never split


def _image(png: bytes, width: float = WIDTH * 0.8, height: float = 120 * mm) -> Image:
    """A chart at most `width` wide and `height` tall, its proportions kept."""
    w, h = ImageReader(io.BytesIO(png)).getSize()
    scale = min(width / w, height / h)
    return Image(io.BytesIO(png), width=w * scale, height=h * scale, hAlign="LEFT")


def _word_width(word: str, bold: bool) -> float:
    return pdfmetrics.stringWidth(word, FONT + ("-Bold" if bold else ""), 8.3) + 7   # padding


def table(t: Table, width: float = WIDTH, titled: bool = True) -> list[Flowable]:
    """A table with wrapping cells, the header repeated on every page, RAG tints kept."""
    if not t.columns:
        return []
    body = [[Paragraph(printable(c), S["head"]) for c in t.columns]]
    body += [[Paragraph(printable(c), S["cell"]) for c in row] for row in t.rows]
    widths = fit_words(t, [width * share for share in shares(t)], _word_width)
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c9d1d9")),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    for r, row in enumerate(t.colours, start=1):
        for c, tint in enumerate(row):
            if tint in TINTS:
                style.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(TINTS[tint])))
    grid = PdfTable(body, colWidths=widths, repeatRows=1, style=TableStyle(style))
    title = [p(t.title, "h3")] if t.title and titled else []
    note = [p(t.note, "meta")] if t.note else []
    # A short table stays whole, under its title and over its note; a long one starts
    # under its title where its header and first rows fit, rather than moving whole to the
    # next page and leaving most of this one empty (the year-on report's page 4).
    if sum(f.wrap(width, A4[1])[1] for f in (*title, grid)) <= WHOLE_TABLE:
        return chained([*title, grid, *note])
    start = PdfTable(body[:FIRST_ROWS + 1], colWidths=widths, style=TableStyle(style))
    need = sum(f.wrap(width, A4[1])[1] for f in (*title, start))
    if note:   # the note goes over the page with the last row, never alone at a page's top
        last = len(body)
        style[0] = ("GRID", (0, 0), (-1, last - 1), 0.4, colors.HexColor("#c9d1d9"))
        style += [("SPAN", (0, last), (-1, last)), ("NOSPLIT", (0, last - 1), (-1, last)),
                  ("LEFTPADDING", (0, last), (0, last), 0)]
        grid = PdfTable([*body, [note[0], *[""] * (len(t.columns) - 1)]], colWidths=widths,
                        repeatRows=1, style=TableStyle(style))
    return [CondPageBreak(need), *title, grid]


def themes(tl: ThemeList, show_title: bool = True) -> list[Flowable]:
    """Bold label, its points and count, then its quotes."""
    out: list[Flowable] = []
    if show_title:
        out.append(heading(tl.heading or tl.title))
        if tl.heading and tl.heading != tl.title:
            out.append(heading(tl.title, "meta"))
    if not tl.themes:
        return [*out, p("No answers to theme.", "meta")]
    out.append(heading(f"{count(tl.answered, 'answer')}", "meta"))
    if tl.listed:  # no theme: the comments themselves, as a person would list them
        out += [Paragraph(f"“{printable(c, names=True)}”", S["quote"]) for c in tl.comments]
        return [*out, *([p(unlisted(tl.unthemed), "meta")] if tl.unthemed else [])]
    for t in tl.themes:
        colon = ":" if t.points else ""
        # The label and its quotes go over a page together: "Performance: National targets
        # vs local priorities (raised by 8)" was left at a page's foot, its quotes overleaf.
        label, raised = t.heading()
        out += chained([Paragraph(
            f"<b>{printable(label)}{colon}</b> {printable(t.points)} "
            f'<font color="#5f6b76" size="8">{raised}</font>', S["bullet"],
            bulletText="•"), *(Paragraph(f"“{printable(q, names=True)}”", S["quote"])
                               for q in t.quotes)])
    if tl.unthemed:
        out.append(p(unthemed(tl.unthemed), "meta"))
    return out


def _distribution(d: Distribution) -> list[Flowable]:
    """The question, its chart and its table, kept together (a few lines each)."""
    out: list[Flowable] = [heading(d.title)]
    if d.total:
        out.append(_image(charts.distribution_png(d), WIDTH * 0.62))
        out[-1].keepWithNext = 1
    return out + table(distribution_table(d), WIDTH * 0.75, titled=False)


def _cells(lists: list[tuple[str, list[Flowable]]], columns: int) -> list[Flowable]:
    """Theme lists side by side (a SWOT grid, RAG lists, the two sides of a split) where
    they fit on a page, else one after another under a coloured rule."""
    grid = _grid(lists, columns)
    if grid.wrap(WIDTH, A4[1])[1] < A4[1] - 40 * mm:
        return [grid]
    out: list[Flowable] = []
    for colour, flows in lists:
        line = PdfTable([[""]], colWidths=[WIDTH], rowHeights=[3], style=TableStyle(
            [("LINEABOVE", (0, 0), (-1, -1), 3, colors.HexColor(EDGES.get(colour, "#c9d1d9")))]))
        out += [line, *flows]
    return out


def _grid(lists: list[tuple[str, list[Flowable]]], columns: int) -> PdfTable:
    width = WIDTH / columns
    rows = [lists[i:i + columns] for i in range(0, len(lists), columns)]
    body = [[flow for _, flow in row] + [""] * (columns - len(row)) for row in rows]
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (-1, -1), 0.4,
                                                   colors.HexColor("#c9d1d9")),
             ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c9d1d9"))]
    for r, row in enumerate(rows):
        for c, (colour, _) in enumerate(row):
            if colour in EDGES:
                style.append(("LINEABOVE", (c, r), (c, r), 3, colors.HexColor(EDGES[colour])))
    return PdfTable(body, colWidths=[width] * columns, style=TableStyle(style))


def suggestions(sl: SuggestionList) -> list[Flowable]:
    """Seed 004's lettered suggested actions, each with its count and the partners' words."""
    out: list[Flowable] = [heading(sl.heading), heading(sl.title, "meta")]
    if not sl.items:
        return [*out, p(suggested.none_note(sl), "meta")]
    out.append(heading(suggested.intro(sl), "meta"))
    if sl.themes is not None:
        out += themes(sl.themes, show_title=False)
    else:
        for n, item in enumerate(sl.items):
            by = suggested.suggested_by(item, unbroken=True)
            out += chained([Paragraph(
                f"<b>{suggested.mark(n)}</b> {printable(item.wording, names=True)}"
                + (f' <font color="#5f6b76" size="8">{by}</font>' if by else ""), S["body"]),
                *(Paragraph(f"“{printable(w, names=True)}”", S["quote"]) for w in item.words)])
    return out + [p(note, "meta") for note in suggested.notes(sl)]


def block(b: Block) -> list[Flowable]:
    """One block of a section."""
    if isinstance(b, ThemeList):
        return themes(b)
    if isinstance(b, SuggestionList):
        return suggestions(b)
    if isinstance(b, Split):
        sides = [(tl.colour, [heading(f"{mark} {label}:"), *themes(tl, show_title=False)])
                 for (label, tl), mark in zip(b.sides, ("✓", "×"), strict=True)]
        out = [*_distribution(b.distribution), *_cells(sides, 2)]
        if b.unrated:
            out.append(p(unrated(b.unrated), "meta"))
        return out
    if isinstance(b, Rating):
        out = _distribution(b.distribution)
        if b.comments is not None and b.comments.themes:
            out += themes(b.comments)
        return out
    if isinstance(b, Distribution):
        return _distribution(b)
    if isinstance(b, Grid):
        return _cells([(c.colour, themes(c)) for c in b.cells], b.columns)
    if isinstance(b, Ratings):
        out = [heading(f"Ratings: {b.title}")]
        if any(d.total for d in b.distributions):
            out.append(_image(charts.stacked_png(b.distributions), WIDTH))
        rows = tuple((d.label, ", ".join(f"{pt}: {c}" for pt, c in zip(d.points, d.counts,
                                                                        strict=True)),
                      str(d.total)) for d in b.distributions)
        return out + table(Table("", ("Question", "Answers", "Total"), rows))
    if isinstance(b, Profile):
        # As tall as it needs (up to most of a page), so its labels print at full size.
        chart = [_image(charts.profile_png(b), WIDTH, 200 * mm)] if b.functions else []
        return [heading(b.title), *chart, *table(b.table(), titled=False)]
    if isinstance(b, Table):
        return table(b)
    if isinstance(b, NumberSummary):
        if not b.count:
            return [heading(b.title), p("No answers.", "meta")]
        unit = f" {b.unit}" if b.unit else ""
        return [heading(b.title), p(f"{count(b.count, 'answer')}: median {b.median:g}{unit} (from "
                                    f"{b.minimum:g} to {b.maximum:g}).")]
    raise TypeError(f"unknown block {type(b).__name__}")


def overview(report: Report) -> list[Flowable]:
    """The first page: title, dates, response rate, the layout's tables, themes, contents."""
    f, o = report.front, report.overview
    out: list[Flowable] = [p(f.title, "h1"), p(f"{f.questionnaire} · {f.anonymity} round",
                                                 "meta")]
    if f.source:
        out.append(p(f"Questions from: {f.source}", "meta"))
    out.append(p(f"Opened {f.when(f.opens_at)} · deadline {f.when(f.deadline)} · closed "
                 f"{f.when(f.closed_at)}", "meta"))
    out.append(Paragraph(f"<b>{100 * f.rate:.0f}%</b> responded: {f.submitted} of "
                         f"{f.invited} invited partners.", S["big"]))
    for t in o.tables:
        out += table(t)
    if o.theme_lines:   # the heading and its first two lines never left at a page's foot
        lines = [Paragraph(f"<b>{printable(where)}:</b> {printable(text)}", S["body"])
                 for where, text in o.theme_lines]
        out += [*chained([heading("Themes raised most"), *lines[:2]]), *lines[2:]]
    # Never split: a line or two of contents alone at the top of page 2 reads as a stray.
    out.append(KeepTogether([p("Contents", "h3"), *(p(f"{n}. {title}") for n, title in
                                                      enumerate(report.contents, start=1))]))
    return out


class _NumberedCanvas(Canvas):
    """A canvas that writes "Page N of M" once it knows M."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Stamp every page with its number, then write the file."""
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#5f6b76"))
            self.drawRightString(A4[0] - 15 * mm, 10 * mm,
                                 f"Page {self._pageNumber} of {len(self._pages)}")
            self.drawString(15 * mm, 10 * mm, getattr(self, "_pulse_title", ""))
            super().showPage()
        super().save()


def _document(buf: io.BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                             topMargin=15 * mm, bottomMargin=16 * mm, title=title,
                             author="PartnerPulse")


def _overview_pages(report: Report) -> int:
    """How many pages the overview alone fills."""
    doc = _document(io.BytesIO(), report.front.title)
    doc.build(overview(report))
    return int(doc.page)


def render_pdf(report: Report) -> bytes:
    """The whole report as an A4 PDF, overview first, each section from a new page (the
    first section goes on straight after an overview that ran onto a second page, so that
    page is not left nearly empty)."""
    story = overview(report)
    spilled = _overview_pages(report) > 1
    for n, s in enumerate(report.sections):
        story.append(CondPageBreak(A4[1] / 3) if n == 0 and spilled else PageBreak())
        story.append(heading(s.title, "h2"))
        if s.intro:
            story.append(heading(s.intro, "meta"))
        for b in s.blocks:
            # Each heading is kept with what follows it, and a table's title with its first
            # rows (the year-on report left "Leading the LSP ..." alone at a page's foot).
            story += block(b)
    if report.footnotes:
        story += [Spacer(1, 6 * mm), heading("Notes")]
        story += [p(f"{n}. {text}", "meta") for n, text in enumerate(report.footnotes, 1)]
    buf = io.BytesIO()
    title = report.front.title

    def canvas(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        made = _NumberedCanvas(*args, **kwargs)
        made._pulse_title = title
        return made

    _document(buf, title).build(story, canvasmaker=canvas)
    return buf.getvalue()
