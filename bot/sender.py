"""The sender: drains the outbox at Telegram's limits, whichever process wrote to it.

A row is claimed (committed as 'sending') before it is sent and marked 'sent' right after;
after a crash, claimed rows go back to the queue. 429 waits retry_after and sends the same
message again; 500s and timeouts back off; 403 marks the partner unreachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.render import fit, payload_keyboard
from storage.outbox import OutboxRepository, backoff
from storage.partners import PartnerRepository
from storage.records import OutboxMessage
from surveys.clock import Clock

log = logging.getLogger(__name__)


class OutboxSender:
    """Sends queued messages, never faster than the limits, never dropping one."""

    def __init__(self, bot: Bot, outbox: OutboxRepository, partners: PartnerRepository,
                 clock: Clock, *, per_second: float = 30.0, per_chat_interval: float = 1.0,
                 max_attempts: int = 8, wake: asyncio.Event | None = None,
                 idle_poll: float = 0.5, concurrency: int = 8) -> None:
        self.bot = bot
        self.outbox = outbox
        self.partners = partners
        self.clock = clock
        self.per_second = per_second
        self.per_chat_interval = per_chat_interval
        self.max_attempts = max_attempts
        self.wake = wake or asyncio.Event()
        self.idle_poll = idle_poll
        self.concurrency = concurrency
        self._last_to_chat: dict[int, float] = {}
        self._paused_until = 0.0
        self._task: asyncio.Task[None] | None = None
        self.sent = 0

    def start(self) -> None:
        """Run in the background."""
        self._task = asyncio.create_task(self.run(), name="outbox-sender")

    async def stop(self) -> None:
        """Stop after the sends under way."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def run(self) -> None:
        """Drain the outbox for ever."""
        recovered = await self.outbox.recover()
        if recovered:
            log.warning("re-queued %d message(s) claimed before a crash", recovered)
        while True:
            sent = await self.drain_once()
            if not sent:
                self.wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), self.idle_poll)

    async def drain_once(self) -> int:
        """Claim what is due and send it at the rate allowed; returns how many were handled."""
        pause = self._paused_until - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
        batch_size = max(1, int(self.per_second))
        batch = await self.outbox.claim_due(self.clock.now(), batch_size)
        if not batch:
            return 0
        started = time.monotonic()
        gate = asyncio.Semaphore(self.concurrency)
        interval = 1.0 / self.per_second

        async def one(i: int, message: OutboxMessage) -> None:
            # Spread the batch over a second: the i-th message goes at i/rate.
            delay = started + i * interval - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            async with gate:
                await self.send(message)

        await asyncio.gather(*(one(i, m) for i, m in enumerate(batch)))
        return len(batch)

    async def send(self, message: OutboxMessage) -> None:
        """Send one claimed message and settle its row."""
        now_mono = time.monotonic()
        last = self._last_to_chat.get(message.chat_id)
        if last is not None and now_mono - last < self.per_chat_interval:
            wait = self.per_chat_interval - (now_mono - last)
            await self.outbox.retry_later(message.id, self.clock.now() + timedelta(seconds=wait),
                                          "per-chat interval", count_attempt=False)
            return
        self._last_to_chat[message.chat_id] = now_mono
        payload = message.payload
        try:
            sent = await self.bot.send_message(
                message.chat_id, fit(payload["text"]),
                reply_markup=payload_keyboard(payload.get("buttons")))
        except RetryAfter as exc:
            seconds = _seconds(exc.retry_after)
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)
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
        except (TimedOut, NetworkError) as exc:
            if message.attempts >= self.max_attempts:
                log.error("outbox message %s failed after %d attempts: %s", message.id,
                          message.attempts, exc)
                await self.outbox.mark_failed(message.id, str(exc))
            else:
                await self.outbox.retry_later(
                    message.id, self.clock.now() + backoff(message.attempts), str(exc))
            return
        await self.outbox.mark_sent(message.id, sent.message_id, self.clock.now())
        self.sent += 1

    async def _unreachable(self, message: OutboxMessage, error: str) -> None:
        await self.outbox.mark_failed(message.id, error)
        if message.partner_id is not None:
            await self.partners.set_reachable(message.partner_id, False, self.clock.now())
            log.info("partner %s is unreachable (%s)", message.partner_id, error)


def _seconds(retry_after: object) -> float:
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)  # type: ignore[arg-type]
