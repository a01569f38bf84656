"""A partner's phone for end-to-end tests: tap a button by its label, type, read the chat.

The bot keeps each question in one message and edits it, so after a tap or a typed answer
the phone waits for the bot to finish and returns the newest message as it now reads.
"""

from __future__ import annotations

import asyncio
import weakref

from telegram.ext import Application

from bot.apiserver import BotApiServer, TranscriptEvent
from bot.apiserver.partner import SimulatedPartner
from bot.apiserver.records import BotMessage
from bot.apiserver.state import WAIT_TIMEOUT

SETTLE = 0.1   # seconds without a bot call that mean the bot has finished a step

# The Applications polling each server (conftest's start_polling registers them). A handler
# may spend longer than SETTLE on the database between two Bot API calls on a busy machine,
# so an update fetched and not yet handled counts as the bot still working.
_polling: weakref.WeakKeyDictionary[BotApiServer, list[Application]] = \
    weakref.WeakKeyDictionary()


def watch(server: BotApiServer, app: Application) -> None:
    """Count `app`'s updates under way as activity of `server` when a phone waits."""
    _polling.setdefault(server, []).append(app)


def handling(server: BotApiServer) -> bool:
    """Whether an Application polling `server` holds an update it has not finished."""
    return any(app.update_queue.qsize() or app.update_processor.current_concurrent_updates
               for app in _polling.get(server, ()))


class Phone:
    """What a partner does and sees, through the local Bot API server."""

    def __init__(self, server: BotApiServer, user: SimulatedPartner) -> None:
        self.server = server
        self.user = user
        self.taps = 0
        self._invitations: set[int] = set()   # transcript indexes already read as invitations

    @property
    def chat(self) -> int:
        """The partner's chat id."""
        return self.user.chat_id

    def find(self, label: str) -> tuple[int, str]:
        """The newest message with a button labelled `label`: (message id, callback data)."""
        for message in reversed(self.user.messages()):
            if message.deleted:
                continue
            for row in message.buttons:
                for text, data in row:
                    if text in (label, f"✓ {label}"):
                        return message.message_id, data
        raise AssertionError(f"no button {label!r}; last message: "
                             f"{self.user.messages()[-1].text if self.user.messages() else None}")

    def has(self, label: str) -> bool:
        """Whether the newest message with buttons has one labelled `label`."""
        for message in reversed(self.user.messages()):
            if not message.deleted and message.buttons:
                return any(text in (label, f"✓ {label}") for row in message.buttons
                           for text, _ in row)
        return False

    def screen(self) -> BotMessage:
        """The newest message of the bot, as it reads now."""
        return [m for m in self.user.messages() if not m.deleted][-1]

    def labels(self) -> list[str]:
        """The button labels of the newest message."""
        return [text for row in self.screen().buttons for text, _ in row]

    async def settled(self) -> BotMessage:
        """Wait until the bot has finished the step, and return the newest message.

        Finished: nothing new in this chat, no Bot API call in flight, no update waiting and
        none being handled, twice in a row. (The server's own wait_idle counts long polls as
        activity, which on a loaded machine can keep it from ever seeing a quiet moment.)
        """
        quiet, seen = 0, len(self.user.transcript())
        async with asyncio.timeout(WAIT_TIMEOUT):
            while quiet < 2:
                await asyncio.sleep(SETTLE / 2)
                now = len(self.user.transcript())
                busy = (self.server._in_flight or self.server.bot().pending_update_count
                        or handling(self.server))
                quiet = 0 if now != seen or busy else quiet + 1
                seen = now
        return self.screen()

    async def press(self, label: str) -> TranscriptEvent:
        """Press a button and wait for the toast that answers it."""
        message_id, data = self.find(label)
        self.taps += 1
        await self.user.press(data, message_id)
        return await self.server.wait_for(self.chat, lambda e: e.kind == "callback_answer")

    async def tap(self, label: str) -> BotMessage:
        """Press a button; wait for what it draws, then for the bot to finish, and return
        the newest message. (A press answered only by a toast: use `press`.)

        The bot draws the next screen before it answers the press, so what it drew is looked
        for from the press on, not after the answer."""
        since = len(self.user.transcript())
        await self.press(label)
        await self.server.wait_for(self.chat, lambda e: e.kind in ("message", "edit",
                                                                  "document", "photo"),
                                   since=since)
        return await self.settled()

    async def tap_in_place(self, label: str) -> TranscriptEvent:
        """Press a button that redraws its own message (multi choice); wait for the edit."""
        message_id, data = self.find(label)
        self.taps += 1
        await self.user.press(data, message_id)
        return await self.server.wait_for(self.chat, lambda e: e.kind == "edit"
                                          and e.message_id == message_id)

    async def start_round(self) -> BotMessage:
        """From the newest invitation (or card) to the round's first question."""
        if not self.has("Start"):
            await self.tap("Open")
        return await self.tap("Start")

    async def say(self, text: str) -> BotMessage:
        """Type a message; wait for the bot to finish, and return the newest message."""
        await self.user.send_text(text)
        await self.server.wait_for(self.chat, lambda e: e.kind in ("message", "edit",
                                                                  "document"))
        return await self.settled()

    async def invitation(self) -> TranscriptEvent:
        """The next round invitation not read yet, wherever it fell: the sender may deliver it
        before the welcome that answers a join, or after; either order is right."""
        seen = self._invitations
        event = await self.server.wait_for(
            self.chat, lambda e: e.kind == "message" and e.index not in seen
            and "New question round" in (e.text or ""), since=0)
        seen.add(event.index)
        return event

    async def reply(self, contains: str | None = None,
                    timeout: float = WAIT_TIMEOUT) -> TranscriptEvent:  # noqa: ASYNC109
        """The bot's next new message (optionally one containing `contains`)."""
        return await self.server.wait_for(
            self.chat, lambda e: e.kind in ("message", "document")
            and (contains is None or contains in (e.text or "")), timeout)
