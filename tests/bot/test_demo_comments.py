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


def test_what_others_took_first_does_not_change_a_partners_later_answers() -> None:
    """Partners answer at the same time, so which comments are left when one of them
    comments depends on timing; the numbers their own RNG gives out next must not (every
    later answer of theirs would change with them, and `make demo` would differ run to run:
    599 of 2,097 answers did)."""
    pools: dict[str, Any] = answer_pools("working-better-together")
    questionnaire = builtin_template("working-better-together")
    question = next(q for q in questionnaire.questions if q.comment == "optional")
    written = pools["comments"][question.id]["positive_comments"]
    rnd = SimpleNamespace(id=2)
    after = []
    for taken_first in (0, len(written)):   # nothing taken yet; every comment taken
        driver = Driver(server=None, svc=None)  # type: ignore[arg-type]
        for who in _partners(taken_first):
            who.picked[question.id] = 0
            driver._comment_text(who, rnd, question, pools)  # type: ignore[arg-type]
        late = DemoPartner(partner=None, user=None, habit="prompt",  # type: ignore[arg-type]
                           tendency=0.5, rng=random.Random(99))
        late.picked[question.id] = 0
        got = driver._comment_text(late, rnd, question, pools)  # type: ignore[arg-type]
        assert (got is None) == (taken_first == len(written))
        after.append(late.rng.random())
    assert after[0] == after[1]
