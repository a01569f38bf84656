"""The small-group rule of every breakdown: groups under the minimum are merged into "Other",
and nothing a reader could subtract from a total is left out. Kept apart from the report
package so the coordinator's live status (surveys.rounds) follows the same rule without
loading the charting libraries."""

from __future__ import annotations

from collections.abc import Mapping

from surveys.plural import noun, verb


def other_label(min_size: int) -> str:
    """The label of the merged small groups."""
    return f"Other (groups under {min_size})"


def is_small(size: int, min_size: int) -> bool:
    """Whether a group of this size is too small to show (an empty group hides no one)."""
    return 0 < size < min_size


def merge_small_groups(members: Mapping[str, set[str]], min_size: int, what: str, *,
                       counted: set[str] | None = None, unit: str = "respondents",
                       complete: bool = True) -> tuple[dict[str, set[str]], list[str]]:
    """Merge groups under `min_size` into one "Other" row.

    With `counted` (those who submitted, of the invited `members`), a group is small when
    either its invited or its submitted count is under the minimum: "3 invited, 2 submitted"
    shows a group of two.

    When the merged row is still small, leaving it out would not hide it: the total less
    the rows shown gives its size ("33 answers from 35 respondents" shows a group of two).
    So with `complete` (private rounds) the smallest groups shown join "Other" too, until it
    reaches the minimum; only when everyone together is too few is nothing shown. Without
    it (a named round, where small columns are left out for reading, not for privacy), the
    still-small row is dropped."""
    def small(group: set[str]) -> bool:
        return is_small(len(group), min_size) or (
            counted is not None and is_small(len(group & counted), min_size))

    kept = {g: set(m) for g, m in members.items() if m and not small(m)}
    parts = {g: m for g, m in members.items() if m and small(m)}
    notes: list[str] = []
    if not parts:
        return kept, notes
    merged: set[str] = set().union(*parts.values())
    label = other_label(min_size)
    joined: list[str] = []
    if complete:
        def size(g: str) -> tuple[int, int, str]:
            m = kept[g]
            return (len(m & counted) if counted is not None else len(m), len(m), g)

        while small(merged) and kept:
            smallest = min(kept, key=size)
            merged |= kept.pop(smallest)
            joined.append(smallest)
    merged_note = (f"{len(parts)} {what} {noun(len(parts), 'group')} with fewer than "
                   f"{min_size} {unit} "
                   f"{verb(len(parts), 'is', 'are')} merged into \"{label}\"")
    if not small(merged):
        kept[label] = merged
        if joined:
            merged_note += (f", with {', '.join(joined)}, so that no group under {min_size} "
                            "can be worked out from the totals")
        notes.append(merged_note + ".")
    elif complete:
        notes.append(f"Fewer than {min_size} {unit} in all: no {what} group is shown, "
                     "to protect anonymity.")
    else:
        notes.append(f"{len(parts)} {what} {noun(len(parts), 'group')} with fewer than "
                     f"{min_size} {unit} "
                     f"{verb(len(parts), 'is', 'are')} not shown, even merged, to protect "
                     "anonymity.")
    return kept, notes
