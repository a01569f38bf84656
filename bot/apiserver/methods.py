"""The Bot API methods the local server answers, each acting on one ``BotAccount``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from bot.apiserver.objects import bot_message_json, document_json, file_ids
from bot.apiserver.records import (
    ApiError,
    BotMessage,
    UploadedFile,
    bad_request,
    blocked_by_user,
)
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

Handler = Callable[[BotAccount, dict[str, Any]], Any]


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


def _chat_id(account: BotAccount, params: Mapping[str, Any]) -> int:
    chat_id = params.get("chat_id")
    if chat_id is None:
        raise bad_request("chat_id is empty")
    if not isinstance(chat_id, int) or chat_id not in account.partners:
        raise bad_request("chat not found")
    return chat_id


def _message_id(params: Mapping[str, Any]) -> int:
    message_id = params.get("message_id")
    if not isinstance(message_id, int):
        raise bad_request("message identifier is not specified")
    return message_id


def _reply_markup(params: Mapping[str, Any]) -> dict[str, Any] | None:
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


def _text(params: Mapping[str, Any], name: str, limit: int, *, required: bool) -> str | None:
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


def _now() -> int:
    return int(time.time())


def _message_result(account: BotAccount, message: BotMessage) -> dict[str, Any]:
    return bot_message_json(message, account.bot_user(), account.chat(message.chat_id))


def get_me(account: BotAccount, params: dict[str, Any]) -> Any:
    """``getMe``: the bot's User."""
    return account.bot_user()


def simple_true(account: BotAccount, params: dict[str, Any]) -> Any:
    """Methods that only answer ``true`` (close, logOut, setWebhook…)."""
    return True


def delete_webhook(account: BotAccount, params: dict[str, Any]) -> Any:
    """``deleteWebhook``: optionally drop pending updates."""
    if params.get("drop_pending_updates"):
        account.drop_pending_updates()
    account.webhook_url = ""
    return True


def get_webhook_info(account: BotAccount, params: dict[str, Any]) -> Any:
    """``getWebhookInfo``: no webhook, the pending update count."""
    return {
        "url": account.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": account.pending_update_count,
    }


def send_message(account: BotAccount, params: dict[str, Any]) -> Any:
    """``sendMessage``: store and transcribe a text message."""
    chat_id = _chat_id(account, params)
    text = _text(params, "text", MAX_TEXT, required=True)
    markup = _reply_markup(params)
    message = BotMessage(
        chat_id=chat_id,
        message_id=account.next_message_id(chat_id),
        kind="text",
        date=_now(),
        text=text,
        reply_markup=markup,
        entities=params.get("entities"),
    )
    account.store_message(message)
    account.record(
        chat_id,
        "message",
        "sendMessage",
        message_id=message.message_id,
        text=text,
        reply_markup=markup,
        params=params,
    )
    return _message_result(account, message)


def _upload(account: BotAccount, params: dict[str, Any], name: str) -> UploadedFile:
    value = params.get(name)
    if isinstance(value, str) and value.startswith("attach://"):
        value = params.get(value.removeprefix("attach://"))
    if isinstance(value, UploadedFile):
        account.files[value.file_id] = value
        return value
    if isinstance(value, str) and value in account.files:
        return account.files[value]
    if isinstance(value, str) and value:
        # A URL or a file_id the server never saw: keep the reference, no bytes.
        file_id, _ = file_ids(f"{account.token}:{value}")
        upload = UploadedFile(file_id, value.rsplit("/", 1)[-1], b"")
        account.files[file_id] = upload
        return upload
    raise bad_request(f"there is no {name} in the request")


def _send_file(account: BotAccount, params: dict[str, Any], kind: str) -> Any:
    chat_id = _chat_id(account, params)
    upload = _upload(account, params, kind)
    caption = _text(params, "caption", MAX_CAPTION, required=False)
    markup = _reply_markup(params)
    message = BotMessage(
        chat_id=chat_id,
        message_id=account.next_message_id(chat_id),
        kind="photo" if kind == "photo" else "document",
        date=_now(),
        text=caption,
        reply_markup=markup,
        file=upload,
    )
    account.store_message(message)
    method = "sendPhoto" if kind == "photo" else "sendDocument"
    account.record(
        chat_id,
        message.kind,
        method,
        message_id=message.message_id,
        text=caption,
        reply_markup=markup,
        params=params,
        file=upload,
    )
    return _message_result(account, message)


def send_document(account: BotAccount, params: dict[str, Any]) -> Any:
    """``sendDocument``: keep the file's name and bytes."""
    return _send_file(account, params, "document")


def send_photo(account: BotAccount, params: dict[str, Any]) -> Any:
    """``sendPhoto``: keep the photo's bytes."""
    return _send_file(account, params, "photo")


def _editable(account: BotAccount, params: dict[str, Any]) -> BotMessage:
    if params.get("inline_message_id"):
        raise bad_request("inline messages are not supported by the local server")
    chat_id = _chat_id(account, params)
    message = account.message(chat_id, _message_id(params))
    if message is None or message.deleted:
        raise bad_request("message to edit not found")
    return message


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are "
        "exactly the same as a current content and reply markup of the message"
    )


def edit_message_text(account: BotAccount, params: dict[str, Any]) -> Any:
    """``editMessageText``: change the text (and markup); answer the edited Message."""
    message = _editable(account, params)
    text = _text(params, "text", MAX_TEXT, required=True)
    markup = _reply_markup(params)
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    if text == message.text and markup == message.reply_markup:
        raise _not_modified()
    message.text = text
    message.reply_markup = markup
    message.entities = params.get("entities")
    message.edit_count += 1
    message.edit_date = _now()
    account.record(
        message.chat_id,
        "edit",
        "editMessageText",
        message_id=message.message_id,
        text=text,
        reply_markup=markup,
        params=params,
    )
    return _message_result(account, message)


def edit_message_reply_markup(account: BotAccount, params: dict[str, Any]) -> Any:
    """``editMessageReplyMarkup``: change or remove the inline keyboard."""
    message = _editable(account, params)
    markup = _reply_markup(params)
    if markup == message.reply_markup:
        raise _not_modified()
    message.reply_markup = markup
    message.edit_count += 1
    message.edit_date = _now()
    account.record(
        message.chat_id,
        "edit",
        "editMessageReplyMarkup",
        message_id=message.message_id,
        text=message.text,
        reply_markup=markup,
        params=params,
    )
    return _message_result(account, message)


def delete_message(account: BotAccount, params: dict[str, Any]) -> Any:
    """``deleteMessage``: flag the bot message as deleted."""
    chat_id = _chat_id(account, params)
    message = account.message(chat_id, _message_id(params))
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    message.deleted = True
    account.record(chat_id, "delete", "deleteMessage", message_id=message.message_id, params=params)
    return True


def answer_callback_query(account: BotAccount, params: dict[str, Any]) -> Any:
    """``answerCallbackQuery``: once per query, transcribed in the query's chat."""
    query_id = str(params.get("callback_query_id", ""))
    chat_id = account.callback_chat(query_id)
    if chat_id is None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    account.forget_callback(query_id)
    account.record(
        chat_id, "callback_answer", "answerCallbackQuery", text=params.get("text"), params=params
    )
    return True


def send_chat_action(account: BotAccount, params: dict[str, Any]) -> Any:
    """``sendChatAction``: transcribe the action (typing, upload_document…)."""
    chat_id = _chat_id(account, params)
    action = params.get("action")
    if not action:
        raise bad_request("action is empty")
    account.record(chat_id, "chat_action", "sendChatAction", text=str(action), params=params)
    return True


def _commands_key(params: Mapping[str, Any]) -> str:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)


def set_my_commands(account: BotAccount, params: dict[str, Any]) -> Any:
    """``setMyCommands``: remember the list per scope and language."""
    commands = params.get("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    account.commands[_commands_key(params)] = commands
    return True


def get_my_commands(account: BotAccount, params: dict[str, Any]) -> Any:
    """``getMyCommands``: the list for the scope and language (empty if none)."""
    return account.commands.get(_commands_key(params), [])


def delete_my_commands(account: BotAccount, params: dict[str, Any]) -> Any:
    """``deleteMyCommands``: forget the list for the scope and language."""
    account.commands.pop(_commands_key(params), None)
    return True


def get_file(account: BotAccount, params: dict[str, Any]) -> Any:
    """``getFile``: a File with a ``file_path`` served under ``/file/bot<token>/``."""
    upload = account.files.get(str(params.get("file_id", "")))
    if upload is None:
        raise bad_request("invalid file_id")
    result = document_json(upload)
    result.pop("file_name", None)
    result.pop("mime_type", None)
    result["file_path"] = f"files/{upload.file_id}"
    return result


METHODS: Mapping[str, Handler] = {
    name.lower(): handler
    for name, handler in {
        "getMe": get_me,
        "logOut": simple_true,
        "close": simple_true,
        "deleteWebhook": delete_webhook,
        "getWebhookInfo": get_webhook_info,
        "sendMessage": send_message,
        "editMessageText": edit_message_text,
        "editMessageReplyMarkup": edit_message_reply_markup,
        "deleteMessage": delete_message,
        "answerCallbackQuery": answer_callback_query,
        "sendDocument": send_document,
        "sendPhoto": send_photo,
        "sendChatAction": send_chat_action,
        "setMyCommands": set_my_commands,
        "getMyCommands": get_my_commands,
        "deleteMyCommands": delete_my_commands,
        "getFile": get_file,
    }.items()
}
