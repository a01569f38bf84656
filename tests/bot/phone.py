"""A partner's phone for end-to-end tests: tap a button by its label, type, read replies."""

from __future__ import annotations

from bot.apiserver import BotApiServer, TranscriptEvent
from bot.apiserver.partner import SimulatedPartner
from bot.apiserver.state import WAIT_TIMEOUT


class Phone:
    """What a partner does and sees, through the local Bot API server."""

    def __init__(self, server: BotApiServer, user: SimulatedPartner) -> None:
        self.server = server
        self.user = user

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

    async def tap(self, label: str) -> TranscriptEvent:
        """Press a button and wait for the next message the bot sends."""
        message_id, data = self.find(label)
        await self.user.press(data, message_id)
        return await self.reply()

    def has(self, label: str) -> bool:
        """Whether the newest message with buttons has one labelled `label`."""
        for message in reversed(self.user.messages()):
            if not message.deleted and message.buttons:
                return any(text in (label, f"✓ {label}") for row in message.buttons
                           for text, _ in row)
        return False

    async def start_round(self) -> TranscriptEvent:
        """From the newest invitation (or card) to the round's first question."""
        if not self.has("Start"):
            await self.tap("Open")
        return await self.tap("Start")

    async def tap_in_place(self, label: str) -> TranscriptEvent:
        """Press a button that redraws its own message (multi choice); wait for the edit."""
        message_id, data = self.find(label)
        await self.user.press(data, message_id)
        return await self.server.wait_for(self.chat, lambda e: e.kind == "edit"
                                          and e.message_id == message_id)

    async def say(self, text: str) -> TranscriptEvent:
        """Type a message and wait for the bot's next message."""
        await self.user.send_text(text)
        return await self.reply()

    async def reply(self, contains: str | None = None,
                    timeout: float = WAIT_TIMEOUT) -> TranscriptEvent:  # noqa: ASYNC109
        """The bot's next new message (optionally one containing `contains`)."""
        return await self.server.wait_for(
            self.chat, lambda e: e.kind in ("message", "document")
            and (contains is None or contains in (e.text or "")), timeout)
