"""End to end: one observer records several partnerships' meetings in one observation round,
through the local Bot API server and the real bot (seed 000)."""

from __future__ import annotations

from datetime import timedelta

from surveys.rounds import Audience
from surveys.templates import builtin_template
from tests.bot.conftest import RunningBot
from tests.bot.phone import Phone

NOTES = {"Green": "Clear and working well", "Amber": "Some concerns", "Red": "Not working"}


async def _open(bot: RunningBot) -> int:
    rid = await bot.svc.rounds.create(
        builtin_template("meeting-observation"), anonymity="confidential",
        deadline=bot.svc.clock.now() + timedelta(days=7), audience=Audience(role=("Chair",)),
        title="Board meeting observations")
    bot.svc.outbox_changed.set()
    return rid


async def _answer(phone: Phone, colour: str, *, attendance: str = "14",
                  stop_after: int | None = None) -> str:
    """Answer a record's questions in order (a colour and a note each, the head count, the
    optional comment skipped); returns the last screen's text."""
    rated = 0
    for _ in range(12):
        screen = phone.screen().text
        if "Review your answers" in screen:
            return screen
        if stop_after is not None and rated == stop_after:
            return screen
        if "How many people attended?" in screen:
            await phone.say(attendance)
        elif "Other comments" in screen:
            await phone.tap("Skip")
        else:
            await phone.tap(colour)
            await phone.say(f"{NOTES[colour]} ({rated + 1})")
            rated += 1
    raise AssertionError(f"no review after the questions: {phone.screen().text}")


async def test_an_observer_records_several_partnerships_resumes_and_changes_one(
        running_bot: RunningBot) -> None:
    bot = running_bot
    rid = await _open(bot)
    user = await bot.join("Asha Patel", 601)
    phone = Phone(bot.server, user)
    await phone.invitation()

    # The partnership first: the list of partnerships, nothing recorded yet.
    picker = await phone.tap("Start")
    assert "Which partnership's meeting are you recording?" in picker.text
    assert phone.labels() == ["Fareham Partnership", "Safety Board"]
    first = await phone.tap("Safety Board")
    assert first.text.startswith("🔎 Safety Board\nArea 1 of 2 · Question 1 of 9")
    assert "Structure" in first.text
    review = await _answer(phone, "Green")
    assert review.startswith("🔎 Safety Board\nReview your answers")
    done = await phone.tap("Submit")
    assert "Submitted: your record of Safety Board" in done.text
    assert phone.labels() == ["Record another partnership", "My records"]

    # Stored at once: one submitted record, and the observer counts once as submitted.
    records = await bot.svc.responses.records_of_round(rid)
    assert [(r.subject, r.state) for r in records] == [("Safety Board", "submitted")]
    status = await bot.svc.rounds.status(rid)
    assert (status.invited, status.submitted) == (2, 1)

    # Another partnership; the one recorded is ticked. Stop half-way.
    picker = await phone.tap("Record another partnership")
    assert phone.labels() == ["Fareham Partnership", "✓ Safety Board"]
    await phone.tap("Fareham Partnership")
    await _answer(phone, "Amber", stop_after=2)
    assert "Question 4 of 9" in phone.screen().text

    # Resumed later from /surveys: the card lists the records, a button each.
    await user.send_command("/surveys")
    listing = await phone.reply("Your question rounds")
    assert "1 partnership recorded, 1 in progress" in listing.text
    card = await phone.tap("Open: Board meeting observations")
    assert "• Fareham Partnership: 3 of 9 answered" in card.text
    assert "• Safety Board: submitted" in card.text
    assert "confidential" in card.text.lower()
    resumed = await phone.tap("▶ Fareham Partnership")
    assert resumed.text.startswith("🔎 Fareham Partnership\nArea 1 of 2 · Question 4 of 9")
    # A note typed goes to the record being answered, not the one submitted.
    await phone.tap("Red")
    await phone.say("Chair absent, nobody led")
    await _answer(phone, "Amber")
    await phone.tap("Submit")

    # Changed until the deadline: the first record, reopened from the card.
    await user.send_command("/surveys")
    await phone.reply("Your question rounds")
    await phone.tap("Open: Board meeting observations")
    review = await phone.tap("Safety Board")
    assert review.text.startswith("🔎 Safety Board\nReview your answers")
    await phone.tap("Change an answer")
    await phone.tap("1")
    await phone.tap("Red")
    await phone.say("On a second look: no delivery group at all")
    saved = await phone.tap("Done")
    assert "Saved: your changes to your record of Safety Board" in saved.text

    records = {r.subject: r for r in await bot.svc.responses.records_of_round(rid)}
    assert {s: r.state for s, r in records.items()} == {
        "Fareham Partnership": "submitted", "Safety Board": "submitted"}
    safety = await bot.svc.responses.answers(records["Safety Board"].id)
    assert (safety["structure"].value, safety["structure"].comment) == (
        "Red", "On a second look: no delivery group at all")
    earlier = await bot.svc.responses.history(records["Safety Board"].id, "structure")
    assert [(a.value, a.comment) for a in earlier] == [
        ("Green", None), ("Green", "Clear and working well (1)"), ("Red", None)]
    fareham = await bot.svc.responses.answers(records["Fareham Partnership"].id)
    assert fareham["leadership"].value == "Red"
    assert fareham["leadership"].comment == "Chair absent, nobody led"
    assert fareham["size-count"].value == 14
    # The observer's own response holds no answers: each record holds its own.
    own = await bot.svc.responses.of_partner(rid, (await bot.partner("Asha Patel")).id)
    assert own is not None and own.state == "submitted"
    assert await bot.svc.responses.answers(own.id) == {}


async def test_an_observation_round_cannot_be_anonymous(running_bot: RunningBot) -> None:
    import pytest

    from surveys.errors import InvalidAnswer

    with pytest.raises(InvalidAnswer, match="named or confidential"):
        await running_bot.svc.rounds.create(
            builtin_template("meeting-observation"), anonymity="anonymous",
            deadline=running_bot.svc.clock.now() + timedelta(days=7))
