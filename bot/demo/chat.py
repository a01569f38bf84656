"""A chat as a page: what a partner saw on their phone, for the demo's output and the README."""

from __future__ import annotations

from html import escape
from typing import Any

from bot.apiserver import BotApiServer

_STYLE = """
body{margin:0;background:#8fb1cc;font:15px/1.35 system-ui,-apple-system,"Segoe UI",sans-serif}
.head{background:#517da2;color:#fff;padding:.7rem 1rem;font-weight:600;position:sticky;top:0}
.chat{max-width:430px;margin:0 auto;padding:.6rem .6rem 2rem;background:#cfe0ea;min-height:100vh}
.msg{max-width:82%;padding:.45rem .65rem;margin:.35rem 0;border-radius:12px;white-space:pre-wrap;
 word-wrap:break-word;box-shadow:0 1px 1px rgba(0,0,0,.12)}
.bot{background:#fff;border-bottom-left-radius:4px}
.me{background:#e1ffc7;margin-left:auto;border-bottom-right-radius:4px}
.keys{max-width:82%;display:grid;gap:3px;margin:-.1rem 0 .4rem}
.row{display:flex;gap:3px}
.key{flex:1;background:rgba(0,40,80,.35);color:#fff;border-radius:6px;padding:.35rem;
 text-align:center;font-size:.88rem}
.file{font-style:italic;color:#2b5278}
"""


def chat_html(server: BotApiServer, chat_id: int, title: str, limit: int | None = None) -> str:
    """The chat between the bot and one person, bubbles in order, buttons as they are now."""
    items: list[tuple[int, str]] = []
    for m in server.messages(chat_id):
        if m.deleted:
            continue
        body = escape(m.text or "")
        if m.file is not None:
            body = f'<span class="file">📎 {escape(m.file.filename or "file")}</span>' + (
                f"\n{body}" if body else "")
        html = f'<div class="msg bot">{body}</div>'
        if m.buttons:
            rows = "".join('<div class="row">' + "".join(
                f'<div class="key">{escape(text)}</div>' for text, _ in row) + "</div>"
                for row in m.buttons)
            html += f'<div class="keys">{rows}</div>'
        items.append((m.message_id, html))
    for said in server.partner_messages(chat_id):
        items.append((said["message_id"],
                      f'<div class="msg me">{escape(_shown(said))}</div>'))
    items.sort(key=lambda item: item[0])
    if limit is not None:
        items = items[:limit]
    bubbles = "\n".join(html for _, html in items)
    return (f'<!doctype html><html lang="en"><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style>"
            f'<div class="chat"><div class="head">{escape(title)}</div>{bubbles}</div></html>')


def _shown(message: dict[str, Any]) -> str:
    if "text" in message:
        return str(message["text"])
    for kind, label in (("sticker", "a sticker"), ("photo", "a photo"), ("voice", "a voice note"),
                        ("location", "a location")):
        if kind in message:
            return f"[{label}]"
    return "[a message]"
