"""`partnerpulse partners` and `coordinators`: the partner list and who runs rounds."""

from __future__ import annotations

import csv
import sys

import click

from bot.commands.common import config_option, echo_table, get_config, run
from bot.wiring import Services, services
from surveys.invites import invite_link
from surveys.plural import count
from surveys.roster import read_roster


@click.group()
def partners() -> None:
    """The partner list: import it, list it with invite links."""


@partners.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--skip-bad-rows", is_flag=True, help="Import the good rows of a file with errors.")
@config_option
@run
async def import_partners(file: str, skip_bad_rows: bool, config_path: str | None) -> None:
    """Import partners from a CSV: name,organisation,sector,partnership,role[,telegram_username]."""
    rows, problems = read_roster(file, skip_bad_rows=skip_bad_rows)
    for line, message in problems:
        click.echo(f"{file}, line {line}: skipped: {message}", err=True)
    async with services(get_config(config_path)) as svc:
        added, updated = await svc.partners.import_rows(rows, svc.clock.now())
    click.echo(f"Imported {count(len(rows), 'row')}: {count(added, 'partner')} added, "
               f"{updated} updated"
               + (f", {count(len(problems), 'bad row')} skipped." if problems else "."))


@partners.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
              show_default=True)
@config_option
@run
async def list_partners(fmt: str, config_path: str | None) -> None:
    """List partners; each partner not yet joined gets a fresh invite link."""
    async with services(get_config(config_path)) as svc:
        username = await bot_username(svc)
        rows = []
        everyone = await svc.partners.all()
        tokens = await svc.invitations.issue_many([p.id for p in everyone if not p.joined])
        for p in everyone:
            link = invite_link(username, tokens[p.id]) if p.id in tokens else ""
            status = "joined" if p.joined else "invited"
            if p.joined and not p.reachable:
                status = "unreachable"
            rows.append({"id": p.id, "name": p.name, "organisation": p.organisation,
                         "sector": p.sector, "partnership": "; ".join(p.partnerships),
                         "role": "; ".join(p.roles), "status": status, "invite_link": link})
    columns = ["id", "name", "organisation", "sector", "partnership", "role", "status",
               "invite_link"]
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        echo_table(rows, columns)


async def bot_username(svc: Services) -> str:
    """The bot's username for invite links: from the config, else asked of Telegram."""
    if svc.config.telegram.bot_username:
        return svc.config.telegram.bot_username
    if svc.config.telegram.token:
        from telegram import Bot  # the bot layer; imported only when the config has no username

        bot = Bot(svc.config.telegram.token, base_url=svc.config.telegram.base_url)
        async with bot:
            return bot.username
    click.echo("warning: set [telegram] bot_username (or a token) for working invite links",
               err=True)
    return "YOUR_BOT"


@click.group()
def coordinators() -> None:
    """Coordinators: Telegram users who may run rounds (besides the config's list)."""


@coordinators.command("add")
@click.argument("telegram_id", type=int)
@click.option("--partnership", "partnerships", multiple=True, metavar="NAME",
              help="Limit them to rounds for this partnership (repeat for more); "
                   "without it they coordinate every round.")
@config_option
@run
async def add_coordinator(telegram_id: int, partnerships: tuple[str, ...],
                          config_path: str | None) -> None:
    """Let a Telegram user run rounds (all, or only their partnerships' rounds)."""
    async with services(get_config(config_path)) as svc:
        added = await svc.coordinators.add(telegram_id, partnerships)
        who = await svc.coordinators.get(telegram_id)
    scope = who.describe() if who is not None else "all partnerships"
    click.echo(f"{telegram_id} is {'now' if added else 'already'} a coordinator, of {scope}.")


@coordinators.command("remove")
@click.argument("telegram_id", type=int)
@config_option
@run
async def remove_coordinator(telegram_id: int, config_path: str | None) -> None:
    """Stop a Telegram user running rounds (the config file's list is not changed)."""
    async with services(get_config(config_path)) as svc:
        removed = await svc.coordinators.remove(telegram_id)
        in_config = (telegram_id in svc.config.coordinators.telegram_ids
                     or str(telegram_id) in svc.config.coordinators.partnerships)
    click.echo(f"{telegram_id} {'removed' if removed else 'was not added with the CLI'}."
               + (" It is still listed in the config file." if in_config else ""))


@coordinators.command("list")
@config_option
@run
async def list_coordinators(config_path: str | None) -> None:
    """List coordinators, from the config file and the database, with what they coordinate."""
    async with services(get_config(config_path)) as svc:
        everyone = await svc.coordinators.all()
    if not everyone:
        click.echo("(none)")
    for who in everyone:
        where = "config file" if who.source == "config" else "added with the CLI"
        click.echo(f"{who.telegram_user_id}  {who.describe()}  ({where})")
