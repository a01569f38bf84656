"""An anonymous round's live status gives totals only: counts by group, moving as each
ballot arrives, would show which group a ballot came from. Groups are shown at close."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from storage.db import Database
from storage.outbox import OutboxRepository
from storage.partners import PartnerRepository
from storage.records import PartnerRow
from storage.responses import ResponseRepository
from storage.rounds import RoundRepository
from surveys.clock import ManualClock
from surveys.rounds import RoundService
from surveys.status_text import status_lines
from tests.surveys.test_report_fixtures import make_round

ZONE = ZoneInfo("Europe/London")
NAMES = ["Quarrington", "Oyelaran", "Thorsby", "Vantongeren", "Brackenbury",
         "Featherstonehaugh", "Drumgoole", "Inchcape"]
PEOPLE = [PartnerRow(n, f"{n} Services", s, "Northvale LSP", "member")
          for n, s in zip(NAMES, ["Council"] * 4 + ["Police"] * 4, strict=True)]


def service(db: Database, clock: ManualClock) -> RoundService:
    return RoundService(RoundRepository(db), ResponseRepository(db), PartnerRepository(db),
                        OutboxRepository(db), clock, ZONE, min_group_size=3)


async def test_an_open_anonymous_round_shows_no_counts_by_group(
        db: Database, clock: ManualClock) -> None:
    # Seven of eight have answered: every group is past the minimum, and still the next
    # ballot would move "Police 3 of 4" to "4 of 4" before the coordinator's eyes.
    rid = await make_round(db, clock, "rag-feedback", "anonymous", [{}] * 7, people=PEOPLE,
                           extra_invitees=1)
    status = await service(db, clock).status(rid)
    assert (status.invited, status.submitted) == (8, 7)
    assert status.groups == {} and status.groups_at_close
    text = "\n".join(status_lines(status, ZONE))
    assert "submitted 7" in text
    assert "Council" not in text and "Police" not in text and "Northvale" not in text
    assert "shown when the round closes" in text


async def test_groups_are_shown_once_the_anonymous_round_closes(
        db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "rag-feedback", "anonymous", [{}] * 7, people=PEOPLE,
                           extra_invitees=1)
    await RoundRepository(db).close(rid, [], clock.now())
    status = await service(db, clock).status(rid)
    assert {g.name: (g.invited, g.submitted) for g in status.groups["sector"]} == {
        "Council": (4, 4), "Police": (4, 3)}
    assert not status.groups_at_close
    assert "Police: 3 of 4" in "\n".join(status_lines(status, ZONE))


async def test_an_open_confidential_round_shows_its_groups_live(
        db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "rag-feedback", "confidential", [{}] * 7,
                           people=PEOPLE, extra_invitees=1)
    status = await service(db, clock).status(rid)
    assert {g.name for g in status.groups["sector"]} == {"Council", "Police"}
    assert not status.groups_at_close
