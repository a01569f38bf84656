"""Anonymity in every format: no names, no organisations, no small groups, no signatures."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import openpyxl
import pytest

from storage.db import Database
from surveys.clock import ManualClock
from surveys.report import build_report, render_html, render_markdown, render_xlsx
from surveys.report.privacy import clean_text, redactor, strip_signature
from tests.surveys.test_report_fixtures import PEOPLE, load, make_round

SMALL_GROUP = "Eastholm LSP"  # the last two of PEOPLE: a group of 2


def _answers() -> list[dict[str, Any]]:
    """Eight responses; some sign off, some name a colleague or their organisation."""
    out = []
    for n, p in enumerate(PEOPLE):
        first = p.name.split()[0]
        out.append({
            "top-down-strategy": (["Strongly", "Moderately", "Weakly"][n % 3],
                                  f"Evidence led at county level.\n— {first}, {p.organisation}"),
            "bottom-up-strategy": ("Weakly", f"Local voices are not heard.\nRegards,\n{first}"),
            "theme-coordination": ("Moderately", f"Ask {p.name} at {p.organisation} about it, "
                                   f"or mail {first.lower()}@example.org / 07700 900{n:03d}"),
            "programme-management": "Weakly", "project-management": "Strongly",
            "tasking": "Not at all",
        })
    return out


def _all_text(report: Any) -> dict[str, str]:
    book = zipfile.ZipFile(io.BytesIO(render_xlsx(report)))
    xml = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
    return {"html": render_html(report), "md": render_markdown(report), "xlsx": xml}


@pytest.mark.parametrize("anonymity", ["confidential", "anonymous"])
async def test_no_names_organisations_or_small_groups_in_any_format(
        db: Database, clock: ManualClock, anonymity: str) -> None:
    rid = await make_round(db, clock, "partnership-functions", anonymity, _answers())
    report = build_report(await load(db, rid, min_group_size=3))
    for fmt, text in _all_text(report).items():
        lowered = text.lower()
        for p in PEOPLE:
            assert p.name.lower() not in lowered, (fmt, p.name)
            assert p.organisation.lower() not in lowered, (fmt, p.organisation)
            for part in p.name.split():
                assert part.lower() not in lowered, (fmt, part)
        assert "@example.org" not in text and "07700" not in text, fmt
        assert SMALL_GROUP not in text, fmt
        assert "Other (groups under 3)" not in text or "fewer than 3" in text, fmt
    assert SMALL_GROUP not in " ".join(report.front.by_partnership.rows[i][0]
                                       for i in range(len(report.front.by_partnership.rows)))
    assert any("fewer than 3" in n for n in report.footnotes)


async def test_a_group_of_two_is_merged_or_suppressed(db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "meeting-observation", "confidential",
                           [{"structure": ("Green", "clear"), "size-count": 12}] * 8)
    report = build_report(await load(db, rid, min_group_size=3))
    groups = [row[0] for s in report.sections for b in s.blocks
              if hasattr(b, "rows") and b.columns[0] == "Partnership" for row in b.rows]
    groups += [row[0] for row in report.front.by_partnership.rows]
    assert groups and SMALL_GROUP not in groups
    # Two alone cannot be shown even as "Other", and left out they would be the total less
    # the rows: the smallest other partnership (Northvale, three) joins them, and a note
    # says so.
    assert "Southmere LSP" in groups and "Other (groups under 3)" in groups
    assert "Northvale LSP" not in groups
    rows = report.front.by_partnership.rows
    assert sum(int(r[1]) for r in rows) == report.front.invited
    assert any("Northvale LSP is counted there too, though not under 3" in n
               for n in report.footnotes)


async def test_named_round_names_only_in_the_raw_sheet(db: Database, clock: ManualClock) -> None:
    answers = [{"strengths": "Strong local knowledge", "threats": "Funding cuts"}] * 3
    rid = await make_round(db, clock, "swot", "named", answers)
    report = build_report(await load(db, rid))
    for text in (render_html(report), render_markdown(report)):
        assert PEOPLE[0].name not in text and PEOPLE[0].organisation not in text
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    raw = [c for row in book["Answers"].iter_rows(values_only=True) for c in row]
    assert PEOPLE[0].name in raw and PEOPLE[0].organisation in raw
    others = [c for name in book.sheetnames if name != "Answers"
              for row in book[name].iter_rows(values_only=True) for c in row]
    assert PEOPLE[0].name not in others


async def test_signature_is_stripped_from_quotes(db: Database, clock: ManualClock) -> None:
    answers = [{"worked-well": "Partners were forced to work together.\n— Jane, Police"},
               {"worked-well": "Partners finally work together. Regards, Tom"},
               {"worked-well": "Working together has improved\n\nKind regards,\nSam Smith\n"
                               "sam.smith@example.org"}]
    rid = await make_round(db, clock, "rag-feedback", "anonymous", answers)
    report = build_report(await load(db, rid))
    for text in _all_text(report).values():
        for signature in ("Jane", "Police", "Regards", "Tom", "Sam Smith", "example.org"):
            assert signature not in text


@pytest.mark.parametrize(("text", "expected"), [
    ("Good links.\n— Jane, Police", "Good links."),
    ("Good links — Jane, Police", "Good links"),
    ("Good links.\nRegards,\nTom", "Good links."),
    ("Good links. Regards, Tom", "Good links."),
    ("Good links.\nCheers\nTom Jones\ntom@example.org\n07700 900123", "Good links."),
    ("Council led - some confusion for the public", "Council led - some confusion for the public"),
    ("Thanks to the chair, meetings are shorter", "Thanks to the chair, meetings are shorter"),
])
def test_strip_signature(text: str, expected: str) -> None:
    assert strip_signature(text) == expected


def test_clean_text_removes_contacts() -> None:
    assert clean_text("call 01234 567890 or a@b.org", None) == "call [removed] or [removed]"


def test_name_parts_that_are_everyday_words_need_a_title_or_their_name_beside_them() -> None:
    pattern = redactor(["Amber Green", "Will Grant", "Dave Okafor"], ["Age UK Fareham"])
    text = ("amber for the funding bid, we will apply for a grant. "
            "Will said Amber Green and dave chaired it; Age UK Fareham hosted. Green light.")
    # "Will said" is a person speaking (untitled_names), whoever Will is.
    assert clean_text(text, pattern) == (
        "amber for the funding bid, we will apply for a grant. "
        "[name] said [name] and [name] chaired it; [name] hosted. Green light.")


@pytest.mark.parametrize(("text", "kept"), [
    ("Green for the LAA, amber for the hub.", "Green for the LAA, amber for the hub."),
    ("We met at the Town Hall.", "We met at the Town Hall."),
    ("Bring the safety kit.", "Bring the safety kit."),
    ("The chair read from a script.", "The chair read from a script."),
    ("Cllr Green chaired; Ms Hall and Kit Script spoke.",
     "Cllr [name] chaired; Ms [name] and [name] spoke."),
    ("Green, Amber and Sam Hall", "Green, Amber and [name]"),
])
def test_everyday_words_survive_redaction(text: str, kept: str) -> None:
    pattern = redactor(["Jo Green", "Sam Hall", "Kit Script", "Amber Town"], [])
    assert clean_text(text, pattern) == kept


def test_a_whole_name_is_redacted_in_any_case() -> None:
    pattern = redactor(["Rose", "Will Grant"], [])
    assert clean_text("rose and will grant were there", pattern) == "[name] and [name] were there"


@pytest.mark.parametrize("anonymity", ["confidential", "anonymous"])
async def test_private_workbook_links_no_answers_across_questions(
        db: Database, clock: ManualClock, anonymity: str) -> None:
    answers = [{"strengths": f"Strength {n}", "threats": f"Threat {9 - n}"} for n in range(4)]
    rid = await make_round(db, clock, "swot", anonymity, answers)
    report = build_report(await load(db, rid))
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    sheet = book["Answers"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "sector"
    assert not {"respondent", "ballot", "organisation"} & set(rows[0])
    cells = [str(c) for row in rows for c in row]
    assert not any(re.fullmatch(r"R-\d{6}|Ballot \d+", c) for c in cells)
    # Sorted by answer within a question: the first strength no longer sits with its
    # writer's threat.
    answer = rows[0].index("answer")
    threats = [r[answer] for r in rows[1:] if r[rows[0].index("question_id")] == "threats"]
    assert threats == sorted(threats)
    assert any("cannot be put together" in n for n in report.footnotes)
    assert "cannot be put together" in render_html(report)


@pytest.mark.parametrize(("text", "cleaned"), [
    ("Cllr Jones never turns up.", "Cllr [name] never turns up."),
    ("Dr. Patel and Insp Hughes met.", "Dr. [name] and Insp [name] met."),
    ("PC Ali Khan was great; Chief Inspector Morris chaired.",
     "PC [name] was great; Chief Inspector [name] chaired."),
    ("Mrs Brown's group and DCI O'Neill", "Mrs [name]'s group and DCI [name]"),
    ("Miss Okafor chaired.", "Miss [name] chaired."),
    ("cllr Smith agreed, ask dr. Evans", "cllr [name] agreed, ask dr. [name]"),
    ("Cllr Smith LAA lead", "Cllr [name] LAA lead"),
])
def test_a_titled_name_goes_whether_or_not_on_the_partner_list(text: str, cleaned: str) -> None:
    # Nobody here is on the list: an answer may name an officer who was never invited.
    assert clean_text(text, redactor(["Sam Hall"], [])) == cleaned
    assert clean_text(text, None) == cleaned


@pytest.mark.parametrize("text", [
    "The Lord Mayor came, and the Chief Executive said so.",
    "Mr Chairman, the LAA is late.",
    "We met on MS Teams; Lady luck was with us. We miss Sure Start.",
    "The cllr said no; we bought a pc for the hub.",
    "Cheshire East DC Planning and the Inspector's view.",
    "Cllr attendance at the community safety group is excellent; cllr support too.",
    "The Councillor Briefing and the Member Champions Forum.",
])
def test_titles_without_a_name_and_look_alikes_are_kept(text: str) -> None:
    assert clean_text(text, None) == text


@pytest.mark.parametrize(("text", "cleaned"), [
    ("We spoke to Renée at the CVS about it.", "We spoke to [name] at the CVS about it."),
    ("Renée at the CVS set up the buddying.", "[name] at the CVS set up the buddying."),
    ("Bob said it would never work.", "[name] said it would never work."),
    ("Thanks to Priya Shah for the data.", "Thanks to [name] for the data."),
    ("We emailed O'Neill's office twice.", "We emailed [name]'s office twice."),
    ("In the end Renée Dubois-Martin chaired it.", "In the end [name] chaired it."),
    ("Ask Tom from the council.", "Ask [name] from the council."),
    ("If I need something from the PCT I ring Jan direct.",
     "If I need something from the PCT I ring [name] direct."),
])
def test_a_person_named_without_a_title_goes_by_the_words_around_them(
        text: str, cleaned: str) -> None:
    # Nobody here is on the partner list, and no title says a person is meant.
    assert clean_text(text, None) == cleaned


@pytest.mark.parametrize("text", [
    "Whitehall said no, because the Government said so.",
    "Partners said the LAA was late. Nobody told us. Staff at the council were great.",
    "Ask Age UK or contact Citizens Advice.",
    "We went to Crewe at the weekend; Cheshire East said yes.",
    "Funding from the PCT was cut. Feedback from the council never came.",
    "Scrutiny asked for the figures. Theme chairs meet before each board.",
    "I'd say ownership. Can't say it achieved much. When I ask, I'm told to wait.",
    "Knowing who to ring. Turnover in the partnership team. No agreed framework yet.",
    "A scheme called Troubled Families, promoted via Facebook.",
    "Pasted from our Health Inequalities group. Listen to Crewe, not just Wilmslow.",
])
def test_places_bodies_and_sentence_openers_are_not_taken_for_names(text: str) -> None:
    assert clean_text(text, None) == text


@pytest.mark.parametrize("text", [
    "Two of them A. Enough said.",
    "Inspector said he now appreciates it. Volunteer said it helped.",
])
def test_a_role_or_a_word_opening_a_sentence_before_said_is_no_name(text: str) -> None:
    assert clean_text(text, None) == text


async def test_an_anonymous_report_is_the_same_whatever_ids_its_ballots_drew(
        tmp_path: Any, clock: ManualClock) -> None:
    """Ballot ids are random: three databases holding the same ballots give the same report
    (the same "Ballot n" for the same answers, the same quotes), ordered by what they say."""
    by_id, shown, texts = [], [], []
    for n in range(3):
        database = await Database(tmp_path / f"copy{n}.db").open()
        try:
            rid = await make_round(database, clock, "rag-feedback", "anonymous",
                                   [{"overall": "Red", "worked-well": f"Meetings in week {k}"}
                                    for k in range(6)])
            data = await load(database, rid, min_group_size=3)
            said = {r.response_id: str(r.answers["worked-well"].value) for r in data.respondents}
            by_id.append([said[i] for i in sorted(said)])
            shown.append([(r.label, said[r.response_id]) for r in data.respondents])
            texts.append(render_markdown(build_report(data)))
        finally:
            await database.close()
    assert len({tuple(o) for o in by_id}) > 1  # ordered by their random ids, they differ
    assert shown[0] == shown[1] == shown[2]
    assert texts[0] == texts[1] == texts[2]
