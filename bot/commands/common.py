"""What every command shares: the config option, running async code, errors at the edge."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

import click

from bot.config import Config, load_config
from surveys.errors import PartnerPulseError, store_errors

P = ParamSpec("P")
T = TypeVar("T")

config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    envvar="PARTNERPULSE_CONFIG", help="Configuration file (TOML); defaults apply without one.")


def get_config(config_path: str | None) -> Config:
    """Load the configuration, turning its errors into a clean CLI message."""
    try:
        return load_config(config_path)
    except PartnerPulseError as exc:
        raise click.ClickException(str(exc)) from exc


def run(coro_fn: Callable[P, Awaitable[T]]) -> Callable[P, T]:
    """Run an async command body, turning PartnerPulse errors into ClickException."""

    @functools.wraps(coro_fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        import asyncio  # here, not at the top: `partnerpulse --help` needs no event loop

        try:
            with store_errors():  # a repository the command called directly
                return asyncio.run(_await(coro_fn(*args, **kwargs)))
        except PartnerPulseError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


def echo_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    """Print rows as an aligned plain-text table."""
    if not rows:
        click.echo("(none)")
        return
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    for r in rows:
        click.echo("  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns).rstrip())
