"""The JobQueue binding: python-telegram-bot's JobQueue (APScheduler 3.x) runs the tick.

Two named jobs, no data: a one-shot `partnerpulse:tick` at the next due moment (replaced
whenever the plan changes) and a repeating `partnerpulse:safety-tick` that catches changes
made by another process (the CLI) and anything a missed timer let slip.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from telegram.ext import CallbackContext, JobQueue

from scheduler.service import Scheduler, TickReport

log = logging.getLogger(__name__)

TICK_JOB = "partnerpulse:tick"
SAFETY_JOB = "partnerpulse:safety-tick"
# Never sleep longer than this on one timer: a clock change or a lost timer heals itself.
MAX_WAIT = 3600.0


class SchedulerJobs:
    """Schedules `Scheduler.tick` on a JobQueue by name, for the next moment something is due."""

    def __init__(self, scheduler: Scheduler, job_queue: JobQueue, *,
                 wake: asyncio.Event | None = None, safety_interval: float = 60.0) -> None:
        self.scheduler = scheduler
        self.job_queue = job_queue
        self.wake = wake
        self.safety_interval = safety_interval
        self.next_due: datetime | None = None
        self.ticks = 0
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        """Derive the jobs from the database and start the safety tick."""
        self.scheduler.on_change = self.reschedule
        for job in self.job_queue.get_jobs_by_name(SAFETY_JOB):
            job.schedule_removal()
        self.job_queue.run_repeating(
            self._run, self.safety_interval, first=self.safety_interval, name=SAFETY_JOB,
            job_kwargs={"coalesce": True, "misfire_grace_time": None, "max_instances": 1})
        await self.reschedule()

    async def reschedule(self) -> datetime | None:
        """Replace the one-shot tick with one at the plan's next due moment; returns it."""
        plan = await self.scheduler.plan()
        for job in self.job_queue.get_jobs_by_name(TICK_JOB):
            with contextlib.suppress(JobLookupError):
                job.schedule_removal()
        self.next_due = plan.next_due
        if plan.next_due is None:
            return None
        delay = (plan.next_due - self.scheduler.clock.now()).total_seconds()
        self.job_queue.run_once(self._run, min(MAX_WAIT, max(0.0, delay)), name=TICK_JOB,
                                job_kwargs={"misfire_grace_time": None})
        return plan.next_due

    async def tick(self) -> TickReport:
        """Run one tick (one at a time), wake the sender if it queued anything, replan."""
        async with self._lock:
            report = await self.scheduler.tick()
            self.ticks += 1
        if report.changed and self.wake is not None:
            self.wake.set()
        await self.reschedule()
        return report

    async def _run(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        """The job callback: ticks, logging rather than losing the next timer on an error."""
        try:
            await self.tick()
        except Exception:
            log.exception("scheduler tick failed; the safety tick will try again")
