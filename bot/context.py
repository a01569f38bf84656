"""The typed PTB context: handlers reach the services as ``context.services``, never by key.

python-telegram-bot builds ``bot_data`` itself (a class called with no arguments), so the
typed ``BotData`` holds the services once they are bound at start-up, and the background
workers started on them; ``PulseContext`` adds the ``services`` property every handler uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.tails import ChatTails
from bot.wiring import Services

if TYPE_CHECKING:  # the workers import heavier modules; only their types are needed here
    from bot.embedding import EmbeddingWorker
    from bot.sender import OutboxSender
    from scheduler.jobs import SchedulerJobs


class ServicesNotBound(RuntimeError):
    """A handler ran on an Application whose services were never bound (a wiring bug)."""


class BotData:
    """What the running bot keeps: its services and the workers started on them."""

    def __init__(self) -> None:
        self._services: Services | None = None
        self.sender_idle_poll: float = 0.5
        self.sender: OutboxSender | None = None
        self.embedding: EmbeddingWorker | None = None
        self.scheduler_jobs: SchedulerJobs | None = None
        self.tails = ChatTails()

    def bind(self, services: Services) -> None:
        """Attach the services built at start-up (once per Application)."""
        self._services = services

    @property
    def services(self) -> Services:
        """The services; ServicesNotBound if the Application was built without them."""
        if self._services is None:
            raise ServicesNotBound("build the Application with bot.app.build_application")
        return self._services


class PulseContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context of every PartnerPulse handler, error handler and job."""

    @property
    def services(self) -> Services:
        """The services built once at start-up."""
        return self.bot_data.services


CONTEXT_TYPES = ContextTypes(context=PulseContext, bot_data=BotData)

PulseApp: TypeAlias = Application[ExtBot[None], PulseContext, dict[Any, Any], dict[Any, Any],
                                  BotData, JobQueue[PulseContext]]
