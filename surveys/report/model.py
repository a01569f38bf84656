"""What a report holds, as plain objects every renderer reads: front page, sections, blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from surveys.themes.themed import OTHER_LABEL

ONE_OTHER = "One other point"


@dataclass(frozen=True)
class ThemeItem:
    """One theme: bold label, the points it covers, how many raised it, a few quotes."""

    label: str
    points: str
    count: int
    quotes: tuple[str, ...] = ()

    @property
    def is_theme(self) -> bool:
        """Whether this is a theme: "Other points" gathers what fits none, so it may close a
        question's own list but is never ranked among themes, digests or actions."""
        return self.label != OTHER_LABEL

    def heading(self) -> tuple[str, str]:
        """The label and its count as the written formats print them: ("Jargon", "(raised by
        3)"). "Other points (raised by 1)" reads oddly over one answer: a person writes
        "One other point". The data (the answers sheet's Theme and Raised by, JSON) keep
        the label and count."""
        if not self.is_theme and self.count == 1:
            return ONE_OTHER, ""
        return self.label, f"(raised by {self.count})"


def just_comments(themes: tuple[ThemeItem, ...]) -> bool:
    """Whether a set's themes are "Other points" alone: no theme was found (two or three
    comments that share nothing), so the report lists the comments themselves, as a person
    writing it would, rather than a heading "Other points" and a count over them."""
    return bool(themes) and not any(t.is_theme for t in themes)


@dataclass(frozen=True)
class ThemeList:
    """The themes of one question or comment set.

    `comments` is set only when the set has no theme (`just_comments`): every comment
    that made a point, in the order of their text (never the partners'), cleaned as every
    quote is. Renderers list
    them in place of the themes; `themes` still holds "Other points" for what counts it.
    """

    key: str
    title: str
    answered: int
    themes: tuple[ThemeItem, ...]
    unthemed: int = 0
    heading: str = ""
    colour: str = ""
    short: str = ""
    comments: tuple[str, ...] = ()

    @property
    def listed(self) -> bool:
        """Whether the set is shown as its comments, one by one, not as themes."""
        return bool(self.comments)


@dataclass(frozen=True)
class SuggestedItem:
    """One distinct suggested action: worded as an action, how many suggested it, and the
    partners' own words where they say more than the wording (redacted as every quote is)."""

    wording: str
    count: int
    words: tuple[str, ...] = ()
    # The answers it came from (response or ballot ids): recorded with an agreed action,
    # never printed.
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class SuggestionList:
    """An area's suggested actions, most suggested first (seed 004's "Suggested action"
    a), b), c)). With many, `themes` groups them for the page; the workbook lists them all."""

    key: str
    title: str
    answered: int
    items: tuple[SuggestedItem, ...]
    left_out: int = 0
    themes: ThemeList | None = None
    heading: str = "Suggested actions"
    views: tuple[str, ...] = ()   # answers that doubt a need: said after the list, unlettered


@dataclass(frozen=True)
class Distribution:
    """How many gave each point of a rating (or each option of a choice).

    `ordered` points run from good to bad (green to red in charts); a choice is not ordered.
    In a multi-choice question partners may tick several options, so `respondents` (how many
    answered) is the base of each option's share, not the sum of the counts.
    """

    key: str
    title: str
    points: tuple[str, ...]
    counts: tuple[int, ...]
    positive: int | None = None
    ordered: bool = True
    multi: bool = False
    respondents: int = 0
    short: str = ""

    @property
    def total(self) -> int:
        """How many answered (for a multi-choice, how many partners, not ticks)."""
        return self.respondents if self.multi else sum(self.counts)

    @property
    def label(self) -> str:
        """The question's short label for tables and charts."""
        return self.short or self.title

    def share(self, count: int) -> str:
        """A count as a share of those who answered ("40%"; of partners, for a
        multi-choice, whose table says so once in its note rather than "12 of 30 partners
        (40%)" on every row beside the count 12)."""
        if not self.total:
            return "–"
        return f"{100 * count / self.total:.0f}%"

    @property
    def counted(self) -> str:
        """The heading of the count column: partners ticked an option, not answers."""
        return "Partners" if self.multi else "Count"


@dataclass(frozen=True)
class NumberSummary:
    """Figures of a number question."""

    key: str
    title: str
    count: int
    minimum: float | None
    median: float | None
    maximum: float | None
    unit: str = ""


@dataclass(frozen=True)
class Table:
    """A plain table: a header row and body rows of strings (also an XLSX sheet)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    sheet: str = ""
    # A RAG tint per cell ("green", "amber", "red" or ""), row by row, where cells are coloured.
    colours: tuple[tuple[str, ...], ...] = ()
    # Each column after the first is a subject (a partnership, side by side): too wide for a
    # phone, the page shows it a subject at a time rather than a row at a time.
    by_column: bool = False


@dataclass(frozen=True)
class Split:
    """An effectiveness question split by the rating given, with the "why" themes of each side."""

    title: str
    distribution: Distribution
    sides: tuple[tuple[str, ThemeList], ...]
    unrated: int = 0


@dataclass(frozen=True)
class Rating:
    """A rating's distribution, with its comments themed."""

    distribution: Distribution
    comments: ThemeList | None = None


@dataclass(frozen=True)
class Grid:
    """Theme lists laid out in a grid (SWOT 2×2) or a row of coloured lists (RAG)."""

    title: str
    cells: tuple[ThemeList, ...]
    columns: int = 2


@dataclass(frozen=True)
class Profile:
    """Distributions of several ratings per group (the six functions per partnership)."""

    title: str
    functions: tuple[str, ...]
    points: tuple[str, ...]
    groups: tuple[str, ...]
    counts: dict[tuple[str, str], tuple[int, ...]]
    positive: int | None = None

    def table(self, *, every_row: bool = False) -> Table:
        """The profile as a table: a row per group and function, a column per point. The
        group is named on its block's first row only, as a person sets it out (the demo's
        printed "Cheshire East Health and Wellbeing Board" six rows running); `every_row`
        names it on each, for the workbook, whose rows are sorted and filtered alone."""
        rows = tuple((g if every_row or n == 0 else "", f,
                      *(str(c) for c in self.counts[(g, f)]))
                     for g in self.groups for n, f in enumerate(self.functions))
        return Table(self.title, ("Group", "Function", *self.points), rows, sheet="Profile")


@dataclass(frozen=True)
class Ratings:
    """Several ratings drawn together (an area's summary questions)."""

    title: str
    distributions: tuple[Distribution, ...]


Block = (ThemeList | SuggestionList | Distribution | NumberSummary | Table | Split | Rating | Grid
         | Profile | Ratings)


@dataclass
class Section:
    """A part of the report under one heading (an area, a look back, a dimension).

    `key` names sections that are not a questionnaire section ("responses", or another
    part such as agreed actions or a comparison with last year), so they can be found.
    """

    title: str
    blocks: list[Block] = field(default_factory=list)
    intro: str = ""
    key: str = ""


@dataclass(frozen=True)
class Overview:
    """The first page, fitted to the layout: tables (areas, strongest and weakest questions,
    partnerships side by side) and a line of top themes per section. The contents are the
    report's sections, whoever added them."""

    tables: tuple[Table, ...] = ()
    theme_lines: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FrontPage:
    """The round at a glance: title, dates, response rates, the most raised themes."""

    title: str
    questionnaire: str
    source: str
    anonymity: str
    opens_at: datetime
    deadline: datetime
    closed_at: datetime | None
    invited: int
    submitted: int
    by_partnership: Table
    by_sector: Table
    top_themes: Table
    timezone: str = "UTC"

    def when(self, moment: datetime | None) -> str:
        """A date as the partnership reads it, in its own time zone."""
        if moment is None:
            return "not yet"
        local = moment.astimezone(ZoneInfo(self.timezone))
        return local.strftime("%-d %B %Y, %H:%M ") + (local.tzname() or self.timezone)

    @property
    def rate(self) -> float:
        """Share of invited partners who submitted (0 when nobody was invited)."""
        return self.submitted / self.invited if self.invited else 0.0


@dataclass
class Report:
    """A whole report, ready for any renderer."""

    front: FrontPage
    sections: list[Section]
    layout: str
    raw: list[dict[str, Any]]
    footnotes: list[str] = field(default_factory=list)
    overview: Overview = field(default_factory=Overview)

    @property
    def contents(self) -> list[str]:
        """The titles of the report's sections, in order (sections added later included)."""
        return [s.title for s in self.sections]

    def tables(self) -> list[Table]:
        """Every summary table of the report, for the spreadsheet."""
        out = [self.front.by_partnership, self.front.by_sector, self.front.top_themes]
        for s in self.sections:
            for b in s.blocks:
                if isinstance(b, Table):
                    out.append(b)
                elif isinstance(b, Profile):
                    out.append(b.table(every_row=True))
        return out
