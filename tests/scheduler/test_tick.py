"""Scheduler.tick over a real SQLite file, moving a ManualClock through a round's weeks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.reminder_points import ReminderPointRepository
from surveys.reminders import Reminders
from tests.scheduler.conftest import COORDINATOR, Timeline
from tests.surveys.conftest import LONDON

EVERYONE = {"Asha Patel", "Ben Okafor", "Cara Jones", "Dev Shah"}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def test_a_round_that_opens_later_sends_its_invitations_then(timeline: Timeline) -> None:
    clock = timeline.domain.clock
    rid = await timeline.new_round(opens_at=clock.now() + timedelta(days=1))
    report = await timeline.scheduler.tick()
    assert report.opened == [] and await timeline.outbox("invitation") == []
    assert (await timeline.scheduler.plan()).next_due == clock.now() + timedelta(days=1)
    clock.advance(timedelta(days=1))
    assert (await timeline.scheduler.tick()).opened == [rid]
    assert len(await timeline.outbox("invitation", rid)) == 4
    assert (await timeline.domain.rounds.round(rid)).state == "open"
    again = await timeline.scheduler.tick()
    assert not again.changed and len(await timeline.outbox("invitation", rid)) == 4


async def walk(timeline: Timeline, until: datetime) -> list[str]:
    """Tick at each next-due moment, as the JobQueue would; returns the points that fired."""
    fired: list[str] = []
    while True:
        plan = await timeline.scheduler.plan()
        assert plan.next_due is not None
        if plan.next_due > until:
            return fired
        timeline.domain.clock.set(max(plan.next_due, timeline.domain.clock.now()))
        report = await timeline.scheduler.tick()
        fired += [point for (_, point) in report.reminded]


async def test_reminders_at_the_policys_times_to_the_right_people(timeline: Timeline) -> None:
    rid = await timeline.new_round()        # Mon 2 Nov 09:00, deadline Mon 16 Nov 23:59
    await timeline.submit(rid, "Asha Patel")
    await timeline.start(rid, "Ben Okafor")
    fired = await walk(timeline, utc(2026, 11, 16, 23, 0))
    assert fired == ["nudge", "before:3", "before:1"]
    reminders = [m for m in await timeline.outbox("reminder", rid)]
    names = {p.id: p.name for p in timeline.domain.people}
    by_time: dict[datetime, set[str]] = {}
    for m in reminders:
        by_time.setdefault(m.not_before, set()).add(names[m.partner_id or 0])
    assert by_time == {
        utc(2026, 11, 4, 9, 0): {"Cara Jones", "Dev Shah"},      # nudge: not started only
        # before:3 is Fri 13 Nov 23:59, quiet: it waits for Saturday 08:00
        utc(2026, 11, 14, 8, 0): {"Ben Okafor", "Cara Jones", "Dev Shah"},
        utc(2026, 11, 16, 8, 0): {"Ben Okafor", "Cara Jones", "Dev Shah"},
    }
    assert "Asha Patel" not in await timeline.reminded(rid)
    # the cap: three reminders each for Cara and Dev, so a manual one reaches only Ben
    manual = await timeline.scheduler.reminders.remind(rid)
    assert manual.capped == 2 and manual.queued == 0 and manual.too_soon == 1


async def test_never_two_reminders_within_the_gap(timeline: Timeline) -> None:
    rid = await timeline.new_round()
    timeline.domain.clock.set(utc(2026, 11, 3, 12, 0))
    manual = await timeline.scheduler.reminders.remind(rid)
    assert manual.queued == 4
    timeline.domain.clock.set(utc(2026, 11, 4, 9, 0))   # the nudge, 21 hours later
    report = await timeline.scheduler.tick()
    result = report.reminded[(rid, "nudge")]
    assert result.queued == 0 and result.too_soon == 4
    assert await timeline.reminded(rid) == dict.fromkeys(EVERYONE, 1)


async def test_the_cap_counts_every_reminder(timeline: Timeline) -> None:
    rid = await timeline.new_round(policy={"max_reminders": 2})
    await walk(timeline, utc(2026, 11, 16, 23, 0))
    assert await timeline.reminded(rid) == {"Asha Patel": 2, "Ben Okafor": 2, "Cara Jones": 2,
                                            "Dev Shah": 2}
    [last] = [p for p in await ReminderPointRepository(timeline.domain.db).all()
              if p.point == "before:1"]
    assert last.outcome == "sent" and last.queued == 0


async def test_quiet_hours_defer_a_reminder(timeline: Timeline) -> None:
    clock = timeline.domain.clock
    clock.set(utc(2026, 11, 2, 21, 30))       # created in the evening: nudge due Wed 21:30
    rid = await timeline.new_round()
    clock.set(utc(2026, 11, 4, 21, 30))
    await timeline.scheduler.tick()
    reminders = await timeline.outbox("reminder", rid)
    assert len(reminders) == 4
    assert {m.not_before for m in reminders} == {utc(2026, 11, 5, 8, 0)}
    # the sender does not claim it before then
    assert [m for m in await timeline.domain.outbox.claim_due(clock.now(), 100)
            if m.kind == "reminder"] == []


async def test_a_restart_between_due_time_and_sending_sends_once(timeline: Timeline) -> None:
    rid = await timeline.new_round()
    timeline.domain.clock.set(utc(2026, 11, 4, 9, 30))
    before = timeline.fresh()           # the process that planned, then died
    assert [d.point.name for d in (await before.plan()).reminders] == ["nudge"]
    after = timeline.fresh()            # a new process over the same database
    assert (await after.tick()).reminded[(rid, "nudge")].queued == 4
    assert not (await before.tick()).reminded
    assert not (await timeline.fresh().tick()).reminded
    assert await timeline.reminded(rid) == dict.fromkeys(EVERYONE, 1)


async def test_after_downtime_only_the_latest_point_fires(timeline: Timeline) -> None:
    rid = await timeline.new_round()
    await timeline.submit(rid, "Asha Patel")
    timeline.domain.clock.set(utc(2026, 11, 14, 12, 0))  # down from Monday to Saturday
    report = await timeline.fresh().tick()
    assert list(report.reminded) == [(rid, "before:3")]
    assert await timeline.reminded(rid) == {"Ben Okafor": 1, "Cara Jones": 1, "Dev Shah": 1}
    points = {p.point: p.outcome for p in await ReminderPointRepository(timeline.domain.db).all()}
    assert points == {"nudge": "skipped", "before:3": "sent"}


async def test_the_deadline_closes_the_round(timeline: Timeline) -> None:
    rid = await timeline.new_round()
    await timeline.submit(rid, "Asha Patel")
    await timeline.start(rid, "Ben Okafor")
    deadline = (await timeline.domain.rounds.round(rid)).deadline
    timeline.domain.clock.set(deadline - timedelta(hours=2))
    await timeline.scheduler.tick()
    assert (await timeline.domain.rounds.round(rid)).state == "open"
    timeline.domain.clock.set(deadline)
    report = await timeline.scheduler.tick()
    assert report.closed == [rid]
    assert (await timeline.domain.rounds.round(rid)).state == "closed"
    names = {p.id: p.name for p in timeline.domain.people}
    closing = {names[m.partner_id or 0]: m.payload["text"]
               for m in await timeline.outbox("closing", rid)}
    assert set(closing) == {"Asha Patel", "Ben Okafor"}
    assert "Thank you" in closing["Asha Patel"] and "answers you gave" in closing["Ben Okafor"]
    [summary] = await timeline.outbox("summary", rid)
    assert summary.chat_id == COORDINATOR and "1 of 4 (25%)" in summary.payload["text"]
    # The deadline (23:59) is in quiet hours: partners and coordinators alike hear at 08:00.
    assert summary.not_before == timeline.schedule.next_allowed(deadline)
    assert {m.not_before for m in await timeline.outbox("closing", rid)} == {
        timeline.schedule.next_allowed(deadline)}
    assert timeline.schedule.next_allowed(deadline).astimezone(LONDON).hour == 8
    # reminders still waiting for quiet hours to end are cancelled with the round
    assert {m.state for m in await timeline.outbox("reminder", rid)} <= {"cancelled", "pending"}
    assert not (await timeline.scheduler.tick()).closed
    assert len(await timeline.outbox("summary", rid)) == 1


async def test_tick_is_idempotent_at_one_moment(timeline: Timeline) -> None:
    rid = await timeline.new_round()
    timeline.domain.clock.set(utc(2026, 11, 14, 12, 0))
    first = await timeline.scheduler.tick()
    assert first.changed
    second = await timeline.scheduler.tick()
    assert not second.changed
    assert len(await timeline.outbox("reminder", rid)) == 4


async def test_manual_reminders_use_the_same_rules(timeline: Timeline) -> None:
    rid = await timeline.new_round()
    d = timeline.domain
    manual = Reminders(d.rounds_repo, d.responses, d.partners, d.clock, d.rounds.zone)
    assert (await manual.remind(rid)).queued == 4
    assert (await manual.remind(rid)).too_soon == 4
