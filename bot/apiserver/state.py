"""The state of one bot on the local server: partners, update queue, bot messages, transcript."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.apiserver.objects import bot_user_json, private_chat_json
from bot.apiserver.records import (
    SEND_KINDS,
    BotMessage,
    EventKind,
    Partner,
    TranscriptEvent,
    UploadedFile,
)

T = TypeVar("T")
# How long a test waits for the bot before calling it stuck: a hang guard, generous because a
# loaded machine is slow, never a speed budget (speed is measured in bench/).
WAIT_TIMEOUT = 30.0
EventPredicate = Callable[[TranscriptEvent], bool]


class Signal:
    """Wakes every waiter whenever something changes; waiters re-check their condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        """Wake all current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def until(self, check: Callable[[], T | None], within: float | None) -> T:
        """Wait until ``check()`` is not None; TimeoutError after ``within`` seconds."""
        async with asyncio.timeout(within):
            while True:
                event = self._event
                result = check()
                if result is not None:
                    return result
                await event.wait()


@dataclass
class QueuedUpdate:
    """An update waiting in ``getUpdates``; dropped once delivered and acknowledged."""

    update_id: int
    payload: dict[str, Any]
    delivered: bool = False


class BotAccount:
    """Everything the server knows about one registered bot token."""

    def __init__(
        self,
        token: str,
        bot_id: int,
        username: str,
        first_name: str,
        *,
        accept_unknown_chats: bool = False,
    ) -> None:
        self.token = token
        # Telegram refuses chats that never started the bot; benchmarks may relax that.
        self.accept_unknown_chats = accept_unknown_chats
        self.bot_id = bot_id
        self.username = username
        self.first_name = first_name
        self.partners: dict[int, Partner] = {}
        # Group, supergroup and channel chats partners write from (by chat id, negative).
        self.groups: dict[int, dict[str, Any]] = {}
        self.blocked: set[int] = set()
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.webhook_url = ""
        self.files: dict[str, UploadedFile] = {}
        self.signal = Signal()
        self._queue: list[QueuedUpdate] = []
        self._history: dict[int, dict[str, Any]] = {}
        self._next_update_id = 1
        self._message_ids: Counter[int] = Counter()
        self._messages: dict[int, dict[int, BotMessage]] = {}
        self._events: dict[int, list[TranscriptEvent]] = {}
        self._cursors: dict[int, int] = {}
        self._callback_chats: dict[str, int] = {}
        self.sent_per_chat: Counter[int] = Counter()
        self.waiting_polls = 0

    # -- identity -------------------------------------------------------------------------

    def bot_user(self) -> dict[str, Any]:
        """The bot's ``User`` object."""
        return bot_user_json(self.bot_id, self.first_name, self.username)

    def chat(self, chat_id: int) -> dict[str, Any]:
        """The ``Chat`` of ``chat_id``: a known group, else a known partner's private chat."""
        if chat_id in self.groups:
            return dict(self.groups[chat_id])
        return private_chat_json(self.partners[chat_id])

    def next_message_id(self, chat_id: int) -> int:
        """A new message id in ``chat_id``; ids increase per chat for both sides."""
        self._message_ids[chat_id] += 1
        return self._message_ids[chat_id]

    # -- updates --------------------------------------------------------------------------

    def enqueue(self, chat_id: int, field_name: str, body: dict[str, Any]) -> int:
        """Queue an update ``{"update_id": N, field_name: body}`` from a partner; return N."""
        update_id = self._next_update_id
        self._next_update_id += 1
        payload = {"update_id": update_id, field_name: body}
        self._history[update_id] = payload
        self._queue.append(QueuedUpdate(update_id, payload))
        self._cursors[chat_id] = len(self._events.get(chat_id, []))
        self.signal.fire()
        return update_id

    def redeliver(self, update_id: int) -> None:
        """Queue an already-delivered update again, with the same ``update_id``."""
        try:
            payload = self._history[update_id]
        except KeyError:
            raise KeyError(f"no update {update_id} was ever queued") from None
        self._queue.append(QueuedUpdate(update_id, payload))
        self.signal.fire()

    def acknowledge(self, offset: int) -> None:
        """Drop delivered updates below ``offset``; a negative offset keeps the last ``-offset``."""
        if offset < 0:
            self._queue = self._queue[offset:]
            return
        self._queue = [
            item for item in self._queue if not (item.delivered and item.update_id < offset)
        ]

    def deliverable(self, limit: int) -> list[QueuedUpdate]:
        """Updates ``getUpdates`` answers now (everything not acknowledged), oldest first."""
        return self._queue[:limit]

    @property
    def pending_update_count(self) -> int:
        """Updates queued and not yet acknowledged."""
        return len(self._queue)

    def drop_pending_updates(self) -> None:
        """Forget every queued update (``deleteWebhook(drop_pending_updates=True)``)."""
        self._queue.clear()

    # -- bot messages and transcript ------------------------------------------------------

    def store_message(self, message: BotMessage) -> None:
        """Remember a message the bot sent."""
        self._messages.setdefault(message.chat_id, {})[message.message_id] = message

    def message(self, chat_id: int, message_id: int) -> BotMessage | None:
        """A bot message by id, or None (deleted messages are still returned)."""
        return self._messages.get(chat_id, {}).get(message_id)

    def messages(self, chat_id: int) -> list[BotMessage]:
        """The bot's messages in ``chat_id`` in sending order, in their current state."""
        return list(self._messages.get(chat_id, {}).values())

    def remember_callback(self, query_id: str, chat_id: int) -> None:
        """Remember which chat a callback query came from (to file its answer)."""
        self._callback_chats[query_id] = chat_id

    def callback_chat(self, query_id: str) -> int | None:
        """The chat of an unanswered callback query, or None."""
        return self._callback_chats.get(query_id)

    def forget_callback(self, query_id: str) -> None:
        """A callback query can be answered once."""
        self._callback_chats.pop(query_id, None)

    def record(
        self,
        chat_id: int,
        kind: EventKind,
        method: str,
        *,
        message_id: int | None = None,
        text: str | None = None,
        reply_markup: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        file: UploadedFile | None = None,
    ) -> TranscriptEvent:
        """Append an event to the chat's transcript and wake waiters."""
        events = self._events.setdefault(chat_id, [])
        event = TranscriptEvent(
            index=len(events),
            kind=kind,
            method=method,
            chat_id=chat_id,
            message_id=message_id,
            text=text,
            reply_markup=reply_markup,
            params={k: v for k, v in (params or {}).items() if not isinstance(v, UploadedFile)},
            file=file,
            at=time.time(),
        )
        events.append(event)
        if kind in SEND_KINDS:
            self.sent_per_chat[chat_id] += 1
        self.signal.fire()
        return event

    def transcript(self, chat_id: int) -> list[TranscriptEvent]:
        """Every event of the bot in ``chat_id``, in order."""
        return list(self._events.get(chat_id, []))

    def partner_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """What the partner sent in ``chat_id`` (Message objects), in order."""
        found = [u["message"] for u in self._history.values()
                 if "message" in u and u["message"]["chat"]["id"] == chat_id]
        return sorted(found, key=lambda m: m["message_id"])

    def chat_ids(self) -> list[int]:
        """Chats with at least one event."""
        return list(self._events)

    async def wait_for(
        self,
        chat_id: int,
        predicate: EventPredicate | None = None,
        timeout: float = WAIT_TIMEOUT,  # noqa: ASYNC109 - the documented test API takes a timeout
        *,
        since: int | None = None,
    ) -> TranscriptEvent:
        """The next matching event of ``chat_id``; see ``BotApiServer.wait_for``."""
        start = self._cursors.get(chat_id, 0) if since is None else since

        def check() -> TranscriptEvent | None:
            for event in self._events.get(chat_id, [])[start:]:
                if predicate is None or predicate(event):
                    return event
            return None

        try:
            event = await self.signal.until(check, timeout)
        except TimeoutError:
            recent = [(e.index, e.kind, e.text) for e in self.transcript(chat_id)[-5:]]
            raise TimeoutError(
                f"no matching event in chat {chat_id} after index {start} within {timeout}s; "
                f"last events: {recent}"
            ) from None
        # A look back (`since`) never rewinds the cursor past what was already read.
        self._cursors[chat_id] = max(self._cursors.get(chat_id, 0), event.index + 1)
        return event
