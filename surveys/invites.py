"""Invite links: single-use, unguessable, expiring tokens; only their hash is stored."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import timedelta

from storage.partners import PartnerRepository
from storage.records import Partner
from surveys.clock import Clock
from surveys.errors import INVITATION_REFUSED, InvitationError, maps_store_errors

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def invite_link(bot_username: str, token: str) -> str:
    """The deep link a partner taps to join."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={token}"


@maps_store_errors
class Invitations:
    """Issues and redeems join tokens.

    A link works until it is used (which spends every link of that partner), until it
    expires, or until `LIVE_LINKS` newer links have been issued for the same partner.
    """

    LIVE_LINKS = 3

    def __init__(self, partners: PartnerRepository, clock: Clock, valid_days: int = 30) -> None:
        self.partners = partners
        self.clock = clock
        self.valid = timedelta(days=valid_days)

    async def issue(self, partner_id: int) -> str:
        """A fresh token for a partner (earlier ones stay valid as the class says)."""
        return (await self.issue_many([partner_id]))[partner_id]

    async def issue_many(self, partner_ids: Sequence[int]) -> dict[int, str]:
        """A fresh token for each of these partners, stored in one transaction."""
        tokens = {pid: secrets.token_urlsafe(18) for pid in partner_ids}
        now = self.clock.now()
        await self.partners.add_invitations(
            [(pid, hash_token(token)) for pid, token in tokens.items()], now, now + self.valid,
            keep=self.LIVE_LINKS)
        return tokens

    async def redeem(self, token: str, telegram_user_id: int, chat_id: int) -> Partner:
        """Bind a private chat to the partner the token was issued for."""
        if chat_id != telegram_user_id:  # a group would get the partner's questions
            raise InvitationError("Please open your invite link in a private chat with the "
                                  "bot, not in a group.")
        if not _TOKEN.match(token):
            raise InvitationError(INVITATION_REFUSED["unknown"])
        return await self.partners.redeem_invitation(
            hash_token(token), telegram_user_id, chat_id, self.clock.now())
