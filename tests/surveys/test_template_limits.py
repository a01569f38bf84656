"""`templates check` refuses what Telegram cannot show: a question too long for one message,
or more answer buttons than a message may carry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from surveys.errors import TemplateError
from surveys.templates import parse_template
from surveys.templates.loader import MAX_ANSWER_BUTTONS, MAX_PROMPT_CHARS

HEAD = 'id = "t"\ntitle = "Limits"\n\n[[sections]]\nid = "s"\ntitle = "Section"\n'


def question(**fields: object) -> str:
    lines = "\n".join(f"{k} = {json.dumps(v)}" for k, v in fields.items())
    return HEAD + f"\n[[sections.questions]]\nid = \"q\"\n{lines}\n"


def test_a_prompt_longer_than_one_message_is_refused() -> None:
    parse_template(question(kind="text", prompt="x" * MAX_PROMPT_CHARS))
    with pytest.raises(TemplateError, match="4,096 characters") as caught:
        parse_template(question(kind="text", prompt="x" * 4_100), source="mine.toml")
    assert "mine.toml" in str(caught.value) and "4,100 characters" in str(caught.value)
    with pytest.raises(TemplateError, match="with its help"):
        parse_template(question(kind="yesno", prompt="Fine?", help="h" * MAX_PROMPT_CHARS))


@pytest.mark.parametrize("kind", ["choice", "multi"])
def test_more_answer_buttons_than_a_message_carries_are_refused(kind: str) -> None:
    parse_template(question(kind=kind, prompt="Which?",
                            options=[f"o{i}" for i in range(MAX_ANSWER_BUTTONS)]))
    with pytest.raises(TemplateError, match="at most 100 buttons"):
        parse_template(question(kind=kind, prompt="Which?",
                                options=[f"o{i}" for i in range(200)]))


def test_a_scale_with_too_many_points_is_refused() -> None:
    with pytest.raises(TemplateError, match="101 answer buttons"):
        parse_template(question(kind="scale", prompt="How?",
                                points=[f"p{i}" for i in range(100)], dont_know=True))


def test_templates_check_says_so(tmp_path: Path) -> None:
    path = tmp_path / "long.toml"
    path.write_text(question(kind="text", prompt="x" * 5_000), encoding="utf-8")
    result = CliRunner().invoke(cli, ["templates", "check", str(path)])
    assert result.exit_code == 1 and "5,000 characters" in result.output
    assert "Traceback" not in result.output
