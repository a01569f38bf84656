"""A partner's own record (/mydata, /digest), the update ledger and a round's reach, in surveys."""

from __future__ import annotations

import json
from datetime import timedelta

from surveys.deliveries import Deliveries
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
