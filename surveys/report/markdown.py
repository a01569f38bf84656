"""The report as Markdown: the seeds' own shape, bold theme labels and plain tables."""

from __future__ import annotations

import re

from surveys.plural import count, unlisted, unrated, unthemed
from surveys.report import suggested
from surveys.report.model import (
    Block,
    Distribution,
    Grid,
    NumberSummary,
    Profile,
    Rating,
    Ratings,
    Report,
    Split,
    SuggestionList,
    Table,
    ThemeList,
)

# No "!": it makes an image only before "[", which is always backslashed, and a partner's
# "Write it down\!" read oddly wherever the Markdown is shown as it is.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|<>])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def m(text: object) -> str:
    """Text safe in Markdown: no raw HTML or entities, markup characters backslashed, one line."""
    flat = _ENTITY.sub("&amp;", " ".join(str(text).split()))
    return _MD_SPECIAL.sub(r"\\\1", flat).replace("\\<", "&lt;").replace("\\>", "&gt;")



def table_md(t: Table, *, caption: bool = True) -> list[str]:
    """A Markdown table with its caption in bold (none under a heading of the same words)."""
    out = [f"**{m(t.title)}**", ""] if caption and t.title else []
    out.append("| " + " | ".join(m(c) for c in t.columns) + " |")
    out.append("|" + "---|" * len(t.columns))
    out += ["| " + " | ".join(m(c) for c in row) + " |" for row in t.rows]
    if not t.rows:
        out.append("| " + " | ".join(["–"] * len(t.columns)) + " |")
    if t.note:
        out += ["", f"_{m(t.note)}_"]
    return [*out, ""]


def themes_md(tl: ThemeList, level: int = 3, show_title: bool = True) -> list[str]:
    """Seed 001: `- **Label:** points (raised by N)`, quotes indented under it."""
    out: list[str] = []
    if show_title:
        out += [f"{'#' * level} {m(tl.heading or tl.title)}", ""]
        if tl.heading and tl.heading != tl.title:
            out += [f"_{m(tl.title)}_", ""]
    if not tl.themes:
        return [*out, "_No answers to theme._", ""]
    if tl.listed:  # no theme: the comments themselves, as a person would list them
        out += [f"- “{m(c)}”" for c in tl.comments]
        return [*out, *(["", f"_{unlisted(tl.unthemed)}_"] if tl.unthemed else []), ""]
    for t in tl.themes:
        points = f" {m(t.points)}" if t.points else ""
        colon = ":" if t.points else ""
        label, raised = t.heading()
        out.append(f"- **{m(label)}{colon}**{points}{' ' + raised if raised else ''}")
        out += [f"  - “{m(q)}”" for q in t.quotes]
    if tl.unthemed:
        out += ["", f"_{unthemed(tl.unthemed)}_"]
    return [*out, ""]


def _bar(count: int, total: int) -> str:
    return "█" * round(20 * count / total) if total else ""


def distribution_md(d: Distribution) -> list[str]:
    """A rating as a small table with text bars."""
    rows = tuple((p, str(c), d.share(c), _bar(c, d.total))
                 for p, c in zip(d.points, d.counts, strict=True))
    note = (f"Partners could tick several options: shares are of the {d.total} partners who "
            "answered." if d.multi else "")
    return [f"### {m(d.title)}", "",
            *table_md(Table(f"{count(d.total, 'answer')}", ("Answer", d.counted, "Share", ""), rows,
                            note=note))]


def suggestions_md(sl: SuggestionList) -> list[str]:
    """Seed 004: `- **a)** wording (suggested by N)`, the partners' own words under it."""
    out = [f"### {m(sl.heading)}", "", f"_{m(sl.title)}_", ""]
    if not sl.items:
        return [*out, f"_{m(suggested.none_note(sl))}_", ""]
    out += [f"_{m(suggested.intro(sl))}_", ""]
    if sl.themes is not None:
        out += themes_md(sl.themes, show_title=False)
    else:
        for n, item in enumerate(sl.items):
            by = suggested.suggested_by(item)
            out.append(f"- **{suggested.mark(n)}** {m(item.wording)}" + (f" {by}" if by else ""))
            out += [f"  - “{m(w)}”" for w in item.words]
        out.append("")
    return [*out, *(f"_{m(note)}_" for note in suggested.notes(sl)), ""]


def block_md(b: Block) -> list[str]:
    """One block of a section as Markdown lines."""
    if isinstance(b, ThemeList):
        return themes_md(b)
    if isinstance(b, SuggestionList):
        return suggestions_md(b)
    if isinstance(b, Split):
        out = distribution_md(b.distribution)
        for (label, tl), mark in zip(b.sides, ("✓", "×"), strict=True):
            out += [f"{mark} **{m(label)}:**", "", *themes_md(tl, show_title=False)]
        if b.unrated:
            out += [f"_{unrated(b.unrated)}_", ""]
        return out
    if isinstance(b, Rating):
        out = distribution_md(b.distribution)
        if b.comments is not None and b.comments.themes:
            out += themes_md(b.comments, 4)
        return out
    if isinstance(b, Distribution):
        return distribution_md(b)
    if isinstance(b, Grid):
        return [line for c in b.cells for line in themes_md(c, 3)]
    if isinstance(b, Ratings):
        rows = tuple((d.label, ", ".join(f"{p}: {c}" for p, c in zip(d.points, d.counts,
                                                                       strict=True)),
                      str(d.total)) for d in b.distributions)
        return [f"### Ratings: {m(b.title)}", "",
                *table_md(Table("Rating distribution", ("Question", "Answers", "Total"), rows))]
    if isinstance(b, Profile):
        return [f"### {m(b.title)}", "", *table_md(b.table(), caption=False)]
    if isinstance(b, Table):
        return [f"### {m(b.title)}", "", *table_md(b, caption=False)]
    if isinstance(b, NumberSummary):
        if not b.count:
            return [f"### {m(b.title)}", "", "_No answers._", ""]
        unit = f" {m(b.unit)}" if b.unit else ""
        return [f"### {m(b.title)}", "", f"{count(b.count, 'answer')}: median {b.median:g}{unit} "
                f"(from {b.minimum:g} to {b.maximum:g}).", ""]
    raise TypeError(f"unknown block {type(b).__name__}")


def front_md(report: Report) -> list[str]:
    """The overview: title, dates, response rate, the layout's tables, top themes, contents."""
    f, o = report.front, report.overview
    out = [f"# {m(f.title)}", "", f"_{m(f.questionnaire)} · {m(f.anonymity)} round_", ""]
    if f.source:
        out += [f"Questions from: {m(f.source)}", ""]
    out += [f"- Opened: {f.when(f.opens_at)}", f"- Deadline: {f.when(f.deadline)}",
            f"- Closed: {f.when(f.closed_at)}", "",
            f"**{100 * f.rate:.0f}%** responded: {f.submitted} of {f.invited} invited partners.",
            ""]
    for t in o.tables:
        out += table_md(t)
    if o.theme_lines:
        out += ["**Themes raised most**", ""]
        out += [f"- **{m(where)}:** {m(text)}" for where, text in o.theme_lines]
        out.append("")
    out += ["**Contents**", ""]
    out += [f"{n}. {m(title)}" for n, title in enumerate(report.contents, start=1)]
    return [*out, ""]


def render_markdown(report: Report) -> str:
    """The whole report as Markdown text."""
    lines = front_md(report)
    for s in report.sections:
        lines += [f"## {m(s.title)}", ""]
        if s.intro:
            lines += [f"_{m(s.intro)}_", ""]
        for b in s.blocks:
            lines += block_md(b)
    if report.footnotes:
        lines += ["---", "", "**Notes**", ""]
        lines += [f"{n}. {m(text)}" for n, text in enumerate(report.footnotes, start=1)]
    return "\n".join(lines).rstrip() + "\n"
