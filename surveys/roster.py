"""Reading a partner list (CSV) into rows, reporting every bad row by its line number."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.records import PartnerRow
from surveys.errors import RosterError
from surveys.plural import count, noun

REQUIRED = ("name", "organisation", "sector", "partnership", "role")
OPTIONAL = ("telegram_username",)
MAX_FIELD = 200
_USERNAME = re.compile(r"^@?[A-Za-z][A-Za-z0-9_]{4,31}$")
_CONTROL = re.compile(r"[\x00-\x1f]")  # one regex search beats a loop over characters


def read_roster(path: str | Path, *, skip_bad_rows: bool = False
                ) -> tuple[list[PartnerRow], list[tuple[int, str]]]:
    """Rows of a roster file and the problems found; raises RosterError unless skipping."""
    return parse_roster(read_csv_text(path), source=str(path), skip_bad_rows=skip_bad_rows)


def read_csv_text(path: str | Path) -> str:
    """A CSV file's text; a file that cannot be read or is not UTF-8 raises RosterError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError([(0, f"cannot read the file ({exc.strerror})")], str(path)) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RosterError([(line, "not UTF-8 text; save the file as CSV UTF-8")],
                          str(path)) from exc


def parse_roster(text: str, *, source: str = "", skip_bad_rows: bool = False
                 ) -> tuple[list[PartnerRow], list[tuple[int, str]]]:
    """Parse CSV text; every problem is (line number, what is wrong)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    columns = read_header(reader, source, REQUIRED, OPTIONAL)
    rows: list[PartnerRow] = []
    problems: list[tuple[int, str]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, cells in data_rows(reader, problems):
        row, problem = _row(columns, cells, line, seen)
        if problem:
            problems.append((line, problem))
        elif row is not None:
            rows.append(row)
    if problems and not skip_bad_rows:
        raise RosterError(problems, source)
    return rows, problems


def data_rows(reader: Any, problems: list[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row after the header with the line it starts on; a row that is not
    CSV ends the file, noted in `problems`."""
    while True:
        line = reader.line_num + 1  # where the next row starts (a quoted field may span lines)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append((line, f"not readable as CSV ({exc})"))
            return
        if any(c.strip() for c in cells):
            yield line, cells


def read_header(reader: Iterator[list[str]], source: str, required: tuple[str, ...],
                optional: tuple[str, ...] = ()) -> list[str]:
    """A CSV header's column names; raises RosterError naming what is missing or unknown."""
    try:
        header = next(reader)
    except StopIteration:
        raise RosterError([(1, "the file is empty; the first line must name the columns "
                               + ",".join(required))], source) from None
    except csv.Error as exc:
        raise RosterError([(1, f"not readable as CSV ({exc})")], source) from exc
    columns = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in columns]
    unknown = [c for c in columns if c and c not in required + optional]
    problems: list[tuple[int, str]] = []
    if missing:
        problems.append((1, f"missing {noun(len(missing), 'column')}: " + ", ".join(missing)))
    if unknown:
        problems.append((1, f"unknown {noun(len(unknown), 'column')}: " + ", ".join(unknown)
                         + f" (expected {','.join(required + optional)})"))
    if problems:
        raise RosterError(problems, source)
    return columns


def _row(columns: list[str], cells: list[str], line: int,
         seen: dict[tuple[str, str, str], int]) -> tuple[PartnerRow | None, str | None]:
    """One data row as a partner, or what is wrong with it; records the row in `seen`."""
    if len(cells) != len(columns):
        return None, f"has {count(len(cells), 'field')}; the header has {len(columns)}"
    record = {c: v.strip() for c, v in zip(columns, cells, strict=True)}
    problem = _check(record)
    if problem:
        return None, problem
    key = (record["name"].casefold(), record["organisation"].casefold(),
           record["partnership"].casefold())
    if key in seen:
        return None, f"repeats line {seen[key]} (same name, organisation and partnership)"
    seen[key] = line
    username = record.get("telegram_username") or None
    return PartnerRow(name=record["name"], organisation=record["organisation"],
                      sector=record["sector"], partnership=record["partnership"],
                      role=record["role"],
                      telegram_username=username.lstrip("@") if username else None), None


def _check(record: dict[str, str]) -> str | None:
    empty = [c for c in REQUIRED if not record.get(c)]
    if empty:
        return "empty " + ", ".join(empty)
    for column, value in record.items():
        if len(value) > MAX_FIELD:
            return f"{column} is longer than {MAX_FIELD} characters"
        if _CONTROL.search(value):
            return f"{column} contains a control character"
    username = record.get("telegram_username")
    if username and not _USERNAME.match(username):
        return f"telegram_username {username!r} is not a Telegram username (5-32 letters, " \
               "digits or _)"
    return None
