"""`partnerpulse actions add --from-suggestion AREA:LETTER`: an action agreed from a
suggestion the report letters records the answers it came from, as /actions does, and a
reference that matches nothing is refused naming what is wrong."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from storage.actions import ActionRepository
from storage.db import Database
from storage.responses import ResponseRepository
from surveys.clock import ManualClock
from tests.surveys.test_report_fixtures import make_round

# Three partners make one proposal in their own words; two make others; one suggests nothing.
SUGGESTED = [
    "Refresh the community strategy every three years.",
    "Refresh the strategy every three years so it stays current.",
    "Refresh the community strategy every three years with partners.",
    "Not sure - happy with it as it is",
    "Publish the evidence base online so everyone's working from the same figures.",
    "A single shared dashboard 📊",
]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "pp.db"}"\n', encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _round(config: Path) -> str:
    async def build() -> int:
        async with Database(config.parent / "pp.db") as db:
            return await make_round(db, ManualClock(), "working-better-together", "named", [
                {"long-term-goals-1": "Well", "long-term-goals-actions": t} for t in SUGGESTED])

    return str(asyncio.run(build()))


def _stored(config: Path, action_id: int) -> tuple[str, str | None, list[str]]:
    """An action's text, its suggestion, and the answers it came from, read from the file."""
    async def read() -> tuple[str, str | None, list[str]]:
        async with Database(config.parent / "pp.db") as db:
            action = await ActionRepository(db).get(action_id)
            responses = ResponseRepository(db)
            said = [str((await responses.answers(r))["long-term-goals-actions"].value)
                    for r in action.sources]
            return action.text, action.source_theme, sorted(said)

    return asyncio.run(read())


def test_an_action_agreed_from_a_lettered_suggestion_keeps_its_answers(config: Path) -> None:
    c = ("--config", str(config))
    rid = _round(config)
    owner = ("--owner", "Philippa Oyelaran", "--due", "2099-03-31")
    # Until the round closes, its suggestions (and their letters) can still change.
    code, out, err = invoke("actions", "add", rid, "--from-suggestion", "1:a", *owner, *c)
    assert code == 1 and f"Round {rid} is still open" in err
    assert invoke("rounds", "close", rid, *c)[0] == 0

    # a) as the report letters it: the three answers that made it, in its own wording.
    code, out, err = invoke("actions", "add", rid, "--from-suggestion", "1:a)", *owner, *c)
    assert code == 0 and out.strip().isdigit()
    assert ("Agreed from the suggestion “Refresh the community strategy every three years”, "
            "in 3 answers.") in err
    text, theme, said = _stored(config, int(out))
    assert text == theme == "Refresh the community strategy every three years"
    assert said == sorted(SUGGESTED[:3])

    # By the area's id and another letter, worded as the board agreed it.
    code, out, err = invoke("actions", "add", rid, "--from-suggestion",
                            "long-term-goals:C", "--text", "Put the evidence base online",
                            *owner, *c)
    assert code == 0
    text, theme, said = _stored(config, int(out))
    assert text == "Put the evidence base online"
    assert theme is not None and theme.startswith("Publish the evidence base online")
    assert said == [SUGGESTED[4]]
    listed = invoke("actions", "list", "--round", rid, *c)[1]
    assert listed.count("The LSP's long-term goals") == 2


@pytest.mark.parametrize(("reference", "extra", "says"), [
    ("1:d", (), "“The LSP's long-term goals” has 3 suggestions, a) to c): there is no d)."),
    ("9:a", (), "Area '9' is not one of this round's areas"),
    ("2:a", (), "has no suggested actions for “Leading the LSP"),
    ("a", (), "should be AREA:LETTER as the report prints it, e.g. 1:c"),
    ("1:", (), "should be AREA:LETTER"),
    ("1:aa", (), "should be AREA:LETTER"),
    ("1:a", ("--area", "3"), "is from “The LSP's long-term goals”, not from the area '3'"),
])
def test_a_suggestion_that_is_not_there_is_named(config: Path, reference: str,
                                                 extra: tuple[str, ...], says: str) -> None:
    c = ("--config", str(config))
    rid = _round(config)
    assert invoke("rounds", "close", rid, *c)[0] == 0
    code, _, err = invoke("actions", "add", rid, "--from-suggestion", reference, "--owner",
                            "Philippa Oyelaran", "--due", "2099-03-31", *extra, *c)
    assert code == 1 and says in err, err
    assert invoke("actions", "list", *c)[1].strip() == "(none)"   # nothing recorded


def test_add_needs_text_or_a_suggestion(config: Path) -> None:
    rid = _round(config)
    code, _, err = invoke("actions", "add", rid, "--owner", "Philippa Oyelaran", "--due",
                          "2099-03-31", "--config", str(config))
    assert code == 2 and "Give the action's --text, or --from-suggestion AREA:LETTER" in err
