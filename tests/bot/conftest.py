"""Fixtures for bot tests: a local Bot API server and a real PTB Application polling it.

``telegram_server``
    A started ``bot.apiserver.BotApiServer`` on 127.0.0.1 with one bot registered
    (``telegram_server.token``, username ``partnerpulse_bot``) and the global limit of 30
    sends a second. Drive partners with ``telegram_server.user(1001, "Asha")`` and read
    back with ``transcript``/``messages``/``wait_for``.

``ptb_builder``
    An ``ApplicationBuilder`` already pointed at the server (token, base_url, base_file_url);
    add handlers or options, then ``.build()``.

``start_polling``
    ``app = await start_polling(app)`` initializes and starts the Application and its
    updater (``poll_interval=0``, ``timeout=1``); it is stopped and shut down after the test.

Example::

    async def test_echo(telegram_server, ptb_builder, start_polling):
        app = ptb_builder.build()
        app.add_handler(MessageHandler(filters.TEXT, echo))
        await start_polling(app)
        asha = telegram_server.user(1001, "Asha")
        await asha.send_text("hello")
        assert (await asha.next_reply()).text == "hello"
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from telegram.ext import Application, ApplicationBuilder

from bot.apiserver import DEFAULT_TOKEN, BotApiServer
from bot.apiserver.partner import SimulatedPartner
from bot.app import build_application, shutdown, startup
from bot.cli import cli
from bot.config import (
    Config,
    CoordinatorsConfig,
    DatabaseConfig,
    ScheduleConfig,
    TelegramConfig,
    load_config,
)
from bot.context import PulseApp
from bot.wiring import Services, build_services
from storage.records import Partner, PartnerRow
from surveys.clock import Clock
from tests.bot.phone import watch

if TYPE_CHECKING:
    from tests.bot.desk import Desk

StartPolling = Callable[[Application], Awaitable[Application]]


@pytest.fixture
async def telegram_server() -> AsyncIterator[BotApiServer]:
    """A started local Bot API server with the bot ``DEFAULT_TOKEN`` registered."""
    server = BotApiServer(send_limit_per_second=30)
    server.add_bot(DEFAULT_TOKEN, username="partnerpulse_bot")
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def ptb_builder(telegram_server: BotApiServer) -> ApplicationBuilder:
    """An ApplicationBuilder whose bot talks to ``telegram_server``."""
    return (
        Application.builder()
        .token(telegram_server.token)
        .base_url(telegram_server.base_url)
        .base_file_url(telegram_server.base_file_url)
    )


@pytest.fixture
async def start_polling(telegram_server: BotApiServer) -> AsyncIterator[StartPolling]:
    """Start Applications polling the local server; stop and shut them down afterwards."""
    # Depending on telegram_server makes the apps stop before the server does.
    started: list[Application] = []

    async def start(app: Application) -> Application:
        await app.initialize()
        await app.start()
        assert app.updater is not None, "build the Application with an Updater"
        await app.updater.start_polling(poll_interval=0, timeout=1)
        watch(telegram_server, app)
        started.append(app)
        return app

    yield start
    for app in reversed(started):
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


@dataclass
class RunningBot:
    """The real PartnerPulse bot polling the local server, and the services behind it."""

    server: BotApiServer
    app: PulseApp
    svc: Services
    config: Config

    async def join(self, partner_name: str, user_id: int) -> SimulatedPartner:
        """A partner taps their invite link; returns the simulated partner, welcomed."""
        found = [p for p in await self.svc.partners.all() if p.name == partner_name]
        token = await self.svc.invitations.issue(found[0].id)
        user = self.server.user(user_id, partner_name.split()[0])
        await user.send_command("/start", token)
        await self.server.wait_for(user.chat_id, lambda e: "Welcome" in (e.text or ""))
        return user

    async def partner(self, name: str) -> Partner:
        """A partner record by name."""
        return next(p for p in await self.svc.partners.all() if p.name == name)

    async def restart(self) -> None:
        """The bot stops and starts again on the same database: new services, nothing kept
        in memory from before."""
        await shutdown(self.app)
        await self.svc.db.close()
        self.svc = await build_services(self.config)
        self.app = build_application(self.svc, sender_idle_poll=0.05)
        await self.app.initialize()
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(poll_interval=0, timeout=1)
        await startup(self.app)


ROSTER_ROWS = [
    PartnerRow("Asha Patel", "Fareham Borough Council", "Council", "Fareham Partnership", "Chair"),
    PartnerRow("Ben Okafor", "Hampshire Constabulary", "Police", "Fareham Partnership", "Member"),
    PartnerRow("Cara Jones", "NHS Hampshire", "NHS", "Fareham Partnership", "Member"),
    PartnerRow("Dev Shah", "Community Action", "Voluntary", "Safety Board", "Chair"),
]
COORDINATOR_ID = 9001


def bot_config(tmp_path: Path, server: BotApiServer) -> Config:
    """A configuration for the bot against the local server, with one coordinator."""
    return replace(
        load_config(None, environ={}),
        telegram=TelegramConfig(token=server.token, base_url=server.base_url,
                                base_file_url=server.base_file_url,
                                bot_username="partnerpulse_bot"),
        database=DatabaseConfig(path=str(tmp_path / "bot.db")),
        coordinators=CoordinatorsConfig(telegram_ids=[COORDINATOR_ID]),
        # Tests run on the system clock at any hour: no quiet hours to wait for.
        schedule=ScheduleConfig(quiet_hours=""))


@asynccontextmanager
async def bot_running(server: BotApiServer, config: Config, start_polling: StartPolling,
                      clock: Clock | None = None) -> AsyncIterator[RunningBot]:
    """PartnerPulse polling `server` with `config` (on `clock`, the system's if None), four
    partners imported (none joined); stopped, and its database closed, on leaving."""
    svc = await build_services(config, clock)
    await svc.partners.import_rows(ROSTER_ROWS, svc.clock.now())
    app = build_application(svc, sender_idle_poll=0.05)
    await start_polling(app)
    await startup(app)
    running = RunningBot(server, app, svc, config)
    try:
        yield running
    finally:
        await shutdown(running.app)
        await running.svc.db.close()   # the services of the last start (`restart`)
        await svc.db.close()


@pytest.fixture
async def running_bot(telegram_server: BotApiServer, tmp_path: Path,
                      start_polling: StartPolling) -> AsyncIterator[RunningBot]:
    """PartnerPulse polling the local server, with four partners imported (none joined)."""
    async with bot_running(telegram_server, bot_config(tmp_path, telegram_server),
                           start_polling) as running:
        yield running


@pytest.fixture
def desk(running_bot: RunningBot) -> Desk:
    """The /actions tests' set-up over the running bot (tests/bot/desk.py)."""
    from tests.bot.desk import Desk

    return Desk(running_bot)


def invoke(*args: str) -> tuple[int, str]:
    """Run `partnerpulse ARGS…` in-process: its exit code and output."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def cli_config(tmp_path: Path, roster_csv: Path) -> Path:
    """A configuration file for the command line, its database holding the example roster."""
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "pp.db"}"\n'
                    '[telegram]\nbot_username = "pp_test_bot"\n', encoding="utf-8")
    assert invoke("partners", "import", str(roster_csv), "--config", str(path))[0] == 0
    return path
