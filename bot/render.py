"""Screens into Telegram messages: plain text (no parse mode) and inline keyboards."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from surveys.answering import AnsweringService
from surveys.screens import Outcome, Screen

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096


def fit(text: str, limit: int = MAX_MESSAGE) -> str:
    """Text within Telegram's message size (cut with an ellipsis, never rejected)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def keyboard(screen: Screen) -> InlineKeyboardMarkup | None:
    """The screen's buttons as an inline keyboard."""
    if not screen.buttons:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(b.label[:64], callback_data=b.action.encode()) for b in row]
        for row in screen.buttons])


def payload_keyboard(buttons: list[list[dict[str, Any]]] | None) -> InlineKeyboardMarkup | None:
    """Buttons stored in an outbox payload as an inline keyboard."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(b["label"], callback_data=b["data"]) for b in row]
        for row in buttons])


async def send_screen(bot: Bot, chat_id: int, screen: Screen) -> Message:
    """Send one screen as a message (plain text: answers are echoed exactly)."""
    return await bot.send_message(chat_id, fit(screen.text), reply_markup=keyboard(screen))


async def _edit(bot: Bot, chat_id: int, message_id: int, text: str,
                markup: InlineKeyboardMarkup | None) -> bool:
    """Edit a message; False if it is gone (an unchanged message counts as edited)."""
    try:
        await bot.edit_message_text(fit(text), chat_id=chat_id, message_id=message_id,
                                    reply_markup=markup)
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return True
        log.info("could not edit message %s in chat %s: %s", message_id, chat_id, exc)
        return False
    return True


async def apply(bot: Bot, chat_id: int, outcome: Outcome, answering: AnsweringService,
                pressed_message_id: int | None = None) -> None:
    """Carry out an outcome: settle older copies, redraw the live (or pressed) message, then
    send the new ones.

    The last message of a response's screens becomes its live message; a redrawn message
    that was not the live one (an invitation turned into a question) becomes it.
    """
    for message_id, screen in outcome.settle:
        await _edit(bot, chat_id, message_id, screen.text, None)   # gone already: fine
    target = pressed_message_id if pressed_message_id not in (None, -1) else outcome.target
    sends = list(outcome.send)
    edit = outcome.edit
    if edit is not None:
        edited = target is not None and await _edit(bot, chat_id, target, edit.text,
                                                    keyboard(edit))
        if not edited and edit.response_id is not None:
            sends.insert(0, edit)      # the live message is gone: show the step afresh
        elif edited and edit.response_id is not None and target != outcome.target:
            assert target is not None
            await answering.remember_screen(edit.response_id, target, edit.starts_at)
    await _send_all(bot, chat_id, sends, answering)


async def _send_all(bot: Bot, chat_id: int, sends: list[Screen],
                    answering: AnsweringService) -> None:
    """Send screens in order; the last of a response's becomes its live message."""
    live: tuple[int, int, str | None] | None = None
    for screen in sends:
        message = await send_screen(bot, chat_id, screen)
        if screen.response_id is not None:
            live = (screen.response_id, message.message_id, screen.starts_at)
    if live is not None:
        await answering.remember_screen(*live)
