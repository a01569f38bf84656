"""The planner: what is due, from rounds and fired points and the time alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.planner import plan, policy_points
from scheduler.quiet import Schedule
from storage.records import Round
from surveys.rounds import DEFAULT_POLICY

LONDON = ZoneInfo("Europe/London")
OPENS = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 11, 16, 23, 59, tzinfo=UTC)
SCHEDULE = Schedule(LONDON)


def a_round(**kw: object) -> Round:
    base = Round(id=1, title="Review", template_id="swot", questionnaire={}, audience={},
                 anonymity="confidential", opens_at=OPENS, deadline=DEADLINE,
                 reminder_policy=dict(DEFAULT_POLICY), state="open", created_at=OPENS)
    return replace(base, **kw)  # type: ignore[arg-type]


def test_policy_points_of_the_default_policy() -> None:
    points = policy_points(a_round())
    assert [(p.name, p.at, p.only_not_started) for p in points] == [
        ("nudge", OPENS + timedelta(days=2), True),
        ("before:3", DEADLINE - timedelta(days=3), False),
        ("before:1", DEADLINE - timedelta(days=1), False),
    ]


def test_points_outside_the_open_time_are_dropped() -> None:
    short = a_round(deadline=OPENS + timedelta(days=2))
    assert [p.name for p in policy_points(short)] == ["before:1"]


def test_a_scheduled_round_is_next_due_when_it_opens() -> None:
    later = a_round(state="scheduled", opens_at=OPENS + timedelta(days=1))
    p = plan([later], [], OPENS, SCHEDULE)
    assert not p.anything_due and p.next_due == OPENS + timedelta(days=1)
    p = plan([later], [], OPENS + timedelta(days=1), SCHEDULE)
    assert p.to_open == [1] and p.next_due == OPENS + timedelta(days=1)


def test_next_due_is_the_nudge_then_each_point_then_the_deadline() -> None:
    rnd = a_round()
    now = OPENS + timedelta(hours=1)
    assert plan([rnd], [], now, SCHEDULE).next_due == OPENS + timedelta(days=2)
    fired = [(1, "nudge")]
    assert plan([rnd], fired, OPENS + timedelta(days=3), SCHEDULE).next_due == \
        min(DEADLINE - timedelta(days=3), datetime(2026, 11, 9, 9, 0, tzinfo=UTC))
    fired += [(1, "before:3"), (1, "before:1")]
    assert plan([rnd], fired, DEADLINE - timedelta(hours=2), SCHEDULE).next_due == DEADLINE


def test_after_downtime_only_the_latest_due_point_fires() -> None:
    now = DEADLINE - timedelta(days=2)   # nudge and before:3 both came due while down
    p = plan([a_round()], [], now, SCHEDULE)
    [due] = p.reminders
    assert due.point.name == "before:3" and [s.name for s in due.skipped] == ["nudge"]
    assert plan([a_round()], [(1, "before:3")], now, SCHEDULE).reminders == []


def test_a_long_overdue_point_still_fires_once() -> None:
    p = plan([a_round()], [], OPENS + timedelta(days=6), SCHEDULE)
    assert [d.point.name for d in p.reminders] == ["nudge"]
    assert plan([a_round()], [(1, "nudge")], OPENS + timedelta(days=6), SCHEDULE).reminders == []


def test_past_the_deadline_the_round_closes_and_nobody_is_reminded() -> None:
    p = plan([a_round()], [], DEADLINE, SCHEDULE)
    assert p.to_close == [1] and p.reminders == [] and p.next_due == DEADLINE


def test_the_digest_period_is_the_iso_week_of_its_moment() -> None:
    p = plan([], [], datetime(2026, 11, 4, 12, tzinfo=UTC), SCHEDULE)
    assert p.digest_period == "2026-W45" and p.digest_at == OPENS
    assert p.next_due == datetime(2026, 11, 9, 9, tzinfo=UTC)
