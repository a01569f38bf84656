"""Build a report from a round's data: theme every text set, lay out each section, add the front."""

from __future__ import annotations

from collections.abc import Callable

from surveys.model import Section as QuestionSection
from surveys.report.data import RoundData
from surveys.report.export import UNLINKED_NOTE, raw_rows
from surveys.report.layouts import (
    NO_PARTNERSHIP,
    Context,
    areas_section,
    function_profile,
    rag_section,
    swot_section,
    themes_section,
)
from surveys.report.model import (
    Block,
    FrontPage,
    Grid,
    Report,
    Section,
    Split,
    Table,
    ThemeList,
)
from surveys.report.observation import observation_section
from surveys.report.overview import RAISED_MOST_MIN, build_overview
from surveys.report.privacy import merge_small_groups
from surveys.report.theming import side_sets, text_sets, theme_round
from surveys.themes import Embedder, ThemedQuestion, default_embedder

TOP_THEMES = 8
SectionLayout = Callable[[Context, QuestionSection], list[Block]]
LAYOUTS: dict[str, SectionLayout] = {
    "themes": themes_section,
    "areas": areas_section,
    "rag": rag_section,
    "swot": swot_section,
    "functions": themes_section,
    "observation": observation_section,
}


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def rate_table(ctx: Context, by: str) -> Table:
    """Response rate per partnership (the round's audience partnerships) or sector; in
    private rounds a group with fewer than the minimum invited or submitted is merged."""
    invited: dict[str, set[str]] = {}
    submitted: set[str] = set()
    for n, person in enumerate(ctx.data.invitees):
        names = ((person.sector,) if by == "sector"
                 else ctx.data.partnerships_of(person.partnerships) or (NO_PARTNERSHIP,))
        for name in names:
            invited.setdefault(name, set()).add(str(n))
        if person.submitted:
            submitted.add(str(n))
    members = dict(sorted(invited.items()))
    if ctx.data.private:
        members, merges = merge_small_groups(members, ctx.data.min_group_size, by,
                                             counted=submitted,
                                             unit="invited or submitted partners",
                                             prefer=ctx.joined() if by == "sector" else ())
        ctx.merged(merges)
    rows = []
    for group, who in members.items():
        done = len(who & submitted)
        rows.append((group, str(len(who)), str(done), _percent(done, len(who))))
    note = ""
    if sum(len(who) for who in members.values()) > len(ctx.data.invitees):
        note = ("A partner in two partnerships counts in both, so the rows add up to more "
                "than the partners invited.")
    title = "Response rate by " + by
    return Table(title, (by.capitalize(), "Invited", "Submitted", "Rate"), tuple(rows),
                 note=note, sheet=f"Rate by {by}")


def _theme_lists(sections: list[Section]) -> list[ThemeList]:
    out: list[ThemeList] = []
    for s in sections:
        for b in s.blocks:
            if isinstance(b, ThemeList):
                out.append(b)
            elif isinstance(b, Grid):
                out += list(b.cells)
            elif isinstance(b, Split):
                out += [tl for _, tl in b.sides]
            elif hasattr(b, "comments") and isinstance(b.comments, ThemeList):
                out.append(b.comments)
    return out


def top_themes(sections: list[Section]) -> Table:
    """The themes raised most across the round (each by RAISED_MOST_MIN or more)."""
    found: dict[tuple[str, str], int] = {}
    for tl in _theme_lists(sections):
        for t in tl.themes:
            if not t.is_theme:
                continue
            found[(t.label, tl.title)] = found.get((t.label, tl.title), 0) + t.count
    ranked = sorted(((key, n) for key, n in found.items() if n >= RAISED_MOST_MIN),
                    key=lambda kv: -kv[1])[:TOP_THEMES]
    rows = tuple((label, title, str(count)) for (label, title), count in ranked)
    return Table("Themes raised most", ("Theme", "Question", "Raised by"), rows,
                 sheet="Top themes")


def theme_names(table: Table) -> list[str]:
    """The themes of a "Themes raised most" table as a line of text names them (the
    digest's): a label that heads several rows ("'Buy in'" under three questions) says
    which question each is from, as the table's own column does."""
    labels = [row[0] for row in table.rows]
    return [f"{label} ({question})" if labels.count(label) > 1 else label
            for label, question, *_ in table.rows]


def build_report(data: RoundData, embedder: Embedder | None = None,
                 themed: dict[str, ThemedQuestion] | None = None, *,
                 timezone: str = "UTC") -> Report:
    """The whole report of a round, as plain objects (`themed`: themes already worked out)."""
    sets = text_sets(data)
    sets.update(side_sets(data, sets))  # each side of a split question, themed apart
    embedder = embedder or default_embedder()
    ctx = Context(data, sets, themed if themed is not None else theme_round(data, embedder),
                  embedder=embedder)
    ctx.merged(data.merges)
    for found in ctx.themed.values():  # a fallback encoder is said, not hidden
        if found.model_note:
            ctx.note(found.model_note)
    layout = data.questionnaire.layout
    lay = LAYOUTS.get(layout, themes_section)
    sections: list[Section] = []
    if layout == "functions":
        sections.append(Section("Function profile", [function_profile(ctx)]))
    for qs in data.questionnaire.sections:
        sections.append(Section(qs.title, lay(ctx, qs), qs.intro))
    rnd = data.round
    by_partnership = rate_table(ctx, "partnership")
    by_sector = rate_table(ctx, "sector")
    overview = build_overview(ctx, sections)
    sections.append(Section("Who responded", [by_partnership, by_sector], key="responses"))
    front = FrontPage(
        title=rnd.title, questionnaire=data.questionnaire.title,
        source=data.questionnaire.source, anonymity=rnd.anonymity, opens_at=rnd.opens_at,
        deadline=rnd.deadline, closed_at=rnd.closed_at, invited=len(data.invitees),
        submitted=sum(1 for i in data.invitees if i.submitted) if data.invitees
        else len(data.respondents),
        by_partnership=by_partnership, by_sector=by_sector,
        top_themes=top_themes(sections), timezone=timezone)
    notes = ctx.footnotes()
    if data.private:
        notes.append(f"This round is {rnd.anonymity}: no names or organisations are shown, "
                     "and signature lines and contact details are removed from quotes.")
        notes.append(UNLINKED_NOTE)
    return Report(front, sections, layout, raw_rows(data), notes, overview=overview)
