"""Reminders: who has not answered, what to tell them, and never too often."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from storage.partners import PartnerRepository
from storage.records import NewMessage, Partner, Response, Round
from storage.reminder_points import ReminderPointRepository
from storage.responses import ResponseRepository
from storage.rounds import RoundRepository
from surveys.clock import Clock
from surveys.errors import RoundClosed, maps_store_errors
from surveys.flow import answered_count, question_count
from surveys.plural import count
from surveys.quiet import QuietHours
from surveys.screens import Action, when
from surveys.templates import questionnaire_from_dict


@dataclass
class ReminderResult:
    """What a round of reminders did."""

    queued: int = 0
    capped: int = 0        # already had the most reminders allowed
    too_soon: int = 0      # reminded within the minimum gap
    unreachable: int = 0   # not joined, or blocked the bot
    going: datetime | None = None   # when they go out (later than now in quiet hours)

    def summary(self, zone: ZoneInfo, now: datetime) -> str:
        """What happened, in a sentence for the coordinator."""
        later = (f" They go out at {when(self.going, zone)}, after quiet hours."
                 if self.queued and self.going is not None and self.going > now else "")
        return (f"{count(self.queued, 'reminder')} queued.{later} Skipped: {self.capped} at the "
                f"reminder limit, {self.too_soon} reminded too recently, {self.unreachable} "
                "not reachable (not joined or blocked the bot).")


@maps_store_errors
class Reminders:
    """Works out and queues reminders for partners who have not submitted.

    The one path for every reminder: the chat's /remind, `partnerpulse rounds remind` and the
    scheduler's policy points. Each waits for the end of quiet hours.
    """

    def __init__(self, rounds: RoundRepository, responses: ResponseRepository,
                 partners: PartnerRepository, clock: Clock, zone: ZoneInfo,
                 points: ReminderPointRepository | None = None,
                 quiet: QuietHours | None = None) -> None:
        self.rounds = rounds
        self.responses = responses
        self.partners = partners
        self.clock = clock
        self.zone = zone
        self.points = points
        self.quiet = quiet

    def going(self, not_before: datetime | None = None) -> datetime:
        """When reminders queued now go out: after `not_before` and outside quiet hours."""
        now = self.clock.now()
        allowed = self.quiet.next_allowed(now) if self.quiet is not None else now
        return max(now, allowed, not_before or now)

    async def remind(self, round_id: int, *, only_not_started: bool = False,
                     not_before: datetime | None = None, reason: str = "manual"
                     ) -> ReminderResult:
        """Queue a reminder to each partner who has not submitted, within the policy's limits."""
        result, queue = await self._select(round_id, only_not_started, not_before, reason)
        result.queued = await self.responses.queue_reminders(queue, self.clock.now())
        result.going = self.going(not_before)
        return result

    async def remind_at_point(self, round_id: int, point: str, due_at: datetime, *,
                              only_not_started: bool, not_before: datetime | None = None,
                              skipped: Sequence[tuple[str, datetime]] = ()
                              ) -> ReminderResult | None:
        """Fire one policy point: its record and its reminders in one transaction, once.

        Returns None if the point had fired before (another tick, another process).
        """
        if self.points is None:
            raise ValueError("Reminders was built without a reminder point repository")
        result, queue = await self._select(round_id, only_not_started, not_before, point)
        going = self.going(not_before)
        queued = await self.points.fire(round_id, point, due_at, queue, self.clock.now(),
                                        reminded_at=going, skipped=skipped)
        if queued is None:
            return None
        result.queued = queued
        result.going = going
        return result

    async def _select(self, round_id: int, only_not_started: bool, not_before: datetime | None,
                      reason: str) -> tuple[ReminderResult, list[tuple[int, NewMessage]]]:
        """Who gets a reminder now (and their messages), and who is left out and why."""
        rnd = await self.rounds.get(round_id)
        now = self.clock.now()
        if rnd.state != "open" or now >= rnd.deadline:
            raise RoundClosed(f"“{rnd.title}” is not open, so there is no one to remind.")
        policy = rnd.reminder_policy
        cap = int(policy.get("max_reminders", 3))
        gap = timedelta(hours=float(policy.get("min_gap_hours", 24)))
        people = {p.id: p for p in await self.partners.all()}
        result = ReminderResult()
        queue: list[tuple[int, NewMessage]] = []
        for response in await self.responses.of_round(round_id):
            if response.is_ballot or response.state not in ("not_started", "in_progress"):
                continue
            if only_not_started and response.state != "not_started":
                continue
            partner = people.get(response.partner_id or -1)
            if partner is None or partner.chat_id is None or not partner.reachable:
                result.unreachable += 1
                continue
            if response.reminders_sent >= cap:
                result.capped += 1
                continue
            # Measured from when the last one goes out, which quiet hours may have deferred.
            going = self.going(not_before)
            if (response.last_reminded_at is not None
                    and going - response.last_reminded_at < gap):
                result.too_soon += 1
                continue
            message = await self.message(rnd, partner, response, going, reason)
            queue.append((response.id, message))
        return result, queue

    async def message(self, rnd: Round, partner: Partner, response: Response,
                      not_before: datetime, reason: str) -> NewMessage:
        """The reminder for one partner: where they stand, the deadline, a button to go on."""
        q = questionnaire_from_dict(rnd.questionnaire)
        # An observer's answers are in the record they were on (none: their own response).
        found = await self.responses.with_answers(rnd.id, partner.id)
        answers = found[1] if found else {}
        total = question_count(q)
        if answers:
            where = f"{answered_count(q, answers)} of {total} answered — tap to continue"
            label = "Continue"
        else:
            where = f"not started: {total} questions, about {q.estimated_minutes} minutes"
            label = "Start"
        text = (f"⏰ Reminder: {rnd.title}\n{where}.\n"
                f"Deadline: {when(rnd.deadline, self.zone)}.")
        number = response.reminders_sent + 1
        return NewMessage(
            chat_id=partner.chat_id or 0, kind="reminder", partner_id=partner.id,
            round_id=rnd.id, not_before=not_before,
            dedupe_key=f"reminder:{rnd.id}:{partner.id}:{number}",
            payload={"text": text, "reason": reason,
                     "buttons": [[{"label": label, "data": Action("start", rnd.id).encode()}]]})
