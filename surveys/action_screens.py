"""What /actions shows: a coordinator's list, one action with its history, suggestions to agree.

Screens are text and buttons (label, callback data); the bot renders them. Callback data:
``ac:show:ID`` one action; ``ac:set:ID:S`` a coordinator sets a status; ``ac:sugg:ROUND`` a
round's suggested actions; ``ac:pick:ROUND:AREA:N:DIGEST`` (area number AREA's N-th
suggestion, whose wording has that digest) → owner, ``ac:own:…:PARTNER`` → due date,
``ac:due:…:MONTHS`` → the action is agreed; ``ac:more:ROUND:AREA:PAGE`` pages through an
area's suggestions in place (page 0 is every area's first few). At most 54 bytes, within
Telegram's 64.

A pick names what it showed: the digest of the wording the coordinator read. A round's
suggestions are drawn again when an answer they came from is erased, and then a letter can
name another suggestion; the desk finds the one the button showed by its digest, or says it
has gone (`SuggestionRef`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from storage.records import Partner, Round
from surveys.action_follow_up import STATUS_MARKS, Buttons, card_buttons, card_text, day
from surveys.actions import (
    MAX_TEXT,
    SETTLED,
    STATUS_LABELS,
    STATUSES,
    Action,
    is_overdue,
    owner_label,
)
from surveys.model import Questionnaire
from surveys.plural import count
from surveys.screens import shorten
from surveys.suggestions import letter, proposers

if TYPE_CHECKING:  # the report package loads pandas and matplotlib: only when a report is built
    from surveys.report.model import Report

MAX_LISTED = 30
MAX_BUTTONS = 20
MAX_OWNERS = 40
LONG_SHOWN = 3500   # of a wording too long to agree: as much as a message holds beside it
DUE_MONTHS = (1, 3, 6, 12)
# At most eight suggestions an area, fewer when a message (Telegram's 4,096 characters,
# some kept spare) or the keyboard would not hold them all.
MAX_PER_AREA = 8
# The message lists each suggestion in full, lettered as in the report: a coordinator tells
# two apart that start alike by their words, and taps the letter. Only a wording of more
# than three or four lines on a phone is cut here; the next screen shows it whole.
FULL_LINE = 300
MAX_SCREEN = 4000
MESSAGE_LIMIT = 4096
MAX_SUGGESTION_BUTTONS = 60   # buttons, of the 100 a keyboard may hold
# A button carries the letter and the first words ("2c) Introduce a joint…"), two to a row:
# half a phone's width shows about twenty characters, and the letter always.
HEAD = 22
PER_ROW = 2
# The verb the action wording puts before a proposal made as a noun phrase ("Introduce a
# joint data team", "Aim for fewer meetings"): half the heads would read "Introduce a…".
_ADDED_VERB = re.compile(r"^(?:Introduce|Aim for)\s+(?:(?:a|an|the)\s+)?(?=\S)")
# A page of an area's further suggestions: ten lines of at most ~320 characters and twelve
# buttons, inside a message's 4,096 characters and a keyboard's 100 buttons.
PAGE_SIZE = 10
MORE, BACK = "More ▶", "◀ Back"
PAGE_GONE = ("That page of suggestions is no longer there: they have changed since it was "
             "drawn. Here they are as they stand now.")
STATUS_CODES = {"a": "agreed", "p": "in_progress", "d": "done", "x": "dropped", "s": "stuck"}
_CODE_OF = {v: k for k, v in STATUS_CODES.items()}
_ID, _N = r"(\d{1,12})", r"(\d{1,4})"
# round, area number, place in the area, and the digest of the wording shown (absent from a
# button drawn before digests: such a button picks nothing).
_PICKED = rf"{_ID}:{_N}:{_N}(?::([0-9a-f]{{8}}))?"
_SHAPES = {
    "show": (re.compile(_ID), ("first",)),
    "sugg": (re.compile(_ID), ("first",)),
    "set": (re.compile(rf"{_ID}:([a-z])"), ("first", "code")),
    "more": (re.compile(rf"{_ID}:{_N}:{_N}"), ("first", "area", "place")),
    "pick": (re.compile(_PICKED), ("first", "area", "place", "digest")),
    "own": (re.compile(rf"{_PICKED}:{_ID}"), ("first", "area", "place", "digest", "partner")),
    "due": (re.compile(rf"{_PICKED}:{_ID}:(\d{{1,2}})"),
            ("first", "area", "place", "digest", "partner", "months")),
}


@dataclass
class ActionScreen:
    """A message of the /actions flow: text and rows of (label, data) buttons."""

    text: str
    buttons: Buttons = field(default_factory=list)
    in_place: bool = False   # redraws the message whose button was tapped (paging)


@dataclass(frozen=True)
class CoordinatorTap:
    """A coordinator's /actions button, parsed."""

    verb: str
    first: int                      # an action id, or a round id
    code: str | None = None         # a status code (set)
    area: int | None = None         # an area's number in the questionnaire (from 1)
    place: int | None = None        # a suggestion's index in its area, or a page (more)
    digest: str | None = None       # the digest of the suggestion's wording, as shown
    partner: int | None = None
    months: int | None = None

    @classmethod
    def parse(cls, data: str) -> CoordinatorTap | None:
        """The tap behind callback data; None for anything else."""
        verb, _, rest = (data or "").removeprefix("ac:").partition(":")
        shape = _SHAPES.get(verb) if (data or "").startswith("ac:") else None
        found = shape[0].fullmatch(rest) if shape else None
        if shape is None or found is None:
            return None
        values = {name: value if name in ("code", "digest") or value is None else int(value)
                  for name, value in zip(shape[1], found.groups(), strict=True)}
        return cls(verb, **values)  # type: ignore[arg-type]


def wording_digest(wording: str) -> str:
    """Eight hex digits that name a suggestion's wording in a button (one in four billion
    of two wordings sharing them; within an area of a few hundred, never in practice)."""
    return hashlib.blake2b(wording.encode(), digest_size=4).hexdigest()


@dataclass(frozen=True)
class SuggestionRef:
    """The suggestion a pick, owner or due-date button names: round, area number, its
    place there when drawn, and the digest of the wording the coordinator saw."""

    round_id: int
    area: int
    place: int
    digest: str

    def data(self, verb: str, *more: int) -> str:
        """Callback data for `verb` on this suggestion, then a partner and months."""
        return ":".join(["ac", verb, str(self.round_id), str(self.area), str(self.place),
                         self.digest, *map(str, more)])


@dataclass(frozen=True)
class SuggestedAction:
    """A suggestion partners made, offered to the board in its own action wording."""

    wording: str                 # the suggestion as an action (surveys.suggestions)
    count: int                   # suggested by
    sources: tuple[int, ...] = ()   # the answers it came from (response or ballot ids)


@dataclass(frozen=True)
class Suggestion:
    """One area's suggested actions, in the report's order (most suggested first)."""

    area_id: str
    area_title: str
    question_id: str
    offered: tuple[SuggestedAction, ...]
    number: int          # the area's number in the questionnaire (1 for its first area)


def suggestions(report: Report, q: Questionnaire) -> list[Suggestion]:
    """Each area's suggested actions (questions tagged "actions"), from a built report:
    every distinct suggestion, even where the page groups many into themes."""
    from surveys.report.model import SuggestionList

    tagged = {x.id: s for s in q.sections for x in s.questions if x.tag == "actions"}
    numbers = {s.id: n for n, s in enumerate(q.sections, start=1)}
    out: list[Suggestion] = []
    for section in report.sections:
        for block in section.blocks:
            if not isinstance(block, SuggestionList) or block.key not in tagged:
                continue
            offered = tuple(SuggestedAction(i.wording, i.count, i.sources) for i in block.items)
            if offered:
                area = tagged[block.key]
                out.append(Suggestion(area.id, area.title, block.key, offered,
                                      numbers[area.id]))
    return out


def _line(a: Action, today: date) -> str:
    late = " — OVERDUE" if is_overdue(a, today) else ""
    text = shorten(a.text, 70)
    return (f"{STATUS_MARKS[a.status]} #{a.id} {owner_label(a)}: {text} (due "
            f"{day(a.due_on)}, {STATUS_LABELS[a.status]}{late})")


def coordinator_list(actions: Sequence[Action], rounds: dict[int, Round],
                     closed_rounds: Sequence[Round], today: date) -> ActionScreen:
    """Every action by round, open ones first; buttons to change one, or to agree more."""
    lines = ["Agreed actions, by round:"] if actions else [
        "No actions have been agreed yet."]
    buttons: Buttons = []
    for rid in sorted({a.round_id for a in actions}, reverse=True):
        mine = sorted((a for a in actions if a.round_id == rid),
                      key=lambda a: (a.status in SETTLED, a.due_on, a.id))
        settled = sum(a.status in SETTLED for a in mine)
        lines += ["", f"Round {rid}: {rounds[rid].title} — {settled} of {len(mine)} settled"]
        lines += [_line(a, today) for a in mine[:MAX_LISTED]]
        if len(mine) > MAX_LISTED:
            lines.append(f"…and {len(mine) - MAX_LISTED} more (partnerpulse actions list)")
        for a in mine:
            if a.status not in SETTLED and len(buttons) < MAX_BUTTONS:
                buttons.append([{"label": f"#{a.id} {owner_label(a)}"[:60],
                                 "data": f"ac:show:{a.id}"}])
    for rnd in closed_rounds[:3]:
        buttons.append([{"label": f"Agree actions from round {rnd.id}",
                         "data": f"ac:sugg:{rnd.id}"}])
    return ActionScreen("\n".join(lines), buttons)


def _suggested_in(a: Action) -> list[str]:
    """Where an action agreed from partners' suggestions came from: the suggestion as the
    report offered it, and how many of the answers that made it are still stored."""
    if not a.source_theme:
        return []
    made = f", in {count(len(a.sources), 'answer')}" if a.sources else ""
    return ["", f"Agreed from the suggestion “{a.source_theme}”{made}."]


def action_detail(a: Action, rnd: Round, zone: ZoneInfo) -> ActionScreen:
    """One action with its dated history and a button for every other status."""
    lines = [card_text(a.text, rnd, a.area, a.due_on, a.status, a.owner_organisation,
                       head=f"Action #{a.id} — owner {owner_label(a)}").rsplit("\n\n", 1)[0],
             *_suggested_in(a), "", "History:"]
    for n in a.notes:
        what = STATUS_LABELS[n.status] if n.status else "note"
        who = {"owner": "owner", "coordinator": "coordinator", "cli": "command line",
               "import": "import"}[n.by_role]
        lines.append(f"• {n.at.astimezone(zone).strftime('%-d %b %Y')}: {what} ({who})"
                     + (f" — {n.note}" if n.note else ""))
    others = [s for s in STATUSES if s != a.status]
    row = [{"label": STATUS_LABELS[s].capitalize(), "data": f"ac:set:{a.id}:{_CODE_OF[s]}"}
           for s in others]
    return ActionScreen("\n".join(lines), [row[:3], row[3:]])


def _offered_line(mark: str, t: SuggestedAction) -> str:
    """A suggestion as the report lists it, a count only where more than one made it."""
    by = proposers(t.count)
    return f"{mark} {shorten(t.wording, FULL_LINE)}" + (f" {by}" if by else "")


def _pick_buttons(rnd: Round, s: Suggestion, start: int, offered: Sequence[SuggestedAction],
                  area: str = "") -> Buttons:
    """The letter buttons of an area's suggestions from `start`, two to a row."""
    keys = [{"label": f"{area}{letter(n)} {head(t.wording)}",
             "data": SuggestionRef(rnd.id, s.number, n, wording_digest(t.wording)).data("pick")}
            for n, t in enumerate(offered, start=start)]
    return [keys[i:i + PER_ROW] for i in range(0, len(keys), PER_ROW)]


def head(wording: str) -> str:
    """A suggestion's first words for its button, without the verb its wording added:
    "Introduce a joint data and intelligence team" → "Joint data and…"."""
    rest = _ADDED_VERB.sub("", wording, count=1)
    return shorten(rest[:1].upper() + rest[1:], HEAD)


_AGREE_HOW = ("Tap a suggestion's letter to agree it: you can change its wording, then pick "
              "its owner and due date.")


def first_shown(rnd: Round, found: Sequence[Suggestion]) -> int:
    """How many of each area's suggestions the first screen shows: at most eight, fewer when
    the message (4,096 characters, some kept spare) or its keyboard would not hold them."""
    for shown in range(MAX_PER_AREA, 1, -1):
        screen = _first_screen(rnd, found, shown)
        keys = sum(len(row) for row in screen.buttons)
        if len(screen.text) <= MAX_SCREEN and keys <= MAX_SUGGESTION_BUTTONS:
            return shown
    return 1


def _first_screen(rnd: Round, found: Sequence[Suggestion], shown: int,
                  note: str = "") -> ActionScreen:
    lines = [note, ""] if note else []
    lines += [f"Suggested actions from round {rnd.id}: {rnd.title}", _AGREE_HOW]
    buttons: Buttons = []
    more: Buttons = []
    for s in found:
        # With several areas, each button says whose "a)" it is: "2a)" is area 2's a), as
        # `partnerpulse actions add --from-suggestion 2:a` names it.
        area = f"{s.number}" if len(found) > 1 else ""
        lines += ["", f"{s.number}. {s.area_title}" if area else s.area_title]
        lines += [_offered_line(letter(n), t) for n, t in enumerate(s.offered[:shown])]
        buttons += _pick_buttons(rnd, s, 0, s.offered[:shown], area)
        left = len(s.offered) - shown
        if left > 0:
            label = more_label(s, left)
            lines.append(f"…and {left} more: tap “{label}”")
            more.append([{"label": label, "data": f"ac:more:{rnd.id}:{s.number}:1"}])
    return ActionScreen("\n".join(lines), buttons + more)


def more_label(s: Suggestion, left: int) -> str:
    """The button that opens an area's further suggestions: "More: Meetings and messages (7)"."""
    return f"More: {shorten(s.area_title, 40)} ({left})"


def suggestion_screen(rnd: Round, found: Sequence[Suggestion], *, in_place: bool = False,
                      note: str = "") -> ActionScreen:
    """A round's suggested actions, lettered per area as in seed 004, one button each. A
    message holds 4,096 characters: each area shows its most suggested, as many as fit, and
    a "More" button for the rest (`suggestion_page`). `note` heads it (why it is drawn
    again)."""
    if not found:
        return ActionScreen((f"{note}\n\n" if note else "") + f"Round {rnd.id} ({rnd.title}) "
                            "has no suggested actions to agree.", in_place=in_place)
    # As many as without the note, so its More pages start where it stops; a note that
    # would then not fit the message (4,096 characters) is left out.
    shown = first_shown(rnd, found)
    screen = _first_screen(rnd, found, shown, note)
    if len(screen.text) > MESSAGE_LIMIT:
        screen = _first_screen(rnd, found, shown)
    screen.in_place = in_place
    return screen


def page_count(rnd: Round, found: Sequence[Suggestion], area: Suggestion) -> int:
    """How many pages of further suggestions an area has after the first screen (0 when the
    first screen shows them all)."""
    left = len(area.offered) - first_shown(rnd, found)
    return max(0, -(-left // PAGE_SIZE))


def suggestion_page(rnd: Round, found: Sequence[Suggestion], area: int,
                    page: int) -> ActionScreen:
    """Area number `area`'s further suggestions, page `page` (from 1), lettered as in the
    report, with Back (the page before, or every area's first few) and More (the next page);
    it redraws the message tapped. For a page or area that is not there (a button from
    before the suggestions changed, or one made up) it redraws the round's suggestions as
    they stand now, saying so: the screen in the stale one's place, never a dead end."""
    if page == 0:
        return suggestion_screen(rnd, found, in_place=True)
    s = next((x for x in found if x.number == area), None)
    if s is None or not 1 <= page <= page_count(rnd, found, s):
        return suggestion_screen(rnd, found, in_place=True, note=PAGE_GONE)
    start = first_shown(rnd, found) + (page - 1) * PAGE_SIZE
    shown = s.offered[start:start + PAGE_SIZE]
    last = start + len(shown) - 1
    pages = page_count(rnd, found, s)
    lines = [f"Suggested actions from round {rnd.id}: {rnd.title}",
             # The first screen is page 1: the area's first few, with every other area's.
             f"{s.area_title}, page {page + 1} of {pages + 1}: " + (
                 f"suggestions {letter(start)} to {letter(last)}" if last > start
                 else f"suggestion {letter(start)}") + f" of {len(s.offered)}", _AGREE_HOW, ""]
    lines += [_offered_line(letter(start + n), t) for n, t in enumerate(shown)]
    buttons = _pick_buttons(rnd, s, start, shown)
    nav = [{"label": BACK, "data": f"ac:more:{rnd.id}:{area}:{page - 1}"}]
    if page < pages:
        nav.append({"label": MORE, "data": f"ac:more:{rnd.id}:{area}:{page + 1}"})
    return ActionScreen("\n".join(lines), [*buttons, nav], in_place=True)


def owner_screen(ref: SuggestionRef, wording: str, partners: Sequence[Partner], *,
                 edited: bool = False) -> ActionScreen:
    """The action's wording, how to change it, and who owns it: the round's partners, two
    to a row. A wording longer than an action may be (a partner's long answer) asks for a
    shorter one first, and offers no owner until it is typed."""
    if len(wording) > MAX_TEXT:
        return ActionScreen(
            f"Action to agree:\n“{shorten(wording, LONG_SHOWN)}”\n\nIt has {len(wording)} "
            f"characters, and an agreed action holds at most {MAX_TEXT}. Type it as the "
            "board agreed it, shorter; then pick its owner.")
    shown = list(partners)[:MAX_OWNERS]
    keys = [{"label": f"{p.name} ({p.organisation})"[:60], "data": ref.data("own", p.id)}
            for p in shown]
    text = (f"{'Reworded' if edited else 'Action to agree'}:\n“{wording}”\n\n"
            "To word it as the board agreed it, type the action now. Who owns it?")
    if len(partners) > MAX_OWNERS:
        text += (f" ({MAX_OWNERS} of {len(partners)} shown; for anyone else use "
                 "partnerpulse actions add.)")
    return ActionScreen(text, [keys[i:i + 2] for i in range(0, len(keys), 2)])


def due_screen(ref: SuggestionRef, wording: str, owner: Partner) -> ActionScreen:
    """By when: one, three, six or twelve months."""
    row = [{"label": f"{m} month{'s' if m > 1 else ''}",
            "data": ref.data("due", owner.id, m)} for m in DUE_MONTHS]
    return ActionScreen(f"“{wording}”\nOwner: {owner.name} ({owner.organisation})\nDue in?",
                        [row])


def owner_list(actions: Sequence[Action], rounds: dict[int, Round]) -> list[ActionScreen]:
    """An owner's open actions, one card each with their buttons."""
    if not actions:
        return [ActionScreen("You have no open actions. Thank you!")]
    return [ActionScreen(card_text(a.text, rounds[a.round_id], a.area, a.due_on, a.status,
                                   a.owner_organisation, head="📌 Your action"),
                         card_buttons(a)) for a in actions]
