"""The one error handler: log the traceback, then tell the person what it means for them.

A partner hears that their answers are saved (each is committed before it is acknowledged);
a coordinator hears what failed and that nothing was lost (every write is one transaction,
so a step that failed left the database as it was). Neither sees the traceback: it goes to the
log with ``exc_info``, as in python-telegram-bot's ``examples/errorhandlerbot.py``.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import PulseContext
from surveys.errors import AlreadyApplied

log = logging.getLogger(__name__)

TO_PARTNER = ("Sorry, something went wrong on our side. Your answers so far are saved; "
              "please try again in a moment, or use /surveys.")
TO_COORDINATOR = ("Sorry, {what} failed: an error on our side ({error}). Nothing was lost: "
                  "rounds, answers and messages waiting to go are as they were saved. "
                  "Please try again; if it fails again, the bot's log has the details for "
                  "your administrator.")


def what_failed(update: Update) -> str:
    """The coordinator's words for the update that failed: a command, a button or a message."""
    message = update.effective_message
    if update.callback_query is not None:
        return "that button"
    if message is not None and message.text and message.text.startswith("/"):
        return message.text.split()[0]
    return "your last message"


async def _is_coordinator(context: PulseContext, user_id: int) -> bool:
    """Whether to speak as to a coordinator; if that check fails too, speak as to a partner."""
    try:
        return await context.services.is_coordinator(user_id)
    except Exception:  # the store may be what failed; the partner's message is safe for all
        log.warning("could not tell whether user %s is a coordinator", user_id, exc_info=True)
        return False


async def error(update: object, context: PulseContext) -> None:
    """Log every error with its traceback; tell the person in words that fit their role.

    An update that failed is left unclaimed, so Telegram's redelivery applies it; one that
    was applied before (delivered again) is only logged, and no later handler sees it."""
    if isinstance(context.error, AlreadyApplied):
        log.info("%s; ignored", context.error)
        raise ApplicationHandlerStop   # no later handler acts on it either
    context.services.deliveries.drop()
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return  # a job or a chatless update: the log is the only audience
    chat_id, user = update.effective_chat.id, update.effective_user
    if user is not None and await _is_coordinator(context, user.id):
        text = TO_COORDINATOR.format(what=what_failed(update),
                                     error=type(context.error).__name__)
    else:
        text = TO_PARTNER
    try:
        await context.bot.send_message(chat_id, text)
    except Exception:  # the chat may be unreachable; the error is already logged
        log.warning("could not tell chat %s about an error", chat_id, exc_info=True)
