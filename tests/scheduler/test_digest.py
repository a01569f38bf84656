"""The weekly digest: its content, the change since last week, once per period, quiet hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from scheduler import build_scheduler
from scheduler.digest import MAX_MESSAGE, fit_sections
from storage.digests import DigestRepository
from tests.scheduler.conftest import COORDINATOR, Timeline, coordinators


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def digests_to(timeline: Timeline, chat: int) -> list[str]:
    return [m.payload["text"] for m in await timeline.outbox("digest") if m.chat_id == chat]


async def test_the_digest_shows_open_rounds_and_the_change_since_last_week(
        timeline: Timeline) -> None:
    rid = await timeline.new_round(title="Framework review")  # Mon 2 Nov 09:00: digest time
    await timeline.scheduler.tick()
    [first] = await timeline.outbox("digest")
    assert first.chat_id == COORDINATOR and first.not_before == utc(2026, 11, 2, 9)
    assert "Weekly digest — week of 2 Nov 2026" in first.payload["text"]
    assert "• Framework review (round 1): 0 of 4 (0%)" in first.payload["text"]
    assert "since last week" not in first.payload["text"]
    assert first.payload["buttons"] == [[{"label": f"Round {rid}",
                                          "data": f"co:status:{rid}"}]]
    await timeline.submit(rid, "Asha Patel")
    timeline.domain.clock.set(utc(2026, 11, 9, 9, 0))
    await timeline.scheduler.tick()
    second = (await digests_to(timeline, COORDINATOR))[1]
    assert "1 of 4 (25%), +1 since last week (was 0%)" in second
    assert "Deadlines in the coming week\n• Framework review: Mon 16 Nov 2026, 23:59" in second
    assert await DigestRepository(timeline.domain.db).previous(COORDINATOR, "2026-W47") == {
        "rounds": {str(rid): {"invited": 4, "submitted": 1, "rate": 0.25}}}


async def test_a_digest_goes_once_per_period_even_across_restarts(timeline: Timeline) -> None:
    await timeline.new_round()
    await timeline.scheduler.tick()
    timeline.domain.clock.advance(timedelta(hours=3))
    await timeline.scheduler.tick()
    await timeline.fresh().tick()
    assert len(await digests_to(timeline, COORDINATOR)) == 1
    assert await DigestRepository(timeline.domain.db).recipients("2026-W45") == {COORDINATOR}


async def test_closed_rounds_and_unreachable_partners(timeline: Timeline) -> None:
    d = timeline.domain
    early = await timeline.new_round(days=3, title="Quick check")
    await timeline.new_round(title="Long review")
    await timeline.submit(early, "Asha Patel")
    ben = next(p for p in d.people if p.name == "Ben Okafor")
    await d.partners.set_reachable(ben.id, False, d.clock.now())
    d.clock.set(utc(2026, 11, 9, 9, 0))
    await timeline.scheduler.tick()       # closes "Quick check" (deadline Thu), then digests
    text = (await digests_to(timeline, COORDINATOR))[-1]
    assert "Closed this week\n• Quick check (round 1): 1 of 4 (25%)" in text
    assert "Partners unreachable (1)\n• Ben Okafor (Hampshire Constabulary)" in text
    assert "Quick check" not in text.split("Closed this week")[0]


def test_a_long_digest_is_trimmed_to_one_message() -> None:
    many = [f"• Partnership number {i} with a long name: 3 of 9 (33%)" for i in range(400)]
    text = fit_sections(["📊 Weekly digest"], [("Open rounds", many),
                                                 ("Partners unreachable (2)", ["• A", "• B"])])
    assert len(text) <= MAX_MESSAGE
    assert "…and " in text and " more" in text and "• B" in text


async def test_partners_who_opted_in_get_their_own_line(timeline: Timeline) -> None:
    d = timeline.domain
    rid = await timeline.new_round(title="Framework review")
    await timeline.submit(rid, "Asha Patel")
    for name in ("Asha Patel", "Cara Jones"):
        partner = next(p for p in d.people if p.name == name)
        await d.partners.set_digest(partner.id, True, d.clock.now())
    await timeline.scheduler.tick()
    cara = next(p for p in d.people if p.name == "Cara Jones")
    asha = next(p for p in d.people if p.name == "Asha Patel")
    [line] = await digests_to(timeline, cara.chat_id or 0)
    assert "1 round waiting" in line
    assert "Framework review: deadline Mon 16 Nov 2026, 23:59" in line
    assert await digests_to(timeline, asha.chat_id or 0) == []     # nothing waits for Asha


async def test_a_digest_in_quiet_hours_waits_for_morning(timeline: Timeline) -> None:
    schedule = replace(timeline.schedule, digest=(6, 21, 0))      # Sunday 21:00
    sched = build_scheduler(timeline.domain.db, timeline.domain.rounds, schedule, coordinators)
    await timeline.new_round()
    timeline.domain.clock.set(utc(2026, 11, 8, 21, 0))
    await sched.tick()
    [digest] = [m for m in await timeline.outbox("digest")]
    assert digest.not_before == utc(2026, 11, 9, 8, 0)


async def test_the_digest_keeps_local_time_across_dst(timeline: Timeline) -> None:
    d = timeline.domain
    d.clock.set(utc(2027, 3, 28, 12, 0))      # Sunday; clocks went forward at 01:00 UTC
    await timeline.new_round(days=20)
    await timeline.scheduler.tick()           # last Monday's digest is over a day late: skipped
    assert await timeline.outbox("digest") == []
    assert (await timeline.scheduler.plan()).next_due == utc(2027, 3, 29, 8, 0)  # 09:00 BST
    d.clock.set(utc(2027, 3, 29, 7, 59))
    await timeline.scheduler.tick()
    assert await timeline.outbox("digest") == []
    d.clock.set(utc(2027, 3, 29, 8, 0))
    await timeline.scheduler.tick()
    assert len(await timeline.outbox("digest")) == 1
    assert await DigestRepository(d.db).recipients("2027-W13") == {COORDINATOR}


async def test_preview_neither_sends_nor_records(timeline: Timeline) -> None:
    await timeline.new_round(title="Framework review")
    [preview] = await timeline.scheduler.digests.preview(timeline.domain.clock.now())
    assert preview.recipient == COORDINATOR and "Framework review" in preview.text
    assert await timeline.outbox("digest") == []
    assert await DigestRepository(timeline.domain.db).recipients("2026-W45") == set()


async def test_closed_rounds_carry_their_top_themes_and_a_report_button(
        timeline: Timeline) -> None:
    d = timeline.domain
    early = await timeline.new_round(days=3, title="Quick check")
    await timeline.new_round(title="Long review")
    asked: list[int] = []

    async def top_themes(round_id: int) -> list[str]:
        asked.append(round_id)
        return ["Lack of resources", "Buy in", "Communication", "Leadership"]

    scheduler = build_scheduler(d.db, d.rounds, timeline.schedule, coordinators, top_themes)
    d.clock.set(utc(2026, 11, 9, 9, 0))
    await scheduler.tick()
    [message] = [m for m in await timeline.outbox("digest") if m.chat_id == COORDINATOR]
    assert ("• Quick check (round 1): 0 of 4 (0%); top themes: Lack of resources, Buy in, "
            "Communication") in message.payload["text"]
    assert asked == [early]
    assert {"label": f"Report {early}", "data": f"co:report:{early}"} in [
        b for row in message.payload["buttons"] for b in row]
    summary = [m for m in await timeline.outbox("summary") if m.chat_id == COORDINATOR]
    assert summary[0].payload["buttons"] == [[{"label": "Report",
                                               "data": f"co:report:{early}"}]]


async def test_partner_lines_alone_are_counted_when_no_coordinator_gets_a_digest(
        timeline: Timeline) -> None:
    async def nobody() -> list[int]:
        return []

    d = timeline.domain
    sched = build_scheduler(d.db, d.rounds, timeline.schedule, nobody)
    await timeline.new_round(title="Framework review")
    for name in ("Asha Patel", "Cara Jones"):
        partner = next(p for p in d.people if p.name == name)
        await d.partners.set_digest(partner.id, True, d.clock.now())
    report = await sched.tick()
    assert report.digests == 2                 # one line each, and no coordinator digest
    assert {m.chat_id for m in await timeline.outbox("digest")} == {
        p.chat_id for p in d.people if p.name in ("Asha Patel", "Cara Jones")}


def test_the_digests_buttons_are_compact_three_to_a_row_and_one_for_the_actions() -> None:
    """Six open rounds and one closed: three rows of short buttons, not seven full-width
    "Status: <title>" ones; "Agreed actions" (the /actions screen) only when the digest
    lists actions."""
    from types import SimpleNamespace

    from scheduler.digest import ACTIONS_BUTTON, Week, digest_buttons
    from surveys.action_follow_up import ActionLine, ActionWeek

    def status(rid: int) -> SimpleNamespace:
        return SimpleNamespace(round=SimpleNamespace(id=rid, title=f"Round {rid} review"))

    now = utc(2026, 11, 9, 9)
    week = Week("2026-W46", now, now, [status(n) for n in range(2, 8)],  # type: ignore[misc]
                [status(1)], [], [])  # type: ignore[list-item]
    assert [[b["label"] for b in row] for row in digest_buttons(week)] == [
        ["Round 2", "Round 3", "Round 4"], ["Round 5", "Round 6", "Round 7"], ["Report 1"]]
    assert digest_buttons(week)[0][1]["data"] == "co:status:3"
    assert digest_buttons(week)[2][0]["data"] == "co:report:1"
    line = ActionLine("Fareham Partnership", "Asha Patel", SimpleNamespace())  # type: ignore[arg-type]
    week.actions = ActionWeek(now.date(), [], [line], [])
    assert digest_buttons(week)[-1] == [{"label": "Agreed actions", "data": ACTIONS_BUTTON}]
    # At most nine rounds: three rows.
    week.open = [status(n) for n in range(20, 32)]  # type: ignore[misc]
    assert [len(row) for row in digest_buttons(week)] == [3, 3, 3, 1]
