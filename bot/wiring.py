"""Building the services once, from the configuration, for the bot, the CLI and the demo."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Config, parse_digest_time, parse_quiet_hours
from scheduler import Schedule, Scheduler, build_scheduler
from storage.action_picks import ActionPickRepository
from storage.actions import ActionRepository, ComparisonRepository
from storage.backup import backup_database
from storage.chats import OtherChatRepository
from storage.db import Database
from storage.held_texts import HeldTextRepository
from storage.lock import BotLock
from storage.outbox import OutboxRepository
from storage.partners import PartnerRepository
from storage.reminder_points import ReminderPointRepository
from storage.responses import ResponseRepository
from storage.rounds import RoundRepository
from storage.themes import RoundThemesRepository
from storage.vectors import VectorRepository
from surveys.action_desk import ActionDesk
from surveys.action_follow_up import FollowUps
from surveys.actions import ActionService
from surveys.answering import AnsweringService
from surveys.chats import PrivateChatsOnly
from surveys.clock import Clock, SystemClock
from surveys.coordinators import Coordinators
from surveys.deliveries import Deliveries
from surveys.erasure import Erasure, vector_keys
from surveys.errors import store_errors
from surveys.held_texts import HeldTexts
from surveys.invites import Invitations
from surveys.partner_desk import PartnerDesk
from surveys.reminders import Reminders
from surveys.reporting import ReportService
from surveys.review_cycle import ReviewCycle
from surveys.rounds import RoundService
from surveys.themes import default_embedder
from surveys.vectors import VectorService


@dataclass
class Services:
    """Everything a handler or command needs, built once and passed in."""

    config: Config
    db: Database
    clock: Clock
    partners: PartnerRepository
    responses: ResponseRepository
    outbox: OutboxRepository
    invitations: Invitations
    rounds: RoundService
    answering: AnsweringService
    reports: ReportService
    vectors: VectorService
    actions: ActionService
    # The one reminder path: the chat's /remind, the CLI and the scheduler.
    reminders: Reminders
    follow_ups: FollowUps
    action_desk: ActionDesk
    cycle: ReviewCycle
    private_chats: PrivateChatsOnly
    coordinators: Coordinators
    erasure: Erasure
    # A partner's own record: by account, the weekly line, /mydata.
    partner_desk: PartnerDesk
    # Updates already applied, so one delivered twice is applied once.
    deliveries: Deliveries
    # A coordinator's text after their /actions pick expired: kept until they say what it is.
    held_texts: HeldTexts
    # Set whenever something is queued, so the sender in this process wakes at once.
    outbox_changed: asyncio.Event = field(default_factory=asyncio.Event)
    # Opens and closes rounds, reminds and sends digests; the bot binds it to its JobQueue.
    scheduler: Scheduler | None = None

    async def changed(self) -> None:
        """After a round is created or closed here: wake the sender and replan the jobs."""
        self.outbox_changed.set()
        if self.scheduler is not None:
            await self.scheduler.changed()

    async def is_coordinator(self, telegram_user_id: int) -> bool:
        """Whether the user may coordinate (see `surveys.coordinators`)."""
        return await self.coordinators.is_coordinator(telegram_user_id)

    async def coordinator_chats(self) -> list[int]:
        """Chats of every coordinator (a private chat's id is the user's id)."""
        return await self.coordinators.chats()


async def build_services(config: Config, clock: Clock | None = None) -> Services:
    """Open the database (migrating it) and build the services on it."""
    clock = clock or SystemClock()
    with store_errors():  # a database that cannot be opened is a clear message, not a trace
        db = await Database(config.database.path).open()
    partners = PartnerRepository(db)
    # Casting a ballot deletes the vectors of the earlier versions it drops.
    responses = ResponseRepository(db, vector_keys=vector_keys,
                                   ballot_min_group=config.reports.min_group_size)
    rounds_repo = RoundRepository(db)
    outbox = OutboxRepository(db)
    zone = config.zone
    schedule = Schedule(zone, parse_quiet_hours(config.schedule.quiet_hours),
                        config.schedule.quiet_weekends, parse_digest_time(config.schedule.digest))
    quiet = schedule.quiet_hours
    vectors = VectorService(VectorRepository(db), default_embedder, rounds_repo)
    actions = ActionService(ActionRepository(db), rounds_repo, partners, clock, zone)

    coordinators = Coordinators(partners, clock, config.coordinators.telegram_ids,
                                {int(k): v for k, v in config.coordinators.partnerships.items()})
    # An owner's update goes to the coordinators who may see the action's round.
    follow_ups = FollowUps(actions, coordinators.chats_for, quiet)
    cycle = ReviewCycle(rounds_repo, ActionRepository(db), ComparisonRepository(db), clock, zone,
                        config.reports.min_group_size)
    reports = ReportService(rounds_repo, responses, partners, RoundThemesRepository(db),
                            config.reports.min_group_size, config.schedule.timezone, vectors,
                            cycle)
    partner_desk = PartnerDesk(partners, responses, rounds_repo, clock)
    answering = AnsweringService(rounds_repo, responses, clock, zone,
                                 max_text_length=config.answers.max_text_length)
    action_desk = ActionDesk(actions, follow_ups, reports, coordinators,
                             ActionPickRepository(db))
    svc = Services(
        config=config, db=db, clock=clock, partners=partners, responses=responses, outbox=outbox,
        invitations=Invitations(partners, clock, config.invitations.valid_days),
        partner_desk=partner_desk,
        deliveries=Deliveries(responses, clock),
        rounds=RoundService(rounds_repo, responses, partners, outbox, clock, zone,
                            min_group_size=config.reports.min_group_size, quiet=quiet),
        answering=answering,
        vectors=vectors,
        actions=actions, follow_ups=follow_ups,
        reports=reports, cycle=cycle,
        reminders=Reminders(rounds_repo, responses, partners, clock, zone,
                            ReminderPointRepository(db), quiet=quiet),
        private_chats=PrivateChatsOnly(OtherChatRepository(db), clock),
        coordinators=coordinators,
        action_desk=action_desk,
        erasure=Erasure(responses, VectorRepository(db), RoundThemesRepository(db)),
        held_texts=HeldTexts(action_desk, answering, partner_desk, HeldTextRepository(db),
                             clock),
    )
    svc.rounds.coordinator_chats = svc.coordinator_chats  # one source: config and database
    svc.rounds.summary_chats = svc.coordinators.chats_for  # a round's own coordinators
    # Each coordinator's digest covers only the rounds (and partners) of their partnerships.
    svc.scheduler = build_scheduler(db, svc.rounds, schedule, svc.coordinators.chats,
                                    svc.reports.top_themes, svc.reminders, follow_ups,
                                    svc.coordinators.get)
    return svc


def bot_lock(config: Config) -> BotLock:
    """The lock that keeps a second bot off this database (`partnerpulse run` holds it)."""
    return BotLock(config.database.path)


async def back_up_database(config: Config, out: Path) -> int:
    """A checked, consistent copy of the configured database at `out`; its size in bytes."""
    with store_errors():
        return await backup_database(config.database.path, out)


@asynccontextmanager
async def services(config: Config, clock: Clock | None = None) -> AsyncIterator[Services]:
    """Services for the length of a block; the database is closed after."""
    built = await build_services(config, clock)
    try:
        yield built
    finally:
        await built.db.close()
