"""Suggested actions as a person writing up a self-assessment lists them (seed 004): each
distinct proposal worded as an action, near-duplicates merged and counted, nothing-to-suggest
answers left out with a count, the same in every format, and offered to the board as such."""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from types import SimpleNamespace

import docx
import openpyxl
from pypdf import PdfReader

from storage.db import Database
from storage.records import PartnerRow
from surveys.action_screens import (
    SuggestedAction,
    Suggestion,
    suggestion_screen,
    suggestions,
)
from surveys.clock import ManualClock
from surveys.report import build_report, render_html, render_markdown, render_xlsx
from surveys.report.model import SuggestionList
from surveys.report.pdf import render_pdf
from surveys.report.word import render_docx
from surveys.suggestions import THEME_ABOVE, gather_proposals, proposes_nothing
from surveys.templates import builtin_template
from surveys.themes import HashingEmbedder, default_embedder
from tests.surveys.test_report_fixtures import load, make_round

# Two ways of making the same proposal, and two proposals that only sound alike (the two
# closest different proposals of the demo's answer pools, bench/suggestion_pairs.py).
SAME = ("Identify which mainstream budgets the LSP can genuinely influence.",
        "Identify the budgets the LSP can actually influence.")
ALIKE = ("A shared IT platform for partner reports.",
         "A shared system would be nice but it's unaffordable for us. Start with agreeing "
         "what goes in each partner's report and when.")
NOTHING = ("-", "n/a", "Not sure - happy with it as it is", "happy as it is",
           "no suggestions", "not sure what this means in practice")


def test_the_same_proposal_in_other_words_is_one_suggestion_and_alike_ones_stay_apart() -> None:
    found = gather_proposals([*SAME, *ALIKE, SAME[1]], default_embedder())
    counts = {p.wording: p.count for p in found.proposals}
    # Worded by the first of its answers' sentences that reads as an action.
    assert counts == {"Identify which mainstream budgets the LSP can genuinely influence": 3,
                      "Introduce a shared IT platform for partner reports": 1,
                      "Start with agreeing what goes in each partner's report and when": 1}
    merged = found.proposals[0]
    assert merged.answers == (0, 1, 4)          # which answers it came from
    assert set(merged.words) == set(SAME)       # each set of words once


def test_answers_that_suggest_nothing_are_left_out_and_counted() -> None:
    assert all(proposes_nothing(t) for t in NOTHING)
    # A proposal that opens with doubt is still a proposal.
    assert not proposes_nothing("Not sure more networking is needed - we need delivery")
    found = gather_proposals([*NOTHING, "Shorter papers - four pages max."], default_embedder())
    assert found.left_out == len(NOTHING)
    assert [p.wording for p in found.proposals] == ["Aim for shorter papers - four pages max"]


def test_most_suggested_first_then_by_wording() -> None:
    texts = ["Open election for the chair.", "A youth council rep on the board.",
             "Open election for the chair", "an annual public meeting"]
    found = gather_proposals(texts, HashingEmbedder())
    assert [(p.wording, p.count) for p in found.proposals] == [
        ("Open election for the chair", 2), ("Introduce a youth council rep on the board", 1),
        ("Introduce an annual public meeting", 1)]


# Three partners suggest the same action in their own words, one names a partner, one has
# nothing to suggest, and two make other proposals.
ACTIONS = [
    "Refresh the community strategy every three years.",
    "Refresh the strategy every three years so it stays current.",
    "Refresh the community strategy every three years, as Philippa Oyelaran said.",
    "Not sure - happy with it as it is",
    "Publish the evidence base online so everyone's working from the same figures.",
    "A single shared dashboard 📊",
]


def _answers(texts: list[str]) -> list[dict[str, object]]:
    return [{"long-term-goals-1": "Well", "long-term-goals-actions": t} for t in texts]


def _texts(report_bytes: dict[str, bytes | str]) -> dict[str, str]:
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        report_bytes["pdf"])).pages)  # type: ignore[arg-type]
    doc = docx.Document(io.BytesIO(report_bytes["docx"]))  # type: ignore[arg-type]
    book = openpyxl.load_workbook(io.BytesIO(report_bytes["xlsx"]))  # type: ignore[arg-type]
    sheet = "\n".join(" | ".join(str(c) for c in row if c is not None)
                      for row in book["Suggestions"].iter_rows(values_only=True))
    out = {"html": html.unescape(re.sub(r"<[^>]+>", " ", str(report_bytes["html"]))),
           "md": str(report_bytes["md"]).replace("**", ""), "pdf": pdf,
           "docx": "\n".join(p.text for p in doc.paragraphs), "xlsx": sheet}
    return {k: " ".join(v.replace("\\", "").split()) for k, v in out.items()}


async def test_a_confidential_round_lists_each_suggestion_redacted_in_every_format(
        db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "working-better-together", "confidential",
                           _answers(ACTIONS))
    report = build_report(await load(db, rid))
    [area] = [b for s in report.sections for b in s.blocks
              if isinstance(b, SuggestionList) and b.items]
    assert [(i.wording, i.count) for i in area.items] == [
        ("Refresh the community strategy every three years", 3),
        ("Introduce a single shared dashboard", 1),
        ("Publish the evidence base online so everyone's working from the same figures", 1)]
    assert area.left_out == 1 and area.themes is None and area.answered == len(ACTIONS)
    # The first page names the actions suggested by two or more, by area.
    [most] = [t for t in report.overview.tables if t.title == "Actions suggested most"]
    assert most.rows == (("The LSP's long-term goals",
                          "Refresh the community strategy every three years", "3"),)
    # The partners' own words where they say more than the wording, the name redacted.
    assert "Refresh the community strategy every three years, as [name] said." in (
        area.items[0].words)
    texts = _texts({"html": render_html(report), "md": render_markdown(report),
                    "pdf": render_pdf(report), "docx": render_docx(report),
                    "xlsx": render_xlsx(report)})
    for fmt, text in texts.items():
        assert "Oyelaran" not in text and "Philippa" not in text, fmt
        assert "Refresh the community strategy every three years" in text, fmt
        assert "Introduce a single shared dashboard" in text, fmt
        if fmt != "xlsx":
            assert "a) Refresh the community strategy every three years (suggested by 3)" in (
                text), fmt
            assert ("1 answer suggests no action (\"not sure\", \"happy as it is\", \"n/a\" "
                    "and the like) and is left out.") in text, fmt
            assert "raised by" not in text.split("Suggested actions", 1)[1][:400], fmt
            # One proposer is no count: "(suggested by 1)" on line after line is noise.
            assert "(suggested by 1)" not in text, fmt


async def test_when_each_suggestion_has_one_proposer_the_intro_says_so_once(
        db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "working-better-together", "named", _answers([
        "Rotate the chair between partners every two years.",
        "Hold one board meeting a year in a village hall.",
        "Send papers a full week before each meeting."]))
    report = build_report(await load(db, rid))
    [area] = [b for s in report.sections for b in s.blocks
              if isinstance(b, SuggestionList) and b.items]
    assert [i.count for i in area.items] == [1, 1, 1]
    texts = _texts({"html": render_html(report), "md": render_markdown(report),
                    "pdf": render_pdf(report), "docx": render_docx(report),
                    "xlsx": render_xlsx(report)})
    for fmt, text in texts.items():
        if fmt != "xlsx":  # the workbook's Suggestions sheet has its count column
            assert "3 answers: 3 distinct suggestions, each suggested once." in text, fmt
            assert "suggested by" not in text and "most suggested first" not in text, fmt


async def test_many_suggestions_are_themed_on_the_page_and_all_kept_for_the_board(
        db: Database, clock: ManualClock) -> None:
    people = tuple(PartnerRow(f"Partner {chr(65 + n // 26)}{chr(65 + n % 26)}",
                              f"Organisation {n}", "Council", "Northvale LSP", "member")
                   for n in range(THEME_ABOVE + 3))
    texts = [f"Set up a working group on topic number {n} with its own budget line {n * 7}"
             for n in range(len(people))]
    rid = await make_round(db, clock, "working-better-together", "named", _answers(texts),
                           people=people)
    report = build_report(await load(db, rid), HashingEmbedder())
    [area] = [b for s in report.sections for b in s.blocks
              if isinstance(b, SuggestionList) and b.items]
    assert len(area.items) == len(texts) > THEME_ABOVE and area.themes is not None
    assert "grouped into themes here" in render_markdown(report)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))["Suggestions"]
    assert sheet.max_row == len(texts) + 1
    # /actions offers every suggestion (its own wording), never a theme's label.
    [offered] = suggestions(report, builtin_template("working-better-together"))
    assert [o.wording for o in offered.offered] == [i.wording for i in area.items]
    assert all(o.wording.startswith("Set up a working group") for o in offered.offered)


async def test_actions_offers_the_suggestions_with_the_answers_they_came_from(
        db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "working-better-together", "named", _answers(ACTIONS))
    data = await load(db, rid)
    report = build_report(data)
    [area] = suggestions(report, builtin_template("working-better-together"))
    assert area.area_id == "long-term-goals" and area.question_id == "long-term-goals-actions"
    assert area.number == 1   # the area's number, as `actions add --from-suggestion 1:a` takes it
    first = area.offered[0]
    assert first.count == 3
    said = {r.response_id: r.answers["long-term-goals-actions"].value
            for r in data.respondents}
    assert sorted(said[s] for s in first.sources) == sorted(ACTIONS[:3])
    screen = suggestion_screen(replace(data.round, title="Autumn"), [area])
    assert "a) Refresh the community strategy every three years (suggested by 3)" in (
        screen.text)
    assert "(from" not in screen.text
    assert screen.buttons[0][0]["label"] == "a) Refresh the community…"


def test_the_suggestions_screen_fits_one_message_with_every_area() -> None:
    q = builtin_template("working-better-together")
    areas = [s for s in q.sections if any(x.tag == "actions" for x in s.questions)]
    long = ("Ask every partner to set out, in its own business plan and in plain words, "
            "how it contributes to the strategy, number {n}")
    found = [Suggestion(s.id, s.title, f"{s.id}-actions", tuple(
        SuggestedAction(long.format(n=n), 12 - n) for n in range(12)), number)
        for number, s in enumerate(areas, start=1)]
    rnd = SimpleNamespace(id=2, title="Fareham LSP self-assessment")
    screen = suggestion_screen(rnd, found)  # type: ignore[arg-type]
    assert len(screen.text) <= 4000 < sum(len(t.wording) for s in found for t in s.offered)
    for s in found:   # every area, its most suggested first
        assert s.area_title in screen.text
        shown = [b for row in screen.buttons for b in row
                 if b["data"].startswith(f"ac:pick:2:{s.number}:")]
        assert shown and shown[0]["data"].startswith(f"ac:pick:2:{s.number}:0:")
        assert f"…and {12 - len(shown)} more: tap “More: " in screen.text
    # Each area's further suggestions are a tap away (tests/surveys/test_suggestion_pages.py).
    assert [b["data"] for row in screen.buttons for b in row if b["label"].startswith(
        "More: ")] == [f"ac:more:2:{s.number}:1" for s in found]
    assert len(screen.buttons) <= 60


def test_an_answer_that_only_doubts_a_need_is_a_view_not_an_action() -> None:
    # The demo's round 2 lettered "i) Not sure more networking is needed - we need delivery"
    # among the actions: a view no board could agree and assign.
    views = ["Not sure more networking is needed - we need delivery",
             "I don't think another sub-group is needed", "No need for more meetings"]
    stays = ["Not sure a new forum is needed. Use the existing theme groups instead.",
             "Secondments between organisations"]
    found = gather_proposals([*views, *stays, "n/a"], HashingEmbedder())
    assert found.views == tuple(sorted(views, key=str.casefold))
    assert sorted(p.wording for p in found.proposals) == [
        "Secondments between organisations", "Use the existing theme groups instead"]
    assert found.left_out == 1


async def test_a_view_is_said_after_the_list_unlettered_in_every_format(
        db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "working-better-together", "named", _answers([
        "Rotate the chair between partners every two years.",
        "Not sure more networking is needed - we need delivery"]))
    report = build_report(await load(db, rid))
    [area] = [b for s in report.sections for b in s.blocks
              if isinstance(b, SuggestionList) and b.items]
    assert [i.wording for i in area.items] == [
        "Rotate the chair between partners every two years"]
    texts = _texts({"html": render_html(report), "md": render_markdown(report),
                    "pdf": render_pdf(report), "docx": render_docx(report),
                    "xlsx": render_xlsx(report)})
    assert "Not sure" not in texts.pop("xlsx")   # the Suggestions sheet: actions only
    for fmt, text in texts.items():
        assert "2 answers: one suggestion." in text, fmt
        assert ("Also said, a view rather than an action: “Not sure more networking is "
                "needed - we need delivery”") in text, fmt
        assert "b) Not sure" not in text, fmt
