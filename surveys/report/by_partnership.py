"""Partnerships side by side (seed 000): areas or dimensions × partnerships, a RAG colour a cell.

A cell is the share of the partnership's ratings of a row that are favourable, by the one
rule of the whole report (`layouts.favourable_points`: a scale's better half, Green alone of
Green/Amber/Red). Green from 67%, Red under 34%, Amber between (the cell's figure, as shown).
A single rating shows just itself ("Amber"). Partnerships with fewer respondents than the
minimum group are merged, as everywhere else (see `layouts.groups`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from surveys.model import Kind, Question
from surveys.report.data import RoundData
from surveys.report.layouts import FAVOURABLE_RULE, Context, groups, is_favourable, short_label
from surveys.report.model import Section, Table

GREEN_FROM = 67   # per cent, as shown in the cell, so a cell's colour matches its figure
RED_UNDER = 34


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
    """One rating's score, 1 if favourable, or None if it is no rating (Don't know)."""
    found = is_favourable(q, value)
    return None if found is None else float(found)


def score(data: RoundData, questions: Sequence[Question], members: set[int]) -> Score:
    """The pooled score of some questions over some respondents."""
    total, rated = 0.0, 0
    for _, value in _ratings(data, questions, members):
        total, rated = total + value, rated + 1
    return Score(total, rated)


def _ratings(data: RoundData, questions: Sequence[Question], members: set[int]
             ) -> list[tuple[str, float]]:
    """Each rating (as given, and its score) of some questions over some respondents."""
    out = []
    for i in sorted(members):
        for q in questions:
            given = data.respondents[i].answers.get(q.id)
            if given is None or given.skipped:
                continue
            found = _value(q, given.value)
            if found is not None:
                out.append((str(given.value), found))
    return out


def cell(data: RoundData, questions: Sequence[Question], members: set[int]
          ) -> tuple[str, str]:
    """A cell's text and tint: a single rating as itself ("Amber", tinted its colour, or a
    scale's point tinted as favourable or not), else colour, share and count."""
    ratings = _ratings(data, questions, members)
    if not ratings:
        return "–", ""
    if len(ratings) == 1:
        [(given, value)] = ratings
        if given in ("Green", "Amber", "Red"):
            return given, given.lower()
        return given, "green" if value else "red"
    found = Score(sum(v for _, v in ratings), len(ratings))
    return f"{found.colour} {100 * found.share:.0f}% ({found.rated})", found.colour.lower()


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
            text, tint = cell(data, qs, members[name])
            cells.append(text)
            tints.append(tint)
        rows.append(tuple(cells))
        colours.append(tuple(tints))
    kind = "Area" if data.questionnaire.layout == "areas" else "Dimension"
    table = Table("Partnerships side by side", (kind, *names), tuple(rows),
                  note="Each cell: colour, % favourable and (in brackets) how many ratings it "
                  "pools; a single rating as given.",
                  sheet="By partnership", colours=tuple(colours), by_column=True)
    sizes = ", ".join(f"{n}: {len(m)}" for n, m in members.items())
    if sum(len(m) for m in members.values()) > len(data.respondents):
        sizes += " (a partner in two partnerships counts in both)"
    intro = ("A cell is the share of the partnership's ratings of the row that are "
             f"favourable. {FAVOURABLE_RULE} Green from 67%, Red under 34%, Amber between; a "
             f"single rating is shown as given. Respondents per column: {sizes}.")
    for note in ctx.footnotes():
        intro += " " + note
    return Section("By partnership", [table], intro)
