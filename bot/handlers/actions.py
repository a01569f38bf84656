"""/actions and the action buttons: owners update their actions, coordinators keep the list.

Owner buttons carry ``ac:prog|done|stuck|nonote:ID``; coordinator buttons ``ac:show|set|sugg|
pick|own|due|more:…`` (see ``surveys.action_screens``), the weekly digest's ``ac:list``, and
``ac:held:a|w:ID`` saying what a message typed after a pick expired is (``surveys.held_texts``).
A typed message right after an owner's tap is that action's note: ``note`` runs in group -1,
before the partner's answering text handler, and stops the update only when it took the text
as a note.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import PulseApp, PulseContext
from bot.handlers.coordinator import authorised
from bot.handlers.partner import NOT_JOINED
from bot.render import apply, fit, payload_keyboard
from scheduler.digest import ACTIONS_BUTTON
from surveys.errors import InvalidAnswer, NotAllowed, NotFound, StaleAction
from surveys.held_texts import PREFIX as HELD_PREFIX
from surveys.screens import shorten

log = logging.getLogger(__name__)

OWNER_PATTERN = r"^ac:(prog|done|stuck|nonote):"
COORDINATOR_PATTERN = r"^ac:(show|set|sugg|pick|own|due|more):"
LIST_PATTERN = rf"^{ACTIONS_BUTTON}$"
HELD_PATTERN = rf"^{HELD_PREFIX}"


async def actions(update: Update, context: PulseContext) -> None:
    """/actions: a coordinator's list of agreed actions, or an owner's own open actions."""
    svc = context.services
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if await svc.is_coordinator(user.id):
        screen = await svc.action_desk.overview(user.id)
        await message.reply_text(fit(screen.text), reply_markup=payload_keyboard(screen.buttons))
        return
    partner = await svc.partner_desk.by_user(user.id)
    if partner is None:
        await message.reply_text(NOT_JOINED)
        return
    for screen in await svc.action_desk.mine(partner):
        await message.reply_text(fit(screen.text), reply_markup=payload_keyboard(screen.buttons))


async def listing(update: Update, context: PulseContext) -> None:
    """The digest's "Agreed actions" button: the coordinator's /actions screen, as a new
    message (the digest stays as it was)."""
    svc = context.services
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    if not await authorised(update, svc, f"button {query.data!r}"):
        return
    await query.answer()
    screen = await svc.action_desk.overview(user.id)
    chat_id = query.message.chat.id if query.message else user.id
    await context.bot.send_message(chat_id, fit(screen.text),
                                   reply_markup=payload_keyboard(screen.buttons))


async def owner_button(update: Update, context: PulseContext) -> None:
    """An owner's In progress, Done, Stuck or No note: stored at once, the card redrawn."""
    svc = context.services
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    partner = await svc.partner_desk.by_user(user.id)
    if partner is None:
        await query.answer("You have not joined yet.")
        return
    try:
        reply = await svc.follow_ups.owner_tap(partner, query.data or "")
    except (NotAllowed, NotFound, StaleAction) as exc:
        log.warning("action button %r refused for partner %s: %s", query.data, partner.id, exc)
        await query.answer(str(exc)[:190])
        return
    svc.outbox_changed.set()   # the coordinators' copies
    await query.answer()
    if query.data and not query.data.startswith("ac:nonote:"):
        try:
            await query.edit_message_text(
                fit(reply.card), reply_markup=payload_keyboard(reply.card_buttons))
        except BadRequest as exc:  # unchanged (the same tap twice) or gone: the reply says it
            log.info("could not redraw an action card: %s", exc)
    elif query.message is not None:
        await _drop_buttons(query.message.chat.id, query.message.message_id, context)
    chat_id = query.message.chat.id if query.message else partner.chat_id
    if chat_id is not None:
        sent = await context.bot.send_message(chat_id, reply.text,
                                              reply_markup=payload_keyboard(reply.buttons))
        if reply.buttons and context.chat_data is not None:
            # "Add a note? … No note": its button goes once a note is typed (see `note`).
            context.chat_data[_NOTE_PROMPT] = sent.message_id


_NOTE_PROMPT = "note_prompt"   # chat_data key: the message offering "No note", while it waits


async def _drop_buttons(chat_id: int, message_id: int, context: PulseContext) -> None:
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as exc:
        log.info("could not remove the No note button: %s", exc)


async def coordinator_button(update: Update, context: PulseContext) -> None:
    """A coordinator's /actions button: show one, change its status, agree a suggestion."""
    svc = context.services
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    if not await authorised(update, svc, f"button {query.data!r}"):
        return
    await query.answer()
    chat_id = query.message.chat.id if query.message else update.effective_user.id
    try:
        screen = await svc.action_desk.tap(query.data or "", update.effective_user.id, chat_id)
    except (NotFound, InvalidAnswer, StaleAction, NotAllowed) as exc:
        await context.bot.send_message(chat_id, str(exc))
        return
    svc.outbox_changed.set()   # a new action's card for its owner
    if screen.in_place and query.message is not None:
        # More and Back page within the one message, as a partner's question is redrawn;
        # a button whose suggestion has gone redraws its message as they stand now.
        try:
            await query.edit_message_text(fit(screen.text),
                                          reply_markup=payload_keyboard(screen.buttons))
            return
        except BadRequest as exc:   # the same page twice, or a message gone: drawn anew
            if "not modified" in str(exc).lower():
                return
            log.info("could not redraw the suggestions in place: %s", exc)
    await context.bot.send_message(chat_id, fit(screen.text),
                                   reply_markup=payload_keyboard(screen.buttons))


async def note(update: Update, context: PulseContext) -> None:
    """Typed text just after an owner's tap is their note, and just after a coordinator's
    pick of a suggested action its wording; anything else goes on to answering."""
    svc = context.services
    message, user = update.effective_message, update.effective_user
    if message is None or message.text is None or user is None:
        return
    try:   # a coordinator's own words for the suggested action they are agreeing
        reworded = await svc.action_desk.reword(user.id, message.text, message.chat.id)
    except InvalidAnswer as exc:
        await message.reply_text(str(exc))
        raise ApplicationHandlerStop from None
    if reworded is not None:
        await message.reply_text(fit(reworded.text),
                                 reply_markup=payload_keyboard(reworded.buttons))
        raise ApplicationHandlerStop
    # After the pick expired: kept, never filed on a guess; the bot asks what it is.
    asked = await svc.held_texts.hold(user.id, message.chat.id, message.text)
    if asked is not None:
        await message.reply_text(fit(asked.text), reply_markup=payload_keyboard(asked.buttons))
        raise ApplicationHandlerStop
    partner = await svc.partner_desk.by_user(user.id)
    if partner is None:
        return
    try:
        noted = await svc.follow_ups.owner_note(partner, message.text)
    except InvalidAnswer as exc:
        await message.reply_text(str(exc))
        raise ApplicationHandlerStop from None
    if noted is None:
        return
    svc.outbox_changed.set()
    prompt = context.chat_data.pop(_NOTE_PROMPT, None) if context.chat_data is not None else None
    if prompt is not None:   # the note is in: "No note" would contradict it
        await _drop_buttons(message.chat.id, prompt, context)
    await message.reply_text(f"Noted on your action “{shorten(noted.text, 60)}”. The "
                             "coordinators have been told. Thank you.")
    raise ApplicationHandlerStop


async def held_button(update: Update, context: PulseContext) -> None:
    """A tap saying what a held message is (``ac:held:a|w:ID``): the question's message
    says what it was filed as, then the next step follows as a new message; a tap that
    filed nothing says why."""
    svc = context.services
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    await query.answer()
    chat_id = query.message.chat.id if query.message else user.id
    try:
        filed = await svc.held_texts.file(user.id, query.data or "")
    except StaleAction as exc:
        await context.bot.send_message(chat_id, str(exc))
        return
    if filed.settled and query.message is not None:
        try:
            await query.edit_message_text(fit(filed.settled), reply_markup=None)
        except BadRequest as exc:   # settled already (a second tap)
            log.info("could not settle a held message's question: %s", exc)
    if filed.note:
        await context.bot.send_message(chat_id, fit(filed.note))
    if filed.screen is not None:
        await context.bot.send_message(chat_id, fit(filed.screen.text),
                                       reply_markup=payload_keyboard(filed.screen.buttons))
    if filed.outcome is not None:
        await apply(context.bot, chat_id, filed.outcome, svc.answering)


async def other_command(update: Update, context: PulseContext) -> None:
    """Any command starts something else: a suggestion picked in /actions stops waiting
    for its wording (the update goes on to the command)."""
    if update.effective_user is not None:
        await context.services.action_desk.drop_pick(update.effective_user.id)


def register(app: PulseApp) -> None:
    """/actions, both kinds of button, and the note reader and the command watcher (group
    -1, before answering and /newround's typed steps)."""
    app.add_handler(CommandHandler("actions", actions))
    app.add_handler(CallbackQueryHandler(owner_button, pattern=OWNER_PATTERN))
    app.add_handler(CallbackQueryHandler(coordinator_button, pattern=COORDINATOR_PATTERN))
    app.add_handler(CallbackQueryHandler(listing, pattern=LIST_PATTERN))
    app.add_handler(CallbackQueryHandler(held_button, pattern=HELD_PATTERN))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, note), group=-1)
    app.add_handler(MessageHandler(filters.COMMAND, other_command), group=-1)
