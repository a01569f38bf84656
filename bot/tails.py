"""The newest message of each chat, so a question can be replaced in place only at the bottom.

A private chat numbers its messages in one sequence, the partner's and the bot's alike, so
a message is the newest in its chat exactly when no higher message id has been seen there.
The ids come from every update (the partner's messages) and from every Bot API answer that
carries a message (the bot's sends, from handlers and the outbox alike). Kept in memory: after
a restart a chat is unknown, and an unknown chat is never taken to be at its bottom, so the
next question is sent below as before.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import AIORateLimiter

if TYPE_CHECKING:  # bot.context holds the tails in BotData: imported for the type only
    from bot.context import PulseContext

REMEMBERED_CHATS = 20_000   # beyond this the chats seen longest ago are forgotten


class ChatTails:
    """The highest message id seen in each chat."""

    def __init__(self, size: int = REMEMBERED_CHATS) -> None:
        self.size = size
        self._newest: dict[int, int] = {}

    def saw(self, chat_id: int, message_id: int) -> None:
        """A message of this chat was sent, received or edited."""
        newest = self._newest.get(chat_id)
        if newest is None:
            if len(self._newest) >= self.size:
                del self._newest[next(iter(self._newest))]
            self._newest[chat_id] = message_id
        elif message_id > newest:
            self._newest[chat_id] = message_id

    def is_newest(self, chat_id: int, message_id: int) -> bool:
        """Whether nothing is known to have come after this message in the chat."""
        return self._newest.get(chat_id) == message_id


class TailNotingLimiter(AIORateLimiter):
    """PTB's rate limiter, which sees every Bot API request and its answer, noting the
    message each answer carries: one place for every send, whichever code made it."""

    def __init__(self, tails: ChatTails, **limits: Any) -> None:
        super().__init__(**limits)
        self.tails = tails

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any]
                                               | list[dict[str, Any]]]],
        args: Any, kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Run the request through the limits; note the message(s) in its answer."""
        result = await super().process_request(callback, args, kwargs, endpoint, data,
                                               rate_limit_args)
        if endpoint.startswith("edit"):  # an edit makes no newer message; the chat may be unknown
            return result
        for message in result if isinstance(result, list) else [result]:
            if isinstance(message, dict) and "message_id" in message and "chat" in message:
                self.tails.saw(message["chat"]["id"], message["message_id"])
        return result


async def note_update(update: Update, context: PulseContext) -> None:
    """Every update: the partner's message is now the newest in its chat."""
    message = update.message or update.edited_message
    if message is not None:
        context.bot_data.tails.saw(message.chat_id, message.message_id)
