"""What the report says about its themes: the model behind them, sides of split questions."""

from __future__ import annotations

import io

import openpyxl

from storage.db import Database
from surveys.clock import ManualClock
from surveys.report import build_report, render_markdown, render_xlsx
from surveys.report.model import Report, Split, ThemeList
from surveys.themes import HashingEmbedder
from surveys.themes.phrases import occurs_in
from tests.surveys.test_report_fixtures import load, make_round
from tests.surveys.test_report_layouts import FRAMEWORK


async def test_a_fallback_model_is_named_in_the_footer(db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "framework-review", "named", FRAMEWORK)
    fallback = HashingEmbedder()
    fallback.fallback_note = "Themes were worked out with the fallback model hashing-1024."  # type: ignore[attr-defined]
    report = build_report(await load(db, rid), fallback)
    assert report.footnotes.count(fallback.fallback_note) == 1  # type: ignore[attr-defined]
    assert "fallback model hashing-1024" in render_markdown(report)
    normal = build_report(await load(db, rid), HashingEmbedder())
    assert not any("fallback" in n for n in normal.footnotes)


SELF_ASSESSMENT = [
    {"long-term-goals-1": ("Very well", "Priorities are evidence based and agreed")},
    {"long-term-goals-1": ("Well", "Priorities are evidence based, agreed by all partners")},
    {"long-term-goals-1": ("Not at all well", "Some priorities have no lead partner")},
    {"long-term-goals-1": ("Not very well", "No lead partner for half the priorities")},
]


async def test_a_self_assessments_comments_are_themed_a_side_at_a_time(
        db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "working-better-together", "named", SELF_ASSESSMENT)
    report = build_report(await load(db, rid))
    lists = [b for s in report.sections for b in s.blocks
             if isinstance(b, ThemeList) and b.key.startswith("long-term-goals-1.comment")]
    assert [tl.colour for tl in lists] == ["good", "bad"]
    good, bad = (" ".join(q for t in tl.themes for q in t.quotes) for tl in lists)
    assert "evidence based" in good and "lead partner" not in good
    assert "lead partner" in bad and "evidence based" not in bad
    assert lists[0].heading == ("SCS reflects members' priorities: comments from those "
                                "answering very well / well")
    assert sum(t.count for t in lists[0].themes) >= 2


async def test_an_effectiveness_sides_points_and_quotes_are_its_own(
        db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "framework-review", "named", FRAMEWORK)
    data = await load(db, rid)
    report = build_report(data)
    split = next(b for s in report.sections for b in s.blocks if isinstance(b, Split))
    answers = {side: [r.answers["thematic-connection-why"].value for r in data.respondents
                      if "thematic-connection-why" in r.answers
                      and (r.answers["thematic-connection"].value in (
                          ("Very effective", "Effective") if side == "good"
                          else ("Not very effective", "Very ineffective")))]
               for side in ("good", "bad")}
    for (_, tl), side in zip(split.sides, ("good", "bad"), strict=True):
        assert tl.colour == side
        for theme in tl.themes:
            assert len(theme.quotes) <= theme.count
            for quote in theme.quotes:
                assert any(quote in a for a in answers[side]), (side, quote)
            for point in (p for p in theme.points.split("; ") if p):
                assert any(occurs_in(point, a) for a in answers[side]), (side, point)


async def _two_questions_commented(db: Database, clock: ManualClock) -> Report:
    answers = [{**a, "long-term-goals-2": (rating, f"The LAA {text.lower()}")}
               for a, (rating, text) in zip(SELF_ASSESSMENT, (
                   ("Very well", "Targets match the strategy"),
                   ("Well", "Targets match the strategy's priorities"),
                   ("Very well", "Targets were chosen together"),
                   ("Well", "Targets were chosen by all partners")), strict=True)]
    rid = await make_round(db, clock, "working-better-together", "named", answers)
    return build_report(await load(db, rid))


async def test_no_two_comment_headings_in_a_section_read_alike(
        db: Database, clock: ManualClock) -> None:
    # The demo's self-assessment ran eight headings "Comments from those answering very
    # well / well" in one section, the question they belong to only in the grey line under.
    report = await _two_questions_commented(db, clock)
    headings = [[b.heading for b in s.blocks if isinstance(b, ThemeList) and b.heading]
                for s in report.sections]
    comments = [h for hs in headings for h in hs if "comments from those answering" in h]
    assert len(comments) >= 2
    assert all(len(set(hs)) == len(hs) for hs in headings), headings


async def test_the_workbook_names_each_question_once_by_its_short_label(
        db: Database, clock: ManualClock) -> None:
    # The Themes sheet gave a split's question as its whole prompt and the short label of
    # every other; the side of a self-assessment's comments repeats no question.
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(await _two_questions_commented(
        db, clock))))
    rows = list(book["Themes"].iter_rows(min_row=2, values_only=True))
    ours = [r for r in rows if r[1] == "SCS reflects members' priorities"]
    assert {r[2] for r in ours} == {"comments from those answering very well / well",
                                    "comments from those answering not very well / not at "
                                    "all well"}
    rid = await make_round(db, clock, "framework-review", "named", FRAMEWORK)
    report = build_report(await load(db, rid))
    split = next(b for s in report.sections for b in s.blocks if isinstance(b, Split))
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    questions = {r[1] for r in book["Themes"].iter_rows(min_row=2, values_only=True)}
    assert split.distribution.short in questions and split.title not in questions
