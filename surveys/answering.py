"""The partner's conversation: each step validated, committed, then answered with a screen.

What comes next is always worked out from what is stored, so a restart, a second phone or an
old button cannot put a partner on the wrong question. Each question lives in one message,
edited through its states; once answered it becomes a transcript line, and the next question
takes its place in the same message or follows below (`surveys.live_message`). Only the live
message's buttons act, older ones answer with a toast.
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from storage.records import Answer, Partner
from surveys import live_message as live
from surveys.answers import parse_typed_answer, validate_answer, validate_comment
from surveys.context import FORGED, PartnerContext, moved
from surveys.errors import InvalidAnswer, NotAllowed, maps_store_errors
from surveys.flow import (
    first_unanswered,
    previous_question,
    question_count,
    visible_questions,
)
from surveys.model import AnswerValue, Kind, Question
from surveys.observing import OBSERVE, ObservationSteps, is_observation
from surveys.screens import (
    Action,
    Button,
    Outcome,
    Screen,
    answer_text,
    answered_of,
    card,
    change_screen,
    review_kept,
    transcript,
    transcript_lines,
    when,
)

STALE = "That is an earlier message: the current question is the newest one below."
# Buttons that act from any message: the invitation, the card, a reminder, the round list.
ANYWHERE = ("open", "start", "later", "edit", "rounds", OBSERVE)


@maps_store_errors
class AnsweringService(ObservationSteps):
    """Every step of a partner answering a round."""

    # -- reading -----------------------------------------------------------------------

    async def my_rounds(self, partner: Partner) -> Screen:
        """The partner's open rounds, with where they stand and a button each."""
        lines, rows = ["Your question rounds", ""], []
        for response in await self.responses.all_of_partner(partner.id):
            rnd = await self.rounds.get(response.round_id)
            if rnd.state != "open" or response.state == "withdrawn":
                continue
            q = self.questionnaire(rnd)
            answers = await self.responses.answers(response.id)
            if is_observation(q):
                status = await self.records_line(PartnerContext(rnd, q, response, answers))
            elif response.state == "submitted":
                status = "submitted"
            elif answers:
                status = f"{answered_of(q, answers)} of {question_count(q)} answered"
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
        if is_observation(ctx.q):
            return Outcome(send=[await self.observation_card(ctx)])
        return Outcome(send=[self._card(ctx)])

    # -- button presses ------------------------------------------------------------------

    async def press(self, partner: Partner, action: Action,
                    message_id: int | None = None, *, at_bottom: bool = False) -> Outcome:
        """Apply a button press (callback data already decoded).

        `message_id` is the message the button was on; a question's buttons act only on the
        live message (None: the caller does not know, as in tests of the domain alone).
        `at_bottom`: that message is the newest in the chat, so the next question may take
        its place (its transcript line kept above) instead of being sent below it.
        """
        if action.verb == "rounds":
            return Outcome(send=[await self.my_rounds(partner)])
        if action.verb == "open":
            return await self.open_card(partner, action.round_id)
        ctx = await self._load(partner, action.round_id)
        ctx.pressed, ctx.at_bottom = message_id, at_bottom
        if (action.verb not in ANYWHERE and message_id is not None
                and message_id != ctx.response.screen_message_id):
            return Outcome(notice=STALE)
        if action.verb == OBSERVE:
            return await self._observe(ctx, action)
        outcome = await self._press(ctx, action)
        if outcome.target is None:
            outcome.target = ctx.response.screen_message_id
        return outcome

    async def _press(self, ctx: PartnerContext, action: Action) -> Outcome:
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
        if (ctx.response.current_question != question.id
                or ctx.response.stage not in ("answer", "edit", "comment")):
            return Outcome(notice=STALE)
        if action.verb == "pick":
            return await self._save(ctx, question, question.choices[action.option],
                                    comment=self._draft_comment(ctx))
        if action.verb == "tog":
            return await self._toggle(ctx, question, action.option)
        if action.verb == "done":
            ticked = ctx.response.draft if isinstance(ctx.response.draft, list) else (
                ctx.answers[question.id].value if question.id in ctx.answers else [])
            return await self._save(ctx, question, ticked)
        if action.verb == "next":
            if question.id not in ctx.answers:
                return Outcome(notice="Please answer first.")
            return await self._advance(ctx, question)
        if action.verb == "skip":
            if not question.optional:
                return Outcome(notice="This question needs an answer.")
            return await self._save(ctx, question, None, skipped=True)
        if action.verb == "back":
            return await self._back(ctx, question)
        return Outcome(notice=STALE)   # "cmt"/"nocmt": buttons of an older version

    # -- typed messages ------------------------------------------------------------------

    async def text(self, partner: Partner, text: str) -> Outcome:
        """A typed message: an answer or a comment, for the round the partner is in."""
        ctx = await self._active(partner)
        if ctx is None:
            return _say("You have no question in progress. Use /surveys to see your rounds.")
        stage, qid = ctx.response.stage, ctx.response.current_question
        if is_observation(ctx.q) and not ctx.response.is_record:
            return _say("First tap the partnership whose meeting you are recording "
                        "(use /surveys if the list has gone).")
        if ctx.response.state == "not_started":
            return _say(f"To answer “{ctx.round.title}”, tap Start on its invitation first.")
        if stage == "submitted":
            return _say(f"You have submitted “{ctx.round.title}”. To change an answer, open it "
                        "from /surveys and tap Change my answers.")
        if stage == "review" or qid is None:
            return _say("Tap Submit on the review above, or Change an answer.")
        question = ctx.q.question(qid)
        earlier = ctx.answers.get(question.id)
        if stage == "comment" or (question.kind.uses_buttons and question.kind is not Kind.MULTI
                                  and question.comment != "none"):
            typed = self._typed_choice(question, text)
            if typed is not None:
                return await self._save(ctx, question, typed, comment=self._draft_comment(ctx))
            try:
                comment = validate_comment(text, max_length=self.max_text_length)
            except InvalidAnswer as exc:
                return _say(str(exc))
            if stage == "comment" or (earlier is not None and not earlier.skipped):
                return await self._save(ctx, question, earlier.value if earlier else None,
                                        comment=comment)
            # Typed before tapping: kept with the question until an answer is tapped.
            await self.responses.set_draft(ctx.response.id, {"comment": comment},
                                           self.clock.now())
            ctx.response = replace(ctx.response, draft={"comment": comment})
            return Outcome(edit=self._redraw(ctx, question), target=self._live(ctx))
        try:
            value = parse_typed_answer(question, text, max_text_length=self.max_text_length)
        except InvalidAnswer as exc:
            if question.kind.uses_buttons:
                return _say("Please tap one of the buttons on the question above.")
            kept = " Your earlier answer is kept." if earlier is not None else ""
            return _say(str(exc) + kept)
        return await self._save(ctx, question, value)

    async def typed_target(self, partner: Partner) -> tuple[int, str, str] | None:
        """The question a message the partner types now would answer or comment on, as
        (response id, question id, prompt); None when `text` would only say there is none
        (no round in progress, not started, on its review, submitted)."""
        ctx = await self._active(partner)
        if ctx is None or ctx.response.state == "not_started":
            return None
        qid = ctx.response.current_question
        if qid is None or ctx.response.stage in ("submitted", "review") or (
                is_observation(ctx.q) and not ctx.response.is_record):
            return None
        return ctx.response.id, qid, ctx.q.question(qid).prompt

    async def not_text(self, partner: Partner, what: str) -> Outcome:
        """A sticker, photo, voice note or location where an answer was wanted."""
        ctx = await self._active(partner)
        if ctx is None or ctx.response.current_question is None:
            return _say(f"Thanks, but I can't use a {what} here. Use /surveys to see your "
                        "rounds.")
        question = ctx.q.question(ctx.response.current_question)
        ask = ("Please type your answer." if question.kind in (Kind.TEXT, Kind.NUMBER)
               or ctx.response.stage == "comment" else "Please tap one of the buttons above.")
        return _say(f"I can't use a {what} as an answer. {ask}")

    async def remember_screen(self, response_id: int, message_id: int,
                              starts_at: str | None = None) -> None:
        """Note the chat message that now shows the partner's current step (and the first
        question whose transcript line it carries)."""
        await self.responses.set_screen(response_id, message_id, starts_at)

    # -- steps -------------------------------------------------------------------------

    async def _start(self, ctx: PartnerContext, action: Action) -> Outcome:
        if is_observation(ctx.q) and (not ctx.response.is_record or self._at_rest(ctx)):
            # An observer picks the partnership first (or, all recorded, sees their records).
            await self.responses.focus(ctx.response.id, self.clock.now())
            if ctx.response.is_record:
                return Outcome(send=[await self.observation_card(ctx)])
            shown = card(ctx.round, ctx.q, ctx.response.state, 0, self.zone, can_edit=False)
            return Outcome(edit=Screen(shown.text + "\n\n▶ Started"),
                           send=[await self.picker(ctx)])
        if ctx.response.state == "submitted" and ctx.response.stage == "submitted":
            return Outcome(send=[self._card(ctx)])
        await self.responses.focus(ctx.response.id, self.clock.now())
        older = live.older_copy(ctx)
        question = await self._place(ctx)
        shown = card(ctx.round, ctx.q, ctx.response.state, answered_of(ctx.q, ctx.answers),
                     self.zone, can_edit=False)
        return Outcome(edit=Screen(shown.text + "\n\n▶ Started"), send=self._step(ctx, question),
                       settle=older)

    async def _later(self, ctx: PartnerContext, action: Action) -> Outcome:
        deadline = when(ctx.round.deadline, self.zone)
        return Outcome(notice="No problem.", edit=Screen(
            f"{ctx.round.title}\nLater: use /surveys when you are ready (deadline {deadline})."))

    async def _review(self, ctx: PartnerContext, action: Action) -> Outcome:
        if self._at_rest(ctx):
            return Outcome(notice=STALE)
        await self.responses.move(ctx.response.id, None, "review", self.clock.now())
        return self._in_place(self._reviews(ctx))

    async def _reopen(self, ctx: PartnerContext, action: Action) -> Outcome:
        if ctx.response.state != "submitted":
            return Outcome(notice=STALE)
        if not self._can_edit(ctx):
            return Outcome(notice="Answers to an anonymous round cannot be changed once "
                                  "submitted.")
        # Looking is free: the submission stays counted; each change is kept as it is made.
        older = [] if self._at_rest(ctx) else live.older_copy(ctx)
        await self.responses.move(ctx.response.id, None, "review", self.clock.now())
        ctx.response = replace(ctx.response, stage="review", current_question=None)
        outcome = self._in_place(self._reviews(ctx))
        outcome.settle = older
        return outcome

    async def _submit(self, ctx: PartnerContext, action: Action) -> Outcome:
        if self._at_rest(ctx):
            return Outcome(notice="You have already submitted this round.")
        missing = first_unanswered(ctx.q, set(ctx.answers), ctx.values)
        if missing is not None:
            await self._move(ctx, missing.id, "edit")
            return Outcome(notice="One question still needs an answer.",
                           edit=self._redraw(ctx, missing))
        deadline = when(ctx.round.deadline, self.zone)
        # The thank-you is drawn in the pressed review, under what it showed: the transcript
        # lines of a review in the live message, or the last part of a review of its own.
        reviewed = live.reviewed_here(ctx)
        kept = ("".join(f"{line}\n\n" for line in transcript_lines(ctx.q, reviewed, ctx.answers))
                if reviewed is not None else review_kept(
                    ctx.round, ctx.q, ctx.answers, ctx.response.id,
                    submitted=ctx.response.state == "submitted"))
        if ctx.response.state == "submitted":   # done changing a submitted response
            await self.responses.move(ctx.response.id, None, "submitted", self.clock.now())
            saved = (f"{kept}✅ Saved: your changes to {ctx.round.title} count. You can "
                     f"change answers from /surveys until {deadline}.")
            if ctx.response.is_record:
                return Outcome(edit=self._record_saved(ctx, saved.replace(
                    f" to {ctx.round.title}", f" to your record of {ctx.response.subject}")))
            return Outcome(edit=Screen(saved))
        await self.responses.submit(ctx.response.id, self.clock.now(),
                                    anonymous=ctx.round.anonymity == "anonymous")
        thanks = f"{kept}✅ Submitted: {ctx.round.title}. Thank you!"
        if self._can_edit(ctx):
            thanks += f"\nYou can change your answers from /surveys until {deadline}."
        if ctx.response.is_record:
            return Outcome(edit=self._record_saved(ctx, thanks))
        return Outcome(edit=Screen(thanks, kind="done"))

    async def _change(self, ctx: PartnerContext, action: Action) -> Outcome:
        if self._at_rest(ctx) or (ctx.response.state == "submitted"
                                  and not self._can_edit(ctx)):
            return Outcome(notice=STALE)
        if action.question < 0:
            grid = change_screen(ctx.round, ctx.q, ctx.answers, ctx.response.id)
            reviewed = live.reviewed_here(ctx)
            if reviewed is not None:   # the review under the lines: they stay, grid below
                return Outcome(edit=transcript(ctx.q, reviewed, ctx.answers), send=[grid])
            return self._in_place([grid])
        question = self._question_at(ctx, action)
        if question not in visible_questions(ctx.q, ctx.values):
            return Outcome(notice=STALE)
        await self._move(ctx, question.id, "edit")
        return Outcome(edit=self._redraw(ctx, question))

    async def _toggle(self, ctx: PartnerContext, question: Question, option: int) -> Outcome:
        current = ctx.response.draft if isinstance(ctx.response.draft, list) else list(
            ctx.answers[question.id].value if question.id in ctx.answers
            and isinstance(ctx.answers[question.id].value, list) else [])
        label = question.options[option]
        ticked = [o for o in current if o != label] if label in current else [*current, label]
        ticked = [o for o in question.options if o in ticked]
        await self.responses.set_draft(ctx.response.id, ticked, self.clock.now())
        ctx.response = replace(ctx.response, draft=ticked)
        return Outcome(edit=self._redraw(ctx, question))

    async def _back(self, ctx: PartnerContext, question: Question) -> Outcome:
        earlier = previous_question(ctx.q, ctx.values, question.id)
        if earlier is None:
            return Outcome(notice=STALE)
        await self._move(ctx, earlier.id, "answer")
        return Outcome(edit=self._redraw(ctx, earlier))

    async def _save(self, ctx: PartnerContext, question: Question, value: object, *,
                    skipped: bool = False, comment: str | None = None) -> Outcome:
        """Store an answer; settle its message and show the next step (or ask for a note)."""
        if not skipped:
            try:
                value = validate_answer(question, value, max_text_length=self.max_text_length)
            except InvalidAnswer as exc:
                return _say(str(exc))
        keep = ctx.answers.get(question.id)
        if comment is None and keep is not None and keep.value == value:
            comment = keep.comment
        now = self.clock.now()
        if question.comment == "required" and not skipped and not comment:
            await self.responses.save_answer(ctx.response.id, question.id, value, None, skipped,
                                             now, next_question=question.id, stage="comment")
            ctx.answers = await self.responses.answers(ctx.response.id)
            ctx.response = replace(ctx.response, stage="comment", draft=None)
            return Outcome(edit=self._redraw(ctx, question), target=self._live(ctx))
        # Validated above, or None when skipped.
        values = {**ctx.values, question.id: cast(AnswerValue | None, value)}
        nxt = first_unanswered(ctx.q, {*ctx.answers, question.id}, values)
        # What is being stored, kept without reading it back (one trip fewer on every answer).
        answers = {**ctx.answers, question.id: Answer(
            ctx.response.id, question.id, None if skipped else value, comment, skipped,
            keep.version + 1 if keep else 1, now)}
        start, in_place = live.next_in_place(ctx, question, nxt, answers)
        await self.responses.save_answer(ctx.response.id, question.id, value, comment, skipped,
                                         now, next_question=nxt.id if nxt else None,
                                         stage="answer" if nxt else "review",
                                         screen_from=start if in_place is not None else None)
        # What the partner typed sits right below the question: the answer itself, or a
        # comment typed before the rating was tapped (kept as the draft until then).
        draft = ctx.response.draft
        typed_below = ctx.pressed is None or (
            comment is not None and isinstance(draft, dict) and draft.get("comment") == comment)
        ctx.answers = answers
        ctx.response = moved(ctx.response, nxt.id if nxt else None,
                              "answer" if nxt else "review")
        return self._settled(ctx, question, nxt, start, in_place, typed_below=typed_below)

    async def _advance(self, ctx: PartnerContext, question: Question) -> Outcome:
        nxt = first_unanswered(ctx.q, set(ctx.answers), ctx.values)
        start, in_place = live.next_in_place(ctx, question, nxt, ctx.answers)
        await self._move(ctx, nxt.id if nxt else None, "answer" if nxt else "review",
                         screen_from=start if in_place is not None else None)
        return self._settled(ctx, question, nxt, start, in_place)

    def _settled(self, ctx: PartnerContext, question: Question, nxt: Question | None,
                 start: str, in_place: Screen | None, *, typed_below: bool = False) -> Outcome:
        """The next step takes the answered question's place in the live message (`in_place`,
        its transcript lines kept above); or the live message becomes transcript lines only and
        the next step follows in a message of its own."""
        if in_place is not None:
            return Outcome(edit=in_place, target=self._live(ctx))
        shown = live.above(ctx, start, question)
        # The partner's message right below holds what they wrote: not echoed above it.
        return Outcome(edit=transcript(ctx.q, [*shown, question], ctx.answers,
                                       typed_below=typed_below),
                       send=self._step(ctx, nxt), target=self._live(ctx))


def _say(text: str) -> Outcome:
    """A short reply to something typed: no question sent again."""
    return Outcome(send=[Screen(text)])


__all__ = ["AnsweringService", "answer_text"]
