"""The report as one self-contained HTML file: inline charts, phone-first CSS, print styles."""

from __future__ import annotations

import base64
from html import escape

from surveys.plural import count, unlisted, unrated, unthemed
from surveys.report import charts, suggested
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

CSS = """
:root{--ink:#1d2329;--muted:#5f6b76;--line:#d8dee4;--bg:#fff;--green:#2e7d32;--amber:#b26a00;
--red:#c62828;--accent:#1f5fa8}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",
sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji";color:var(--ink);
background:var(--bg)}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;border-bottom:2px solid var(--accent);
padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
h4{margin:.6rem 0 .3rem}
.meta,.note{color:var(--muted);font-size:.9rem}
.big{font-size:2rem;font-weight:700;color:var(--accent)}
dl.dates{display:grid;grid-template-columns:auto 1fr;gap:.1rem 1rem;margin:.5rem 0}
dl.dates dt{color:var(--muted)}dl.dates dd{margin:0}
img{max-width:100%;height:auto;display:block;margin:.5rem 0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4rem 0}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
ul.themes{padding-left:1.1rem}ul.themes>li{margin:.35rem 0}
ul.suggestions{list-style:none;padding-left:0}
.count{color:var(--muted);font-size:.85rem;white-space:nowrap}
ul.quotes{list-style:none;padding-left:.6rem;margin:.2rem 0;border-left:3px solid var(--line)}
ul.quotes li{font-style:italic;color:#39424a;font-size:.92rem}
ul.comments li{margin:.3rem 0}
.grid{display:grid;gap:.8rem;grid-template-columns:1fr}
.cell{border:1px solid var(--line);border-radius:.5rem;padding:.5rem .8rem;border-top-width:5px}
.green{border-top-color:var(--green)}.amber{border-top-color:var(--amber)}
.red{border-top-color:var(--red)}.good,.strengths,.opportunities{border-top-color:var(--green)}
.bad,.weaknesses,.threats{border-top-color:var(--red)}
td.rag-green{background:#dcefdc}td.rag-amber{background:#fbe7c6}td.rag-red{background:#f6d2d2}
@media (min-width:42rem){.grid.c2{grid-template-columns:1fr 1fr}
.grid.c3{grid-template-columns:1fr 1fr 1fr}}
ul.lines{padding-left:1.1rem}ul.lines li{margin:.2rem 0}
ol.contents{columns:2 16rem;margin:.3rem 0}
.overview h3{margin-top:1rem}
footer{margin-top:2rem;border-top:1px solid var(--line);padding-top:.5rem}
.narrow{display:none}
.card{border:1px solid var(--line);border-radius:.4rem;padding:.3rem .6rem;margin:.5rem 0}
.card h4{margin:.2rem 0 .3rem}.narrow .cap{font-weight:600;margin:.8rem 0 .2rem}
dl.pairs{margin:0}dl.pairs dt{color:var(--muted);font-size:.85rem}dl.pairs dd{margin:0 0 .35rem}
dd.rag-green,dd.rag-amber,dd.rag-red{display:inline-block;padding:0 .4rem;border-radius:.2rem}
dd.rag-green{background:#dcefdc}dd.rag-amber{background:#fbe7c6}dd.rag-red{background:#f6d2d2}
@media screen and (max-width:40rem){.wide-only{display:none}.narrow{display:block}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack,table.stack caption,table.stack tbody,table.stack tr,table.stack td{display:block}
table.stack tr{border:1px solid var(--line);border-radius:.4rem;margin:.5rem 0;padding:.25rem .5rem}
table.stack td{border:0;padding:.1rem 0;text-align:left}table.stack td:first-child{font-weight:600}
table.stack td:not(:first-child)::before{content:attr(data-label) ": ";color:var(--muted)}
table.stack td:empty{display:none}
table.stack td[class^=rag-]{padding:.1rem .4rem;border-radius:.2rem}}
@page{size:A4;margin:16mm 14mm}
@media print{body{font-size:10.5pt}main{max-width:none;padding:0}h2{break-before:page}
.scroll{overflow:visible}table.dense{font-size:7.5pt}
table.dense th,table.dense td{padding:.15rem .25rem}table.dense caption{font-size:10.5pt}
h3,h4,caption{break-after:avoid}
section.front h2{break-before:auto}.cell,table,figure,li{break-inside:avoid}
.grid.c2{grid-template-columns:1fr 1fr}.grid.c3{grid-template-columns:1fr 1fr 1fr}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}a{color:inherit}}
"""


def e(text: object) -> str:
    """HTML-escape anything a person typed or a template supplied."""
    return escape(str(text), quote=True)


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{e(alt)}">'



# A phone's page is about 360 px wide: a table whose columns cannot shrink to fit it (each at
# least its longest word, plus padding) is shown a row, or a subject, at a time instead.
# On an A4 page (about 680 px) such a table is printed in a smaller type instead.
PHONE_PX, PAGE_PX, CHAR_PX, CELL_PX = 340, 640, 8.5, 16


def _least_width(t: Table) -> float:
    """About how narrow the table can get: each column its longest word, plus padding."""
    widest = [max((len(w) for c in column for w in str(c).split()), default=0)
              for column in zip(t.columns, *t.rows, strict=True)]
    return sum(n * CHAR_PX + CELL_PX for n in widest)


def table_html(t: Table, *, caption: bool = True) -> str:
    """A table; on a phone, one too wide for it is shown a row at a time (each cell named by
    its column), or, with partnerships as its columns, a partnership at a time."""
    least = _least_width(t)
    narrow = least > PHONE_PX
    head = "".join(f"<th>{e(c)}</th>" for c in t.columns)
    def cell(c: object, tint: str, column: str) -> str:
        label = f' data-label="{e(column)}"' if narrow else ""
        if tint:
            return f'<td class="rag-{e(tint)}"{label}>{e(c)}</td>'
        kind = ' class="n"' if str(c).rstrip("%").isdigit() else ""
        return f"<td{kind}{label}>{e(c)}</td>"

    tints = t.colours or tuple(("",) * len(row) for row in t.rows)
    body = "".join("<tr>" + "".join(cell(c, tint, column) for c, tint, column
                                    in zip(row, tinted, t.columns, strict=True))
                   + "</tr>" for row, tinted in zip(t.rows, tints, strict=True))
    if not t.rows:
        body = f'<tr><td colspan="{len(t.columns)}">No rows to show.</td></tr>'
    note = f'<p class="note">{e(t.note)}</p>' if t.note else ""
    by_subject = narrow and t.by_column and len(t.columns) > 2 and bool(t.rows)
    kinds = [k for k, on in (("stack", narrow and not by_subject), ("dense", least > PAGE_PX))
             if on]
    stack = f' class="{" ".join(kinds)}"' if kinds else ""
    # Under a heading of the same words the title is only named for screen readers.
    opening = (f'<table aria-label="{e(t.title)}"{stack}>' if not caption
               else f"<table{stack}><caption>{e(t.title)}</caption>")
    table = (f'<div class="scroll{" wide-only" if by_subject else ""}">{opening}<thead><tr>'
             f"{head}</tr></thead><tbody>{body}</tbody></table></div>")
    return table + (_by_subject(t, tints, caption) if by_subject else "") + note


def _by_subject(t: Table, tints: tuple[tuple[str, ...], ...], caption: bool) -> str:
    """The table turned a quarter: a card per column (a partnership), its rows as pairs."""
    cards = []
    for j, subject in enumerate(t.columns[1:], start=1):
        pairs = "".join(
            f"<dt>{e(row[0] or t.columns[0])}</dt>"
            + (f'<dd class="rag-{e(tinted[j])}">' if tinted[j] else "<dd>") + f"{e(row[j])}</dd>"
            for row, tinted in zip(t.rows, tints, strict=True))
        cards.append(f'<div class="card"><h4>{e(subject)}</h4><dl class="pairs">{pairs}</dl>'
                     "</div>")
    cap = f'<p class="cap">{e(t.title)}</p>' if caption else ""
    return f'<div class="narrow" aria-label="{e(t.title)}">{cap}{"".join(cards)}</div>'


def themes_html(tl: ThemeList, heading_level: int = 3, show_title: bool = True) -> str:
    """Bold label, its points and count, then up to three quotes."""
    h = f"h{heading_level}"
    out = []
    if show_title:
        out.append(f"<{h}>{e(tl.heading or tl.title)}</{h}>")
        if tl.heading and tl.heading != tl.title:
            out.append(f'<p class="meta">{e(tl.title)}</p>')
    if not tl.themes:
        out.append('<p class="note">No answers to theme.</p>')
        return "".join(out)
    out.append(f'<p class="meta">{count(tl.answered, "answer")}</p>')
    if tl.listed:  # no theme: the comments themselves, as a person would list them
        listed = "".join(f"<li>“{e(c)}”</li>" for c in tl.comments)
        out.append(f'<ul class="quotes comments">{listed}</ul>')
        if tl.unthemed:
            out.append(f'<p class="note">{unlisted(tl.unthemed)}</p>')
        return "".join(out)
    out.append('<ul class="themes">')
    for t in tl.themes:
        points = f" {e(t.points)}" if t.points else ""
        colon = ":" if t.points else ""
        quotes = "".join(f"<li>“{e(q)}”</li>" for q in t.quotes)
        label, raised = t.heading()
        out.append(f"<li><strong>{e(label)}{colon}</strong>{points} "
                   + (f'<span class="count">{raised}</span>' if raised else "")
                   + (f'<ul class="quotes">{quotes}</ul>' if quotes else "") + "</li>")
    out.append("</ul>")
    if tl.unthemed:
        out.append(f'<p class="note">{unthemed(tl.unthemed)}</p>')
    return "".join(out)


def distribution_table(d: Distribution) -> Table:
    """A distribution as a table: point, count, share (of partners, for a multi-choice)."""
    rows = tuple((p, str(c), d.share(c)) for p, c in zip(d.points, d.counts, strict=True))
    note = (f"Partners could tick several options: each share is of the {d.total} partners "
            "who answered, so the shares add up to more than 100%." if d.multi else "")
    return Table(d.title, ("Answer", d.counted, "Share"), rows,
                 note=note)


def _distribution(d: Distribution, charts_on: bool) -> str:
    chart = _img(charts.distribution_png(d), d.title) if charts_on and d.total else ""
    return f"<h3>{e(d.title)}</h3>{chart}{table_html(distribution_table(d))}"


def _split(s: Split, charts_on: bool) -> str:
    out = [_distribution(s.distribution, charts_on), '<div class="grid c2">']
    for (label, tl), mark in zip(s.sides, ("✓", "×"), strict=True):
        out.append(f'<div class="cell {e(tl.colour)}"><h4>{mark} {e(label)}:</h4>'
                   f"{themes_html(tl, 4, show_title=False)}</div>")
    out.append("</div>")
    if s.unrated:
        out.append(f'<p class="note">{unrated(s.unrated, dont_know=True)}</p>')
    return "".join(out)


def _ratings(r: Ratings, charts_on: bool) -> str:
    chart = (_img(charts.stacked_png(r.distributions), r.title)
             if charts_on and any(d.total for d in r.distributions) else "")
    rows = tuple((d.label, ", ".join(f"{p}: {c}" for p, c in zip(d.points, d.counts,
                                                                   strict=True)), str(d.total))
                 for d in r.distributions)
    return (f"<h3>Ratings: {e(r.title)}</h3>{chart}"
            + table_html(Table("Rating distribution", ("Question", "Answers", "Total"), rows)))


def _profile(p: Profile, charts_on: bool) -> str:
    chart = _img(charts.profile_png(p), p.title) if charts_on and p.functions else ""
    return f"<h3>{e(p.title)}</h3>{chart}{table_html(p.table())}"


def _number(n: NumberSummary) -> str:
    if not n.count:
        return f"<h3>{e(n.title)}</h3><p class=\"note\">No answers.</p>"
    unit = f" {e(n.unit)}" if n.unit else ""
    return (f"<h3>{e(n.title)}</h3><p>{count(n.count, 'answer')}: median {n.median:g}{unit} "
            f"(from {n.minimum:g} to {n.maximum:g}).</p>")


def suggestions_html(sl: SuggestionList) -> str:
    """Seed 004's lettered suggested actions, each with its count and the partners' words."""
    out = [f"<h3>{e(sl.heading)}</h3>", f'<p class="meta">{e(sl.title)}</p>']
    if not sl.items:
        return "".join([*out, f'<p class="note">{e(suggested.none_note(sl))}</p>'])
    out.append(f'<p class="meta">{e(suggested.intro(sl))}</p>')
    if sl.themes is not None:
        out.append(themes_html(sl.themes, show_title=False))
    else:
        out.append('<ul class="themes suggestions">')
        for n, item in enumerate(sl.items):
            words = "".join(f"<li>“{e(w)}”</li>" for w in item.words)
            by = suggested.suggested_by(item)
            out.append(f"<li><strong>{e(suggested.mark(n))}</strong> {e(item.wording)}"
                       + (f' <span class="count">{e(by)}</span>' if by else "")
                       + (f'<ul class="quotes">{words}</ul>' if words else "") + "</li>")
        out.append("</ul>")
    out += [f'<p class="note">{e(note)}</p>' for note in suggested.notes(sl)]
    return "".join(out)


def block_html(b: Block, charts_on: bool = True) -> str:
    """One block of a section."""
    if isinstance(b, ThemeList):
        return themes_html(b)
    if isinstance(b, SuggestionList):
        return suggestions_html(b)
    if isinstance(b, Split):
        return _split(b, charts_on)
    if isinstance(b, Rating):
        out = _distribution(b.distribution, charts_on)
        if b.comments is not None and b.comments.themes:
            out += themes_html(b.comments, 4)
        return out
    if isinstance(b, Distribution):
        return _distribution(b, charts_on)
    if isinstance(b, Grid):
        cells = "".join(f'<div class="cell {e(c.colour)}">{themes_html(c, 4)}</div>'
                        for c in b.cells)
        return f'<div class="grid c{b.columns}">{cells}</div>'
    if isinstance(b, Ratings):
        return _ratings(b, charts_on)
    if isinstance(b, Profile):
        return _profile(b, charts_on)
    if isinstance(b, Table):
        return f"<h3>{e(b.title)}</h3>{table_html(b, caption=False)}"
    if isinstance(b, NumberSummary):
        return _number(b)
    raise TypeError(f"unknown block {type(b).__name__}")


def front_html(report: Report) -> str:
    """The overview: title, dates, response rate, how each area does, partnerships side by
    side, the top themes of each section, and the contents."""
    f, o = report.front, report.overview
    source = f'<p class="meta">Questions from: {e(f.source)}</p>' if f.source else ""
    tables = "".join(table_html(t) for t in o.tables)
    lines = ""
    if o.theme_lines:
        items = "".join(f"<li><strong>{e(where)}:</strong> {e(text)}</li>"
                        for where, text in o.theme_lines)
        lines = f'<h3>Themes raised most</h3><ul class="lines">{items}</ul>'
    contents = "".join(f'<li><a href="#s{n}">{e(title)}</a></li>'
                       for n, title in enumerate(report.contents, start=1))
    return (
        f'<section class="front overview"><h1>{e(f.title)}</h1><p class="meta">'
        f"{e(f.questionnaire)} · {e(f.anonymity)} round</p>{source}"
        f'<dl class="dates"><dt>Opened</dt><dd>{e(f.when(f.opens_at))}</dd><dt>Deadline</dt>'
        f"<dd>{e(f.when(f.deadline))}</dd><dt>Closed</dt><dd>{e(f.when(f.closed_at))}</dd></dl>"
        f'<p><span class="big">{100 * f.rate:.0f}%</span> responded: {f.submitted} of '
        f"{f.invited} invited partners.</p>{tables}{lines}"
        f'<h3>Contents</h3><ol class="contents">{contents}</ol></section>')


def render_html(report: Report, *, charts_on: bool = True) -> str:
    """The whole report as one HTML document (no external assets)."""
    parts = [front_html(report)]
    for n, s in enumerate(report.sections, start=1):
        intro = f'<p class="meta">{e(s.intro)}</p>' if s.intro else ""
        blocks = "".join(block_html(b, charts_on) for b in s.blocks)
        if s.key == "responses" and charts_on and report.front.by_partnership.rows:
            blocks = _img(charts.rates_png(report.front.by_partnership, report.front.rate),
                          "Response rate by partnership") + blocks
        parts.append(f'<section id="s{n}"><h2>{e(s.title)}</h2>{intro}{blocks}</section>')
    if report.footnotes:
        notes = "".join(f"<li>{e(n)}</li>" for n in report.footnotes)
        parts.append(f'<footer><h4>Notes</h4><ol class="note">{notes}</ol></footer>')
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(report.front.title)}</title><style>{CSS}</style></head><body><main>"
        + "".join(parts) + "</main></body></html>\n")

