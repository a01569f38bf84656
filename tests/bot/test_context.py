"""Handlers reach the services through the typed context, never through bot_data keys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app import build_application
from bot.context import BotData, PulseContext, ServicesNotBound
from tests.bot.conftest import RunningBot

BOT = Path(__file__).resolve().parents[2] / "bot"


async def test_every_handler_context_carries_the_services(running_bot: RunningBot) -> None:
    app = running_bot.app
    assert isinstance(app.bot_data, BotData)
    context = app.context_types.context.from_update(None, app)
    assert isinstance(context, PulseContext)
    assert context.services is running_bot.svc
    assert app.bot_data.sender is not None and app.bot_data.embedding is not None


def test_an_application_without_services_says_so() -> None:
    with pytest.raises(ServicesNotBound, match="build_application"):
        _ = BotData().services


async def test_build_application_binds_what_it_is_given(running_bot: RunningBot) -> None:
    app = build_application(running_bot.svc, sender_idle_poll=0.25)
    assert app.bot_data.services is running_bot.svc
    assert app.bot_data.sender_idle_poll == 0.25


def test_no_module_of_the_bot_reaches_services_by_key() -> None:
    by_key = re.compile(r"bot_data\s*(\[|\.get\()")
    found = [f"{path.relative_to(BOT)}:{n}" for path in BOT.rglob("*.py")
             for n, line in enumerate(path.read_text().splitlines(), 1) if by_key.search(line)]
    assert found == []


def test_only_the_wiring_imports_the_store() -> None:
    """Handlers, commands and the sender talk to surveys; only bot/wiring.py knows storage."""
    store = re.compile(r"^\s*(from|import)\s+storage\b", re.M)
    found = [str(path.relative_to(BOT)) for path in BOT.rglob("*.py")
             if path.name != "wiring.py" and store.search(path.read_text())]
    assert found == []
