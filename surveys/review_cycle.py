"""The review goes on: which earlier round a round follows, and the report sections that say so.

A round is compared with the round chosen when it was created (`rounds create --compare-with`),
or else the latest closed round of the same template whose invitees overlap. Its report then
opens with how the last review's actions went and what changed since, and ends with the
actions agreed after this one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from storage.actions import ActionRepository, ComparisonRepository
from storage.errors import RecordMissing
from storage.records import Round
from storage.rounds import RoundRepository
from surveys.actions import local_today
from surveys.clock import Clock
from surveys.errors import InvalidAnswer, NotFound, maps_store_errors

if TYPE_CHECKING:  # the report package loads pandas and matplotlib
    from surveys.report import Report, RoundData

PlainReport = Callable[[int], Awaitable["Report"]]


@maps_store_errors
class ReviewCycle:
    """Links rounds to the ones they follow and adds the review-cycle sections to reports."""

    def __init__(self, rounds: RoundRepository, actions: ActionRepository,
                 comparisons: ComparisonRepository, clock: Clock, zone: ZoneInfo,
                 min_group_size: int = 3) -> None:
        self.rounds = rounds
        self.actions = actions
        self.comparisons = comparisons
        self.clock = clock
        self.zone = zone
        self.min_group_size = min_group_size

    async def default_previous(self, rnd: Round) -> Round | None:
        """The latest closed round before this one, of the same template, sharing invitees."""
        invited = await self.comparisons.invited(rnd.id)
        for other in await self.rounds.all(("closed",)):   # newest first
            if (other.id == rnd.id or other.template_id != rnd.template_id
                    or other.created_at >= rnd.created_at):
                continue
            if invited & await self.comparisons.invited(other.id):
                return other
        return None

    async def link(self, round_id: int, compare_with: int | None) -> Round | None:
        """Record what a new round is compared with: the round given, or the default."""
        rnd = await self.rounds.get(round_id)
        if compare_with is None:
            found = await self.default_previous(rnd)
            if found is not None:
                await self.comparisons.link(round_id, found.id, "default")
            return found
        other = await self.checked(compare_with, rnd.template_id, rnd.id)
        await self.comparisons.link(round_id, other.id, "coordinator")
        return other

    async def checked(self, compare_with: int, template_id: str,
                      round_id: int | None = None) -> Round:
        """The round to compare with, if it can be (same questionnaire, not the round itself)."""
        try:
            other = await self.rounds.get(compare_with)
        except RecordMissing:
            raise NotFound(f"No round {compare_with} to compare with.") from None
        if other.id == round_id:
            raise InvalidAnswer("A round cannot be compared with itself.")
        if other.template_id != template_id:
            raise InvalidAnswer(f"Round {other.id} used {other.template_id!r}, this one "
                                f"{template_id!r}: only rounds of the same questionnaire "
                                "can be compared.")
        return other

    async def previous(self, rnd: Round) -> Round | None:
        """The round this one follows: as recorded, or the default."""
        found = await self.comparisons.compared_with(rnd.id)
        if found is not None:
            return await self.rounds.get(found)
        return await self.default_previous(rnd)

    async def extend(self, report: Report, data: RoundData, plain: PlainReport) -> None:
        """Add "Progress on last review's actions" and "Since the last review" first, and
        "Agreed actions" last."""
        from surveys.report.actions import agreed_actions_section, progress_section
        from surveys.report.compare import compare_reports

        rnd, q = data.round, data.questionnaire
        today = local_today(self.clock.now(), self.zone)
        first = []
        last = await self.previous(rnd)
        if last is not None:
            done_before = await self.actions.find(round_ids=[last.id])
            progress = progress_section(done_before, q, last, today)
            if progress is not None:
                first.append(progress)
            if last.template_id == rnd.template_id:
                before = await plain(last.id)
                title = f"{last.title} (round {last.id}, closed " + (
                    last.closed_at.astimezone(self.zone).strftime("%-d %B %Y")
                    if last.closed_at else "not yet closed") + ")"
                first.append(compare_reports(report, before, q, title,
                                             min_group_size=self.min_group_size,
                                             private=data.private))
        report.sections[:0] = first
        agreed = agreed_actions_section(await self.actions.find(round_ids=[rnd.id]), q, today)
        if agreed is not None:
            report.sections.append(agreed)
