"""The `partnerpulse` console script."""

from __future__ import annotations

import click

from bot.commands.common import config_option, get_config, run
from bot.commands.demo import demo
from bot.commands.digest import digest
from bot.commands.partners import coordinators, partners
from bot.commands.reports import export, report, themes
from bot.commands.rounds import rounds
from bot.commands.run import run as run_command
from bot.commands.templates import templates
from bot.wiring import services


@click.group()
@click.version_option(package_name="partnerpulse")
def cli() -> None:
    """PartnerPulse: partnership reviews over Telegram."""


@cli.command()
@config_option
@run
async def init(config_path: str | None) -> None:
    """Create (or bring up to date) the database."""
    config = get_config(config_path)
    async with services(config):
        pass
    click.echo(f"Database ready: {config.database.path}")


cli.add_command(templates)
cli.add_command(demo)
cli.add_command(partners)
cli.add_command(coordinators)
cli.add_command(report)
cli.add_command(export)
cli.add_command(themes)
cli.add_command(rounds)
cli.add_command(run_command)
cli.add_command(digest)


def main() -> None:
    """Entry point of the console script."""
    cli()
