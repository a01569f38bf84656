"""Which messages still count when a partner writes faster than the bot takes them."""

from __future__ import annotations

from typing import Protocol

from storage.records import Partner, Response, Round
from surveys.model import Kind
from surveys.templates import questionnaire_from_dict


class _Partners(Protocol):
    async def by_user(self, telegram_user_id: int) -> Partner | None: ...


class _Responses(Protocol):
    async def all_of_partner(self, partner_id: int) -> list[Response]: ...


class _Rounds(Protocol):
    async def get(self, round_id: int) -> Round: ...


class AnswerInProgress:
    """A message beyond a chat's rate is kept only if it carries on a text answer: the
    partner is on a question answered by typing, or on an answer's comment. Telegram splits a
    long paste into several messages, and those must not be lost."""

    def __init__(self, partners: _Partners, responses: _Responses, rounds: _Rounds) -> None:
        self.partners = partners
        self.responses = responses
        self.rounds = rounds

    async def __call__(self, chat_id: int) -> bool:
        """Whether the partner in this private chat (its id is theirs) is typing an answer."""
        partner = await self.partners.by_user(chat_id)
        if partner is None:
            return False
        for response in await self.responses.all_of_partner(partner.id):
            if response.state != "in_progress" or response.current_question is None:
                continue
            if response.stage == "comment":
                return True
            rnd = await self.rounds.get(response.round_id)
            questionnaire = questionnaire_from_dict(rnd.questionnaire, source=f"round {rnd.id}")
            if questionnaire.question(response.current_question).kind is Kind.TEXT:
                return True
        return False
