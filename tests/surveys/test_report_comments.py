"""A comment set with no theme (two or three comments that share nothing, all "Other points")
is listed comment by comment under its question in every format, as a person writing the
report would: no "Other points" heading, no "(raised by N)" over it. Its comments are the
round's cleaned texts, so a confidential round's names and signatures stay out, and each side
of a split question lists only its own side's comments. A set with a named theme is shown as
themes, "Other points" closing it, as before."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from storage.db import Database
from surveys.clock import ManualClock
from surveys.report import (
    RoundData,
    build_report,
    layouts,
    render_html,
    render_markdown,
    render_xlsx,
)
from surveys.report.layouts import Context, suggestion_list, theme_list
from surveys.report.model import Report, ThemeItem, just_comments
from surveys.report.pdf import render_pdf
from surveys.report.theming import side_key, side_sets, text_sets
from surveys.report.word import render_docx
from surveys.report.xlsx import LISTED
from surveys.templates import builtin_template
from surveys.themes import HashingEmbedder, ThemedQuestion
from surveys.themes.segment import is_non_answer
from surveys.themes.themed import OTHER_ID, OTHER_LABEL, Theme
from tests.surveys.test_report_fixtures import load, make_round

GOALS, TARGETS = "long-term-goals-1", "long-term-goals-2"
# Partners 1-4 of the fixture list: Zebediah Quarrington, Philippa Oyelaran (Oyelaran
# Housing Trust), Maximilian Thorsby, Griselda Vantongeren.
ANSWERS = [
    {GOALS: ("Very well", "The vision is clear and Zebediah Quarrington quotes it"),
     TARGETS: ("Well", "LAA targets map onto our priorities")},
    {GOALS: ("Well", "The last refresh was well consulted\n— Philippa, Oyelaran Housing Trust"),
     TARGETS: ("Very well", "LAA targets match the strategy")},
    {GOALS: ("Not very well", "SCS too broad to mean much")},
    {GOALS: ("Very well", "n/a")},
]
GOOD = ["The vision is clear and [name] quotes it", "The last refresh was well consulted"]
BAD = ["SCS too broad to mean much"]
NAMES = ["Zebediah", "Quarrington", "Philippa", "Oyelaran"]


def _themed(data: RoundData) -> dict[str, ThemedQuestion]:
    """What theming makes of such short sets, fixed here (not left to the model): every
    comment in "Other points" alone, except the targets comments, which share a theme."""
    sets = text_sets(data)
    sets.update(side_sets(data, sets))
    out = {}
    for key, ts in sets.items():
        if not ts.texts:
            continue
        said = tuple(n for n, t in enumerate(ts.texts) if not is_non_answer(t))
        if key.startswith(TARGETS):
            theme = Theme("laa-targets", "LAA targets", "", len(said),
                          tuple(ts.texts[n] for n in said), said, False, ("LAA targets",))
        else:
            theme = Theme(OTHER_ID, OTHER_LABEL, "", len(said),
                          tuple(ts.texts[n] for n in said[:3]), said, False)
        ids = [theme.id] if theme.id != OTHER_ID else [OTHER_ID]
        out[key] = ThemedQuestion([theme], [ids if n in said else [] for n in
                                            range(len(ts.texts))], 0, len(ts.texts) - len(said))
    return out


async def _report(db: Database, clock: ManualClock) -> Report:
    rid = await make_round(db, clock, "working-better-together", "confidential", ANSWERS)
    data = await load(db, rid)
    return build_report(data, HashingEmbedder(), _themed(data))


def _flat(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def _formats(report: Report) -> dict[str, str]:
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(report))).pages)
    doc = docx.Document(io.BytesIO(render_docx(report)))
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    themes = "\n".join(str(c) for row in book["Themes"].iter_rows(values_only=True)
                       for c in row if c is not None)
    return {"md": render_markdown(report).replace("\\", ""), "html": render_html(report),
            "pdf": pdf, "docx": "\n".join(p.text for p in doc.paragraphs),
            "xlsx themes": themes}


async def test_a_set_with_no_theme_lists_its_comments_in_every_format(
        db: Database, clock: ManualClock) -> None:
    report = await _report(db, clock)
    for fmt, text in _formats(report).items():
        flat = _flat(text)
        assert OTHER_LABEL not in flat, fmt
        for comment in GOOD + BAD:
            assert f"“{comment}”" in flat, (fmt, comment)
        for name in NAMES:  # a confidential round: names and the signature line are gone
            assert name not in flat, (fmt, name)
        # The named theme is shown as before, with its count.
        assert "LAA targets" in flat, fmt
        if fmt == "xlsx themes":
            assert LISTED in flat
        else:
            assert "(raised by 2)" in flat, fmt
            assert "raised by 1" not in flat and "raised by 3" not in flat, fmt
            # The "n/a" is not listed, only counted in a note.
            assert "1 other answer said nothing to list" in flat, fmt
            assert "“n/a”," in flat and "“n/a”" not in flat.replace("“n/a”,", ""), fmt


async def test_each_side_lists_only_its_own_comments(db: Database, clock: ManualClock) -> None:
    md = render_markdown(await _report(db, clock)).replace("\\", "")
    good = md.index("comments from those answering very well / well")
    bad = md.index("comments from those answering not very well / not at all well")
    targets = md.index("**LAA targets:**")  # the theme itself, not the overview's line
    assert good < bad < targets
    assert all(good < md.index(c) < bad for c in GOOD)
    assert bad < md.index(BAD[0]) < targets
    # A plain list right under the question: no theme bullet in bold.
    listed = md[good:bad]
    assert "**" not in listed and "- “The vision is clear and [name] quotes it”" in listed


async def test_the_rule_is_decided_in_the_layout(db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "working-better-together", "confidential", ANSWERS)
    data = await load(db, rid)
    sets = text_sets(data)
    sets.update(side_sets(data, sets))
    ctx = Context(data, sets, _themed(data), embedder=HashingEmbedder())
    goals = theme_list(ctx, side_key(GOALS + ".comment", "good"), "Goals")
    # Every comment that made a point, even past the three quotes a theme shows, in the
    # order of what they say (the partners' order would line up one partner's comments
    # across two sets); "n/a" only counted.
    assert GOOD != sorted(GOOD, key=str.casefold)
    assert goals.listed and goals.comments == tuple(sorted(GOOD, key=str.casefold))
    assert goals.unthemed == 1
    assert [t.label for t in goals.themes] == [OTHER_LABEL]  # still there for what counts
    targets = theme_list(ctx, side_key(TARGETS + ".comment", "good"), "Targets")
    assert not targets.listed and targets.comments == ()

    assert just_comments((ThemeItem(OTHER_LABEL, "", 3),))
    assert not just_comments((ThemeItem("Funding", "", 2), ThemeItem(OTHER_LABEL, "", 1)))
    assert not just_comments(())


async def test_suggestions_with_no_theme_keep_their_letters(
        db: Database, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many suggestions are grouped into themes on the page; when no theme is found among
    them, the page keeps the lettered list rather than listing them again as comments."""
    monkeypatch.setattr(layouts, "THEME_ABOVE", 3)  # four suggestions count as many here
    q = builtin_template("working-better-together").question("long-term-goals-actions")
    wanted = ["Hold an annual away day", "Publish the board papers a week ahead",
              "Invite the youth council to a meeting", "Share one risk register"]
    rid = await make_round(db, clock, "working-better-together", "confidential",
                           [{q.id: w} for w in wanted])
    data = await load(db, rid)
    sets = text_sets(data)
    n = len(sets[q.id].texts)
    other = Theme(OTHER_ID, OTHER_LABEL, "", n, (), tuple(range(n)), False)
    named = Theme("board-papers", "Board papers", "", 2, (), (0, 1), False)
    ctx = Context(data, sets, {q.id: ThemedQuestion([other], [[OTHER_ID]] * n, n, 0)},
                  embedder=HashingEmbedder())
    found = suggestion_list(ctx, q)
    assert len(found.items) == len(wanted) and found.themes is None
    ctx.themed[q.id] = ThemedQuestion([named, replace(other, count=2, answer_indexes=(2, 3))],
                                      [["board-papers"]] * 2 + [[OTHER_ID]] * 2, 2, 0)
    themes = suggestion_list(ctx, q).themes
    assert themes is not None and [t.label for t in themes.themes] == ["Board papers",
                                                                        OTHER_LABEL]


async def test_listed_comments_look_like_quotes_under_the_question(
        db: Database, clock: ManualClock) -> None:
    """Word: each comment in the Quote style, right after the "2 answers" note (no theme
    bullet before it); HTML: one quotes list of the comments, not a themes list."""
    report = await _report(db, clock)
    paragraphs = docx.Document(io.BytesIO(render_docx(report))).paragraphs
    listed_first, listed_second = sorted(GOOD, key=str.casefold)
    first = next(n for n, p in enumerate(paragraphs) if p.text == f"“{listed_first}”")
    assert [p.style.name for p in paragraphs[first:first + 2]] == ["Quote", "Quote"]
    assert paragraphs[first + 1].text == f"“{listed_second}”"
    assert paragraphs[first - 1].text == "3 answers"  # two comments and the "n/a"
    assert paragraphs[first - 1].style.name != "List Bullet"
    html = render_html(report)
    listed = html[html.index('<ul class="quotes comments">'):]
    ends = listed.index("</ul>")
    assert listed.index(listed_second) < ends < listed.index("said nothing to list")
