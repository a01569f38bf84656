"""An observer's records: several partnerships' meetings recorded in one observation round.

As in field-observation tools (one submission per site visited), the observer picks the
partnership first, answers the questionnaire about its meeting and submits; "Record another
partnership" starts the next. Each record is a response of its own, kept beside the
observer's invitation, so it is stored the moment it is answered, resumed, and changed until
the deadline exactly like any response. Recording a partnership already recorded opens that
record again.
"""

from __future__ import annotations

from dataclasses import replace

from storage.records import Response
from surveys.context import FORGED, PartnerContext
from surveys.errors import NotAllowed
from surveys.flow import question_count
from surveys.model import Questionnaire
from surveys.screens import Action, Button, Outcome, Screen, answered_of, card
from surveys.steps import Steps

OBSERVE = "obs"
PICK = "Which partnership's meeting are you recording?"
HOW = ("Each record is one partnership's meeting: pick the partnership, answer about its "
       "meeting, submit, then record the next. You can change a record until the deadline.")
MAX_CHOICES = 90   # Telegram takes about 100 buttons a message


def is_observation(q: Questionnaire) -> bool:
    """Whether a questionnaire is answered as observation records, one per partnership."""
    return q.layout == "observation"


class ObservationSteps(Steps):
    """The steps an observer takes that a partner answering for themselves does not."""

    def _observer(self, ctx: PartnerContext) -> int:
        observer = ctx.response.observer_id or ctx.response.partner_id
        if observer is None:   # an anonymous ballot: never an observation round
            raise NotAllowed(FORGED)
        return observer

    async def _records(self, ctx: PartnerContext) -> list[tuple[Response, str]]:
        """The observer's records in this round, each with where it stands."""
        out = []
        for record in await self.responses.records_of(ctx.round.id, self._observer(ctx)):
            if record.state == "submitted":
                status = "submitted"
            else:
                answers = await self.responses.answers(record.id)
                status = (f"{answered_of(ctx.q, answers)} of {question_count(ctx.q)} answered"
                          if answers else "not started")
            out.append((record, status))
        return out

    async def records_line(self, ctx: PartnerContext) -> str:
        """"2 partnerships recorded" (submitted ones), for the round list."""
        found = await self._records(ctx)
        done = sum(1 for _, status in found if status == "submitted")
        if not found:
            return "not started"
        text = f"{done} partnership{'s' if done != 1 else ''} recorded"
        return text + (f", {len(found) - done} in progress" if len(found) > done else "")

    async def observation_card(self, ctx: PartnerContext) -> Screen:
        """The round's card for an observer: what it is, their records, a button each, and
        one to record another partnership."""
        records = await self._records(ctx)
        # The round's card as it reads before anything is answered; the records follow it.
        shown = card(ctx.round, ctx.q, "not_started", 0, self.zone, can_edit=False)
        lines = [shown.text, "", HOW]
        rows: list[list[Button]] = []
        if records:
            lines += ["", "Your records:"]
            lines += [f"• {r.subject}: {status}" for r, status in records]
        if self._can_edit(ctx):
            ids = {p.name: p.id for p in await self.rounds.partnerships()}
            rows = [[Button(f"{'✓ ' if status == 'submitted' else '▶ '}{r.subject}"[:60],
                            Action(OBSERVE, ctx.round.id, -1, ids[r.subject]))]
                    for r, status in records if r.subject in ids]
            label = "Record another partnership" if records else "Record a partnership"
            rows.append([Button(label, Action(OBSERVE, ctx.round.id))])
            if not records:
                rows[-1].append(Button("Later", Action("later", ctx.round.id)))
        return Screen("\n".join(lines), rows, kind="card")

    async def picker(self, ctx: PartnerContext) -> Screen:
        """The partnerships to pick from, those already recorded ticked."""
        recorded = {r.subject for r in await self.responses.records_of(
            ctx.round.id, self._observer(ctx))}
        choices = (await self.rounds.partnerships())[:MAX_CHOICES]
        rows = [[Button(("✓ " if p.name in recorded else "") + p.name,
                        Action(OBSERVE, ctx.round.id, -1, p.id))] for p in choices]
        note = (" ✓ marks a partnership you have recorded: tap it to see or change your "
                "record." if recorded else "")
        return Screen(f"{ctx.round.title}\n\n{PICK}{note}", rows, kind="picker")

    async def _observe(self, ctx: PartnerContext, action: Action) -> Outcome:
        """Record a partnership: with none given, the list to pick from (in place of the
        pressed message); with one, its record, new or as it was left."""
        if action.option < 0:
            return Outcome(edit=await self.picker(ctx))
        names = {p.id: p.name for p in await self.rounds.partnerships()}
        if action.option not in names:
            raise NotAllowed(FORGED)
        name = names[action.option]
        now = self.clock.now()
        record = await self.responses.open_record(ctx.round.id, self._observer(ctx), name,
                                                  now)
        rctx = PartnerContext(ctx.round, ctx.q, record, await self.responses.answers(record.id))
        settled = Screen(f"🔎 Recording: {name}")
        if record.state == "submitted":
            # Looking is free: the record stays submitted; a change counts as it is made.
            await self.responses.move(record.id, None, "review", now)
            rctx.response = replace(record, stage="review", current_question=None)
            return Outcome(edit=settled, send=self._reviews(rctx))
        question = await self._place(rctx)
        return Outcome(edit=settled, send=self._step(rctx, question))

    def _record_saved(self, ctx: PartnerContext, thanks: str) -> Screen:
        """What a submitted (or re-saved) record's message becomes: thanks, and the next."""
        return Screen(thanks.replace(f": {ctx.round.title}",
                                     f": your record of {ctx.response.subject}"),
                      [[Button("Record another partnership", Action(OBSERVE, ctx.round.id))],
                       [Button("My records", Action("open", ctx.round.id))]], kind="done")
