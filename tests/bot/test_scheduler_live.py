"""End to end: the real JobQueue runs the scheduler's tick; reminders, the close and the
coordinator's summary arrive through the local Bot API server within seconds."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from scheduler.jobs import TICK_JOB
from surveys.templates import builtin_template
from tests.bot.conftest import COORDINATOR_ID, RunningBot

SECOND = 1 / 86400   # a policy's days, in seconds


async def test_reminders_close_and_summary_arrive_by_the_job_queue(
        running_bot: RunningBot) -> None:
    bot, svc = running_bot, running_bot.svc
    assert svc.scheduler is not None
    # Quiet hours off, whatever the time of day the test runs at.
    quiet_free = replace(svc.scheduler.schedule, quiet=None, quiet_weekends=False)
    svc.scheduler.schedule = svc.scheduler.digests.schedule = quiet_free
    coordinator = bot.server.user(COORDINATOR_ID, "Coordinator")
    asha = await bot.join("Asha Patel", 1001)
    ben = await bot.join("Ben Okafor", 1002)
    now = svc.clock.now()
    rid = await svc.rounds.create(
        builtin_template("swot"), deadline=now + timedelta(seconds=6), title="Quick SWOT",
        policy={"first_nudge_days": 2 * SECOND, "before_deadline_days": [3 * SECOND],
                "min_gap_hours": 0})
    await bot.server.wait_for(asha.chat_id, lambda e: "Quick SWOT" in (e.text or ""))
    # Asha has begun; Ben has not.
    response = await svc.responses.of_partner(rid, (await bot.partner("Asha Patel")).id)
    assert response is not None
    await svc.responses.move(response.id, None, "answer", svc.clock.now())

    await svc.scheduler.changed()           # the in-process hook: replan now
    jobs = bot.app.bot_data.scheduler_jobs
    assert jobs is not None
    assert bot.app.job_queue is not None
    [job] = bot.app.job_queue.get_jobs_by_name(TICK_JOB)
    assert job.name == "partnerpulse:tick"
    assert jobs.next_due is not None and jobs.next_due <= now + timedelta(seconds=2.5)

    nudge = await bot.server.wait_for(ben.chat_id, lambda e: "Reminder" in (e.text or ""),
                                      timeout=60)
    assert "not started" in (nudge.text or "")
    later = await bot.server.wait_for(asha.chat_id, lambda e: "Reminder" in (e.text or ""),
                                      timeout=60)
    assert "Quick SWOT" in (later.text or "")
    closed = await bot.server.wait_for(asha.chat_id, lambda e: "has closed" in (e.text or ""),
                                       timeout=60)
    assert "answers you gave are saved" in (closed.text or "")
    summary = await bot.server.wait_for(coordinator.chat_id,
                                        lambda e: "Round closed: Quick SWOT" in (e.text or ""),
                                        timeout=60)
    assert "Responses: 0 of 4 (0%)" in (summary.text or "")
    assert (await svc.rounds.round(rid)).state == "closed"
    assert jobs.ticks >= 3                  # nudge, the point before the deadline, the close
    # Ben had the nudge and the later point; nobody more than the points allow.
    reminders = [m for m in await svc.outbox.messages(round_id=rid, kind="reminder")]
    assert sorted(m.chat_id for m in reminders) == sorted([ben.chat_id, ben.chat_id,
                                                           asha.chat_id])
