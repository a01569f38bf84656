"""This year against last: % favourable per rated question and per area, and how themes moved.

Only aggregates of the two reports are compared (distributions and theme counts), never a
respondent's answers, so anonymity holds; a question either round had too few answers to
show in a private round is listed without its figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from surveys.model import DONT_KNOW, Questionnaire
from surveys.plural import count
from surveys.report.model import (
    Block,
    Distribution,
    Grid,
    Rating,
    Ratings,
    Report,
    Section,
    Split,
    SuggestionList,
    Table,
    ThemeItem,
    ThemeList,
)

STEADY_POINTS = 1.0      # a change in % favourable under one point is no change
THEME_SHIFT = 0.10       # a theme grown or shrunk by ten points of the answers
SUGGESTED_BY_MIN = 2     # a suggested action compared once two or more suggested it
SUGGESTED = "Suggested actions"


@dataclass(frozen=True)
class Favourable:
    """How many gave a favourable rating, of those who gave one (Don't know left out)."""

    favourable: int
    rated: int

    @property
    def share(self) -> float:
        """Favourable as a share of rated (0 when nobody rated)."""
        return self.favourable / self.rated if self.rated else 0.0

    def __add__(self, other: Favourable) -> Favourable:
        return Favourable(self.favourable + other.favourable, self.rated + other.rated)


def favourable(d: Distribution) -> Favourable | None:
    """The favourable count of a distribution whose scale says which points are favourable."""
    if d.positive is None:
        return None
    rated = [(p, c) for p, c in zip(d.points, d.counts, strict=True) if p != DONT_KNOW]
    return Favourable(sum(c for _, c in rated[:d.positive]), sum(c for _, c in rated))


def distributions(report: Report) -> dict[str, Distribution]:
    """Every whole-round distribution of a report, by question id."""
    out: dict[str, Distribution] = {}
    for section in report.sections:
        for b in section.blocks:
            if isinstance(b, Ratings):
                out.update({d.key: d for d in b.distributions})
            elif isinstance(b, Rating | Split):
                out[b.distribution.key] = b.distribution
            elif isinstance(b, Distribution):
                out[b.key] = b
    return out


def theme_lists(report: Report) -> dict[str, ThemeList]:
    """Every whole-round theme list of a report, by text set (a split's halves left out;
    an area's suggested actions as a list headed `SUGGESTED`)."""
    out: dict[str, ThemeList] = {}

    def walk() -> Iterator[ThemeList]:
        for section in report.sections:
            for b in section.blocks:
                if isinstance(b, ThemeList):
                    yield b
                elif isinstance(b, Rating) and b.comments is not None:
                    yield b.comments
                elif isinstance(b, Grid):
                    yield from b.cells
                elif isinstance(b, SuggestionList):
                    # A suggested action is compared as a theme is, matched by its wording.
                    yield ThemeList(b.key, b.title, b.answered, tuple(
                        ThemeItem(i.wording, "", i.count) for i in b.items),
                        heading=SUGGESTED)
    for tl in walk():
        out.setdefault(tl.key, tl)
    return out


def whole_percent(share: float) -> int:
    """A share as the whole percentage printed beside it (the same rounding as "68%")."""
    return int(f"{100 * share:.0f}")


def arrow(before: float, after: float) -> str:
    """"▲ +12 pts", "▼ −8 pts" or "► no change", from two shares: the difference of the
    percentages as printed, so "68% → 92%" reads "+24", never the unrounded +25."""
    points = whole_percent(after) - whole_percent(before)
    if abs(points) < STEADY_POINTS:
        return "► no change"
    unit = "pt" if abs(points) == 1 else "pts"
    return f"▲ +{points} {unit}" if points > 0 else f"▼ −{-points} {unit}"


def _pct(f: Favourable) -> str:
    return f"{whole_percent(f.share)}% ({f.favourable} of {f.rated})"


def _shown(f: Favourable | None, floor: int) -> bool:
    return f is not None and f.rated >= max(1, floor)


def compare_reports(this: Report, last: Report, q: Questionnaire, last_title: str, *,
                    min_group_size: int = 3, private: bool = True) -> Section:
    """The "since the last review" section: areas, questions and themes, changes with arrows."""
    floor = min_group_size if private else 1
    now_d, then_d = distributions(this), distributions(last)
    area_rows, question_rows = [], []
    hidden = 0
    for s in q.sections:
        pooled_now, pooled_then = Favourable(0, 0), Favourable(0, 0)
        for question in s.questions:
            if question.id not in now_d or question.id not in then_d:
                continue
            a, b = favourable(then_d[question.id]), favourable(now_d[question.id])
            if a is None or b is None or not (a.rated or b.rated):
                continue
            pooled_then, pooled_now = pooled_then + a, pooled_now + b
            if _shown(a, floor) and _shown(b, floor):
                question_rows.append((s.title, question.prompt, _pct(a), _pct(b),
                                      arrow(a.share, b.share)))
            else:
                hidden += 1
                question_rows.append((s.title, question.prompt, "–", "–", "too few answers"))
        if pooled_now.rated or pooled_then.rated:
            if _shown(pooled_then, floor) and _shown(pooled_now, floor):
                area_rows.append((s.title, _pct(pooled_then), _pct(pooled_now),
                                  arrow(pooled_then.share, pooled_now.share)))
            else:
                area_rows.append((s.title, "–", "–", "too few answers"))
    blocks: list[Block] = []
    if area_rows:
        blocks.append(Table("Favourable ratings by area", ("Area", "Last review", "This review",
                                                            "Change"), tuple(area_rows),
                            sheet="Change by area"))
    if question_rows:
        note = (f"{count(hidden, 'question')} had fewer than {floor} ratings in one of the "
                "reviews; their figures are not shown." if hidden else "")
        blocks.append(Table("Favourable ratings by question", ("Area", "Question",
                                                                "Last review", "This review",
                                                                "Change"),
                            tuple(question_rows), note=note, sheet="Change by question"))
    theme_rows = theme_changes(this, last, q)
    if theme_rows:
        blocks.append(Table("Themes new, grown, shrunk and gone", (
            "Question", "Theme", "Last review", "This review", "Change"), tuple(theme_rows),
            sheet="Theme changes"))
    intro = (f"Compared with {last_title}. Favourable means the top points of each scale "
             "(\"Very well\" and \"Well\", say); \"Don't know\" is left out. Only totals of "
             "the two reviews are compared, never one person's answers.")
    return Section("Since the last review", blocks, intro)


def theme_changes(this: Report, last: Report, q: Questionnaire
                  ) -> list[tuple[str, str, str, str, str]]:
    """Themes that are new, grown, shrunk or gone, per question, matched by their label."""
    now_t, then_t = theme_lists(this), theme_lists(last)
    prompts = {x.id: x.prompt for x in q.questions}
    rows = []
    for key in [*now_t, *(k for k in then_t if k not in now_t)]:
        now_l, then_l = now_t.get(key), then_t.get(key)
        base = key.split(".")[0]
        title = prompts.get(base, key) + (" (comments)" if key.endswith(".comment") else "")
        now_by = {t.label.casefold(): t for t in (now_l.themes if now_l else ()) if t.is_theme}
        then_by = {t.label.casefold(): t for t in (then_l.themes if then_l else ())
                   if t.is_theme}
        now_n, then_n = (now_l.answered if now_l else 0), (then_l.answered if then_l else 0)
        # One partner's suggestion, either year, is no change to report.
        floor = SUGGESTED_BY_MIN if SUGGESTED in (
            (now_l.heading if now_l else ""), (then_l.heading if then_l else "")) else 1
        for label in [*now_by, *(k for k in then_by if k not in now_by)]:
            a, b = then_by.get(label), now_by.get(label)
            if max(a.count if a else 0, b.count if b else 0) < floor:
                continue
            before = f"{a.count} of {then_n}" if a else "–"
            after = f"{b.count} of {now_n}" if b else "–"
            if a is None:
                change = "new"
            elif b is None:
                change = "gone"
            else:
                shift = (b.count / now_n if now_n else 0) - (a.count / then_n if then_n else 0)
                if abs(shift) < THEME_SHIFT:
                    continue
                change = "grown" if shift > 0 else "shrunk"
            rows.append((title, (b or a).label, before, after, change))  # type: ignore[union-attr]
    return rows
