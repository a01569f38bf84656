"""Decoding and checking Bot API parameters as Telegram does (form strings, JSON, limits)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.apiserver.objects import file_ids
from bot.apiserver.records import ApiError, Partner, UploadedFile, bad_request, blocked_by_user
from bot.apiserver.state import BotAccount

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64

# Parameters whose form values are JSON (PTB json-dumps every non-string value).
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "show_caption_above_media",
        "has_spoiler",
    }
)
INT_PARAMS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "reply_to_message_id",
        "message_thread_id",
    }
)
# Methods that put a new message in a chat: rate-limited and counted.
SEND_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto"})
# Methods refused with 403 when the partner blocked the bot.
CHAT_METHODS = SEND_METHODS | {"editmessagetext", "editmessagereplymarkup", "sendchataction"}


def coerce_params(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Turn form strings into the JSON values PTB encoded (numbers, objects, booleans)."""
    params: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, str) and name in JSON_PARAMS:
            try:
                value = json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        elif isinstance(value, str) and name in INT_PARAMS:
            try:
                value = int(value)
            except ValueError:
                pass  # e.g. "@channelusername"; rejected later as chat not found
        params[name] = value
    return params


def target_chat(account: BotAccount, params: Mapping[str, Any]) -> int | None:
    """The chat a call is aimed at, if any (callback answers map to their query's chat)."""
    chat_id = params.get("chat_id")
    if isinstance(chat_id, int):
        return chat_id
    query_id = params.get("callback_query_id")
    if isinstance(query_id, str):
        return account.callback_chat(query_id)
    return None


def check_reachable(account: BotAccount, method: str, params: Mapping[str, Any]) -> None:
    """403 if the call goes to a chat whose partner blocked the bot."""
    if method.lower() in CHAT_METHODS and target_chat(account, params) in account.blocked:
        raise blocked_by_user()


def chat_id_param(account: BotAccount, params: Mapping[str, Any]) -> int:
    """The ``chat_id`` of a known partner or group, else 400 "chat not found" as Telegram does."""
    chat_id = params.get("chat_id")
    if chat_id is None:
        raise bad_request("chat_id is empty")
    if not isinstance(chat_id, int):
        raise bad_request("chat not found")
    if chat_id in account.groups:
        return chat_id
    if chat_id not in account.partners:
        if not (account.accept_unknown_chats and chat_id > 0):
            raise bad_request("chat not found")
        account.partners[chat_id] = Partner(chat_id, f"Partner {chat_id}")
    return chat_id


def message_id_param(params: Mapping[str, Any]) -> int:
    """The ``message_id`` parameter, else 400."""
    message_id = params.get("message_id")
    if not isinstance(message_id, int):
        raise bad_request("message identifier is not specified")
    return message_id


def reply_markup_param(params: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ``reply_markup`` object, checking callback_data fits in 64 bytes."""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            data = button.get("callback_data")
            if data is not None and len(str(data).encode()) > MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def text_param(params: Mapping[str, Any], name: str, limit: int, *, required: bool) -> str | None:
    """A text or caption parameter within Telegram's length limit."""
    text = params.get(name)
    if text is None or text == "":
        if required:
            raise bad_request("message text is empty")
        return None
    text = str(text)
    if len(text) > limit:
        raise bad_request(
            "message caption is too long" if name == "caption" else "message is too long"
        )
    return text


async def read_params(request: web.Request, token: str) -> dict[str, Any]:
    """The call's parameters from its query, JSON body or form/multipart body (files kept)."""
    raw: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return coerce_params(raw)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: JSON body must be an object")
        raw.update(body)
        return coerce_params(raw)
    for name, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            file_id, _ = file_ids(f"{token}:{uuid.uuid4()}")
            raw[name] = UploadedFile(file_id, value.filename, value.file.read(), value.content_type)
        else:
            raw[name] = value
    return coerce_params(raw)
