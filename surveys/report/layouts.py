"""The blocks of each report layout, from the seeds: themes, effectiveness, RAG, SWOT and more."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from surveys.model import DONT_KNOW, RAG_GLOSSES, Kind, Question, Section
from surveys.report.data import RoundData
from surveys.report.model import (
    Block,
    Distribution,
    Grid,
    NumberSummary,
    Profile,
    Rating,
    Ratings,
    Split,
    SuggestedItem,
    SuggestionList,
    ThemeItem,
    ThemeList,
    just_comments,
)
from surveys.report.privacy import GROUP_TAG, merge_small_groups, other_label
from surveys.report.theming import COMMENT_SUFFIX, TextSet, rating_sides, side_key
from surveys.small_groups import Merged, merged_notes
from surveys.suggestions import THEME_ABOVE, flat, gather_proposals
from surveys.themes import Embedder, ThemedQuestion, default_embedder
from surveys.themes.quotes import GAP as QUOTE_GAP
from surveys.themes.segment import without_na_mark
from surveys.themes.themed import OTHER_LABEL

MAX_QUOTES = 3
QUOTE_CHARS = 280
SWOT_TAGS = ("strengths", "weaknesses", "opportunities", "threats")
RAG_TAGS = ("green", "amber", "red")
NO_PARTNERSHIP = "No partnership"


@dataclass
class Context:
    """What every layout reads: the data, its text sets and their themes, and notes to add."""

    data: RoundData
    sets: dict[str, TextSet]
    themed: dict[str, ThemedQuestion]
    notes: list[str] = field(default_factory=list)
    embedder: Embedder | None = None   # the encoder the themes used (None: the default)
    merges: list[Merged] = field(default_factory=list)   # said in one note, see merged

    def note(self, text: str) -> None:
        """Add a footnote once."""
        if text not in self.notes:
            self.notes.append(text)

    def merged(self, found: Sequence[Merged]) -> None:
        """Note small groups merged (said together, see `footnotes`)."""
        self.merges += [m for m in found if m not in self.merges]

    def joined(self) -> list[str]:
        """The larger groups merged tables joined to their "Other" so far (for `prefer`)."""
        return [g for m in self.merges for g in m.joined]

    def footnotes(self) -> list[str]:
        """The notes: first what was merged of small groups, then the rest in order."""
        return [*merged_notes(self.merges), *self.notes]


SHORT_CHARS = 48


def short_label(q: Question) -> str:
    """A question's label for tables and charts: the template's `short`, else the prompt's
    first line cut at a word near 48 characters."""
    if q.short:
        return q.short
    text = " ".join(q.prompt.strip().split("\n")[0].split())
    if len(text) <= SHORT_CHARS:
        return text
    return text[:SHORT_CHARS].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"


def _quote(text: str) -> str:
    """A note cut to length on one line (the side-by-side table's notes)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= QUOTE_CHARS else flat[:QUOTE_CHARS - 1].rstrip() + "…"


def pick_quotes(quotes: Sequence[str], answers: Sequence[str], count: int,
                limit: int = MAX_QUOTES) -> list[str]:
    """A theme's quotes (whole sentences of answers whose main theme it is, line breaks
    kept) that come from these answers, never more than `count` nor the same words twice."""
    def flat(text: str) -> str:
        return " ".join(text.casefold().split())

    sources = [flat(a) for a in answers]
    chosen: list[str] = []
    seen: set[str] = set()
    for quote in quotes:
        key = flat(quote)
        first = flat(quote.split(QUOTE_GAP)[0])
        if key in seen or not any(first in source for source in sources):
            continue
        seen.add(key)
        chosen.append(quote)
        if len(chosen) == min(limit, count):
            break
    return chosen


def theme_list(ctx: Context, key: str, title: str, *, heading: str = "", colour: str = "",
               subset: set[int] | None = None) -> ThemeList:
    """The themes of one text set (or one side of it), optionally only over some respondents;
    after each label the points partners made, never a codebook's description."""
    ts = ctx.sets.get(key)
    themed = ctx.themed.get(key)
    if ts is None or themed is None:
        return ThemeList(key, title, 0, (), heading=heading, colour=colour)
    keep = set(range(len(ts.texts))) if subset is None else {
        i for i, owner in enumerate(ts.owners) if owner in subset}
    items = []
    for theme in themed.themes:
        idx = [i for i in theme.answer_indexes if i in keep]
        if not idx:
            continue
        quotes = pick_quotes(theme.quotes, [ts.texts[i] for i in idx], len(idx))
        items.append(ThemeItem(theme.label, "; ".join(theme.points), len(idx), tuple(quotes)))
    items.sort(key=lambda t: (t.label == OTHER_LABEL, -t.count))
    loose = sum(1 for i in keep if not themed.assignments[i])
    # In the order of what they say, not of who said them: the respondents' order is the
    # invitation list's (a confidential round) or each ballot's whole content (anonymous), so
    # two comment sets listed in it would line up one partner's comments across questions.
    listed = tuple(sorted((without_na_mark(ts.texts[i].strip()) for i in keep
                           if themed.assignments[i]), key=str.casefold)
                   ) if just_comments(tuple(items)) else ()
    return ThemeList(key, title, len(keep), tuple(items), loose, heading, colour,
                     comments=listed)


FAVOURABLE_RULE = ("Favourable: the better half of each scale (for example \"Very well\" "
                   "or \"Well\"), and for Green/Amber/Red only Green; \"Don't know\" is "
                   "left out.")


def favourable_points(q: Question) -> int:
    """How many of a rated question's first points are favourable, the one rule of every
    table, matrix and comparison: a template's `positive`, else Green alone of a RAG rating,
    else the better half of a scale."""
    if q.positive is not None:
        return q.positive
    if q.kind is Kind.RAG:
        return 1
    real = [p for p in q.choices if p != DONT_KNOW]
    return (len(real) + 1) // 2


def is_favourable(q: Question, value: object) -> bool | None:
    """Whether one rating is favourable, or None if it is no rating (Don't know, unknown)."""
    real = [p for p in q.choices if p != DONT_KNOW]
    if str(value) not in real:
        return None
    return real.index(str(value)) < favourable_points(q)


def distribution(ctx: Context, q: Question, subset: set[int] | None = None) -> Distribution:
    """Counts of each point (or option) of a button question, and how many answered it."""
    points = q.options if q.kind is Kind.MULTI else q.choices
    if q.tag == GROUP_TAG and ctx.data.private:
        # Answers from groups under the minimum were merged at gathering (data.py).
        points = (*points, other_label(ctx.data.min_group_size))
    counts = dict.fromkeys(points, 0)
    answered = 0
    for i, r in enumerate(ctx.data.respondents):
        given = r.answers.get(q.id)
        if given is None or given.skipped or (subset is not None and i not in subset):
            continue
        answered += 1
        for value in given.value if isinstance(given.value, list) else [given.value]:
            if str(value) in counts:
                counts[str(value)] += 1
    if q.tag == GROUP_TAG and ctx.data.private:
        # Only groups someone answered: a group left out as too small must not read as 0.
        counts = {p: c for p, c in counts.items() if c}
        points = tuple(counts)
    ordered = q.kind in (Kind.SCALE, Kind.RAG) or (q.kind is Kind.YESNO
                                                   and q.positive is not None)
    positive = favourable_points(q) if ordered else q.positive
    return Distribution(q.id, q.prompt, tuple(points), tuple(counts.values()), positive,
                        ordered=ordered, multi=q.kind is Kind.MULTI, respondents=answered,
                        short=short_label(q))


def number_summary(ctx: Context, q: Question) -> NumberSummary:
    """Count, minimum, median and maximum of a number question."""
    values = [float(r.answers[q.id].value) for r in ctx.data.respondents
              if q.id in r.answers and isinstance(r.answers[q.id].value, int | float)]
    if not values:
        return NumberSummary(q.id, q.prompt, 0, None, None, None, q.unit)
    return NumberSummary(q.id, q.prompt, len(values), min(values), statistics.median(values),
                         max(values), q.unit)


def comments(ctx: Context, q: Question) -> ThemeList | None:
    """The themed comments after a rating, if any were given."""
    key = q.id + COMMENT_SUFFIX
    if key not in ctx.themed:
        return None
    # Named by its short label in the workbook's Themes sheet, as the other questions are
    # (the demo's functions round gave "Comments: Top down objectives, …\n\nHow strongly…").
    return replace(theme_list(ctx, key, f"Comments: {q.prompt}", heading="Comments"),
                   short=short_label(q))


def comments_by_side(ctx: Context, q: Question) -> list[ThemeList]:
    """A self-assessment's comments on a rating, themed apart for those who rated it well
    and those who did not (or all together when they were not split)."""
    key = q.id + COMMENT_SUFFIX
    # Headed by the question's short label: a section ran eight headings alike ("Comments
    # from those answering very well / well"), the question only in the grey line under.
    found = [replace(theme_list(ctx, side_key(key, side), f"Comments: {q.prompt}",
                                heading=f"{short_label(q)}: comments from those answering "
                                        f"{label.lower()}",
                                colour=side), short=short_label(q))
             for side, label, _ in rating_sides(ctx.data, q) if side_key(key, side) in ctx.themed]
    if found:
        return [f for f in found if f.themes]
    whole = comments(ctx, q)
    return [whole] if whole is not None and whole.themes else []


def default_block(ctx: Context, q: Question) -> list[Block]:
    """A question in the plainest layout: themes, a rating or choice distribution, figures."""
    if q.kind is Kind.TEXT:
        return [replace(theme_list(ctx, q.id, q.prompt), short=short_label(q))]
    if q.kind is Kind.NUMBER:
        return [number_summary(ctx, q)]
    return [Rating(distribution(ctx, q), comments(ctx, q))]


def effectiveness(ctx: Context, q: Question, why: Question | None) -> Split:
    """The "why" themes a side at a time: the first `positive` points are the effective side,
    and each side's themes, points and quotes come from that side's answers alone."""
    dist = distribution(ctx, q)
    key = why.id if why is not None else q.id + COMMENT_SUFFIX
    owners = set(ctx.sets[key].owners) if key in ctx.sets else set()
    sides = []
    rated: set[int] = set()
    for side, label, who in rating_sides(ctx.data, q):
        rated |= who
        sides.append((label, theme_list(ctx, side_key(key, side), q.prompt, colour=side)))
    return Split(q.prompt, dist, tuple(sides), len(owners - rated))


def themes_section(ctx: Context, section: Section) -> list[Block]:
    """Seed 001: per question themes; effectiveness questions split with their "why"."""
    blocks: list[Block] = []
    used: set[str] = set()
    qs = section.questions
    for n, q in enumerate(qs):
        if q.id in used:
            continue
        if q.tag == "effectiveness" and q.kind is Kind.SCALE:
            why = next((x for x in qs[n + 1:n + 3] if x.tag == "why" and x.kind is Kind.TEXT),
                       None)
            if why is not None:
                used.add(why.id)
            blocks.append(effectiveness(ctx, q, why))
        else:
            blocks += default_block(ctx, q)
    return blocks


def rag_section(ctx: Context, section: Section) -> list[Block]:
    """Seed 002: green, amber and red lists side by side, after any ratings."""
    tagged = {q.tag: q for q in section.questions if q.tag in RAG_TAGS and q.kind is Kind.TEXT}
    blocks: list[Block] = []
    for q in section.questions:
        if q not in tagged.values():
            blocks += default_block(ctx, q)
    if tagged:
        cells = []
        for tag in RAG_TAGS:
            if tag in tagged:
                colour = tag.capitalize()
                cells.append(theme_list(ctx, tagged[tag].id, tagged[tag].prompt, colour=tag,
                                        heading=f"{colour} ({RAG_GLOSSES[colour]})"))
        blocks.append(Grid(section.title, tuple(cells), columns=3))
    return blocks


def swot_section(ctx: Context, section: Section) -> list[Block]:
    """Seed 003: strengths, weaknesses, opportunities and threats in a 2×2 grid."""
    tagged = {q.tag: q for q in section.questions if q.tag in SWOT_TAGS}
    blocks: list[Block] = [b for q in section.questions if q.tag not in SWOT_TAGS
                           for b in default_block(ctx, q)]
    if tagged:
        cells = tuple(theme_list(ctx, tagged[t].id, tagged[t].prompt, heading=t.capitalize(),
                                 colour=t) for t in SWOT_TAGS if t in tagged)
        blocks.append(Grid("SWOT", cells, columns=2))
    return blocks


def groups(ctx: Context, by: str = "partnership") -> dict[str, set[int]]:
    """Respondents per partnership (only the round's audience partnerships) or sector, for
    columns side by side. Groups under the minimum are merged in private rounds, and in named
    rounds too (a one-person column reads as the partnership's verdict); observation records
    are exempt, as each is one observer's record of a partnership's meeting."""
    members: dict[str, set[int]] = {}
    for i, r in enumerate(ctx.data.respondents):
        # A record names the partnership observed, which need not be in the round's audience.
        names = ((r.sector,) if by == "sector"
                 else (tuple(r.partnerships) if r.record
                       else ctx.data.partnerships_of(r.partnerships)) or (NO_PARTNERSHIP,))
        for name in names:
            members.setdefault(name, set()).add(i)
    members = dict(sorted(members.items()))
    if not ctx.data.private and ctx.data.questionnaire.layout == "observation":
        return members
    # Observation records are about the partnership observed, not by a member of it: a
    # partnership recorded once is no small group of people, and is shown on its own.
    observed = {g: m for g, m in members.items()
                if by == "partnership" and all(ctx.data.respondents[i].record for i in m)}
    kept, merges = merge_small_groups(
        {g: {str(i) for i in m} for g, m in members.items() if g not in observed},
        ctx.data.min_group_size, by, complete=ctx.data.private,
        prefer=ctx.joined() if by == "sector" else ())
    ctx.merged(merges)
    out = {g: {int(i) for i in m} for g, m in kept.items()}
    if observed:   # in name order, the merged "Other" still last
        other = other_label(ctx.data.min_group_size)
        tail = {other: out.pop(other)} if other in out else {}
        out = {**dict(sorted({**observed, **out}.items())), **tail}
    return out


def function_profile(ctx: Context) -> Profile:
    """Seed 003: the rating of each function, per partnership and overall."""
    qs = [q for q in ctx.data.questionnaire.questions if q.kind is Kind.SCALE and q.tag]
    points = qs[0].choices if qs else ()
    everyone = set(range(len(ctx.data.respondents)))
    by_group = {"All respondents": everyone, **groups(ctx)}
    counts = {(g, short_label(q)): distribution(ctx, q, m).counts
              for g, m in by_group.items() for q in qs}
    return Profile("Function profile per partnership", tuple(short_label(q) for q in qs),
                   tuple(points), tuple(by_group), counts, qs[0].positive if qs else None)


def _says_more(words: str, wording: str) -> bool:
    """Whether a partner's words say more than the wording they were given as (a reason
    after it, another phrasing), rather than only lacking its opening verb."""
    return flat(words) not in flat(wording)


def suggestion_list(ctx: Context, q: Question) -> SuggestionList:
    """Seed 004's suggested actions of an area: each distinct proposal worded as an action,
    near-duplicates merged and counted, most suggested first; themed as well when many."""
    ts = ctx.sets.get(q.id)
    if ts is None or not ts.texts:
        return SuggestionList(q.id, q.prompt, 0, ())
    found = gather_proposals(ts.texts, ctx.embedder or default_embedder())
    respondents = ctx.data.respondents
    items = tuple(SuggestedItem(
        p.wording, p.count, tuple(w for w in p.words if _says_more(w, p.wording)),
        tuple(respondents[ts.owners[n]].response_id for n in p.answers))
        for p in found.proposals)
    themes = (theme_list(ctx, q.id, q.prompt, heading="Suggested actions")
              if len(items) > THEME_ABOVE else None)
    if themes is not None and themes.listed:  # no theme among them: the lettered list
        themes = None
    return SuggestionList(q.id, q.prompt, len(ts.texts), items, found.left_out, themes,
                          views=found.views)


def areas_section(ctx: Context, section: Section) -> list[Block]:
    """Seed 004: an area's ratings together, its themed comments, then suggested actions."""
    rated = [q for q in section.questions if q.kind.uses_buttons]
    blocks: list[Block] = []
    if rated:
        blocks.append(Ratings(section.title, tuple(distribution(ctx, q) for q in rated)))
    for q in rated:
        blocks += comments_by_side(ctx, q)
    for q in section.questions:
        if q.kind is Kind.TEXT and q.tag == "actions":
            blocks.append(suggestion_list(ctx, q))
        elif q.kind is Kind.TEXT:
            blocks.append(theme_list(ctx, q.id, q.prompt))
        elif q.kind is Kind.NUMBER:
            blocks.append(number_summary(ctx, q))
    return blocks
