"""The report as a spreadsheet: raw answers, response rates, each distribution, each theme list."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd

from surveys.report.model import (
    Distribution,
    Grid,
    Rating,
    Ratings,
    Report,
    Split,
    Table,
    ThemeList,
)

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = re.compile(r"^(?:[=+@\t\r]|-(?=\S))")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet will not run as a formula (a leading quote disarms it)."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """A DataFrame of rows, every text cell disarmed."""
    df = pd.DataFrame(rows, columns=columns)
    return df.apply(lambda col: col.map(safe_cell)) if len(df) else df


def _distributions(report: Report) -> Iterator[Distribution]:
    for s in report.sections:
        for b in s.blocks:
            if isinstance(b, Distribution):
                yield b
            elif isinstance(b, Rating | Split):
                yield b.distribution
            elif isinstance(b, Ratings):
                yield from b.distributions


def _theme_lists(report: Report) -> Iterator[tuple[str, ThemeList]]:
    for s in report.sections:
        for b in s.blocks:
            if isinstance(b, ThemeList):
                yield "", b
            elif isinstance(b, Grid):
                for c in b.cells:
                    yield c.heading, c
            elif isinstance(b, Split):
                yield from b.sides
            elif isinstance(b, Rating) and b.comments is not None:
                yield "Comments", b.comments


class _Names:
    """Unique sheet names of at most 31 characters."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def __call__(self, wanted: str) -> str:
        base = _BAD_SHEET_CHARS.sub(" ", wanted).strip()[:31] or "Sheet"
        name, n = base, 2
        while name.lower() in self.taken:
            suffix = f" ({n})"
            name, n = base[:31 - len(suffix)] + suffix, n + 1
        self.taken.add(name.lower())
        return name


def _table_frame(t: Table) -> pd.DataFrame:
    return frame([dict(zip(t.columns, row, strict=True)) for row in t.rows], list(t.columns))


_FILLS = {"green": "DCEFDC", "amber": "FBE7C6", "red": "F6D2D2"}


def _tint(sheet: Any, t: Table) -> None:
    """Colour the cells a table marks green, amber or red (row 1 is the header)."""
    from openpyxl.styles import PatternFill

    for r, row in enumerate(t.colours, start=2):
        for c, tint in enumerate(row, start=1):
            if tint in _FILLS:
                sheet.cell(row=r, column=c).fill = PatternFill("solid", fgColor=_FILLS[tint])


def render_xlsx(report: Report, raw_columns: list[str] | None = None) -> bytes:
    """The report's tables as an .xlsx workbook."""
    names = _Names()
    columns = raw_columns or (list(report.raw[0]) if report.raw else ["answer"])
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        frame(report.raw, columns).to_excel(writer, sheet_name=names("Raw answers"), index=False)
        front = report.front
        summary = [{"item": k, "value": v} for k, v in (
            ("Round", front.title), ("Questionnaire", front.questionnaire),
            ("Anonymity", front.anonymity), ("Opened", str(front.opens_at)),
            ("Deadline", str(front.deadline)), ("Closed", str(front.closed_at or "")),
            ("Invited", front.invited), ("Submitted", front.submitted),
            ("Response rate", f"{100 * front.rate:.0f}%"))]
        summary += [{"item": "Note", "value": n} for n in report.footnotes]
        frame(summary, ["item", "value"]).to_excel(writer, sheet_name=names("Summary"),
                                                   index=False)
        for t in report.tables():
            sheet = names(t.sheet or t.title)
            _table_frame(t).to_excel(writer, sheet_name=sheet, index=False)
            _tint(writer.sheets[sheet], t)
        for d in _distributions(report):
            rows = [{"answer": p, "count": c, "share": round(c / d.total, 3) if d.total else 0}
                    for p, c in zip(d.points, d.counts, strict=True)]
            df = frame(rows, ["answer", "count", "share"])
            df.insert(0, "question", safe_cell(d.title))
            df.to_excel(writer, sheet_name=names(f"Rating {d.key}"), index=False)
        for side, tl in _theme_lists(report):
            rows = [{"group": side, "theme": t.label, "points": t.points, "raised_by": t.count,
                     "quotes": "\n".join(t.quotes)} for t in tl.themes]
            df = frame(rows, ["group", "theme", "points", "raised_by", "quotes"])
            df.insert(0, "question", safe_cell(tl.title))
            df.to_excel(writer, sheet_name=names(f"Themes {tl.key}"), index=False)
    return buf.getvalue()
