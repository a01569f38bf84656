"""`partnerpulse demo`: the whole product, offline, in about a minute.

The local Bot API server starts, the real bot runs against it, forty partners from three
partnerships join by their invite links, a coordinator starts a round of each of the six
built-in templates, partners answer
over simulated days (some late, some never, a few editing), reminders and a weekly digest go
out on a simulated clock, the rounds close, and the reports are written. Then the review goes
on (`bot.demo.cycle`): the self-assessment's actions are agreed and followed up with their
owners, and a year later a second self-assessment shows the progress and the changes.
"""

from __future__ import annotations

import asyncio
import functools
import random
import shutil
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.apiserver import BotApiServer
from bot.app import build_application, shutdown, startup
from bot.config import (
    Config,
    CoordinatorsConfig,
    DatabaseConfig,
    SendingConfig,
    TelegramConfig,
    load_config,
)
from bot.demo.chat import chat_html
from bot.demo.cycle import ReviewCycleStage
from bot.demo.partners import HABITS, DemoPartner, Driver, answer_pools
from bot.updates import PerChatUpdateProcessor
from bot.wiring import Services, build_services
from surveys.clock import ManualClock
from surveys.plural import count
from surveys.records import Round
from surveys.reporting import FORMATS as REPORT_FORMATS
from surveys.roster import read_roster
from surveys.rounds import Audience
from surveys.templates import builtin_template

COORDINATOR_ID = 7001
OBSERVATION = "meeting-observation"
OBSERVED_BY_DAY = {0: 2, 2: 3}   # how many partnerships the observer has recorded by then
LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)  # a Monday
Say = Callable[[str], None]



@dataclass(frozen=True)
class RoundPlan:
    """One round the demo's coordinator starts."""

    template: str
    title: str
    anonymity: str
    audience: Audience = field(default_factory=Audience)


# One round per built-in template, so every report layout is written and can be looked at.
ROUNDS = (
    RoundPlan("framework-review", "Partnership framework review 2026", "confidential"),
    RoundPlan("working-better-together", "Fareham LSP self-assessment", "named",
              Audience(partnership=("Fareham Community Partnership",))),
    RoundPlan("rag-feedback", "Cheshire East: experience of the LSP and LAA", "anonymous",
              Audience(partnership=("Cheshire East Health and Wellbeing Board",))),
    RoundPlan("swot", "Worcester CSP: SWOT of the partnership", "confidential",
              Audience(partnership=("Worcester Community Safety Partnership",))),
    RoundPlan("partnership-functions", "Partnership functions 2026", "named"),
    # One observer records all three partnerships' board meetings (as seed 000's CAA lead).
    RoundPlan("meeting-observation", "Board meeting observations, autumn 2026", "named",
              Audience(role=("Chair",), partnership=("Fareham Community Partnership",))),
)


@dataclass
class DemoResult:
    """What the demo made, for the closing summary."""

    output: Path
    files: list[Path] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0


def demo_config(output: Path, server: BotApiServer) -> Config:
    """The bot's configuration for the demo: the local server, a fresh database."""
    base = load_config(None, environ={})
    return replace(
        base,
        telegram=TelegramConfig(token=server.token, base_url=server.base_url,
                                base_file_url=server.base_file_url,
                                bot_username="partnerpulse_demo_bot"),
        database=DatabaseConfig(path=str(output / "demo.db")),
        coordinators=CoordinatorsConfig(telegram_ids=[COORDINATOR_ID]),
        # The local server has no paid-broadcast limit; the demo is not about waiting.
        sending=SendingConfig(messages_per_second=1000.0, per_chat_interval=0.0))


class Demo:
    """One run of the demo."""

    def __init__(self, roster: Path, output: Path, say: Say, seed: int = 7) -> None:
        self.roster = roster
        self.output = output
        self.say = say
        self.rng = random.Random(seed)
        self.clock = ManualClock(START.astimezone(ZoneInfo("UTC")))

    async def run(self) -> DemoResult:
        """Run every stage; returns where the reports are."""
        started = time.monotonic()
        if self.output.exists():
            shutil.rmtree(self.output)
        self.output.mkdir(parents=True)
        server = BotApiServer(send_limit_per_second=None, accept_unknown_chats=True)
        server.add_bot(username="partnerpulse_demo_bot")
        await server.start()
        svc = await build_services(demo_config(self.output, server), self.clock)
        # The per-chat flood rate runs on the demo's clock, which moves a second a tap: on the
        # wall clock simulated partners tap faster than people can and would be told to slow.
        updates = PerChatUpdateProcessor(16, clock=lambda: self.clock.now().timestamp())
        app = build_application(svc, sender_idle_poll=0.02, updates=updates)
        try:
            await app.initialize()
            await startup(app)
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1)
            result = await self._stages(server, svc)
        finally:
            await shutdown(app)
            await svc.db.close()
            await server.stop()
        result.seconds = time.monotonic() - started
        return result

    async def _stages(self, server: BotApiServer, svc: Services) -> DemoResult:
        result = DemoResult(self.output)
        rows, _ = read_roster(self.roster)
        await svc.partners.import_rows(rows, self.clock.now())
        people = await svc.partners.all()
        self.say(f"[1/9] Imported {len(people)} partners from {self.roster.name} "
                 f"({len(await svc.partners.partnerships())} partnerships)")
        pools = answer_pools("framework-review").get("ratings", {})
        coordinator = server.user(COORDINATOR_ID, "Cora", username="cora_coordinator")
        partners: list[DemoPartner] = []
        for i, person in enumerate(people):
            token = await svc.invitations.issue(person.id)
            user = server.user(5000 + i, person.name.split()[0])
            await user.send_command("/start", token)
            await server.wait_for(user.chat_id, lambda e: e.kind == "message", 20)
            tendency = (pools.get("tendency", {}).get(person.partnerships[0], 0.0)
                        + pools.get("by_sector", {}).get(person.sector, 0.0))
            partners.append(DemoPartner(
                await svc.partners.get(person.id), user, self.rng.choice(HABITS),
                max(-1.0, min(1.0, tendency)), random.Random(self.rng.random())))
        self.say(f"[2/9] {len(partners)} partners joined by their invite links")

        deadline = (START + timedelta(days=14)).replace(hour=23, minute=59)
        rounds = []
        for plan in ROUNDS:
            made = await svc.rounds.create(
                builtin_template(plan.template), deadline=deadline, audience=plan.audience,
                anonymity=plan.anonymity, title=plan.title, created_by=COORDINATOR_ID)
            rounds.append(await svc.rounds.round(made))
        svc.outbox_changed.set()
        await self._drained(svc)
        self.say(f"[3/9] The coordinator started {len(rounds)} rounds, one per built-in "
                 f"template; {await self._sent(svc)} invitations delivered")

        driver = Driver(server, svc, pace=lambda: self.clock.advance(timedelta(seconds=1)))
        for day in range(16):
            await self._advance_to(svc, START + timedelta(days=day))
            actors = self._acting_today(partners, day)
            await self._together(actors, functools.partial(self._today, driver, rounds=rounds,
                                                           day=day))
            await self._observe(driver, partners, rounds, day)
            await self._drained(svc)
            stats = [await svc.rounds.status(r.id) for r in rounds]
            self.say(f"[4/9] Day {day + 1:2} ({(START + timedelta(days=day)):%a %d %b}): "
                     "submitted " + ", ".join(f"{s.submitted}/{s.invited}" for s in stats))
        await self._advance_to(svc, START + timedelta(days=15, hours=1))
        reminders = len(await svc.outbox.messages(kind="reminder"))
        self.say(f"[5/9] Rounds closed; {reminders} reminders were sent along the way; "
                 f"the coordinator's chat has {server.sent_count(coordinator.chat_id)} messages")
        result.files = await self._reports(svc, rounds)
        self.say(f"[6/9] Reports written to {self.output}/")
        # The review goes on: actions agreed and followed up, and a year later the same review.
        result.files += await ReviewCycleStage(self, server, svc, partners,
                                               coordinator).run(rounds, START)
        result.files += self._chats(server, partners, coordinator.chat_id)
        for r in rounds:
            s = await svc.rounds.status(r.id)
            line = (f"{r.title}: {s.submitted} of {s.invited} responded ({s.rate:.0%}), "
                    f"{s.unreachable} unreachable")
            if r.template_id == OBSERVATION:
                records = await svc.responses.records_of_round(r.id)
                line += (f"; {sum(x.state == 'submitted' for x in records)} meetings recorded "
                         f"({', '.join(x.subject for x in records)})")
            result.lines.append(line)
        return result

    async def _observe(self, driver: Driver, partners: Sequence[DemoPartner],
                       rounds: Sequence[Round], day: int) -> None:
        """The observer records two partnerships' meetings on the first day, and comes back
        from /surveys on the third to record the last one."""
        wanted = OBSERVED_BY_DAY.get(day)
        rnd = next((r for r in rounds if r.template_id == OBSERVATION), None)
        if wanted is None or rnd is None:
            return
        invited = {r.partner_id for r in await driver.svc.responses.of_round(rnd.id)}
        names = await driver.svc.partners.partnerships()
        for who in (p for p in partners if p.partner.id in invited):
            await driver.observe(who, rnd, names[:wanted])

    def _acting_today(self, partners: Sequence[DemoPartner], day: int) -> list[DemoPartner]:
        """Who picks up their phone today, by habit."""
        days = {"prompt": (0, 1), "editor": (0, 2), "partial": (1, 3, 9), "late": (8, 12, 13)}
        return [p for p in partners if day in days.get(p.habit, ())]

    async def _today(self, driver: Driver, who: DemoPartner, rounds: Sequence[Round],
                     day: int) -> None:
        for rnd in rounds:
            if rnd.template_id == OBSERVATION:
                continue   # the observer keeps a timetable of their own (_observe)
            response = await driver.svc.responses.of_partner(rnd.id, who.partner.id)
            if response is None or response.state == "submitted":
                if (who.habit == "editor" and day == 2 and response is not None
                        and rnd.anonymity != "anonymous"):  # a ballot cannot be changed
                    await driver.edit_one(who, rnd)
                continue
            limit = 6 if who.habit == "partial" and day < 9 else 10_000
            await driver.answer(who, rnd, max_steps=limit)

    async def _together(self, partners: Sequence[DemoPartner],
                        act: Callable[[DemoPartner], Awaitable[None]]) -> None:
        gate = asyncio.Semaphore(12)

        async def one(who: DemoPartner) -> None:
            async with gate:
                await act(who)

        await asyncio.gather(*(one(p) for p in partners))

    async def _advance_to(self, svc: Services, moment: datetime) -> None:
        """Move the simulated clock on; what comes due (reminders, digests) goes out."""
        if moment > self.clock.now():
            self.clock.set(moment)
        await self._tick(svc)
        svc.outbox_changed.set()
        await self._drained(svc)

    async def _tick(self, svc: Services) -> None:
        assert svc.scheduler is not None
        done = await svc.scheduler.tick()
        if done.closed:
            self.say(f"      the deadline passed: {count(len(done.closed), 'round')} closed")
        if done.digests:
            self.say(f"      the weekly digest went to {count(done.digests, 'chat')}")

    async def _drained(self, svc: Services, timeout: float = 60.0) -> None:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            due = await svc.outbox.due_count(self.clock.now())
            if due == 0:
                return
            svc.outbox_changed.set()
            await asyncio.sleep(0.02)
        raise TimeoutError("the outbox did not drain")

    async def _sent(self, svc: Services) -> int:
        return sum(1 for m in await svc.outbox.messages(kind="invitation") if m.state == "sent")

    def _chats(self, server: BotApiServer, partners: Sequence[DemoPartner],
               coordinator_chat: int) -> list[Path]:
        """One partner's chat and the coordinator's, as pages: what they saw on their phones."""
        editor = next((p for p in partners if p.habit == "editor"), partners[0])
        pages = {
            "chat-partner.html": chat_html(server, editor.chat,
                                           f"PartnerPulse · {editor.partner.name}"),
            "chat-coordinator.html": chat_html(server, coordinator_chat,
                                               "PartnerPulse · coordinator"),
        }
        paths = []
        for name, page in pages.items():
            path = self.output / name
            path.write_text(page, encoding="utf-8")
            paths.append(path)
        return paths

    async def _reports(self, svc: Services, rounds: Sequence[Round]) -> list[Path]:
        files = []
        for rnd in rounds:
            built = await svc.reports.build(rnd.id)
            for fmt in REPORT_FORMATS:
                path = self.output / built.file_name(fmt)
                path.write_bytes(built.render(fmt))
                files.append(path)
        return files
