"""What the repositories return: plain dataclasses, never rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Anonymity = Literal["named", "confidential", "anonymous"]
RoundState = Literal["scheduled", "open", "closed"]
ResponseState = Literal["not_started", "in_progress", "submitted", "withdrawn"]


@dataclass(frozen=True)
class Membership:
    """A seat on a partnership, in a role."""

    partnership: str
    role: str


@dataclass(frozen=True)
class Partner:
    """A person from a partner organisation."""

    id: int
    name: str
    organisation: str
    sector: str
    memberships: tuple[Membership, ...] = ()
    telegram_username: str | None = None
    telegram_user_id: int | None = None
    chat_id: int | None = None
    reachable: bool = True
    digest_opt_in: bool = False
    joined_at: datetime | None = None

    @property
    def partnerships(self) -> tuple[str, ...]:
        """Names of the partnerships the partner sits on."""
        return tuple(m.partnership for m in self.memberships)

    @property
    def roles(self) -> tuple[str, ...]:
        """The partner's roles, one per partnership."""
        return tuple(m.role for m in self.memberships)

    @property
    def joined(self) -> bool:
        """Whether the partner has started the bot."""
        return self.chat_id is not None


@dataclass(frozen=True)
class PartnerRow:
    """A partner as read from a roster, before it is stored."""

    name: str
    organisation: str
    sector: str
    partnership: str
    role: str
    telegram_username: str | None = None


@dataclass(frozen=True)
class Round:
    """A question round as stored."""

    id: int
    title: str
    template_id: str
    questionnaire: dict[str, Any]
    audience: dict[str, list[str]]
    anonymity: Anonymity
    opens_at: datetime
    deadline: datetime
    reminder_policy: dict[str, Any]
    state: RoundState
    created_at: datetime
    created_by: int | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True)
class RoundTally:
    """A round with how many were invited and how many have submitted (ballots not counted)."""

    round: Round
    invited: int
    submitted: int

    @property
    def rate(self) -> float:
        """Submitted as a share of invited."""
        return self.submitted / self.invited if self.invited else 0.0


@dataclass(frozen=True)
class Response:
    """One partner's response to one round (or, with is_ballot, an unlinked anonymous ballot)."""

    id: int
    round_id: int
    partner_id: int | None
    state: ResponseState
    current_question: str | None = None
    stage: str = "answer"
    draft: Any = None
    screen_message_id: int | None = None
    is_ballot: bool = False
    sector: str | None = None
    organisation: str | None = None
    partnerships: tuple[str, ...] = ()
    invited_at: datetime | None = None
    started_at: datetime | None = None
    submitted_at: datetime | None = None
    updated_at: datetime | None = None
    reminders_sent: int = 0
    last_reminded_at: datetime | None = None
    focused_at: datetime | None = None     # the partner last opened or pressed in this round
    screen_from: str | None = None         # first question the live message's transcript shows
    # An observation record: the partnership it is about, and its observer (partner_id is
    # then None: the observer's invitation row is their one response to the round).
    subject: str = ""
    observer_id: int | None = None

    @property
    def is_record(self) -> bool:
        """Whether this is an observation record rather than a partner's response."""
        return self.observer_id is not None


@dataclass(frozen=True)
class PartnershipRef:
    """A partnership by id and name (what an observer picks a record's subject from)."""

    id: int
    name: str


@dataclass(frozen=True)
class Answer:
    """A stored answer (value is None when skipped)."""

    response_id: int
    question_id: str
    value: Any
    comment: str | None = None
    skipped: bool = False
    version: int = 1
    answered_at: datetime | None = None


@dataclass(frozen=True)
class OutboxMessage:
    """A message waiting to be (or already) sent."""

    id: int
    chat_id: int
    kind: str
    payload: dict[str, Any]
    not_before: datetime
    state: str = "pending"
    attempts: int = 0
    partner_id: int | None = None
    round_id: int | None = None
    dedupe_key: str | None = None
    sent_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class NewMessage:
    """A message to put in the outbox."""

    chat_id: int
    kind: str
    payload: dict[str, Any]
    not_before: datetime
    partner_id: int | None = None
    round_id: int | None = None
    dedupe_key: str | None = None
