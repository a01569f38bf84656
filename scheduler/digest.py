"""The weekly digest: each coordinator's week in one message, and partners' own line.

Sent once per period and chat: the `digests` row is written with the outbox row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from scheduler.quiet import Schedule, digest_moment, period_of
from storage.digests import DigestRepository
from storage.records import NewMessage, Partner, Round
from storage.responses import ResponseRepository
from surveys.action_follow_up import ActionLine, ActionWeek
from surveys.coordinators import Coordinator
from surveys.plural import count, verb
from surveys.rounds import RoundService, RoundStatus
from surveys.screens import when

MAX_MESSAGE = 4096
MAX_BUTTONS = 9
# The coordinator chat's status and report buttons (bot.handlers.coordinator answers them),
# and the /actions screen's (bot.handlers.actions).
STATUS_BUTTON = "co:status:{}"
REPORT_BUTTON = "co:report:{}"
ACTIONS_BUTTON = "ac:list"
# Compact on a phone: a round's button names its number, as its line in the digest does
# ("… (round 3): 12 of 40"), three to a row; one "Agreed actions" button below them.
PER_ROW = 3
ACTIONS_LABEL = "Agreed actions"
TOP_THEMES = 3
# A digest more than this late (the bot was down) is skipped: next week's says the same.
GRACE = timedelta(days=1)
# Who a coordinator is, with their partnerships (surveys.coordinators.Coordinators.get).
Scope = Callable[[int], Awaitable[Coordinator | None]]


@dataclass
class DigestText:
    """One digest as it would be sent."""

    recipient: int
    text: str
    buttons: list[list[dict[str, str]]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass
class Week:
    """The figures every coordinator's digest of a period is built from."""

    period: str
    start: datetime                 # this period's digest moment
    now: datetime
    open: list[RoundStatus]
    closed: list[RoundStatus]
    unreachable: list[Partner]
    not_joined: list[Partner]
    themes: dict[int, list[str]] = field(default_factory=dict)   # closed round -> top themes
    actions: ActionWeek | None = None   # agreed actions done, due and overdue
    rounds: dict[int, Round] = field(default_factory=dict)   # every round, for actions' scope

    @property
    def empty(self) -> bool:
        """No round open or closed this week and no action to report: no digest."""
        return not (self.open or self.closed or (self.actions is not None
                                                 and not self.actions.empty))

    def seen_by(self, who: Coordinator) -> Week:
        """The week as this coordinator may see it: only rounds within their partnerships,
        those rounds' actions, and partners on their partnerships (the rule is the surveys')."""
        if who.is_global:
            return self
        mine = {rid for rid, rnd in self.rounds.items() if who.may_see(rnd)}
        actions = self.actions
        if actions is not None:
            def ours(lines: list[ActionLine]) -> list[ActionLine]:
                return [a for a in lines if a.action.round_id in mine]
            actions = replace(actions, done=ours(actions.done), due=ours(actions.due),
                              overdue=ours(actions.overdue))
        return replace(self, open=[s for s in self.open if s.round.id in mine],
                       closed=[s for s in self.closed if s.round.id in mine],
                       unreachable=[p for p in self.unreachable if who.knows(p)],
                       not_joined=[p for p in self.not_joined if who.knows(p)],
                       themes={r: t for r, t in self.themes.items() if r in mine},
                       actions=actions)


def fit_sections(header: list[str], sections: list[tuple[str, list[str]]],
                 limit: int = MAX_MESSAGE) -> str:
    """Join a header and titled sections, trimming the longest lists to "…and N more"."""
    shown = [len(lines) for _, lines in sections]

    def render() -> str:
        out = list(header)
        for (title, lines), n in zip(sections, shown, strict=True):
            if not lines:
                continue
            out += ["", title, *lines[:n]]
            if n < len(lines):
                out.append(f"…and {len(lines) - n} more")
        return "\n".join(out)

    text = render()
    while len(text) > limit and any(shown):
        longest = max(range(len(shown)), key=lambda i: shown[i])
        shown[longest] -= 1
        text = render()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def change(now: RoundStatus, before: dict[str, Any] | None) -> str:
    """"+3 since last week (was 20%)", "new this week", or "" without a previous digest."""
    if before is None:
        return ""
    last = before.get("rounds", {}).get(str(now.round.id))
    if last is None:
        return "new this week"
    delta = now.submitted - int(last.get("submitted", 0))
    return f"{delta:+d} since last week (was {float(last.get('rate', 0)):.0%})"


def coordinator_digest(week: Week, recipient: int, before: dict[str, Any] | None,
                       schedule: Schedule) -> DigestText:
    """A coordinator's weekly digest: open rounds and their progress, deadlines, closings."""
    zone = schedule.zone
    week_of = week.start.astimezone(zone).strftime("%-d %b %Y")
    header = [f"📊 Weekly digest — week of {week_of}"]
    open_lines = []
    for s in week.open:
        moved = change(s, before)
        open_lines.append(f"• {s.round.title} (round {s.round.id}): {s.submitted} of "
                          f"{s.invited} ({s.rate:.0%})" + (f", {moved}" if moved else ""))
    # The coming week: up to the end of the same weekday next week, in local days.
    last_day = week.now.astimezone(zone).date() + timedelta(days=7)
    deadlines = [f"• {s.round.title}: {when(s.round.deadline, zone)}"
                 for s in sorted(week.open, key=lambda s: s.round.deadline)
                 if s.round.deadline.astimezone(zone).date() <= last_day]
    closed = [f"• {s.round.title} (round {s.round.id}): {s.submitted} of {s.invited} "
              f"({s.rate:.0%})" + (f"; top themes: {', '.join(week.themes[s.round.id])}"
                                   if week.themes.get(s.round.id) else "")
              for s in week.closed]
    unreachable = [f"• {p.name} ({p.organisation})" for p in week.unreachable]
    if not week.open:
        header.append("No round is open.")
    actions = week.actions.sections() if week.actions is not None else []
    if week.not_joined:
        header.append(f"{count(len(week.not_joined), 'partner')} "
                      f"{verb(len(week.not_joined), 'has', 'have')} not joined the bot yet.")
    text = fit_sections(header, [
        ("Open rounds", open_lines),
        ("Deadlines in the coming week", deadlines),
        ("Closed this week", closed),
        (f"Partners unreachable ({len(unreachable)})", unreachable),
        *actions,
    ])
    summary = {"rounds": {str(s.round.id): {"invited": s.invited, "submitted": s.submitted,
                                            "rate": round(s.rate, 4)} for s in week.open}}
    return DigestText(recipient, text, digest_buttons(week), summary)


def digest_buttons(week: Week) -> list[list[dict[str, str]]]:
    """A digest's buttons, compact: "Round 3" (its status) for each open round and "Report 7"
    for each closed this week, three to a row, at most nine; and "Agreed actions" (the
    /actions screen) when the digest lists actions."""
    status = [{"label": f"Round {s.round.id}", "data": STATUS_BUTTON.format(s.round.id)}
              for s in week.open[:MAX_BUTTONS]]
    reports = [{"label": f"Report {s.round.id}", "data": REPORT_BUTTON.format(s.round.id)}
               for s in week.closed[:max(0, MAX_BUTTONS - len(status))]]
    rows = [keys[i:i + PER_ROW] for keys in (status, reports)
            for i in range(0, len(keys), PER_ROW)]
    if week.actions is not None and not week.actions.empty:
        rows.append([{"label": ACTIONS_LABEL, "data": ACTIONS_BUTTON}])
    return rows


def partner_line(partner: Partner, waiting: list[Round], schedule: Schedule) -> str | None:
    """A partner's own weekly line: rounds waiting for them, with deadlines; None if none."""
    if not waiting:
        return None
    rounds = "\n".join(f"• {r.title}: deadline {when(r.deadline, schedule.zone)}"
                       for r in sorted(waiting, key=lambda r: r.deadline))
    return fit_sections([f"📬 Your week: {count(len(waiting), 'round')} waiting for you"],
                        [("Send /surveys to carry on.", rounds.splitlines())])


class DigestService:
    """Composes the digests of a period and queues each once."""

    def __init__(self, rounds: RoundService, responses: ResponseRepository,
                 digests: DigestRepository, schedule: Schedule,
                 coordinators: Callable[[], Awaitable[list[int]]],
                 top_themes: Callable[[int], Awaitable[list[str]]] | None = None,
                 actions: Callable[[datetime, datetime], Awaitable[ActionWeek]] | None = None,
                 scope: Scope | None = None) -> None:
        self.rounds = rounds
        self.scope = scope   # None: every coordinator sees every round
        self.actions = actions
        self.top_themes = top_themes
        self.responses = responses
        self.digests = digests
        self.schedule = schedule
        self.coordinators = coordinators

    async def week(self, now: datetime) -> Week:
        """This period's figures."""
        start = digest_moment(now, self.schedule.digest, self.schedule.zone)
        since = start - timedelta(days=7)
        all_rounds = await self.rounds.all()
        opened = [await self.rounds.status(r.id) for r in reversed(all_rounds)
                  if r.state == "open"]
        closed = [await self.rounds.status(r.id) for r in reversed(all_rounds)
                  if r.state == "closed" and r.closed_at is not None and r.closed_at >= since]
        people = await self.rounds.partners.all()
        themes = {}
        if self.top_themes is not None:
            for s in closed:
                themes[s.round.id] = (await self.top_themes(s.round.id))[:TOP_THEMES]
        actions = await self.actions(since, now) if self.actions is not None else None
        return Week(period_of(start, self.schedule.zone), start, now, opened, closed,
                    [p for p in people if p.joined and not p.reachable],
                    [p for p in people if not p.joined], themes, actions,
                    {r.id: r for r in all_rounds})

    async def seen_by(self, week: Week, chat: int) -> Week | None:
        """The week as this chat's coordinator may see it; None if they no longer coordinate."""
        if self.scope is None:
            return week
        who = await self.scope(chat)
        return None if who is None else week.seen_by(who)

    async def preview(self, now: datetime) -> list[DigestText]:
        """What each coordinator would get now, without sending or recording anything."""
        week = await self.week(now)
        out = []
        for chat in await self.coordinators():
            theirs = await self.seen_by(week, chat)
            if theirs is not None:
                out.append(coordinator_digest(
                    theirs, chat, await self.digests.previous(chat, week.period), self.schedule))
        return out

    async def send_due(self, now: datetime) -> int:
        """Queue this period's digests not yet queued; returns how many went into the outbox."""
        start = digest_moment(now, self.schedule.digest, self.schedule.zone)
        if now - start > GRACE:
            return 0
        period = period_of(start, self.schedule.zone)
        done = await self.digests.recipients(period)
        coordinators = [c for c in await self.coordinators() if c not in done]
        partners = [p for p in await self.rounds.partners.all()
                    if p.digest_opt_in and p.joined and p.reachable and p.chat_id not in done]
        if not coordinators and not partners:
            return 0
        going = self.schedule.next_allowed(now)
        return (await self._to_coordinators(coordinators, period, going, now)
                + await self._to_partners(partners, period, going, now))

    async def _to_coordinators(self, chats: Sequence[int], period: str, going: datetime,
                               now: datetime) -> int:
        """Each coordinator's digest, if their part of the week has anything to say; how many
        were queued."""
        if not chats:
            return 0
        week = await self.week(now)
        queued = 0
        for chat in chats:
            theirs = await self.seen_by(week, chat)
            if theirs is None or theirs.empty:   # nothing of theirs this week: no digest
                continue
            before = await self.digests.previous(chat, period)
            digest = coordinator_digest(theirs, chat, before, self.schedule)
            message = NewMessage(chat, "digest", {"text": digest.text, "buttons": digest.buttons},
                                 going, None, None, f"digest:{period}:{chat}")
            queued += await self.digests.record(period, chat, digest.summary, message, now)
        return queued

    async def _to_partners(self, partners: Sequence[Partner], period: str, going: datetime,
                           now: datetime) -> int:
        """Each opted-in partner's line about the rounds waiting for them; how many were queued
        (a partner with nothing waiting is recorded as done, with no message)."""
        open_rounds = {r.id: r for r in await self.rounds.all(("open",)) if r.deadline > now}
        queued = 0
        for partner in partners:
            waiting = [open_rounds[r.round_id] for r in
                       await self.responses.all_of_partner(partner.id)
                       if r.round_id in open_rounds and r.state in ("not_started",
                                                                    "in_progress")]
            text = partner_line(partner, waiting, self.schedule)
            line: NewMessage | None = None if text is None else NewMessage(
                partner.chat_id or 0, "digest", {"text": text}, going, partner.id, None,
                f"digest:{period}:{partner.chat_id}")
            recorded = await self.digests.record(period, partner.chat_id or 0,
                                                 {"waiting": len(waiting)}, line, now)
            queued += recorded and line is not None
        return queued
