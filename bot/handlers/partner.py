"""Partner handlers: each reads the update, makes one service call and renders the result."""

from __future__ import annotations

import io
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.context import PulseContext
from bot.handlers.coordinator import COORDINATOR_COMMANDS
from bot.render import apply, send_screen
from bot.wiring import Services
from surveys.errors import InvitationError, NotAllowed, RoundClosed
from surveys.plural import listed
from surveys.records import Partner
from surveys.screens import Action, Outcome, shorten

log = logging.getLogger(__name__)

NOT_JOINED = ("You have not joined yet. Please open the invite link your partnership "
              "coordinator sent you (it starts https://t.me/…?start=).")
HELP = (
    "PartnerPulse runs your partnership's review, one question at a time.\n\n"
    "/surveys: your open question rounds, to start, continue or change answers\n"
    "/privacy: what is stored and who sees it\n"
    "/mydata: a file of everything you have answered\n"
    "/forget: erase you and your answers\n"
    "/digest on|off: a weekly line about rounds waiting for you\n\n"
    "Answer with the buttons, or type when asked. Every answer is saved the moment you give "
    "it; you can stop and carry on later, on any device.")
PRIVACY = (
    "What is stored: your name, organisation, sector and partnerships (from your partnership's "
    "list), your Telegram chat, and your answers with the time you gave them (earlier versions "
    "are kept when you change an answer).\n\n"
    "Who sees it depends on each round, shown on its card:\n"
    "• Named: the coordinator sees who gave each answer.\n"
    "• Confidential: answers are stored with your name, but reports never name anyone and "
    "groups smaller than {min_group} are not shown on their own.\n"
    "• Anonymous: once you submit, your answers are stored with no link to you at all, not "
    "even in the database; they cannot be changed or erased afterwards.\n\n"
    "/mydata sends you your answers; /forget erases you and your answers.")
FORGET_YES, FORGET_NO = "forget:yes", "forget:no"
COORDINATOR_WELCOME = (
    "Welcome to PartnerPulse. You are a coordinator here: start a question round with "
    "/newround, watch it with /rounds and /status, nudge with /remind, close with /close and "
    "get the report with /report. /help lists everything.")


def coordinator_help() -> str:
    """The coordinator's commands, one a line (the same list their chat's menu shows)."""
    lines = [f"/{c.command}: {c.description[0].lower()}{c.description[1:]}"
             for c in COORDINATOR_COMMANDS if c.command not in ("surveys", "help")]
    return "As a coordinator you also have:\n" + "\n".join(lines)


async def dedupe(update: Update, context: PulseContext) -> None:
    """Apply an update once: it is claimed with the first write made while handling it, so
    a second delivery of the same update_id writes nothing (`surveys.deliveries`)."""
    await context.services.deliveries.claim(update.update_id)


async def settle(update: Update, context: PulseContext) -> None:
    """After the handlers: an update that wrote nothing is claimed now."""
    if not await context.services.deliveries.settle():
        log.info("update %s delivered twice; ignored", update.update_id)


async def _partner(update: Update, svc: Services) -> Partner | None:
    user = update.effective_user
    return await svc.partner_desk.by_user(user.id) if user else None


async def _joined(update: Update, svc: Services, greeting: str = "") -> Partner | None:
    """The partner behind a message; if they have not joined, tell them how and return None."""
    partner = await _partner(update, svc)
    if partner is None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(greeting + NOT_JOINED)
    return partner


async def start(update: Update, context: PulseContext) -> None:
    """/start TOKEN joins by an invite link; /start alone says how to join or welcomes back."""
    svc = context.services
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if context.args:
        try:
            partner = await svc.invitations.redeem(context.args[0], user.id, message.chat_id)
        except InvitationError as exc:
            existing = await svc.partner_desk.by_user(user.id)
            extra = " You are already joined; use /surveys." if existing else ""
            await message.reply_text(str(exc) + extra)
            return
        invited = await svc.rounds.rounds_for(partner)
        seats = listed(partner.partnerships) or "your partnership"
        await message.reply_text(
            f"Welcome, {partner.name} ({partner.organisation}). You have joined {seats} on "
            f"PartnerPulse.\n\n" + ("Your question rounds are on their way." if invited else
                                    "We will message you when a question round opens.")
            + "\n\n/help shows what I can do.")
        # Queued after the welcome, so the invitations follow it in the chat.
        await svc.rounds.partner_joined(partner)
        await svc.follow_ups.owner_joined(partner)   # actions agreed before they joined
        svc.outbox_changed.set()
        return
    if await _partner(update, svc) is None and await svc.is_coordinator(user.id):
        await message.reply_text(COORDINATOR_WELCOME)
        return
    await surveys(update, context, greeting="Welcome to PartnerPulse. ")


async def surveys(update: Update, context: PulseContext,
                  greeting: str = "") -> None:
    """/surveys: the partner's open rounds, each with a button."""
    svc = context.services
    message = update.effective_message
    assert message is not None
    partner = await _joined(update, svc, greeting)
    if partner is None:
        return
    await send_screen(context.bot, message.chat_id, await svc.answering.my_rounds(partner))


async def help_command(update: Update, context: PulseContext) -> None:
    """/help: what the bot does (and, for a coordinator, their commands too)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None
    coordinator = user is not None and await context.services.is_coordinator(user.id)
    await message.reply_text(HELP + ("\n\n" + coordinator_help() if coordinator else ""))


async def unknown_command(update: Update, context: PulseContext) -> None:
    """A command the bot does not have: say so briefly."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split()[0].split("@")[0]
    if command == "/cancel":   # outside /newround there is nothing under way
        await message.reply_text("There is nothing to cancel.")
        return
    await message.reply_text(f"I don't know {command}. /help lists what I can do.")


async def privacy(update: Update, context: PulseContext) -> None:
    """/privacy: what is stored and who sees it."""
    svc = context.services
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        PRIVACY.format(min_group=svc.config.reports.min_group_size))


async def mydata(update: Update, context: PulseContext) -> None:
    """/mydata: the partner's own record and answers as a JSON file."""
    svc = context.services
    message = update.effective_message
    assert message is not None
    partner = await _joined(update, svc)
    if partner is None:
        return
    data = await svc.partner_desk.personal_data(partner)
    await message.reply_document(io.BytesIO(data), filename="my-partnerpulse-data.json",
                                 caption="Everything PartnerPulse holds about you.")


async def forget(update: Update, context: PulseContext) -> None:
    """/forget: ask before erasing the partner and their answers."""
    svc = context.services
    message = update.effective_message
    assert message is not None
    if await _joined(update, svc) is None:
        return
    await message.reply_text(
        "This erases you and every answer linked to you. Coordinators will still see that a "
        "response was withdrawn, but not what it said. Anonymous answers you already "
        "submitted cannot be found, so they stay. Erase everything?",
        reply_markup=InlineKeyboardMarkup([[
            InlineKeyboardButton("Yes, erase me", callback_data=FORGET_YES),
            InlineKeyboardButton("No, keep", callback_data=FORGET_NO)]]))


async def forget_answer(update: Update, context: PulseContext) -> None:
    """The answer to /forget's question."""
    svc = context.services
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    partner = await _partner(update, svc)
    if query.data != FORGET_YES or partner is None:
        await query.edit_message_text("Nothing was erased.")
        return
    count = await svc.erasure.forget(partner)
    log.info("partner %s erased themselves (%d responses withdrawn)", partner.id, count)
    await query.edit_message_text("Done: you and your answers have been erased. Thank you for "
                                  "taking part. To join again you will need a new invite link.")


async def digest(update: Update, context: PulseContext) -> None:
    """/digest on|off: the partner's own weekly line."""
    svc = context.services
    message = update.effective_message
    assert message is not None
    partner = await _joined(update, svc)
    if partner is None:
        return
    choice = (context.args or [""])[0].lower()
    if choice not in ("on", "off"):
        state = "on" if partner.digest_opt_in else "off"
        await message.reply_text(f"Your weekly line is {state}. Send /digest on or /digest off.")
        return
    await svc.partner_desk.set_digest(partner, choice == "on")
    await message.reply_text(f"Your weekly line is now {choice}.")


async def button(update: Update, context: PulseContext) -> None:
    """A button of a question round."""
    svc = context.services
    query = update.callback_query
    assert query is not None
    action = Action.decode(query.data or "")
    partner = await _partner(update, svc)
    chat_id = query.message.chat.id if query.message else (partner.chat_id if partner else None)
    if action is None or partner is None or chat_id is None:
        log.warning("forged or unknown callback %r from user %s",
                    query.data, update.effective_user.id if update.effective_user else None)
        await query.answer("That button is not valid.", show_alert=False)
        return
    pressed = query.message.message_id if query.message else None
    at_bottom = pressed is not None and context.bot_data.tails.is_newest(chat_id, pressed)
    try:
        # A message too old for Telegram to include is never the live one (-1).
        outcome = await svc.answering.press(partner, action, -1 if pressed is None else pressed,
                                            at_bottom=at_bottom)
    except NotAllowed as exc:
        log.warning("forged callback %r from partner %s: %s", query.data, partner.id, exc)
        await query.answer(str(exc))
        return
    except RoundClosed as exc:
        await query.answer("This round has closed.")
        if pressed is not None:
            await context.bot.edit_message_reply_markup(chat_id, pressed, reply_markup=None)
        await context.bot.send_message(chat_id, str(exc))
        return
    # The next screen first, the answer to the query after it: the partner sees the next
    # question one round trip sooner. One call after another: run at once they would add to
    # the requests in flight, and PTB's connection pool grows slower with every one
    # (bench/answers.py, CPU a tap).
    try:
        await apply(context.bot, chat_id, outcome, svc.answering, pressed)
    finally:
        await query.answer(outcome.notice[:190] if outcome.notice else None)


async def _coordinator_only(update: Update, svc: Services, received: str) -> bool:
    """A coordinator who is no partner typed or sent something (`received`) no step was
    waiting for: told what was received and what the bot takes from them, not that they
    have not joined."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or await _partner(update, svc) is not None:
        return False
    if not await svc.is_coordinator(user.id):
        return False
    await message.reply_text(await svc.action_desk.stray_text(user.id, received))
    return True


def _kind(message: Message) -> str:
    """What a message other than text is: "sticker", "voice note", … or "message"."""
    return next((name for name in ("sticker", "photo", "voice note", "location", "video",
                                   "document", "audio", "contact", "animation", "poll")
                 if getattr(message, name.replace(" note", ""), None)), "message")


async def text(update: Update, context: PulseContext) -> None:
    """Typed text: an answer, part of one, or a comment."""
    svc = context.services
    message = update.effective_message
    assert message is not None and message.text is not None
    if await _coordinator_only(update, svc, f"“{shorten(message.text, 200)}”"):
        return
    partner = await _joined(update, svc)
    if partner is None:
        return
    await _run(context, message.chat_id, svc, svc.answering.text(partner, message.text))


async def not_text(update: Update, context: PulseContext) -> None:
    """A sticker, photo, voice note, location… where an answer was wanted."""
    svc = context.services
    message = update.effective_message
    assert message is not None
    what = _kind(message)
    if await _coordinator_only(update, svc, f"{'an' if what[0] in 'aeiou' else 'a'} {what}"):
        return
    partner = await _joined(update, svc)
    if partner is None:
        return
    await _run(context, message.chat_id, svc, svc.answering.not_text(partner, what))


async def _run(context: PulseContext, chat_id: int, svc: Services,
               step: object) -> None:
    try:
        outcome: Outcome = await step  # type: ignore[misc]
    except RoundClosed as exc:
        await context.bot.send_message(chat_id, str(exc))
        return
    await apply(context.bot, chat_id, outcome, svc.answering)

