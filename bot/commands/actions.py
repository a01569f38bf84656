"""`partnerpulse actions`: the actions a board agreed after a round, their owners and progress."""

from __future__ import annotations

import csv
import sys

import click

from bot.commands.common import config_option, echo_table, get_config, run
from bot.wiring import Services, services
from surveys.action_import import read_actions
from surveys.actions import STATUS_LABELS, Action, area_title, is_overdue, owner_label
from surveys.errors import RosterError
from surveys.plural import count
from surveys.screens import shorten
from surveys.templates import questionnaire_from_dict

COLUMNS = ["id", "round", "area", "action", "owner", "due", "status", "last note"]
TABLE_TEXT = 60


@click.group()
def actions() -> None:
    """Agreed actions: record them against a round, follow them up, list them."""


@actions.command("add")
@click.argument("round_id", type=int)
@click.option("--text", default=None, help="What was agreed (with --from-suggestion, "
              "defaults to the suggestion's wording).")
@click.option("--owner", required=True, help="The partner who owns it: an id, a name, or "
              "\"Name (Organisation)\".")
@click.option("--due", required=True, help="The due date, YYYY-MM-DD.")
@click.option("--area", default=None, help="The area (its id, title or number) or question "
              "id it answers.")
@click.option("--organisation", default=None, help="Owned by this organisation, with the "
              "partner as its named contact.")
@click.option("--from-suggestion", "suggestion", default=None, metavar="AREA:LETTER",
              help="Agreed from this suggested action of a closed round, as the report "
              "letters it (e.g. 1:c, or long-term-goals:c): records the answers it came from.")
@config_option
@run
async def add(round_id: int, text: str | None, owner: str, due: str, area: str | None,
              organisation: str | None, suggestion: str | None,
              config_path: str | None) -> None:
    """Record an action agreed from a round; prints its id. Its owner gets it in the chat."""
    if text is None and suggestion is None:
        raise click.UsageError("Give the action's --text, or --from-suggestion AREA:LETTER.")
    async with services(get_config(config_path)) as svc:
        if suggestion is None:
            assert text is not None
            action = await svc.actions.add(round_id, text=text, owner=owner, due=due,
                                           area=area, organisation=organisation)
        else:
            action = await svc.action_desk.add_from_suggestion(
                round_id, suggestion, text=text, owner=owner, due=due, area=area,
                organisation=organisation)
    click.echo(action.id)
    if suggestion is not None:   # which suggestion the letter named, to check at a glance
        click.echo(f"Agreed from the suggestion “{action.source_theme}”, in "
                   f"{count(len(action.sources), 'answer')}.", err=True)


@actions.command("list")
@click.option("--round", "round_id", type=int, default=None, help="Only this round's actions.")
@click.option("--owner", default=None, help="Only this partner's actions (id or name).")
@click.option("--status", default=None, help="Only actions with this status (agreed, "
              "in progress, done, dropped, stuck).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
              show_default=True)
@config_option
@run
async def list_actions(round_id: int | None, owner: str | None, status: str | None, fmt: str,
                       config_path: str | None) -> None:
    """List agreed actions with their owner, due date, status and latest note."""
    async with services(get_config(config_path)) as svc:
        found = await svc.actions.find(round_id=round_id, owner=owner, status=status)
        rows = [await _row(svc, a, full=fmt == "csv") for a in found]
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        echo_table(rows, COLUMNS)


async def _row(svc: Services, a: Action, *, full: bool) -> dict[str, object]:
    rnd = await svc.rounds.round(a.round_id)
    status = STATUS_LABELS[a.status]
    if is_overdue(a, svc.actions.today()):
        status += " (overdue)"
    notes = [n.note for n in a.notes if n.note]
    # cut at a word, as the digest and /actions do: "national indicator da…" reads as a typo
    text = a.text if full else shorten(a.text, TABLE_TEXT - 1)
    return {"id": a.id, "round": a.round_id,
            "area": area_title(questionnaire_from_dict(rnd.questionnaire), a.area),
            "action": text, "owner": owner_label(a), "due": a.due_on.isoformat(),
            "status": status, "last note": notes[-1] if notes else ""}


@actions.command("update")
@click.argument("action_id", type=int)
@click.option("--status", default=None, help="agreed, in progress, done, dropped or stuck.")
@click.option("--note", default=None, help="A dated note for the action's history.")
@config_option
@run
async def update(action_id: int, status: str | None, note: str | None,
                 config_path: str | None) -> None:
    """Change an action's status and/or add a note to its history."""
    async with services(get_config(config_path)) as svc:
        action = await svc.actions.update(action_id, status=status, note=note, by_role="cli")
    click.echo(f"Action {action.id}: {STATUS_LABELS[action.status]}"
               + (f" — noted: {note.strip()}" if note and note.strip() else "") + ".")


@actions.command("import")
@click.argument("round_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--skip-bad-rows", is_flag=True, help="Import the good rows of a file with errors.")
@config_option
@run
async def import_actions(round_id: int, file: str, skip_bad_rows: bool,
                         config_path: str | None) -> None:
    """Import agreed actions from a CSV: text,owner,due[,area,organisation,status]."""
    rows, problems = read_actions(file)
    async with services(get_config(config_path)) as svc:
        stored, problems = await svc.actions.add_rows(round_id, rows, problems=problems,
                                                      skip_bad_rows=skip_bad_rows)
    if problems and not skip_bad_rows:
        raise RosterError(problems, file)
    for line, message in problems:
        click.echo(f"{file}, line {line}: skipped: {message}", err=True)
    click.echo(f"Imported {count(len(stored), 'action')} for round {round_id}"
               + (f"; {count(len(problems), 'bad row')} skipped." if problems else "."))
