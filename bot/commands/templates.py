"""`partnerpulse templates`: list, show and check questionnaire templates."""

from __future__ import annotations

import json

import click

from bot.commands.common import config_option
from surveys.errors import PartnerPulseError
from surveys.flow import count_text, number_label, question_count
from surveys.model import Kind, Questionnaire
from surveys.plural import count
from surveys.templates import (
    builtin_ids,
    builtin_source,
    builtin_template,
    load_template,
    questionnaire_to_dict,
    resolve_template,
)


@click.group()
def templates() -> None:
    """Questionnaire templates: the built-ins, and files you edit."""


@templates.command("list")
@config_option
def list_templates(config_path: str | None) -> None:
    """List the built-in templates."""
    for template_id in builtin_ids():
        q = builtin_template(template_id)
        extra = len(q.questions) - question_count(q)
        click.echo(f"{template_id:26} {question_count(q):3} questions"
                   f"{f' (+{extra} follow-up)' if extra else '':16} ~{q.estimated_minutes:3} min"
                   f"  {q.title}")


@templates.command("show")
@click.argument("template")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "toml"]), default="text",
              show_default=True, help="text to read, json for programs, toml to copy and edit.")
@config_option
def show(template: str, fmt: str, config_path: str | None) -> None:
    """Print a template (a built-in id or a .toml file)."""
    try:
        if fmt == "toml":
            if template in builtin_ids():
                click.echo(builtin_source(template), nl=False)
            else:
                with open(template, encoding="utf-8") as f:
                    click.echo(f.read(), nl=False)
            return
        q = resolve_template(template)
    except (PartnerPulseError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(questionnaire_to_dict(q), indent=2, ensure_ascii=False))
    else:
        click.echo(describe(q))


@templates.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@config_option
def check(file: str, config_path: str | None) -> None:
    """Check a template file; prints the problem with its line, or a summary."""
    try:
        q = load_template(file)
    except PartnerPulseError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{file}: OK: {q.id}, {count(len(q.sections), 'section')}, "
               f"{count_text(q)}")


def describe(q: Questionnaire) -> str:
    """A readable outline of a questionnaire."""
    lines = [q.title, "=" * len(q.title), q.introduction,
             f"About {q.estimated_minutes} minutes; {count_text(q)}.", ""]
    for i, section in enumerate(q.sections, start=1):
        lines.append(f"Area {i}: {section.title}")
        for question in section.questions:
            extra = ""
            if question.kind.uses_buttons:
                extra = " [" + " / ".join(question.choices) + "]"
            elif question.kind is Kind.NUMBER:
                extra = " [number]"
            flags = []
            if question.optional:
                flags.append("optional")
            if question.comment != "none":
                flags.append(f"comment {question.comment}")
            if question.show_if:
                flags.append(f"if {question.show_if.question} is "
                             + " or ".join(question.show_if.values))
            flag_text = f" ({', '.join(flags)})" if flags else ""
            lines.append(f"  {number_label(q, question):>3}. {question.prompt}{extra}{flag_text}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
