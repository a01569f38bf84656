"""The local Bot API server, driven by the real python-telegram-bot HTTP stack."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.apiserver import BotApiServer
from bot.timing import ManualTimer
from tests.bot.conftest import StartPolling

ASHA = 1001
CHOICES = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Green", callback_data="rag:g")],
        [InlineKeyboardButton("Red", callback_data="rag:r")],
    ]
)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo text back with a RAG keyboard."""
    assert update.message is not None
    await update.message.reply_text(update.message.text or "", reply_markup=CHOICES)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /start with its arguments."""
    assert update.message is not None
    await update.message.reply_text(f"start:{' '.join(context.args or [])}")


async def rate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button and edit its message, removing the keyboard."""
    query = update.callback_query
    assert query is not None
    await query.answer("Saved")
    await query.edit_message_text(f"You chose {query.data}")


async def describe_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the kind of media PTB parsed."""
    message = update.message
    assert message is not None
    kinds = ["sticker", "photo", "voice", "location"]
    found = [kind for kind in kinds if getattr(message, kind)]
    await message.reply_text(",".join(found) or "none")


@pytest.fixture
async def echo_app(ptb_builder: ApplicationBuilder, start_polling: StartPolling) -> object:
    """A polling Application with /start, echo, button and media handlers."""
    app = ptb_builder.build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(~filters.TEXT, describe_media))
    app.add_handler(CallbackQueryHandler(rate))
    return await start_polling(app)


@pytest.fixture
async def bot(telegram_server: BotApiServer) -> AsyncIterator[Bot]:
    """A bare PTB Bot pointed at the local server (no Updater)."""
    async with Bot(
        telegram_server.token,
        base_url=telegram_server.base_url,
        base_file_url=telegram_server.base_file_url,
    ) as client:
        yield client


# -- conversation through a polling Application ------------------------------------------


async def test_text_gets_a_reply_in_the_transcript(telegram_server, echo_app) -> None:
    asha = telegram_server.user(ASHA, first_name="Asha", username="asha")
    await asha.send_text("Hello partnership")
    reply = await asha.next_reply()
    assert reply.kind == "message"
    assert reply.text == "Hello partnership"
    assert reply.buttons == [[("Green", "rag:g")], [("Red", "rag:r")]]
    assert telegram_server.sent_count(ASHA) == 1
    assert [e.kind for e in telegram_server.transcript(ASHA)] == ["message"]


async def test_command_carries_its_entity_and_arguments(telegram_server, echo_app) -> None:
    asha = telegram_server.user(ASHA, "Asha")
    await asha.send_command("/start", "invite-42")
    reply = await asha.next_reply()
    assert reply.text == "start:invite-42"


async def test_button_press_is_answered_and_edits_the_message(telegram_server, echo_app) -> None:
    asha = telegram_server.user(ASHA, "Asha")
    await asha.send_text("How was the board meeting?")
    question = await asha.next_reply()
    await asha.press("rag:r")
    answer = await telegram_server.wait_for(ASHA, lambda e: e.kind == "callback_answer")
    edit = await telegram_server.wait_for(ASHA, lambda e: e.kind == "edit")
    assert answer.text == "Saved"
    assert edit.message_id == question.message_id
    message = telegram_server.message(ASHA, question.message_id)
    assert message.text == "You chose rag:r"
    assert message.buttons == []
    assert message.edit_count == 1
    assert telegram_server.sent_count(ASHA) == 1


async def test_press_without_such_button_is_refused(telegram_server, echo_app) -> None:
    asha = telegram_server.user(ASHA, "Asha")
    with pytest.raises(LookupError):
        await asha.press("rag:g")


@pytest.mark.parametrize("action", ["send_sticker", "send_photo", "send_voice", "send_location"])
async def test_media_updates_parse_in_ptb(telegram_server, echo_app, action: str) -> None:
    asha = telegram_server.user(ASHA, "Asha")
    await getattr(asha, action)()
    reply = await asha.next_reply()
    assert reply.text == action.removeprefix("send_")


async def test_redelivered_update_reaches_the_bot_twice(
    telegram_server: BotApiServer, ptb_builder: ApplicationBuilder, start_polling: StartPolling
) -> None:
    seen: list[int] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)
        assert update.message is not None
        await update.message.reply_text("noted")

    app = ptb_builder.build()
    app.add_handler(MessageHandler(filters.TEXT, record))
    await start_polling(app)
    asha = telegram_server.user(ASHA, "Asha")
    update_id = await asha.send_text("Amber")
    await asha.next_reply()
    telegram_server.redeliver(update_id)
    await telegram_server.wait_for(ASHA, lambda e: e.kind == "message")
    assert seen == [update_id, update_id]


# -- getUpdates semantics ----------------------------------------------------------------


async def test_unacknowledged_updates_are_delivered_again(telegram_server, bot: Bot) -> None:
    asha = telegram_server.user(ASHA, "Asha")
    first = await asha.send_text("one")
    second = await asha.send_text("two")
    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [first]
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert await bot.get_updates(offset=second + 1) == ()
    assert telegram_server.stats()["pending_updates"] == 0


async def test_long_poll_returns_when_an_update_arrives(telegram_server, bot: Bot) -> None:
    asha = telegram_server.user(ASHA, "Asha")
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await telegram_server.wait_for_poll()
    assert not poll.done()
    await asha.send_text("late answer")
    updates = await asyncio.wait_for(poll, 2)
    assert updates[0].message.text == "late answer"
    assert updates[0].message.from_user.first_name == "Asha"


async def test_long_poll_times_out_empty(telegram_server, bot: Bot) -> None:
    telegram_server.max_long_poll = 0.05  # the server caps the poll, as Telegram caps at 50 s
    assert await bot.get_updates(timeout=5) == ()


# -- errors as PTB raises them -----------------------------------------------------------


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429_fault_raises_retry_after_and_sends_nothing(telegram_server, bot: Bot) -> None:
    telegram_server.user(ASHA, "Asha")
    telegram_server.faults.add(method="sendMessage", kind="429", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ASHA, "reminder")
    assert "Retry in 7 seconds" in str(caught.value)
    assert telegram_server.transcript(ASHA) == []
    assert telegram_server.stats()["too_many_requests"] == 1
    await bot.send_message(ASHA, "reminder")
    assert telegram_server.sent_count(ASHA) == 1


async def test_blocked_partner_raises_forbidden(telegram_server, bot: Bot) -> None:
    asha = telegram_server.user(ASHA, "Asha")
    await asha.block()
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(ASHA, "Round 2 is open")
    await asha.unblock()
    await bot.send_message(ASHA, "Round 2 is open")
    assert telegram_server.sent_count(ASHA) == 1


async def test_403_fault_for_one_chat_only(telegram_server, bot: Bot) -> None:
    telegram_server.user(ASHA, "Asha")
    telegram_server.user(1002, "Ben")
    telegram_server.faults.add(method="sendMessage", kind="403", chat_id=1002)
    await bot.send_message(ASHA, "hi")
    with pytest.raises(Forbidden):
        await bot.send_message(1002, "hi")


async def test_500_fault_raises_network_error(telegram_server, bot: Bot) -> None:
    telegram_server.user(ASHA, "Asha")
    telegram_server.faults.add(method="sendMessage", kind="500", count=2)
    for _ in range(2):
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(ASHA, "digest")
        assert type(caught.value) is NetworkError
    await bot.send_message(ASHA, "digest")
    assert telegram_server.sent_count(ASHA) == 1


async def test_slow_fault_delays_then_sends() -> None:
    timer = ManualTimer()
    async with BotApiServer(timer=timer) as server:
        server.add_bot("44:SLOW")
        server.user(ASHA, "Asha")
        server.faults.add(method="sendMessage", kind="slow", delay=2.5)
        async with Bot("44:SLOW", base_url=server.base_url) as client:
            sending = asyncio.create_task(client.send_message(ASHA, "eventually"))
            async with asyncio.timeout(10):  # a hang guard; the delay is on the timer
                await timer.until_waiting(2.5)
            assert timer.deadlines == [1002.5]          # held for exactly the fault's delay
            assert server.sent_count(ASHA) == 0 and not sending.done()
            timer.advance(2.4)
            async with asyncio.timeout(10):
                await timer.until_waiting(0.1)          # still held: 0.1 s to go
            assert server.sent_count(ASHA) == 0 and not sending.done()
            timer.advance(0.1)
            message = await asyncio.wait_for(sending, 10)
        assert message.text == "eventually"
        assert server.sent_count(ASHA) == 1


async def test_timeout_fault_times_out_and_sends_nothing(telegram_server, bot: Bot) -> None:
    telegram_server.user(ASHA, "Asha")
    telegram_server.faults.add(method="sendMessage", kind="timeout")
    with pytest.raises(TimedOut):
        await bot.send_message(ASHA, "lost", read_timeout=0.2)
    assert telegram_server.sent_count(ASHA) == 0


async def test_wrong_token_raises_invalid_token(telegram_server: BotApiServer) -> None:
    wrong = Bot("999:WRONG", base_url=telegram_server.base_url)
    with pytest.raises(InvalidToken):
        await wrong.initialize()


async def test_unknown_chat_and_oversized_button_are_bad_requests(
    telegram_server, bot: Bot
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(4242, "who?")
    telegram_server.user(ASHA, "Asha")
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(ASHA, "pick", reply_markup=too_long)


async def test_unknown_chats_can_be_accepted_for_benchmarks() -> None:
    async with BotApiServer(accept_unknown_chats=True, send_limit_per_second=None) as server:
        server.add_bot("43:ANY")
        async with Bot("43:ANY", base_url=server.base_url) as client:
            sent = await client.send_message(777, "invitation")
        assert sent.chat.id == 777
        assert server.sent_count(777) == 1


# -- the global send limit ---------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_send_limit_answers_429_beyond_n_per_second() -> None:
    timer = ManualTimer()
    async with BotApiServer(send_limit_per_second=3, timer=timer) as server:
        server.add_bot("42:LIMIT")
        server.user(ASHA, "Asha")
        async with Bot("42:LIMIT", base_url=server.base_url) as client:
            for n in range(3):
                await client.send_message(ASHA, f"invite {n}")
            with pytest.raises(RetryAfter) as caught:
                await client.send_message(ASHA, "invite 3")
            assert "Retry in 1 seconds" in str(caught.value)
            timer.advance(1.0)
            await client.send_message(ASHA, "invite 3")
            server.send_limit_per_second = None
            for n in range(10):
                await client.send_message(ASHA, f"extra {n}")
        assert server.sent_count(ASHA) == 14
        assert server.stats()["too_many_requests"] == 1


# -- other methods -----------------------------------------------------------------------


async def test_send_document_keeps_name_and_bytes(telegram_server, bot: Bot) -> None:
    telegram_server.user(ASHA, "Asha")
    content = b"PK\x03\x04 fake workbook"
    sent = await bot.send_document(ASHA, document=content, filename="report.xlsx", caption="Q3")
    assert sent.document is not None and sent.document.file_name == "report.xlsx"
    [event] = telegram_server.transcript(ASHA)
    assert (event.kind, event.text) == ("document", "Q3")
    assert event.file is not None and event.file.content == content
    assert event.file.filename == "report.xlsx"
    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == content


async def test_send_photo_and_chat_action(telegram_server, bot: Bot) -> None:
    telegram_server.user(ASHA, "Asha")
    await bot.send_chat_action(ASHA, "upload_photo")
    sent = await bot.send_photo(ASHA, photo=b"\x89PNG fake", caption="Chart")
    assert sent.photo and sent.caption == "Chart"
    assert [e.kind for e in telegram_server.transcript(ASHA)] == ["chat_action", "photo"]
    assert telegram_server.documents(ASHA)[0].content == b"\x89PNG fake"
    assert telegram_server.sent_count(ASHA) == 1


async def test_edit_delete_and_not_modified(telegram_server, bot: Bot) -> None:
    telegram_server.user(ASHA, "Asha")
    sent = await bot.send_message(ASHA, "Question 1", reply_markup=CHOICES)
    edited = await bot.edit_message_reply_markup(ASHA, sent.message_id, reply_markup=None)
    assert edited.message_id == sent.message_id and edited.reply_markup is None
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("Question 1", ASHA, sent.message_id)
    assert await bot.delete_message(ASHA, sent.message_id)
    with pytest.raises(BadRequest, match="not found"):
        await bot.edit_message_text("Question 2", ASHA, sent.message_id)
    [message] = telegram_server.messages(ASHA)
    assert message.deleted
    kinds = [e.kind for e in telegram_server.transcript(ASHA)]
    assert kinds == ["message", "edit", "delete"]


async def test_commands_round_trip(bot: Bot) -> None:
    await bot.set_my_commands([("start", "Join a round"), ("help", "What I can do")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert (await bot.get_webhook_info()).url == ""


async def test_wait_idle_after_a_burst(telegram_server, echo_app) -> None:
    partners = [telegram_server.user(2000 + n, f"Partner {n}") for n in range(5)]
    for partner in partners:
        await partner.send_text("ready")
    await telegram_server.wait_idle()
    assert telegram_server.sent_count() == 5
    assert all(telegram_server.sent_count(p.chat_id) == 1 for p in partners)


async def test_wait_for_times_out_with_context(telegram_server: BotApiServer) -> None:
    with pytest.raises(TimeoutError, match="chat 1001"):
        await telegram_server.wait_for(ASHA, timeout=0.05)


# -- raw HTTP: JSON bodies, unknown methods, the control API ------------------------------


async def test_json_body_and_unknown_method(telegram_server: BotApiServer) -> None:
    telegram_server.user(ASHA, "Asha")
    api = f"{telegram_server.base_url}{telegram_server.token}"
    async with aiohttp.ClientSession() as http:
        body = {"chat_id": ASHA, "text": "/start", "reply_markup": CHOICES.to_dict()}
        async with http.post(f"{api}/sendMessage", json=body) as response:
            sent = await response.json()
        async with http.post(f"{api}/sendPoll", json={}) as response:
            unknown = (response.status, await response.json())
    assert sent["ok"] and sent["result"]["date"] > 1_600_000_000
    assert sent["result"]["from"]["is_bot"] is True
    assert sent["result"]["reply_markup"] == CHOICES.to_dict()
    assert unknown == (404, {"ok": False, "error_code": 404, "description": "Not Found"})


async def test_control_api_drives_partners_and_counts(telegram_server, echo_app) -> None:
    control = f"{telegram_server.url}/_control"
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{control}/users/{ASHA}/text", json={"text": "hi"}) as response:
            assert "update_id" in await response.json()
        await telegram_server.wait_for(ASHA)
        async with http.post(f"{control}/users/{ASHA}/press", json={"data": "rag:g"}) as resp:
            assert resp.status == 200
        await telegram_server.wait_for(ASHA, lambda e: e.kind == "edit")
        async with http.get(f"{control}/stats") as response:
            stats = await response.json()
        async with http.get(f"{control}/transcript/{ASHA}") as response:
            transcript = await response.json()
    assert stats["sent_per_chat"] == {str(ASHA): 1}
    assert stats["sent_total"] == 1
    assert [e["kind"] for e in transcript] == ["message", "callback_answer", "edit"]


async def test_standalone_process_announces_and_serves() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.apiserver",
        "--port",
        "0",
        "--token",
        "7:STANDALONE",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        announced = json.loads(await asyncio.wait_for(process.stdout.readline(), 10))
        async with Bot("7:STANDALONE", base_url=announced["base_url"]) as client:
            assert client.username == "partnerpulse_bot"
            async with aiohttp.ClientSession() as http:
                url = f"{announced['url']}/_control/users/5/text"
                async with http.post(url, json={"text": "hello"}) as response:
                    assert response.status == 200
            [update] = await client.get_updates()
            assert update.message.text == "hello"
            await client.send_message(5, "hi back")
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{announced['url']}/_control/stats") as response:
                assert (await response.json())["sent_total"] == 1
    finally:
        process.terminate()
        await process.wait()
