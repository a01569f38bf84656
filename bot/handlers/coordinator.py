"""Coordinator handlers: list, watch, nudge and close rounds from the chat, each call checked.

Buttons carry ``co:VERB:ROUND`` (two letters before the first colon, so they never match the
partner's ``Action`` pattern); the /newround conversation lives in ``bot.handlers.newround``.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Awaitable, Callable

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import PulseApp, PulseContext
from bot.render import fit
from bot.wiring import Services
from surveys.errors import InvalidAnswer, NotAllowed, NotFound, RoundClosed
from surveys.records import Round
from surveys.screens import when
from surveys.status_text import status_lines

log = logging.getLogger(__name__)

COORDINATORS_ONLY = "This command is for coordinators."
BUTTON_PATTERN = r"^co:"
_BUTTON = re.compile(r"^co:(status|remind|close|closeyes|closeno|report):(\d{1,12})$")
MAX_LISTED = 20  # rounds in /rounds: one button each, and a message Telegram accepts
COORDINATOR_COMMANDS = [
    BotCommand("newround", "Start a question round"),
    BotCommand("rounds", "Rounds and their response rates"),
    BotCommand("status", "A round's figures (newest open by default)"),
    BotCommand("remind", "Remind those who have not submitted"),
    BotCommand("close", "Close a round"),
    BotCommand("report", "A round's report (PDF, XLSX and a chart)"),
    BotCommand("actions", "Agreed actions: list, change, agree more"),
    BotCommand("cancel", "Leave /newround"),
    BotCommand("surveys", "Your own question rounds"),
    BotCommand("help", "What this bot does"),
]


async def authorised(update: Update, svc: Services, what: str) -> bool:
    """Whether the sender is a coordinator; if not, say so, log it and return False."""
    user = update.effective_user
    if user is not None and await svc.is_coordinator(user.id):
        return True
    log.warning("coordinator %s refused for user %s", what, user.id if user else None)
    query = update.callback_query
    if query is not None:
        await query.answer(COORDINATORS_ONLY)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(COORDINATORS_ONLY)
    return False


def _round_arg(args: list[str] | None, command: str) -> int | None:
    """The round id given to a command; InvalidAnswer if it is not a number."""
    if not args:
        return None
    try:
        return int(args[0])
    except ValueError:
        raise InvalidAnswer(f"Round ids are numbers, for example /{command} 3. "
                            "/rounds lists them.") from None


def _status_keyboard(rnd: Round) -> InlineKeyboardMarkup | None:
    row = []
    if rnd.state == "open":
        row.append(InlineKeyboardButton("Remind", callback_data=f"co:remind:{rnd.id}"))
    if rnd.state != "closed":
        row.append(InlineKeyboardButton("Close", callback_data=f"co:close:{rnd.id}"))
    row.append(InlineKeyboardButton("Report", callback_data=f"co:report:{rnd.id}"))
    return InlineKeyboardMarkup([row]) if row else None


async def _send_status(context: PulseContext, chat_id: int, svc: Services,
                       round_id: int | None) -> None:
    assert round_id is not None  # `_their_round` chose the newest open one if none was given
    figures = await svc.rounds.status(round_id)
    await context.bot.send_message(chat_id, fit("\n".join(status_lines(figures,
                                                                       svc.config.zone))),
                                   reply_markup=_status_keyboard(figures.round))


async def _send_remind(context: PulseContext, chat_id: int, svc: Services,
                       round_id: int) -> None:
    result = await svc.reminders.remind(round_id)
    if result.queued:
        svc.outbox_changed.set()
    await context.bot.send_message(
        chat_id, f"Round {round_id}: {result.summary(svc.config.zone, svc.clock.now())}")


async def _ask_close(context: PulseContext, chat_id: int, svc: Services,
                     round_id: int) -> None:
    rnd = await svc.rounds.round(round_id)
    if rnd.state == "closed":
        await context.bot.send_message(chat_id, f"Round {round_id} is already closed.")
        return
    await context.bot.send_message(
        chat_id, f"Close round {round_id}? ({rnd.title})\nPartners can no longer answer; "
        "thanks go out to those who took part, and you get a summary.",
        reply_markup=InlineKeyboardMarkup([[
            InlineKeyboardButton("Yes, close", callback_data=f"co:closeyes:{round_id}"),
            InlineKeyboardButton("No", callback_data=f"co:closeno:{round_id}")]]))


async def _close(context: PulseContext, chat_id: int, svc: Services,
                 round_id: int) -> None:
    closed = await svc.rounds.close(round_id, closed_by=chat_id)
    await svc.changed()
    await context.bot.send_message(
        chat_id, f"Round {round_id} is closed. Partners who took part are being thanked; "
        "the summary follows." if closed else f"Round {round_id} was already closed.")


async def _send_report(context: PulseContext, chat_id: int, svc: Services,
                       round_id: int | None) -> None:
    assert round_id is not None  # `_their_round` chose the newest one if none was given
    await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
    built = await svc.reports.build(round_id)
    # Charts and workbooks take a moment on a big round; the event loop stays free.
    chart = await asyncio.to_thread(built.chart_png)
    front = built.report.front
    await context.bot.send_photo(
        chat_id, chart, caption=fit(f"{front.title}: {front.submitted} of {front.invited} "
                                    f"responded ({front.rate:.0%}).", 1024))
    for fmt in ("pdf", "xlsx"):  # what an officer can circulate as it stands
        content = await asyncio.to_thread(built.render, fmt)
        await context.bot.send_document(chat_id, io.BytesIO(content),
                                        filename=built.file_name(fmt))


async def report(update: Update, context: PulseContext) -> None:
    """/report [ROUND]: the round's report as PDF and XLSX, with its chart (newest round)."""
    await _on_round(update, context, "report", _send_report, optional=True)


async def _settle(update: Update, text: str) -> None:
    """Turn the pressed message into a transcript line (no buttons)."""
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(fit(text))
    except BadRequest as exc:  # gone or unchanged; the reply that follows is what matters
        log.info("could not settle a coordinator message: %s", exc)


async def rounds(update: Update, context: PulseContext) -> None:
    """/rounds: every round, newest first, with its state, response rate and a Status button."""
    svc = context.services
    message = update.effective_message
    assert message is not None
    if not await authorised(update, svc, "/rounds"):
        return
    assert update.effective_user is not None
    listed = (await svc.coordinators.visible_tallies(update.effective_user.id,
                                                     await svc.rounds.overview()))[:MAX_LISTED]
    if not listed:
        await message.reply_text("There are no rounds yet. Start one with /newround.")
        return
    lines, buttons = ["Rounds, newest first:"], []
    for tally in listed:
        rnd = tally.round
        lines.append(f"{rnd.id}. {rnd.title} — {rnd.state}, {tally.submitted} of "
                     f"{tally.invited} submitted ({tally.rate:.0%}), deadline "
                     f"{when(rnd.deadline, svc.config.zone)}")
        buttons.append([InlineKeyboardButton(f"Status of round {rnd.id}",
                                             callback_data=f"co:status:{rnd.id}")])
    await message.reply_text(fit("\n".join(lines)), reply_markup=InlineKeyboardMarkup(buttons))


async def status(update: Update, context: PulseContext) -> None:
    """/status [round]: a round's figures (the newest open one by default)."""
    await _on_round(update, context, "status", _send_status, optional=True)


async def _on_round(update: Update, context: PulseContext, command: str,
                    act: Callable[..., Awaitable[None]], *, optional: bool = False) -> None:
    """A coordinator command about a round: check, parse the id, act, explain problems.

    With `optional`, a command given no round id acts on its default round (None).
    """
    svc = context.services
    message = update.effective_message
    assert message is not None
    if not await authorised(update, svc, f"/{command}"):
        return
    try:
        round_id = _round_arg(context.args, command)
        if round_id is None and not optional:
            await message.reply_text(f"Which round? Send /{command} ROUND, for example "
                                     f"/{command} 3.")
            return
        round_id = await _their_round(update, svc, round_id, open_only=command == "status")
        await act(context, message.chat_id, svc, round_id)
    except (NotFound, InvalidAnswer, RoundClosed, NotAllowed) as exc:
        hint = " /rounds lists the rounds." if isinstance(exc, NotFound) else ""
        await message.reply_text(str(exc) + hint)


async def remind(update: Update, context: PulseContext) -> None:
    """/remind ROUND: remind everyone in the round who has not submitted, within its policy."""
    await _on_round(update, context, "remind", _send_remind)


async def close(update: Update, context: PulseContext) -> None:
    """/close ROUND: ask, then close the round."""
    await _on_round(update, context, "close", _ask_close)


async def button(update: Update, context: PulseContext) -> None:
    """A Status, Remind or Close button, or the answer to "Close round N?"."""
    svc = context.services
    query = update.callback_query
    assert query is not None
    if not await authorised(update, svc, f"button {query.data!r}"):
        return
    found = _BUTTON.match(query.data or "")
    if found is None or query.message is None:
        log.warning("unknown coordinator callback %r", query.data)
        await query.answer("That button is not valid.")
        return
    verb, round_id, chat_id = found.group(1), int(found.group(2)), query.message.chat.id
    await query.answer()
    try:
        await _their_round(update, svc, round_id)
        if verb == "status":
            await _send_status(context, chat_id, svc, round_id)
        elif verb == "remind":
            await _send_remind(context, chat_id, svc, round_id)
        elif verb == "close":
            await _ask_close(context, chat_id, svc, round_id)
        elif verb == "report":
            await _send_report(context, chat_id, svc, round_id)
        elif verb == "closeno":
            await _settle(update, f"Round {round_id} stays open.")
        else:
            await _settle(update, f"Closing round {round_id}…")
            await _close(context, chat_id, svc, round_id)
    except (NotFound, RoundClosed, NotAllowed) as exc:
        await context.bot.send_message(chat_id, str(exc))


async def _their_round(update: Update, svc: Services, round_id: int | None, *,
                       open_only: bool = False) -> int:
    """The round a coordinator means: the one given, if they may act on it (NotAllowed
    otherwise), or else their newest (open) round (NotFound if they have none)."""
    assert update.effective_user is not None
    user_id = update.effective_user.id
    if round_id is not None:
        who = await svc.coordinators.get(user_id)
        if who is None or not who.is_global:  # a global coordinator may act on any round
            await svc.coordinators.check(user_id, await svc.rounds.round(round_id))
        return round_id
    rounds = await (svc.rounds.all(("open",)) if open_only else svc.rounds.all())
    theirs = await svc.coordinators.visible(user_id, rounds)
    if not theirs:
        raise NotFound("There is no open round." if open_only else "There are no rounds yet.")
    return theirs[0].id


def register(app: PulseApp) -> None:
    """Add the coordinator's handlers; call before the partner's catch-all handlers."""
    # Imported here: newround uses `authorised` from this module.
    from bot.handlers import newround

    app.add_handler(newround.conversation())
    app.add_handler(CommandHandler("rounds", rounds))
    app.add_handler(CommandHandler("status", status))
    app.add_handler(CommandHandler("remind", remind))
    app.add_handler(CommandHandler("close", close))
    app.add_handler(CommandHandler("report", report))
    app.add_handler(CallbackQueryHandler(button, pattern=BUTTON_PATTERN))
    app.add_handler(CallbackQueryHandler(newround.ended, pattern=newround.BUTTON_PATTERN))


async def set_commands(app: PulseApp) -> None:
    """Show the coordinator's commands in each coordinator's chat (at start-up)."""
    svc = app.bot_data.services
    for chat_id in await svc.coordinator_chats():
        try:
            await app.bot.set_my_commands(COORDINATOR_COMMANDS,
                                          scope=BotCommandScopeChat(chat_id))
        except (BadRequest, Forbidden) as exc:
            # A coordinator who has not opened the bot yet has no chat; the next start-up retries.
            log.warning("could not set coordinator commands for chat %s: %s", chat_id, exc)
