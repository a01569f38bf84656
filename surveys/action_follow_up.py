"""Following agreed actions up with their owners: the card, the reminders, their updates.

An owner gets each new action with its context and three buttons (In progress · Done · Stuck);
a reminder a few days before it is due and, while it stays open, when it is overdue, never more
than the round's reminder cap and never in quiet hours; each tap is stored at once and the
coordinators are told. Every message goes through the outbox, like every other.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.actions import NewAction
from storage.records import NewMessage, Partner, Round
from surveys.actions import (
    SETTLED,
    STATUS_LABELS,
    Action,
    ActionService,
    area_title,
    is_overdue,
    local_today,
    owner_label,
)
from surveys.errors import NotAllowed, StaleAction, maps_store_errors
from surveys.plural import count
from surveys.quiet import QuietHours
from surveys.rounds import DEFAULT_POLICY
from surveys.screens import shorten
from surveys.templates import questionnaire_from_dict

# Callback data "ac:VERB:ID" (two letters before the colon: never a partner's round Action).
OWNER_VERBS = {"prog": "in_progress", "done": "done", "stuck": "stuck"}
_OWNER_BUTTON = re.compile(r"^ac:(prog|done|stuck|nonote):(\d{1,12})$")
OWNER_LABELS = (("In progress", "prog"), ("Done", "done"), ("Stuck", "stuck"))
STATUS_MARKS = {"agreed": "📌", "in_progress": "🔄", "done": "✅", "dropped": "✖️", "stuck": "⚠️"}
BEFORE_DAYS = 3
OVERDUE_EVERY = timedelta(days=7)
REMIND_AT = time(9, 0)   # follow-ups fall due at 09:00 local; quiet hours may move them later
NOTE_WINDOW = timedelta(minutes=30)   # a typed message this soon after a tap is its note
# The chats of the coordinators who may see a round (surveys.coordinators).
CoordinatorChats = Callable[[Round], Awaitable[list[int]]]
Buttons = list[list[dict[str, str]]]


def owner_buttons(action_id: int) -> Buttons:
    """In progress · Done · Stuck."""
    return [[{"label": label, "data": f"ac:{verb}:{action_id}"} for label, verb in
             OWNER_LABELS]]


def card_buttons(action: Action) -> Buttons:
    """The buttons under an owner's card: none once the action is done or dropped."""
    return [] if action.status in SETTLED else owner_buttons(action.id)


def parse_owner_button(data: str) -> tuple[str, int] | None:
    """("done", 12) from "ac:done:12"; None for anything else."""
    found = _OWNER_BUTTON.match(data or "")
    return (found.group(1), int(found.group(2))) if found else None


def day(d: date) -> str:
    """A due date as a person reads it: "Wed 31 Mar 2027"."""
    return d.strftime("%a %-d %b %Y")


def card_text(text: str, rnd: Round, area: str | None, due_on: date, status: str,
              organisation: str | None = None, head: str = "📌 An action agreed for you") -> str:
    """The owner's card: the action, where it came from, when it is due, how it stands."""
    where = area_title(questionnaire_from_dict(rnd.questionnaire), area)
    lines = [head, "", f"“{text}”", "", f"From: {rnd.title} — {where}"]
    if organisation:
        lines.append(f"On behalf of: {organisation}")
    lines += [f"Due: {day(due_on)}", f"Status: {STATUS_LABELS[status]}", "", {
        "done": "✅ Done: thank you. If it turns out not to be, tell your coordinator.",
        "dropped": "The board dropped this action: nothing more is needed from you.",
    }.get(status, "Tap to tell the board how it is going.")]
    return "\n".join(lines)


@dataclass(frozen=True)
class FollowUpPoint:
    """A moment an owner is reminded of an action ("before:3", "overdue:1", ...)."""

    name: str
    at: datetime


@dataclass(frozen=True)
class OwnerReply:
    """What the chat says after an owner's tap: the card redrawn, and a line below it."""

    action: Action
    card: str
    text: str
    buttons: Buttons
    card_buttons: Buttons = field(default_factory=list)


@dataclass(frozen=True)
class ActionLine:
    """An action in the digest, with the partnership and owner it is grouped by."""

    partnership: str
    owner: str
    action: Action

    def line(self, today: date) -> str:
        """"• Asha Patel: To refresh the SCS… (due Wed 31 Mar 2027)"."""
        text = shorten(self.action.text, 90)   # at a word: "indicator da…" read as a typo
        late = (today - self.action.due_on).days
        due = (f"{count(late, 'day')} overdue" if is_overdue(self.action, today)
               else f"due {day(self.action.due_on)}")
        status = f", {STATUS_LABELS[self.action.status]}" if self.action.status != "done" else ""
        return f"• {self.owner}: {text} ({due}{status}) [#{self.action.id}]"


@dataclass
class ActionWeek:
    """Actions done in the past week, due in the coming one, and overdue, for the digest."""

    today: date
    done: list[ActionLine]
    due: list[ActionLine]
    overdue: list[ActionLine]

    def sections(self) -> list[tuple[str, list[str]]]:
        """Titled lists of lines, grouped by partnership then owner."""
        out = []
        for title, lines in (("Actions done this week", self.done),
                             ("Actions due in the coming week", self.due),
                             ("Actions overdue", self.overdue)):
            rendered: list[str] = []
            current = None
            for item in sorted(lines, key=lambda a: (a.partnership, a.owner, a.action.due_on)):
                if item.partnership != current:
                    current = item.partnership
                    rendered.append(f"{current}:")
                rendered.append(item.line(self.today))
            out.append((title, rendered))
        return out

    @property
    def empty(self) -> bool:
        """Nothing to report."""
        return not (self.done or self.due or self.overdue)


@maps_store_errors
class FollowUps:
    """Cards, reminders and owners' updates of agreed actions."""

    def __init__(self, actions: ActionService, coordinator_chats: CoordinatorChats,
                 quiet: QuietHours) -> None:
        self.actions = actions
        self.coordinator_chats = coordinator_chats
        # Every message the bot starts waits for the end of quiet hours (surveys.quiet).
        self.next_allowed = quiet.next_allowed
        actions.card_maker = self.card

    @property
    def zone(self) -> ZoneInfo:
        """The partnership's time zone."""
        return self.actions.zone

    def card(self, action_id: int, new: NewAction | Action, rnd: Round,
             owner: Partner) -> Sequence[NewMessage]:
        """The action's card for its owner, if they can be reached (after quiet hours).

        Its dedupe key makes it one card per action, however often it is queued.
        """
        if owner.chat_id is None or not owner.reachable:
            return ()
        text = card_text(new.text, rnd, new.area, new.due_on, new.status,
                         new.owner_organisation)
        return [NewMessage(owner.chat_id, "action", {"text": text,
                                                     "buttons": owner_buttons(action_id)},
                           self.next_allowed(self.actions.clock.now()), owner.id, rnd.id,
                           f"action:{action_id}")]

    async def owner_joined(self, owner: Partner) -> int:
        """A partner given actions before they joined gets their open actions' cards now."""
        messages: list[NewMessage] = []
        for action in await self.actions.of_owner(owner.id):
            rnd = await self.actions.rounds.get(action.round_id)
            messages += self.card(action.id, action, rnd, owner)
        return await self.actions.actions.queue(messages, self.actions.clock.now())

    # --- reminders -------------------------------------------------------------------------

    def points(self, action: Action, cap: int) -> list[FollowUpPoint]:
        """The action's reminder moments, up to the cap: a few days before, then weekly late."""
        def at(d: date) -> datetime:
            return datetime.combine(d, REMIND_AT, self.zone)

        out = [FollowUpPoint(f"before:{BEFORE_DAYS}",
                             at(action.due_on - timedelta(days=BEFORE_DAYS)))]
        first_late = at(action.due_on + timedelta(days=1))
        n = 0
        while len(out) < cap:
            out.append(FollowUpPoint(f"overdue:{1 + 7 * n}", first_late + n * OVERDUE_EVERY))
            n += 1
        # A moment before the action was agreed is no reminder at all.
        return [p for p in out[:cap] if p.at > action.created_at]

    async def _open_actions(self) -> tuple[list[Action], dict[int, Round]]:
        found = [a for a in await self.actions.actions.find(statuses=("agreed", "in_progress",
                                                                      "stuck"))
                 if a.owner_partner_id is not None]
        rounds = {rid: await self.actions.rounds.get(rid) for rid in {a.round_id for a in found}}
        return found, rounds

    def _cap(self, rnd: Round) -> int:
        return int({**DEFAULT_POLICY, **rnd.reminder_policy}.get("max_reminders", 3))

    async def next_due(self) -> datetime | None:
        """When the next reminder of an open action falls due (None if none will)."""
        found, rounds = await self._open_actions()
        fired = await self.actions.actions.fired([a.id for a in found])
        moments = [p.at for a in found for p in self.points(a, self._cap(rounds[a.round_id]))
                   if p.name not in fired.get(a.id, set())]
        return min(moments, default=None)

    async def remind_due(self) -> int:
        """Queue the reminders that have fallen due; after downtime only the latest one goes.

        Each point is recorded with its message in one transaction, so it goes once.
        """
        now = self.actions.clock.now()
        going = self.next_allowed(now)
        found, rounds = await self._open_actions()
        fired = await self.actions.actions.fired([a.id for a in found])
        people = {p.id: p for p in await self.actions.partners.all()}
        follow_ups: list[tuple[int, str, NewMessage | None]] = []
        for action in found:
            done = fired.get(action.id, set())
            due = [p for p in self.points(action, self._cap(rounds[action.round_id]))
                   if p.name not in done and p.at <= now]
            if not due:
                continue
            follow_ups += [(action.id, p.name, None) for p in due[:-1]]
            owner = people.get(action.owner_partner_id or -1)
            message = None
            if owner is not None and owner.chat_id is not None and owner.reachable:
                message = self._reminder(action, rounds[action.round_id], owner, due[-1],
                                         going)
            follow_ups.append((action.id, due[-1].name, message))
        return await self.actions.actions.queue_follow_ups(follow_ups, now)

    def _reminder(self, action: Action, rnd: Round, owner: Partner, point: FollowUpPoint,
                  going: datetime) -> NewMessage:
        if point.name.startswith("before"):
            head = f"⏰ Reminder: an action of yours is due on {day(action.due_on)}"
        else:
            head = f"⏰ Overdue since {day(action.due_on)}: an action of yours"
        text = card_text(action.text, rnd, action.area, action.due_on, action.status,
                         action.owner_organisation, head=head)
        return NewMessage(owner.chat_id or 0, "action_reminder",
                          {"text": text, "buttons": owner_buttons(action.id)}, going, owner.id,
                          rnd.id, f"action_reminder:{action.id}:{point.name}")

    # --- owners' updates -------------------------------------------------------------------

    async def _coordinator_messages(self, action: Action, rnd: Round,
                                    text: str) -> list[NewMessage]:
        """The coordinators' copy of an owner's update (the entry about to be added).

        The bot starts these messages, so they wait for the end of quiet hours.
        """
        now = self.actions.clock.now()
        entry = len(action.notes) + 1
        buttons = [[{"label": "Change status", "data": f"ac:show:{action.id}"}]]
        return [NewMessage(chat, "action_update", {"text": text, "buttons": buttons},
                           self.next_allowed(now), None, action.round_id,
                           f"action_update:{action.id}:{entry}:{chat}")
                for chat in await self.coordinator_chats(rnd)]

    async def owner_tap(self, partner: Partner, data: str) -> OwnerReply:
        """An owner's In progress / Done / Stuck (or No note) tap: stored at once, reported."""
        parsed = parse_owner_button(data)
        if parsed is None:
            raise StaleAction("That button is not valid.")
        verb, action_id = parsed
        action = await self.actions.get(action_id)
        if action.owner_partner_id != partner.id:
            raise NotAllowed("That action is not yours.")
        rnd = await self.actions.rounds.get(action.round_id)
        if verb == "nonote":
            await self.actions.actions.take_note_request(partner.id, self.actions.clock.now())
            return OwnerReply(action, self._card(action, rnd), "No note added. Thank you.", [])
        status = OWNER_VERBS[verb]
        if action.status == "dropped":
            raise NotAllowed("The board dropped this action; ask your coordinator to reopen it.")
        mark = STATUS_MARKS[status]
        told = (f"{mark} {owner_label(action)} set action {action.id} to "
                f"{STATUS_LABELS[status]}:\n“{action.text}”\n{rnd.title} · due "
                f"{day(action.due_on)}")
        coming = await self._coordinator_messages(action, rnd, told)
        updated = await self.actions.update(action_id, status=status, by_role="owner",
                                            by_partner_id=partner.id, messages=coming)
        await self.actions.actions.ask_note(partner.id, action_id, self.actions.clock.now())
        text = (f"Recorded: {STATUS_LABELS[status]} {mark}. The coordinators have been told.\n"
                "Add a note for the board? Type it now, or tap No note.")
        return OwnerReply(updated, self._card(updated, rnd), text,
                          [[{"label": "No note", "data": f"ac:nonote:{action_id}"}]],
                          card_buttons(updated))

    def _card(self, action: Action, rnd: Round) -> str:
        return card_text(action.text, rnd, action.area, action.due_on, action.status,
                         action.owner_organisation)

    async def owner_note(self, partner: Partner, text: str) -> Action | None:
        """A typed message right after a tap is that action's note; None if none was asked."""
        now = self.actions.clock.now()
        action_id = await self.actions.actions.take_note_request(partner.id, now - NOTE_WINDOW)
        if action_id is None:
            return None
        action = await self.actions.get(action_id)
        told = f"📝 {owner_label(action)} on action {action.id} (“{action.text}”):\n{text}"
        rnd = await self.actions.rounds.get(action.round_id)
        coming = await self._coordinator_messages(action, rnd, told)
        return await self.actions.update(action_id, note=text, by_role="owner",
                                         by_partner_id=partner.id, messages=coming)

    # --- the digest --------------------------------------------------------------------------

    async def week(self, since: datetime, now: datetime) -> ActionWeek:
        """Actions done since `since`, due within a week of `now`, and overdue."""
        today = local_today(now, self.zone)
        everything = await self.actions.actions.find()
        rounds = {rid: await self.actions.rounds.get(rid)
                  for rid in {a.round_id for a in everything}}
        people = {p.id: p for p in await self.actions.partners.all()}

        def item(a: Action) -> ActionLine:
            owner = people.get(a.owner_partner_id or -1)
            wanted = rounds[a.round_id].audience.get("partnership", [])
            seats = owner.partnerships if owner else ()
            shared = [s for s in seats if s in wanted] or list(seats)
            return ActionLine(shared[0] if shared else "No partnership", owner_label(a), a)

        done = [item(a) for a in everything if a.status == "done" and any(
            n.status == "done" and since <= n.at < now for n in a.notes)]
        due = [item(a) for a in everything if a.status not in SETTLED
               and today <= a.due_on <= today + timedelta(days=7)]
        overdue = [item(a) for a in everything if is_overdue(a, today)]
        return ActionWeek(today, done, due, overdue)
