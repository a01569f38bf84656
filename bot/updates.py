"""Updates run concurrently across chats, in order within a chat, and fairly under a flood.

PTB either handles every update in turn or all at once. A partner who sends two messages in
quick succession must have them applied in order (the second adds to the first), while forty
partners answering at once should not queue behind each other.

PTB's own processor takes one of its processing slots before anything else, so a chat that
sent a thousand messages held every slot with updates that only waited for that chat's lock,
and everyone else waited behind them. Here an update first waits for its chat's turn and only
then for a slot, so no chat holds more than one; a chat's backlog is bounded; and beyond a
per-chat rate, updates that arrive while the chat's earlier ones still queue are dropped after
one "please slow down", unless they carry on a text answer the partner is typing. A partner
who waits for each reply, however quick, is never held back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

SLOW_DOWN = ("You are sending messages faster than I can read them, so I skipped some. "
             "Please wait a moment, then carry on: every answer you gave so far is saved.")
# PTB's base class takes its semaphore before anything else; it is made too wide to bind,
# and the real slots are taken after the chat's lock.
_UNBOUNDED = 1 << 30
_SWEEP_AT = 1024  # chats remembered before idle ones are forgotten


@dataclass
class _Chat:
    """One chat's turn, backlog and rate."""

    tokens: float
    refilled: float
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0          # updates admitted and not yet done (the backlog)
    warned: bool = False      # told to slow down in this burst
    typing: bool = False      # verdict of `continues_answer`, good until `typing_until`
    typing_until: float = float("-inf")
    asking: asyncio.Future[bool] | None = None  # a `continues_answer` call under way


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats, sequential within a chat, at most one slot a chat.

    `rate` updates a second are let through per chat, with bursts of `burst`; at most
    `backlog` wait per chat. `clock` (seconds, monotonic) is injected so tests need no sleep.
    `on_flood(chat_id)` is called once a burst when a chat's updates start being dropped;
    `continues_answer(chat_id)` says whether a text beyond the rate is part of an answer in
    progress (and is kept). Both are bound once the bot exists.
    """

    def __init__(self, max_concurrent_updates: int = 16, *, backlog: int = 30,
                 rate: float = 1.0, burst: int = 20,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(_UNBOUNDED)
        if backlog < 1 or burst < 1 or rate <= 0:
            raise ValueError("backlog and burst must be at least 1 and rate above 0")
        self.slots = max_concurrent_updates
        self.backlog = backlog
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.on_flood: Callable[[int], Awaitable[None]] | None = None
        self.continues_answer: Callable[[int], Awaitable[bool]] | None = None
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._chats: dict[int, _Chat] = {}
        # What happened, for tests and benchmarks.
        self.dropped = 0
        self.most_slots_one_chat = 0
        self.most_waiting_one_chat = 0
        self._held: dict[int, int] = {}
        # When the last update was done, and how many are under way: background work
        # (the embedding worker) waits for a quiet moment (`quiet_for`).
        self._last_done = float("-inf")
        self._under_way = 0

    def quiet_for(self) -> float:
        """Seconds since the last update was done; 0 while one is under way."""
        if self._under_way:
            return 0.0
        return self.clock() - self._last_done

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Admit the update (rate and backlog), wait for the chat's turn, then for a slot."""
        key = _chat_key(update)
        chat = self._chat(key)
        if not await self._admit(key, chat, update):
            _discard(coroutine)
            return
        chat.waiting += 1
        self.most_waiting_one_chat = max(self.most_waiting_one_chat, chat.waiting)
        self._under_way += 1
        try:
            async with chat.lock, self._slots:
                self._held[key] = self._held.get(key, 0) + 1
                self.most_slots_one_chat = max(self.most_slots_one_chat, self._held[key])
                try:
                    await coroutine
                finally:
                    self._held[key] -= 1
                    if not self._held[key]:
                        del self._held[key]
        finally:
            chat.waiting -= 1
            self._under_way -= 1
            self._last_done = self.clock()

    async def _admit(self, key: int, chat: _Chat, update: object) -> bool:
        if chat.asking is not None:  # behind a message whose fate is being decided: in order
            await asyncio.shield(chat.asking)
        now = self.clock()
        chat.tokens = min(float(self.burst), chat.tokens + (now - chat.refilled) * self.rate)
        chat.refilled = now
        if chat.tokens >= self.burst:
            chat.warned = False  # a fresh burst: a later flood is told again
        if chat.waiting < self.backlog:
            if chat.tokens >= 1:
                chat.tokens -= 1
                return True
            # Out of rate, a partner who waits for each reply (nothing else of theirs queued)
            # is only quick, not flooding; once a chat has been told to slow down, it is not.
            if chat.waiting <= 1 and not chat.warned:
                return True
            if _is_plain_text(update) and await self._typing(key, chat, now):
                return True
        self.dropped += 1
        if not chat.warned:
            chat.warned = True
            log.warning("chat %s is flooding; its updates are dropped for now", key)
            if self.on_flood is not None and key and _is_private(update):  # groups: one notice
                try:
                    await self.on_flood(key)
                except Exception:  # the warning is a courtesy; the drop stands regardless
                    log.info("could not ask chat %s to slow down", key, exc_info=True)
        return False

    async def _typing(self, key: int, chat: _Chat, now: float) -> bool:
        if self.continues_answer is None:
            return False
        if now < chat.typing_until:  # asked at most once a second per chat
            return chat.typing
        chat.asking = asyncio.ensure_future(_or_false(self.continues_answer(key)))
        try:
            chat.typing = await chat.asking
        finally:
            chat.asking = None
            chat.typing_until = self.clock() + 1.0
        return chat.typing

    def _chat(self, key: int) -> _Chat:
        chat = self._chats.get(key)
        if chat is None:
            if len(self._chats) >= _SWEEP_AT:
                self._sweep()
            chat = self._chats[key] = _Chat(tokens=float(self.burst), refilled=self.clock())
        return chat

    def _sweep(self) -> None:
        """Forget chats with nothing waiting whose rate has recovered."""
        now = self.clock()
        for key, chat in list(self._chats.items()):
            full = chat.tokens + (now - chat.refilled) * self.rate >= self.burst
            if not chat.waiting and full:
                del self._chats[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


async def _or_false(question: Awaitable[bool]) -> bool:
    try:
        return await question
    except Exception:  # unsure (the database is busy, say): the flood rule applies
        log.info("could not tell whether a partner is typing an answer", exc_info=True)
        return False


def _discard(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:  # never awaited, on purpose: no "was never awaited" warning
        close()


def _is_private(update: object) -> bool:
    chat = update.effective_chat if isinstance(update, Update) else None
    return chat is not None and chat.type == "private"


def _is_plain_text(update: object) -> bool:
    message = update.message if isinstance(update, Update) else None
    return bool(message is not None and message.text and not message.text.startswith("/"))


def _chat_key(update: object) -> int:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return 0
