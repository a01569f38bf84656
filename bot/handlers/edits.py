"""An edited message: Telegram tells the bot, and the partner is told what it does (nothing)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import PulseContext

EDITED = ("I saw you edit a message, but edits are not read: the answer you gave is saved as "
          "you first sent it. If you are still on that question, send the corrected text "
          "now; otherwise open /surveys and use “Change an answer”.")


async def edited(update: Update, context: PulseContext) -> None:
    """Say that an edit changes nothing, and how to change an answer; nothing else runs."""
    message = update.edited_message
    if message is not None:
        await context.bot.send_message(message.chat_id, EDITED)
    raise ApplicationHandlerStop
