"""`partnerpulse backup --out FILE`: a consistent copy of the database, bot running or not."""

from __future__ import annotations

from pathlib import Path

import click

from bot.commands.common import config_option, get_config, run
from bot.wiring import back_up_database


@click.command()
@config_option
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write (replaced only once the copy is complete and checked).")
@run
async def backup(config_path: str | None, out: Path) -> None:
    """Back up the database with SQLite's online backup (safe while the bot runs)."""
    config = get_config(config_path)
    size = await back_up_database(config, out)
    click.echo(f"Backed up {config.database.path} to {out} ({size:,} bytes). It holds "
               "partners' names and answers: keep it as safe as the database.")
