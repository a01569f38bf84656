"""What a tap costs the bot, counted rather than timed: Bot API calls and SQLite statements.

Speed itself is measured by `bench/answers.py`; these counts are what it depends on, pinned
so that a change which adds a call or a trip to the database on every tap shows up here.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from surveys.templates import builtin_template
from tests.bot.conftest import RunningBot
from tests.bot.phone import Phone

# One answered question, the next taking its place: the database thread's work, in order.
ANSWER_IN_PLACE = [
    "SELECT ... FROM partners",                 # who pressed (their seats in the same row)
    "SELECT ... FROM responses",                # the response, its round and its answers
    # The answer (a trigger keeps the earlier version), the partner moved on and the update
    # claimed (applied once), together: one statement on a view, its trigger doing the three.
    "INSERT INTO answer_moves",
]


class Statements:
    """The SQL the bot's connection runs, read through sqlite3's trace callback.

    The callback sees a trigger's statements as its parent's text again, so repeats in a row
    are one statement; each is named by its verb and table ("SELECT ... FROM rounds").
    """

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, sql: str) -> None:
        if not self.seen or self.seen[-1] != sql:
            self.seen.append(sql)

    def take(self) -> list[str]:
        """The statements since the last take, named."""
        out, self.seen = [_name(sql) for sql in self.seen], []
        return out


def _name(sql: str) -> str:
    words = sql.split()
    if words[0] == "SELECT":   # the table of the outer query: its FROM comes last
        last = len(words) - 1 - words[::-1].index("FROM")
        return f"SELECT ... FROM {words[last + 1]}"
    head = 5 if words[:3] == ["INSERT", "OR", "IGNORE"] else 3 if words[0] == "INSERT" else 2
    return " ".join(words[:head])


def api_calls(bot: RunningBot) -> Counter[str]:
    """Bot API calls so far, by method, long polls left out."""
    return Counter({k: v for k, v in bot.server.requests.items() if k != "getUpdates"})


async def quiet_bot(bot: RunningBot) -> Statements:
    """Stop the bot's background work (sender, embedding, scheduler) and trace its SQL."""
    data = bot.app.bot_data
    assert data.sender is not None and data.embedding is not None
    await data.sender.stop()
    await data.embedding.stop()
    if bot.app.job_queue is not None:
        bot.app.job_queue.scheduler.pause()
    trace = Statements()
    await bot.svc.db.conn.set_trace_callback(trace)
    return trace


async def test_a_tap_costs_two_bot_api_calls_and_three_statements(
        running_bot: RunningBot) -> None:
    bot = running_bot
    q = builtin_template("partnership-functions")
    await bot.svc.rounds.create(q, deadline=bot.svc.clock.now() + timedelta(days=7),
                                anonymity="named")
    bot.svc.outbox_changed.set()
    phone = Phone(bot.server, await bot.join("Asha Patel", 501))
    await phone.invitation()
    await phone.settled()
    trace = await quiet_bot(bot)

    before = api_calls(bot)
    await phone.tap("Start")      # the card says Started; the first question is sent below
    assert api_calls(bot) - before == Counter(
        answerCallbackQuery=1, editMessageText=1, sendMessage=1)
    trace.take()
    live = phone.screen().message_id

    answered = 0
    while not phone.has("Submit"):
        before = api_calls(bot)
        screen = await phone.tap(phone.labels()[0])
        answered += 1
        # The next question (after the last, the review) takes its place: one edit, no send.
        assert api_calls(bot) - before == Counter(answerCallbackQuery=1,
                                                  editMessageText=1), answered
        assert trace.take() == ANSWER_IN_PLACE, answered
        assert screen.message_id == live and screen.text.count("\n✅ ") == answered
    assert answered == len(q.questions) and "That is every question." in screen.text

    before = api_calls(bot)
    done = await phone.tap("Submit")         # the review becomes the thank-you, lines kept
    assert api_calls(bot) - before == Counter(answerCallbackQuery=1, editMessageText=1)
    assert done.message_id == live and done.text.count("\n✅ ") == len(q.questions) + 1
    assert "✅ Submitted: Partnership functions" in done.text and not done.buttons
