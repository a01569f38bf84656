"""`partnerpulse demo`: the whole product offline, with no token and no network."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import click

from bot.demo.runner import Demo

ROOT = Path(__file__).resolve().parents[2]


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="demo-output",
              show_default=True, help="Where the reports (and the demo's database) go.")
@click.option("--roster", type=click.Path(dir_okay=False), default=None,
              help="Partner list to use (default: examples/partners.csv).")
@click.option("--seed", type=int, default=7, show_default=True,
              help="Seed for the simulated partners' choices.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Ignored: the demo makes its own configuration.")
def demo(out_dir: str, roster: str | None, seed: int, config_path: str | None) -> None:
    """Run the offline demo: a local Telegram server, simulated partners, real reports."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    roster_path = Path(roster) if roster else ROOT / "examples" / "partners.csv"
    if not roster_path.exists():
        raise click.ClickException(f"No partner list at {roster_path}.")
    click.echo("PartnerPulse demo: a local Telegram Bot API server, the real bot, and forty "
               "simulated partners. No token, no network.")
    result = asyncio.run(Demo(roster_path, Path(out_dir), click.echo, seed).run())
    click.echo("")
    for line in result.lines:
        click.echo(f"  {line}")
    for path in result.files:
        click.echo(f"  report: {path}")
    click.echo(f"Done in {result.seconds:.0f} s.")
