"""What a partner's step is worked out from: the round, its questionnaire, their response."""

from __future__ import annotations

from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from storage.records import Answer, Partner, Response, Round
from storage.responses import ResponseRepository
from storage.rounds import RoundRepository
from surveys.clock import Clock
from surveys.errors import NotAllowed, RoundClosed, maps_store_errors
from surveys.model import AnswerValue, Question, Questionnaire
from surveys.screens import Action
from surveys.templates import questionnaire_from_dict

FORGED = "That button is not one of yours."


@dataclass
class PartnerContext:
    """One partner's response to one round, with everything needed to take the next step."""

    round: Round
    q: Questionnaire
    response: Response
    answers: dict[str, Answer]
    # Where the step came from: the message pressed (None: typed), and whether the live
    # message is the newest in the chat, so the next question may replace it in place.
    pressed: int | None = None
    at_bottom: bool = False

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

    async def _load(self, partner: Partner, round_id: int, *,
                    require_open: bool = True) -> PartnerContext:
        found = await self.responses.with_round(round_id, partner.id)
        if found is None:   # no such round, or the partner was not invited to it
            raise NotAllowed(FORGED)
        rnd, response, answers = found
        if require_open and (rnd.state != "open" or self.clock.now() >= rnd.deadline):
            raise RoundClosed(f"“{rnd.title}” has closed, so it takes no more answers. "
                              "Everything you answered before it closed is saved.")
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
                # In an observation round, the record the observer looked at last.
                found = await self.responses.with_answers(rnd.id, partner.id)
                if found is None:
                    return None
                return PartnerContext(rnd, self.questionnaire(rnd), *found)
            if response.focused_at is not None:
                return None   # the round they were in has closed: nothing to type into
        return None

    async def _move(self, ctx: PartnerContext, question_id: str | None, stage: str, *,
                    screen_from: str | None = None) -> None:
        """Point the response at a step, and the context with it (not read back)."""
        await self.responses.move(ctx.response.id, question_id, stage, self.clock.now(),
                                  screen_from=screen_from)
        ctx.response = moved(ctx.response, question_id, stage)

    def _live(self, ctx: PartnerContext) -> int | None:
        return ctx.response.screen_message_id

    def _at_rest(self, ctx: PartnerContext) -> bool:
        """Submitted and not being changed."""
        return ctx.response.state == "submitted" and ctx.response.stage == "submitted"

    def _question_at(self, ctx: PartnerContext, action: Action) -> Question:
        if not 0 <= action.question < len(ctx.q.questions):
            raise NotAllowed(FORGED)
        return ctx.q.questions[action.question]


def moved(response: Response, question_id: str | None, stage: str) -> Response:
    """The response as a move leaves it (`storage.responses._move`), without reading it back."""
    state = "in_progress" if response.state == "not_started" else response.state
    return replace(response, current_question=question_id, stage=stage, draft=None,
                   state=state)
