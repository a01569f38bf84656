"""What /actions shows: a coordinator's list, one action with its history, suggestions to agree.

Screens are text and buttons (label, callback data); the bot renders them. Callback data:
``ac:show:ID`` one action; ``ac:set:ID:S`` a coordinator sets a status; ``ac:sugg:ROUND`` a
round's suggested actions; ``ac:pick:ROUND:AREA:N`` (the area's N-th suggestion) → owner,
``ac:own:…:PARTNER`` → due date, ``ac:due:…:MONTHS`` → the action is agreed. All well
within Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from storage.records import Partner, Round
from surveys.action_follow_up import STATUS_MARKS, Buttons, card_buttons, card_text, day
from surveys.actions import SETTLED, STATUS_LABELS, STATUSES, Action, is_overdue, owner_label
from surveys.model import Questionnaire
from surveys.plural import count
from surveys.screens import shorten
from surveys.suggestions import letter

if TYPE_CHECKING:  # the report package loads pandas and matplotlib: only when a report is built
    from surveys.report.model import Report

MAX_LISTED = 30
MAX_BUTTONS = 20
MAX_OWNERS = 40
DUE_MONTHS = (1, 3, 6, 12)
# At most eight suggestions an area, fewer when a message (Telegram's 4,096 characters,
# some kept spare) or the keyboard would not hold them all.
MAX_PER_AREA = 8
MAX_LINE = 100
MAX_SCREEN = 4000
MAX_SUGGESTION_BUTTONS = 60
STATUS_CODES = {"a": "agreed", "p": "in_progress", "d": "done", "x": "dropped", "s": "stuck"}
_CODE_OF = {v: k for k, v in STATUS_CODES.items()}
_COORDINATOR_BUTTON = re.compile(
    r"^ac:(show|set|sugg|pick|own|due):(\d{1,12})(?::([a-z]|\d{1,4}))?(?::(\d{1,4}))?"
    r"(?::(\d{1,12}))?(?::(\d{1,2}))?$")


@dataclass
class ActionScreen:
    """A message of the /actions flow: text and rows of (label, data) buttons."""

    text: str
    buttons: Buttons = field(default_factory=list)


@dataclass(frozen=True)
class CoordinatorTap:
    """A coordinator's /actions button, parsed."""

    verb: str
    first: int                      # an action id, or a round id
    code: str | None = None         # a status code (set) or an area index (pick, own, due)
    theme: int | None = None
    partner: int | None = None
    months: int | None = None

    @classmethod
    def parse(cls, data: str) -> CoordinatorTap | None:
        """The tap behind callback data; None for anything else."""
        found = _COORDINATOR_BUTTON.match(data or "")
        if not found:
            return None
        verb, first, code, theme, partner, months = found.groups()
        return cls(verb, int(first), code, int(theme) if theme else None,
                   int(partner) if partner else None, int(months) if months else None)


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


def suggestions(report: Report, q: Questionnaire) -> list[Suggestion]:
    """Each area's suggested actions (questions tagged "actions"), from a built report:
    every distinct suggestion, even where the page groups many into themes."""
    from surveys.report.model import SuggestionList

    tagged = {x.id: s for s in q.sections for x in s.questions if x.tag == "actions"}
    out: list[Suggestion] = []
    for section in report.sections:
        for block in section.blocks:
            if not isinstance(block, SuggestionList) or block.key not in tagged:
                continue
            offered = tuple(SuggestedAction(i.wording, i.count, i.sources) for i in block.items)
            if offered:
                area = tagged[block.key]
                out.append(Suggestion(area.id, area.title, block.key, offered))
    return out


def _line(a: Action, today: date) -> str:
    late = " — OVERDUE" if is_overdue(a, today) else ""
    text = a.text if len(a.text) <= 70 else a.text[:69] + "…"
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


def suggestion_screen(rnd: Round, found: Sequence[Suggestion]) -> ActionScreen:
    """A round's suggested actions, lettered per area as in seed 004, one button each. A
    message holds 4,096 characters: each area shows its most suggested, as many as fit
    (the report lists every one)."""
    if not found:
        return ActionScreen(f"Round {rnd.id} ({rnd.title}) has no suggested actions to agree.")
    head = [f"Suggested actions from round {rnd.id}: {rnd.title}",
            "Tap one to agree it: you can change its wording, then pick its owner and due "
            "date."]
    for shown in range(MAX_PER_AREA, 0, -1):
        lines, buttons = list(head), []
        for a_index, s in enumerate(found):
            lines += ["", s.area_title]
            for t_index, t in enumerate(s.offered[:shown]):
                mark = letter(t_index)
                lines.append(f"{mark} {shorten(t.wording, MAX_LINE)} (suggested by {t.count})")
                buttons.append([{"label": shorten(f"{mark} {t.wording}", 60),
                                 "data": f"ac:pick:{rnd.id}:{a_index}:{t_index}"}])
            if len(s.offered) > shown:
                lines.append(f"…and {len(s.offered) - shown} more in the report")
        text = "\n".join(lines)
        if len(text) <= MAX_SCREEN and len(buttons) <= MAX_SUGGESTION_BUTTONS:
            break
    return ActionScreen(text, buttons)


def owner_screen(rnd: Round, wording: str, area: int, theme: int,
                 partners: Sequence[Partner], *, edited: bool = False) -> ActionScreen:
    """The action's wording, how to change it, and who owns it: the round's partners, two
    to a row."""
    shown = list(partners)[:MAX_OWNERS]
    keys = [{"label": f"{p.name} ({p.organisation})"[:60],
             "data": f"ac:own:{rnd.id}:{area}:{theme}:{p.id}"} for p in shown]
    text = (f"{'Reworded' if edited else 'Action to agree'}:\n“{wording}”\n\n"
            "To word it as the board agreed it, type the action now. Who owns it?")
    if len(partners) > MAX_OWNERS:
        text += (f" ({MAX_OWNERS} of {len(partners)} shown; for anyone else use "
                 "partnerpulse actions add.)")
    return ActionScreen(text, [keys[i:i + 2] for i in range(0, len(keys), 2)])


def due_screen(rnd: Round, wording: str, area: int, theme: int,
               owner: Partner) -> ActionScreen:
    """By when: one, three, six or twelve months."""
    row = [{"label": f"{m} month{'s' if m > 1 else ''}",
            "data": f"ac:due:{rnd.id}:{area}:{theme}:{owner.id}:{m}"} for m in DUE_MONTHS]
    return ActionScreen(f"“{wording}”\nOwner: {owner.name} ({owner.organisation})\nDue in?",
                        [row])


def owner_list(actions: Sequence[Action], rounds: dict[int, Round]) -> list[ActionScreen]:
    """An owner's open actions, one card each with their buttons."""
    if not actions:
        return [ActionScreen("You have no open actions. Thank you!")]
    return [ActionScreen(card_text(a.text, rounds[a.round_id], a.area, a.due_on, a.status,
                                   a.owner_organisation, head="📌 Your action"),
                         card_buttons(a)) for a in actions]
