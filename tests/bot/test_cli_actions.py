"""`partnerpulse actions`: record, list, update and import agreed actions on a fresh database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.bot.conftest import invoke


def _round(cli_config: Path) -> str:
    code, out = invoke("rounds", "create", "--template", "working-better-together",
                       "--deadline", "2099-12-04", "--config", str(cli_config))
    assert code == 0
    return out.strip()


def test_add_list_update(cli_config: Path) -> None:
    c = ("--config", str(cli_config))
    rid = _round(cli_config)
    code, out = invoke("actions", "add", rid, "--text", "To refresh the SCS every three years.",
                       "--owner", "Asha Patel", "--due", "2099-03-31", "--area", "1", *c)
    assert code == 0 and out.strip().isdigit()
    first = out.strip()
    code, out = invoke("actions", "add", rid, "--text", "To develop a programme of induction "
                       "training for new members.", "--owner", "Ben Begum", "--due",
                       "2099-01-31", "--area", "Meetings and messages", "--organisation",
                       "Hampshire Constabulary", *c)
    assert code == 0
    code, out = invoke("actions", "update", first, "--status", "in progress", "--note",
                       "Consultation calendar drafted", *c)
    assert code == 0 and "in progress" in out and "Consultation calendar drafted" in out
    code, out = invoke("actions", "list", *c)
    assert "The LSP's long-term goals" in out and "Meetings and messages" in out
    assert "Hampshire Constabulary (Ben Begum)" in out
    assert "in progress" in out and "Consultation calendar drafted" in out

    code, out = invoke("actions", "list", "--status", "in-progress", "--format", "csv", *c)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == [first]
    assert rows[0]["action"] == "To refresh the SCS every three years."
    assert rows[0]["due"] == "2099-03-31" and rows[0]["owner"] == "Asha Patel"
    code, out = invoke("actions", "list", "--owner", "Ben Begum", "--format", "csv", *c)
    assert len(list(csv.DictReader(io.StringIO(out)))) == 1

    code, out = invoke("actions", "update", first, "--status", "finished", *c)
    assert code == 1 and "should be one of" in out
    code, out = invoke("actions", "add", rid, "--text", "x", "--owner", "Nobody", "--due",
                       "2099-01-01", *c)
    assert code == 1 and "No partner called 'Nobody'" in out
    code, out = invoke("actions", "add", "42", "--text", "x", "--owner", "1", "--due",
                       "2099-01-01", *c)
    assert code == 1 and "No round 42" in out


def test_list_cuts_a_long_action_at_a_word(cli_config: Path) -> None:
    c = ("--config", str(cli_config))
    rid = _round(cli_config)
    long = ("To agree one shared set of national indicator datasets among the counties, the "
            "district councils and the police")
    assert invoke("actions", "add", rid, "--text", long, "--owner", "Asha Patel", "--due",
                  "2099-03-31", *c)[0] == 0
    code, out = invoke("actions", "list", *c)
    line = next(row for row in out.splitlines() if "To agree one shared set" in row)
    shown = line.split("To agree", 1)[1].split("…", 1)[0]
    assert "…" in line and len("To agree" + shown) <= 59
    assert long.startswith("To agree" + shown) and long[len("To agree" + shown)] == " "
    code, out = invoke("actions", "list", "--format", "csv", *c)
    assert code == 0 and next(csv.DictReader(io.StringIO(out)))["action"] == long


def test_import_names_bad_rows_by_line(cli_config: Path, tmp_path: Path) -> None:
    c = ("--config", str(cli_config))
    rid = _round(cli_config)
    bad = tmp_path / "actions.csv"
    bad.write_text("text,owner,due,area\n"
                   "To refresh the SCS every three years,Asha Patel,2099-03-31,1\n"
                   "To raise public awareness of the brand,Nobody,2099-03-31,2\n"
                   "To agree a data quality policy,Carys Singh,soon,6\n", encoding="utf-8")
    code, out = invoke("actions", "import", rid, str(bad), *c)
    assert code == 1
    assert "line 3: No partner called 'Nobody'" in out and "line 4: Due date 'soon'" in out
    assert invoke("actions", "list", *c)[1].strip() == "(none)"
    code, out = invoke("actions", "import", rid, str(bad), "--skip-bad-rows", *c)
    assert code == 0 and "Imported 1 action" in out and "2 bad rows skipped" in out
    assert "To refresh the SCS" in invoke("actions", "list", *c)[1]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("action,who\nx,y\n", encoding="utf-8")
    code, out = invoke("actions", "import", rid, str(wrong), *c)
    assert code == 1 and "line 1: missing columns: text, owner, due" in out


def test_rounds_create_compare_with(cli_config: Path) -> None:
    c = ("--config", str(cli_config))
    first = _round(cli_config)
    code, out = invoke("rounds", "create", "--template", "working-better-together",
                       "--deadline", "2099-12-04", "--compare-with", "99", *c)
    assert code == 1 and "No round 99 to compare with" in out
    code, out = invoke("rounds", "create", "--template", "swot", "--deadline", "2099-12-04",
                       "--compare-with", first, *c)
    assert code == 1 and "same questionnaire" in out
    assert invoke("rounds", "list", *c)[1].count("open") == 1   # nothing was created
    assert invoke("rounds", "close", first, *c)[0] == 0
    code, out = invoke("rounds", "create", "--template", "working-better-together",
                       "--deadline", "2099-12-04", *c)
    assert code == 0 and f"compared with round {first} " in out   # the default


def test_report_by_partnership(cli_config: Path, tmp_path: Path) -> None:
    c = ("--config", str(cli_config))
    rid = _round(cli_config)
    out_file = tmp_path / "by.md"
    code, out = invoke("report", rid, "--by", "partnership", "--format", "md", "--out",
                       str(out_file), *c)
    assert code == 0
    text = out_file.read_text(encoding="utf-8")
    assert "## By partnership" in text and "Partnerships side by side" in text
    assert text.index("## By partnership") < text.index("## The LSP")
    code, out = invoke("report", rid, "--by", "sector", "--out", str(out_file), *c)
    assert code == 2 and "'sector' is not" in out
