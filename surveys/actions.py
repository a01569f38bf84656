"""Agreed actions: what the board agreed after a review, who owns each, by when, and how it goes.

Seed 004's Board "agreed the proposed actions in Appendix A", area by area; seed 001 lists
"failure to follow through on actions" among what is not working. An action here has an owner
(a partner, or an organisation with a named partner), a due date, a status and a dated history,
and its owner is followed up in the chat (see `surveys.action_follow_up`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from storage.actions import ActionRepository, NewAction, StoredAction
from storage.partners import PartnerRepository
from storage.records import NewMessage, Partner, Round
from storage.rounds import RoundRepository
from surveys.clock import Clock
from surveys.errors import InvalidAnswer, NotAllowed, NotFound, maps_store_errors
from surveys.model import Questionnaire
from surveys.templates import questionnaire_from_dict

Action = StoredAction
STATUSES = ("agreed", "in_progress", "done", "dropped", "stuck")
STATUS_LABELS = {"agreed": "agreed", "in_progress": "in progress", "done": "done",
                 "dropped": "dropped", "stuck": "stuck"}
# Done and dropped actions are settled: nobody is reminded of them.
SETTLED = ("done", "dropped")
# What an owner may set from the chat; dropping an action is the board's call.
OWNER_STATUSES = ("in_progress", "done", "stuck")
MAX_TEXT = 500
MAX_NOTE = 1000


def parse_status(text: str) -> str:
    """"In progress", "in-progress" or "in_progress" → "in_progress"; raises InvalidAnswer."""
    key = re.sub(r"[\s-]+", "_", (text or "").strip().lower())
    if key not in STATUSES:
        raise InvalidAnswer(f"Status {text!r} should be one of: "
                            + ", ".join(STATUS_LABELS.values()) + ".")
    return key


def parse_due(text: str | date) -> date:
    """A due date given as YYYY-MM-DD; raises InvalidAnswer."""
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidAnswer(f"Due date {text!r} should be a date like 2027-03-31.") from None


def owner_label(action: Action) -> str:
    """"Jane Smith", or "Fareham BC (Jane Smith)" for an organisation's action."""
    name = action.owner_name or "no owner (erased)"
    if action.owner_organisation:
        return f"{action.owner_organisation} ({name})"
    return name


def local_today(moment: datetime, zone: ZoneInfo) -> date:
    """The partnership's calendar day at a moment."""
    return moment.astimezone(zone).date()


def is_overdue(action: Action, today: date) -> bool:
    """Past its due date and not settled."""
    return action.status not in SETTLED and action.due_on < today


def resolve_owner(text: str | int, partners: Sequence[Partner]) -> Partner:
    """A partner by id, by name, or by "Name (Organisation)" where a name is shared."""
    wanted = str(text).strip()
    if wanted.isdigit():
        found = [p for p in partners if p.id == int(wanted)]
        if found:
            return found[0]
        raise NotFound(f"No partner {wanted}.")
    organisation = None
    named = re.fullmatch(r"(.+?)\s*\((.+)\)", wanted)
    if named:
        wanted, organisation = named.group(1), named.group(2).strip()
    matches = [p for p in partners if p.name.casefold() == wanted.casefold()
               and (organisation is None or p.organisation.casefold() == organisation.casefold())]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"No partner called {str(text).strip()!r}. Give a partner's id or name "
                       "as `partners list` shows it.")
    options = "; ".join(f"{p.id}: {p.name} ({p.organisation})" for p in matches)
    raise InvalidAnswer(f"More than one partner is called {wanted!r}: {options}. Give the id "
                        "or \"Name (Organisation)\".")


def resolve_area(text: str | None, questionnaire: Questionnaire) -> tuple[str | None, str | None]:
    """(area id, question id) from an area's id, title or number, or a question id."""
    if text is None or not text.strip():
        return None, None
    wanted = text.strip()
    sections = questionnaire.sections
    if wanted.isdigit() and 1 <= int(wanted) <= len(sections):
        return sections[int(wanted) - 1].id, None
    for s in sections:
        if wanted.casefold() in (s.id.casefold(), s.title.casefold()):
            return s.id, None
    for s in sections:
        for q in s.questions:
            if q.id.casefold() == wanted.casefold():
                return s.id, q.id
    known = ", ".join(s.id for s in sections)
    raise InvalidAnswer(f"Area {wanted!r} is not one of this round's areas ({known}), their "
                        "number or a question id.")


def area_title(questionnaire: Questionnaire, area: str | None) -> str:
    """The area's title as the report heads it, or "General" for an action of no area."""
    for s in questionnaire.sections:
        if s.id == area:
            return s.title
    return "General"


@dataclass(frozen=True)
class ActionRow:
    """One action as read from an import file, before owner and area are checked."""

    line: int
    text: str
    owner: str
    due: str
    area: str = ""
    organisation: str = ""
    status: str = ""


# Builds the messages a new action causes (the owner's card), given its id and round.
CardMaker = Callable[[int, NewAction, Round, Partner], Sequence[NewMessage]]


@maps_store_errors
class ActionService:
    """Records agreed actions and their progress; every path (CLI, chat, import) calls it."""

    def __init__(self, actions: ActionRepository, rounds: RoundRepository,
                 partners: PartnerRepository, clock: Clock, zone: ZoneInfo,
                 card_maker: CardMaker | None = None) -> None:
        self.actions = actions
        self.rounds = rounds
        self.partners = partners
        self.clock = clock
        self.zone = zone
        # Set by the follow-up rules so a new action's owner hears of it in the same transaction.
        self.card_maker = card_maker

    def today(self) -> date:
        """The partnership's calendar day now."""
        return local_today(self.clock.now(), self.zone)

    async def add(self, round_id: int, *, text: str, owner: str | int, due: str | date,
                  area: str | None = None, organisation: str | None = None,
                  source_theme: str | None = None, created_by: int | None = None,
                  by_role: str = "cli", sources: Sequence[int] = ()) -> Action:
        """Record one agreed action; its owner is sent it (when they have joined). `area`
        may name the question it was suggested under, and `sources` the answers to it
        (response or ballot ids) that suggested it."""
        rnd = await self.rounds.get(round_id)
        partners = await self.partners.all()
        new = self._check(rnd, partners, text=text, owner=owner, due=due, area=area,
                          organisation=organisation, source_theme=source_theme,
                          created_by=created_by)
        if sources:
            if new.question_id is None:
                raise InvalidAnswer("The answers an action came from need its question.")
            new = replace(new, sources=tuple(sources))
        [action_id] = await self.actions.add([new], self._cards(rnd, partners),
                                             self.clock.now(), by_role)
        return await self.actions.get(action_id)

    async def add_rows(self, round_id: int, rows: Sequence[ActionRow], *,
                       problems: Sequence[tuple[int, str]] = (), skip_bad_rows: bool = False
                       ) -> tuple[list[Action], list[tuple[int, str]]]:
        """Check every row; store them all, or none if any is bad (unless skipping bad rows).

        `problems` are those found reading the file; returns (actions stored, every problem by
        line).
        """
        rnd = await self.rounds.get(round_id)
        partners = await self.partners.all()
        news: list[NewAction] = []
        problems = list(problems)
        for row in rows:
            try:
                new = self._check(rnd, partners, text=row.text, owner=row.owner, due=row.due,
                                  area=row.area or None, organisation=row.organisation or None)
                if row.status:
                    new = replace(new, status=parse_status(row.status))
            except (InvalidAnswer, NotFound) as exc:
                problems.append((row.line, str(exc)))
                continue
            news.append(new)
        problems.sort()
        if (problems and not skip_bad_rows) or not news:
            return [], problems
        ids = await self.actions.add(news, self._cards(rnd, partners), self.clock.now(),
                                     "import")
        return await self.actions.find(ids=ids), problems

    def _check(self, rnd: Round, partners: Sequence[Partner], *, text: str,
                     owner: str | int, due: str | date, area: str | None,
                     organisation: str | None, source_theme: str | None = None,
                     created_by: int | None = None) -> NewAction:
        words = " ".join((text or "").split())
        if not words:
            raise InvalidAnswer("An action needs its text: what was agreed.")
        if len(words) > MAX_TEXT:
            raise InvalidAnswer(f"An action's text is at most {MAX_TEXT} characters "
                                f"(this one has {len(words)}).")
        partner = resolve_owner(owner, partners)
        due_on = parse_due(due)
        if due_on < local_today(rnd.created_at, self.zone):
            raise InvalidAnswer(f"Due date {due_on.isoformat()} is before the round began.")
        area_id, question_id = resolve_area(area, questionnaire_from_dict(rnd.questionnaire))
        org = " ".join((organisation or "").split()) or None
        return NewAction(round_id=rnd.id, text=words, owner_partner_id=partner.id,
                         due_on=due_on, area=area_id, question_id=question_id,
                         owner_organisation=org, source_theme=source_theme,
                         created_by=created_by)

    def _cards(self, rnd: Round, partners: Sequence[Partner]
               ) -> Callable[[int, NewAction], Sequence[NewMessage]] | None:
        maker = self.card_maker
        if maker is None:
            return None
        people = {p.id: p for p in partners}

        def cards(action_id: int, new: NewAction) -> Sequence[NewMessage]:
            partner = people.get(new.owner_partner_id)
            return maker(action_id, new, rnd, partner) if partner is not None else ()

        return cards

    async def find(self, *, round_id: int | None = None, owner: str | int | None = None,
                   status: str | None = None) -> list[Action]:
        """Actions by round, owner (id or name) and status; every filter optional."""
        owner_id = None
        if owner is not None:
            owner_id = resolve_owner(owner, await self.partners.all()).id
        statuses = [parse_status(status)] if status else None
        return await self.actions.find(round_ids=[round_id] if round_id is not None else None,
                                       owner_partner_id=owner_id, statuses=statuses)

    async def of_owner(self, partner_id: int, *, settled: bool = False) -> list[Action]:
        """An owner's actions (their own only); settled ones only when asked."""
        found = await self.actions.find(owner_partner_id=partner_id)
        return [a for a in found if settled or a.status not in SETTLED]

    async def get(self, action_id: int) -> Action:
        """One action (NotFound otherwise)."""
        return await self.actions.get(action_id)

    async def update(self, action_id: int, *, status: str | None = None,
                     note: str | None = None, by_role: str = "cli",
                     by_partner_id: int | None = None,
                     messages: Sequence[NewMessage] = ()) -> Action:
        """Set an action's status and/or add a dated note; an owner may change only their own."""
        action = await self.actions.get(action_id)
        new_status = parse_status(status) if status else None
        text = " ".join((note or "").split()) or None
        if new_status is None and text is None:
            raise InvalidAnswer("Give a status, a note, or both.")
        if text is not None and len(text) > MAX_NOTE:
            raise InvalidAnswer(f"A note is at most {MAX_NOTE} characters.")
        if by_role == "owner":
            if by_partner_id is None or by_partner_id != action.owner_partner_id:
                raise NotAllowed("Only the action's owner can update it from here.")
            if new_status is not None and new_status not in OWNER_STATUSES:
                raise NotAllowed("Only a coordinator can drop an action or set it back to "
                                 "agreed.")
        return await self.actions.update(action_id, status=new_status, note=text,
                                         by_role=by_role, by_partner_id=by_partner_id,
                                         now=self.clock.now(), messages=messages)
