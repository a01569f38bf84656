"""What the local Bot API server remembers: uploaded files, transcript events, bot messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

EventKind = Literal[
    "message", "edit", "delete", "callback_answer", "document", "photo", "chat_action"
]
SEND_KINDS: frozenset[str] = frozenset({"message", "document", "photo"})

ButtonRows = list[list[tuple[str, str]]]


class ApiError(Exception):
    """A Bot API error answered as ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram would send for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def too_many_requests(retry_after: int) -> ApiError:
    """The 429 answer Telegram gives when a bot sends too fast."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def blocked_by_user() -> ApiError:
    """The 403 answer Telegram gives when the partner blocked the bot."""
    return ApiError(403, "Forbidden: bot was blocked by the user")


def bad_request(reason: str) -> ApiError:
    """A 400 answer with Telegram's ``Bad Request: ...`` wording."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded (or a partner sent): its name, type and bytes."""

    file_id: str
    filename: str | None
    content: bytes
    mime_type: str | None = None

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.content)


def keyboard_buttons(reply_markup: dict[str, Any] | None) -> ButtonRows:
    """Rows of ``(text, callback_data)`` of an inline keyboard (url buttons give ``""``)."""
    if not reply_markup:
        return []
    rows = reply_markup.get("inline_keyboard") or []
    return [
        [(str(button.get("text", "")), str(button.get("callback_data", ""))) for button in row]
        for row in rows
    ]


@dataclass
class TranscriptEvent:
    """One thing the bot did in a chat, in the order the server accepted it."""

    index: int
    kind: EventKind
    method: str
    chat_id: int
    message_id: int | None = None
    text: str | None = None
    reply_markup: dict[str, Any] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    file: UploadedFile | None = None
    at: float = 0.0

    @property
    def buttons(self) -> ButtonRows:
        """Inline buttons carried by this event as ``(text, callback_data)`` rows."""
        return keyboard_buttons(self.reply_markup)

    def to_json(self) -> dict[str, Any]:
        """A JSON-friendly view (file bytes replaced by their size)."""
        data: dict[str, Any] = {
            "index": self.index,
            "kind": self.kind,
            "method": self.method,
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "text": self.text,
            "reply_markup": self.reply_markup,
            "at": self.at,
        }
        if self.file is not None:
            data["file"] = {"filename": self.file.filename, "size": self.file.size}
        return data


@dataclass
class BotMessage:
    """The current state of one message the bot sent: text after edits, markup, deletion."""

    chat_id: int
    message_id: int
    kind: Literal["text", "document", "photo"]
    date: int
    text: str | None = None
    reply_markup: dict[str, Any] | None = None
    entities: list[dict[str, Any]] | None = None
    file: UploadedFile | None = None
    deleted: bool = False
    edit_count: int = 0
    edit_date: int | None = None

    @property
    def buttons(self) -> ButtonRows:
        """Inline buttons as ``(text, callback_data)`` rows."""
        return keyboard_buttons(self.reply_markup)

    def has_button(self, callback_data: str) -> bool:
        """Whether an inline button of this message carries ``callback_data``."""
        return any(data == callback_data for row in self.buttons for _, data in row)

    def to_json(self) -> dict[str, Any]:
        """A JSON-friendly view for the control API."""
        return {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "kind": self.kind,
            "text": self.text,
            "reply_markup": self.reply_markup,
            "deleted": self.deleted,
            "edit_count": self.edit_count,
            "filename": self.file.filename if self.file else None,
        }


@dataclass(frozen=True)
class Partner:
    """A simulated Telegram user who talks to the bot in a private chat."""

    user_id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "en"
