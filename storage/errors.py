"""The store's own errors; `surveys` maps them to PartnerPulse's errors at its boundary
(`surveys.errors.from_store`), so the store never speaks to a person itself.

    StoreError              the database could not do what was asked
    ├── StoreUnavailable    it cannot be opened, migrated, locked for this bot or backed up
    ├── StoreFailed         SQLite refused an operation (locked, disk full, read-only)
    ├── RecordMissing       a row asked for by its id is not there
    ├── InviteRefused       an invite token cannot be redeemed (`reason` says why)
    └── UpdateRepeated      a Telegram update claimed with a write was applied before
"""

from __future__ import annotations

from typing import Literal

RefusalReason = Literal["unknown", "used", "expired", "taken", "other_account"]


class StoreError(Exception):
    """Base of every error the store raises on purpose."""


class StoreUnavailable(StoreError):
    """The database cannot be opened, migrated, held for this bot or backed up, or was used
    before it was opened."""


class StoreFailed(StoreError):
    """SQLite refused an operation after start-up; the message says what to fix, and
    nothing was half-saved (the transaction was rolled back)."""


class RecordMissing(StoreError):
    """A row asked for by its id does not exist; `kind` and `key` say which."""

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} {key}")


class InviteRefused(StoreError):
    """An invite token cannot be redeemed: unknown, used, expired, its partner joined from
    another account (taken), or this account is joined as another partner (other_account)."""

    def __init__(self, reason: RefusalReason) -> None:
        self.reason: RefusalReason = reason
        super().__init__(f"invitation refused: {reason}")


class UpdateRepeated(StoreError):
    """The Telegram update whose claim rides on this write was applied before (Telegram
    delivered it again): the write was rolled back."""

    def __init__(self, update_id: int) -> None:
        self.update_id = update_id
        super().__init__(f"update {update_id} was applied before")
