"""`partnerpulse rounds`: create, list, watch, nudge and close question rounds."""

from __future__ import annotations

from datetime import datetime

import click

from bot.commands.common import config_option, echo_table, get_config, run
from bot.wiring import services
from surveys.errors import InvalidAnswer
from surveys.rounds import Audience
from surveys.screens import when
from surveys.status_text import status_lines
from surveys.templates import resolve_template


@click.group()
def rounds() -> None:
    """Question rounds: create one for an audience, watch it fill up, close it."""


@rounds.command("create")
@click.option("--template", required=True, help="A built-in template id or a .toml file.")
@click.option("--deadline", required=True, help="The last day for answers: 2026-12-18, "
              "18/12/2026 or 18 Dec.")
@click.option("--audience", default="", help="partnership:NAME,role:NAME,sector:NAME "
              "(any mix; none means everyone).")
@click.option("--anonymity", type=click.Choice(["named", "confidential", "anonymous"]),
              default="confidential", show_default=True)
@click.option("--opens-at", default=None, help="When invitations go out (ISO time); now if "
              "not given.")
@click.option("--title", default=None, help="A title for the round (default: the template's).")
@click.option("--compare-with", "compare_with", type=int, default=None,
              help="The earlier round its report is compared with (default: the latest closed "
              "round of the same template with an overlapping audience).")
@config_option
@run
async def create(template: str, deadline: str, audience: str, anonymity: str,
                 opens_at: str | None, title: str | None, compare_with: int | None,
                 config_path: str | None) -> None:
    """Create a round; prints its id. Invitations go out through the running bot."""
    config = get_config(config_path)
    questionnaire = resolve_template(template)
    async with services(config) as svc:
        if compare_with is not None:
            await svc.cycle.checked(compare_with, questionnaire.id)
        opens = None
        if opens_at:
            try:
                opens = datetime.fromisoformat(opens_at)
            except ValueError:
                raise InvalidAnswer(f"--opens-at {opens_at!r} is not an ISO time such as "
                                    "2026-12-01T09:00") from None
            if opens.tzinfo is None:
                opens = opens.replace(tzinfo=config.zone)
        round_id = await svc.rounds.create(
            questionnaire, deadline=svc.rounds.deadline_from(deadline),
            audience=Audience.parse(audience), anonymity=anonymity, opens_at=opens, title=title)
        last = await svc.cycle.link(round_id, compare_with)
    click.echo(round_id)
    if last is not None:
        click.echo(f"Its report will be compared with round {last.id} ({last.title}).", err=True)


@rounds.command("list")
@config_option
@run
async def list_rounds(config_path: str | None) -> None:
    """List rounds, newest first, with their response rates."""
    config = get_config(config_path)
    async with services(config) as svc:
        rows = [{"id": t.round.id, "title": t.round.title, "state": t.round.state,
                 "anonymity": t.round.anonymity, "deadline": when(t.round.deadline, config.zone),
                 "submitted": f"{t.submitted}/{t.invited}", "rate": f"{t.rate:.0%}"}
                for t in await svc.rounds.overview()]
    echo_table(rows, ["id", "title", "state", "anonymity", "deadline", "submitted", "rate"])


@rounds.command("status")
@click.argument("round_id", type=int)
@config_option
@run
async def status(round_id: int, config_path: str | None) -> None:
    """Show who has been reached, started and submitted, by group."""
    config = get_config(config_path)
    async with services(config) as svc:
        figures = await svc.rounds.status(round_id)
    click.echo("\n".join(status_lines(figures, config.zone)))


@rounds.command("remind")
@click.argument("round_id", type=int)
@config_option
@run
async def remind(round_id: int, config_path: str | None) -> None:
    """Send a reminder now to everyone who has not submitted (within the policy's limits)."""
    config = get_config(config_path)
    async with services(config) as svc:
        result = await svc.reminders.remind(round_id)
        click.echo(result.summary(config.zone, svc.clock.now()))


@rounds.command("close")
@click.argument("round_id", type=int)
@config_option
@run
async def close(round_id: int, config_path: str | None) -> None:
    """Close a round now: no more answers; thanks and a summary go out."""
    config = get_config(config_path)
    async with services(config) as svc:
        closed = await svc.rounds.close(round_id)
    click.echo(f"Round {round_id} {'closed' if closed else 'was already closed'}.")
