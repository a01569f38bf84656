"""`partnerpulse rounds`: a coordinator runs a round from the command line."""

from __future__ import annotations

from pathlib import Path

from tests.bot.conftest import invoke


def test_create_list_status_remind_close(cli_config: Path) -> None:
    c = ("--config", str(cli_config))
    code, out = invoke("rounds", "create", "--template", "framework-review", "--deadline",
                       "2099-12-04", "--audience", "partnership:Fareham Community Partnership",
                       "--anonymity", "named", *c)
    assert code == 0 and out.strip().isdigit()
    rid = out.strip()
    code, out = invoke("rounds", "list", *c)
    assert "LSP Framework Review" in out and "0/13" in out and "open" in out
    code, out = invoke("rounds", "status", rid, *c)
    assert "Invited 13" in out and "not joined 13" in out
    assert "Fareham Community Partnership: 0 of 13 (0%)" in out
    assert "By organisation:" in out  # named rounds may show organisations
    code, out = invoke("rounds", "remind", rid, *c)
    assert "0 reminders queued" in out and "13 not reachable" in out
    code, out = invoke("rounds", "close", rid, *c)
    assert "closed" in out
    code, out = invoke("rounds", "close", rid, *c)
    assert "already closed" in out
    code, out = invoke("rounds", "remind", rid, *c)
    assert code == 1 and "not open" in out


def test_confidential_status_hides_small_groups(cli_config: Path) -> None:
    c = ("--config", str(cli_config))
    rid = invoke("rounds", "create", "--template", "swot", "--deadline", "2099-01-31", *c)[1]
    _, out = invoke("rounds", "status", rid.strip(), *c)
    assert "By organisation" not in out
    assert "Other (groups under 3)" in out  # e.g. the one Education partner


def test_bad_input_is_explained(cli_config: Path, tmp_path: Path) -> None:
    c = ("--config", str(cli_config))
    code, out = invoke("rounds", "create", "--template", "nope", "--deadline", "2099-01-01", *c)
    assert code == 1 and "No template 'nope'" in out
    code, out = invoke("rounds", "create", "--template", "swot", "--deadline", "soon", *c)
    assert code == 1 and "should be a date like" in out
    code, out = invoke("rounds", "create", "--template", "swot", "--deadline", "2001-01-01", *c)
    assert code == 1 and "deadline must be after" in out
    code, out = invoke("rounds", "create", "--template", "swot", "--deadline", "2099-01-01",
                       "--audience", "team:Blue", *c)
    assert code == 1 and "should look like partnership:NAME" in out
    code, out = invoke("rounds", "create", "--template", "swot", "--deadline", "2099-01-01",
                       "--audience", "sector:Astronauts", *c)
    assert code == 1 and "No partner matches" in out
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "x"\ntitle = "X"\n[[sections]]\nid = "a"\n')
    code, out = invoke("rounds", "create", "--template", str(broken), "--deadline",
                       "2099-01-01", *c)
    assert code == 1 and "broken.toml" in out
    code, out = invoke("rounds", "status", "999", *c)
    assert code == 1 and "No round 999" in out
