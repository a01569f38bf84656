"""The test phone waits for the bot to finish a step, however slow the machine."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.apiserver import BotApiServer
from tests.bot.conftest import StartPolling
from tests.bot.phone import Phone


async def test_a_step_that_pauses_between_two_sends_is_waited_for(
        telegram_server: BotApiServer, ptb_builder: ApplicationBuilder,
        start_polling: StartPolling) -> None:
    """A handler that works on the database between its two messages (here: waits on a gate
    the test holds) is still handling its update, so the phone does not take the first
    message as the answer: on a loaded machine that pause outlasts the phone's quiet spell,
    and "Create" was read as the step's reply before "Invitations are going out" came."""
    gate = asyncio.Event()

    async def two_sends(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "Working on it")
        await gate.wait()
        await context.bot.send_message(update.effective_chat.id, "Done")

    app = ptb_builder.build()
    app.add_handler(MessageHandler(filters.TEXT, two_sends))
    await start_polling(app)
    phone = Phone(telegram_server, telegram_server.user(1001, "Asha"))
    step = asyncio.create_task(phone.say("go"))
    await telegram_server.wait_for(phone.chat, lambda e: e.text == "Working on it")
    await asyncio.sleep(1.0)     # ten quiet spells: the phone must still be waiting
    assert not step.done()
    gate.set()
    assert (await step).text == "Done"
