"""The aiohttp server speaking the Bot API on 127.0.0.1, and its Python handle for tests."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections import Counter
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.apiserver.faults import Fault, FaultPlan, SendRateLimit
from bot.apiserver.methods import METHODS
from bot.apiserver.params import SEND_METHODS, check_reachable, read_params, target_chat
from bot.apiserver.partner import SimulatedPartner
from bot.apiserver.records import (
    ApiError,
    BotMessage,
    ButtonRows,
    Partner,
    TranscriptEvent,
    UploadedFile,
    too_many_requests,
)
from bot.apiserver.state import WAIT_TIMEOUT, BotAccount, EventPredicate
from bot.timing import LoopTimer, Timer

_LOGGER = logging.getLogger(__name__)
DEFAULT_TOKEN = "123456789:TEST-partnerpulse-local-token"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _json_response(body: Mapping[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(body, ensure_ascii=False).encode(),
        status=status,
        content_type="application/json",
    )


class BotApiServer:
    """A local Telegram Bot API: PTB talks to it over HTTP, tests drive partners and read back."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        send_limit_per_second: int | None = 30,
        timer: Timer | None = None,
        max_long_poll: float = 50.0,
        hold_timeout: float = 60.0,
        control_api: bool = True,
        accept_unknown_chats: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.faults = FaultPlan()
        self.too_many_requests_count = 0
        self.requests: Counter[str] = Counter()
        self.max_long_poll = max_long_poll
        self.hold_timeout = hold_timeout
        # Delays and the sending limit run on the timer, so tests can move time by hand.
        self.timer = timer or LoopTimer()
        self._limit = SendRateLimit(send_limit_per_second, self.timer.monotonic)
        self._bots: dict[str, BotAccount] = {}
        self._partners: dict[tuple[str, int], SimulatedPartner] = {}
        self._control_api = control_api
        self.accept_unknown_chats = accept_unknown_chats
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()
        self._in_flight = 0
        self._activity = 0

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> BotApiServer:
        """Bind 127.0.0.1 (a free port if ``port`` is 0) and start serving."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        if self._control_api:
            from bot.apiserver.control import add_control_routes

            add_control_routes(app, self)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        self._closing.clear()
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=2.0
        )
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        """Release long polls and held requests, then close the server."""
        self._closing.set()
        for account in self._bots.values():
            account.signal.fire()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiServer:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What to pass to ``ApplicationBuilder.base_url`` (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What to pass to ``ApplicationBuilder.base_file_url``."""
        return f"{self.url}/file/bot"

    # -- bots and partners ----------------------------------------------------------------

    def add_bot(
        self,
        token: str = DEFAULT_TOKEN,
        username: str = "partnerpulse_bot",
        first_name: str = "PartnerPulse",
    ) -> BotAccount:
        """Register a bot token; the first one registered is the default for every helper."""
        prefix = token.split(":", 1)[0]
        bot_id = int(prefix) if prefix.isdigit() else 1_000_000 + len(self._bots)
        account = BotAccount(
            token, bot_id, username, first_name, accept_unknown_chats=self.accept_unknown_chats
        )
        self._bots[token] = account
        return account

    def bot(self, token: str | None = None) -> BotAccount:
        """The account of ``token``, or of the first bot registered."""
        if token is not None:
            return self._bots[token]
        if not self._bots:
            raise LookupError("no bot registered; call add_bot(token) first")
        return next(iter(self._bots.values()))

    @property
    def token(self) -> str:
        """The default bot's token."""
        return self.bot().token

    def user(
        self,
        user_id: int,
        first_name: str = "Partner",
        username: str | None = None,
        *,
        last_name: str | None = None,
        token: str | None = None,
    ) -> SimulatedPartner:
        """The simulated partner ``user_id`` (created on first call, the same object after)."""
        account = self.bot(token)
        key = (account.token, user_id)
        if key not in self._partners:
            partner = Partner(user_id, first_name, username, last_name)
            account.partners[user_id] = partner
            self._partners[key] = SimulatedPartner(account, partner)
        return self._partners[key]

    def redeliver(self, update_id: int, *, token: str | None = None) -> None:
        """Put an already-delivered update back in the queue (a duplicate delivery)."""
        self.bot(token).redeliver(update_id)

    # -- reading what the bot did ---------------------------------------------------------

    def transcript(self, chat_id: int, *, token: str | None = None) -> list[TranscriptEvent]:
        """Everything the bot did in ``chat_id`` (sends, edits, deletes, answers…), in order."""
        return self.bot(token).transcript(chat_id)

    def partner_messages(self, chat_id: int, *, token: str | None = None) -> list[dict[str, Any]]:
        """The partner's own messages in ``chat_id``, as Telegram Message objects, in order."""
        return self.bot(token).partner_messages(chat_id)

    def messages(self, chat_id: int, *, token: str | None = None) -> list[BotMessage]:
        """The bot's messages in ``chat_id`` in their current state (after edits, deletes)."""
        return self.bot(token).messages(chat_id)

    def message(self, chat_id: int, message_id: int, *, token: str | None = None) -> BotMessage:
        """One bot message by id; KeyError if the bot never sent it."""
        message = self.bot(token).message(chat_id, message_id)
        if message is None:
            raise KeyError(f"no bot message {message_id} in chat {chat_id}")
        return message

    def last_message(self, chat_id: int, *, token: str | None = None) -> BotMessage:
        """The bot's latest message in ``chat_id`` that is not deleted."""
        alive = [m for m in self.messages(chat_id, token=token) if not m.deleted]
        if not alive:
            raise LookupError(f"the bot has no message in chat {chat_id}")
        return alive[-1]

    def buttons(
        self, chat_id: int, message_id: int | None = None, *, token: str | None = None
    ) -> ButtonRows:
        """``(text, callback_data)`` rows of a message (default: the latest one)."""
        if message_id is None:
            return self.last_message(chat_id, token=token).buttons
        return self.message(chat_id, message_id, token=token).buttons

    def documents(self, chat_id: int, *, token: str | None = None) -> list[UploadedFile]:
        """Files the bot sent to ``chat_id`` (documents and photos), in order."""
        return [e.file for e in self.transcript(chat_id, token=token) if e.file is not None]

    def sent_count(self, chat_id: int | None = None, *, token: str | None = None) -> int:
        """Messages successfully sent to ``chat_id`` (or to everyone if None)."""
        counts = self.bot(token).sent_per_chat
        return sum(counts.values()) if chat_id is None else counts[chat_id]

    def stats(self, *, token: str | None = None) -> dict[str, Any]:
        """Sends per chat, total, 429s answered, requests per method, pending updates."""
        account = self.bot(token)
        return {
            "sent_total": sum(account.sent_per_chat.values()),
            "sent_per_chat": {str(chat): n for chat, n in account.sent_per_chat.items()},
            "too_many_requests": self.too_many_requests_count,
            "requests": dict(self.requests),
            "pending_updates": account.pending_update_count,
            "send_limit_per_second": self.send_limit_per_second,
        }

    @property
    def send_limit_per_second(self) -> int | None:
        """Global cap on sends per second (None or 0: unlimited)."""
        return self._limit.per_second

    @send_limit_per_second.setter
    def send_limit_per_second(self, value: int | None) -> None:
        self._limit.per_second = value

    # -- waiting --------------------------------------------------------------------------

    async def wait_for(
        self,
        chat_id: int,
        predicate: EventPredicate | None = None,
        timeout: float = WAIT_TIMEOUT,  # noqa: ASYNC109 - the documented test API takes a timeout
        *,
        since: int | None = None,
        token: str | None = None,
    ) -> TranscriptEvent:
        """The next event in ``chat_id`` matching ``predicate``, waiting up to ``timeout``.

        Events are looked at from the later of the partner's last action in the chat and the
        event the previous ``wait_for`` returned (or from index ``since``), so a reply that came
        before the call is not missed and one event is not returned twice.
        """
        return await self.bot(token).wait_for(chat_id, predicate, timeout, since=since)

    async def wait_for_poll(
        self,
        timeout: float = WAIT_TIMEOUT,  # noqa: ASYNC109
        *,
        token: str | None = None,
    ) -> None:
        """Wait until the bot has a ``getUpdates`` long poll waiting on the server."""
        account = self.bot(token)
        await account.signal.until(lambda: True if account.waiting_polls else None, timeout)

    def _is_idle(self, account: BotAccount) -> bool:
        return self._in_flight == 0 and account.pending_update_count == 0

    async def wait_idle(
        self,
        timeout: float = WAIT_TIMEOUT,  # noqa: ASYNC109
        quiet: float = 0.1,
        *,
        token: str | None = None,
    ) -> None:
        """Wait until every update is acknowledged and no bot call has run for ``quiet`` s."""
        account = self.bot(token)
        async with asyncio.timeout(timeout):
            while True:
                await account.signal.until(lambda: True if self._is_idle(account) else None, None)
                mark = self._activity
                await asyncio.sleep(quiet)
                if mark == self._activity and self._is_idle(account):
                    return

    # -- HTTP -----------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        account = self._bots.get(request.match_info["token"])
        method = request.match_info["method"]
        self.requests[method] += 1
        long_poll = method.lower() == "getupdates"
        if not long_poll:
            self._in_flight += 1
        try:
            if account is None:
                raise ApiError(401, "Unauthorized")
            if not long_poll and method.lower() not in METHODS:
                raise ApiError(404, "Not Found")
            params = await read_params(request, account.token)
            result = await self._call(account, method, params)
        except ApiError as error:
            if error.status == 429:
                self.too_many_requests_count += 1
            return _json_response(error.payload(), error.status)
        except Exception as exc:
            # A bug here must reach the client as a Bot API error, not an HTML page.
            _LOGGER.exception("local Bot API server failed on %s", method)
            failed = ApiError(500, f"Internal Server Error: {exc!r}")
            return _json_response(failed.payload(), failed.status)
        finally:
            if not long_poll:
                self._in_flight -= 1
            self._activity += 1
            if account is not None:
                account.signal.fire()
        return _json_response({"ok": True, "result": result})

    async def _call(self, account: BotAccount, method: str, params: dict[str, Any]) -> Any:
        key = method.lower()
        fault = self.faults.take(method, target_chat(account, params))
        if fault is not None:
            await self._apply_fault(fault)
        if key == "getupdates":
            return await self._get_updates(account, params)
        check_reachable(account, key, params)
        if key in SEND_METHODS and (retry_after := self._limit.retry_after()) is not None:
            raise too_many_requests(retry_after)
        result = METHODS[key](account, params)
        if key in SEND_METHODS:
            self._limit.record()
        return result

    async def _hold(self, seconds: float) -> None:
        await self.timer.wait(self._closing, seconds)

    async def _apply_fault(self, fault: Fault) -> None:
        """Raise the fault's error; for "slow" only delay; for "timeout" hold, then fail."""
        if fault.kind == "429":
            raise too_many_requests(fault.retry_after)
        if fault.kind == "403":
            raise ApiError(403, fault.description or "Forbidden: bot was blocked by the user")
        if fault.kind == "400":
            raise ApiError(400, fault.description or "Bad Request: simulated fault")
        if fault.kind == "500":
            raise ApiError(500, fault.description or "Internal Server Error")
        if fault.kind == "slow":
            await self._hold(1.0 if fault.delay is None else fault.delay)
            return
        # "timeout": the client gives up first; the call is never performed.
        await self._hold(self.hold_timeout if fault.delay is None else fault.delay)
        raise ApiError(504, fault.description or "Gateway Timeout")

    async def _get_updates(self, account: BotAccount, params: dict[str, Any]) -> Any:
        offset = params.get("offset")
        if isinstance(offset, int) and offset != 0:
            account.acknowledge(offset)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(float(params.get("timeout") or 0), self.max_long_poll)

        def ready() -> list[Any] | None:
            found = account.deliverable(limit)
            return found if found or self._closing.is_set() else None

        items = ready() or []
        if not items and timeout > 0:
            account.waiting_polls += 1
            account.signal.fire()
            try:
                items = await account.signal.until(ready, timeout)
            except TimeoutError:
                items = []
            finally:
                account.waiting_polls -= 1
        for item in items:
            item.delivered = True
        return [item.payload for item in items]

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        account = self._bots.get(request.match_info["token"])
        if account is None:
            return _json_response(ApiError(401, "Unauthorized").payload(), 401)
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        upload = account.files.get(file_id)
        if upload is None:
            return _json_response(ApiError(404, "Not Found").payload(), 404)
        return web.Response(body=upload.content, content_type="application/octet-stream")
