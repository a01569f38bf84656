"""An action agreed from a suggestion keeps which answers suggested it: in an anonymous round
those are ballots linked to no one, and an erased partner's answer leaves the action."""

from __future__ import annotations

from storage.actions import ActionRepository
from storage.themes import RoundThemesRepository
from storage.vectors import VectorRepository
from surveys.action_desk import ActionDesk
from surveys.action_follow_up import FollowUps
from surveys.action_screens import wording_digest
from surveys.actions import ActionService
from surveys.coordinators import Coordinators
from surveys.erasure import Erasure
from surveys.quiet import QuietHours
from surveys.reporting import ReportService
from surveys.templates import builtin_template
from tests.surveys.conftest import LONDON, Domain

COORDINATOR = 77
QUESTION = "long-term-goals-actions"
SUGGESTED = {   # one proposal in three partners' words, and another
    "Asha Patel": "Refresh the community strategy every three years.",
    "Ben Okafor": "Refresh the strategy every three years so it stays current.",
    "Cara Jones": "Refresh the community strategy every three years, with partners.",
    "Dev Shah": "Publish the evidence base online.",
}


async def _agreed(domain: Domain, anonymity: str) -> tuple[ActionService, int, int]:
    """A closed round where four partners suggested actions; the coordinator agrees the
    first one with three taps. Returns the services, the round and the action."""
    actions = ActionService(ActionRepository(domain.db), domain.rounds_repo, domain.partners,
                            domain.clock, LONDON)
    coordinators = Coordinators(domain.partners, domain.clock, [COORDINATOR])
    desk = ActionDesk(actions, FollowUps(actions, coordinators.chats_for,
                                         QuietHours(LONDON, None)),
                      ReportService(domain.rounds_repo, domain.responses, domain.partners,
                                    RoundThemesRepository(domain.db)), coordinators)
    rid = await domain.rounds.create(builtin_template("working-better-together"),
                                     deadline=domain.rounds.deadline_from("2026-11-20"),
                                     anonymity=anonymity)
    now = domain.clock.now()
    for partner in domain.people:
        response = await domain.responses.of_partner(rid, partner.id)
        assert response is not None
        await domain.responses.save_answer(response.id, QUESTION, SUGGESTED[partner.name],
                                           None, False, now, next_question=None,
                                           stage="answer")
        await domain.responses.submit(response.id, now, anonymous=anonymity == "anonymous")
    await domain.rounds.close(rid)
    listed = await desk.tap(f"ac:sugg:{rid}", COORDINATOR)
    assert "a) Refresh the community strategy every three years (suggested by 3)" in listed.text
    assert "b) Publish the evidence base online\n" in listed.text + "\n"
    assert "(suggested by 1)" not in listed.text
    a = wording_digest("Refresh the community strategy every three years")
    await desk.tap(f"ac:pick:{rid}:1:0:{a}", COORDINATOR)
    asha = next(p for p in domain.people if p.name == "Asha Patel")
    await desk.tap(f"ac:own:{rid}:1:0:{a}:{asha.id}", COORDINATOR)
    done = await desk.tap(f"ac:due:{rid}:1:0:{a}:{asha.id}:3", COORDINATOR)
    assert ("Agreed from the suggestion “Refresh the community strategy every three years”, "
            "in 3 answers.") in done.text
    [action] = await actions.find(round_id=rid)
    assert action.question_id == QUESTION and action.area == "long-term-goals"
    return actions, rid, action.id


async def test_an_anonymous_rounds_action_points_at_ballots_linked_to_no_one(
        domain: Domain) -> None:
    actions, rid, action_id = await _agreed(domain, "anonymous")
    action = await actions.get(action_id)
    async with domain.db.read() as conn:
        ballots = {r[0]: r[1] for r in await conn.execute_fetchall(
            "SELECT ballot_id, json_extract(value, '$') FROM ballot_answers"
            " WHERE question_id = ?", (QUESTION,))}
        responses = {r[0] for r in await conn.execute_fetchall(
            "SELECT id FROM responses WHERE round_id = ?", (rid,))}
    assert len(action.sources) == 3 and set(action.sources) <= set(ballots)
    assert not set(action.sources) & responses   # no partner's response is named
    assert sorted(ballots[b] for b in action.sources) == sorted(
        t for t in SUGGESTED.values() if t.startswith("Refresh"))


async def test_an_erased_partners_answer_leaves_the_action(domain: Domain) -> None:
    actions, rid, action_id = await _agreed(domain, "confidential")
    ben = next(p for p in domain.people if p.name == "Ben Okafor")
    theirs = await domain.responses.of_partner(rid, ben.id)
    assert theirs is not None and theirs.id in (await actions.get(action_id)).sources
    await Erasure(domain.responses, VectorRepository(domain.db),
                  RoundThemesRepository(domain.db)).forget(ben)
    action = await actions.get(action_id)
    assert len(action.sources) == 2 and theirs.id not in action.sources
    async with domain.db.read() as conn:
        left = await conn.execute_fetchall(
            "SELECT count(*) FROM action_sources WHERE response_id = ?", (theirs.id,))
    assert left[0][0] == 0
