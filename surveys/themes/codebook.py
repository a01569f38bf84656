"""Codebooks: the themes a coordinator expects, read from TOML.

A codebook file for one question holds `[[theme]]` tables; a template's default
codebooks (`surveys/codebooks/<template-id>.toml`) hold one such list per question
under `[questions.<question-id>]`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from surveys.plural import noun

from .bank import bank_file, parse_bank, with_answers

_KEYS = {"label", "description", "examples"}


class CodebookError(ValueError):
    """A codebook file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class CodebookTheme:
    """One expected theme: a label, what it covers, and a few example answers."""

    label: str
    description: str = ""
    examples: tuple[str, ...] = ()
    # Labelled answers from a built-in codebook's bank (bank.py): only compared with,
    # never quoted, listed as a point or read for a label.
    answers: tuple[str, ...] = ()


def _line_of_table(text: str, header: str, index: int) -> int:
    """The line (1-based) of the index-th `[[header]]` in text, or 0."""
    dotted = re.escape(header).replace(r"\.", r"\s*\.\s*")
    pattern = re.compile(r"^\s*\[\[\s*" + dotted + r"\s*\]\]")
    seen = -1
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            seen += 1
            if seen == index:
                return number
    return 0


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"{source}:{match.group(1)}" if match else source
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise CodebookError(f"{where}: {reason}") from exc


def _themes(raw: Any, text: str, source: str, header: str) -> list[CodebookTheme]:
    """Validate a list of theme tables and turn it into CodebookThemes."""
    if not isinstance(raw, list) or not raw:
        raise CodebookError(f"{source}: expected one or more [[{header}]] tables")
    themes: list[CodebookTheme] = []
    labels: set[str] = set()
    for i, table in enumerate(raw):
        line = _line_of_table(text, header, i)
        where = f"{source}:{line}" if line else source
        name = f"theme {i + 1}"
        if not isinstance(table, dict):
            raise CodebookError(f"{where}: {name} is not a table")
        label = table.get("label")
        if isinstance(label, str) and label.strip():
            name = f"theme {i + 1} ({label.strip()!r})"
        unknown = sorted(set(table) - _KEYS)
        if unknown:
            raise CodebookError(f"{where}: {name}: unknown {noun(len(unknown), 'key')} "
                                f"{', '.join(unknown)}")
        if not isinstance(label, str) or not label.strip():
            raise CodebookError(f"{where}: {name}: 'label' must be a non-empty string")
        description = table.get("description", "")
        if not isinstance(description, str):
            raise CodebookError(f"{where}: {name}: 'description' must be a string")
        examples = table.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            raise CodebookError(f"{where}: {name}: 'examples' must be a list of strings")
        if label.strip().lower() in labels:
            raise CodebookError(f"{where}: {name}: label used twice")
        labels.add(label.strip().lower())
        themes.append(
            CodebookTheme(
                label=label.strip(),
                description=description.strip(),
                examples=tuple(e.strip() for e in examples if e.strip()),
            )
        )
    return themes


def parse_codebook(text: str, source: str = "<codebook>") -> list[CodebookTheme]:
    """Themes from the text of a codebook file (`[[theme]]` tables)."""
    data = _parse_toml(text, source)
    unknown = sorted(set(data) - {"theme"})
    if unknown:
        raise CodebookError(f"{source}: unknown top-level {noun(len(unknown), 'key')} "
                            f"{', '.join(unknown)}")
    return _themes(data.get("theme"), text, source, "theme")


def load_codebook(path: str | Path) -> list[CodebookTheme]:
    """Themes from a codebook file; CodebookError names the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"{path}: cannot read codebook: {exc}") from exc
    return parse_codebook(text, str(path))


def parse_template_codebooks(text: str, source: str) -> dict[str, list[CodebookTheme]]:
    """Every question's themes from a template codebook (`[questions.<id>]` tables)."""
    data = _parse_toml(text, source)
    questions = data.get("questions")
    if not isinstance(questions, dict) or set(data) - {"questions"}:
        raise CodebookError(f"{source}: expected only [questions.<question-id>] tables")
    out: dict[str, list[CodebookTheme]] = {}
    for question_id, table in questions.items():
        if not isinstance(table, dict) or set(table) - {"theme"}:
            raise CodebookError(f"{source}: [questions.{question_id}] holds only [[theme]] tables")
        out[question_id] = _themes(
            table.get("theme"), text, source, f"questions.{question_id}.theme"
        )
    return out


def _template_file(template_id: str) -> Any:
    return resources.files("surveys").joinpath("codebooks", f"{template_id}.toml")


def builtin_template_ids() -> list[str]:
    """Ids of the templates that ship a default codebook."""
    folder = resources.files("surveys").joinpath("codebooks")
    return sorted(f.name[:-5] for f in folder.iterdir() if f.name.endswith(".toml"))


@lru_cache(maxsize=32)
def _shipped(template_id: str) -> tuple[tuple[str, tuple[CodebookTheme, ...]], ...]:
    """A template's shipped codebooks with their bank's answers, parsed once: they are
    package files, never edited while the bot runs, and a report asks for them once per
    question (reading and checking the framework review's file took a tenth of a second
    each time)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", template_id):
        return ()
    file = _template_file(template_id)
    if not file.is_file():
        return ()
    found = parse_template_codebooks(file.read_text(encoding="utf-8"), f"{template_id}.toml")
    bank = bank_file(template_id)
    answers = parse_bank(bank.read_text(encoding="utf-8")) if bank.is_file() else {}
    return tuple((question, tuple(with_answers(themes, answers.get(question, {}))))
                 for question, themes in found.items())


def builtin_codebooks(template_id: str) -> dict[str, list[CodebookTheme]]:
    """All default codebooks of one template, by question id ({} if it ships none)."""
    return {question: list(themes) for question, themes in _shipped(template_id)}


def builtin_codebook(template_id: str, question_id: str) -> list[CodebookTheme]:
    """The default codebook of one question of a built-in template ([] if none)."""
    return builtin_codebooks(template_id).get(question_id, [])
