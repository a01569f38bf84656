"""The one error handler: the traceback goes to the log, the person gets words for their role."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable, Callable

import pytest

from bot.handlers import errors
from tests.bot.conftest import COORDINATOR_ID, RunningBot
from tests.bot.phone import Phone


def failing(what: str) -> Callable[..., Awaitable[object]]:
    """A service call that fails the way a busy database does."""
    async def fail(*args: object, **kwargs: object) -> object:
        raise sqlite3.OperationalError(f"database is locked ({what})")
    return fail


async def test_a_partner_hears_their_answers_are_saved(running_bot: RunningBot,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    bot = running_bot
    asha = Phone(bot.server, await bot.join("Asha Patel", 501))
    monkeypatch.setattr(bot.svc.answering, "my_rounds", failing("my_rounds"))
    with caplog.at_level(logging.ERROR, logger="bot.handlers.errors"):
        await asha.user.send_command("/surveys")
        reply = await asha.reply("went wrong")
    assert reply.text == errors.TO_PARTNER
    assert "saved" in reply.text and "OperationalError" not in reply.text
    [record] = [r for r in caplog.records if r.name == "bot.handlers.errors"]
    assert record.exc_info is not None and record.exc_info[0] is sqlite3.OperationalError


async def test_a_coordinator_hears_what_failed_and_that_nothing_was_lost(
        running_bot: RunningBot, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    bot = running_bot
    cora = Phone(bot.server, bot.server.user(COORDINATOR_ID, "Cora"))
    monkeypatch.setattr(bot.svc.rounds, "status", failing("status"))
    with caplog.at_level(logging.ERROR, logger="bot.handlers.errors"):
        await cora.user.send_command("/status", "1")
        reply = await cora.reply("failed")
    assert reply.text.startswith("Sorry, /status failed")
    assert "OperationalError" in reply.text and "Nothing was lost" in reply.text
    assert "answers so far are saved" not in reply.text   # not the partner's words
    assert any(r.exc_info is not None for r in caplog.records
               if r.name == "bot.handlers.errors")


async def test_when_the_role_check_fails_too_the_partner_words_go(
        running_bot: RunningBot, monkeypatch: pytest.MonkeyPatch) -> None:
    bot = running_bot
    cora = Phone(bot.server, bot.server.user(COORDINATOR_ID, "Cora"))
    # The role check itself fails (the database is what broke): the safe words go to anyone.
    monkeypatch.setattr(bot.svc, "is_coordinator", failing("is_coordinator"))
    await cora.user.send_command("/status", "1")
    assert (await cora.reply("went wrong")).text == errors.TO_PARTNER
