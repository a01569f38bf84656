"""What every step of answering shares: where a partner is, and the screens of that place."""

from __future__ import annotations

from surveys import live_message as live
from surveys.answers import parse_typed_answer
from surveys.context import ContextLoader, PartnerContext
from surveys.errors import InvalidAnswer
from surveys.flow import first_unanswered, visible_questions
from surveys.model import Question
from surveys.screens import (
    Outcome,
    Screen,
    answered_of,
    card,
    question_screen,
    review_screens,
)


def about(ctx: PartnerContext, screen: Screen) -> Screen:
    """An observation record's screen opens with the partnership it is about."""
    if ctx.response.subject:
        screen.text = f"🔎 {ctx.response.subject}\n{screen.text}"
    return screen


class Steps(ContextLoader):
    """Where a partner is in a response, and the screens that show it."""

    async def _place(self, ctx: PartnerContext) -> Question | None:
        """Where the partner is: the stored pointer, else the first unanswered question."""
        qid = ctx.response.current_question
        shown = visible_questions(ctx.q, ctx.values)
        if qid is not None and any(x.id == qid for x in shown):
            return ctx.q.question(qid)
        if ctx.response.stage == "review" and qid is None:
            return None
        nxt = first_unanswered(ctx.q, set(ctx.answers), ctx.values)
        await self._move(ctx, nxt.id if nxt else None, "answer" if nxt else "review")
        return nxt

    def _step(self, ctx: PartnerContext, question: Question | None) -> list[Screen]:
        """The screens of the partner's current step: a question, or the review."""
        return self._reviews(ctx) if question is None else [self._screen(ctx, question)]

    def _screen(self, ctx: PartnerContext, question: Question) -> Screen:
        """A question as a message of its own."""
        return about(ctx, question_screen(ctx.round, ctx.q, question, ctx.answers,
                                          ctx.response.draft, ctx.response.id,
                                          stage=ctx.response.stage))

    def _redraw(self, ctx: PartnerContext, question: Question) -> Screen:
        """A question drawn in the live message, under the transcript lines it carries."""
        return about(ctx, question_screen(
            ctx.round, ctx.q, question, ctx.answers, ctx.response.draft, ctx.response.id,
            stage=ctx.response.stage,
            above=live.above(ctx, live.live_start(ctx, question), question)))

    def _card(self, ctx: PartnerContext) -> Screen:
        return card(ctx.round, ctx.q, ctx.response.state, answered_of(ctx.q, ctx.answers),
                    self.zone, can_edit=self._can_edit(ctx))

    def _reviews(self, ctx: PartnerContext) -> list[Screen]:
        screens = review_screens(ctx.round, ctx.q, ctx.answers, ctx.response.id,
                                 submitted=ctx.response.state == "submitted")
        return [about(ctx, screens[0]), *screens[1:]]

    def _in_place(self, screens: list[Screen]) -> Outcome:
        """Redraw the pressed message as the first screen; any further parts follow it."""
        if len(screens) == 1:
            return Outcome(edit=screens[0])
        return Outcome(edit=Screen(screens[0].text), send=screens[1:])

    def _draft_comment(self, ctx: PartnerContext) -> str | None:
        draft = ctx.response.draft
        return str(draft["comment"]) if isinstance(draft, dict) and "comment" in draft else None

    def _typed_choice(self, question: Question, text: str) -> str | None:
        """A choice typed out in full ("very well"), or None for anything else."""
        try:
            value = parse_typed_answer(question, text, max_text_length=self.max_text_length)
        except InvalidAnswer:
            return None
        return value if isinstance(value, str) else None
