"""The report closes the loop: the actions agreed from a round, lettered a), b), c) per area as
in seed 004's Appendix A, and in the next review how the last review's actions went.

Owners are named: the board assigned them, nothing here comes from anyone's answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from storage.actions import StoredAction
from storage.records import Round
from surveys.actions import SETTLED, STATUS_LABELS, area_title, is_overdue, owner_label
from surveys.model import Questionnaire
from surveys.plural import count
from surveys.report.model import Section, Table

OWNERS_NOTE = ("Owners are named because the board assigned each action to them; nothing in "
               "this section comes from anyone's answers.")


def _letter(n: int) -> str:
    return f"{chr(ord('a') + n)})" if n < 26 else f"{n + 1})"


def _status(a: StoredAction, today: date) -> str:
    label = STATUS_LABELS[a.status]
    return label + " (overdue)" if is_overdue(a, today) else label


def _by_area(actions: Sequence[StoredAction], q: Questionnaire
             ) -> list[tuple[str, list[StoredAction]]]:
    """Actions grouped by area in the questionnaire's order; actions of no area last."""
    order = {s.id: n for n, s in enumerate(q.sections)}
    groups: dict[str | None, list[StoredAction]] = {}
    for a in sorted(actions, key=lambda a: (order.get(a.area or "", len(order)), a.id)):
        groups.setdefault(a.area if a.area in order else None, []).append(a)
    return [(area_title(q, area), items) for area, items in groups.items()]


def agreed_actions_section(actions: Sequence[StoredAction], q: Questionnaire,
                           today: date) -> Section | None:
    """"Agreed actions": per area, a) b) c) with owner, due date and status; None if none."""
    if not actions:
        return None
    blocks = []
    for title, items in _by_area(actions, q):
        rows = tuple((_letter(n), a.text, owner_label(a), a.due_on.strftime("%-d %b %Y"),
                      _status(a, today)) for n, a in enumerate(items))
        blocks.append(Table(title, ("", "Action", "Owner", "Due", "Status"), rows,
                            sheet=f"Actions {title}"[:31]))
    done = sum(a.status == "done" for a in actions)
    intro = (f"{count(len(actions), 'action')} agreed after this review; {done} done so far. "
             + OWNERS_NOTE)
    return Section("Agreed actions", list(blocks), intro)


def progress_section(actions: Sequence[StoredAction], q: Questionnaire, last: Round,
                     today: date) -> Section | None:
    """"Progress on last review's actions": how each action agreed last time went."""
    if not actions:
        return None
    blocks = []
    for title, items in _by_area(actions, q):
        rows = []
        for n, a in enumerate(items):
            notes = [x.note for x in a.notes if x.note]
            rows.append((_letter(n), a.text, owner_label(a), a.due_on.strftime("%-d %b %Y"),
                         _status(a, today), notes[-1] if notes else ""))
        blocks.append(Table(title, ("", "Action", "Owner", "Due", "Status", "Latest note"),
                            tuple(rows), sheet=f"Progress {title}"[:31]))
    counts = {s: sum(a.status == s for a in actions) for s in STATUS_LABELS}
    overdue = sum(is_overdue(a, today) for a in actions)
    settled = sum(a.status in SETTLED for a in actions)
    parts = [f"{counts[s]} {STATUS_LABELS[s]}" for s in STATUS_LABELS if counts[s]]
    intro = (f"From {last.title} (round {last.id}): {count(len(actions), 'action')} agreed, "
             f"{settled} settled — " + ", ".join(parts)
             + (f"; {overdue} overdue" if overdue else "") + ". " + OWNERS_NOTE)
    return Section("Progress on last review's actions", list(blocks), intro)
