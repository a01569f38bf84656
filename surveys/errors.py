"""The one error hierarchy of PartnerPulse.

Errors carry a sentence a person can read; the edges (handlers, CLI) show it.

    PartnerPulseError
    ├── ConfigError            the configuration file is wrong
    ├── TemplateError          a questionnaire template is wrong (file and line)
    ├── RosterError            a partner list (CSV) has bad rows
    ├── InvalidAnswer          an answer does not fit its question
    ├── NotFound               a round, partner or invitation does not exist
    ├── NotAllowed             the person may not do this (not a coordinator, not theirs)
    ├── InvitationError        an invite token is used, expired or unknown
    ├── RoundClosed            the round no longer takes answers
    ├── StaleAction            a button or message refers to an earlier state
    ├── AlreadyApplied         a Telegram update delivered again was applied before
    └── StorageError           the database could not be used

The store raises its own errors (`storage.errors`); `from_store` turns each into one of these,
once, at the boundary of every surveys service (`maps_store_errors`) and at the CLI's edge.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from storage.errors import (
    InviteRefused,
    RecordMissing,
    RefusalReason,
    StoreError,
    UpdateRepeated,
)
from surveys.plural import count

T = TypeVar("T")


class PartnerPulseError(Exception):
    """Base of every error PartnerPulse raises on purpose."""


class ConfigError(PartnerPulseError):
    """The configuration file is missing, malformed, or has a wrong key."""


class TemplateError(PartnerPulseError):
    """A questionnaire template is malformed; names the file and, where known, the line."""

    def __init__(self, message: str, *, source: str = "", line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = source
        if line is not None:
            where = f"{source}, line {line}" if source else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


class RosterError(PartnerPulseError):
    """A partner list has bad rows; `problems` holds (line number, message) pairs."""

    def __init__(self, problems: list[tuple[int, str]], source: str = "") -> None:
        self.problems = problems
        self.source = source
        lines = [f"line {line}: {message}" for line, message in problems]
        head = f"{source}: " if source else ""
        super().__init__(head + f"{count(len(problems), 'bad row')}\n" + "\n".join(lines))


class InvalidAnswer(PartnerPulseError):
    """An answer does not fit its question (the message says what would)."""


class NotFound(PartnerPulseError):
    """A round, partner, question or invitation does not exist."""


class NotAllowed(PartnerPulseError):
    """The person asking may not do this."""


class InvitationError(PartnerPulseError):
    """An invite token is unknown, already used, or expired."""


class RoundClosed(PartnerPulseError):
    """The round has closed (or not yet opened) and takes no answers."""


class StaleAction(PartnerPulseError):
    """A button or message refers to a state that has since moved on."""


class AlreadyApplied(PartnerPulseError):
    """Telegram delivered an update again that was applied before; what it would have
    written was rolled back (`surveys.deliveries`)."""


class StorageError(PartnerPulseError):
    """The database could not be opened, migrated or written."""


# -- the store's errors, mapped once at the boundary of each surveys service --------------

INVITATION_REFUSED: dict[RefusalReason, str] = {
    "unknown": "That invite link is not one we know. Please ask your partnership coordinator "
               "for a new one.",
    "used": "That invite link has already been used. If it was not you, please tell your "
            "partnership coordinator.",
    "expired": "That invite link has expired. Please ask your partnership coordinator for a "
               "new one.",
    "taken": "That invite link belongs to a partner who has already joined from another "
             "Telegram account. Please ask your partnership coordinator.",
    "other_account": "This Telegram account is already joined as another partner. Please ask "
                     "your partnership coordinator.",
}


def from_store(exc: StoreError) -> PartnerPulseError:
    """Our error for one of the store's, in words a person can read."""
    if isinstance(exc, RecordMissing):
        return NotFound(f"No {exc.kind} {exc.key}.")
    if isinstance(exc, InviteRefused):
        return InvitationError(INVITATION_REFUSED[exc.reason])
    if isinstance(exc, UpdateRepeated):
        return AlreadyApplied(f"update {exc.update_id} was applied before; delivered again")
    return StorageError(str(exc))


@contextmanager
def store_errors() -> Iterator[None]:
    """Raise the store's errors from the block as ours (`raise … from` keeps the cause)."""
    try:
        yield
    except StoreError as exc:
        raise from_store(exc) from exc


Service = TypeVar("Service", bound=type)


def maps_store_errors(cls: Service) -> Service:
    """Class decorator for a surveys service: its public async methods map the store's errors,
    so whatever calls the service (a handler, the CLI, the scheduler) sees only ours."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.iscoroutinefunction(member):
            setattr(cls, name, _mapping(member))
    return cls


def _mapping(method: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    @functools.wraps(method)
    async def mapped(*args: Any, **kwargs: Any) -> T:
        with store_errors():
            return await method(*args, **kwargs)
    return mapped
