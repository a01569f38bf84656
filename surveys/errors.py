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
    └── StorageError           the database could not be used
"""

from __future__ import annotations


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
        super().__init__(head + f"{len(problems)} bad row(s)\n" + "\n".join(lines))


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


class StorageError(PartnerPulseError):
    """The database could not be opened, migrated or written."""
