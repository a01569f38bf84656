"""The report as a workbook people can read: a Summary sheet first, then a few sheets whatever
the template (ratings, themes, tables, responses, answers), each with widths, wrapping, a
frozen header row, a filter and print settings that fit the page width."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from surveys.model import DONT_KNOW
from surveys.report.model import (
    Distribution,
    Grid,
    Profile,
    Rating,
    Ratings,
    Report,
    Split,
    Table,
    ThemeList,
)

_FORMULA_START = re.compile(r"^(?:[=+@\t\r]|-(?=\S))")
_FILLS = {"green": "DCEFDC", "amber": "FBE7C6", "red": "F6D2D2"}
HEADER = PatternFill("solid", fgColor="E3EAF2")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_POINTS = 8
MAX_WIDTH = 60
MAX_SHEETS = 8


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet will not run as a formula (a leading quote disarms it)."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """A DataFrame of rows, every text cell disarmed (the CSV export)."""
    df = pd.DataFrame(rows, columns=columns)
    return df.apply(lambda col: col.map(safe_cell)) if len(df) else df


def _favourable(d: Distribution) -> float | None:
    if not d.ordered:
        return None
    real = [(p, c) for p, c in zip(d.points, d.counts, strict=True) if p != DONT_KNOW]
    split = d.positive if d.positive is not None else (len(real) + 1) // 2
    whole = sum(c for _, c in real)
    return sum(c for _, c in real[:split]) / whole if whole else None


def _distributions(report: Report) -> Iterator[tuple[str, Distribution]]:
    for s in report.sections:
        for b in s.blocks:
            if isinstance(b, Distribution):
                yield s.title, b
            elif isinstance(b, Rating | Split):
                yield s.title, b.distribution
            elif isinstance(b, Ratings):
                yield from ((s.title, d) for d in b.distributions)


def _theme_lists(report: Report) -> Iterator[tuple[str, str, ThemeList]]:
    for s in report.sections:
        for b in s.blocks:
            if isinstance(b, ThemeList):
                yield s.title, b.heading, b
            elif isinstance(b, Grid):
                yield from ((s.title, c.heading, c) for c in b.cells)
            elif isinstance(b, Split):
                yield from ((s.title, side, tl) for side, tl in b.sides)
            elif isinstance(b, Rating) and b.comments is not None:
                yield s.title, "Comments", b.comments


def _other_tables(report: Report) -> Iterator[Table]:
    for s in report.sections:
        if s.key == "responses":
            continue
        for b in s.blocks:
            if isinstance(b, Table):
                yield b
            elif isinstance(b, Profile):
                yield b.table()


def _sheet(book: Workbook, title: str, columns: Sequence[str],
           rows: Sequence[Sequence[Any]], widths: Sequence[int] | None = None) -> Worksheet:
    """A sheet of one table: bold frozen header, a filter, wrapped cells, print to width."""
    ws = book.create_sheet(title)
    ws.append(list(columns))
    for row in rows:
        ws.append([safe_cell(c) for c in row])
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = BOLD, HEADER, WRAP
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    _finish(ws, widths or _widths(columns, rows))
    ws.print_title_rows = "1:1"
    return ws


def _widths(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    out = []
    for n, head in enumerate(columns):
        longest = max([len(str(head)), *(len(str(r[n])) for r in rows[:200] if n < len(r))])
        out.append(max(8, min(MAX_WIDTH, longest + 2)))
    return out


def _finish(ws: Worksheet, widths: Sequence[int]) -> None:
    """Column widths, wrapping, and A4 printing one page wide (as many pages down as needed)."""
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    for row in ws.iter_rows(min_row=2):
        lines = 1
        for cell in row:
            cell.alignment = WRAP
            if cell.value is not None and cell.column <= len(widths):
                text = str(cell.value)
                width = widths[cell.column - 1]
                lines = max(lines, sum(-(-len(part) // width) or 1
                                       for part in text.split("\n")))
        if lines > 1:  # LibreOffice does not grow a wrapped row by itself
            ws.row_dimensions[row[0].row].height = 13 * min(lines, 12)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(widths) > 110 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _summary(book: Workbook, report: Report) -> None:
    ws = book.active
    assert ws is not None
    ws.title = "Summary"
    f = report.front
    ws.append([f.title])
    ws["A1"].font = TITLE
    facts = [("Questionnaire", f.questionnaire), ("Anonymity", f.anonymity),
             ("Opened", f.when(f.opens_at)), ("Deadline", f.when(f.deadline)),
             ("Closed", f.when(f.closed_at)), ("Invited", f.invited),
             ("Submitted", f.submitted), ("Response rate", f"{100 * f.rate:.0f}%")]
    for key, value in facts:
        ws.append([key, safe_cell(value)])
        ws.cell(ws.max_row, 1).font = BOLD
    tables = list(report.overview.tables)
    if report.overview.theme_lines:
        tables.append(Table("Themes raised most", ("Where", "Top themes (raised by)"),
                            tuple(report.overview.theme_lines)))
    for t in tables:
        ws.append([])
        _append_table(ws, t)
    if report.footnotes:
        ws.append([])
        ws.append(["Notes"])
        ws.cell(ws.max_row, 1).font = BOLD
        for note in report.footnotes:
            ws.append([note])
    _finish(ws, [44, 30, 22, 22, 22, 22])
    ws.column_dimensions["A"].width = 44


def _ratings(book: Workbook, report: Report) -> None:
    dists = list(_distributions(report))
    if not dists:
        return
    points = min(MAX_POINTS, max(len(d.points) for _, d in dists))
    head = ["Section", "Question", "Full question", "Answered", "% favourable", "Scale",
            *(f"Point {n}" for n in range(1, points + 1))]
    rows = []
    for section, d in dists:
        share = _favourable(d)
        rows.append([section, d.label, d.title, d.total,
                     "" if share is None else round(100 * share),
                     " / ".join(d.points[:points]) + (" (partners could tick several)"
                                                      if d.multi else ""),
                     *d.counts[:points], *[""] * (points - len(d.counts[:points]))])
    _sheet(book, "Ratings", head, rows, [24, 34, 50, 10, 12, 40, *[9] * points])


def _themes(book: Workbook, report: Report) -> None:
    rows = [[section, tl.short or tl.title, side, t.label, t.count, t.points,
             "\n".join(f"“{q}”" for q in t.quotes)]
            for section, side, tl in _theme_lists(report) for t in tl.themes]
    if rows:
        _sheet(book, "Themes", ("Section", "Question", "Side", "Theme", "Raised by", "Points",
                                "Quotes"), rows, [22, 34, 18, 30, 10, 40, 60])


def _table_sheet(book: Workbook, t: Table) -> None:
    """A table that has a sheet of its own (its name from the table), tints kept."""
    ws = _sheet(book, _sheet_name(t.sheet), t.columns, t.rows)
    for r, row in enumerate(t.colours, start=2):
        for c, tint in enumerate(row, start=1):
            if tint in _FILLS:
                ws.cell(row=r, column=c).fill = PatternFill("solid", fgColor=_FILLS[tint])


def _sheet_name(wanted: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", wanted).strip()[:31] or "Table"



def _append_table(ws: Worksheet, t: Table) -> None:
    """A table under what the sheet holds: its title, a bold header, RAG-tinted cells, a note."""
    ws.append([t.title])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
    ws.append(list(t.columns))
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = BOLD, HEADER
    tints = t.colours or tuple(("",) * len(r) for r in t.rows)
    for row, tinted in zip(t.rows, tints, strict=True):
        ws.append([safe_cell(c) for c in row])
        for n, tint in enumerate(tinted, start=1):
            if tint in _FILLS:
                ws.cell(ws.max_row, n).fill = PatternFill("solid", fgColor=_FILLS[tint])
    if t.note:
        ws.append([t.note])

def _stacked(book: Workbook, tables: Sequence[Table]) -> None:
    """Tables one under another, each with its title, on one "Tables" sheet."""
    ws = book.create_sheet("Tables")
    widest = max(len(t.columns) for t in tables)
    for t in tables:
        _append_table(ws, t)
        ws.append([])
    _finish(ws, [36, *[22] * (widest - 1)])


def _tables(book: Workbook, report: Report, budget: int) -> None:
    """Every other table of the report (partnerships side by side, a profile, last year's
    figures): a named one on a sheet of its own while the budget of sheets lasts, the rest
    one under another on a "Tables" sheet."""
    tables = list(_other_tables(report))
    taken = {n.lower() for n in book.sheetnames} | {"responses", "answers", "tables"}
    # A family of tables, one per area ("Actions …", "Progress …"), reads best together.
    families: dict[str, int] = {}
    for t in tables:
        families[t.sheet.split(" ")[0]] = families.get(t.sheet.split(" ")[0], 0) + 1
    own: list[Table] = []
    # Tables standing alone first (a change by area, partnerships side by side).
    for t in sorted(tables, key=lambda t: families[t.sheet.split(" ")[0]]):
        name = _sheet_name(t.sheet).lower() if t.sheet else ""
        if (not name or name in taken or families[t.sheet.split(" ")[0]] > 2
                or len(own) >= budget - (1 if len(tables) > len(own) + 1 else 0)):
            continue
        own.append(t)
        taken.add(name)
    for t in [t for t in tables if t in own]:  # in the report's order
        _table_sheet(book, t)
    rest_tables = [t for t in tables if t not in own]
    if rest_tables:
        _stacked(book, rest_tables)


def _responses(book: Workbook, report: Report) -> None:
    rows = [[t.title.removeprefix("Response rate by ").capitalize(), *row]
            for t in (report.front.by_partnership, report.front.by_sector) for row in t.rows]
    _sheet(book, "Responses", ("By", "Group", "Invited", "Submitted", "Rate"), rows,
           [14, 40, 10, 11, 8])


def render_xlsx(report: Report, raw_columns: list[str] | None = None) -> bytes:
    """The report as an .xlsx workbook of at most six sheets, whatever the template."""
    book = Workbook()
    _summary(book, report)
    _ratings(book, report)
    _themes(book, report)
    # Summary, Ratings, Themes, Responses and Answers leave room for three more sheets.
    _tables(book, report, MAX_SHEETS - len(book.sheetnames) - 2)
    _responses(book, report)
    columns = raw_columns or (list(report.raw[0]) if report.raw else ["answer"])
    _sheet(book, "Answers", columns, [[r.get(c, "") for c in columns] for r in report.raw])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
