"""The `report`, `export` and `themes` commands on a real database file."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from bot.cli import cli
from storage.db import Database
from surveys.clock import ManualClock
from tests.bot.conftest import invoke
from tests.surveys.test_report_fixtures import PEOPLE, make_round

BARRIERS = [
    "Lack of funding and money for projects",
    "The LAA took over every meeting",
    "Two tier local government makes everything complex",
    "Not enough staff time or budget",
]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "pp.db"}"\n[reports]\nmin_group_size = 3\n',
                    encoding="utf-8")
    return path


def _round(config: Path, template: str, anonymity: str,
           answers: list[dict[str, Any]]) -> int:
    db_path = config.parent / "pp.db"

    async def build() -> int:
        async with Database(db_path) as db:
            return await make_round(db, ManualClock(), template, anonymity, answers)

    return asyncio.run(build())


def _framework(config: Path, anonymity: str = "named") -> int:
    answers = [{"barriers": text, "thematic-connection": "Effective"} for text in BARRIERS]
    return _round(config, "framework-review", anonymity, answers)


@pytest.mark.parametrize("fmt", ["html", "md", "xlsx", "pdf", "docx"])
def test_report_command_writes_each_format(config: Path, tmp_path: Path, fmt: str) -> None:
    rid = _framework(config)
    out = tmp_path / f"report.{fmt}"
    code, output = invoke("report", str(rid), "--format", fmt, "--out", str(out),
                          "--config", str(config))
    assert code == 0, output
    data = out.read_bytes()
    if fmt == "xlsx":
        names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
        assert names[0] == "Summary" and "Answers" in names and len(names) <= 8
    elif fmt == "pdf":
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "Autumn review" in text and "Lack of resources" in text
    elif fmt == "docx":
        doc = docx.Document(io.BytesIO(data))
        assert doc.paragraphs[0].text == "Autumn review"
        assert any("Lack of resources" in p.text for p in doc.paragraphs)
    else:
        assert b"Autumn review" in data and b"Lack of resources" in data


def test_report_of_unknown_round_is_a_clean_error(config: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", "99", "--out", str(tmp_path / "x.html"),
                                      "--config", str(config)])
    assert result.exit_code == 1 and "No round 99" in result.output


def _export(config: Path, tmp_path: Path, rid: int, fmt: str) -> list[dict[str, Any]]:
    out = tmp_path / f"raw.{fmt}"
    code, output = invoke("export", str(rid), "--format", fmt, "--out", str(out),
                          "--config", str(config))
    assert code == 0, output
    if fmt == "csv":
        return list(csv.DictReader(out.open(encoding="utf-8")))
    sheet = openpyxl.load_workbook(out)["Answers"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_named_has_names_and_organisations(config: Path, tmp_path: Path,
                                                  fmt: str) -> None:
    rows = _export(config, tmp_path, _framework(config, "named"), fmt)
    assert {r["respondent"] for r in rows} == {p.name for p in PEOPLE[:4]}
    assert {r["organisation"] for r in rows} == {p.organisation for p in PEOPLE[:4]}
    assert {"question_id", "answer", "comment"} <= set(rows[0])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_confidential_links_no_answers_across_questions(config: Path, tmp_path: Path,
                                                              fmt: str) -> None:
    rid = _framework(config, "confidential")
    rows = _export(config, tmp_path, rid, fmt)
    # No respondent code: a reader cannot put one person's answers together, so an answer
    # to "Which sector?" cannot undo the small-group hiding elsewhere.
    assert next(iter(rows[0])) == "sector"
    assert not {"respondent", "ballot", "organisation", "partnerships"} & set(rows[0])
    # Sorted by question, then sector and answer: row order follows no person.
    keys = [(r["question_id"], r["sector"], r["answer"]) for r in rows]
    by_question = [k[0] for k in keys]
    assert len(set(by_question)) > 1
    assert all(by_question.index(q) == n or by_question[n - 1] == q
               for n, q in enumerate(by_question))
    for question in set(by_question):
        group = [k[1:] for k in keys if k[0] == question]
        assert group == sorted(group)
    text = json.dumps(rows)
    for p in PEOPLE:
        assert p.name not in text and p.organisation not in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_anonymous_has_ballots_only(config: Path, tmp_path: Path, fmt: str) -> None:
    rid = _framework(config, "anonymous")
    assert invoke("rounds", "close", str(rid), "--config", str(config))[0] == 0
    rows = _export(config, tmp_path, rid, fmt)
    assert next(iter(rows[0])) == "sector" and "ballot" not in rows[0]
    # Four partners in four sectors of one: no sector shows on its own.
    assert {r["sector"] for r in rows} == {"Other (groups under 3)"}
    text = json.dumps(rows)
    for p in PEOPLE:
        assert p.name not in text and p.organisation not in text


def test_an_open_anonymous_round_has_no_report_export_or_themes_until_it_closes(
        config: Path, tmp_path: Path) -> None:
    """Two reports either side of one ballot would differ by that ballot, and a coordinator
    can tell who has just submitted: so nothing of an anonymous round's answers comes out
    while it is open. The same round closed gives all three."""
    rid = _framework(config, "anonymous")
    c = ("--config", str(config))
    attempts = {
        "report": ("report", str(rid), "--format", "md", "--out", str(tmp_path / "r.md")),
        "export": ("export", str(rid), "--out", str(tmp_path / "raw.csv")),
        "themes": ("themes", "export", str(rid), "--out", str(tmp_path / "themes.toml")),
    }
    for name, args in attempts.items():
        result = CliRunner().invoke(cli, [*args, *c])
        assert result.exit_code == 1, (name, result.output)
        assert f"Round {rid} is anonymous" in result.output and "when it closes" in result.output
    assert not any(tmp_path.glob("r.md")) and not any(tmp_path.glob("raw.csv"))
    assert invoke("rounds", "close", str(rid), *c)[0] == 0
    for name, args in attempts.items():
        code, output = invoke(*args, *c)
        assert code == 0, (name, output)
    assert "Lack of resources" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_themes_csv_prints_json_in_both_forms(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "answer"])
        for n, text in enumerate(BARRIERS * 2):
            writer.writerow([n, text])
    for args in (["themes", str(path)], ["themes", "csv", str(path)]):
        code, out = invoke(*args, "--text-column", "answer", "--format", "json")
        assert code == 0, out
        data = json.loads(out)
        assert set(data) == {"themes", "rows", "unthemed", "non_answers"}
        assert len(data["rows"]) == 8 and data["rows"][0]["row"] == 0
        assert {"id", "label", "count", "points", "quotes"} <= set(data["themes"][0])


def test_themes_csv_missing_column_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("x\nhello\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["themes", str(path), "--text-column", "answer"])
    assert result.exit_code == 1 and "no column 'answer'" in result.output


def _edit(text: str) -> tuple[str, str]:
    """Rename the first theme and move an answer of another theme into it."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line == "[[theme]]"]
    assert len(starts) >= 2
    first_label = next(i for i in range(starts[0], starts[1]) if lines[i].startswith("label = "))
    lines[first_label] = 'label = "Money worries"'
    key_line = next(i for i in range(starts[1], len(lines))
                    if re.match(r'\s+"a[0-9a-f]+",\s+#', lines[i]))
    moved = lines.pop(key_line)
    moved_text = moved.split("# ", 1)[1]
    at = next(i for i in range(starts[0], starts[1]) if lines[i].startswith("answers = "))
    if lines[at] == "answers = []":
        lines[at:at + 1] = ["answers = [", moved, "]"]
    else:
        lines.insert(at + 1, moved)
    return "\n".join(lines) + "\n", moved_text


def test_themes_export_edit_apply_then_report(config: Path, tmp_path: Path) -> None:
    rid = _framework(config, "confidential")
    themes_file = tmp_path / "themes.toml"
    code, out = invoke("themes", "export", str(rid), "--out", str(themes_file),
                       "--config", str(config))
    assert code == 0, out
    assert "# ===== question: barriers =====" in themes_file.read_text(encoding="utf-8")
    code, out = invoke("themes", "export", str(rid), "--question", "barriers",
                       "--out", str(themes_file), "--config", str(config))
    assert code == 0, out
    edited, moved_text = _edit(themes_file.read_text(encoding="utf-8"))
    themes_file.write_text(edited, encoding="utf-8")
    code, out = invoke("themes", "apply", str(rid), str(themes_file), "--question", "barriers",
                       "--config", str(config))
    assert code == 0, out
    report = tmp_path / "report.md"
    code, out = invoke("report", str(rid), "--format", "md", "--out", str(report),
                       "--config", str(config))
    assert code == 0, out
    md = report.read_text(encoding="utf-8")
    block = md.split("**Money worries", 1)[1].split("\n- **", 1)[0]
    assert moved_text in block
    # The stored file survives a second export: the rename is still there.
    code, _ = invoke("themes", "export", str(rid), "--question", "barriers",
                     "--out", str(themes_file), "--config", str(config))
    assert 'label = "Money worries"' in themes_file.read_text(encoding="utf-8")


def test_themes_apply_rejects_unknown_question(config: Path, tmp_path: Path) -> None:
    rid = _framework(config)
    path = tmp_path / "t.toml"
    path.write_text('format = "partnerpulse-themes/1"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["themes", "apply", str(rid), str(path), "--question",
                                      "nope", "--config", str(config)])
    assert result.exit_code == 1 and "nope" in result.output
