"""The Telegram application: handlers, the outbox sender and the scheduler, wired once."""

from __future__ import annotations

import logging
from typing import cast

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import tails
from bot.context import CONTEXT_TYPES, PulseApp
from bot.embedding import EmbeddingWorker, settle_heap
from bot.handlers import actions, coordinator, edits, errors, partner, private
from bot.request import JsonRequest
from bot.sender import OutboxSender
from bot.tails import ChatTails, TailNotingLimiter
from bot.updates import SLOW_DOWN, PerChatUpdateProcessor
from bot.wiring import Services
from scheduler.jobs import SchedulerJobs
from surveys.pace import AnswerInProgress

log = logging.getLogger(__name__)

PARTNER_COMMANDS = [
    BotCommand("surveys", "Your question rounds"),
    BotCommand("help", "What this bot does"),
    BotCommand("privacy", "What is stored and who sees it"),
    BotCommand("mydata", "Your answers as a file"),
    BotCommand("forget", "Erase you and your answers"),
    BotCommand("digest", "Weekly line on or off"),
    BotCommand("actions", "Actions agreed for you"),
]


def build_application(svc: Services, *, sender_idle_poll: float = 0.5,
                      updates: PerChatUpdateProcessor | None = None) -> PulseApp:
    """An Application for the configured Bot API server, with every handler registered
    (`updates` replaces the default update processor, e.g. with a test's clock)."""
    updates = updates or PerChatUpdateProcessor(16)
    tg = svc.config.telegram
    chat_tails = ChatTails()
    limiter = TailNotingLimiter(chat_tails,
                                overall_max_rate=svc.config.sending.messages_per_second,
                                max_retries=2)
    builder = (Application.builder().token(tg.token).base_url(tg.base_url)
               .request(JsonRequest()).get_updates_request(JsonRequest(1))
               .context_types(CONTEXT_TYPES)
               .rate_limiter(limiter).concurrent_updates(updates))
    if tg.base_file_url:
        builder = builder.base_file_url(tg.base_file_url)
    # PTB's builder types cannot follow context_types and a rate limiter together.
    app = cast(PulseApp, builder.build())
    bot = app.bot

    async def slow_down(chat_id: int) -> None:
        await bot.send_message(chat_id, SLOW_DOWN)

    updates.on_flood = slow_down
    updates.continues_answer = AnswerInProgress(svc.partners, svc.responses, svc.answering.rounds)
    app.bot_data.bind(svc)
    app.bot_data.tails = chat_tails
    app.bot_data.sender_idle_poll = sender_idle_poll
    add_handlers(app)
    return app


def add_handlers(app: PulseApp) -> None:
    """Register the handlers: private chats only, dedupe, then commands, buttons, messages."""
    app.add_handler(TypeHandler(Update, tails.note_update), group=-5)
    app.add_handler(TypeHandler(Update, private.private_only), group=-4)
    # An edit would otherwise reach the text handlers as if it were a new answer.
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, edits.edited), group=-3)
    # Group -2: before the action note reader in group -1 (bot.handlers.actions).
    app.add_handler(TypeHandler(Update, partner.dedupe), group=-2)
    coordinator.register(app)  # before the partner's catch-all buttons and text
    actions.register(app)
    app.add_handler(CommandHandler("start", partner.start))
    app.add_handler(CommandHandler("surveys", partner.surveys))
    app.add_handler(CommandHandler("help", partner.help_command))
    app.add_handler(CommandHandler("privacy", partner.privacy))
    app.add_handler(CommandHandler("mydata", partner.mydata))
    app.add_handler(CommandHandler("forget", partner.forget))
    app.add_handler(CommandHandler("digest", partner.digest))
    app.add_handler(CallbackQueryHandler(partner.forget_answer,
                                         pattern=f"^({partner.FORGET_YES}|{partner.FORGET_NO})$"))
    app.add_handler(CallbackQueryHandler(partner.button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, partner.text))
    app.add_handler(MessageHandler(filters.COMMAND, partner.unknown_command))
    app.add_handler(MessageHandler(~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL,
                                   partner.not_text))
    # Last, after every handler that did not stop the update: claimed if nothing wrote.
    app.add_handler(TypeHandler(Update, partner.settle), group=99)
    app.add_error_handler(errors.error)


async def startup(app: PulseApp, *, own_process: bool = False) -> None:
    """Register the commands, start the sender and the scheduler (after `initialize`).

    `own_process`: the bot has the process to itself (`partnerpulse run`), so what start-up
    and the embedding worker load is set aside from the garbage collector (`settle_heap`);
    not in a process shared with others, such as the tests', whose objects would stay."""
    data = app.bot_data
    svc = data.services
    await app.bot.set_my_commands(PARTNER_COMMANDS)
    await coordinator.set_commands(app)
    sender = OutboxSender(
        app.bot, svc.outbox, svc.clock,
        per_second=svc.config.sending.messages_per_second,
        per_chat_interval=svc.config.sending.per_chat_interval,
        max_attempts=svc.config.sending.max_attempts,
        backoff_base=svc.config.sending.backoff_base, wake=svc.outbox_changed,
        idle_poll=data.sender_idle_poll)
    data.sender = sender
    sender.start()
    updates = app.update_processor
    quiet_for = updates.quiet_for if isinstance(updates, PerChatUpdateProcessor) else None
    data.embedding = EmbeddingWorker(svc.vectors, warm=svc.reports.warm_themes,
                                     quiet_for=quiet_for,
                                     settle=settle_heap if own_process else None)
    data.embedding.start()
    if svc.scheduler is not None and app.job_queue is not None:
        data.scheduler_jobs = SchedulerJobs(svc.scheduler, app.job_queue,
                                            wake=svc.outbox_changed)
        await data.scheduler_jobs.start()
    if own_process:
        settle_heap()   # what start-up built lives as long as the bot: out of the GC's way
    log.info("PartnerPulse is running as @%s", app.bot.username)


async def shutdown(app: PulseApp) -> None:
    """Stop the sender, the updater and the application, whatever state they are in."""
    data = app.bot_data
    if data.sender is not None:
        await data.sender.stop()
    if data.embedding is not None:
        await data.embedding.stop()
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
