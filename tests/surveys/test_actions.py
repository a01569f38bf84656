"""Agreed actions on a fresh database: recorded, checked, updated with a dated history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from storage.actions import ActionRepository
from surveys.action_import import parse_actions
from surveys.actions import ActionService, is_overdue, owner_label, parse_status
from surveys.errors import InvalidAnswer, NotAllowed, NotFound
from surveys.templates import builtin_template
from tests.surveys.conftest import LONDON, Domain


@pytest.fixture
async def service(domain: Domain) -> ActionService:
    return ActionService(ActionRepository(domain.db), domain.rounds_repo, domain.partners,
                         domain.clock, LONDON)


async def _round(domain: Domain) -> int:
    return await domain.rounds.create(
        builtin_template("working-better-together"),
        deadline=domain.rounds.deadline_from("2026-11-20"), anonymity="confidential")


async def test_add_resolves_owner_area_and_keeps_history(domain: Domain,
                                                         service: ActionService) -> None:
    rid = await _round(domain)
    action = await service.add(rid, text="  To refresh the SCS   every three years. ",
                               owner="asha patel", due="2027-03-31", area="1",
                               organisation="Fareham Borough Council")
    assert action.text == "To refresh the SCS every three years."
    assert action.area == "long-term-goals" and action.question_id is None
    assert action.status == "agreed" and action.due_on == date(2027, 3, 31)
    assert owner_label(action) == "Fareham Borough Council (Asha Patel)"
    assert [(n.status, n.by_role) for n in action.notes] == [("agreed", "cli")]

    by_question = await service.add(rid, text="Induction training", owner="Ben Okafor",
                                    due="2027-01-15", area="meetings-and-messages-3")
    assert (by_question.area, by_question.question_id) == ("meetings-and-messages",
                                                           "meetings-and-messages-3")
    by_title = await service.add(rid, text="Agree performance management", owner="3",
                                 due="2027-02-01", area="getting things done")
    assert by_title.area == "getting-things-done" and by_title.owner_name == "Cara Jones"

    domain.clock.advance(timedelta(days=3))
    done = await service.update(action.id, status="In progress", note="Draft out to partners")
    assert done.status == "in_progress"
    assert [(n.status, n.note) for n in done.notes] == [
        ("agreed", None), ("in_progress", "Draft out to partners")]
    assert done.notes[1].at == domain.clock.now()
    noted = await service.update(action.id, note="Board to sign off in March")
    assert noted.status == "in_progress" and noted.notes[-1].status is None

    assert [a.id for a in await service.find(owner="Asha Patel")] == [action.id]
    assert [a.id for a in await service.find(status="agreed")] == [by_question.id, by_title.id]
    assert len(await service.find(round_id=rid)) == 3


async def test_bad_input_gets_a_clear_answer_and_stores_nothing(domain: Domain,
                                                                service: ActionService) -> None:
    rid = await _round(domain)
    with pytest.raises(NotFound, match="No partner called 'Nobody'"):
        await service.add(rid, text="x", owner="Nobody", due="2027-01-01")
    with pytest.raises(InvalidAnswer, match="should be a date"):
        await service.add(rid, text="x", owner="1", due="31/03/2027")
    with pytest.raises(InvalidAnswer, match="before the round began"):
        await service.add(rid, text="x", owner="1", due="2020-01-01")
    with pytest.raises(InvalidAnswer, match="not one of this round's areas"):
        await service.add(rid, text="x", owner="1", due="2027-01-01", area="Finance")
    with pytest.raises(InvalidAnswer, match="needs its text"):
        await service.add(rid, text="   ", owner="1", due="2027-01-01")
    with pytest.raises(NotFound, match="No round 99"):
        await service.add(99, text="x", owner="1", due="2027-01-01")
    assert await service.find() == []
    action = await service.add(rid, text="x", owner="1", due="2027-01-01")
    with pytest.raises(InvalidAnswer, match="should be one of"):
        await service.update(action.id, status="finished")
    with pytest.raises(InvalidAnswer, match="Give a status, a note"):
        await service.update(action.id)
    with pytest.raises(NotFound):
        await service.update(999, status="done")
    assert parse_status("in-progress") == "in_progress"


async def test_an_owner_updates_only_their_own_and_cannot_drop(domain: Domain,
                                                              service: ActionService) -> None:
    rid = await _round(domain)
    action = await service.add(rid, text="Publicise achievements", owner="Dev Shah",
                               due="2027-01-01")
    dev = next(p for p in domain.people if p.name == "Dev Shah")
    asha = next(p for p in domain.people if p.name == "Asha Patel")
    with pytest.raises(NotAllowed):
        await service.update(action.id, status="done", by_role="owner", by_partner_id=asha.id)
    with pytest.raises(NotAllowed, match="drop"):
        await service.update(action.id, status="dropped", by_role="owner", by_partner_id=dev.id)
    updated = await service.update(action.id, status="stuck", note="No budget yet",
                                   by_role="owner", by_partner_id=dev.id)
    assert updated.status == "stuck" and updated.notes[-1].by_partner_id == dev.id
    assert is_overdue(updated, date(2027, 1, 2)) and not is_overdue(updated, date(2027, 1, 1))


async def test_import_names_every_bad_line_and_stores_all_or_none(domain: Domain,
                                                                  service: ActionService) -> None:
    rid = await _round(domain)
    text = ("text,owner,due,area,organisation,status\n"
            "To refresh the SCS every three years,Asha Patel,2027-03-31,1,,\n"
            "A picture of quality of life,Nobody Here,2027-03-31,1,,\n"
            "Induction training,Ben Okafor,next year,3,,\n"
            ",Ben Okafor,2027-01-01,3,,\n"
            "Agree a data quality policy,Cara Jones,2027-06-30,common-frameworks,,in progress\n"
            "Budgets,Cara Jones,2027-06-30,Finance,,\n")
    rows, problems = parse_actions(text)
    assert problems == [(5, "empty text")]
    stored, problems = await service.add_rows(rid, rows, problems=problems)
    assert stored == []
    assert [line for line, _ in problems] == [3, 4, 5, 7]
    assert "No partner called 'Nobody Here'" in problems[0][1]
    assert await service.find() == []
    stored, problems = await service.add_rows(rid, rows, problems=problems, skip_bad_rows=True)
    assert [(a.text, a.status) for a in stored] == [
        ("To refresh the SCS every three years", "agreed"),
        ("Agree a data quality policy", "in_progress")]
    assert {n.by_role for a in stored for n in a.notes} == {"import"}


async def test_an_erased_owner_leaves_the_action_and_takes_their_notes(
        domain: Domain, service: ActionService) -> None:
    rid = await _round(domain)
    dev = next(p for p in domain.people if p.name == "Dev Shah")
    action = await service.add(rid, text="Publicise achievements", owner=dev.id,
                               due="2027-01-01")
    await service.update(action.id, status="done", note="Press release out, call me on 0777",
                         by_role="owner", by_partner_id=dev.id)
    await domain.responses.forget_partner(dev.id)
    after = await service.get(action.id)
    assert after.status == "done" and after.owner_partner_id is None
    assert owner_label(after) == "no owner (erased)"
    assert all(n.note is None or "0777" not in n.note for n in after.notes)
