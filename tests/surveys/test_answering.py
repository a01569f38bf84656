"""A partner answers a whole round through the domain services: no Telegram, real SQLite."""

from __future__ import annotations

from datetime import timedelta

import pytest

from surveys.answering import STALE
from surveys.errors import NotAllowed, RoundClosed
from surveys.rounds import Audience
from surveys.screens import Action, Outcome, Screen
from surveys.templates import builtin_template
from tests.surveys.conftest import Domain


def last(outcome: Outcome) -> Screen:
    assert outcome.send, outcome
    return outcome.send[-1]


def button(screen: Screen, label: str) -> Action:
    for row in screen.buttons:
        for b in row:
            if b.label == label or b.label == f"✓ {label}":
                return b.action
    raise AssertionError(f"no button {label!r} in {[[b.label for b in r] for r in screen.buttons]}")


async def new_round(domain: Domain, template: str = "framework-review", **kw: object) -> int:
    q = builtin_template(template)
    return await domain.rounds.create(
        q, deadline=domain.clock.now() + timedelta(days=14), **kw)  # type: ignore[arg-type]


async def test_a_whole_framework_review(domain: Domain) -> None:
    rid = await new_round(domain, audience=Audience(partnership=("Fareham Partnership",)),
                          anonymity="named")
    asha = domain.people[0]
    s = last(await domain.answering.open_card(asha, rid))
    assert "20 questions" not in s.text and "19 questions" in s.text  # one is shown only if Yes
    assert "Named round" in s.text
    s = last(await domain.answering.press(asha, button(s, "Start")))
    assert s.text.startswith("Area 1 of 4 · Question 1 of 19")
    # number: refused, then accepted with its unit
    out = await domain.answering.text(asha, "about ten")
    assert "type a number" in out.send[0].text
    s = last(await domain.answering.text(asha, "6 years"))
    assert "Which sector" in s.text
    s = last(await domain.answering.text(asha, "council"))  # a choice typed out
    assert "added value" in s.text and "Question 3 of 19" in s.text
    # a text answer in two messages, then Next
    s = last(await domain.answering.text(asha, "Better networking 🙂"))
    s = last(await domain.answering.text(asha, "and *real* buy-in"))
    assert "Better networking 🙂\nand *real* buy-in" in s.text
    s = last(await domain.answering.press(asha, button(s, "Next →")))
    assert "barriers" in s.text
    # Back shows the earlier answer, and Keep moves on to the first unanswered question
    s = last(await domain.answering.press(asha, button(s, "← Back")))
    assert "Your answer: Better networking 🙂\nand *real* buy-in" in s.text
    s = last(await domain.answering.press(asha, button(s, "Keep this answer")))
    assert "barriers" in s.text
    s = last(await domain.answering.text(asha, "no money, no staff"))
    s = last(await domain.answering.press(asha, button(s, "Next →")))
    # a rating; its "Why?" follows
    s = last(await domain.answering.press(asha, button(s, "Effective")))
    assert s.text.endswith("Why?") or "Why?" in s.text
    for _ in range(2):
        s = last(await domain.answering.text(asha, "Regular updates"))
        s = last(await domain.answering.press(asha, button(s, "Next →")))
        if "county wide" in s.text:
            s = last(await domain.answering.press(asha, button(s, "Not very effective")))
    for _ in range(9):  # the eight key issues and the learning question
        assert "Type your answer" in s.text
        s = last(await domain.answering.text(asha, "Clear roles"))
        s = last(await domain.answering.press(asha, button(s, "Next →")))
    # multi: tick two, untick one, tick another, Done
    s = (await domain.answering.press(asha, button(s, "Forum"))).replace
    s = (await domain.answering.press(asha, button(s, "Away days"))).replace
    s = (await domain.answering.press(asha, button(s, "Forum"))).replace
    s = (await domain.answering.press(asha, button(s, "Partnership workshops"))).replace
    assert "✓ Away days" in [b.label for r in s.buttons for b in r]
    s = last(await domain.answering.press(asha, button(s, "Done")))
    # yes/no with a follow-up shown only for Yes
    s = last(await domain.answering.press(asha, button(s, "Yes")))
    assert "Question 19 of 20" not in s.text and "Question 20 of 20" in s.text
    s = last(await domain.answering.press(asha, button(s, "Skip")))
    assert s.kind == "review"
    assert "Away days, Partnership workshops" in s.text and "(skipped)" in s.text
    s = last(await domain.answering.press(asha, button(s, "Submit")))
    assert "Submitted" in s.text and "change your answers" in s.text
    response = await domain.responses.of_partner(rid, asha.id)
    assert response is not None and response.state == "submitted"
    answers = await domain.responses.answers(response.id)
    assert answers["role-years"].value == 6
    assert answers["added-value"].value == "Better networking 🙂\nand *real* buy-in"
    assert answers["learning-forms"].value == ["Away days", "Partnership workshops"]
    assert answers["learning-join-topics"].skipped
    assert len(await domain.responses.history(response.id, "added-value")) == 0


async def test_restart_resumes_from_what_is_stored(domain: Domain) -> None:
    rid = await new_round(domain, template="swot")
    ben = domain.people[1]
    await domain.answering.press(ben, Action("start", rid))
    await domain.answering.text(ben, "Partners willing to work together")
    # a fresh service (as after a restart) shows the draft and the same question
    from surveys.answering import AnsweringService
    fresh = AnsweringService(domain.rounds_repo, domain.responses, domain.clock,
                             domain.answering.zone)
    s = last(await fresh.press(ben, Action("start", rid)))
    assert "Strengths" in s.text or "strengths" in s.text
    assert "Your answer so far:\nPartners willing to work together" in s.text


async def test_stale_and_forged_buttons(domain: Domain) -> None:
    rid = await new_round(domain, template="rag-feedback")
    asha, dev = domain.people[0], domain.people[3]
    s = last(await domain.answering.press(asha, Action("start", rid)))
    green = button(s, "Green")
    s = last(await domain.answering.press(asha, green))  # -> comment offer
    out = await domain.answering.press(asha, green)      # the same button again: stale
    assert out.notice == STALE and last(out).kind == "comment"
    with pytest.raises(NotAllowed):                      # a round that does not exist
        await domain.answering.press(asha, Action("start", 999))
    with pytest.raises(NotAllowed):                      # an option out of range
        await domain.answering.press(asha, Action("pick", rid, 0, 9))
    other = await new_round(domain, template="swot", audience=Audience(sector=("Police",)))
    with pytest.raises(NotAllowed):                      # a round Asha was not invited to
        await domain.answering.press(asha, Action("start", other))
    assert Action.decode("pick:1:2:3") == Action("pick", 1, 2, 3)
    for forged in ("", "pick:1:2", "drop:1:2:3", "pick:x:2:3", "pick:1:2:3:4", "a" * 200):
        assert Action.decode(forged) is None
    assert len(Action("chg", 10**11, 999, 99).encode().encode()) <= 64
    assert dev.id  # Dev sits on another partnership and is untouched


async def test_closed_round_takes_no_answers(domain: Domain) -> None:
    rid = await new_round(domain, template="swot")
    asha = domain.people[0]
    s = last(await domain.answering.press(asha, Action("start", rid)))
    await domain.answering.text(asha, "Good links")
    assert await domain.rounds.close(rid)
    with pytest.raises(RoundClosed, match="saved"):
        await domain.answering.press(asha, Action("next", rid, 0))
    assert not await domain.rounds.close(rid)
    assert s.kind == "question"


async def test_deadline_passing_closes_answers_even_before_the_scheduler(domain: Domain) -> None:
    rid = await new_round(domain, template="swot")
    domain.clock.advance(timedelta(days=15))
    with pytest.raises(RoundClosed):
        await domain.answering.press(domain.people[0], Action("start", rid))


async def test_long_text_is_refused_and_nothing_is_lost(domain: Domain) -> None:
    rid = await new_round(domain, template="swot")
    asha = domain.people[0]
    await domain.answering.press(asha, Action("start", rid))
    await domain.answering.text(asha, "First part")
    out = await domain.answering.text(asha, "x" * 10_000)
    assert "10,000 characters" in out.send[0].text and "limit is 4,000" in out.send[0].text
    assert "Your answer so far:\nFirst part" in last(out).text
    out = await domain.answering.not_text(asha, "sticker")
    assert "can't use a sticker" in out.send[0].text and last(out).kind == "question"


async def test_anonymous_submission_unlinks_the_answers(domain: Domain) -> None:
    rid = await new_round(domain, template="rag-feedback", anonymity="anonymous")
    asha = domain.people[0]
    s = last(await domain.answering.press(asha, Action("start", rid)))
    assert "cannot be linked to you" in (await domain.answering.open_card(asha, rid)).send[0].text
    s = last(await domain.answering.press(asha, button(s, "Amber")))
    s = last(await domain.answering.press(asha, button(s, "Skip")))
    for text in ("Forced partners to work together", "Follow-up is weak", "LAA blocks"):
        s = last(await domain.answering.text(asha, text))
        s = last(await domain.answering.press(asha, button(s, "Next →")))
    s = last(await domain.answering.press(asha, button(s, "Submit")))
    assert "change your answers" not in s.text
    mine = await domain.responses.of_partner(rid, asha.id)
    assert mine is not None and mine.state == "submitted"
    assert await domain.responses.answers(mine.id) == {}
    async with domain.db.read() as conn:
        rows = await (await conn.execute(
            "SELECT r.id, r.partner_id, r.invited_at, r.submitted_at, r.organisation,"
            " a.answered_at FROM answers a JOIN responses r ON r.id = a.response_id")).fetchall()
        history = await (await conn.execute("SELECT COUNT(*) FROM answer_history")).fetchone()
    assert len(rows) == 4 and history[0] == 0
    for row in rows:
        assert row["id"] < 0 and row["partner_id"] is None and row["organisation"] is None
        assert row["invited_at"] is None and row["submitted_at"] is None
        assert row["answered_at"] is None
    out = await domain.answering.press(asha, Action("edit", rid))
    assert out.notice and "stale" not in out.notice.lower()


async def test_a_submitted_response_stays_submitted_while_changed(domain: Domain) -> None:
    rid = await new_round(domain, template="swot", anonymity="named")
    ben = domain.people[1]
    s = last(await domain.answering.press(ben, Action("start", rid)))
    for text in ("Trust", "Too many targets", "Engage leaders", "Policy changes"):
        s = last(await domain.answering.text(ben, text))
        s = last(await domain.answering.press(ben, button(s, "Next →")))
    s = last(await domain.answering.press(ben, button(s, "Submit")))
    card = last(await domain.answering.open_card(ben, rid))
    s = last(await domain.answering.press(ben, button(card, "Change my answers")))
    submitted = await domain.responses.of_partner(rid, ben.id)
    assert submitted is not None and submitted.state == "submitted"   # looking is free
    s = last(await domain.answering.press(ben, button(s, "Change an answer")))
    s = last(await domain.answering.press(ben, button(s, "2")))
    s = last(await domain.answering.text(ben, "Variety of PM frameworks"))
    s = last(await domain.answering.press(ben, button(s, "Next →")))
    assert s.kind == "review" and "Variety of PM frameworks" in s.text
    response = await domain.responses.of_partner(rid, ben.id)
    assert response is not None and response.state == "submitted"     # the change counts
    assert response.submitted_at == submitted.submitted_at
    s = last(await domain.answering.press(ben, button(s, "Done")))
    assert "Saved" in s.text
    history = await domain.responses.history(response.id, "weaknesses")
    assert [h.value for h in history] == ["Too many targets"]
    assert (await domain.responses.answers(response.id))["weaknesses"].version == 2
