"""Theme one text column of a CSV file (the `themes` command of the CLI)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from .codebook import CodebookError, load_codebook
from .embed import Embedder
from .engine import theme_answers


def read_column(path: str | Path, text_column: str | int) -> list[str]:
    """The values of one column (by header name, or 0-based index) of a CSV file."""
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return []
        if isinstance(text_column, int):
            column = text_column
        elif text_column in header:
            column = header.index(text_column)
        else:
            raise CodebookError(f"{path}: no column {text_column!r} (columns: {', '.join(header)})")
        return [row[column] if column < len(row) else "" for row in reader]


def theme_csv(
    path: str | Path,
    text_column: str | int,
    codebook_path: str | Path | None = None,
    n_themes: int | None = None,
    seed: int = 0,
    embedder: Embedder | None = None,
) -> dict[str, Any]:
    """Themes of a CSV column as plain JSON-ready data; rows count data rows from 0."""
    answers = read_column(path, text_column)
    codebook = load_codebook(codebook_path) if codebook_path else []
    themed = theme_answers(answers, codebook, n_themes=n_themes, seed=seed, embedder=embedder)
    return {
        "themes": [
            {"id": t.id, "label": t.label, "count": t.count, "points": list(t.points),
             "quotes": list(t.quotes)}
            for t in themed.themes
        ],
        "rows": [{"row": i, "themes": list(ids)} for i, ids in enumerate(themed.assignments)],
        "unthemed": themed.unthemed,
        "non_answers": themed.non_answers,
    }
