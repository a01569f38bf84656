"""The JSON control API under ``/_control/`` that lets another process drive partners.

All bodies and answers are JSON; every route acts on the default (first) bot.

    POST /_control/users/{id}/text      {"text": "...", "first_name"?, "username"?}
    POST /_control/users/{id}/command   {"command": "/start", "args"?: "..."}
    POST /_control/users/{id}/press     {"data": "...", "message_id"?: N}
    POST /_control/users/{id}/sticker | photo | voice | location | block | unblock   {}
    POST /_control/redeliver            {"update_id": N}
    POST /_control/faults               {"method", "kind", "chat_id"?, "count"?, ...}
    POST /_control/limit                {"per_second": N | null}
    GET  /_control/stats                -> {"sent_total", "sent_per_chat", "too_many_requests", ...}
    GET  /_control/transcript/{chat_id} -> [event, ...]
    GET  /_control/messages/{chat_id}   -> [message, ...]

Partner actions answer ``{"update_id": N}``; a wrong request answers 400 ``{"error": "..."}``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.apiserver.partner import SimulatedPartner

if TYPE_CHECKING:
    from bot.apiserver.server import BotApiServer

PartnerAction = Callable[[SimulatedPartner, dict[str, Any]], Awaitable[int | None]]

PARTNER_ACTIONS: dict[str, PartnerAction] = {
    "text": lambda p, body: p.send_text(str(body["text"])),
    "command": lambda p, body: p.send_command(str(body["command"]), body.get("args")),
    "press": lambda p, body: p.press(str(body["data"]), body.get("message_id")),
    "sticker": lambda p, body: p.send_sticker(),
    "photo": lambda p, body: p.send_photo(),
    "voice": lambda p, body: p.send_voice(),
    "location": lambda p, body: p.send_location(),
    "block": lambda p, body: p.block(),
    "unblock": lambda p, body: p.unblock(),
}


def _ok(body: Any) -> web.Response:
    return web.json_response(body)


def _fail(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=400)


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    try:
        body = await request.json()
    except json.JSONDecodeError:
        return {}
    return body if isinstance(body, dict) else {}


def add_control_routes(app: web.Application, server: BotApiServer) -> None:
    """Mount the ``/_control/`` routes of ``server`` on ``app``."""

    async def partner_action(request: web.Request) -> web.Response:
        action = PARTNER_ACTIONS.get(request.match_info["action"])
        if action is None:
            return _fail(f"unknown action {request.match_info['action']!r}")
        body = await _body(request)
        user_id = int(request.match_info["user_id"])
        partner = server.user(
            user_id,
            first_name=str(body.get("first_name") or f"Partner {user_id}"),
            username=body.get("username"),
        )
        try:
            update_id = await action(partner, body)
        except (KeyError, LookupError, ValueError) as exc:
            return _fail(str(exc))
        return _ok({"update_id": update_id})

    async def redeliver(request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            server.redeliver(int(body["update_id"]))
        except (KeyError, ValueError) as exc:
            return _fail(str(exc))
        return _ok({"ok": True})

    async def add_fault(request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            fault = server.faults.add(
                body.get("method"),
                body.get("kind", "500"),
                chat_id=body.get("chat_id"),
                count=body.get("count", 1),
                retry_after=int(body.get("retry_after", 1)),
                delay=body.get("delay"),
                description=body.get("description"),
            )
        except ValueError as exc:
            return _fail(str(exc))
        return _ok({"kind": fault.kind, "method": fault.method, "count": fault.count})

    async def set_limit(request: web.Request) -> web.Response:
        body = await _body(request)
        per_second = body.get("per_second")
        server.send_limit_per_second = int(per_second) if per_second else None
        return _ok({"per_second": server.send_limit_per_second})

    async def stats(request: web.Request) -> web.Response:
        return _ok(server.stats())

    async def transcript(request: web.Request) -> web.Response:
        chat_id = int(request.match_info["chat_id"])
        return _ok([event.to_json() for event in server.transcript(chat_id)])

    async def messages(request: web.Request) -> web.Response:
        chat_id = int(request.match_info["chat_id"])
        return _ok([message.to_json() for message in server.messages(chat_id)])

    app.router.add_post(r"/_control/users/{user_id:-?\d+}/{action}", partner_action)
    app.router.add_post("/_control/redeliver", redeliver)
    app.router.add_post("/_control/faults", add_fault)
    app.router.add_post("/_control/limit", set_limit)
    app.router.add_get("/_control/stats", stats)
    app.router.add_get(r"/_control/transcript/{chat_id:-?\d+}", transcript)
    app.router.add_get(r"/_control/messages/{chat_id:-?\d+}", messages)
