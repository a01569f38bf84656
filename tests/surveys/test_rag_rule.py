"""Green/Amber/Red is scored by one rule in a whole report: favourable is Green alone, in the
areas table and in partnerships side by side alike, and a single rating shows just its colour."""

from __future__ import annotations

from storage.db import Database
from storage.records import PartnerRow
from surveys.clock import ManualClock
from surveys.report.by_partnership import partnership_section
from surveys.report.layouts import Context
from surveys.report.model import Table
from surveys.report.overview import area_tables
from tests.surveys.test_report_fixtures import load, make_round

PEOPLE = ([PartnerRow(n, f"{n} Services", "Council", "Northvale LSP", "chair")
           for n in ("Quarrington", "Oyelaran", "Thorsby")]
          + [PartnerRow("Vantongeren", "Vantongeren Services", "Council", "Southmere LSP",
                        "chair")])
# Northvale: Green, Amber, Amber on structure (1 of 3 favourable); Southmere: one Amber.
ANSWERS = [{"structure": "Green"}, {"structure": "Amber"}, {"structure": "Amber"},
           {"structure": "Amber"}]


async def test_green_alone_is_favourable_everywhere_and_one_rating_is_its_colour(
        db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "meeting-observation", "named", ANSWERS, people=PEOPLE)
    data = await load(db, rid)
    section = partnership_section(data)
    [matrix] = [b for b in section.blocks if isinstance(b, Table)]
    short = data.questionnaire.question("structure").short
    row = next(r for r in matrix.rows if r[0] == short)
    # Amber as ½ would give Northvale 67%, Green; by the report's rule it is 1 of 3.
    assert row[1:] == ("Red 33% (3)", "Amber")
    assert "only Green" in section.intro

    areas = next(t for t in area_tables(Context(data, {}, {}))
                 if t.title == "How each area does")
    meeting = next(r for r in areas.rows if r[0] == "The meeting")
    assert meeting[2:] == ("4", "25%")  # 1 Green of 4 ratings, the same rule
    assert "only Green" in areas.note
