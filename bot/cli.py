"""The `partnerpulse` console script.

Each command's module is imported only when that command runs, so `partnerpulse run` does not
load pandas, matplotlib or the embedding model, and `--help` imports no command at all: the
list it prints comes from the table below (tests/bot/test_cli.py keeps it true).
"""

from __future__ import annotations

import importlib

import click

from bot.commands.common import config_option, get_config, run

# name -> ("module:attribute", its one-line help), in the order `--help` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("bot.commands.demo:demo",
             "Run the offline demo: a local Telegram server, simulated partners, real reports."),
    "templates": ("bot.commands.templates:templates",
                  "Questionnaire templates: the built-ins, and files you edit."),
    "partners": ("bot.commands.partners:partners",
                 "The partner list: import it, list it with invite links."),
    "coordinators": ("bot.commands.partners:coordinators",
                     "Coordinators: Telegram users who may run rounds (besides the config's "
                     "list)."),
    "rounds": ("bot.commands.rounds:rounds",
               "Question rounds: create one for an audience, watch it fill up, close it."),
    "run": ("bot.commands.run:run", "Run the bot (long polling) until interrupted."),
    "backup": ("bot.commands.backup:backup",
               "Back up the database with SQLite's online backup (safe while the bot runs)."),
    "report": ("bot.commands.reports:report",
               "Write the themed report of a round (only submitted answers count)."),
    "export": ("bot.commands.reports:export",
               "Export raw answers, a row per respondent and question, as the round's "
               "anonymity allows."),
    "themes": ("bot.commands.reports:themes",
               "Themes of free text: `themes FILE.csv --text-column COL`, or a round's "
               "themes file."),
    "digest": ("bot.commands.digest:digest",
               "Show the weekly digest as each coordinator would get it now (sent by the "
               "running bot)."),
    "actions": ("bot.commands.actions:actions",
                "Agreed actions: record them against a round, follow them up, list them."),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported when first used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command: the eager ones and the lazy ones."""
        return [*super().list_commands(ctx), *COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import a lazy command's module on demand."""
        if cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name][0].split(":")
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, from the table for the lazy ones (importing none of them)."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in COMMANDS:  # shortened as click shortens a command's own help
                rows.append((name, click.Command(name, help=COMMANDS[name][1])
                             .get_short_help_str(limit)))
            elif (command := super().get_command(ctx, name)) is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(package_name="partnerpulse")
def cli() -> None:
    """PartnerPulse: partnership reviews over Telegram."""


@cli.command()
@config_option
@run
async def init(config_path: str | None) -> None:
    """Create (or bring up to date) the database."""
    from bot.wiring import services  # the whole stack: only when the command runs

    config = get_config(config_path)
    async with services(config):
        pass
    click.echo(f"Database ready: {config.database.path}")


def main() -> None:
    """Entry point of the console script."""
    cli()


if __name__ == "__main__":  # python -m bot.cli
    main()
