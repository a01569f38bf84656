"""The partner's conversation: each step validated, committed, then answered with a screen.

What comes next is always worked out from what is stored, so a restart, a second phone or an
old button cannot put a partner on the wrong question.
"""

from __future__ import annotations

from storage.records import Answer, Partner
from surveys.answers import parse_typed_answer, validate_answer, validate_comment
from surveys.context import FORGED, ContextLoader, PartnerContext
from surveys.errors import InvalidAnswer, NotAllowed
from surveys.flow import first_unanswered, previous_question, visible_questions
from surveys.model import Kind, Question
from surveys.screens import (
    Action,
    Button,
    Outcome,
    Screen,
    answer_text,
    card,
    change_screen,
    comment_screen,
    question_screen,
    review_screens,
    transcript,
    when,
)

STALE = "That button is from an earlier step; here is where you are now."


class AnsweringService(ContextLoader):
    """Every step of a partner answering a round."""

    # -- reading -----------------------------------------------------------------------

    async def my_rounds(self, partner: Partner) -> Screen:
        """The partner's open rounds, with where they stand and a button each."""
        lines, rows = ["Your question rounds", ""], []
        for response in await self.responses.all_of_partner(partner.id):
            rnd = await self.rounds.get(response.round_id)
            if rnd.state != "open":
                continue
            q = self.questionnaire(rnd)
            answers = await self.responses.answers(response.id)
            total = len(visible_questions(q, {k: a.value for k, a in answers.items()}))
            if response.state == "submitted":
                status = "submitted"
            elif response.state == "withdrawn":
                continue
            elif answers:
                status = f"{len(answers)} of {total} answered"
            else:
                status = "not started"
            lines.append(f"• {rnd.title}: {status} · deadline {when(rnd.deadline, self.zone)}")
            rows.append([Button(f"{'View' if status == 'submitted' else 'Open'}: {rnd.title}"[:60],
                                Action("open", rnd.id))])
        if not rows:
            lines = ["You have no open question rounds just now. We will message you when "
                     "there is one."]
        return Screen("\n".join(lines), rows, kind="rounds")

    async def open_card(self, partner: Partner, round_id: int) -> Outcome:
        """The round's card: what it is, how long, the deadline, what anonymity means."""
        ctx = await self._load(partner, round_id, require_open=False)
        await self.responses.focus(ctx.response.id, self.clock.now())
        if ctx.round.state == "closed":
            return Outcome(notice="This round has closed.",
                           send=[Screen(f"“{ctx.round.title}” has closed. Thank you.")])
        total = len(visible_questions(ctx.q, ctx.values))
        return Outcome(send=[card(ctx.round, ctx.q, ctx.response.state, len(ctx.answers), total,
                                  self.zone, can_edit=self._can_edit(ctx))])

    # -- button presses ------------------------------------------------------------------

    async def press(self, partner: Partner, action: Action) -> Outcome:
        """Apply a button press (callback data already decoded)."""
        if action.verb == "rounds":
            return Outcome(send=[await self.my_rounds(partner)])
        if action.verb == "open":
            return await self.open_card(partner, action.round_id)
        ctx = await self._load(partner, action.round_id)
        handler = {
            "start": self._start, "later": self._later, "review": self._review,
            "edit": self._reopen, "sub": self._submit, "chg": self._change,
        }.get(action.verb)
        if handler is not None:
            return await handler(ctx, action)
        question = self._question_at(ctx, action)
        limit = {"pick": len(question.choices), "tog": len(question.options)}.get(action.verb)
        if limit is not None and not 0 <= action.option < limit:
            raise NotAllowed(FORGED)
        expected_stage = "comment" if action.verb in ("cmt", "nocmt") else "answer"
        if (ctx.response.current_question != question.id
                or ctx.response.stage not in (expected_stage, "edit")
                or (expected_stage == "comment") != (ctx.response.stage == "comment")):
            return self._stale(ctx)
        if action.verb == "pick":
            return await self._save(ctx, question, question.choices[action.option])
        if action.verb == "tog":
            return await self._toggle(ctx, question, action.option)
        if action.verb == "done":
            ticked = ctx.response.draft if isinstance(ctx.response.draft, list) else (
                ctx.answers[question.id].value if question.id in ctx.answers else [])
            return await self._save(ctx, question, ticked)
        if action.verb == "next":
            return await self._next(ctx, question)
        if action.verb == "skip":
            if not question.optional:
                return self._again(ctx, "This question needs an answer.")
            return await self._save(ctx, question, None, skipped=True)
        if action.verb == "back":
            return await self._back(ctx, question)
        if action.verb == "cmt":
            return Outcome(notice="Type your comment below.", send=[comment_screen(
                ctx.round, ctx.q, question, ctx.answers[question.id], ctx.response.id,
                asked=True)], settle=transcript(question, ctx.answers[question.id]))
        # nocmt
        if question.comment == "required":
            return self._again(ctx, "Please type a comment.")
        return await self._advance(ctx, question,
                                   transcript(question, ctx.answers.get(question.id)))

    # -- typed messages ------------------------------------------------------------------

    async def text(self, partner: Partner, text: str) -> Outcome:
        """A typed message: an answer, part of one, or a comment, for the active round."""
        ctx = await self._active(partner)
        if ctx is None:
            return Outcome(send=[Screen("You have no question in progress. Use /surveys to see "
                                        "your rounds.")])
        stage, qid = ctx.response.stage, ctx.response.current_question
        if ctx.response.state == "not_started":
            return Outcome(notice="Tap Start to begin.", send=[Screen(
                f"To answer “{ctx.round.title}”, tap Start on its card first.")])
        if stage == "submitted":
            return Outcome(send=[Screen(
                f"You have submitted “{ctx.round.title}”. To change an answer, open it from "
                "/surveys and tap Change my answers.")])
        if stage == "review" or qid is None:
            return Outcome(notice="Tap Submit, or Change an answer.",
                           send=self._reviews(ctx))
        question = ctx.q.question(qid)
        if stage == "comment":
            try:
                comment = validate_comment(text, max_length=self.max_text_length)
            except InvalidAnswer as exc:
                return self._again(ctx, str(exc))
            await self.responses.save_comment(ctx.response.id, question.id, comment,
                                              self.clock.now(), next_question=question.id,
                                              stage="answer")
            ctx.answers = await self.responses.answers(ctx.response.id)
            return await self._advance(ctx, question, transcript(question,
                                                                 ctx.answers[question.id]))
        if question.kind is Kind.TEXT:
            so_far = ctx.response.draft if isinstance(ctx.response.draft, str) else ""
            combined = f"{so_far}\n{text}" if so_far else text
            limit = question.max_length or self.max_text_length
            if len(combined) > limit:
                extra = f" (with what you sent before, {len(combined):,})" if so_far else ""
                return self._again(ctx, f"That is {len(text):,} characters{extra}; the limit "
                                        f"is {limit:,}. Please shorten it. Nothing was lost: "
                                        "your answer so far is kept.")
            await self.responses.set_draft(ctx.response.id, combined, self.clock.now())
            screen = question_screen(ctx.round, ctx.q, question, ctx.answers, combined,
                                     ctx.response.id)
            return Outcome(send=[screen], settle=f"{question.prompt}\n✏️ answer in progress…",
                           settle_message_id=ctx.response.screen_message_id, notice="Saved.")
        try:
            value = parse_typed_answer(question, text, max_text_length=self.max_text_length)
        except InvalidAnswer as exc:
            hint = str(exc) if question.kind is Kind.NUMBER else (
                "Please tap one of the buttons for this question.")
            return self._again(ctx, hint)
        return await self._save(ctx, question, value)

    async def not_text(self, partner: Partner, what: str) -> Outcome:
        """A sticker, photo, voice note or location where an answer was wanted."""
        ctx = await self._active(partner)
        if ctx is None or ctx.response.current_question is None:
            return Outcome(send=[Screen(f"Thanks, but I can't use a {what} here. Use /surveys "
                                        "to see your rounds.")])
        question = ctx.q.question(ctx.response.current_question)
        ask = ("Please type your answer." if question.kind in (Kind.TEXT, Kind.NUMBER)
               or ctx.response.stage == "comment" else "Please tap one of the buttons.")
        return self._again(ctx, f"I can't use a {what} as an answer. {ask}")

    async def remember_screen(self, response_id: int, message_id: int) -> None:
        """Note the chat message that now shows the partner's current step."""
        await self.responses.set_screen(response_id, message_id)

    # -- steps -------------------------------------------------------------------------

    async def _start(self, ctx: PartnerContext, action: Action) -> Outcome:
        await self.responses.focus(ctx.response.id, self.clock.now())
        if ctx.response.state == "submitted":
            return Outcome(send=[card(ctx.round, ctx.q, "submitted", len(ctx.answers),
                                      len(visible_questions(ctx.q, ctx.values)), self.zone,
                                      can_edit=self._can_edit(ctx))])
        shown = card(ctx.round, ctx.q, ctx.response.state, len(ctx.answers),
                     len(visible_questions(ctx.q, ctx.values)), self.zone, can_edit=False)
        return self._resume(ctx, await self._place(ctx), settle=shown.text + "\n\n▶ Started")

    async def _later(self, ctx: PartnerContext, action: Action) -> Outcome:
        deadline = when(ctx.round.deadline, self.zone)
        return Outcome(notice="No problem.", settle=f"{ctx.round.title}\nLater: use /surveys "
                       f"when you are ready (deadline {deadline}).")

    async def _review(self, ctx: PartnerContext, action: Action) -> Outcome:
        if self._at_rest(ctx):
            return self._stale(ctx)
        await self.responses.move(ctx.response.id, None, "review", self.clock.now())
        return Outcome(send=self._reviews(ctx),
                       settle="Back to the review.")

    async def _reopen(self, ctx: PartnerContext, action: Action) -> Outcome:
        if ctx.response.state != "submitted":
            return self._stale(ctx)
        if not self._can_edit(ctx):
            return Outcome(notice="Answers to an anonymous round cannot be changed once "
                                  "submitted.")
        # Looking is free: the submission stays counted; each change is kept as it is made.
        await self.responses.move(ctx.response.id, None, "review", self.clock.now())
        return Outcome(send=self._reviews(ctx),
                       settle=f"{ctx.round.title}: your submission stands. Each answer you "
                              "change counts at once.")

    async def _submit(self, ctx: PartnerContext, action: Action) -> Outcome:
        if self._at_rest(ctx):
            return self._stale(ctx)
        missing = first_unanswered(ctx.q, set(ctx.answers), ctx.values)
        if missing is not None:
            await self.responses.move(ctx.response.id, missing.id, "edit", self.clock.now())
            ctx.response = await self._reload(ctx)
            return self._resume(ctx, missing, notice="One question still needs an answer.")
        if ctx.response.state == "submitted":   # done changing a submitted response
            await self.responses.move(ctx.response.id, None, "submitted", self.clock.now())
            return Outcome(send=[Screen(f"✅ Saved: your changes to {ctx.round.title} count. "
                                        "Thank you!", kind="done")], settle="Changes saved.")
        await self.responses.submit(ctx.response.id, self.clock.now(),
                                    anonymous=ctx.round.anonymity == "anonymous")
        thanks = [f"✅ Submitted: {ctx.round.title}. Thank you!"]
        if self._can_edit(ctx):
            thanks.append(f"You can change your answers from /surveys until "
                          f"{when(ctx.round.deadline, self.zone)}.")
        return Outcome(send=[Screen("\n".join(thanks), kind="done")], settle="Submitted.")

    async def _change(self, ctx: PartnerContext, action: Action) -> Outcome:
        if self._at_rest(ctx) or (ctx.response.state == "submitted"
                                  and not self._can_edit(ctx)):
            return self._stale(ctx)
        if action.question < 0:
            return Outcome(send=[change_screen(ctx.round, ctx.q, ctx.answers, ctx.response.id)])
        question = self._question_at(ctx, action)
        if question not in visible_questions(ctx.q, ctx.values):
            return self._stale(ctx)
        await self.responses.move(ctx.response.id, question.id, "edit", self.clock.now())
        ctx.response = await self._reload(ctx)
        return self._resume(ctx, question, settle="Changing an answer.")

    async def _toggle(self, ctx: PartnerContext, question: Question, option: int) -> Outcome:
        current = ctx.response.draft if isinstance(ctx.response.draft, list) else list(
            ctx.answers[question.id].value if question.id in ctx.answers
            and isinstance(ctx.answers[question.id].value, list) else [])
        label = question.options[option]
        ticked = [o for o in current if o != label] if label in current else [*current, label]
        ticked = [o for o in question.options if o in ticked]
        await self.responses.set_draft(ctx.response.id, ticked, self.clock.now())
        return Outcome(replace=question_screen(ctx.round, ctx.q, question, ctx.answers, ticked,
                                               ctx.response.id))

    async def _next(self, ctx: PartnerContext, question: Question) -> Outcome:
        draft = ctx.response.draft
        if isinstance(draft, str):
            return await self._save(ctx, question, draft)
        if question.id in ctx.answers:  # "Keep this answer"
            return await self._advance(ctx, question,
                                       transcript(question, ctx.answers[question.id]))
        return self._again(ctx, "Please type your answer first.")

    async def _back(self, ctx: PartnerContext, question: Question) -> Outcome:
        earlier = previous_question(ctx.q, ctx.values, question.id)
        if earlier is None:
            return self._stale(ctx)
        await self.responses.move(ctx.response.id, earlier.id, "answer", self.clock.now())
        ctx.response = await self._reload(ctx)
        return self._resume(ctx, earlier, settle=f"{question.prompt}\n← went back")

    async def _save(self, ctx: PartnerContext, question: Question, value: object, *,
                    skipped: bool = False) -> Outcome:
        if not skipped:
            try:
                value = validate_answer(question, value, max_text_length=self.max_text_length)
            except InvalidAnswer as exc:
                return self._again(ctx, str(exc))
        wants_comment = question.comment != "none" and not skipped
        keep = ctx.answers.get(question.id)
        comment = keep.comment if keep and keep.value == value else None
        now = self.clock.now()
        if wants_comment:
            await self.responses.save_answer(ctx.response.id, question.id, value, comment,
                                             skipped, now, next_question=question.id,
                                             stage="comment")
            ctx.answers = await self.responses.answers(ctx.response.id)
            return Outcome(send=[comment_screen(ctx.round, ctx.q, question,
                                                ctx.answers[question.id], ctx.response.id)],
                           settle=transcript(question, ctx.answers[question.id]),
                           settle_message_id=ctx.response.screen_message_id)
        ctx.answers[question.id] = Answer(ctx.response.id, question.id, value, None, skipped)
        nxt = first_unanswered(ctx.q, set(ctx.answers), ctx.values)
        await self.responses.save_answer(ctx.response.id, question.id, value, None, skipped, now,
                                         next_question=nxt.id if nxt else None,
                                         stage="answer" if nxt else "review")
        ctx.answers = await self.responses.answers(ctx.response.id)
        ctx.response = await self._reload(ctx)
        return self._after(ctx, nxt, transcript(question, ctx.answers[question.id]))

    async def _advance(self, ctx: PartnerContext, question: Question, settle: str) -> Outcome:
        nxt = first_unanswered(ctx.q, set(ctx.answers), ctx.values)
        await self.responses.move(ctx.response.id, nxt.id if nxt else None,
                                  "answer" if nxt else "review", self.clock.now())
        ctx.response = await self._reload(ctx)
        return self._after(ctx, nxt, settle)

    def _after(self, ctx: PartnerContext, nxt: Question | None, settle: str) -> Outcome:
        if nxt is None:
            return Outcome(send=self._reviews(ctx),
                           settle=settle, settle_message_id=ctx.response.screen_message_id)
        return Outcome(send=[question_screen(ctx.round, ctx.q, nxt, ctx.answers, None,
                                             ctx.response.id)],
                       settle=settle, settle_message_id=ctx.response.screen_message_id)

    # -- helpers -----------------------------------------------------------------------

    async def _place(self, ctx: PartnerContext) -> Question | None:
        """Where the partner is: the stored pointer, else the first unanswered question."""
        qid = ctx.response.current_question
        shown = visible_questions(ctx.q, ctx.values)
        if qid is not None and any(x.id == qid for x in shown):
            return ctx.q.question(qid)
        nxt = first_unanswered(ctx.q, set(ctx.answers), ctx.values)
        await self.responses.move(ctx.response.id, nxt.id if nxt else None,
                                  "answer" if nxt else "review", self.clock.now())
        ctx.response = await self._reload(ctx)
        return nxt

    def _resume(self, ctx: PartnerContext, question: Question | None, *, settle: str | None = None,
                notice: str | None = None) -> Outcome:
        """Show the partner's current step afresh."""
        if question is None:
            screens = self._reviews(ctx)
        elif ctx.response.stage == "comment" and question.id in ctx.answers:
            screens = [comment_screen(ctx.round, ctx.q, question, ctx.answers[question.id],
                                      ctx.response.id)]
        else:
            screens = [question_screen(ctx.round, ctx.q, question, ctx.answers,
                                       ctx.response.draft, ctx.response.id)]
        return Outcome(send=screens, settle=settle, notice=notice,
                       settle_message_id=ctx.response.screen_message_id)

    def _again(self, ctx: PartnerContext, message: str) -> Outcome:
        """Refuse kindly and show the current step again."""
        question = (ctx.q.question(ctx.response.current_question)
                    if ctx.response.current_question else None)
        outcome = self._resume(ctx, question, notice=message)
        outcome.send.insert(0, Screen(message))
        outcome.settle = None
        return outcome

    def _reviews(self, ctx: PartnerContext) -> list[Screen]:
        return review_screens(ctx.round, ctx.q, ctx.answers, ctx.response.id,
                              submitted=ctx.response.state == "submitted")

    def _at_rest(self, ctx: PartnerContext) -> bool:
        """Submitted and not being changed."""
        return ctx.response.state == "submitted" and ctx.response.stage == "submitted"

    def _stale(self, ctx: PartnerContext) -> Outcome:
        if self._at_rest(ctx):
            return Outcome(notice="You have already submitted this round.",
                           send=[Screen("You have already submitted this round. Use /surveys "
                                        "to see it.")])
        question = (ctx.q.question(ctx.response.current_question)
                    if ctx.response.current_question else None)
        return self._resume(ctx, question, notice=STALE)

    def _question_at(self, ctx: PartnerContext, action: Action) -> Question:
        if not 0 <= action.question < len(ctx.q.questions):
            raise NotAllowed(FORGED)
        return ctx.q.questions[action.question]


__all__ = ["AnsweringService", "answer_text"]
