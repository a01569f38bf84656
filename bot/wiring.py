"""Building the services once, from the configuration, for the bot, the CLI and the demo."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config import Config
from storage.db import Database
from storage.partners import PartnerRepository
from surveys.clock import Clock, SystemClock
from surveys.invites import Invitations


@dataclass
class Services:
    """Everything a handler or command needs, built once and passed in."""

    config: Config
    db: Database
    clock: Clock
    partners: PartnerRepository
    invitations: Invitations

    async def is_coordinator(self, telegram_user_id: int) -> bool:
        """Coordinators are the config's ids plus those added with the CLI."""
        if telegram_user_id in self.config.coordinators.telegram_ids:
            return True
        return await self.partners.is_coordinator(telegram_user_id)


async def build_services(config: Config, clock: Clock | None = None) -> Services:
    """Open the database (migrating it) and build the services on it."""
    clock = clock or SystemClock()
    db = await Database(config.database.path).open()
    partners = PartnerRepository(db)
    return Services(
        config=config, db=db, clock=clock, partners=partners,
        invitations=Invitations(partners, clock, config.invitations.valid_days),
    )


@asynccontextmanager
async def services(config: Config, clock: Clock | None = None) -> AsyncIterator[Services]:
    """Services for the length of a block; the database is closed after."""
    built = await build_services(config, clock)
    try:
        yield built
    finally:
        await built.db.close()
