"""The demo's partners comment on a question with words written for that question, no two
give it the same comment in a round (the review found one comment under three questions and
the same one twice in a year-on round), and what a partner answers does not depend on the
order in which partners answer (they answer at the same time; two runs of `make demo` gave
different comments on ratings when comments went to whoever came first)."""

from __future__ import annotations

import asyncio
import random
from types import SimpleNamespace
from typing import Any

from bot.demo.partners import DemoPartner, Driver, answer_pools
from surveys.model import Kind, Question, Questionnaire
from surveys.screens import Action
from surveys.templates import builtin_template

TEMPLATE = "working-better-together"
FIRST, AGAIN = SimpleNamespace(id=2), SimpleNamespace(id=7)


def _partners(n: int) -> list[DemoPartner]:
    return [DemoPartner(partner=SimpleNamespace(  # type: ignore[arg-type]
        id=100 + i, sector=("Council", "Police", "Voluntary")[i % 3],
        partnerships=("Fareham Community Partnership",)), user=None, habit="prompt",
        tendency=0.5, rng=random.Random(i)) for i in range(n)]


class Recorder(Driver):
    """The demo's driver with a phone that writes down each partner's taps and messages."""

    def __init__(self) -> None:
        super().__init__(server=None, svc=None)  # type: ignore[arg-type]
        self.done: dict[int, list[str]] = {}

    async def _act(self, who: DemoPartner, action: Action, *, edit: bool = False) -> Any:
        self.done.setdefault(who.partner.id, []).append(action.encode())

    async def _say(self, who: DemoPartner, text: str) -> Any:
        self.done.setdefault(who.partner.id, []).append(text)


def _comments(q: Questionnaire) -> list[Question]:
    return [x for x in q.questions if x.comment == "optional"]


def test_no_comment_twice_in_a_round_and_only_on_its_own_question() -> None:
    pools: dict[str, Any] = answer_pools(TEMPLATE)
    driver = Driver(server=None, svc=None)  # type: ignore[arg-type]
    partners = _partners(30)
    for rnd in (FIRST, AGAIN):
        driver.expect(rnd.id, [p.partner.id for p in partners])
    given_at_all, plans = 0, set()
    for question in _comments(builtin_template(TEMPLATE)):
        written = pools["comments"][question.id]
        for picked, side in ((0, "positive_comments"), (len(question.options) - 1,
                                                        "negative_comments")):
            for rnd in (FIRST, AGAIN):
                given = []
                for who in partners:
                    who.picked[question.id] = picked
                    comment = driver._comment_text(who, rnd, question, pools)  # type: ignore[arg-type]
                    if comment is not None:
                        given.append(comment)
                # Each comment written for this question and side, each at most once.
                assert len(given) == len(set(given)) and set(given) <= set(written[side])
                given_at_all += len(given)
                plans.add((question.id, rnd.id, tuple(given)))
    assert given_at_all
    # A year on the comments are handed out afresh, to other partners.
    assert len({given for _, _, given in plans}) > len(plans) // 2


async def _answer_all(partners: list[DemoPartner], q: Questionnaire,
                      order: str) -> dict[int, list[str]]:
    """Every partner answers every question, partner by partner or question by question
    (the last partner first), or all at once."""
    driver = Recorder()
    driver.expect(FIRST.id, [p.partner.id for p in partners])
    pools = answer_pools(TEMPLATE)

    async def one(who: DemoPartner, index: int) -> None:
        await driver._answer_one(who, FIRST, q, q.questions[index], index,  # type: ignore[arg-type]
                                 pools)

    steps = [(who, n) for who in partners for n in range(len(q.questions))]
    if order == "by question":
        steps = [(who, n) for n in range(len(q.questions)) for who in reversed(partners)]
    if order == "at once":   # each partner in turn, their questions interleaved with others'
        async def alone(who: DemoPartner) -> None:
            for n in range(len(q.questions)):
                await one(who, n)
                await asyncio.sleep(0)
        await asyncio.gather(*(alone(who) for who in random.Random(5).sample(
            partners, len(partners))))
        return driver.done
    for who, n in steps:
        await one(who, n)
    return driver.done


async def test_a_partners_answers_do_not_depend_on_the_order_partners_answer() -> None:
    q = builtin_template(TEMPLATE)
    assert any(x.kind is Kind.TEXT for x in q.questions)
    runs = {order: await _answer_all(_partners(30), q, order)
            for order in ("by partner", "by question", "at once")}
    first = runs["by partner"]
    assert runs["by question"] == first and runs["at once"] == first
    # Some partners commented, and no comment was given twice to a question.
    pools = answer_pools(TEMPLATE)
    written = {c: x.id for x in _comments(q) for side in pools["comments"][x.id].values()
               for c in side}
    said = [(written[text], text) for done in first.values() for text in done
            if text in written]
    assert said and len(said) == len(set(said))
