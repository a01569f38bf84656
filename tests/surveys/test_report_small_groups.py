"""No breakdown shows a group under the minimum: group questions, response tables, columns
side by side; only the round's audience partnerships are counted, and sums are explained."""

from __future__ import annotations

from storage.db import Database
from storage.records import PartnerRow
from surveys.clock import ManualClock
from surveys.report import build_report, raw_rows, render_markdown
from surveys.report.build import rate_table
from surveys.report.by_partnership import partnership_section
from surveys.report.layouts import Context
from surveys.report.model import Rating, Table
from surveys.report.overview import partnership_matrix
from tests.surveys.test_report_fixtures import load, make_round


def person(name: str, sector: str, partnership: str = "Northvale LSP") -> PartnerRow:
    return PartnerRow(name, f"{name} Services", sector, partnership, "member")


NAMES = ["Quarrington", "Oyelaran", "Thorsby", "Vantongeren", "Brackenbury",
         "Featherstonehaugh", "Drumgoole", "Inchcape"]


async def test_a_group_question_merges_answers_given_by_fewer_than_the_minimum(
        db: Database, clock: ManualClock) -> None:
    sectors = ["Council"] * 3 + ["NHS"] + ["Other public body"] * 2 + ["Police"] * 2
    people = [person(n, "Council") for n in NAMES]
    rid = await make_round(db, clock, "framework-review", "confidential",
                           [{"role-sector": s} for s in sectors], people=people)
    report = build_report(await load(db, rid))
    [dist] = [b.distribution for s in report.sections for b in s.blocks
              if isinstance(b, Rating) and b.distribution.key == "role-sector"]
    shown = dict(zip(dist.points, dist.counts, strict=True))
    assert shown["Council"] == 3 and shown["Other (groups under 3)"] == 5
    assert not any(shown.get(p) for p in ("NHS", "Other public body", "Police"))
    assert sum(dist.counts) == 8
    answers = {r["answer"] for r in report.raw if r["question_id"] == "role-sector"}
    assert answers == {"Council", "Other (groups under 3)"}
    text = render_markdown(report)
    assert "Other public body" not in text.split("Which sector do you represent?", 2)[-1]
    # NHS (1), Other public body (2) and Police (2): three answers merged, one note for
    # them and the sectors of the response table (here every partner is Council: none).
    [note] = [n for n in report.footnotes if "Other (groups under 3)" in n]
    assert note == (
        "To protect anonymity, no group of fewer than 3 people is shown on its own: "
        "\"Other (groups under 3)\" counts together 3 answers to \"Which sector do you "
        "represent?\" given by fewer than 3 partners.")


async def test_a_group_too_few_even_merged_takes_the_smallest_other_group_with_it(
        db: Database, clock: ManualClock) -> None:
    # Two "Other public body" answers, too few even merged. Left out, they would show as
    # "7 answers from 9 respondents": a group of two. The smallest shown group (Council,
    # three) joins them in "Other", and every answer is counted somewhere.
    sectors = ["Council"] * 3 + ["Police"] * 4 + ["Other public body"] * 2
    people = [person(n, "Council") for n in [*NAMES, "Ravenscroft"]]
    rid = await make_round(db, clock, "framework-review", "anonymous",
                           [{"role-sector": s} for s in sectors], people=people)
    data = await load(db, rid)
    rows = raw_rows(data)
    assert sorted(r["answer"] for r in rows if r["question_id"] == "role-sector") == (
        ["Other (groups under 3)"] * 5 + ["Police"] * 4)
    report = build_report(data)
    [dist] = [b.distribution for s in report.sections for b in s.blocks
              if isinstance(b, Rating) and b.distribution.key == "role-sector"]
    assert dict(zip(dist.points, dist.counts, strict=True)) == {
        "Police": 4, "Other (groups under 3)": 5}
    assert sum(dist.counts) == dist.respondents == 9
    # One note, naming the larger group counted in "Other" and why; the response table's
    # sectors (every partner Council, 10 invited) merge nothing.
    [note] = [n for n in report.footnotes if "Other (groups under 3)" in n]
    assert note == (
        "To protect anonymity, no group of fewer than 3 people is shown on its own: "
        "\"Other (groups under 3)\" counts together 1 answer to \"Which sector do you "
        "represent?\" given by fewer than 3 partners. Council is counted there too, though "
        "not under 3, so that no smaller group can be worked out by taking the rows shown "
        "from the total.")


async def test_a_group_question_answered_by_too_few_in_all_shows_no_group(
        db: Database, clock: ManualClock) -> None:
    sectors = ["Council", "Other public body"]
    people = [person(n, "Council") for n in NAMES[:2]]
    rid = await make_round(db, clock, "framework-review", "confidential",
                           [{"role-sector": s} for s in sectors], people=people)
    data = await load(db, rid)
    assert not [r for r in raw_rows(data) if r["question_id"] == "role-sector"]
    report = build_report(data)
    [dist] = [b.distribution for s in report.sections for b in s.blocks
              if isinstance(b, Rating) and b.distribution.key == "role-sector"]
    assert dist.points == () and dist.respondents == 0
    assert any("in all" in n for n in report.footnotes)


async def test_a_response_table_left_short_takes_the_smallest_group_with_it(
        db: Database, clock: ManualClock) -> None:
    # Council 3 of 3 and Police 4 of 4 submitted; one Business partner, submitted. Left out,
    # Business is the headline's 8 less the rows' 7.
    sectors = ["Council"] * 3 + ["Police"] * 4 + ["Business"]
    people = [person(n, s) for n, s in zip(NAMES, sectors, strict=True)]
    rid = await make_round(db, clock, "rag-feedback", "anonymous", [{}] * 8, people=people)
    data = await load(db, rid)
    ctx = Context(data, {}, {})
    rows = {r[0]: r[1:] for r in rate_table(ctx, "sector").rows}
    assert rows == {"Police": ("4", "4", "100%"),
                    "Other (groups under 3)": ("4", "4", "100%")}
    assert sum(int(r[0]) for r in rows.values()) == len(data.invitees)


async def test_a_response_table_hides_a_group_with_too_few_submitted(
        db: Database, clock: ManualClock) -> None:
    # Submitted: three Council, two Business, one Police; not submitted: a Business and a
    # Police partner. "Business: 3 invited, 2 submitted" would show a group of two.
    sectors = ["Council"] * 3 + ["Business"] * 2 + ["Police", "Business", "Police"]
    people = [person(n, s) for n, s in zip(NAMES, sectors, strict=True)]
    rid = await make_round(db, clock, "rag-feedback", "anonymous", [{}] * 6, people=people,
                           extra_invitees=2)
    data = await load(db, rid)
    ctx = Context(data, {}, {})
    table = rate_table(ctx, "sector")
    rows = {r[0]: r[1:] for r in table.rows}
    assert rows == {"Council": ("3", "3", "100%"),
                    "Other (groups under 3)": ("5", "3", "60%")}
    assert ctx.footnotes() == [
        "To protect anonymity, no group of fewer than 3 people is shown on its own: "
        "\"Other (groups under 3)\" counts together 2 sectors with fewer than 3 invited or "
        "submitted partners."]


async def test_only_the_audience_partnerships_are_counted(db: Database,
                                                         clock: ManualClock) -> None:
    # Four Northvale partners; one of them also sits on Southmere, which is not the round's.
    people = [person(n, "Council") for n in NAMES[:4]]
    people.append(person(NAMES[0], "Council", "Southmere LSP"))
    rid = await make_round(db, clock, "swot", "confidential", [{}] * 4, people=people,
                           audience={"partnership": ["Northvale LSP"]})
    report = build_report(await load(db, rid))
    assert report.front.by_partnership.rows == (("Northvale LSP", "4", "4", "100%"),)
    assert not any("partnership group" in n for n in report.footnotes)


async def test_a_partner_in_two_partnerships_is_explained(db: Database,
                                                        clock: ManualClock) -> None:
    people = [person(n, "Council", "Northvale LSP") for n in NAMES[:3]]
    people += [person(n, "Council", "Southmere LSP") for n in NAMES[3:6]]
    people.append(person(NAMES[0], "Council", "Southmere LSP"))
    rid = await make_round(db, clock, "working-better-together", "confidential", [{}] * 6,
                           people=people)
    report = build_report(await load(db, rid))
    table = report.front.by_partnership
    assert sum(int(r[1]) for r in table.rows) == 7 and report.front.invited == 6
    assert "counts in both" in table.note


async def test_named_side_by_side_shows_only_audience_partnerships_of_enough(
        db: Database, clock: ManualClock) -> None:
    # A named self-assessment for Northvale: one partner also belongs to Southmere.
    people = [person(n, "Council") for n in NAMES[:4]]
    people.append(person(NAMES[0], "Council", "Southmere LSP"))
    answers = [{"long-term-goals-1": "Well"}] * 4
    rid = await make_round(db, clock, "working-better-together", "named", answers,
                           people=people, audience={"partnership": ["Northvale LSP"]})
    data = await load(db, rid)
    [table] = [b for b in partnership_section(data).blocks if isinstance(b, Table)]
    assert table.columns == ("Area", "Northvale LSP")
    assert partnership_matrix(Context(data, {}, {})) is None


async def test_named_side_by_side_merges_a_one_person_column(db: Database,
                                                            clock: ManualClock) -> None:
    people = [person(n, "Council", "Northvale LSP") for n in NAMES[:3]]
    people += [person(NAMES[3], "Council", "Southmere LSP"),
               person(NAMES[4], "Council", "Eastholm LSP")]
    answers = [{"long-term-goals-1": "Well"}] * 5
    rid = await make_round(db, clock, "working-better-together", "named", answers,
                           people=people)
    section = partnership_section(await load(db, rid))
    [table] = [b for b in section.blocks if isinstance(b, Table)]
    assert table.columns == ("Area", "Northvale LSP")
    assert "Southmere" not in section.intro and "not shown" in section.intro


async def test_the_coordinators_status_follows_the_same_rule(db: Database,
                                                            clock: ManualClock) -> None:
    sectors = ["Council"] * 3 + ["Business"] * 2 + ["Police", "Business", "Police"]
    people = [person(n, s) for n, s in zip(NAMES, sectors, strict=True)]
    rid = await make_round(db, clock, "rag-feedback", "anonymous", [{}] * 6, people=people,
                           extra_invitees=2)
    from storage.rounds import RoundRepository

    await RoundRepository(db).close(rid, [], clock.now())  # anonymous: groups at close only
    shown = await _status_by_sector(db, clock, rid)
    assert shown == {"Council": (3, 3), "Other (groups under 3)": (5, 3)}


async def test_the_coordinators_status_leaves_no_group_to_subtract(
        db: Database, clock: ManualClock) -> None:
    sectors = ["Council"] * 3 + ["Police"] * 4 + ["Business"]
    people = [person(n, s) for n, s in zip(NAMES, sectors, strict=True)]
    rid = await make_round(db, clock, "rag-feedback", "confidential", [{}] * 8, people=people)
    shown = await _status_by_sector(db, clock, rid)
    assert shown == {"Police": (4, 4), "Other (groups under 3)": (4, 4)}


async def _status_by_sector(db: Database, clock: ManualClock,
                            rid: int) -> dict[str, tuple[int, int]]:
    """The coordinator's live status of a round, its sector groups as (invited, submitted)."""
    from zoneinfo import ZoneInfo

    from storage.outbox import OutboxRepository
    from storage.partners import PartnerRepository
    from storage.responses import ResponseRepository
    from storage.rounds import RoundRepository
    from surveys.rounds import RoundService

    rounds = RoundService(RoundRepository(db), ResponseRepository(db), PartnerRepository(db),
                          OutboxRepository(db), clock, ZoneInfo("Europe/London"),
                          min_group_size=3)
    status = await rounds.status(rid)
    return {g.name: (g.invited, g.submitted) for g in status.groups["sector"]}


async def test_one_note_says_which_groups_were_merged_in_every_table_and_why(
        db: Database, clock: ManualClock) -> None:
    # The demo's round 1: a sector answer given by one partner, and two sectors of one
    # partner each on the list (Education's did not submit). Each "Other" alone would be a
    # group under 3, so the smallest group shown (Fire and rescue, 3) joins both, and no
    # table shows it or a group under 3. One note says all of it, not one note a table.
    sectors = (["Council"] * 4 + ["Police"] * 4 + ["Fire and rescue"] * 3
               + ["Probation", "Education"])
    names = [*NAMES, "Ravenscroft", "Applethwaite", "Dunsinane", "Strathmore", "Ullswater"]
    people = [person(n, s) for n, s in zip(names, sectors, strict=True)]
    rid = await make_round(db, clock, "framework-review", "confidential",
                           [{"role-sector": s} for s in sectors[:12]], people=people,
                           extra_invitees=1)
    report = build_report(await load(db, rid))
    [dist] = [b.distribution for s in report.sections for b in s.blocks
              if isinstance(b, Rating) and b.distribution.key == "role-sector"]
    assert dict(zip(dist.points, dist.counts, strict=True)) == {
        "Council": 4, "Police": 4, "Other (groups under 3)": 4}
    rates = {r[0]: r[1:] for r in report.front.by_sector.rows}
    assert rates == {"Council": ("4", "4", "100%"), "Police": ("4", "4", "100%"),
                     "Other (groups under 3)": ("5", "4", "80%")}
    body = render_markdown(report).split("**Notes**")[0]   # the note names the joined group
    for text in (body, *(" ".join(map(str, r.values())) for r in report.raw)):
        for hidden in ("Probation", "Education", "Fire and rescue"):
            assert hidden not in text
    [note] = [n for n in report.footnotes if "Other (groups under 3)" in n]
    assert note == (
        "To protect anonymity, no group of fewer than 3 people is shown on its own: "
        "\"Other (groups under 3)\" counts together 1 answer to \"Which sector do you "
        "represent?\" given by fewer than 3 partners and 2 sectors with fewer than 3 invited "
        "or submitted partners. Fire and rescue is counted there too, though not under 3, "
        "so that no smaller group can be worked out by taking the rows shown from the total.")


async def test_every_table_joins_the_same_larger_group_to_other(
        db: Database, clock: ManualClock) -> None:
    # One Council partner answered "Fire and rescue". Alone, the sector answers would join
    # Council (3) to the one "Probation" answer, and the response table (by the list's
    # sectors) Fire and rescue (3) to its small ones: each table would show the group the
    # other hid, and "Other" less it is the small group. The first table's choice holds.
    sectors = ["Council"] * 4 + ["Fire and rescue"] * 3 + ["Probation", "Education"]
    names = [*NAMES, "Ravenscroft"]
    people = [person(n, s) for n, s in zip(names, sectors, strict=True)]
    answered = ["Council"] * 3 + ["Fire and rescue"] * 4 + ["Probation"]
    rid = await make_round(db, clock, "framework-review", "confidential",
                           [{"role-sector": s} for s in answered], people=people,
                           extra_invitees=1)
    data = await load(db, rid)
    report = build_report(data)
    [dist] = [b.distribution for s in report.sections for b in s.blocks
              if isinstance(b, Rating) and b.distribution.key == "role-sector"]
    assert dict(zip(dist.points, dist.counts, strict=True)) == {
        "Fire and rescue": 4, "Other (groups under 3)": 4}
    assert {r[0]: r[1:] for r in report.front.by_sector.rows} == {
        "Fire and rescue": ("3", "3", "100%"), "Other (groups under 3)": ("6", "5", "83%")}
    assert {r["sector"] for r in raw_rows(data)} == {"Fire and rescue",
                                                     "Other (groups under 3)"}
    assert "Council" not in render_markdown(report).split("**Notes**")[0]
    assert any("Council is counted there too" in n for n in report.footnotes)
