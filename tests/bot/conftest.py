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

import pytest
from telegram.ext import Application, ApplicationBuilder

from bot.apiserver import DEFAULT_TOKEN, BotApiServer

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
        started.append(app)
        return app

    yield start
    for app in reversed(started):
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
