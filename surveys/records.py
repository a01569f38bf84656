"""The records the domain works with, as the store keeps them, for the layers above to name.

`bot/` and `scheduler/` import these from here, not from `storage`: they talk to the domain,
and only the wiring (`bot/wiring.py`) knows there is a store underneath.
"""

from __future__ import annotations

from storage.outbox import backoff
from storage.records import (
    Anonymity,
    Answer,
    Membership,
    NewMessage,
    OutboxMessage,
    Partner,
    PartnerRow,
    Response,
    Round,
    RoundTally,
)

__all__ = ["Anonymity", "Answer", "Membership", "NewMessage", "OutboxMessage", "Partner",
           "PartnerRow", "Response", "Round", "RoundTally", "backoff"]
