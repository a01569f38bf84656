"""The `partnerpulse` console script.

Each command's module is imported only when that command runs, so `partnerpulse run` does not
load pandas, matplotlib or the embedding model, and `--help` answers at once.
"""

from __future__ import annotations

import importlib

import click

from bot.commands.common import config_option, get_config, run
from bot.wiring import services

# name -> "module:attribute", in the order `--help` lists them.
COMMANDS = {
    "demo": "bot.commands.demo:demo",
    "templates": "bot.commands.templates:templates",
    "partners": "bot.commands.partners:partners",
    "coordinators": "bot.commands.partners:coordinators",
    "rounds": "bot.commands.rounds:rounds",
    "run": "bot.commands.run:run",
    "report": "bot.commands.reports:report",
    "export": "bot.commands.reports:export",
    "themes": "bot.commands.reports:themes",
    "digest": "bot.commands.digest:digest",
    "actions": "bot.commands.actions:actions",
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported when first used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command: the eager ones and the lazy ones."""
        return [*super().list_commands(ctx), *COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import a lazy command's module on demand."""
        if cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup)
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


def main() -> None:
    """Entry point of the console script."""
    cli()
