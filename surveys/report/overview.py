"""The report's first page, fitted to its layout: how each area does, where partnerships
differ, the themes raised most, and what follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from surveys.model import DONT_KNOW, Kind, Question
from surveys.report.layouts import (
    FAVOURABLE_RULE,
    Context,
    distribution,
    groups,
    short_label,
)
from surveys.report.model import (
    Distribution,
    Grid,
    Overview,
    Rating,
    Section,
    Split,
    SuggestionList,
    Table,
    ThemeList,
)
from surveys.report.observation import rag_matrix

STRONGEST = 3
THEMES_PER_LINE = 3
# A theme one partner raised is no theme "raised most": the summary names themes at least
# this many raised ("Threats: Policy & political change (9) · Loss of funding (7) ·
# Partners pulling out resources (1)" read as if the last were a finding). A line whose
# themes were each raised by one says so (SINGLES); the question's own list shows them.
RAISED_MOST_MIN = 2
SINGLES = "no theme raised by more than one partner"
SUGGESTED_PER_AREA = 3
FAVOURABLE = "% favourable"


def is_ordered(q: Question) -> bool:
    """Whether a question's points run from good to bad (a scale, RAG, or a yes/no that says
    which side is favourable); only these get a favourable share and the green-to-red palette."""
    if q.kind in (Kind.SCALE, Kind.RAG):
        return True
    return q.kind is Kind.YESNO and q.positive is not None


def favourable(d: Distribution) -> tuple[int, int]:
    """(answers on the favourable side, answers with a view) of an ordered distribution."""
    if not d.ordered:
        return 0, 0
    real = [(p, c) for p, c in zip(d.points, d.counts, strict=True) if p != DONT_KNOW]
    split = d.positive if d.positive is not None else (len(real) + 1) // 2
    return sum(c for _, c in real[:split]), sum(c for _, c in real)


def percent(part: int, whole: int) -> str:
    """A share as a whole percentage, or a dash when nobody answered."""
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _rated(ctx: Context) -> list[tuple[str, Question]]:
    return [(s.title, q) for s in ctx.data.questionnaire.sections for q in s.questions
            if is_ordered(q)]


def area_tables(ctx: Context) -> list[Table]:
    """Areas × % favourable, then the strongest and weakest questions (rated questionnaires)."""
    rated = _rated(ctx)
    if not rated:
        return []
    dists = [(area, q, distribution(ctx, q)) for area, q in rated]
    by_area: dict[str, list[tuple[int, int]]] = {}
    for area, _, d in dists:
        by_area.setdefault(area, []).append(favourable(d))
    rows = []
    for area, shares in by_area.items():
        good, whole = sum(g for g, _ in shares), sum(w for _, w in shares)
        rows.append((area, str(len(shares)), str(whole), percent(good, whole)))
    out = [Table("How each area does", ("Area", "Questions", "Ratings", FAVOURABLE),
                 tuple(rows), note=FAVOURABLE_RULE, sheet="Areas")]
    scored = [(good / whole, whole, area, q) for area, q, d in dists
              for good, whole in [favourable(d)] if whole]
    if len(scored) > STRONGEST:
        n = min(STRONGEST, len(scored) // 2)
        ranked = sorted(scored, key=lambda s: (-s[0], -s[1]))
        for title, part in (("Strongest questions", ranked[:n]),
                            ("Weakest questions", ranked[::-1][:n])):
            out.append(Table(title, ("Question", "Area", FAVOURABLE, "Ratings"), tuple(
                (short_label(q), area, f"{100 * share:.0f}%", str(whole))
                for share, whole, area, q in part)))
    return out


def partnership_matrix(ctx: Context) -> Table | None:
    """Areas (or dimensions) × partnerships with a RAG tint a cell, when the round spans
    several partnerships; small groups merged as everywhere else."""
    from surveys.report.by_partnership import partnership_section

    members = groups(ctx)
    if len(members) < 2:
        return None
    section = partnership_section(ctx.data)
    table = next((b for b in section.blocks if isinstance(b, Table)), None)
    if table is None or not table.rows:
        return None
    return replace(table, note=section.intro)


def _ranked(lists: Sequence[ThemeList]) -> list[tuple[str, int]]:
    """The themes of some lists, same labels summed, most raised first; those raised by
    fewer than RAISED_MOST_MIN are left out."""
    found: dict[str, int] = {}
    for tl in lists:
        for t in tl.themes:
            if t.is_theme:
                found[t.label] = found.get(t.label, 0) + t.count
    return sorted(((label, n) for label, n in found.items() if n >= RAISED_MOST_MIN),
                  key=lambda kv: -kv[1])


def _any_theme(lists: Sequence[ThemeList]) -> bool:
    return any(t.is_theme for tl in lists for t in tl.themes)


def _key(label: str) -> str:
    return " ".join(label.casefold().split())


def _first(lines: Sequence[tuple[str, list[tuple[str, int]], int]], key: str) -> list[int]:
    """The lines a label is on."""
    return [n for n, (_, ranked, _) in enumerate(lines)
            if any(_key(lb) == key for lb, _ in ranked)]


def theme_lines(sections: Sequence[Section], layout: str) -> list[tuple[str, str]]:
    """One line per section (per question, per grid cell, or per side of a split
    question) naming its top themes.

    A label that would head the lines of several questions ("'Buy in'" under five of the
    framework review's) is one theme partners raised across questions, not five the reader
    cannot tell apart: as survey tools show a code of a shared codeframe (Thematic,
    NVivo's matrix of codes by question), it is listed once, on a line of its own headed by
    the label, with each question it was raised under and how many raised it there. Each
    question's line then names its own top themes. The two sides of one split question
    ("How effective…", themed apart for those who rated it well and those who did not)
    are one question: a label on both sides stays on each side's line.
    """
    lines: list[tuple[str, list[tuple[str, int]], int]] = []  # where, themes, question
    singles: set[int] = set()  # the lines with themes, each raised by one

    def add(where: str, lists: Sequence[ThemeList], question: int) -> None:
        ranked = _ranked(lists)
        if not ranked and _any_theme(lists):
            singles.add(len(lines))
        lines.append((where, ranked, question))

    for s in sections:
        merged: list[ThemeList] = []
        for b in s.blocks:
            if isinstance(b, Grid):
                for c in b.cells:
                    add(c.heading or c.title, [c], id(c))
            elif isinstance(b, ThemeList) and b.themes:
                if layout in ("areas", "functions", "observation"):
                    merged.append(b)
                else:
                    add(b.short or b.title, [b], id(b))
            elif isinstance(b, Rating) and b.comments is not None and b.comments.themes:
                merged.append(b.comments)
            elif isinstance(b, Split) and layout != "themes":
                merged += [tl for _, tl in b.sides if tl.themes]
            elif isinstance(b, Split):  # the framework review's "How effective…? Why?"
                name = b.distribution.short or b.title
                for side, tl in b.sides:
                    if tl.themes:
                        add(f"{name}, {side[:1].lower()}{side[1:]}", [tl], id(b))
        if merged:
            add(s.title, merged, id(s))
    shared: set[str] = set()
    while True:  # a label moving up into a line's top themes may meet itself elsewhere
        heads: dict[str, set[int]] = {}
        for _, ranked, question in lines:
            tops = [label for label, _ in ranked if _key(label) not in shared]
            for label in tops[:THEMES_PER_LINE]:
                heads.setdefault(_key(label), set()).add(question)
        more = {k for k, where in heads.items() if len(where) > 1}
        if not more:
            break
        shared |= more
    out: list[tuple[str, str]] = []
    for n, (where, ranked, _) in enumerate(lines):
        own = [(label, count) for label, count in ranked if _key(label) not in shared]
        text = " · ".join(f"{label} ({count})" for label, count in own[:THEMES_PER_LINE])
        if n in singles:
            text = SINGLES
        if text:
            out.append((where, text))
    for key in sorted(shared, key=lambda k: min(_first(lines, k))):
        label = next(lb for _, ranked, _ in lines for lb, _ in ranked if _key(lb) == key)
        raised = [f"{where} ({count})" for where, ranked, _ in lines
                  for lb, count in ranked if _key(lb) == key]
        out.append((label, "raised under " + " · ".join(raised)))
    return out


def suggested_most(sections: Sequence[Section]) -> Table | None:
    """Seed 004's areas: each area's actions suggested by two or more partners, most
    suggested first (a few an area); every suggestion is listed under its area."""
    rows = []
    for s in sections:
        for b in s.blocks:
            if isinstance(b, SuggestionList):
                rows += [(s.title, item.wording, str(item.count))
                         for item in b.items[:SUGGESTED_PER_AREA] if item.count >= 2]
    if not rows:
        return None
    return Table("Actions suggested most", ("Area", "Suggested action", "Suggested by"),
                 tuple(rows), note="Suggested by two or more partners; every suggestion is "
                 "listed under its area.", sheet="Suggested most")


def build_overview(ctx: Context, sections: Sequence[Section]) -> Overview:
    """The overview of a round, fitted to its layout."""
    if ctx.data.questionnaire.layout == "observation":
        # Partnerships against dimensions, a colour each; the side-by-side pages follow.
        found = rag_matrix(ctx)
        return Overview((found,) if found is not None else (),
                        tuple(theme_lines(sections, ctx.data.questionnaire.layout)))
    tables = area_tables(ctx)
    matrix = partnership_matrix(ctx)
    if matrix is not None:
        tables.append(matrix)
    suggested = suggested_most(sections)
    if suggested is not None:
        tables.append(suggested)
    return Overview(tuple(tables), tuple(theme_lines(sections, ctx.data.questionnaire.layout)))
