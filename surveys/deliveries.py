"""Telegram may deliver an update twice (the bot restarted before acknowledging it): each is
applied once, by whichever delivery claims its id first."""

from __future__ import annotations

from storage.responses import ResponseRepository
from surveys.clock import Clock
from surveys.errors import maps_store_errors


@maps_store_errors
class Deliveries:
    """The ledger of updates already applied."""

    def __init__(self, responses: ResponseRepository, clock: Clock) -> None:
        self.responses = responses
        self.clock = clock

    async def first(self, update_id: int) -> bool:
        """Whether this is the update's first delivery (it is claimed now); False if repeated."""
        return await self.responses.claim_update(update_id, self.clock.now())
