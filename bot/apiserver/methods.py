"""The Bot API methods the local server answers, each acting on one ``BotAccount``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from bot.apiserver.objects import bot_message_json, document_json, file_ids
from bot.apiserver.params import (
    MAX_CAPTION,
    MAX_TEXT,
    chat_id_param,
    message_id_param,
    reply_markup_param,
    text_param,
)
from bot.apiserver.records import ApiError, BotMessage, UploadedFile, bad_request
from bot.apiserver.state import BotAccount

Handler = Callable[[BotAccount, dict[str, Any]], Any]


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
    chat_id = chat_id_param(account, params)
    text = text_param(params, "text", MAX_TEXT, required=True)
    markup = reply_markup_param(params)
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
    chat_id = chat_id_param(account, params)
    upload = _upload(account, params, kind)
    caption = text_param(params, "caption", MAX_CAPTION, required=False)
    markup = reply_markup_param(params)
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
        "photo" if kind == "photo" else "document",
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
    chat_id = chat_id_param(account, params)
    message = account.message(chat_id, message_id_param(params))
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
    text = text_param(params, "text", MAX_TEXT, required=True)
    markup = reply_markup_param(params)
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
    markup = reply_markup_param(params)
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
    chat_id = chat_id_param(account, params)
    message = account.message(chat_id, message_id_param(params))
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
    chat_id = chat_id_param(account, params)
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
