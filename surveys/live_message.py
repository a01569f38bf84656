"""The live message: which chat message shows the partner's step, and what it carries.

A question answered with a button on the chat's newest message is replaced in place by the
next one, the answered question's transcript line kept above it, so a run of button answers
costs one edit each rather than an edit and a new message. The message settles into its
transcript lines, and the next step is sent below, when the partner has written below it,
when it would grow too long, or when the step goes back before it. At the end, a message
that shows every answer becomes the review itself, Submit under its lines, and the thank-you
keeps them. A step shown again below
(Continue, Open, Change my answers) settles the older copy, so one message has its buttons.
"""

from __future__ import annotations

from storage.records import Answer
from surveys.context import PartnerContext
from surveys.flow import answered_between, visible_questions
from surveys.model import Question
from surveys.screens import Screen, moved_on, question_screen, review_in_place

# A live message that carries transcript lines above its question stays well inside
# Telegram's 4096 characters; beyond this the next question starts a message of its own.
LIVE_MESSAGE_CHARS = 3000


def live_start(ctx: PartnerContext, current: Question) -> str:
    """The first question the live message shows: where it began, unless the partner has
    gone back before that (Back redraws the message as the earlier question)."""
    start = ctx.response.screen_from
    order = [x.id for x in ctx.q.questions]
    if start is None or start not in order or order.index(start) > order.index(current.id):
        return current.id
    return start


def above(ctx: PartnerContext, start: str, current: Question) -> list[Question]:
    """The answered questions the live message shows above `current`."""
    return answered_between(ctx.q, ctx.answers, ctx.values, start, current.id)


def next_in_place(ctx: PartnerContext, question: Question, nxt: Question | None,
                  answers: dict[str, Answer]) -> tuple[str, Screen | None]:
    """Where the live message's transcript starts, and what it becomes if the next step can
    take the answered question's place in it (None: it settles, the next step goes below):
    the message is the chat's newest (a button on it was pressed and nothing came below),
    the next question comes later in the questionnaire (or, at the end, the message already
    shows every answer), and the message stays a comfortable size."""
    start = live_start(ctx, question)
    if not ctx.at_bottom or ctx.pressed != ctx.response.screen_message_id:
        return start, None
    values = {k: a.value for k, a in answers.items()}
    if nxt is None:   # the review, in place only where the message shows every answer
        if start != visible_questions(ctx.q, values)[0].id:
            return start, None
        shown = review_in_place(
            ctx.round, ctx.q, answered_between(ctx.q, answers, values, start, None), answers,
            ctx.response.id, submitted=ctx.response.state == "submitted")
    elif ctx.q.questions.index(nxt) < ctx.q.questions.index(question):
        return start, None
    else:
        shown = question_screen(ctx.round, ctx.q, nxt, answers, None, ctx.response.id,
                                above=answered_between(ctx.q, answers, values, start, nxt.id))
    return start, shown if len(shown.text) <= LIVE_MESSAGE_CHARS else None


def reviewed_here(ctx: PartnerContext) -> list[Question] | None:
    """At the review: the questions whose transcript lines the live message shows above it
    (every answer), or None when the review is a message of its own."""
    start = ctx.response.screen_from
    if ctx.response.stage != "review" or start is None:
        return None
    return answered_between(ctx.q, ctx.answers, ctx.values, start, None)


def older_copy(ctx: PartnerContext) -> list[tuple[int, Screen]]:
    """The live message, settled, when the step is about to be shown again below it."""
    live = ctx.response.screen_message_id
    if live is None or live == ctx.pressed or ctx.response.stage == "submitted":
        return []
    qid = ctx.response.current_question
    current = ctx.q.question(qid) if qid is not None else None
    shown = [] if current is None else above(ctx, live_start(ctx, current), current)
    return [(live, moved_on(ctx.q, shown, ctx.answers, current))]
