"""Telegram may deliver an update twice (the bot restarted before acknowledging it): each is
applied once.

The update is claimed in the transaction of the first write made while handling it (a
partner's answer, say), so the claim and what the update changed are committed together: a
crash or an error between the two leaves neither, and the redelivered update is applied then.
An update that changes nothing is claimed once it has been handled; one whose handling
failed is not claimed at all. A write that finds its update claimed before is rolled back
(`AlreadyApplied`). Claims are kept for two days, longer than Telegram keeps an update it
could deliver again (24 hours), then pruned.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.responses import ResponseRepository
from surveys.clock import Clock
from surveys.errors import maps_store_errors

KEPT = timedelta(days=2)            # claims younger than this are kept
PRUNE_EVERY = timedelta(hours=1)    # and older ones deleted at most this often


@maps_store_errors
class Deliveries:
    """The ledger of updates already applied."""

    def __init__(self, responses: ResponseRepository, clock: Clock) -> None:
        self.responses = responses
        self.clock = clock
        self._pruned: datetime | None = None

    async def claim(self, update_id: int) -> None:
        """An update is being handled: it is claimed with its first write (or by `settle`)."""
        now = self.clock.now()
        if self._pruned is None or now - self._pruned >= PRUNE_EVERY:
            self._pruned = now
            await self.prune()   # before the claim is set: the prune does not carry it
        self.responses.claim_with_next_write(update_id, now)

    async def settle(self) -> bool:
        """The update was handled: claim it if no write did; False if it was applied before."""
        return await self.responses.settle_claim()

    def drop(self) -> None:
        """Handling the update failed: leave it unclaimed, to be applied when redelivered."""
        self.responses.drop_claim()

    async def prune(self) -> int:
        """Forget claims older than `KEPT`; how many were forgotten."""
        return await self.responses.forget_updates(before=self.clock.now() - KEPT)

    async def first(self, update_id: int) -> bool:
        """Claim an update at once, outside any write; False if it was claimed before (for a
        caller with no write of its own to carry the claim)."""
        await self.claim(update_id)
        return await self.settle()
