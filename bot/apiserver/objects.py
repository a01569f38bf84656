"""Builders of the Bot API JSON objects that python-telegram-bot parses (User, Chat, Message…)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from bot.apiserver.records import BotMessage, Partner, UploadedFile

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,64})?")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def user_json(partner: Partner) -> dict[str, Any]:
    """A ``User`` object for a simulated partner."""
    data: dict[str, Any] = {
        "id": partner.user_id,
        "is_bot": False,
        "first_name": partner.first_name,
    }
    if partner.last_name:
        data["last_name"] = partner.last_name
    if partner.username:
        data["username"] = partner.username
    if partner.language_code:
        data["language_code"] = partner.language_code
    return data


def bot_user_json(bot_id: int, first_name: str, username: str) -> dict[str, Any]:
    """A ``User`` object for the bot itself (what ``getMe`` answers)."""
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": first_name,
        "username": username,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def private_chat_json(partner: Partner) -> dict[str, Any]:
    """The private ``Chat`` between the bot and a partner (its id is the partner's id)."""
    data: dict[str, Any] = {
        "id": partner.user_id,
        "type": "private",
        "first_name": partner.first_name,
    }
    if partner.last_name:
        data["last_name"] = partner.last_name
    if partner.username:
        data["username"] = partner.username
    return data


def command_entities(text: str) -> list[dict[str, Any]]:
    """The ``bot_command`` entity a Telegram client adds when a text starts with ``/command``."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


def chat_instance(chat_id: int, bot_id: int) -> str:
    """A stable opaque ``chat_instance`` string for callback queries."""
    digest = hashlib.sha256(f"{bot_id}:{chat_id}".encode()).hexdigest()
    return str(int(digest[:15], 16))


def file_ids(seed: str) -> tuple[str, str]:
    """A ``(file_id, file_unique_id)`` pair derived from ``seed``."""
    digest = hashlib.sha256(seed.encode()).hexdigest()
    return f"BQAC{digest[:40]}", f"AgAD{digest[40:56]}"


def document_json(upload: UploadedFile) -> dict[str, Any]:
    """A ``Document`` object describing an uploaded file."""
    _, unique_id = file_ids(upload.file_id)
    data: dict[str, Any] = {
        "file_id": upload.file_id,
        "file_unique_id": unique_id,
        "file_size": upload.size,
    }
    if upload.filename:
        data["file_name"] = upload.filename
    if upload.mime_type:
        data["mime_type"] = upload.mime_type
    return data


def photo_sizes_json(upload: UploadedFile) -> list[dict[str, Any]]:
    """The list of ``PhotoSize`` objects Telegram returns for a photo (a thumbnail and full)."""
    sizes = []
    for suffix, side in (("s", 90), ("x", 800)):
        file_id = f"{upload.file_id}{suffix}"
        _, unique_id = file_ids(file_id)
        sizes.append(
            {
                "file_id": file_id,
                "file_unique_id": unique_id,
                "width": side,
                "height": side * 3 // 4,
                "file_size": upload.size,
            }
        )
    return sizes


def sticker_json(seed: str, emoji: str = "👍") -> dict[str, Any]:
    """A regular static ``Sticker`` object."""
    file_id, unique_id = file_ids(f"sticker:{seed}")
    return {
        "file_id": file_id,
        "file_unique_id": unique_id,
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
        "emoji": emoji,
        "set_name": "PartnerPulseTest",
        "file_size": 14_000,
    }


def voice_json(seed: str, duration: int = 3) -> dict[str, Any]:
    """A ``Voice`` object of ``duration`` seconds."""
    file_id, unique_id = file_ids(f"voice:{seed}")
    return {
        "file_id": file_id,
        "file_unique_id": unique_id,
        "duration": duration,
        "mime_type": "audio/ogg",
        "file_size": 9_000,
    }


def location_json(latitude: float, longitude: float) -> dict[str, Any]:
    """A ``Location`` object."""
    return {"latitude": latitude, "longitude": longitude}


def bot_message_json(
    message: BotMessage, bot_user: dict[str, Any], chat: dict[str, Any]
) -> dict[str, Any]:
    """The ``Message`` object for a message the bot sent, in its current state."""
    data: dict[str, Any] = {
        "message_id": message.message_id,
        "from": bot_user,
        "chat": chat,
        "date": message.date,
    }
    if message.edit_date is not None:
        data["edit_date"] = message.edit_date
    if message.kind == "text":
        data["text"] = message.text or ""
        if message.entities:
            data["entities"] = message.entities
    else:
        if message.text:
            data["caption"] = message.text
        if message.file is not None:
            if message.kind == "photo":
                data["photo"] = photo_sizes_json(message.file)
            else:
                data["document"] = document_json(message.file)
    # Telegram echoes only inline keyboards in the returned Message.
    if message.reply_markup and "inline_keyboard" in message.reply_markup:
        data["reply_markup"] = message.reply_markup
    return data
