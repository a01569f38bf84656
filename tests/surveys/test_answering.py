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
    """What the partner now looks at: the newest message sent, else the one redrawn."""
    if outcome.send:
        return outcome.send[-1]
    assert outcome.edit is not None, outcome
    return outcome.edit


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
    assert "19 questions (and 1 follow-up" in s.text     # one is shown only after a Yes
    assert "Named round" in s.text
    s = last(await domain.answering.press(asha, button(s, "Start")))
    assert s.text.startswith("Area 1 of 4 · Question 1 of 19")
    # number: refused briefly (the question is not sent again), then accepted with its unit
    out = await domain.answering.text(asha, "about ten")
    assert "type a number" in out.send[0].text and len(out.send) == 1 and out.edit is None
    out = await domain.answering.text(asha, "6 years")
    assert out.edit is not None and out.edit.text.endswith("✅ 6")    # the question settles
    s = last(out)
    assert "Which sector" in s.text
    s = last(await domain.answering.text(asha, "council"))  # a choice typed out
    assert "added value" in s.text and "Question 3 of 19" in s.text
    # one message answers a text question
    s = last(await domain.answering.text(asha, "Better networking 🙂\nand *real* buy-in"))
    assert "barriers" in s.text
    # Back shows the earlier answer, and Keep moves on to the first unanswered question
    out = await domain.answering.press(asha, button(s, "← Back"))
    assert not out.send                                  # the live message is redrawn
    s = last(out)
    assert "Your answer: Better networking 🙂\nand *real* buy-in" in s.text
    s = last(await domain.answering.press(asha, button(s, "Keep this answer")))
    assert "barriers" in s.text
    s = last(await domain.answering.text(asha, "no money, no staff"))
    # a rating; its "Why?" follows, saying what it is about
    s = last(await domain.answering.press(asha, button(s, "Effective")))
    assert "Why?" in s.text and "You said: Effective" in s.text
    assert "thematic groups and the LSP" in s.text
    s = last(await domain.answering.text(asha, "Regular updates"))
    assert "county wide" in s.text
    s = last(await domain.answering.press(asha, button(s, "Not very effective")))
    s = last(await domain.answering.press(asha, button(s, "Skip")))     # "Why?" is optional
    for _ in range(9):  # the eight key issues and the learning question
        assert "Type your answer" in s.text
        s = last(await domain.answering.text(asha, "Clear roles"))
    # multi: tick two, untick one, tick another, Done
    s = last(await domain.answering.press(asha, button(s, "Forum")))
    s = last(await domain.answering.press(asha, button(s, "Away days")))
    s = last(await domain.answering.press(asha, button(s, "Forum")))
    s = last(await domain.answering.press(asha, button(s, "Partnership workshops")))
    assert "✓ Away days" in [b.label for r in s.buttons for b in r]
    s = last(await domain.answering.press(asha, button(s, "Done")))
    # yes/no with a follow-up shown only for Yes, numbered as a follow-up
    s = last(await domain.answering.press(asha, button(s, "Yes")))
    assert "Question 19 of 19 · follow-up" in s.text
    s = last(await domain.answering.press(asha, button(s, "Skip")))
    assert s.kind == "review"
    assert "Away days, Partnership workshops" in s.text and "(skipped)" in s.text
    assert "19a. " in s.text
    out = await domain.answering.press(asha, button(s, "Submit"))
    assert not out.send and out.edit is not None           # one "Submitted", in place
    assert "Submitted" in out.edit.text and "change your answers" in out.edit.text
    response = await domain.responses.of_partner(rid, asha.id)
    assert response is not None and response.state == "submitted"
    answers = await domain.responses.answers(response.id)
    assert answers["role-years"].value == 6
    assert answers["added-value"].value == "Better networking 🙂\nand *real* buy-in"
    assert answers["learning-forms"].value == ["Away days", "Partnership workshops"]
    assert answers["learning-join-topics"].skipped
    assert answers["county-connection-why"].skipped
    assert len(await domain.responses.history(response.id, "added-value")) == 0


async def test_a_comment_typed_before_the_rating_rides_with_it(domain: Domain) -> None:
    rid = await new_round(domain, template="rag-feedback")
    cara = domain.people[2]
    s = last(await domain.answering.press(cara, Action("start", rid)))
    assert "type it, then tap your answer" in s.text
    out = await domain.answering.text(cara, "Good relationships, slow delivery")
    assert not out.send and out.edit is not None            # the question shows the comment
    assert "💬 Your comment: Good relationships, slow delivery" in out.edit.text
    s = last(await domain.answering.press(cara, button(out.edit, "Amber")))
    assert "what has worked well" in s.text.lower()
    mine = await domain.responses.of_partner(rid, cara.id)
    assert mine is not None
    overall = (await domain.responses.answers(mine.id))["overall"]
    assert (overall.value, overall.comment) == ("Amber", "Good relationships, slow delivery")
    # Back to it, then a comment typed: it joins the answer, and on to the next question
    s = last(await domain.answering.press(cara, button(s, "← Back")))
    s = last(await domain.answering.text(cara, "and too many meetings"))
    assert "what has worked well" in s.text.lower()
    overall = (await domain.responses.answers(mine.id))["overall"]
    assert (overall.value, overall.comment) == ("Amber", "and too many meetings")


async def test_restart_resumes_from_what_is_stored(domain: Domain) -> None:
    rid = await new_round(domain, template="swot")
    ben = domain.people[1]
    await domain.answering.press(ben, Action("start", rid))
    await domain.answering.text(ben, "Partners willing to work together")
    # a fresh service (as after a restart) shows the same place
    from surveys.answering import AnsweringService
    fresh = AnsweringService(domain.rounds_repo, domain.responses, domain.clock,
                             domain.answering.zone)
    s = last(await fresh.press(ben, Action("start", rid)))
    assert "weaknesses" in s.text.lower() and "Question 2 of 4" in s.text


async def test_stale_and_forged_buttons(domain: Domain) -> None:
    rid = await new_round(domain, template="rag-feedback")
    asha, dev = domain.people[0], domain.people[3]
    await domain.answering.press(asha, Action("start", rid))
    response = await domain.responses.of_partner(rid, asha.id)
    assert response is not None
    await domain.answering.remember_screen(response.id, 41)    # the question's message
    s = last(await domain.answering.press(asha, Action("pick", rid, 0, 1), 41))
    await domain.answering.remember_screen(response.id, 42)    # the next question's
    out = await domain.answering.press(asha, Action("pick", rid, 0, 0), 41)
    assert out.notice == STALE and not out.send and out.edit is None   # a toast, nothing more
    out = await domain.answering.press(asha, Action("skip", rid, 1), 41)
    assert out.notice == STALE
    assert "what has worked well" in s.text.lower()
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
    await domain.answering.text(asha, "First answer")
    s = last(await domain.answering.press(asha, Action("back", rid, 1)))
    out = await domain.answering.text(asha, "x" * 10_000)
    assert "10,000 characters" in out.send[0].text and "limit is 4,000" in out.send[0].text
    assert "earlier answer is kept" in out.send[0].text and out.edit is None
    mine = await domain.responses.of_partner(rid, asha.id)
    assert mine is not None
    assert (await domain.responses.answers(mine.id))["strengths"].value == "First answer"
    out = await domain.answering.not_text(asha, "sticker")
    assert "can't use a sticker" in out.send[0].text and len(out.send) == 1
    assert "Your answer: First answer" in s.text


async def test_anonymous_submission_unlinks_the_answers(domain: Domain) -> None:
    rid = await new_round(domain, template="rag-feedback", anonymity="anonymous")
    asha = domain.people[0]
    s = last(await domain.answering.press(asha, Action("start", rid)))
    assert "cannot be linked to you" in (await domain.answering.open_card(asha, rid)).send[0].text
    s = last(await domain.answering.press(asha, button(s, "Amber")))
    for text in ("Forced partners to work together", "Follow-up is weak", "LAA blocks"):
        s = last(await domain.answering.text(asha, text))
    s = last(await domain.answering.press(asha, button(s, "Submit")))
    assert "change your answers" not in s.text
    mine = await domain.responses.of_partner(rid, asha.id)
    assert mine is not None and mine.state == "submitted"
    assert await domain.responses.answers(mine.id) == {}
    async with domain.db.read() as conn:
        rows = await (await conn.execute(
            "SELECT b.*, a.* FROM ballot_answers a JOIN ballots b ON b.id = a.ballot_id"
        )).fetchall()
        linked = await (await conn.execute("SELECT COUNT(*) FROM answers")).fetchone()
        history = await (await conn.execute("SELECT COUNT(*) FROM answer_history")).fetchone()
    assert len(rows) == 4 and linked[0] == 0 and history[0] == 0
    for row in rows:  # nothing but the round, the groups a report may show and the answer
        assert row["id"] < 0
        assert set(row.keys()) <= {"id", "round_id", "sector", "partnerships", "ballot_id",
                                   "question_id", "value", "comment", "skipped"}
    assert mine.submitted_at is None and mine.started_at is None and mine.updated_at is None
    assert mine.focused_at is None
    domain.clock.advance(timedelta(minutes=1))
    out = await domain.answering.press(asha, Action("edit", rid))
    assert out.notice and "stale" not in out.notice.lower()
    await domain.answering.open_card(asha, rid)  # looking at it again records no time either
    again = await domain.responses.of_partner(rid, asha.id)
    assert again is not None and again.focused_at is None and again.updated_at is None


async def test_a_submitted_response_stays_submitted_while_changed(domain: Domain) -> None:
    rid = await new_round(domain, template="swot", anonymity="named")
    ben = domain.people[1]
    s = last(await domain.answering.press(ben, Action("start", rid)))
    for text in ("Trust", "Too many targets", "Engage leaders", "Policy changes"):
        s = last(await domain.answering.text(ben, text))
    s = last(await domain.answering.press(ben, button(s, "Submit")))
    card = last(await domain.answering.open_card(ben, rid))
    s = last(await domain.answering.press(ben, button(card, "Change my answers")))
    submitted = await domain.responses.of_partner(rid, ben.id)
    assert submitted is not None and submitted.state == "submitted"   # looking is free
    s = last(await domain.answering.press(ben, button(s, "Change an answer")))
    s = last(await domain.answering.press(ben, button(s, "2")))
    s = last(await domain.answering.text(ben, "Variety of PM frameworks"))
    assert s.kind == "review" and "Variety of PM frameworks" in s.text
    response = await domain.responses.of_partner(rid, ben.id)
    assert response is not None and response.state == "submitted"     # the change counts
    assert response.submitted_at == submitted.submitted_at
    s = last(await domain.answering.press(ben, button(s, "Done")))
    assert "Saved" in s.text
    history = await domain.responses.history(response.id, "weaknesses")
    assert [h.value for h in history] == ["Too many targets"]
    assert (await domain.responses.answers(response.id))["weaknesses"].version == 2


async def test_the_next_question_takes_the_answered_ones_place_only_at_the_bottom(
        domain: Domain) -> None:
    rid = await new_round(domain, template="partnership-functions", anonymity="named")
    asha = domain.people[0]
    await domain.answering.press(asha, Action("start", rid))
    response = await domain.responses.of_partner(rid, asha.id)
    assert response is not None
    await domain.answering.remember_screen(response.id, 41, "top-down-strategy")
    # Pressed on the chat's newest message: redrawn as question 2, question 1 a line above.
    out = await domain.answering.press(asha, Action("pick", rid, 0, 0), 41, at_bottom=True)
    assert not out.send and out.target == 41 and out.edit is not None
    assert out.edit.text.startswith("Area 1: Strategy\n1. Top down")
    assert "✅ Strongly\n\nArea 1 of 3 · Question 2 of 6" in out.edit.text
    assert out.edit.starts_at == "top-down-strategy"
    # Something came below it: the message settles into its two lines, question 3 below.
    out = await domain.answering.press(asha, Action("pick", rid, 1, 2), 41, at_bottom=False)
    assert out.edit is not None and not out.edit.buttons
    assert out.edit.text.count("\n✅ ") == 2 and "Question" not in out.edit.text
    assert [s.text.split("\n")[0] for s in out.send] == ["Area 2 of 3 · Question 3 of 6"]
    assert out.send[0].starts_at == "theme-coordination"
    # A press on an older message only toasts, whatever the chat says of its place.
    await domain.answering.remember_screen(response.id, 43, "theme-coordination")
    out = await domain.answering.press(asha, Action("pick", rid, 2, 0), 41, at_bottom=True)
    assert out.notice == STALE and out.edit is None and not out.send


async def test_a_typed_answer_is_not_echoed_above_the_partners_own_message(
        domain: Domain) -> None:
    # The settled question is the message right above what the partner typed: it keeps the
    # prompt (and a tapped rating), not a second, cut copy of their words.
    rid = await new_round(domain, template="framework-review")
    asha = domain.people[0]
    s = last(await domain.answering.press(asha, Action("start", rid)))
    await domain.answering.text(asha, "6 years")
    await domain.answering.text(asha, "council")
    written = ("We need a fair crack at public contracts for local social enterprises, "
               "and the board should say so.")
    out = await domain.answering.text(asha, written)
    assert out.edit is not None and out.edit.text.endswith("over the last 3 years?")
    assert "fair crack" not in out.edit.text and "✅" not in out.edit.text.split("\n")[-1]
    # A rating tapped, then (back on it) its comment typed: the rating stays in the line,
    # the comment is the partner's message below.
    rid = await new_round(domain, template="rag-feedback")
    s = last(await domain.answering.press(asha, Action("start", rid)))
    s = last(await domain.answering.press(asha, button(s, "Amber")))
    s = last(await domain.answering.press(asha, button(s, "← Back")))
    out = await domain.answering.text(asha, "Good relationships, slow delivery")
    assert out.edit is not None and out.edit.text.endswith("✅ Amber"), out.edit.text
    # A comment typed before the rating is tapped is below the question too.
    rid = await new_round(domain, template="rag-feedback")
    s = last(await domain.answering.press(asha, Action("start", rid)))
    mine = await domain.responses.of_partner(rid, asha.id)
    assert mine is not None
    await domain.answering.remember_screen(mine.id, 41)      # the question's message
    drawn = (await domain.answering.text(asha, "Good relationships, slow delivery")).edit
    assert drawn is not None
    out = await domain.answering.press(asha, button(drawn, "Green"), message_id=41)
    assert out.edit is not None and out.edit.text.endswith("✅ Green"), out.edit.text


def test_a_cut_answer_ends_on_a_whole_word_and_a_lone_full_stop_is_no_cut() -> None:
    from surveys.screens import shorten

    assert shorten("We need a fair crack at public contracts for local firms ok.", 60) == (
        "We need a fair crack at public contracts for local firms ok.")
    assert shorten("We need a fair crack at public contracts for local social enterprises",
                   60) == "We need a fair crack at public contracts for local social…"
