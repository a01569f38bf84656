"""The sender: drains the outbox at Telegram's limits, whichever process wrote to it.

Delivery is at least once, and exactly once unless the process dies with a send in flight:
the Bot API has no idempotency key and no way to ask whether a message arrived, so a request
Telegram accepted just before a crash, but whose "sent" was never committed, cannot be told
from one that never left and is sent again (never dropped). To keep that window small, a row
is claimed ('sending') one at a time right before its request, marked 'sent' as soon as the
answer comes, at most `concurrency` are in flight, a graceful stop lets them finish, and the
rows put back after a crash are logged and noted as possibly delivered twice.

429 pauses every send for `retry_after` and sends the same message again; 500s and timeouts
back off (`backoff_base` doubling); 403 fails the row and marks the partner unreachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Protocol

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.render import fit, payload_keyboard
from bot.timing import LoopTimer, Timer
from surveys.clock import Clock
from surveys.records import OutboxMessage, backoff

log = logging.getLogger(__name__)

# Sends are spaced a little wider than 1/rate: network jitter must not push a second
# window over Telegram's limit.
JITTER_GUARD = 1.05


class Outbox(Protocol):
    """The outbox as the sender uses it (`storage.outbox.OutboxRepository`, given at wiring)."""

    async def recover(self) -> list[OutboxMessage]: ...
    async def claim_next(self, now: datetime,
                         skip_chats: Collection[int] = ()) -> OutboxMessage | None: ...
    async def next_due(self, after: datetime) -> datetime | None: ...
    async def mark_sent(self, message_id: int, telegram_message_id: int,
                        now: datetime) -> None: ...
    async def retry_later(self, message_id: int, not_before: datetime, error: str,
                          *, count_attempt: bool = True) -> None: ...
    async def mark_failed(self, message_id: int, error: str) -> None: ...
    async def mark_blocked(self, message_id: int, partner_id: int | None, error: str,
                           now: datetime) -> None: ...


class OutboxSender:
    """Sends queued messages, never faster than the limits, never dropping one."""

    def __init__(self, bot: Bot, outbox: Outbox, clock: Clock, *, per_second: float = 30.0,
                 per_chat_interval: float = 1.0,
                 max_attempts: int = 8, wake: asyncio.Event | None = None,
                 idle_poll: float = 0.5, concurrency: int = 4, backoff_base: float = 1.0,
                 stop_grace: float = 10.0, timer: Timer | None = None) -> None:
        self.bot = bot
        self.outbox = outbox
        self.clock = clock
        # Pacing runs on monotonic seconds: a wall-clock jump must not burst or stall sends.
        self.timer = timer or LoopTimer()
        self.per_second = per_second
        self.per_chat_interval = per_chat_interval
        self.max_attempts = max_attempts
        self.wake = wake or asyncio.Event()
        self.idle_poll = idle_poll
        self.concurrency = max(1, concurrency)
        self.backoff_base = backoff_base
        self.stop_grace = stop_grace
        self._spacing = JITTER_GUARD / per_second
        self._next_start = 0.0
        self._paused_until = 0.0
        self._chat_free_at: dict[int, float] = {}  # timer seconds: when a chat may have the next
        self._busy_chats: set[int] = set()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(self.concurrency)
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.recovered: list[OutboxMessage] = []
        self.sent = 0

    def start(self) -> None:
        """Run in the background."""
        self._stopping.clear()
        self._task = asyncio.create_task(self.run(), name="outbox-sender")

    async def stop(self) -> None:
        """Claim nothing more, let the sends under way settle (up to `stop_grace`), stop."""
        if self._task is None:
            return
        self._stopping.set()
        self.wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), self.stop_grace)
        except TimeoutError:
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        if self._in_flight:
            _, late = await asyncio.wait(set(self._in_flight), timeout=self.stop_grace)
            for task in late:
                # Left 'sending': the next start puts it back in the queue.
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def run(self) -> None:
        """Drain the outbox until stopped."""
        self.recovered = await self.outbox.recover()
        if self.recovered:
            log.warning("re-queued %d message(s) in flight at a crash; Telegram may already "
                        "have delivered them (outbox ids %s)", len(self.recovered),
                        [m.id for m in self.recovered])
        while not self._stopping.is_set():
            self.wake.clear()
            try:
                started = await self.step()
            except Exception:
                # A database hiccup must not end the sender; the row is retried later.
                log.exception("the outbox sender failed a step")
                started = False
            if not started:
                await self._idle()

    async def step(self) -> bool:
        """Start the next due send when the limits allow; False if nothing could start."""
        await self._slots.acquire()
        message: OutboxMessage | None = None
        try:
            # Again after each wait: a 429 that arrived meanwhile pauses this send too.
            while (wait := max(self._paused_until, self._next_start)
                   - self.timer.monotonic()) > 0 and not self._stopping.is_set():
                await self._sleep(wait)
            if self._stopping.is_set():
                return True
            now = woke = self.timer.monotonic()
            self._chat_free_at = {c: t for c, t in self._chat_free_at.items() if t > now}
            message = await self.outbox.claim_next(
                self.clock.now(), self._busy_chats | self._chat_free_at.keys())
        finally:
            if message is None:
                self._slots.release()
        if message is None:
            return False
        now = self.timer.monotonic()
        # Pace from when this slot began, before the claim: the claim's own time must not
        # stretch every gap. Never catch up: a burst would cross Telegram's per-second window.
        self._next_start = max(woke, self._next_start) + self._spacing
        self._busy_chats.add(message.chat_id)
        self._chat_free_at[message.chat_id] = now + self.per_chat_interval
        task = asyncio.create_task(self._send_then_release(message),
                                   name=f"outbox-send-{message.id}")
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return True

    async def _send_then_release(self, message: OutboxMessage) -> None:
        try:
            await self.send(message)
        except Exception:
            log.exception("outbox message %s could not be settled", message.id)
        finally:
            # Telegram had the message by the time it answered: the chat's next one waits a
            # full interval from now, so a slow request then a fast one cannot squeeze the gap.
            self._chat_free_at[message.chat_id] = self.timer.monotonic() + self.per_chat_interval
            self._busy_chats.discard(message.chat_id)
            self._slots.release()
            self.wake.set()  # a chat is free again: look at the queue

    async def _idle(self) -> None:
        """Wait for a wake-up, the next due message or a chat's interval, at most idle_poll."""
        wait = self.idle_poll
        now = self.clock.now()
        later = await self.outbox.next_due(after=now)
        if later is not None:
            wait = min(wait, (later - now).total_seconds())
        if self._chat_free_at:
            wait = min(wait, min(self._chat_free_at.values()) - self.timer.monotonic())
        await self.timer.wait(self.wake, max(wait, 0.001))

    async def _sleep(self, seconds: float) -> None:
        """Wait `seconds` on the timer, or less if the sender is stopped meanwhile."""
        if seconds > 0:
            await self.timer.wait(self._stopping, seconds)

    async def send(self, message: OutboxMessage) -> None:
        """Send one claimed message and settle its row."""
        payload = message.payload
        try:
            sent = await self.bot.send_message(
                message.chat_id, fit(payload["text"]),
                reply_markup=payload_keyboard(payload.get("buttons")))
        except RetryAfter as exc:
            seconds = _seconds(exc.retry_after)
            self._paused_until = max(self._paused_until, self.timer.monotonic() + seconds)
            await self.outbox.retry_later(message.id,
                                          self.clock.now() + timedelta(seconds=seconds),
                                          f"429: retry after {seconds}s", count_attempt=False)
            return
        except Forbidden as exc:
            await self._unreachable(message, f"403: {exc.message}")
            return
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                await self._unreachable(message, f"400: {exc.message}")
            else:
                log.error("outbox message %s refused: %s", message.id, exc.message)
                await self.outbox.mark_failed(message.id, f"400: {exc.message}")
            return
        except (NetworkError, TelegramError) as exc:
            # 500s, 502s, timeouts, and anything else Telegram answers: try again later.
            await self._retry_or_fail(message, exc)
            return
        await self.outbox.mark_sent(message.id, sent.message_id, self.clock.now())
        self.sent += 1

    async def _retry_or_fail(self, message: OutboxMessage, exc: Exception) -> None:
        if message.attempts >= self.max_attempts:
            log.error("outbox message %s failed after %d attempts: %s", message.id,
                      message.attempts, exc)
            await self.outbox.mark_failed(message.id, str(exc))
            return
        await self.outbox.retry_later(
            message.id, self.clock.now() + backoff(message.attempts, self.backoff_base),
            f"{type(exc).__name__}: {exc}")

    async def _unreachable(self, message: OutboxMessage, error: str) -> None:
        await self.outbox.mark_blocked(message.id, message.partner_id, error, self.clock.now())
        if message.partner_id is not None:
            log.info("partner %s is unreachable (%s)", message.partner_id, error)


def _seconds(retry_after: object) -> float:
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)  # type: ignore[arg-type]
