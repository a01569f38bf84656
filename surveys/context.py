"""What a partner's step is worked out from: the round, its questionnaire, their response."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from storage.errors import RecordMissing
from storage.records import Answer, Partner, Response, Round
from storage.responses import ResponseRepository
from storage.rounds import RoundRepository
from surveys.clock import Clock
from surveys.errors import NotAllowed, RoundClosed, maps_store_errors
from surveys.model import AnswerValue, Questionnaire
from surveys.templates import questionnaire_from_dict

FORGED = "That button is not one of yours."


@dataclass
class PartnerContext:
    """One partner's response to one round, with everything needed to take the next step."""

    round: Round
    q: Questionnaire
    response: Response
    answers: dict[str, Answer]

    @property
    def values(self) -> dict[str, AnswerValue | None]:
        """The answers' values by question id (for show_if and progress)."""
        return {k: a.value for k, a in self.answers.items()}


@maps_store_errors
class ContextLoader:
    """Loads a partner's context from what is stored, refusing what is not theirs."""

    def __init__(self, rounds: RoundRepository, responses: ResponseRepository, clock: Clock,
                 zone: ZoneInfo, max_text_length: int = 4000) -> None:
        self.rounds = rounds
        self.responses = responses
        self.clock = clock
        self.zone = zone
        self.max_text_length = max_text_length
        self._questionnaires: dict[int, Questionnaire] = {}

    def questionnaire(self, rnd: Round) -> Questionnaire:
        """The round's frozen questionnaire (parsed once per round)."""
        if rnd.id not in self._questionnaires:
            self._questionnaires[rnd.id] = questionnaire_from_dict(rnd.questionnaire)
        return self._questionnaires[rnd.id]

    def _can_edit(self, ctx: PartnerContext) -> bool:
        return ctx.round.anonymity != "anonymous" and ctx.round.state == "open"

    async def _reload(self, ctx: PartnerContext) -> Response:
        response = await self.responses.get(ctx.response.id)
        assert response is not None
        return response

    async def _load(self, partner: Partner, round_id: int, *,
                    require_open: bool = True) -> PartnerContext:
        try:
            rnd = await self.rounds.get(round_id)
        except RecordMissing:
            raise NotAllowed(FORGED) from None
        found = await self.responses.with_answers(round_id, partner.id)
        if found is None:
            raise NotAllowed(FORGED)
        if require_open and (rnd.state != "open" or self.clock.now() >= rnd.deadline):
            raise RoundClosed(f"“{rnd.title}” has closed, so it takes no more answers. "
                              "Everything you answered before it closed is saved.")
        response, answers = found
        return PartnerContext(rnd, self.questionnaire(rnd), response, answers)

    async def _active(self, partner: Partner) -> PartnerContext | None:
        """The round the partner is answering now: the one they last opened or pressed in.

        Typing carries on in the round they are looking at, not the one answered last; a
        round never looked at counts only while it is in progress (an older database).
        """
        for response in await self.responses.all_of_partner(partner.id):
            if response.state == "withdrawn" or (response.focused_at is None
                                                 and response.state != "in_progress"):
                continue
            rnd = await self.rounds.get(response.round_id)
            if rnd.state == "open" and self.clock.now() < rnd.deadline:
                answers = await self.responses.answers(response.id)
                return PartnerContext(rnd, self.questionnaire(rnd), response, answers)
            if response.focused_at is not None:
                return None   # the round they were in has closed: nothing to type into
        return None
