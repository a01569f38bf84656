"""Charts as PNG bytes (matplotlib, Agg, no pyplot state): distributions, profiles, rates."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from surveys.model import DONT_KNOW, RAG_POINTS
from surveys.report.model import (
    Distribution,
    Profile,
    Rating,
    Ratings,
    Report,
    Split,
    Table,
)

GOOD = ("#1a7f37", "#4cae4f", "#8fd18f")
BAD = ("#f2a33a", "#d9534f", "#a12622", "#6e1512")
GREY = "#9aa0a6"
NEUTRAL = "#4f7cac"  # one colour for the options of a choice: no option is better
RAG_COLOURS = {"Green": "#2e7d32", "Amber": "#f0a202", "Red": "#c62828"}
DPI = 110
LABEL_PT = 9   # a profile's labels and legend: printed at about this size on A4


def point_colours(points: Sequence[str], positive: int | None,
                  ordered: bool = True) -> list[str]:
    """A colour per point: greens for the favourable side, ambers to reds for the other; one
    neutral colour for the options of a choice, which have no good or bad end."""
    if not ordered:
        return [NEUTRAL] * len(points)
    if tuple(points) == RAG_POINTS:
        return [RAG_COLOURS[p] for p in points]
    real = [p for p in points if p != DONT_KNOW]
    split = positive if positive is not None else (len(real) + 1) // 2
    out = []
    for n, p in enumerate(points):
        if p == DONT_KNOW:
            out.append(GREY)
        elif n < split:
            out.append(GOOD[min(n, len(GOOD) - 1)] if split > 1 else GOOD[1])
        else:
            out.append(BAD[min(n - split, len(BAD) - 1)])
    return out


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    return buf.getvalue()


def printable(text: str) -> str:
    """Text without the characters the chart font lacks (emoji), which would print as boxes."""
    return "".join(ch for ch in text if ord(ch) < 0x2190 or 0x2500 <= ord(ch) < 0x2700).strip()


def _wrap(text: str, width: int = 38, lines: int = 3) -> str:
    """Wrapped at spaces, never inside a word; a label too long ends with an ellipsis."""
    wrapped = textwrap.wrap(printable(text), width, break_long_words=False)
    if len(wrapped) > lines:
        wrapped = [*wrapped[:lines - 1], textwrap.shorten(" ".join(wrapped[lines - 1:]), width,
                                                          placeholder=" …")]
    return "\n".join(wrapped) or " "


def distribution_png(dist: Distribution) -> bytes:
    """One rating as horizontal bars, a bar per point."""
    return _png(distribution_figure(dist))


def distribution_figure(dist: Distribution) -> Figure:
    """The bars of `distribution_png`; its axis counts people, so its ticks are whole
    numbers (a Yes/No question's axis read 0.0, 2.5, 5.0 … 17.5)."""
    fig = Figure(figsize=(5.2, 0.45 * len(dist.points) + 0.6))
    ax = fig.subplots()
    ys = list(range(len(dist.points)))[::-1]
    ax.barh(ys, dist.counts, color=point_colours(dist.points, dist.positive, dist.ordered))
    ax.set_yticks(ys, [_wrap(p, 28) for p in dist.points])
    for y, c in zip(ys, dist.counts, strict=True):
        ax.text(c, y, f" {dist.share(c) if dist.multi else c}", va="center", fontsize=9)
    ax.set_xlim(0, max([*dist.counts, 1]) * (1.9 if dist.multi else 1.2))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"partners ticking the option, of {dist.total} who answered (they could "
                  "tick several)" if dist.multi else "responses", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def stacked_png(dists: Sequence[Distribution]) -> bytes:
    """Several ratings as 100% stacked bars, one per question, coloured by side."""
    fig = Figure(figsize=(7, 0.55 * len(dists) + 1.0))
    ax = fig.subplots()
    labels = []
    for row, d in enumerate(reversed(dists)):
        left = 0.0
        total = d.total or 1
        for _p, c, colour in zip(d.points, d.counts,
                                 point_colours(d.points, d.positive, d.ordered), strict=True):
            share = 100 * c / total
            ax.barh(row, share, left=left, color=colour, edgecolor="white", linewidth=0.5)
            if share >= 12:
                ax.text(left + share / 2, row, str(c), ha="center", va="center", fontsize=8,
                        color="white")
            left += share
        labels.append(_wrap(d.label, 44, 2))
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of answers (green: favourable side, amber/red: unfavourable, grey: "
                  "don't know)", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _favourable(counts: Sequence[int], points: Sequence[str], positive: int | None) -> float:
    real = [(p, c) for p, c in zip(points, counts, strict=True) if p != DONT_KNOW]
    split = positive if positive is not None else (len(real) + 1) // 2
    total = sum(c for _, c in real)
    return 100 * sum(c for _, c in real[:split]) / total if total else 0.0


def profile_png(profile: Profile) -> bytes:
    """Share rating each function on the favourable side, a bar per partnership. Thin bars,
    so that six functions of four partnerships fit A4 without shrinking the labels: at
    0.35 in a bar the chart was 9.6 in tall and printed its labels at 4 pt."""
    n_f, n_g = len(profile.functions), len(profile.groups)
    fig = Figure(figsize=(7, 0.15 * n_f * n_g + 0.15 * n_f + 1.2))
    ax = fig.subplots()
    height = 0.8 / max(n_g, 1)
    cmap = matplotlib.colormaps["tab10"]
    for g_i, g in enumerate(profile.groups):
        values = [_favourable(profile.counts[(g, f)], profile.points, profile.positive)
                  for f in profile.functions]
        ys = [n_f - 1 - f_i + (n_g - 1 - g_i) * height - 0.4 + height / 2 for f_i in range(n_f)]
        ax.barh(ys, values, height=height, color=cmap(g_i % 10), label=g)
    ax.set_yticks(range(n_f), [_wrap(f, 24) for f in reversed(profile.functions)],
                  fontsize=LABEL_PT)
    ax.tick_params(axis="x", labelsize=LABEL_PT)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, n_f - 0.4)
    ax.set_xlabel(f"% rating {' or '.join(profile.points[:profile.positive or 2])}",
                  fontsize=LABEL_PT)
    # Below the axes, never over the bars.
    ax.legend(fontsize=LABEL_PT, loc="upper center",
              bbox_to_anchor=(0.5, -0.55 / fig.get_figheight() - 0.06),
              ncol=min(2, n_g), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def rates_png(table: Table, overall: float) -> bytes:
    """Response rate per group (the front page chart)."""
    rows = list(table.rows)
    fig = Figure(figsize=(6, 0.4 * len(rows) + 1.2))
    ax = fig.subplots()
    labels = ["All", *[r[0] for r in rows]]
    values = [100 * overall, *[100 * int(r[2]) / int(r[1]) if int(r[1]) else 0 for r in rows]]
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, values, color=["#37474f", *["#1f77b4"] * len(rows)])
    for y, v in zip(ys, values, strict=True):
        ax.text(v, y, f" {v:.0f}%", va="center", fontsize=9)
    ax.set_yticks(ys, [_wrap(x, 30) for x in labels], fontsize=8)
    ax.set_xlim(0, 115)
    ax.set_xlabel("% of invited partners who submitted")
    ax.set_title(table.title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def render_chart_png(report: Report) -> bytes:
    """A chart for the chat: response rate by partnership, or else a rating overview."""
    table = report.front.by_partnership
    if table.rows:
        return rates_png(table, report.front.rate)
    dists = []
    for s in report.sections:
        for b in s.blocks:
            if isinstance(b, Rating | Split):
                dists.append(b.distribution)
            elif isinstance(b, Ratings):
                dists += list(b.distributions)
    if dists:
        return stacked_png(dists[:12])
    return rates_png(report.front.by_sector, report.front.rate)
