"""The edge that keeps the bot to private chats: every update passes here first."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import PulseContext

log = logging.getLogger(__name__)


async def private_only(update: Update, context: PulseContext) -> None:
    """In a group, supergroup or channel: say once that the bot works in a private chat (with
    a link to it) and stop every other handler; a private chat passes through."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    svc = context.services
    notice = await svc.private_chats.notice(chat.id, context.bot.username)
    log.info("update %s from a %s chat ignored", update.update_id, chat.type)
    if update.callback_query is not None:  # an old button: answered to the presser alone
        await update.callback_query.answer("PartnerPulse works only in a private chat.")
    elif notice is not None:
        await context.bot.send_message(chat.id, notice)
    raise ApplicationHandlerStop
