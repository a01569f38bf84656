"""A simulated partner: a Telegram user who writes to the bot, presses buttons, blocks it."""

from __future__ import annotations

import time
import uuid
from typing import Any

from bot.apiserver.objects import (
    bot_message_json,
    chat_instance,
    command_entities,
    file_ids,
    location_json,
    photo_sizes_json,
    private_chat_json,
    sticker_json,
    user_json,
    voice_json,
)
from bot.apiserver.records import SEND_KINDS, BotMessage, Partner, TranscriptEvent, UploadedFile
from bot.apiserver.state import WAIT_TIMEOUT, BotAccount

# A valid 1×1 PNG, so a bot that downloads a partner's photo gets a real image.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class SimulatedPartner:
    """Acts as one partner in a private chat with the bot; every action returns its update_id."""

    def __init__(self, account: BotAccount, partner: Partner,
                 group: dict[str, Any] | None = None) -> None:
        self._account = account
        self.partner = partner
        self._group = group  # the group chat this partner writes in, if not their private one

    @property
    def user_id(self) -> int:
        """The partner's Telegram user id."""
        return self.partner.user_id

    @property
    def chat_id(self) -> int:
        """The private chat's id (equal to the user id, as on Telegram), or the group's."""
        return int(self._group["id"]) if self._group else self.partner.user_id

    def in_group(self, chat_id: int, title: str = "Partnership board",
                 kind: str = "group") -> SimulatedPartner:
        """The same person writing in a group (``kind`` group, supergroup or channel) that
        has the bot as a member; ``chat_id`` is negative, as on Telegram."""
        group = {"id": chat_id, "type": kind, "title": title}
        self._account.groups[chat_id] = group
        return SimulatedPartner(self._account, self.partner, group)

    def __repr__(self) -> str:
        where = f", in {self.chat_id}" if self._group else ""
        return f"SimulatedPartner({self.user_id}, {self.partner.first_name!r}{where})"

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "message_id": self._account.next_message_id(self.chat_id),
            "from": user_json(self.partner),
            "chat": dict(self._group) if self._group else private_chat_json(self.partner),
            "date": int(time.time()),
            **content,
        }

    def _send(self, **content: Any) -> int:
        return self._account.enqueue(self.chat_id, "message", self._message(**content))

    async def send_text(self, text: str) -> int:
        """Write ``text``; a leading ``/command`` gets its bot_command entity as on Telegram."""
        content: dict[str, Any] = {"text": text}
        if entities := command_entities(text):
            content["entities"] = entities
        return self._send(**content)

    async def send_command(self, command: str, args: str | None = None) -> int:
        """Send ``/command args`` (the slash is added if missing)."""
        if not command.startswith("/"):
            command = f"/{command}"
        return await self.send_text(f"{command} {args}" if args else command)

    async def edit_text(self, message_id: int, text: str) -> int:
        """Edit a text this partner sent earlier (Telegram delivers an ``edited_message``)."""
        sent = self._account.partner_messages(self.chat_id)
        original = next((m for m in sent if m["message_id"] == message_id), None)
        if original is None:
            raise LookupError(f"no message {message_id} from the partner in {self.chat_id}")
        edited = {**original, "text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        if entities := command_entities(text):
            edited["entities"] = entities
        return self._account.enqueue(self.chat_id, "edited_message", edited)

    async def send_sticker(self, emoji: str = "👍") -> int:
        """Send a regular sticker."""
        return self._send(sticker=sticker_json(f"{self.user_id}:{time.time_ns()}", emoji))

    async def send_photo(self, content: bytes = TINY_PNG, caption: str | None = None) -> int:
        """Send a photo; its bytes can be fetched by the bot with getFile."""
        file_id, _ = file_ids(f"photo:{self.user_id}:{time.time_ns()}")
        upload = UploadedFile(file_id, "photo.png", content, "image/png")
        self._account.files[file_id] = upload
        for size in photo_sizes_json(upload):
            self._account.files[size["file_id"]] = upload
        extra: dict[str, Any] = {"caption": caption} if caption else {}
        return self._send(photo=photo_sizes_json(upload), **extra)

    async def send_voice(self, duration: int = 3) -> int:
        """Send a voice note of ``duration`` seconds."""
        return self._send(voice=voice_json(f"{self.user_id}:{time.time_ns()}", duration))

    async def send_location(self, latitude: float = 53.09, longitude: float = -2.44) -> int:
        """Share a location (Crewe by default)."""
        return self._send(location=location_json(latitude, longitude))

    def _button_message(self, callback_data: str, message_id: int | None) -> BotMessage:
        if message_id is not None:
            message = self._account.message(self.chat_id, message_id)
            if message is None or message.deleted:
                raise LookupError(f"no bot message {message_id} in chat {self.chat_id}")
            if not message.has_button(callback_data):
                raise LookupError(
                    f"message {message_id} has no button {callback_data!r}: {message.buttons}"
                )
            return message
        for message in reversed(self._account.messages(self.chat_id)):
            if not message.deleted and message.has_button(callback_data):
                return message
        raise LookupError(f"no bot message in chat {self.chat_id} has button {callback_data!r}")

    async def press(self, callback_data: str, message_id: int | None = None) -> int:
        """Press the inline button carrying ``callback_data`` (on the latest message with it)."""
        message = self._button_message(callback_data, message_id)
        query_id = str(uuid.uuid4().int >> 64)
        account = self._account
        query = {
            "id": query_id,
            "from": user_json(self.partner),
            "chat_instance": chat_instance(self.chat_id, account.bot_id),
            "message": bot_message_json(message, account.bot_user(), account.chat(self.chat_id)),
            "data": callback_data,
        }
        account.remember_callback(query_id, self.chat_id)
        return account.enqueue(self.chat_id, "callback_query", query)

    async def block(self) -> None:
        """Block the bot: its sends to this chat answer 403 from now on."""
        self._account.blocked.add(self.chat_id)

    async def unblock(self) -> None:
        """Unblock the bot."""
        self._account.blocked.discard(self.chat_id)

    @property
    def blocked(self) -> bool:
        """Whether the partner currently blocks the bot."""
        return self.chat_id in self._account.blocked

    async def next_reply(self, timeout: float = WAIT_TIMEOUT) -> TranscriptEvent:  # noqa: ASYNC109
        """The next message (text, document or photo) the bot sends to this partner."""
        return await self._account.wait_for(
            self.chat_id, lambda event: event.kind in SEND_KINDS, timeout
        )

    def transcript(self) -> list[TranscriptEvent]:
        """What the bot did in this chat, in order."""
        return self._account.transcript(self.chat_id)

    def messages(self) -> list[BotMessage]:
        """The bot's messages in this chat, in their current state."""
        return self._account.messages(self.chat_id)
