"""The demo's partners comment on a question with words written for that question, and no
two give it the same comment in a round (the review found one comment under three questions
and the same one twice in a year-on round)."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

from bot.demo.partners import DemoPartner, Driver, answer_pools
from surveys.templates import builtin_template


def _partners(n: int) -> list[DemoPartner]:
    return [DemoPartner(partner=None, user=None, habit="prompt",  # type: ignore[arg-type]
                        tendency=0.5, rng=random.Random(i)) for i in range(n)]


def test_each_comment_once_a_round_and_only_on_its_own_question() -> None:
    driver = Driver(server=None, svc=None)  # type: ignore[arg-type]
    pools: dict[str, Any] = answer_pools("working-better-together")
    questionnaire = builtin_template("working-better-together")
    first, again = SimpleNamespace(id=2), SimpleNamespace(id=7)
    for question in questionnaire.questions:
        if question.comment != "optional":
            continue
        written = pools["comments"][question.id]["positive_comments"]
        given = []
        for who in _partners(len(written) + 5):
            who.picked[question.id] = 0     # "Very well": a favourable comment
            comment = driver._comment_text(who, first, question, pools)  # type: ignore[arg-type]
            if comment is not None:
                given.append(comment)
        # Every comment written for the question, each once; then no more.
        assert sorted(given) == sorted(written), question.id
        # A year on, the round starts afresh.
        who = _partners(1)[0]
        who.picked[question.id] = 0
        assert driver._comment_text(who, again, question, pools) in written  # type: ignore[arg-type]
