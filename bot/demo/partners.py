"""Simulated partners for the demo: they tap and type through the real bot, like people do.

Each partner has a habit (prompt, late, partial, never, editor) and a tendency drawn from
their partnership and sector, so the report reads like a real review.
"""

from __future__ import annotations

import asyncio
import random
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from bot.apiserver import BotApiServer, TranscriptEvent
from bot.apiserver.partner import SimulatedPartner
from bot.wiring import Services
from surveys.model import DONT_KNOW, Kind, Question, Questionnaire
from surveys.observing import OBSERVE
from surveys.records import Partner, Response, Round
from surveys.screens import Action

HABITS = ("prompt", "prompt", "prompt", "late", "late", "partial", "editor", "never")
# A partner's own draw to comment on a rated question (kept so their other answers stay as
# they were), and the share of a round's partners drawn to comment on each such question:
# with four or so comments written a side, some of those drawn have none left for the side
# they rated, and about three in ten of those who answer do comment, as before comments were
# handed out by partner (on the seeded demo, 314 comments on ratings against 318 then).
COMMENT_SHARE = 0.3
DRAWN_TO_COMMENT = 0.5
STEP_TIMEOUT = 20.0
READ_PAUSE = 0.02   # seconds between looks at the screen while the bot is still drawing


def answer_pools(template_id: str) -> dict[str, Any]:
    """The demo's written answers for a template (empty if it has none)."""
    entry = resources.files("bot.demo") / "answers" / f"{template_id}.toml"
    return tomllib.loads(entry.read_text(encoding="utf-8")) if entry.is_file() else {}


@dataclass
class DemoPartner:
    """One simulated partner: who they are, their phone, their habits."""

    partner: Partner
    user: SimulatedPartner
    habit: str
    tendency: float
    rng: random.Random
    steps: int = 0
    picked: dict[str, int] = field(default_factory=dict)
    observing: str | None = None   # the partnership whose meeting they are recording

    @property
    def chat(self) -> int:
        """The partner's chat id."""
        return self.user.chat_id


class Driver:
    """Moves simulated partners through rounds, one real button press or message at a time."""

    def __init__(self, server: BotApiServer, svc: Services,
                 pace: Callable[[], object] | None = None) -> None:
        self.server = server
        self.svc = svc
        # Moves the simulated clock on a little per tap or message: people take a moment,
        # and "the round last pressed in" needs time to pass to mean anything.
        self.pace = pace or (lambda: None)
        self.pools: dict[str, dict[str, Any]] = {}
        # Who may comment on a question of a round, each once: a round's invitees, or an
        # observer's partnerships (`expect`).
        self.commenters: dict[int, list[tuple[int, str]]] = {}
        self._plans: dict[tuple[int, str], dict[tuple[int, str], int]] = {}

    def expect(self, round_id: int, partner_ids: Iterable[int],
               subjects: Iterable[str] = ("",)) -> None:
        """Who answers a round (and, observing, about which partnerships): comments are
        handed out among them before anyone answers."""
        self.commenters.setdefault(round_id, sorted(
            (pid, subject) for pid in set(partner_ids) for subject in set(subjects)))

    async def _expect_invitees(self, rnd: Round, subjects: Iterable[str] = ("",)) -> None:
        if rnd.id not in self.commenters:
            invited = await self.svc.responses.of_round(rnd.id)
            self.expect(rnd.id, [r.partner_id for r in invited if r.partner_id is not None],
                        subjects)

    def pool(self, template_id: str) -> dict[str, Any]:
        """Answer pools of a template, read once."""
        if template_id not in self.pools:
            self.pools[template_id] = answer_pools(template_id)
        return self.pools[template_id]

    async def _act(self, who: DemoPartner, action: Action, *, edit: bool = False
                   ) -> TranscriptEvent:
        """Press the button carrying `action` once the bot has shown it; wait for its answer."""
        data = action.encode()
        message_id = self._find(who, data)
        if message_id is None:  # the step before is still being drawn
            await self.server.wait_for(who.chat, lambda e: self._find(who, data) is not None,
                                       STEP_TIMEOUT)
            message_id = self._find(who, data)
        if message_id is None:
            raise LookupError(f"{who.partner.name}: no button {data}")
        self.pace()
        since = len(who.user.transcript())   # the bot redraws first, then answers the press
        await who.user.press(data, message_id)
        who.steps += 1
        answered = await self.server.wait_for(who.chat, lambda e: e.kind == "callback_answer",
                                              STEP_TIMEOUT)
        if (answered.text or "").startswith("That is an earlier message"):
            # Coming back to a round, the question is shown again below; the tap landed on the
            # copy from last time because the new one was still arriving. Tap the new one.
            await self.server.wait_for(
                who.chat, lambda e: (self._find(who, data) or 0) > message_id, STEP_TIMEOUT)
            return await self._act(who, action, edit=edit)
        if edit:
            return await self.server.wait_for(
                who.chat, lambda e: e.kind == "edit" and e.message_id == message_id,
                STEP_TIMEOUT, since=since)
        await self._read(who)
        return answered

    def _find(self, who: DemoPartner, data: str) -> int | None:
        for message in reversed(who.user.messages()):
            if not message.deleted and message.has_button(data):
                return message.message_id
        return None

    async def _say(self, who: DemoPartner, text: str) -> TranscriptEvent:
        """Type a message; wait for the bot's answer (a redrawn question or a new message)."""
        self.pace()
        await who.user.send_text(text)
        who.steps += 1
        event = await self.server.wait_for(who.chat, lambda e: e.kind in ("message", "edit"),
                                           STEP_TIMEOUT)
        await self._read(who)
        return event

    async def _read(self, who: DemoPartner) -> None:
        """Look at the screen until the bot has finished the step, as a person does before
        the next tap (one who does not is, rightly, asked to slow down)."""
        seen, still = len(who.user.transcript()), 0
        while still < 2:
            await asyncio.sleep(READ_PAUSE)
            now = len(who.user.transcript())
            still, seen = (still + 1 if now == seen else 0), now

    async def answer(self, who: DemoPartner, rnd: Round, *, max_steps: int = 10_000) -> str:
        """Answer a round until submitted or `max_steps` answers; returns the response state."""
        response = await self.svc.responses.of_partner(rnd.id, who.partner.id)
        if response is None:
            return "not invited"
        if response.state == "submitted":
            return "submitted"
        await self._expect_invitees(rnd)
        # Start on the invitation (or Continue on a reminder): one tap to the first question.
        # Coming back later with neither on screen, a partner asks for /surveys and opens it.
        if self._find(who, Action("start", rnd.id).encode()) is None:
            await who.user.send_command("/surveys")
            await self._act(who, Action("open", rnd.id))
        await self._act(who, Action("start", rnd.id))
        await self._fill(who, rnd, max_steps=max_steps)
        final = await self.svc.responses.of_partner(rnd.id, who.partner.id)
        return final.state if final else "withdrawn"

    async def observe(self, who: DemoPartner, rnd: Round, partnerships: list[str]) -> int:
        """An observer records each partnership's meeting in turn: picks it, answers, submits,
        then taps Record another partnership. Returns how many records are submitted."""
        ids = {p.name: p.id for p in await self.svc.answering.rounds.partnerships()}
        await self._expect_invitees(rnd, ids)
        records = await self.svc.responses.records_of(rnd.id, who.partner.id)
        done = {r.subject for r in records if r.state == "submitted"}
        todo = [name for name in partnerships if name not in done]
        if not todo:
            return len(done)
        if not records and self._find(who, Action("start", rnd.id).encode()) is not None:
            await self._act(who, Action("start", rnd.id))       # the invitation: the list
        else:   # coming back: /surveys, the round's card, "Record another partnership"
            await who.user.send_command("/surveys")
            await self._act(who, Action("open", rnd.id))
            await self._act(who, Action(OBSERVE, rnd.id))
        for n, name in enumerate(todo):
            if n:
                await self._act(who, Action(OBSERVE, rnd.id))   # "Record another partnership"
            await self._act(who, Action(OBSERVE, rnd.id, -1, ids[name]))
            who.observing = name
            await self._fill(who, rnd)
            who.observing = None
        records = await self.svc.responses.records_of(rnd.id, who.partner.id)
        return sum(1 for r in records if r.state == "submitted")

    async def _current(self, who: DemoPartner, rnd: Round) -> Response:
        """The response being answered (in an observation round, the record looked at last)."""
        found = await self.svc.responses.with_answers(rnd.id, who.partner.id)
        assert found is not None
        return found[0]

    async def _fill(self, who: DemoPartner, rnd: Round, *, max_steps: int = 10_000) -> None:
        """Answer the questions on screen, one by one, until submitted or `max_steps`."""
        q = self.svc.answering.questionnaire(rnd)
        pools = self.pool(rnd.template_id)
        answered = 0
        last: tuple[str | None, str] | None = None
        while answered < max_steps:
            response = await self._current(who, rnd)
            if response.state == "submitted":
                break
            if (response.current_question, response.stage) == last:
                response = await self._moved_on(who, rnd, last)
                if response.state == "submitted":
                    break
            last = (response.current_question, response.stage)
            if response.current_question is None:  # the review
                await self._act(who, Action("sub", rnd.id))
                break
            question = q.question(response.current_question)
            index = q.questions.index(question)
            if response.stage == "comment":
                await self._comment(who, rnd, q, question, index, pools)
                continue
            await self._answer_one(who, rnd, q, question, index, pools)
            answered += 1

    async def _moved_on(self, who: DemoPartner, rnd: Round,
                        last: tuple[str | None, str]) -> Response:
        """The response once the bot has stored the last step (its reply can come first)."""
        deadline = asyncio.get_running_loop().time() + 3 * STEP_TIMEOUT  # a loaded machine
        while asyncio.get_running_loop().time() < deadline:
            response = await self._current(who, rnd)
            if (response.current_question, response.stage) != last:
                return response
            await asyncio.sleep(0.05)
        # The bot did not move on: say so rather than type into the void for ever.
        said = [(e.kind, (e.text or "")[:160]) for e in self.server.transcript(who.chat)][-6:]
        raise RuntimeError(f"{who.partner.name} is stuck at {last} in round {rnd.id}; "
                           f"the bot said: {said}")

    async def edit_one(self, who: DemoPartner, rnd: Round) -> None:
        """An editor changes one text answer after submitting; the submission stands."""
        q = self.svc.answering.questionnaire(rnd)
        response = await self.svc.responses.of_partner(rnd.id, who.partner.id)
        if response is None or response.state != "submitted":
            return
        given = await self.svc.responses.answers(response.id)
        texts = [i for i, x in enumerate(q.questions) if x.kind is Kind.TEXT
                 and x.id in given and not given[x.id].skipped]
        if not texts:
            return
        await who.user.send_command("/surveys")
        await self._act(who, Action("open", rnd.id))
        await self._act(who, Action("edit", rnd.id))           # "Change my answers"
        await self._act(who, Action("chg", rnd.id))            # "Change an answer"
        await self._act(who, Action("chg", rnd.id, texts[0]))  # which one
        question = q.questions[texts[0]]
        # A second thought: another answer from the pool replaces the first (a real one: a
        # partner does not go back to swap what they wrote for "-").
        before = str(given[question.id].value)
        second = before
        for _ in range(20):
            second = self._text(who, self.pool(rnd.template_id), question)
            if second != before and len(second.strip(" -.")) > 3:
                break
        await self._say(who, second)
        await self._act(who, Action("sub", rnd.id))            # "Done"

    async def _answer_one(self, who: DemoPartner, rnd: Round, q: Questionnaire,
                          question: Question, index: int, pools: dict[str, Any]) -> None:
        kind = question.kind
        if question.optional and who.rng.random() < 0.15:
            await self._act(who, Action("skip", rnd.id, index))
        elif kind.uses_buttons and kind is not Kind.MULTI:
            option = self._choose(who, question, self._tendency(who, pools))
            who.picked[question.id] = option
            comment = None
            if question.comment == "optional":
                # The partner's own numbers are drawn as they were before comments were handed
                # out by partner (one, and another under 0.3), so their other answers stay the
                # same; whether and what they comment is decided for the round (`_plan`).
                if who.rng.random() < COMMENT_SHARE:
                    who.rng.random()
                comment = self._comment_text(who, rnd, question, pools)
            if comment:
                await self._say(who, comment)    # typed first, it rides with the tap
            await self._act(who, Action("pick", rnd.id, index, option))
        elif kind is Kind.MULTI:
            chosen = who.rng.sample(range(len(question.options)),
                                    k=min(len(question.options), who.rng.randint(1, 3)))
            for option in chosen:
                await self._act(who, Action("tog", rnd.id, index, option), edit=True)
            await self._act(who, Action("done", rnd.id, index))
        elif kind is Kind.NUMBER:
            low, high = pools.get("numbers", {}).get(question.id, {}).get("range", (
                int(question.minimum or 0), int(min(question.maximum or 12, 12))))
            await self._say(who, str(who.rng.randint(low, max(low, high))))
        else:
            # One message answers a text question.
            await self._say(who, self._text(who, pools, question, q))

    def _comment_text(self, who: DemoPartner, rnd: Round, question: Question,
                      pools: dict[str, Any], *, share: float = DRAWN_TO_COMMENT
                      ) -> str | None:
        """A comment written for this very question, on the side of the rating given, or None.

        Comments are handed out by partner, not by arrival: partners answer at the same
        time, so which comments were left when one of them came to the question would depend
        on who got there first, and two runs of the demo would differ. Instead a round's
        commenters on a question are drawn in an order before anyone answers (`_plan`); the
        n-th of them gives the n-th favourable comment if their rating is favourable, and the
        n-th from the end the n-th unfavourable one if not (so the few unfavourable comments
        are not all held by those who will give favourable ones), if there is one: no two
        partners give the same comment, and nobody's depends on anyone else's timing."""
        written = pools.get("comments", {}).get(question.id, {})
        favourable = self._favourable(who, question)
        comments = [str(c) for c in written.get(
            "positive_comments" if favourable else "negative_comments", [])]
        order = self._plan(rnd.id, question.id, share)
        at = order.get((who.partner.id, who.observing or ""))
        if at is None:
            return None
        rank = at if favourable else len(order) - 1 - at
        return comments[rank] if rank < len(comments) else None

    def _plan(self, round_id: int, question_id: str, share: float) -> dict[tuple[int, str], int]:
        """Who comments on a question of a round, in which order: about `share` of those
        expected to answer it, drawn from the round and question alone."""
        key = (round_id, question_id)
        if key not in self._plans:
            draw = random.Random(f"comments:{round_id}:{question_id}")
            candidates = list(self.commenters.get(round_id, ()))
            draw.shuffle(candidates)
            chosen = [c for c in candidates if draw.random() < share]
            self._plans[key] = {c: n for n, c in enumerate(chosen)}
        return self._plans[key]

    async def _comment(self, who: DemoPartner, rnd: Round, q: Questionnaire,
                       question: Question, index: int, pools: dict[str, Any]) -> None:
        """A note the question needs after its rating (an observer's): every record has one."""
        who.rng.random()   # drawn as before notes were handed out by partnership
        await self._say(who, self._comment_text(who, rnd, question, pools, share=1.0)
                        or "Noted at the meeting.")

    def _favourable(self, who: DemoPartner, question: Question) -> bool:
        picked = who.picked.get(question.id, 0)
        positive = question.positive or max(1, len(question.options) // 2)
        return picked < positive

    def _tendency(self, who: DemoPartner, pools: dict[str, Any]) -> float:
        """How positive this partner is about this template's questions (-1 .. 1)."""
        ratings = pools.get("ratings")
        if not ratings:
            return who.tendency
        # An observer rates the partnership observed, not their own.
        partnership = who.observing or (who.partner.partnerships[0]
                                        if who.partner.partnerships else "")
        lean = (ratings.get("tendency", {}).get(partnership, 0.0)
                + ratings.get("by_sector", {}).get(who.partner.sector, 0.0))
        return max(-1.0, min(1.0, lean))

    def _choose(self, who: DemoPartner, question: Question, tendency: float) -> int:
        choices = question.choices
        if question.kind is Kind.CHOICE:
            sector = who.partner.sector
            return choices.index(sector) if sector in choices else who.rng.randrange(
                len(choices))
        if question.kind is Kind.YESNO:
            return 0 if who.rng.random() < 0.6 + 0.2 * tendency else 1
        points = [c for c in choices if c != DONT_KNOW]
        if DONT_KNOW in choices and who.rng.random() < 0.05:
            return choices.index(DONT_KNOW)
        # A tendency of +1 leans to the first (best) point, -1 to the last.
        lean = (1 - tendency) / 2 * (len(points) - 1)
        return max(0, min(len(points) - 1, round(who.rng.gauss(lean, 0.8))))

    def _text(self, who: DemoPartner, pools: dict[str, Any], question: Question,
              q: Questionnaire | None = None) -> str:
        table = pools.get("questions", {}).get(question.id, {})
        if "answers" in table:
            return str(who.rng.choice(table["answers"]))
        if "effective" in table and q is not None:
            rated = q.questions[q.questions.index(question) - 1]
            side = "effective" if self._favourable(who, rated) else "not_effective"
            return str(who.rng.choice(table[side]))
        return who.rng.choice(["Better links between partners.", "More time to plan together.",
                               "Clearer priorities, fewer meetings."])
