"""/rounds and `rounds list` read every round's counts in one query; they agree with status."""

from __future__ import annotations

from datetime import timedelta

from surveys.rounds import Audience
from surveys.templates import builtin_template
from tests.surveys.conftest import Domain


async def test_the_overview_gives_each_round_the_figures_its_status_gives(
        domain: Domain) -> None:
    deadline = domain.clock.now() + timedelta(days=14)
    named = await domain.rounds.create(builtin_template("swot"), deadline=deadline,
                                       anonymity="named")
    anonymous = await domain.rounds.create(builtin_template("rag-feedback"), deadline=deadline,
                                           anonymity="anonymous")
    fareham = await domain.rounds.create(
        builtin_template("swot"), deadline=deadline,
        audience=Audience(partnership=("Fareham Partnership",)))
    for rid, name in ((named, "Asha Patel"), (named, "Ben Okafor"), (anonymous, "Cara Jones"),
                      (fareham, "Ben Okafor")):
        partner = next(p for p in domain.people if p.name == name)
        response = await domain.responses.of_partner(rid, partner.id)
        assert response is not None
        await domain.responses.submit(response.id, domain.clock.now(),
                                      anonymous=rid == anonymous)

    tallies = await domain.rounds.overview()
    assert [t.round.id for t in tallies] == [fareham, anonymous, named]   # newest first
    for tally in tallies:
        status = await domain.rounds.status(tally.round.id)
        assert (tally.invited, tally.submitted, tally.rate) == (
            status.invited, status.submitted, status.rate), tally.round.title
    assert [(t.invited, t.submitted) for t in tallies] == [(3, 1), (4, 1), (4, 2)]


async def test_a_round_not_yet_open_is_listed_with_nothing_counted(domain: Domain) -> None:
    assert await domain.rounds.overview() == []
    later = domain.clock.now() + timedelta(days=2)
    rid = await domain.rounds.create(builtin_template("swot"), opens_at=later,
                                     deadline=later + timedelta(days=14))
    [tally] = await domain.rounds.overview()
    status = await domain.rounds.status(rid)
    assert tally.round.state == "scheduled"
    assert (tally.invited, tally.submitted, tally.rate) == (status.invited, status.submitted,
                                                            status.rate)
