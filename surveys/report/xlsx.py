"""The report as a workbook people can read: a Summary sheet first, then a few sheets whatever
the template (ratings, themes, tables, responses, answers), each with widths, wrapping, a
frozen header row, a filter and print settings that fit the page width."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pandas as pd
import xlsxwriter

from surveys.model import DONT_KNOW
from surveys.report import suggested
from surveys.report.model import (
    Distribution,
    Grid,
    Profile,
    Rating,
    Ratings,
    Report,
    Split,
    SuggestionList,
    Table,
    ThemeList,
)
from surveys.report.observation import NOTES, SIDE_BY_SIDE

_FORMULA_START = re.compile(r"^(?:[=+@\t\r]|-(?=\S))")
_FILLS = {"green": "DCEFDC", "amber": "FBE7C6", "red": "F6D2D2"}
# What a cell may look like besides wrapping (a RAG tint is a look too, see _FILLS).
_LOOKS: dict[str, dict[str, Any]] = {
    "bold": {"bold": True},
    "title": {"bold": True, "font_size": 14},  # the report's title
    "heading": {"bold": True, "font_size": 12},  # a table's title
    "header": {"bold": True, "pattern": 1, "bg_color": "#E3EAF2"},  # a table's header row
}
PERCENT = "0%"
DAY = "d mmm yyyy"
_WHOLE = re.compile(r"^-?\d{1,12}$")
_SHARE = re.compile(r"^-?\d{1,3}(?:\.\d+)?%$")
_DAY = re.compile(r"^\d{1,2} [A-Z][a-z]{2,8} \d{4}$")
MAX_POINTS = 8
MAX_WIDTH = 60
MAX_SHEETS = 8


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet will not run as a formula (a leading quote disarms it)."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def typed(value: Any) -> tuple[Any, str]:
    """A table cell as the spreadsheet should hold it, with its number format: "3" a number,
    "68%" the number 0.68 shown as a percentage, "23 May 2027" a date; other text as text."""
    if not isinstance(value, str):
        return value, ""
    if _WHOLE.match(value):
        return int(value), ""
    if _SHARE.match(value):
        return float(value[:-1]) / 100, PERCENT
    if _DAY.match(value):
        for pattern in ("%d %b %Y", "%d %B %Y"):
            try:
                return datetime.strptime(value, pattern).date(), DAY
            except ValueError:
                continue
    return value, ""


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
            elif isinstance(b, Split):   # a row's question by its short label, as elsewhere
                yield from ((s.title, side, replace(tl, short=tl.short or b.distribution.short))
                            for side, tl in b.sides)
            elif isinstance(b, Rating) and b.comments is not None:
                yield s.title, "Comments", b.comments
            elif isinstance(b, SuggestionList) and b.themes is not None:
                yield s.title, b.heading, b.themes


def _other_tables(report: Report) -> Iterator[Table]:
    for s in report.sections:
        if s.key == "responses":
            continue
        for b in s.blocks:
            if isinstance(b, Table) and b.sheet != SIDE_BY_SIDE:
                yield b
            elif isinstance(b, Profile):
                yield b.table(every_row=True)


class _Sheet:
    """One worksheet written a row at a time, as openpyxl's `append` did, onto XlsxWriter
    (which writes 30,000 answer rows in a tenth of the time): each cell's look is its
    font and fill, plus wrapping from the second row on; a wrapped row is made tall
    enough for its longest cell, as LibreOffice does not grow one by itself."""

    def __init__(self, book: _Book, title: str) -> None:
        self.book = book
        self.ws = book.wb.add_worksheet(title)
        self.rows = 0
        self.columns = 0
        self.widths: Sequence[int] = ()

    def append(self, values: Sequence[Any], looks: Sequence[str] = (),
               wrap: bool | None = None, *, typed_cells: bool = False) -> int:
        """Write a row under the last; returns its index (0-based). `looks` are per cell
        ("bold", "title", "heading", "header" or a RAG tint; none for the rest); cells wrap
        from the second row on unless `wrap` says otherwise. With `typed_cells`, a table's
        figures written as text ("3", "68%", "23 May 2027") become numbers and dates."""
        row = self.rows
        self.rows += 1
        self.columns = max(self.columns, len(values))
        wrapped = row > 0 if wrap is None else wrap
        for col, value in enumerate(values):
            look = looks[col] if col < len(looks) else ""
            value, number = typed(value) if typed_cells else (value, "")
            if isinstance(value, datetime | date) and not number:
                number = DAY
            self._write(row, col, value, self.book.look(look, wrapped, number))
        if row > 0 and self.widths:
            self._fit(row, values)
        return row

    def _write(self, row: int, col: int, value: Any, fmt: Any) -> None:
        if value is None or value == "":
            if fmt is not None:
                self.ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            self.ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float):
            self.ws.write_number(row, col, value, fmt)
        elif isinstance(value, datetime | date):
            self.ws.write_datetime(row, col, value, fmt)
        else:  # a string, always as text: never read as a formula or a number
            self.ws.write_string(row, col, str(value), fmt)

    def _fit(self, row: int, values: Sequence[Any]) -> None:
        lines = 1
        for col, value in enumerate(values[:len(self.widths)]):
            if value is not None and value != "":
                width = self.widths[col]
                lines = max(lines, sum(-(-len(part) // width) or 1
                                       for part in str(value).split("\n")))
        if lines > 1:
            self.ws.set_row(row, 13 * min(lines, 12))

    def finish(self, widths: Sequence[int]) -> None:
        """Column widths, and A4 printing one page wide (as many pages down as needed)."""
        for n, width in enumerate(widths):
            self.ws.set_column(n, n, width)
        self.ws.set_paper(9)  # A4
        if sum(widths) > 110:
            self.ws.set_landscape()
        else:
            self.ws.set_portrait()
        self.ws.fit_to_pages(1, 0)


class _Book:
    """A workbook and the cell looks (font, fill, wrapping) its sheets share."""

    def __init__(self, out: io.BytesIO) -> None:
        self.wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False,
                                            "strings_to_urls": False})
        self._looks: dict[tuple[str, bool, str], Any] = {}
        self.names: list[str] = []

    def look(self, look: str, wrap: bool, number: str = "") -> Any:
        """The shared format of a look, wrapped or not, with a number format if given
        (None for a plain unwrapped cell)."""
        key = (look, wrap, number)
        if key not in self._looks:
            props: dict[str, Any] = dict(_LOOKS.get(look, {}))  # a tint not in _FILLS: none
            if look in _FILLS:
                props.update(pattern=1, bg_color="#" + _FILLS[look])
            if wrap:
                props.update(text_wrap=True, valign="top")
            if number:
                props.update(num_format=number)
            self._looks[key] = self.wb.add_format(props) if props else None
        return self._looks[key]

    def sheet(self, title: str) -> _Sheet:
        """A new sheet at the end."""
        self.names.append(title)
        return _Sheet(self, title)


def _sheet(book: _Book, title: str, columns: Sequence[str],
           rows: Sequence[Sequence[Any]], widths: Sequence[int] | None = None,
           tints: Sequence[Sequence[str]] = (), *, typed_cells: bool = False) -> _Sheet:
    """A sheet of one table: bold frozen header, a filter, wrapped cells, print to width
    (with `typed_cells`, figures as numbers and dates: see `typed`)."""
    ws = book.sheet(title)
    ws.widths = widths or _widths(columns, rows)
    ws.append(list(columns), ["header"] * len(columns), wrap=True)
    for n, row in enumerate(rows):
        ws.append([safe_cell(c) for c in row], tints[n] if n < len(tints) else (),
                  typed_cells=typed_cells)
    ws.ws.freeze_panes(1, 0)
    if rows:
        ws.ws.autofilter(0, 0, ws.rows - 1, max(ws.columns, 1) - 1)
    ws.finish(ws.widths)
    ws.ws.repeat_rows(0)
    return ws


def _widths(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    out = []
    for n, head in enumerate(columns):
        longest = max([len(str(head)), *(len(str(r[n])) for r in rows[:200] if n < len(r))])
        out.append(max(8, min(MAX_WIDTH, longest + 2)))
    return out


def _summary(book: _Book, report: Report) -> None:
    ws = book.sheet("Summary")
    ws.widths = [44, 30, 22, 22, 22, 22]
    f = report.front
    ws.append([f.title], ["title"])
    facts = [("Questionnaire", f.questionnaire), ("Anonymity", f.anonymity),
             ("Opened", f.when(f.opens_at)), ("Deadline", f.when(f.deadline)),
             ("Closed", f.when(f.closed_at)), ("Invited", f.invited),
             ("Submitted", f.submitted), ("Response rate", f"{100 * f.rate:.0f}%")]
    for key, value in facts:
        ws.append([key, safe_cell(value)], ["bold"], typed_cells=True)
    tables = list(report.overview.tables)
    if report.overview.theme_lines:
        tables.append(Table("Themes raised most", ("Where", "Top themes (raised by)"),
                            tuple(report.overview.theme_lines)))
    for t in tables:
        ws.append([])
        _append_table(ws, t)
    if report.footnotes:
        ws.append([])
        ws.append(["Notes"], ["bold"])
        for note in report.footnotes:
            ws.append([note])
    ws.finish(ws.widths)


def _ratings(book: _Book, report: Report) -> None:
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
                     "" if share is None else f"{100 * share:.0f}%",
                     " / ".join(d.points[:points]) + (" (partners could tick several)"
                                                      if d.multi else ""),
                     *d.counts[:points], *[""] * (points - len(d.counts[:points]))])
    _sheet(book, "Ratings", head, rows, [24, 34, 50, 10, 12, 40, *[9] * points],
           typed_cells=True)


LISTED = "(no theme: the comments)"


def _theme_rows(section: str, side: str, tl: ThemeList) -> list[list[Any]]:
    """A list's rows of the Themes sheet: a row per theme, or for a set with no theme one
    row of its comments, with no count that would read as a theme's."""
    side = side.removeprefix(f"{tl.short}: ") if tl.short else side   # said once, not twice
    if tl.listed:
        return [[section, tl.short or tl.title, side, LISTED, "", "",
                 "\n".join(f"“{c}”" for c in tl.comments)]]
    return [[section, tl.short or tl.title, side, t.label, t.count, t.points,
             "\n".join(f"“{q}”" for q in t.quotes)] for t in tl.themes]


def _themes(book: _Book, report: Report) -> None:
    rows = [row for section, side, tl in _theme_lists(report)
            for row in _theme_rows(section, side, tl)]
    if rows:
        _sheet(book, "Themes", ("Section", "Question", "Side", "Theme", "Raised by", "Points",
                                "Quotes"), rows, [22, 34, 18, 30, 10, 40, 60])


def _suggestions(book: _Book, report: Report) -> None:
    """Every suggested action of every area, themed on the page or not: its letter, its
    wording, how many suggested it and the partners' own words."""
    rows = [[s.title, sl.title, suggested.mark(n), item.wording, item.count,
             "\n".join(f"“{w}”" for w in item.words)]
            for s in report.sections for sl in s.blocks if isinstance(sl, SuggestionList)
            for n, item in enumerate(sl.items)]
    if rows:
        _sheet(book, "Suggestions", ("Section", "Question", "", "Suggested action",
                                     "Suggested by", "Partners' words"), rows,
               [22, 30, 5, 60, 12, 60])


def _side_by_side(book: _Book, report: Report) -> None:
    """An observation round's dimensions as one filterable sheet: a row per dimension and
    partnership, the rating tinted, the observer's notes beside it."""
    rows: list[list[Any]] = []
    tints: list[tuple[str, ...]] = []
    for s in report.sections:
        for t in (b for b in s.blocks if isinstance(b, Table) and b.sheet == SIDE_BY_SIDE):
            first = t.rows[0]
            notes = t.rows[1] if len(t.rows) > 1 else ("",) * len(first)
            if first[0] == NOTES:   # a text question: what was written is the notes
                first, notes = ("",) * len(first), first
            for n, partnership in enumerate(t.columns[1:], start=1):
                rows.append([s.title, t.title.removesuffix(" (continued)"), partnership,
                             first[n], notes[n]])
                tints.append(("", "", "", t.colours[0][n] if t.colours else ""))
    if rows:
        _sheet(book, SIDE_BY_SIDE, ("Section", "Dimension", "Partnership", "Rating or answer",
                                    "Observer's notes"), rows, [22, 40, 30, 16, 70], tints)


def _table_sheet(book: _Book, t: Table) -> None:
    """A table that has a sheet of its own (its name from the table), tints kept."""
    _sheet(book, _sheet_name(t.sheet), t.columns, t.rows, tints=t.colours, typed_cells=True)


def _sheet_name(wanted: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", wanted).strip()[:31] or "Table"


def _append_table(ws: _Sheet, t: Table) -> None:
    """A table under what the sheet holds: its title, a bold header, RAG-tinted cells, a note."""
    ws.append([t.title], ["heading"])
    ws.append(list(t.columns), ["header"] * len(t.columns))
    tints = t.colours or tuple(("",) * len(r) for r in t.rows)
    for row, tinted in zip(t.rows, tints, strict=True):
        ws.append([safe_cell(c) for c in row], tinted, typed_cells=True)
    if t.note:
        ws.append([t.note])


def _stacked(book: _Book, tables: Sequence[Table]) -> None:
    """Tables one under another, each with its title, on one "Tables" sheet."""
    ws = book.sheet("Tables")
    widest = max(len(t.columns) for t in tables)
    ws.widths = [36, *[22] * (widest - 1)]
    for t in tables:
        _append_table(ws, t)
        ws.append([])
    ws.finish(ws.widths)


def _tables(book: _Book, report: Report, budget: int) -> None:
    """Every other table of the report (partnerships side by side, a profile, last year's
    figures): a named one on a sheet of its own while the budget of sheets lasts, the rest
    one under another on a "Tables" sheet."""
    tables = list(_other_tables(report))
    taken = {n.lower() for n in book.names} | {"responses", "answers", "tables"}
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


def _responses(book: _Book, report: Report) -> None:
    rows = [[t.title.removeprefix("Response rate by ").capitalize(), *row]
            for t in (report.front.by_partnership, report.front.by_sector) for row in t.rows]
    _sheet(book, "Responses", ("By", "Group", "Invited", "Submitted", "Rate"), rows,
           [14, 40, 10, 11, 8], typed_cells=True)


def render_xlsx(report: Report, raw_columns: list[str] | None = None) -> bytes:
    """The report as an .xlsx workbook of at most six sheets, whatever the template."""
    buf = io.BytesIO()
    book = _Book(buf)
    _summary(book, report)
    _ratings(book, report)
    _themes(book, report)
    _suggestions(book, report)
    _side_by_side(book, report)
    # Responses and Answers follow: what is left of the budget is for other tables.
    _tables(book, report, MAX_SHEETS - len(book.names) - 2)
    _responses(book, report)
    columns = raw_columns or (list(report.raw[0]) if report.raw else ["answer"])
    _sheet(book, "Answers", columns, [[r.get(c, "") for c in columns] for r in report.raw])
    book.wb.close()
    return buf.getvalue()
