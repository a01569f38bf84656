"""The overview each layout opens with, the palette rule, multi-choice shares of partners, and
the report as PDF (A4, numbered, with text) and Word (reopens, real headings)."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader

from storage.db import Database
from surveys.clock import ManualClock
from surveys.report import build_report, render_html, render_markdown
from surveys.report.charts import NEUTRAL, point_colours
from surveys.report.model import Distribution, Rating, Report
from surveys.report.overview import SINGLES
from surveys.report.pdf import render_pdf
from surveys.report.word import render_docx
from tests.surveys.test_report_fixtures import PEOPLE, load, make_round
from tests.surveys.test_report_layouts import CASES

A4_POINTS = (595.3, 841.9)


async def _report(db: Database, clock: ManualClock, template: str,
                  answers: list | None = None, anonymity: str = "named") -> Report:
    rid = await make_round(db, clock, template, anonymity, answers or CASES[template])
    return build_report(await load(db, rid))


def _table(report: Report, title: str):
    return next(t for t in report.overview.tables if t.title == title)


async def test_rated_overview_areas_strongest_and_weakest(db: Database,
                                                          clock: ManualClock) -> None:
    answers = [{"long-term-goals-1": "Very well", "long-term-goals-2": "Not at all well",
                "long-term-goals-3": "Well", "leading-the-lsp-1": "Not very well",
                "leading-the-lsp-2": "Very well", "leading-the-lsp-4": "Not at all well"}] * 3
    report = await _report(db, clock, "working-better-together", answers)
    areas = _table(report, "How each area does")
    rows = {r[0]: r for r in areas.rows}
    # long-term goals: 6 of 9 ratings favourable; leading the LSP: 3 of 9.
    assert rows["The LSP's long-term goals"][1:] == ("3", "9", "67%")
    assert rows["Leading the LSP and creating a culture of working together"][3] == "33%"
    strongest = _table(report, "Strongest questions")
    weakest = _table(report, "Weakest questions")
    assert [r[2] for r in strongest.rows] == ["100%"] * 3
    assert [r[2] for r in weakest.rows] == ["0%"] * 3
    # Short labels from the template, not 140-character prompts.
    assert "SCS reflects members' priorities" in [r[0] for r in strongest.rows]
    assert all(len(r[0]) <= 48 for r in (*strongest.rows, *weakest.rows))
    html = render_html(report)
    assert "How each area does" in html and "Contents" in html and "@page{size:A4" in html
    assert "Noto Color Emoji" in html


async def test_partnership_matrix_merges_small_groups(db: Database, clock: ManualClock) -> None:
    report = await _report(db, clock, "partnership-functions", anonymity="confidential")
    matrix = _table(report, "Partnerships side by side")
    assert matrix.columns[0] == "Dimension"
    assert matrix.rows[0][0] == "Top-down strategy"
    sizes = {p.partnership for p in PEOPLE[:6]}
    # Every column holds at least the minimum group, or is the merged "Other" column.
    for name in matrix.columns[1:]:
        assert name in sizes or name.startswith("Other")
    assert all(len(row) == len(matrix.columns) for row in matrix.rows)


async def test_themed_overview_has_one_line_per_question_or_cell(db: Database,
                                                                 clock: ManualClock) -> None:
    swot = await _report(db, clock, "swot")
    where = [w for w, _ in swot.overview.theme_lines]
    assert where == ["Strengths", "Weaknesses", "Opportunities", "Threats"]
    assert all(" (" in text or text == SINGLES for _, text in swot.overview.theme_lines)
    assert not swot.overview.tables or all("favourable" not in t.title.lower()
                                           for t in swot.overview.tables)
    framework = await _report(db, clock, "framework-review")
    lines = dict(framework.overview.theme_lines)
    assert "Barriers to achieving more" in lines
    assert framework.contents[-1] == "Who responded"
    md = render_markdown(framework)
    assert "**Themes raised most**" in md and "**Contents**" in md


async def test_observation_overview_compares_partnerships_per_dimension(
        db: Database, clock: ManualClock) -> None:
    report = await _report(db, clock, "meeting-observation")
    matrix = _table(report, "RAG matrix")
    assert matrix.columns[:3] == ("Partnership", "Structure", "Size and attendance")
    assert [r[0] for r in matrix.rows] == ["Northvale LSP", "Southmere LSP"]


def test_palette_only_ordered_scales_go_green_to_red() -> None:
    assert point_colours(["Business", "Council", "Police"], None, ordered=False) == [NEUTRAL] * 3
    scale = point_colours(["Very well", "Well", "Not very well", "Not at all well"], 2)
    assert scale[0].startswith("#1a7f37") and scale[-1] not in (NEUTRAL,)
    assert len(set(scale)) == 4


async def test_choice_questions_are_not_ordered_and_multi_shares_are_of_partners(
        db: Database, clock: ManualClock) -> None:
    answers = [{"role-sector": "Council", "learning-forms": ["Away days", "Forum"]},
               {"role-sector": "Police", "learning-forms": ["Away days"]},
               {"role-sector": "Business", "learning-forms": ["Away days"]}]
    report = await _report(db, clock, "framework-review", answers)
    dists = {b.distribution.key: b.distribution for s in report.sections for b in s.blocks
             if isinstance(b, Rating)}
    sector, multi = dists["role-sector"], dists["learning-forms"]
    assert not sector.ordered and multi.multi and not multi.ordered
    assert multi.total == 3 and sum(multi.counts) == 4
    assert multi.share(multi.counts[0]) == "100%"
    assert multi.share(multi.counts[2]) == "33%"
    # The demo's table read "Count 9 | 9 of 31 partners (29%)": the count once, its share.
    html = render_html(report)
    assert "<th>Partners</th><th>Share</th>" in html and "could tick several" in html
    assert '<td>Away days</td><td class="n">3</td><td class="n">100%</td>' in html
    assert "| Away days | 3 | 100% |" in render_markdown(report)


async def test_pdf_is_a4_numbered_with_text(db: Database, clock: ManualClock) -> None:
    report = await _report(db, clock, "working-better-together")
    pdf = PdfReader(io.BytesIO(render_pdf(report)))
    assert len(pdf.pages) > 3
    for page in pdf.pages:
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == A4_POINTS
    first = pdf.pages[0].extract_text()
    assert "Autumn review" in first and "How each area does" in first
    assert f"Page 1 of {len(pdf.pages)}" in first
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "The SCS reflects our priorities" in text or "SCS" in text


@pytest.mark.parametrize("template", ["swot", "working-better-together"])
async def test_docx_reopens_with_headings_tables_pictures(db: Database, clock: ManualClock,
                                                          template: str) -> None:
    report = await _report(db, clock, template)
    doc = docx.Document(io.BytesIO(render_docx(report)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")
                or p.style.name == "Title"]
    assert headings[0] == "Autumn review" and "Contents" in headings
    assert all(s.title in headings for s in report.sections)
    assert doc.tables
    assert doc.sections[0].page_width.mm == pytest.approx(210, abs=0.5)
    quotes = [p for p in doc.paragraphs if p.style.name == "Quote"]
    if template == "swot":
        assert quotes
    else:
        assert doc.inline_shapes  # charts as pictures


def test_distribution_share_of_a_single_choice_is_a_plain_percentage() -> None:
    d = Distribution("q", "Q", ("A", "B"), (1, 3))
    assert d.total == 4 and d.share(1) == "25%"


def test_pdf_never_spells_an_emoji_out() -> None:
    # The demo's PDF printed "It's too polite [speak-no-evil monkey]": a reader takes the
    # bracket for a transcriber's note. The emoji the font lacks is left out, the words kept.
    from surveys.report.model import ThemeItem, ThemeList
    from surveys.report.pdf import printable, themes

    assert printable("👍 Good chair") == "Good chair"
    assert printable("Great 👍🏽 work", names=True) == "Great work"
    assert printable("Right now it's too polite 🙊", names=True) == "Right now it's too polite"
    assert printable("heard, every year 🙂.", names=True) == "heard, every year."
    flows = themes(ThemeList("q", "Q", 2, (ThemeItem("👍 Strong chair", "chairing 👍", 2,
                                                     ("Strong chair 👍",)),)))
    texts = [getattr(f, "text", "") for f in flows]
    label = next(t for t in texts if "raised by" in t)
    assert "sign]" not in label and "Strong chair" in label
    assert "“Strong chair”" in texts


def test_a_quote_of_nothing_but_emoji_still_says_something() -> None:
    from surveys.report.pdf import printable

    assert printable("👍👍", names=True) == "[thumbs up sign] [thumbs up sign]"
    assert printable("👍") == ""


@pytest.mark.parametrize("parts", [16, 25])
async def test_pdf_contents_never_left_alone_on_a_nearly_empty_page(
        db: Database, clock: ManualClock, parts: int) -> None:
    from surveys.report.model import Section

    report = await _report(db, clock, "working-better-together")
    first = report.sections[0].title
    # Enough sections that the contents cannot share page 1 with the overview's tables.
    report.sections[1:1] = [Section(f"Part {n} of the long review") for n in range(parts)]
    last = f"Part {parts - 1} of the long review"
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(report))).pages]
    entries = (f"1. {first}", f"{parts + 1}. {last}")
    holding = [n for n, text in enumerate(pages) if any(e in text for e in entries)]
    assert len(holding) == 1 and all(e in pages[holding[0]] for e in entries), (
        "the contents on one page, not split across two")
    if parts < 20:   # moved to page 2, a short contents: the first section follows it there
        assert first in pages[1].split(entries[1])[-1]
