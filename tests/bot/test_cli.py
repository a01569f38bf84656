"""The command line: init, templates, partners and coordinators on a fresh config."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest

from bot.cli import cli
from tests.bot.conftest import invoke


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "pp.db"}"\n'
                    '[telegram]\nbot_username = "pp_test_bot"\n', encoding="utf-8")
    return path


def test_templates_list_and_show() -> None:
    code, out = invoke("templates", "list")
    assert code == 0
    for tid in ("working-better-together", "framework-review", "rag-feedback", "swot",
                "partnership-functions", "meeting-observation"):
        assert tid in out
    code, out = invoke("templates", "show", "working-better-together", "--format", "json")
    data = json.loads(out)
    assert len(data["sections"]) == 7
    rated = [q for s in data["sections"] for q in s["questions"] if q["kind"] == "scale"]
    assert len(rated) == 37
    code, out = invoke("templates", "show", "swot")
    assert code == 0 and "Area 1" in out
    code, out = invoke("templates", "show", "nope")
    assert code == 1 and "No template 'nope'" in out


def test_templates_check_copies_and_names_the_line(tmp_path: Path) -> None:
    code, text = invoke("templates", "show", "swot", "--format", "toml")
    mine = tmp_path / "mine.toml"
    mine.write_text(text, encoding="utf-8")
    code, out = invoke("templates", "check", str(mine))
    assert code == 0 and "OK: swot" in out
    lines = text.splitlines()
    index = next(i for i, ln in enumerate(lines) if ln.startswith("kind"))
    lines[index] = 'kind = "essay"'
    mine.write_text("\n".join(lines), encoding="utf-8")
    code, out = invoke("templates", "check", str(mine))
    assert code == 1 and f"line {index + 1}" in out and "'kind' must be one of" in out


def test_init_import_list(config: Path, roster_csv: Path) -> None:
    code, out = invoke("init", "--config", str(config))
    assert code == 0 and "Database ready" in out
    code, out = invoke("partners", "import", str(roster_csv), "--config", str(config))
    assert code == 0 and "40 partners added" in out
    code, out = invoke("partners", "import", str(roster_csv), "--config", str(config))
    assert "0 partners added, 40 updated" in out
    code, out = invoke("partners", "list", "--format", "csv", "--config", str(config))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 40
    assert list(rows[0]) == ["id", "name", "organisation", "sector", "partnership", "role",
                             "status", "invite_link"]
    assert all(r["invite_link"].startswith("https://t.me/pp_test_bot?start=") for r in rows)
    assert all(r["status"] == "invited" for r in rows)


def test_a_bad_roster_imports_nothing_unless_told(config: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,organisation,sector,partnership,role\n"
                   "Asha,Council,Council,Board,Chair\nBen,,Police,Board,Member\n")
    code, out = invoke("partners", "import", str(bad), "--config", str(config))
    assert code == 1 and "line 3: empty organisation" in out
    code, out = invoke("partners", "list", "--config", str(config))
    assert "(none)" in out
    code, out = invoke("partners", "import", str(bad), "--skip-bad-rows", "--config", str(config))
    assert code == 0 and "1 partner added" in out and "1 bad row skipped" in out


def test_coordinators(config: Path) -> None:
    assert "now a coordinator" in invoke("coordinators", "add", "42", "--config", str(config))[1]
    assert "already" in invoke("coordinators", "add", "42", "--config", str(config))[1]
    assert "42  all partnerships  (added with the CLI)" in invoke("coordinators", "list",
                                                                 "--config", str(config))[1]
    assert "removed" in invoke("coordinators", "remove", "42", "--config", str(config))[1]
    roster = config.parent / "roster.csv"
    roster.write_text("name,organisation,sector,partnership,role\n"
                      "Asha,Council,Council,Fareham Partnership,Chair\n"
                      "Dev,Action,Voluntary,Safety Board,Chair\n")
    assert invoke("partners", "import", str(roster), "--config", str(config))[0] == 0
    code, out = invoke("coordinators", "add", "43", "--partnership", "fareham partnership",
                       "--config", str(config))
    assert code == 0 and "of Fareham Partnership" in out
    assert "43  Fareham Partnership  (added with the CLI)" in invoke(
        "coordinators", "list", "--config", str(config))[1]
    code, out = invoke("coordinators", "add", "44", "--partnership", "Nowhere",
                       "--config", str(config))
    assert code == 1 and "No partnership called 'Nowhere'" in out
    code, out = invoke("coordinators", "add", "--config", str(config), "--", "-100123")
    assert code == 1 and "positive number" in out


def test_digest_preview_shows_each_coordinator_their_partnerships(config: Path) -> None:
    config.write_text(config.read_text(encoding="utf-8") + '[coordinators]\n'
                      'telegram_ids = [42]\npartnerships = { "44" = ["Safety Board"] }\n',
                      encoding="utf-8")
    roster = config.parent / "roster.csv"
    roster.write_text("name,organisation,sector,partnership,role\n"
                      "Asha,Council,Council,Fareham Partnership,Chair\n"
                      "Dev,Action,Voluntary,Safety Board,Chair\n")
    assert invoke("partners", "import", str(roster), "--config", str(config))[0] == 0
    assert invoke("coordinators", "add", "43", "--partnership", "Fareham Partnership",
                  "--config", str(config))[0] == 0
    for title, audience in (("Fareham review", "partnership:Fareham Partnership"),
                            ("Board review", "partnership:Safety Board"),
                            ("County survey", "")):
        code, out = invoke("rounds", "create", "--template", "rag-feedback", "--deadline",
                           "2099-12-18", "--title", title, "--audience", audience,
                           "--config", str(config))
        assert code == 0, out
    code, out = invoke("digest", "--preview", "--config", str(config))
    assert code == 0
    shown = {int(part.split(" ──")[0]): part for part in out.split("── to ")[1:]}
    assert set(shown) == {42, 43, 44}
    assert all(t in shown[42] for t in ("Fareham review", "Board review", "County survey"))
    assert "Fareham review" in shown[43]
    assert "Board review" not in shown[43] and "County survey" not in shown[43]
    assert "Board review" in shown[44]
    assert "Fareham review" not in shown[44] and "County survey" not in shown[44]


def test_bad_config_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[database]\npth = 'x'\n")
    code, out = invoke("init", "--config", str(path))
    assert code == 1 and "unknown key [database] pth" in out


def test_every_command_has_help_text() -> None:
    def walk(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
        found = []
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None, name
            found.append((prefix + name, command))
            if isinstance(command, click.Group):
                found.extend(walk(command, prefix + name + " "))
        return found

    commands = walk(cli)
    assert {"demo", "run", "rounds", "report", "export", "themes", "digest"} <= {
        name for name, _ in commands}
    for name, command in commands:
        assert getattr(command, "help", None), f"`partnerpulse {name}` has no help"
        params = [p.name for p in getattr(command, "params", [])]
        if not hasattr(command, "commands"):
            assert "config_path" in params, f"`partnerpulse {name}` takes no --config"
