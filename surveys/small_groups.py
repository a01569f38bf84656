"""The small-group rule of every breakdown: groups under the minimum are merged into "Other",
and nothing a reader could subtract from a total is left out. Kept apart from the report
package so the coordinator's live status (surveys.rounds) follows the same rule without
loading the charting libraries."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from surveys.plural import count, listed, verb


def other_label(min_size: int) -> str:
    """The label of the merged small groups."""
    return f"Other (groups under {min_size})"


def is_small(size: int, min_size: int) -> bool:
    """Whether a group of this size is too small to show (an empty group hides no one)."""
    return 0 < size < min_size


@dataclass(frozen=True)
class Merged:
    """What one breakdown did with its groups under the minimum: `small` of them (of a
    `what`, "sector", "partnership" or an answer to the question `where`) merged, the
    larger groups `joined` to them so that none can be worked out from the totals, and
    whether the merged row is `shown`. `private`: merged for anonymity (a private round),
    not only for reading (a named round's one-person columns)."""

    what: str
    unit: str
    small: int
    joined: tuple[str, ...]
    min_size: int
    shown: bool
    private: bool
    where: str = ""

    def groups(self) -> str:
        """"2 sectors with fewer than 3 respondents", "1 answer to "Which sector do you
        represent?" given by fewer than 3 partners"."""
        if self.where:
            return (f"{count(self.small, self.what)} to \"{self.where}\" given by fewer than "
                    f"{self.min_size} {self.unit}")
        return f"{count(self.small, self.what)} with fewer than {self.min_size} {self.unit}"


def merged_notes(merges: Sequence[Merged]) -> list[str]:
    """The report's notes on every small-group merge, those under one minimum in one note:
    which groups were merged, into what, why, and which larger groups joined them."""
    notes: list[str] = []
    for private in (True, False):
        shown = list(dict.fromkeys(m for m in merges if m.shown and m.private is private))
        for size in dict.fromkeys(m.min_size for m in shown):
            alike = [m for m in shown if m.min_size == size]
            label = other_label(size)
            parts = listed([m.groups() for m in alike])
            if private:
                note = (f"To protect anonymity, no group of fewer than {size} people is shown "
                        f"on its own: \"{label}\" counts together {parts}.")
            else:
                note = (f"So that one or two people's answers do not read as a whole group's, "
                        f"\"{label}\" counts together {parts}.")
            joined = list(dict.fromkeys(g for m in alike for g in m.joined))
            if joined:
                note += (f" {listed(joined)} {verb(len(joined), 'is', 'are')} counted there "
                         f"too, though not under {size}, so that no smaller group can be "
                         "worked out by taking the rows shown from the total.")
            notes.append(note)
    for m in dict.fromkeys(m for m in merges if not m.shown):
        where = f"\"{m.where}\": " if m.where else ""
        if m.private:
            notes.append(f"{where}Fewer than {m.min_size} {m.unit} in all: no {m.what} group "
                         "is shown, to protect anonymity.")
        else:
            notes.append(f"{where}{m.groups()[0].upper()}{m.groups()[1:]} "
                         f"{verb(m.small, 'is', 'are')} not shown, even merged, so that one or "
                         "two people's answers do not read as a whole group's.")
    return notes


def merge_small_groups(members: Mapping[str, set[str]], min_size: int, what: str, *,
                       counted: set[str] | None = None, unit: str = "respondents",
                       complete: bool = True, where: str = "",
                       prefer: Collection[str] = ()
                       ) -> tuple[dict[str, set[str]], list[Merged]]:
    """Merge groups under `min_size` into one "Other" row; say what was merged (nothing
    when no group was small), for `merged_notes`.

    With `counted` (those who submitted, of the invited `members`), a group is small when
    either its invited or its submitted count is under the minimum: "3 invited, 2 submitted"
    shows a group of two.

    When the merged row is still small, leaving it out would not hide it: the total less
    the rows shown gives its size ("33 answers from 35 respondents" shows a group of two).
    So with `complete` (private rounds) the smallest groups shown join "Other" too, until it
    reaches the minimum; only when everyone together is too few is nothing shown. Without
    it (a named round, where small columns are left out for reading, not for privacy), the
    still-small row is dropped.

    `prefer`: groups another table of the same report joined to its "Other" (the sector
    answers' and the response table's): they join here first. Two tables joining
    different groups would show each group apart in one of them, and the small group
    would be "Other" less that group ("Council answered 3" beside "Other: a small
    group and Council, 4")."""
    def small(group: set[str]) -> bool:
        return is_small(len(group), min_size) or (
            counted is not None and is_small(len(group & counted), min_size))

    kept = {g: set(m) for g, m in members.items() if m and not small(m)}
    parts = {g: m for g, m in members.items() if m and small(m)}
    if not parts:
        return kept, []
    merged: set[str] = set().union(*parts.values())
    joined: list[str] = []
    if complete:
        def size(g: str) -> tuple[int, int, str]:
            m = kept[g]
            return (len(m & counted) if counted is not None else len(m), len(m), g)

        while small(merged) and kept:
            smallest = min([g for g in kept if g in prefer] or kept, key=size)
            merged |= kept.pop(smallest)
            joined.append(smallest)
    shown = not small(merged)
    if shown:
        kept[other_label(min_size)] = merged
    return kept, [Merged(what, unit, len(parts), tuple(joined), min_size, shown, complete,
                         where)]
