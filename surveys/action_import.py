"""Reading agreed actions from a CSV (text,owner,due[,area,organisation,status])."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from surveys.actions import ActionRow
from surveys.plural import count
from surveys.roster import data_rows, read_csv_text, read_header

REQUIRED = ("text", "owner", "due")
OPTIONAL = ("area", "organisation", "status")


def read_actions(path: str | Path) -> tuple[list[ActionRow], list[tuple[int, str]]]:
    """Rows of an actions file and the problems found in its shape (line, message).

    A file that cannot be read at all raises RosterError; owners, dates and areas are checked
    against the round later, by `ActionService.add_rows`.
    """
    return parse_actions(read_csv_text(path), source=str(path))


def parse_actions(text: str, *, source: str = ""
                  ) -> tuple[list[ActionRow], list[tuple[int, str]]]:
    """Parse CSV text into rows; every problem of shape is (line number, what is wrong)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    columns = read_header(reader, source, REQUIRED, OPTIONAL)
    rows: list[ActionRow] = []
    problems: list[tuple[int, str]] = []
    for line, cells in data_rows(reader, problems):
        if len(cells) != len(columns):
            problems.append((line, f"has {count(len(cells), 'field')}; "
                                   f"the header has {len(columns)}"))
            continue
        record = {c: v.strip() for c, v in zip(columns, cells, strict=True)}
        empty = [c for c in REQUIRED if not record.get(c)]
        if empty:
            problems.append((line, "empty " + ", ".join(empty)))
            continue
        rows.append(ActionRow(line=line, text=record["text"], owner=record["owner"],
                              due=record["due"], area=record.get("area", ""),
                              organisation=record.get("organisation", ""),
                              status=record.get("status", "")))
    return rows, problems
