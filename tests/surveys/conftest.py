"""Fixtures for the domain: services over a real SQLite file, no Telegram."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from storage.db import Database
from storage.outbox import OutboxRepository
from storage.partners import PartnerRepository
from storage.records import Partner, PartnerRow
from storage.responses import ResponseRepository
from storage.rounds import RoundRepository
from surveys.answering import AnsweringService
from surveys.clock import ManualClock
from surveys.rounds import RoundService

LONDON = ZoneInfo("Europe/London")
ROSTER = [
    PartnerRow("Asha Patel", "Fareham Borough Council", "Council", "Fareham Partnership", "Chair"),
    PartnerRow("Ben Okafor", "Hampshire Constabulary", "Police", "Fareham Partnership", "Member"),
    PartnerRow("Cara Jones", "NHS Hampshire", "NHS", "Fareham Partnership", "Member"),
    PartnerRow("Dev Shah", "Community Action", "Voluntary", "Safety Board", "Chair"),
]


@dataclass
class Domain:
    """The services a test drives, and the partners (joined, chat id = 1000 + id)."""

    db: Database
    clock: ManualClock
    partners: PartnerRepository
    responses: ResponseRepository
    rounds_repo: RoundRepository
    outbox: OutboxRepository
    rounds: RoundService
    answering: AnsweringService
    people: list[Partner]

    async def refresh(self) -> None:
        self.people = await self.partners.all()


@pytest.fixture
async def domain(db: Database, clock: ManualClock) -> Domain:
    partners = PartnerRepository(db)
    await partners.import_rows(ROSTER, clock.now())
    async with db.write() as conn:
        await conn.execute("UPDATE partners SET chat_id = 1000 + id, telegram_user_id = 1000 + id")
    responses, rounds_repo, outbox = (ResponseRepository(db), RoundRepository(db),
                                      OutboxRepository(db))
    async def coordinators() -> list[int]:
        return [77]

    rounds = RoundService(rounds_repo, responses, partners, outbox, clock, LONDON,
                          coordinator_chats=coordinators, min_group_size=3)
    answering = AnsweringService(rounds_repo, responses, clock, LONDON, max_text_length=4000)
    return Domain(db, clock, partners, responses, rounds_repo, outbox, rounds, answering,
                  await partners.all())
