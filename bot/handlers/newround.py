"""/newround: a coordinator sets up a question round step by step (see newround.mmd).

Template → audience → anonymity → deadline → confirmation; Create calls the round service
once. Buttons carry ``nr:…`` (never the partner's ``Action`` pattern); the choices so far
live in one `Draft` in ``context.user_data``.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.context import PulseContext
from bot.handlers.coordinator import authorised
from bot.render import fit
from bot.wiring import Services
from surveys.errors import InvalidAnswer, NotAllowed
from surveys.flow import count_text
from surveys.plural import count
from surveys.rounds import ANONYMITY, Audience
from surveys.screens import ANONYMITY_NOTES, when
from surveys.templates import builtin_ids, builtin_template

log = logging.getLogger(__name__)

TEMPLATE, AUDIENCE, ANONYMITY_STEP, DEADLINE, CONFIRM = range(5)
END = ConversationHandler.END
BUTTON_PATTERN = r"^nr:"
DRAFT = "newround"  # the one user_data key this flow uses
DEADLINE_CHOICES = {7: "1 week", 14: "2 weeks", 28: "4 weeks"}
_TOGGLE = re.compile(r"^nr:aud:(all|p:\d{1,4}|s:\d{1,4})$")


@dataclass
class Draft:
    """A round being set up: what the coordinator has chosen so far."""

    partnerships: list[str]            # offered, in button order
    sectors: list[str]
    template_id: str | None = None
    chosen_partnerships: set[int] = field(default_factory=set)
    chosen_sectors: set[int] = field(default_factory=set)
    anonymity: str | None = None
    deadline: datetime | None = None

    def audience(self) -> Audience:
        """The chosen audience (nothing chosen means everyone)."""
        return Audience(
            partnership=tuple(self.partnerships[i] for i in sorted(self.chosen_partnerships)),
            sector=tuple(self.sectors[i] for i in sorted(self.chosen_sectors)))


def _draft(context: PulseContext) -> Draft | None:
    found = context.user_data.get(DRAFT) if context.user_data is not None else None
    return found if isinstance(found, Draft) else None


def _forget(context: PulseContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)


# -- screens ---------------------------------------------------------------------------------

def _template_screen() -> tuple[str, InlineKeyboardMarkup]:
    rows = [[InlineKeyboardButton(builtin_template(tid).title[:64], callback_data=f"nr:tpl:{tid}")]
            for tid in builtin_ids()]
    rows.append([InlineKeyboardButton("Cancel", callback_data="nr:cancel")])
    return "New round, step 1 of 4: which questionnaire?", InlineKeyboardMarkup(rows)


def _audience_screen(draft: Draft) -> tuple[str, InlineKeyboardMarkup]:
    def tick(on: bool, label: str) -> str:
        return f"✓ {label}" if on else label

    everyone = not draft.chosen_partnerships and not draft.chosen_sectors
    rows = [[InlineKeyboardButton(tick(everyone, "Everyone"), callback_data="nr:aud:all")]]
    rows += [[InlineKeyboardButton(tick(i in draft.chosen_partnerships, name)[:64],
                                   callback_data=f"nr:aud:p:{i}")]
             for i, name in enumerate(draft.partnerships)]
    sectors = [InlineKeyboardButton(tick(i in draft.chosen_sectors, f"Sector: {name}")[:64],
                                    callback_data=f"nr:aud:s:{i}")
               for i, name in enumerate(draft.sectors)]
    rows += [sectors[i:i + 2] for i in range(0, len(sectors), 2)]
    rows.append([InlineKeyboardButton("Done", callback_data="nr:aud:done")])
    text = ("New round, step 2 of 4: who is it for? Tap to choose several, then Done.\n"
            "(Partnerships: any of those ticked; sectors narrow it further.)\n"
            f"Chosen: {draft.audience().describe()}")
    return text, InlineKeyboardMarkup(rows)


def _anonymity_screen() -> tuple[str, InlineKeyboardMarkup]:
    text = "New round, step 3 of 4: how private are the answers?\n\n" + "\n".join(
        f"• {ANONYMITY_NOTES[kind]}" for kind in ANONYMITY)
    return text, InlineKeyboardMarkup([[
        InlineKeyboardButton(kind.capitalize(), callback_data=f"nr:anon:{kind}")
        for kind in ANONYMITY]])


def _deadline_screen(problem: str = "") -> tuple[str, InlineKeyboardMarkup]:
    text = ((problem + "\n\n" if problem else "")
            + "New round, step 4 of 4: the deadline? Pick one, or type a date like 18/12/2026 "
            "or 18 Dec (answers close at the end of that day).")
    return text, InlineKeyboardMarkup([[
        InlineKeyboardButton(label, callback_data=f"nr:dl:{days}")
        for days, label in DEADLINE_CHOICES.items()]])


async def _confirm_screen(draft: Draft, svc: Services) -> tuple[str, InlineKeyboardMarkup]:
    assert draft.template_id and draft.anonymity and draft.deadline
    q = builtin_template(draft.template_id)
    audience = draft.audience()
    total, joined = await svc.rounds.reach(audience)
    text = "\n".join([
        "New round: please check, then Create.", "",
        f"Questionnaire: {q.title} ({count_text(q)}, about "
        f"{q.estimated_minutes} minutes)",
        f"Audience: {audience.describe()}: {count(total, 'partner')}, {joined} joined so far "
        "(the others are invited when they join)",
        f"Privacy: {ANONYMITY_NOTES[draft.anonymity]}",
        f"Deadline: {when(draft.deadline, svc.config.zone)}"])
    return text, InlineKeyboardMarkup([[
        InlineKeyboardButton("Create", callback_data="nr:create"),
        InlineKeyboardButton("Cancel", callback_data="nr:cancel")]])


async def _send(update: Update, context: PulseContext,
                screen: tuple[str, InlineKeyboardMarkup | None]) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, fit(screen[0]),
                                   reply_markup=screen[1])


async def _settle(update: Update, choice: str) -> None:
    """Answer the press and turn the step's message into a line of transcript."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    asked = getattr(query.message, "text", None) or ""
    try:
        await query.edit_message_text(fit(f"{asked.splitlines()[0] if asked else ''}\n✅ {choice}"))
    except BadRequest as exc:  # gone or unchanged; the next step is what matters
        log.info("could not settle a /newround step: %s", exc)


async def _still_coordinator(update: Update, context: PulseContext,
                             what: str) -> Draft | None:
    """The draft, if the sender is (still) a coordinator with a flow under way."""
    if not await authorised(update, context.services, what):
        _forget(context)
        return None
    draft = _draft(context)
    if draft is None and update.callback_query is not None:
        await update.callback_query.answer("This /newround has ended; send /newround again.")
    return draft


# -- handlers --------------------------------------------------------------------------------

async def start(update: Update, context: PulseContext) -> int:
    """/newround: begin with the choice of questionnaire."""
    svc = context.services
    if not await authorised(update, svc, "/newround"):
        return END
    partnerships, sectors = await svc.rounds.audience_options()
    assert context.user_data is not None and update.effective_user is not None
    who = await svc.coordinators.get(update.effective_user.id)
    offered = [p for p in partnerships if who is None or who.covers([p])]
    draft = Draft(partnerships=offered, sectors=sectors)
    if who is not None and not who.is_global:  # their partnerships, not everyone, to begin
        draft.chosen_partnerships.update(range(len(offered)))
    context.user_data[DRAFT] = draft
    await _send(update, context, _template_screen())
    return TEMPLATE


async def pick_template(update: Update, context: PulseContext) -> int:
    """A questionnaire was picked; ask who the round is for."""
    query = update.callback_query
    assert query is not None
    if (draft := await _still_coordinator(update, context, "/newround template")) is None:
        return END
    template_id = (query.data or "").removeprefix("nr:tpl:")
    if template_id not in builtin_ids():
        await query.answer("That questionnaire is not offered.")
        return TEMPLATE
    draft.template_id = template_id
    await _settle(update, builtin_template(template_id).title)
    await _send(update, context, _audience_screen(draft))
    return AUDIENCE


async def toggle_audience(update: Update, context: PulseContext) -> int:
    """Tick or untick Everyone, a partnership or a sector; redraw the buttons in place."""
    query = update.callback_query
    assert query is not None
    if (draft := await _still_coordinator(update, context, "/newround audience")) is None:
        return END
    picked = (query.data or "").removeprefix("nr:aud:")
    if picked == "all":
        draft.chosen_partnerships.clear()
        draft.chosen_sectors.clear()
    else:
        kind, _, index = picked.partition(":")
        chosen, offered = ((draft.chosen_partnerships, draft.partnerships) if kind == "p"
                           else (draft.chosen_sectors, draft.sectors))
        if int(index) >= len(offered):
            await query.answer("That choice is not offered.")
            return AUDIENCE
        chosen.symmetric_difference_update({int(index)})
    await query.answer()
    text, markup = _audience_screen(draft)
    try:
        await query.edit_message_text(fit(text), reply_markup=markup)
    except BadRequest as exc:  # "not modified" when Everyone is tapped twice
        log.info("could not redraw the audience step: %s", exc)
    return AUDIENCE


async def audience_done(update: Update, context: PulseContext) -> int:
    """The audience is chosen; ask about anonymity (unless nobody is in it)."""
    query = update.callback_query
    assert query is not None
    if (draft := await _still_coordinator(update, context, "/newround audience")) is None:
        return END
    audience = draft.audience()
    total, _ = await context.services.rounds.reach(audience)
    if not total:
        await query.answer(f"No partner is in {audience.describe()}; choose again.",
                           show_alert=True)
        return AUDIENCE
    await _settle(update, f"{audience.describe()} ({total} partners)")
    await _send(update, context, _anonymity_screen())
    return ANONYMITY_STEP


async def pick_anonymity(update: Update, context: PulseContext) -> int:
    """Named, confidential or anonymous was picked; ask for the deadline."""
    query = update.callback_query
    assert query is not None
    if (draft := await _still_coordinator(update, context, "/newround anonymity")) is None:
        return END
    kind = (query.data or "").removeprefix("nr:anon:")
    if kind not in ANONYMITY:
        await query.answer("That choice is not offered.")
        return ANONYMITY_STEP
    draft.anonymity = kind
    await _settle(update, kind.capitalize())
    await _send(update, context, _deadline_screen())
    return DEADLINE


async def _set_deadline(update: Update, context: PulseContext, draft: Draft,
                        deadline: datetime) -> int:
    svc = context.services
    if deadline <= svc.clock.now():
        today = svc.clock.now().astimezone(svc.config.zone).date().isoformat()
        await _send(update, context, _deadline_screen(
            f"That date is in the past (today is {today}). Please choose a later one."))
        return DEADLINE
    draft.deadline = deadline
    await _send(update, context, await _confirm_screen(draft, svc))
    return CONFIRM


async def pick_deadline(update: Update, context: PulseContext) -> int:
    """1, 2 or 4 weeks from today was picked; show the confirmation card."""
    query = update.callback_query
    assert query is not None
    if (draft := await _still_coordinator(update, context, "/newround deadline")) is None:
        return END
    svc = context.services
    days = int((query.data or "").removeprefix("nr:dl:") or 0)
    if days not in DEADLINE_CHOICES:
        await query.answer("That choice is not offered.")
        return DEADLINE
    today = svc.clock.now().astimezone(svc.config.zone).date()
    await _settle(update, DEADLINE_CHOICES[days])
    return await _set_deadline(update, context, draft,
                               svc.rounds.deadline_from(today + timedelta(days=days)))


async def typed_deadline(update: Update, context: PulseContext) -> int:
    """A typed date (YYYY-MM-DD): checked, then the confirmation card."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if (draft := await _still_coordinator(update, context, "/newround deadline")) is None:
        return END
    try:
        deadline = context.services.rounds.deadline_from(message.text.strip())
    except InvalidAnswer as exc:
        await _send(update, context, _deadline_screen(str(exc)))
        return DEADLINE
    return await _set_deadline(update, context, draft, deadline)


async def create(update: Update, context: PulseContext) -> int:
    """Create: the round service makes the round and queues its invitations."""
    assert update.effective_user is not None and update.effective_chat is not None
    if (draft := await _still_coordinator(update, context, "/newround create")) is None:
        return END
    svc = context.services
    assert draft.template_id and draft.anonymity and draft.deadline
    await _settle(update, "Create")
    _forget(context)
    try:
        await svc.coordinators.check_audience(update.effective_user.id,
                                              draft.audience().partnership)
        round_id = await svc.rounds.create(
            builtin_template(draft.template_id), deadline=draft.deadline,
            audience=draft.audience(), anonymity=draft.anonymity,
            created_by=update.effective_user.id)
    except (InvalidAnswer, NotAllowed) as exc:  # e.g. the deadline passed while the card was open
        await _send(update, context, (f"{exc} Nothing was created; send /newround to start "
                                      "again.", None))
        return END
    await svc.changed()
    await context.bot.send_message(
        update.effective_chat.id,
        f"Round {round_id} is created. Invitations are going out.\n"
        f"/status {round_id} shows how it is going.")
    return END


async def cancel(update: Update, context: PulseContext) -> int:
    """/cancel or the Cancel button: leave the flow, creating nothing."""
    _forget(context)
    if not await authorised(update, context.services, "/newround cancel"):
        return END
    if update.callback_query is not None:
        await _settle(update, "Cancelled")
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id,
                                   "New round cancelled; nothing was created.")
    return END


async def not_a_button(update: Update, context: PulseContext) -> None:
    """Typing or a sticker where a button is wanted: say so, stay on the step."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "Please choose with the buttons above, or send /cancel to stop.")


async def not_a_date(update: Update, context: PulseContext) -> int:
    """A sticker, photo… where a date is wanted: the deadline step again."""
    await _send(update, context, _deadline_screen(
        "That is not a date. Type one like 18/12/2026 or 18 Dec, or pick a button."))
    return DEADLINE


async def stale(update: Update, context: PulseContext) -> None:
    """A button of an earlier step in this flow: point to the newest message."""
    assert update.callback_query is not None
    await update.callback_query.answer("That step is done; please use the newest message.")


async def ended(update: Update, context: PulseContext) -> None:
    """A /newround button pressed when no flow is under way (finished, cancelled, restarted)."""
    query = update.callback_query
    assert query is not None
    if not await authorised(update, context.services, f"button {query.data!r}"):
        return
    await query.answer("This /newround has ended; send /newround to start again.")


def conversation() -> ConversationHandler:
    """The /newround flow as a ConversationHandler (per user, per chat)."""
    typed = ~filters.COMMAND & ~filters.StatusUpdate.ALL
    with warnings.catch_warnings():
        # Steps are tracked per coordinator and chat on purpose; an older step's button is
        # answered by `stale`, so per-message tracking is not needed.
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("newround", start)],
            states={
                TEMPLATE: [CallbackQueryHandler(pick_template, pattern=r"^nr:tpl:"),
                           MessageHandler(typed, not_a_button)],
                AUDIENCE: [CallbackQueryHandler(toggle_audience, pattern=_TOGGLE),
                           CallbackQueryHandler(audience_done, pattern=r"^nr:aud:done$"),
                           MessageHandler(typed, not_a_button)],
                ANONYMITY_STEP: [CallbackQueryHandler(pick_anonymity, pattern=r"^nr:anon:"),
                                 MessageHandler(typed, not_a_button)],
                DEADLINE: [CallbackQueryHandler(pick_deadline, pattern=r"^nr:dl:\d{1,3}$"),
                           MessageHandler(filters.TEXT & ~filters.COMMAND, typed_deadline),
                           MessageHandler(typed, not_a_date)],
                CONFIRM: [CallbackQueryHandler(create, pattern=r"^nr:create$"),
                          MessageHandler(typed, not_a_button)],
            },
            fallbacks=[CommandHandler("cancel", cancel),
                       CallbackQueryHandler(cancel, pattern=r"^nr:cancel$"),
                       CallbackQueryHandler(stale, pattern=BUTTON_PATTERN)],
            allow_reentry=True, name="newround", per_user=True, per_chat=True)
