"""The coordinator's /actions desk and an owner's own list: one call per tap, a screen back."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from storage.action_picks import ActionPickRepository, StoredPick
from storage.records import Partner, Round
from surveys.action_follow_up import FollowUps
from surveys.action_screens import (
    STATUS_CODES,
    ActionScreen,
    CoordinatorTap,
    SuggestedAction,
    Suggestion,
    SuggestionRef,
    action_detail,
    coordinator_list,
    due_screen,
    owner_list,
    owner_screen,
    suggestion_page,
    suggestion_screen,
    suggestions,
    wording_digest,
)
from surveys.actions import MAX_TEXT, Action, ActionService, area_title, resolve_area
from surveys.coordinators import Coordinators
from surveys.errors import InvalidAnswer, StaleAction, maps_store_errors
from surveys.plural import count
from surveys.reporting import ReportService
from surveys.rounds import Audience
from surveys.screens import shorten
from surveys.suggestions import letter, mark_index
from surveys.templates import questionnaire_from_dict

REWORD_WINDOW = timedelta(minutes=30)   # typed this soon after a pick, text is its wording
CHANGED = ("The suggestions have changed since that list was drawn (an answer they came "
           "from was erased), and the one you tapped is no longer there as it read: nothing "
           "was agreed. Here they are as they stand now.")


@dataclass(frozen=True)
class Wording:
    """A suggested action being agreed: which one, its words so far, in which chat, and
    until when a message typed there is taken as its words."""

    picked: SuggestionRef
    text: str
    at: datetime         # picked
    offered: str         # the suggestion's own wording (`text` differs once retyped)
    chat: int
    until: datetime

    def names(self, ref: SuggestionRef) -> bool:
        """Whether this is the wording of the suggestion `ref` names (wherever it is now)."""
        return (self.picked.round_id, self.picked.area, self.picked.digest) == (
            ref.round_id, ref.area, ref.digest)

    def stored(self, coordinator_id: int) -> StoredPick:
        """As the database keeps it."""
        ref = self.picked
        return StoredPick(coordinator_id, self.chat, ref.round_id, ref.area, ref.place,
                          ref.digest, self.text, self.offered, self.at, self.until)

    @classmethod
    def of(cls, pick: StoredPick) -> Wording:
        """A stored pick."""
        return cls(SuggestionRef(pick.round_id, pick.area, pick.place, pick.digest),
                   pick.wording, pick.picked_at, pick.offered, pick.chat_id, pick.expires_at)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@maps_store_errors
class ActionDesk:
    """What coordinators and owners do with /actions, over the action and report services."""

    def __init__(self, actions: ActionService, follow_ups: FollowUps,
                 reports: ReportService, coordinators: Coordinators,
                 picks: ActionPickRepository | None = None) -> None:
        self.actions = actions
        self.follow_ups = follow_ups
        self.reports = reports
        # A coordinator limited to some partnerships sees and changes only their rounds'.
        self.coordinators = coordinators
        # A closed round's suggestions do not change; theming them again per tap would take
        # seconds each.
        self._suggested: dict[int, list[Suggestion]] = {}
        # The suggested action each coordinator is agreeing, and its wording so far: in the
        # database, so a restart between a pick and its typed wording loses neither.
        self.picks = picks or ActionPickRepository(actions.actions.db)

    async def _rounds(self, ids: set[int]) -> dict[int, Round]:
        return {rid: await self.actions.rounds.get(rid) for rid in ids}

    async def overview(self, coordinator_id: int) -> ActionScreen:
        """The actions of every round the coordinator may see, and buttons to change one or
        agree more."""
        visible = {r.id: r for r in await self.coordinators.visible(
            coordinator_id, await self.actions.rounds.all())}
        found = [a for a in await self.actions.find() if a.round_id in visible]
        # Rounds whose questionnaire asks for suggested actions (seed 004's areas), newest first.
        closed = [r for r in visible.values() if r.state == "closed"
                  and any(q.tag == "actions"
                          for q in questionnaire_from_dict(r.questionnaire).questions)]
        return coordinator_list(found, visible, closed, self.actions.today())

    async def mine(self, partner: Partner) -> list[ActionScreen]:
        """An owner's open actions, each with its buttons."""
        found = await self.actions.of_owner(partner.id)
        return owner_list(found, await self._rounds({a.round_id for a in found}))

    async def tap(self, data: str, coordinator_id: int,
                  chat_id: int | None = None) -> ActionScreen:
        """A coordinator's /actions button, tapped in `chat_id` (their own chat when not
        given): show, set a status, page, or agree a suggested action."""
        tap = CoordinatorTap.parse(data)
        if tap is None:
            raise StaleAction("That button is not valid.")
        if tap.verb in ("show", "set"):
            action = await self.actions.get(tap.first)
            await self.coordinators.check(coordinator_id,
                                          await self.actions.rounds.get(action.round_id))
        else:
            await self.coordinators.check(coordinator_id,
                                          await self.actions.rounds.get(tap.first))
        if tap.verb == "show":
            return await self.detail(tap.first)
        if tap.verb == "set" and tap.code in STATUS_CODES:
            await self.actions.update(tap.first, status=STATUS_CODES[tap.code],
                                      by_role="coordinator")
            return await self.detail(tap.first)
        if tap.verb == "sugg":
            rnd = await self.actions.rounds.get(tap.first)
            return suggestion_screen(rnd, await self._suggestions(rnd))
        if tap.area is None or tap.place is None:
            raise StaleAction("That button is not valid.")
        rnd = await self.actions.rounds.get(tap.first)
        if tap.verb == "more":   # ac:more:ROUND:AREA:PAGE
            return suggestion_page(rnd, await self._suggestions(rnd), tap.area, tap.place)
        found = await self._offered(rnd, tap)
        if found is None:   # gone, reworded, or a button from before digests: never a guess
            return await self._changed(rnd, tap, coordinator_id)
        suggestion, offered, ref = found
        chat = coordinator_id if chat_id is None else chat_id
        if tap.verb == "pick":   # the offered wording, until the coordinator types another
            await self._wait_for_words(coordinator_id, chat, ref, offered.wording,
                                       offered.wording)
            return owner_screen(ref, offered.wording, await self._audience(rnd))
        wording = await self._wording_of(coordinator_id, ref) or offered.wording
        if len(wording) > MAX_TEXT:   # a button from before its words were typed: ask again
            await self._wait_for_words(coordinator_id, chat, ref, wording, offered.wording)
            return owner_screen(ref, wording, await self._audience(rnd))
        owner = await self.actions.partners.get(tap.partner or -1)
        if tap.verb == "own":
            return due_screen(ref, wording, owner)
        if tap.verb == "due" and tap.months:
            # Recorded under the area's suggestions question, with the answers that made it.
            action = await self.actions.add(
                rnd.id, text=wording, owner=owner.id,
                due=add_months(self.actions.today(), tap.months), area=suggestion.question_id,
                source_theme=offered.wording, created_by=coordinator_id, by_role="coordinator",
                sources=offered.sources)
            await self.picks.drop(coordinator_id)
            screen = await self.detail(action.id)
            screen.text = "Agreed, and sent to its owner.\n\n" + screen.text
            return screen
        raise StaleAction("That button is not valid.")

    async def _wait_for_words(self, coordinator_id: int, chat: int, ref: SuggestionRef,
                              wording: str, offered: str) -> None:
        now = self.actions.clock.now()
        await self.picks.put(Wording(ref, wording, now, offered, chat,
                                     now + REWORD_WINDOW).stored(coordinator_id))

    async def _waiting(self, coordinator_id: int) -> Wording | None:
        stored = await self.picks.get(coordinator_id)
        return None if stored is None else Wording.of(stored)

    async def expired_pick(self, coordinator_id: int, chat_id: int) -> Wording | None:
        """The coordinator's pick made in this chat whose time for typed words has passed."""
        waiting = await self._waiting(coordinator_id)
        if waiting is None or waiting.chat != chat_id:
            return None
        return waiting if self.actions.clock.now() > waiting.until else None

    async def reword(self, coordinator_id: int, text: str, chat_id: int | None = None, *,
                     late: SuggestionRef | None = None) -> ActionScreen | None:
        """Text a coordinator typed in the chat where they picked a suggested action, before
        its pick expired, is its wording: the owner buttons again, under the new words (and
        the pick waits another `REWORD_WINDOW`). None when no pick waits there (the text is
        then someone's answer, as usual); raises InvalidAnswer if it cannot be an action's
        text. `late`: the coordinator said, after it expired, that the text is the wording
        of this suggestion's pick (taken if that is still their pick)."""
        waiting = await self._waiting(coordinator_id)
        chat = coordinator_id if chat_id is None else chat_id
        now = self.actions.clock.now()
        if late is not None:
            if waiting is None or not waiting.names(late):
                return None
        elif waiting is None or waiting.chat != chat or now > waiting.until:
            return None
        words = " ".join(text.split())
        if not words:
            raise InvalidAnswer("Type the action's words, or tap its owner to keep them.")
        if len(words) > MAX_TEXT:
            raise InvalidAnswer(f"An action's text is at most {MAX_TEXT} characters "
                                f"(this one has {len(words)}). Type a shorter one.")
        await self.picks.put(replace(waiting, text=words,
                                     until=now + REWORD_WINDOW).stored(coordinator_id))
        rnd = await self.actions.rounds.get(waiting.picked.round_id)
        return owner_screen(waiting.picked, words, await self._audience(rnd), edited=True)

    async def drop_pick(self, coordinator_id: int) -> None:
        """The coordinator started something else (a command): the suggestion they picked
        no longer waits for its wording, so /newround's typed deadline is not taken as it."""
        await self.picks.drop(coordinator_id)

    async def stray_text(self, coordinator_id: int, received: str) -> str:
        """What a coordinator who is no partner is told when they send something (`received`:
        their words in quotes, or "a photo") and nothing waits for it (outside /newround):
        what was received, that it was not kept, and what to do; never "you have not
        joined". A pick whose time has passed is named, so they know their words did not
        become its wording."""
        waiting = await self._waiting(coordinator_id)
        if waiting is not None and self.actions.clock.now() > waiting.until:
            minutes = int(REWORD_WINDOW.total_seconds()) // 60
            return (f"I received {received}, but did not take it as the wording of "
                    f"“{shorten(waiting.offered, 80)}”: you picked that more than {minutes} "
                    "minutes ago. Tap it again in /actions (Agree actions), then send your "
                    "words again.")
        return (f"I received {received}, but was not waiting for a message from you, so it "
                "was not kept. To word a suggested action as the board agreed it, tap it in "
                "/actions first, then type it. /help lists your commands.")

    async def _wording_of(self, coordinator_id: int, ref: SuggestionRef) -> str | None:
        waiting = await self._waiting(coordinator_id)
        return waiting.text if waiting is not None and waiting.names(ref) else None

    async def _offered(self, rnd: Round, tap: CoordinatorTap
                       ) -> tuple[Suggestion, SuggestedAction, SuggestionRef] | None:
        """The suggestion a pick, owner or due-date button names, by the digest of the
        wording it showed: where it was drawn, else wherever its area now lists it (a
        suggestion before it gone). None when no suggestion reads so any more."""
        area = next((s for s in await self._suggestions(rnd) if s.number == tap.area), None)
        if area is None or tap.digest is None or tap.place is None:
            return None
        for place in (tap.place, *range(len(area.offered))):
            if place < len(area.offered) and wording_digest(
                    area.offered[place].wording) == tap.digest:
                return area, area.offered[place], SuggestionRef(rnd.id, area.number, place,
                                                                tap.digest)
        return None

    async def _changed(self, rnd: Round, tap: CoordinatorTap,
                       coordinator_id: int) -> ActionScreen:
        """A button whose suggestion is gone: says so, agrees nothing, and draws the round's
        suggestions afresh in the tapped message's place (as More and Back do), so the dead
        pick, owner or due-date buttons are not left on screen; a wording typed for it is
        given back, not lost."""
        note = CHANGED
        waiting = await self._waiting(coordinator_id)
        if (waiting is not None and tap.digest is not None and waiting.text != waiting.offered
                and waiting.names(SuggestionRef(rnd.id, tap.area or 0, 0, tap.digest))):
            note += f" The wording you typed for it: “{waiting.text}”."
            await self.picks.drop(coordinator_id)
        return suggestion_screen(rnd, await self._suggestions(rnd), in_place=True, note=note)

    async def add_from_suggestion(self, round_id: int, reference: str, *, text: str | None,
                                  owner: str | int, due: str | date,
                                  area: str | None = None,
                                  organisation: str | None = None) -> Action:
        """Record an action agreed from a suggestion named as the report prints it,
        "AREA:LETTER" (the area's number, id or title; "c" or "c)"): in its wording unless
        `text` words it otherwise, with the answers that made it, as /actions records it.
        Raises InvalidAnswer naming what does not match."""
        rnd = await self.actions.rounds.get(round_id)
        where, _, mark = (reference or "").rpartition(":")
        index = mark_index(mark)
        if not where.strip() or index is None:
            raise InvalidAnswer(
                f"Suggestion {reference!r} should be AREA:LETTER as the report prints it, "
                "e.g. 1:c, or long-term-goals:c (the area's number, id or title, then the "
                "suggestion's letter).")
        q = questionnaire_from_dict(rnd.questionnaire)
        area_id, _ = resolve_area(where, q)
        title = area_title(q, area_id)
        if rnd.state != "closed":
            raise InvalidAnswer(f"Round {rnd.id} is still open: its suggestions, and their "
                                "letters, can change until it closes.")
        found = await self._suggestions(rnd)
        listed = next((s for s in found if s.area_id == area_id), None)
        if listed is None:
            raise InvalidAnswer(f"Round {rnd.id} has no suggested actions for “{title}”.")
        if index >= len(listed.offered):
            last = len(listed.offered) - 1
            raise InvalidAnswer(
                f"“{title}” has {count(len(listed.offered), 'suggestion')}, "
                f"{letter(0)}{f' to {letter(last)}' if last else ''}: there is no "
                f"{letter(index)}.")
        if area is not None and resolve_area(area, q)[0] != area_id:
            raise InvalidAnswer(f"Suggestion {reference!r} is from “{title}”, not from the "
                                f"area {area!r}.")
        offered = listed.offered[index]
        if text is None and len(offered.wording) > MAX_TEXT:
            raise InvalidAnswer(
                f"Suggestion {reference!r} has {len(offered.wording)} characters, and an "
                f"action's text holds at most {MAX_TEXT}: give the words the board agreed "
                "with --text.")
        return await self.actions.add(
            rnd.id, text=text or offered.wording, owner=owner, due=due,
            area=listed.question_id, organisation=organisation, source_theme=offered.wording,
            sources=offered.sources)

    async def detail(self, action_id: int) -> ActionScreen:
        """One action with its history and status buttons."""
        action = await self.actions.get(action_id)
        rnd = await self.actions.rounds.get(action.round_id)
        return action_detail(action, rnd, self.actions.zone)

    async def _suggestions(self, rnd: Round) -> list[Suggestion]:
        cached = self._suggested.get(rnd.id)
        if cached is not None:
            # A closed round's answers only go (a partner erased, a response deleted): then
            # its suggestions are drawn again, so none is offered from an answer now gone.
            stored = await self.reports.responses.answers_of_round(rnd.id)
            if any(s.question_id not in stored.get(source, {}) for s in cached
                   for t in s.offered for source in t.sources):
                del self._suggested[rnd.id]
        if rnd.id not in self._suggested or rnd.state != "closed":
            built = await self.reports.build(rnd.id)
            found = suggestions(built.report, questionnaire_from_dict(rnd.questionnaire))
            if rnd.state != "closed":
                return found
            self._suggested[rnd.id] = found
        return self._suggested[rnd.id]

    async def _audience(self, rnd: Round) -> list[Partner]:
        audience = Audience.from_dict(rnd.audience)
        return [p for p in await self.actions.partners.all() if audience.includes(p)]
