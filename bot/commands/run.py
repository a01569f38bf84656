"""`partnerpulse run`: the bot, long polling the configured Bot API server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import click
from telegram.error import InvalidToken, NetworkError

from bot.app import build_application, shutdown, startup
from bot.commands.common import config_option, get_config
from bot.config import Config
from bot.wiring import bot_lock, build_services
from surveys.errors import PartnerPulseError, store_errors

log = logging.getLogger(__name__)


@click.command()
@config_option
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
              default="INFO", show_default=True)
def run(config_path: str | None, log_level: str) -> None:
    """Run the bot (long polling) until interrupted."""
    config = get_config(config_path)
    if not config.telegram.token:
        raise click.ClickException(
            "No bot token: set [telegram] token in the config file or the PARTNERPULSE_TOKEN "
            "environment variable. (To try PartnerPulse without one, run `make demo`.)")
    logging.basicConfig(level=log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request at INFO; that is noise for an operator.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        with store_errors():  # the database's own errors, in words
            asyncio.run(serve(config))
    except InvalidToken as exc:
        raise click.ClickException(f"Telegram rejected the bot token ({exc}).") from exc
    except NetworkError as exc:
        raise click.ClickException(
            f"Cannot reach the Bot API at {config.telegram.base_url} ({exc}).") from exc
    except PartnerPulseError as exc:  # another bot on this database, say
        raise click.ClickException(str(exc)) from exc


async def serve(config: Config, stop: asyncio.Event | None = None) -> None:
    """Poll until SIGINT or SIGTERM (or `stop` is set), then shut down cleanly.

    The database is locked for as long as this runs: a second bot on it is refused."""
    lock = bot_lock(config)
    lock.acquire()
    try:
        await _serve(config, stop)
    finally:
        lock.release()


async def _serve(config: Config, stop: asyncio.Event | None) -> None:
    svc = await build_services(config)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    app = build_application(svc)
    try:
        await app.initialize()
        await startup(app, own_process=True)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            allowed_updates=["message", "edited_message", "callback_query"])
        await stop.wait()
        log.info("stopping")
    finally:
        await shutdown(app)
        await svc.db.close()
