"""Column widths for the paged formats (PDF, Word): each column fits its longest word."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

from surveys.report.model import Table

SHORT_LABELS = 18   # characters: row labels this short ("Rating", "Observer's notes")
LETTERS = 3         # row labels that are letters ("a)", "b)"), as in a list of actions


def shares(t: Table) -> list[float]:
    """Starting shares of the page width: the first column (the row labels) wider, unless
    its labels are short (a letter, "a)", takes hardly any), and the columns after it by how
    much they hold, so an action's words get more room than its due date."""
    columns = len(t.columns)
    first = min(0.42, max(0.2, 1.6 / columns))
    labels = max((len(str(row[0])) for row in t.rows), default=0)
    if t.rows and labels <= SHORT_LABELS:
        first = min(first, 0.18)
    if t.rows and labels <= LETTERS and len(str(t.columns[0])) <= LETTERS:
        first = 0.05
    if t.by_column:   # partnerships side by side: alike, whatever each one's notes
        return [first, *[(1 - first) / max(1, columns - 1)] * (columns - 1)]
    weights = [min(60.0, max(6.0, statistics.fmean(
        [len(str(t.columns[n])), *(len(str(row[n])) for row in t.rows if n < len(row))])))
        for n in range(1, columns)]
    total = sum(weights) or 1.0
    return [first, *((1 - first) * w / total for w in weights)]


def needs(t: Table, word_width: Callable[[str, bool], float]) -> list[float]:
    """Each column's longest word, measured (the header's in bold)."""
    def widest(text: object, bold: bool) -> float:
        return max((word_width(w, bold) for w in str(text).split()), default=0.0)

    return [max([widest(head, True), *(widest(row[n], False) for row in t.rows
                                       if n < len(row))])
            for n, head in enumerate(t.columns)]


def fit_words(t: Table, widths: Sequence[float],
              word_width: Callable[[str, bool], float]) -> list[float]:
    """Widths in which each column's longest word fits ("Representation" is never cut
    mid-word), taken from the columns with room to spare, while the page allows.
    `word_width(word, bold)` measures a word as the format prints it, padding included."""
    need = needs(t, word_width)
    short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
    spare = sum(max(0.0, w - n) for n, w in zip(need, widths, strict=True))
    if short and spare >= short:
        widths = [n if n > w else w - (w - n) * short / spare
                  for n, w in zip(need, widths, strict=True)]
    return short_cells_whole(t, list(widths), word_width, need)


SHORT_CELLS = 0.22   # of the table's width: a column whose longest cell is this short
LONG_TEXT = 0.15     # of the table's width: a column of long text never gives up more


def short_cells_whole(t: Table, widths: list[float],
                      word_width: Callable[[str, bool], float],
                      words: Sequence[float]) -> list[float]:
    """Widths in which a column of short cells ("Not very effective", "67% (8 of 12)",
    "▲ +31 pts") never wraps, its room taken first from columns wider than their longest
    cell (a count under "Count"), then from the columns of long text, which wrap anyway;
    room no column needs goes to the columns that still wrap, else to all alike. The
    partnerships side by side keep their equal widths. `words`: each column's longest word
    (`needs`)."""
    if t.by_column or not t.rows:
        return widths
    total = sum(widths)
    line = [max([word_width(str(head), True), *(word_width(str(row[n]), False)
                                                for row in t.rows if n < len(row))])
            for n, head in enumerate(t.columns)]
    short = [ln <= SHORT_CELLS * total for ln in line]
    out = [min(w, ln) for w, ln in zip(widths, line, strict=True)]
    free = total - sum(out)
    for n, is_short in enumerate(short):     # short cells on one line, from what is free
        if is_short and out[n] < line[n]:
            take = min(free, line[n] - out[n])
            out[n] += take
            free -= take
    wanting = [n for n, is_short in enumerate(short) if is_short and out[n] < line[n]]
    givers = [n for n, is_short in enumerate(short) if not is_short]
    for n in wanting:   # then from the long text, each keeping its longest word
        room = {g: max(0.0, out[g] - max(words[g], LONG_TEXT * total)) for g in givers}
        take = min(line[n] - out[n], sum(room.values()))
        for g, r in room.items():
            out[g] -= take * r / (sum(room.values()) or 1.0)
        out[n] += take
    wrapping = [n for n in range(len(out)) if out[n] < line[n] - 0.01]
    spread = wrapping or list(range(len(out)))
    weight = sum(out[n] for n in spread) or 1.0
    return [w + free * w / weight if n in spread else w for n, w in enumerate(out)]
