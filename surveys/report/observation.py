"""Seed 000's report: partnerships side by side on each dimension, and a RAG matrix.

Each dimension is one table, a column per partnership observed: the colour the observer gave
(with several records of one partnership, how many gave each), tinted, and the observer's
notes beneath. Wide rounds are cut into tables of a few partnerships each, so a column stays
readable on an A4 page and a phone. The matrix puts every partnership against every
dimension on the overview. Observers are never named here: in a named round the answers
sheet says who recorded what.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from surveys.model import RAG_POINTS, Kind, Question, Section
from surveys.plural import count
from surveys.report.by_partnership import cell
from surveys.report.layouts import Context, groups, short_label
from surveys.report.model import Block, Table

COLUMNS_PER_TABLE = 4
SIDE_BY_SIDE = "Side by side"   # the workbook gathers these tables on one sheet
NOTES = "Notes"                 # the row of a text question: what the observer wrote
NOTE_CHARS = 600
RATED = (Kind.RAG, Kind.SCALE)


def _given(ctx: Context, q: Question, members: set[int]) -> list[tuple[object, str]]:
    """(answer, note) of each record of a partnership, skips left out."""
    out = []
    for i in sorted(members):
        given = ctx.data.respondents[i].answers.get(q.id)
        if given is not None and not given.skipped:
            out.append((given.value, (given.comment or "").strip()))
    return out


def rating_cell(ctx: Context, q: Question, members: set[int]) -> tuple[str, str]:
    """A partnership's rating of a dimension and its tint: "Green", or "Green 2 · Amber 1"
    when several recorded it (tinted by their pooled score)."""
    values = [str(v) for v, _ in _given(ctx, q, members)]
    if not values:
        return "–", ""
    points = RAG_POINTS if q.kind is Kind.RAG else q.choices
    counts = [(p, values.count(p)) for p in points if p in values]
    text = counts[0][0] if len(counts) == 1 and counts[0][1] == 1 else " · ".join(
        f"{p} {n}" for p, n in counts)
    # The tint by the report's one rule (by_partnership.cell): a single rating its own colour.
    return text, cell(ctx.data, [q], members)[1]


def _value_cell(ctx: Context, q: Question, members: set[int]) -> str:
    values = [v for v, _ in _given(ctx, q, members)]
    if q.kind is Kind.NUMBER:
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        if not numbers:
            return "–"
        unit = f" {q.unit}" if q.unit else ""
        if len(numbers) == 1:
            return f"{numbers[0]:g}{unit}"
        return f"{statistics.median(numbers):g}{unit} (median of {len(numbers)})"
    return _join([str(v) for v in values if v])


def _join(notes: Sequence[str]) -> str:
    text = " | ".join(" ".join(n.split()) for n in notes if n.strip())
    return text if len(text) <= NOTE_CHARS else text[:NOTE_CHARS - 1].rstrip() + "…"


def side_by_side(ctx: Context, q: Question, members: dict[str, set[int]]) -> list[Table]:
    """One dimension with the partnerships side by side, a few to a table."""
    names = list(members)
    tables = []
    for start in range(0, len(names), COLUMNS_PER_TABLE):
        part = names[start:start + COLUMNS_PER_TABLE]
        rows: list[tuple[str, ...]] = []
        colours: list[tuple[str, ...]] = []
        if q.kind in RATED:
            cells = [rating_cell(ctx, q, members[n]) for n in part]
            rows.append(("Rating", *(text for text, _ in cells)))
            colours.append(("", *(tint for _, tint in cells)))
            rows.append(("Observer's notes", *(_join([note for _, note in _given(
                ctx, q, members[n])]) or "–" for n in part)))
            colours.append(("",) * (len(part) + 1))
        else:
            label = NOTES if q.kind is Kind.TEXT else "Answer"
            rows.append((label, *(_value_cell(ctx, q, members[n]) or "–" for n in part)))
            colours.append(("",) * (len(part) + 1))
        title = q.prompt if start == 0 else f"{q.prompt} (continued)"
        tables.append(Table(title, ("", *part), tuple(rows), colours=tuple(colours),
                            sheet=SIDE_BY_SIDE, by_column=True))
    return tables


def observation_section(ctx: Context, section: Section) -> list[Block]:
    """Seed 000: each dimension of the section, once, with partnerships side by side."""
    members = groups(ctx)
    if not members:
        return []
    blocks: list[Block] = []
    for q in section.questions:
        blocks += side_by_side(ctx, q, members)
    return blocks


def rag_matrix(ctx: Context) -> Table | None:
    """Partnerships × dimensions, the colour of each (an observation round's overview)."""
    dimensions = [q for q in ctx.data.questionnaire.questions if q.kind in RATED]
    members = groups(ctx)
    if not dimensions or not members:
        return None
    rows, colours = [], []
    for name, who in members.items():
        cells = [rating_cell(ctx, q, who) for q in dimensions]
        rows.append((name, *(text for text, _ in cells)))
        colours.append(("", *(tint for _, tint in cells)))
    records = sum(len(who) for who in members.values())
    note = (f"{count(records, 'record')} of {count(len(members), 'partnership')}. "
            "Each cell: the colour "
            "the observer gave; where several recorded a partnership, how many gave each, "
            "tinted by the share that is Green, favourable by the report's one rule (Green "
            "from 67%, Red under 34%, Amber between).")
    return Table("RAG matrix", ("Partnership", *(short_label(q) for q in dimensions)),
                 tuple(rows), note=note, sheet="RAG matrix", colours=tuple(colours))
