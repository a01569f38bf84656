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
                markup: InlineKeyboardMarkup | None) -> None:
    try:
        await bot.edit_message_text(fit(text), chat_id=chat_id, message_id=message_id,
                                    reply_markup=markup)
    except BadRequest as exc:
        # An old message may be gone or unchanged; the new screen is what matters.
        log.info("could not edit message %s in chat %s: %s", message_id, chat_id, exc)


async def apply(bot: Bot, chat_id: int, outcome: Outcome, answering: AnsweringService,
                pressed_message_id: int | None = None) -> None:
    """Carry out an outcome in a chat: redraw or settle the old screen, send the new ones."""
    if outcome.replace is not None and pressed_message_id is not None:
        await _edit(bot, chat_id, pressed_message_id, outcome.replace.text,
                    keyboard(outcome.replace))
    target = pressed_message_id if pressed_message_id is not None else outcome.settle_message_id
    if outcome.settle and target is not None:
        await _edit(bot, chat_id, target, outcome.settle, None)
    for screen in outcome.send:
        message = await send_screen(bot, chat_id, screen)
        if screen.response_id is not None:
            await answering.remember_screen(screen.response_id, message.message_id)
