"""`partnerpulse digest`: the weekly digest, previewed without sending."""

from __future__ import annotations

import click

from bot.commands.common import config_option, get_config, run
from bot.wiring import services


@click.command()
@click.option("--preview", is_flag=True, required=True,
              help="Print what each coordinator would get now; nothing is sent or recorded.")
@config_option
@run
async def digest(preview: bool, config_path: str | None) -> None:
    """Show the weekly digest as each coordinator would get it now (sent by the running bot)."""
    config = get_config(config_path)
    async with services(config) as svc:
        assert svc.scheduler is not None
        digests = await svc.scheduler.digests.preview(svc.clock.now())
    if not digests:
        click.echo("No coordinators: add one in [coordinators] or with "
                   "`partnerpulse coordinators add`.")
    for d in digests:
        click.echo(f"── to {d.recipient} ──")
        click.echo(d.text)
        for row in d.buttons:
            click.echo("  " + "  ".join(f"[{b['label']}]" for b in row))
        click.echo("")
