"""Partnerships side by side (seed 000): areas or dimensions × partnerships, a RAG colour a cell.

A cell scores the partnership's ratings of a row: for a scale, the share that is favourable
(the scale's top points); for a Green/Amber/Red question, Green 1, Amber ½, Red 0. Green from
67%, Red under 34%, Amber between (the cell's figure, as shown). In private rounds,
partnerships with fewer respondents than the minimum group are merged, as everywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from surveys.model import DONT_KNOW, RAG_POINTS, Kind, Question
from surveys.report.data import RoundData
from surveys.report.layouts import Context, groups, short_label
from surveys.report.model import Section, Table

GREEN_FROM = 67   # per cent, as shown in the cell, so a cell's colour matches its figure
RED_UNDER = 34
RAG_SCORES = dict(zip(RAG_POINTS, (1.0, 0.5, 0.0), strict=True))


@dataclass(frozen=True)
class Score:
    """A row's ratings in one partnership: their summed score and how many there were."""

    total: float
    rated: int

    @property
    def share(self) -> float:
        """The mean score, 0 to 1."""
        return self.total / self.rated if self.rated else 0.0

    @property
    def colour(self) -> str:
        """Green, Amber or Red."""
        shown = round(100 * self.share)
        return "Green" if shown >= GREEN_FROM else "Red" if shown < RED_UNDER else "Amber"


def _value(q: Question, value: object) -> float | None:
    """One rating's score, or None if it is no rating (Don't know, an unknown point)."""
    if q.kind is Kind.RAG:
        return RAG_SCORES.get(str(value))
    if q.positive is None or value == DONT_KNOW or value not in q.options:
        return None
    return 1.0 if q.options.index(str(value)) < q.positive else 0.0


def score(data: RoundData, questions: Sequence[Question], members: set[int]) -> Score:
    """The pooled score of some questions over some respondents."""
    total, rated = 0.0, 0
    for i in sorted(members):
        for q in questions:
            given = data.respondents[i].answers.get(q.id)
            if given is None or given.skipped:
                continue
            found = _value(q, given.value)
            if found is not None:
                total, rated = total + found, rated + 1
    return Score(total, rated)


def _rows(data: RoundData) -> list[tuple[str, list[Question]]]:
    """Areas (their rated questions pooled) for an areas layout, else one row a dimension."""
    rated = [(s.title, [q for q in s.questions if q.kind in (Kind.SCALE, Kind.RAG)])
             for s in data.questionnaire.sections]
    if data.questionnaire.layout == "areas":
        return [(title, qs) for title, qs in rated if qs]
    return [(short_label(q), [q]) for _, qs in rated for q in qs]


def partnership_section(data: RoundData) -> Section:
    """The matrix as a section: a row per area or dimension, a column per partnership."""
    ctx = Context(data, {}, {})
    members = groups(ctx)
    names = list(members)
    rows, colours = [], []
    for title, qs in _rows(data):
        cells, tints = [title], [""]
        for name in names:
            found = score(data, qs, members[name])
            if found.rated:
                cells.append(f"{found.colour} {100 * found.share:.0f}% ({found.rated})")
                tints.append(found.colour.lower())
            else:
                cells.append("–")
                tints.append("")
        rows.append(tuple(cells))
        colours.append(tuple(tints))
    kind = "Area" if data.questionnaire.layout == "areas" else "Dimension"
    table = Table("Partnerships side by side", (kind, *names), tuple(rows),
                  note="Each cell: colour, score and (in brackets) how many ratings it pools.",
                  sheet="By partnership", colours=tuple(colours))
    sizes = ", ".join(f"{n}: {len(m)}" for n, m in members.items())
    if sum(len(m) for m in members.values()) > len(data.respondents):
        sizes += " (a partner in two partnerships counts in both)"
    intro = ("A cell scores the partnership's ratings of the row: for a scale the share "
             "that is favourable; for Green/Amber/Red, Green 1, Amber ½, Red 0. Green from "
             f"67%, Red under 34%, Amber between. Respondents per column: {sizes}.")
    for note in ctx.notes:
        intro += " " + note
    return Section("By partnership", [table], intro)
