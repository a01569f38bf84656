"""A partner's own record (/mydata, /digest), the update ledger and a round's reach, in surveys."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from surveys.deliveries import Deliveries
from surveys.errors import AlreadyApplied
from surveys.partner_desk import ANONYMOUS_NOTE, PartnerDesk
from surveys.rounds import Audience
from surveys.templates import builtin_template
from tests.surveys.conftest import Domain


def desk(domain: Domain) -> PartnerDesk:
    return PartnerDesk(domain.partners, domain.responses, domain.rounds_repo, domain.clock)


async def test_personal_data_holds_the_record_and_the_linked_answers(domain: Domain) -> None:
    deadline = domain.clock.now() + timedelta(days=14)
    named = await domain.rounds.create(builtin_template("swot"), deadline=deadline,
                                       anonymity="named")
    anonymous = await domain.rounds.create(builtin_template("rag-feedback"), deadline=deadline,
                                           anonymity="anonymous")
    asha = domain.people[0]
    response = await domain.responses.of_partner(named, asha.id)
    assert response is not None
    await domain.responses.save_answer(response.id, "strengths", "Trust between partners",
                                       None, False, domain.clock.now(),
                                       next_question=None, stage="answer")
    ballot = await domain.responses.of_partner(anonymous, asha.id)
    assert ballot is not None
    await domain.responses.submit(ballot.id, domain.clock.now(), anonymous=True)

    record = json.loads(await desk(domain).personal_data(asha))
    assert (record["name"], record["organisation"]) == (asha.name, asha.organisation)
    by_title = {r["round"]: r for r in record["rounds"]}
    swot = by_title[builtin_template("swot").title]
    assert [a["answer"] for a in swot["answers"]] == ["Trust between partners"]
    rag = by_title[builtin_template("rag-feedback").title]
    assert rag["answers"] == [] and rag["note"] == ANONYMOUS_NOTE


async def test_the_weekly_line_and_the_account(domain: Domain) -> None:
    asha = domain.people[0]
    assert asha.telegram_user_id is not None
    assert (await desk(domain).by_user(asha.telegram_user_id)) == asha
    await desk(domain).set_digest(asha, True)
    assert (await domain.partners.get(asha.id)).digest_opt_in
    assert await desk(domain).by_user(424242) is None


async def test_an_update_is_applied_once(domain: Domain) -> None:
    ledger = Deliveries(domain.responses, domain.clock)
    assert await ledger.first(7001)
    assert not await ledger.first(7001)            # a second delivery of the same update
    assert await ledger.first(7002)


async def claimed(domain: Domain) -> list[int]:
    async with domain.db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT update_id FROM processed_updates ORDER BY update_id")
    return [row[0] for row in rows]


async def handled(ledger: Deliveries, update_id: int, step: Callable[[], Awaitable[object]]
                  ) -> None:
    """As each update is handled: in a task of its own, claimed first, settled after."""
    async def one() -> None:
        await ledger.claim(update_id)
        await step()
        await ledger.settle()
    await asyncio.create_task(one())


async def test_an_update_is_claimed_with_its_first_write_or_not_at_all(domain: Domain) -> None:
    ledger = Deliveries(domain.responses, domain.clock)
    asha = domain.people[0]

    async def write_then_fail() -> None:
        async with domain.db.write() as conn:
            await conn.execute("UPDATE partners SET digest_opt_in = 1 WHERE id = ?", (asha.id,))
            raise RuntimeError("the bot stopped here")

    with pytest.raises(RuntimeError):
        await handled(ledger, 8001, write_then_fail)
    # The write was rolled back and so was its claim: a redelivery applies the update.
    assert await claimed(domain) == [] and not (await domain.partners.get(asha.id)).digest_opt_in
    await handled(ledger, 8001, lambda: desk(domain).set_digest(asha, True))
    assert await claimed(domain) == [8001] and (await domain.partners.get(asha.id)).digest_opt_in

    # Delivered again: its write is refused (and rolled back), and every later one too.
    async def change_it_back() -> None:
        await desk(domain).set_digest(asha, False)

    with pytest.raises(AlreadyApplied):
        await handled(ledger, 8001, change_it_back)
    assert (await domain.partners.get(asha.id)).digest_opt_in

    # An update that only reads is claimed once it has been handled.
    await handled(ledger, 8002, lambda: desk(domain).by_user(424242))
    assert await claimed(domain) == [8001, 8002]


async def test_claims_are_kept_two_days_then_pruned(domain: Domain) -> None:
    ledger = Deliveries(domain.responses, domain.clock)
    assert await ledger.first(9001)
    domain.clock.advance(timedelta(days=1))
    assert await ledger.first(9002)
    domain.clock.advance(timedelta(days=1, minutes=1))   # 9001 is now two days old
    assert await ledger.first(9003)                        # pruned on the way (hourly)
    assert await claimed(domain) == [9002, 9003]
    domain.clock.advance(timedelta(minutes=30))
    assert await ledger.prune() == 0
    assert not await ledger.first(9002)                    # still remembered: not applied again


async def test_reach_and_the_audience_on_offer(domain: Domain) -> None:
    partnerships, sectors = await domain.rounds.audience_options()
    assert partnerships == ["Fareham Partnership", "Safety Board"]
    assert sectors == ["Council", "NHS", "Police", "Voluntary"]
    assert await domain.rounds.reach(Audience()) == (4, 4)
    assert await domain.rounds.reach(Audience(partnership=("Safety Board",))) == (1, 1)


async def test_personal_data_holds_an_observers_records(domain: Domain) -> None:
    from surveys.screens import Action

    rid = await domain.rounds.create(builtin_template("meeting-observation"),
                                     deadline=domain.clock.now() + timedelta(days=14),
                                     anonymity="confidential")
    asha = domain.people[0]
    picker = (await domain.answering.press(asha, Action("start", rid))).send[-1]
    first = picker.buttons[0][0]
    await domain.answering.press(asha, first.action)
    await domain.answering.press(asha, Action("pick", rid, 0, 1))     # structure: Amber
    await domain.answering.text(asha, "Three boards, same people")
    record = json.loads(await desk(domain).personal_data(asha))
    (observed,) = [r for r in record["rounds"] if "records" in r]
    (mine,) = observed["records"]
    assert mine["partnership"] == first.label and mine["state"] == "in_progress"
    assert mine["answers"][0]["answer"] == "Amber — “Three boards, same people”"
