"""Question rounds: who is asked, going out through the outbox, closing, and reminders."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from storage.outbox import OutboxRepository
from storage.partners import PartnerRepository
from storage.records import NewMessage, Partner, Round, RoundTally
from storage.responses import ResponseRepository
from storage.rounds import MessagesFor, NewRound, RoundRepository
from surveys.clock import Clock
from surveys.dates import parse_day
from surveys.errors import InvalidAnswer, NotFound, maps_store_errors
from surveys.flow import count_text
from surveys.model import Questionnaire
from surveys.quiet import QuietHours
from surveys.screens import ANONYMITY_NOTES, Action, when
from surveys.small_groups import merge_small_groups
from surveys.templates import questionnaire_from_dict, questionnaire_to_dict

ANONYMITY = ("named", "confidential", "anonymous")
AUDIENCE_KEYS = ("partnership", "role", "sector")
DEFAULT_POLICY: dict[str, Any] = {
    "first_nudge_days": 2,          # after opening, to those who have not started
    "before_deadline_days": [3, 1],  # to everyone who has not submitted
    "max_reminders": 3,
    "min_gap_hours": 24,
}


@dataclass(frozen=True)
class Audience:
    """Who a round is for: empty means everyone; OR within a kind, AND across kinds."""

    partnership: tuple[str, ...] = ()
    role: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> Audience:
        """"partnership:Safety Board,sector:Police" → Audience; raises InvalidAnswer."""
        if not text or text.strip().lower() in ("", "all", "everyone"):
            return cls()
        found: dict[str, list[str]] = {k: [] for k in AUDIENCE_KEYS}
        for part in re.split(r",(?=\s*(?:partnership|role|sector)\s*:)", text):
            kind, sep, value = part.partition(":")
            kind = kind.strip().lower()
            if not sep or kind not in AUDIENCE_KEYS or not value.strip():
                raise InvalidAnswer(f"Audience part {part.strip()!r} should look like "
                                    "partnership:NAME, role:NAME or sector:NAME.")
            found[kind].append(value.strip())
        return cls(**{k: tuple(v) for k, v in found.items()})

    def as_dict(self) -> dict[str, list[str]]:
        """The stored form."""
        return {k: list(getattr(self, k)) for k in AUDIENCE_KEYS if getattr(self, k)}

    @classmethod
    def from_dict(cls, data: dict[str, list[str]]) -> Audience:
        """Back from the stored form."""
        return cls(**{k: tuple(data.get(k, ())) for k in AUDIENCE_KEYS})

    def includes(self, partner: Partner) -> bool:
        """Whether a partner is in this audience."""
        def fits(wanted: tuple[str, ...], have: Sequence[str]) -> bool:
            return not wanted or any(w.casefold() == h.casefold() for w in wanted for h in have)

        return (fits(self.partnership, partner.partnerships) and fits(self.role, partner.roles)
                and fits(self.sector, [partner.sector]))

    def describe(self) -> str:
        """"everyone", or the parts in words."""
        parts = [f"{k} {' or '.join(getattr(self, k))}" for k in AUDIENCE_KEYS
                 if getattr(self, k)]
        return "; ".join(parts) if parts else "everyone"


@dataclass
class GroupRate:
    """Response rate of one group (a partnership, sector or organisation)."""

    name: str
    invited: int
    submitted: int

    @property
    def rate(self) -> float:
        """Submitted as a share of invited."""
        return self.submitted / self.invited if self.invited else 0.0


@dataclass
class RoundStatus:
    """A round's figures for the coordinator."""

    round: Round
    invited: int = 0
    reached: int = 0
    started: int = 0
    submitted: int = 0
    withdrawn: int = 0
    unreachable: int = 0
    not_joined: int = 0
    sent: int = 0
    to_send: int = 0
    groups: dict[str, list[GroupRate]] = field(default_factory=dict)
    suppressed: int = 0
    # An anonymous round's figures by group wait for its close (see RoundService.status).
    groups_at_close: bool = False

    @property
    def rate(self) -> float:
        """Submitted as a share of invited."""
        return self.submitted / self.invited if self.invited else 0.0


@maps_store_errors
class RoundService:
    """Creates, opens, closes and reports on rounds."""

    def __init__(self, rounds: RoundRepository, responses: ResponseRepository,
                 partners: PartnerRepository, outbox: OutboxRepository, clock: Clock,
                 zone: ZoneInfo,
                 coordinator_chats: Callable[[], Awaitable[list[int]]] | None = None,
                 min_group_size: int = 3, quiet: QuietHours | None = None) -> None:
        self.rounds = rounds
        self.responses = responses
        self.partners = partners
        self.outbox = outbox
        self.clock = clock
        self.zone = zone
        # Asked at each close, so a coordinator added while the bot runs gets the summary.
        self.coordinator_chats = coordinator_chats
        # The coordinators who may see a round (its closing summary goes to them alone).
        self.summary_chats: Callable[[Round], Awaitable[list[int]]] | None = None
        self.min_group_size = min_group_size
        # When the bot may start a conversation; None only in tests that do not care.
        self.quiet = quiet

    def going(self, now: datetime | None = None) -> datetime:
        """When a message the bot starts now may go: now, or the end of quiet hours."""
        now = now or self.clock.now()
        return self.quiet.next_allowed(now) if self.quiet is not None else now

    def deadline_from(self, day: date | str) -> datetime:
        """A deadline date means the end of that day in the partnership's time zone."""
        if isinstance(day, str):
            day = parse_day(day, self.clock.now().astimezone(self.zone).date())
        return datetime.combine(day, time(23, 59), self.zone)

    async def create(self, questionnaire: Questionnaire, *, deadline: datetime,
                     audience: Audience | None = None, anonymity: str = "confidential",
                     opens_at: datetime | None = None, title: str | None = None,
                     policy: dict[str, Any] | None = None,
                     created_by: int | None = None) -> int:
        """Create a round; if it opens now, its invitations are queued in the same transaction."""
        now = self.clock.now()
        audience = audience or Audience()
        opens = opens_at or now
        if anonymity not in ANONYMITY:
            raise InvalidAnswer(f"Anonymity must be one of {', '.join(ANONYMITY)}.")
        if anonymity == "anonymous" and questionnaire.layout == "observation":
            # A record is about a partnership and is changed until the deadline; an
            # anonymous ballot can be neither grouped by what it observed nor changed.
            raise InvalidAnswer("An observation round records partnerships, not views: make "
                                "it named or confidential (confidential never names an "
                                "observer).")
        if deadline <= max(now, opens):
            raise InvalidAnswer("The deadline must be after the round opens.")
        invitees = [p for p in await self.partners.all() if audience.includes(p)]
        if not invitees:
            raise InvalidAnswer(f"No partner matches the audience ({audience.describe()}).")
        new = NewRound(
            title=title or questionnaire.title, template_id=questionnaire.id,
            questionnaire=questionnaire_to_dict(questionnaire), audience=audience.as_dict(),
            anonymity=anonymity, opens_at=opens, deadline=deadline,
            reminder_policy={**DEFAULT_POLICY, **(policy or {})}, created_by=created_by)
        opens_now = opens <= now
        maker = self.invitations(new.title, questionnaire, deadline, anonymity)
        return await self.rounds.create(
            new, "open" if opens_now else "scheduled", invitees, maker if opens_now else None,
            now)

    def invitations(self, title: str, q: Questionnaire, deadline: datetime,
                    anonymity: str, *, immediate: bool = False) -> MessagesFor:
        """A maker of a round's invitation for each partner, the text written out in full.

        Invitations wait for the end of quiet hours, unless `immediate`: the answer to a
        partner's own action (joining).
        """
        text = (f"📋 New question round: {title}\n\n{q.introduction}\n\n"
                f"{count_text(q)} · about {q.estimated_minutes} "
                f"minutes · deadline {when(deadline, self.zone)}\n\n"
                f"{ANONYMITY_NOTES[anonymity]}")

        def make(round_id: int, partner: Partner) -> list[NewMessage]:
            # Start is one tap away: the invitation is the round's card.
            buttons = [[{"label": "Start", "data": Action("start", round_id).encode()},
                        {"label": "Later", "data": Action("later", round_id).encode()}]]
            return [NewMessage(
                chat_id=partner.chat_id or 0, partner_id=partner.id, round_id=round_id,
                kind="invitation",
                not_before=self.clock.now() if immediate else self.going(),
                dedupe_key=f"invitation:{round_id}:{partner.id}",
                payload={"text": text, "buttons": buttons})]

        return make

    def invitations_of(self, rnd: Round, *, immediate: bool = False) -> MessagesFor:
        """The invitation maker of a stored round."""
        return self.invitations(rnd.title, questionnaire_from_dict(rnd.questionnaire),
                                rnd.deadline, rnd.anonymity, immediate=immediate)

    async def open_due(self) -> list[int]:
        """Open scheduled rounds whose time has come; returns their ids."""
        now = self.clock.now()
        opened = []
        for rnd in await self.rounds.all(("scheduled",)):
            if rnd.opens_at <= now:
                audience = Audience.from_dict(rnd.audience)
                invitees = [p for p in await self.partners.all() if audience.includes(p)]
                await self.rounds.add_invitees(rnd.id, invitees, None, now)
                if await self.rounds.open_round(rnd.id, invitees, self.invitations_of(rnd), now):
                    opened.append(rnd.id)
        return opened

    async def partner_joined(self, partner: Partner) -> int:
        """Invite a partner who just joined to every open round they belong in; how many.

        A partner already on a round's list (imported before it opened) has a response but
        no invitation yet: it goes now, as the answer to their joining.
        """
        rounds = await self.rounds_for(partner)
        for rnd in rounds:
            await self.rounds.add_invitees(
                rnd.id, [partner], self.invitations_of(rnd, immediate=True), self.clock.now())
        return len(rounds)

    async def rounds_for(self, partner: Partner) -> list[Round]:
        """The open rounds a partner belongs in (their audience includes them)."""
        return [rnd for rnd in await self.rounds.all(("open",))
                if rnd.deadline > self.clock.now()
                and Audience.from_dict(rnd.audience).includes(partner)]

    async def close(self, round_id: int, *, partners_from: datetime | None = None,
                    closed_by: int | None = None) -> bool:
        """Close a round: no more answers; thanks, notices and a summary go out once.

        Every message waits for the end of quiet hours (and `partners_from`, if later),
        except the summary to `closed_by`, the coordinator's chat that asked for the close.
        """
        rnd = await self.rounds.get(round_id)
        if rnd.state == "closed":
            return False
        status = await self.status(round_id)
        now = self.clock.now()
        partners_at = max(self.going(now), partners_from or now)
        messages: list[NewMessage] = []
        people = {p.id: p for p in await self.partners.all()}
        for response in await self.responses.of_round(round_id):
            partner = people.get(response.partner_id or -1)
            if partner is None or partner.chat_id is None or response.is_ballot:
                continue
            if response.state == "submitted":
                text = f"“{rnd.title}” has closed. Thank you for taking part."
            elif response.state == "in_progress":
                text = (f"“{rnd.title}” has closed, so it takes no more answers. The answers you "
                        "gave are saved.")
            else:
                continue
            messages.append(NewMessage(partner.chat_id, "closing", {"text": text}, partners_at,
                                       partner.id, round_id, f"closing:{round_id}:{partner.id}"))
        summary = (f"Round closed: {rnd.title}\nResponses: {status.submitted} of "
                   f"{status.invited} ({status.rate:.0%}).")
        chats = (await self.summary_chats(rnd) if self.summary_chats else
                 await self.coordinator_chats() if self.coordinator_chats else [])
        for chat in chats:
            buttons = [[{"label": "Report", "data": f"co:report:{round_id}"}]]
            messages.append(NewMessage(chat, "summary", {"text": summary, "round_id": round_id,
                                                         "buttons": buttons},
                                       now if chat == closed_by else partners_at, None,
                                       round_id, f"summary:{round_id}:{chat}"))
        return await self.rounds.close(round_id, messages, now)

    async def status(self, round_id: int) -> RoundStatus:
        """Who has been reached, started and submitted, overall and by group."""
        rnd = await self.rounds.get(round_id)
        status = RoundStatus(round=rnd)
        people = {p.id: p for p in await self.partners.all()}
        counts = await self.outbox.counts(round_id, "invitation")
        status.sent = counts.get("sent", 0)
        status.to_send = counts.get("pending", 0) + counts.get("sending", 0)
        groups: dict[str, dict[str, set[str]]] = {"partnership": {}, "sector": {}}
        if rnd.anonymity == "named":
            groups["organisation"] = {}
        done_ids: set[str] = set()
        for response in await self.responses.of_round(round_id):
            if response.is_ballot:
                continue
            status.invited += 1
            partner = people.get(response.partner_id or -1)
            done = response.state == "submitted"
            status.submitted += done
            status.started += response.state in ("in_progress", "submitted")
            status.withdrawn += response.state == "withdrawn"
            if done:
                done_ids.add(str(response.id))
            if partner is not None:
                if partner.chat_id is None:
                    status.not_joined += 1
                elif not partner.reachable:
                    status.unreachable += 1
            keys = {"partnership": list(response.partnerships), "sector": [response.sector or "?"],
                    "organisation": [response.organisation or "?"]}
            for kind, table in groups.items():
                for name in keys[kind]:
                    table.setdefault(name, set()).add(str(response.id))
        status.reached = status.sent
        if rnd.anonymity == "anonymous" and rnd.state != "closed":
            # Watching a group's count go up as ballots arrive tells which group just
            # answered, and with a partner's own word ("done it!") which ballot is theirs. A
            # threshold would not help: past it, each ballot still moves one group by one.
            # So the live status of an anonymous round gives totals only, groups at close.
            status.groups_at_close = True
            return status
        for kind, table in groups.items():
            members = dict(sorted(table.items()))
            if rnd.anonymity != "named":
                # The reports' rule: "3 invited, 2 submitted" shows a group of two, and a
                # group left out could be worked out from the totals.
                members, notes = merge_small_groups(members, self.min_group_size, kind,
                                                    counted=done_ids)
                status.suppressed += bool(notes)
            rates = [GroupRate(name, len(who), len(who & done_ids))
                     for name, who in members.items()]
            status.groups[kind] = rates
        return status

    async def round(self, round_id: int) -> Round:
        """A round by id (NotFound otherwise)."""
        return await self.rounds.get(round_id)

    async def all(self, states: Sequence[str] = ("scheduled", "open", "closed")) -> list[Round]:
        """Rounds in the given states, newest first."""
        return await self.rounds.all(states)

    async def overview(self) -> list[RoundTally]:
        """Every round, newest first, with its response counts (one query for them all)."""
        return await self.rounds.overview()

    async def audience_options(self) -> tuple[list[str], list[str]]:
        """The partnerships and the sectors a round's audience can be chosen from."""
        partners = await self.partners.all()
        sectors = sorted({p.sector for p in partners if p.sector}, key=str.casefold)
        return await self.partners.partnerships(), sectors

    async def reach(self, audience: Audience) -> tuple[int, int]:
        """How many partners the audience takes in, and how many of them have joined."""
        inside = [p for p in await self.partners.all() if audience.includes(p)]
        return len(inside), sum(p.chat_id is not None for p in inside)

    async def latest_open(self) -> Round:
        """The newest open round, for commands given without a round id."""
        rounds = await self.rounds.all(("open",))
        if not rounds:
            raise NotFound("There is no open round.")
        return rounds[0]
