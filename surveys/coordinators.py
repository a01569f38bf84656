"""Who may coordinate, and which rounds: one rule for the chat, the CLI and the scheduler.

A coordinator is global (every round) or limited to some partnerships: then they see,
create, remind, close and report only rounds whose audience lies within those partnerships,
that is rounds for named partnerships that are all theirs. A round for everyone, or for a
sector or role across partnerships, is a global coordinator's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from storage.records import Partner, Round, RoundTally
from surveys.clock import Clock
from surveys.errors import InvalidAnswer, NotAllowed, maps_store_errors

NOT_YOURS = "That round is not one of your partnerships'."


@dataclass(frozen=True)
class Coordinator:
    """A coordinator and the partnerships they are limited to (None: all)."""

    telegram_user_id: int
    partnerships: frozenset[str] | None = None
    source: str = "database"  # or "config"

    @property
    def is_global(self) -> bool:
        """Whether they may act on every round."""
        return self.partnerships is None

    def covers(self, audience_partnerships: Sequence[str]) -> bool:
        """Whether an audience (its partnerships; empty means everyone) lies within theirs."""
        if self.partnerships is None:
            return True
        theirs = {p.casefold() for p in self.partnerships}
        return bool(audience_partnerships) and all(
            p.casefold() in theirs for p in audience_partnerships)

    def may_see(self, rnd: Round) -> bool:
        """Whether the round's audience lies within their partnerships."""
        return self.covers(list(rnd.audience.get("partnership", [])))

    def knows(self, partner: Partner) -> bool:
        """Whether the partner sits on one of their partnerships (in their digest's figures)."""
        if self.partnerships is None:
            return True
        theirs = {p.casefold() for p in self.partnerships}
        return any(p.casefold() in theirs for p in partner.partnerships)

    def describe(self) -> str:
        """"all partnerships" or their names."""
        return "all partnerships" if self.partnerships is None else ", ".join(
            sorted(self.partnerships))


class _Store(Protocol):
    async def coordinators(self) -> list[int]: ...

    async def coordinator_partnerships(self) -> dict[int, list[str]]: ...

    async def add_coordinator(self, telegram_user_id: int, now: datetime,
                              partnerships: Sequence[str] = ()) -> bool: ...

    async def remove_coordinator(self, telegram_user_id: int) -> bool: ...

    async def partnerships(self) -> list[str]: ...


@maps_store_errors
class Coordinators:
    """The coordinators from the configuration and the database, with their scopes."""

    def __init__(self, store: _Store, clock: Clock, config_ids: Iterable[int] = (),
                 config_scopes: Mapping[int, Sequence[str]] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.config_ids = list(config_ids)
        self.config_scopes = {int(k): list(v) for k, v in (config_scopes or {}).items()}

    async def all(self) -> list[Coordinator]:
        """Every coordinator, config first; one in both is as broad as either makes them."""
        found: dict[int, Coordinator] = {}

        def merge(who: Coordinator) -> None:
            had = found.get(who.telegram_user_id)
            if had is None:
                found[who.telegram_user_id] = who
            elif had.partnerships is not None:
                wider = (None if who.partnerships is None
                         else _fold([*had.partnerships, *who.partnerships]))
                found[who.telegram_user_id] = Coordinator(who.telegram_user_id, wider,
                                                          had.source)

        for uid in self.config_ids:
            merge(Coordinator(uid, None, "config"))
        for uid, names in self.config_scopes.items():
            merge(Coordinator(uid, _fold(names), "config"))
        scopes = await self.store.coordinator_partnerships()
        for uid in await self.store.coordinators():
            merge(Coordinator(uid, _fold(scopes[uid]) if scopes.get(uid) else None))
        return sorted(found.values(), key=lambda c: c.telegram_user_id)

    async def get(self, telegram_user_id: int) -> Coordinator | None:
        """The coordinator with this Telegram id, or None if they are not one."""
        return next((c for c in await self.all() if c.telegram_user_id == telegram_user_id),
                    None)

    async def is_coordinator(self, telegram_user_id: int) -> bool:
        """Whether they may coordinate at all."""
        return await self.get(telegram_user_id) is not None

    async def chats(self) -> list[int]:
        """Every coordinator's chat (a private chat's id is the user's)."""
        return [c.telegram_user_id for c in await self.all()]

    async def chats_for(self, rnd: Round) -> list[int]:
        """The chats of the coordinators who may see this round (its summaries go there)."""
        return [c.telegram_user_id for c in await self.all() if c.may_see(rnd)]

    async def check(self, telegram_user_id: int, rnd: Round) -> Coordinator:
        """The coordinator, if they may act on this round; NotAllowed otherwise."""
        who = await self.get(telegram_user_id)
        if who is None:
            raise NotAllowed("This is for coordinators.")
        if not who.may_see(rnd):
            raise NotAllowed(NOT_YOURS)
        return who

    async def visible(self, telegram_user_id: int, rounds: Sequence[Round]) -> list[Round]:
        """The rounds among these that this coordinator may see."""
        who = await self.get(telegram_user_id)
        return [] if who is None else [r for r in rounds if who.may_see(r)]

    async def visible_tallies(self, telegram_user_id: int,
                              tallies: Sequence[RoundTally]) -> list[RoundTally]:
        """The rounds (with their counts) among these that this coordinator may see."""
        who = await self.get(telegram_user_id)
        return [] if who is None else [t for t in tallies if who.may_see(t.round)]

    async def check_audience(self, telegram_user_id: int,
                             audience_partnerships: Sequence[str]) -> None:
        """Before a round is created: NotAllowed unless its audience lies within theirs."""
        who = await self.get(telegram_user_id)
        if who is None:
            raise NotAllowed("This is for coordinators.")
        if not who.covers(audience_partnerships):
            raise NotAllowed(f"You coordinate {who.describe()}: choose only those "
                             "partnerships for the round's audience.")

    async def add(self, telegram_user_id: int, partnerships: Sequence[str] = ()) -> bool:
        """Add (or re-scope) a coordinator in the database; partnerships must exist."""
        if telegram_user_id <= 0:
            raise InvalidAnswer("A coordinator is a person: their Telegram user id is a "
                                "positive number (a group's id is not).")
        known = {p.casefold(): p for p in await self.store.partnerships()}
        unknown = [p for p in partnerships if p.casefold() not in known]
        if unknown:
            raise InvalidAnswer(f"No partnership called {', '.join(map(repr, unknown))}; "
                                f"known: {', '.join(sorted(known.values())) or 'none yet'}.")
        names = [known[p.casefold()] for p in partnerships]
        return await self.store.add_coordinator(telegram_user_id, self.clock.now(), names)

    async def remove(self, telegram_user_id: int) -> bool:
        """Remove a coordinator added in the database."""
        return await self.store.remove_coordinator(telegram_user_id)


def _fold(names: Iterable[str]) -> frozenset[str]:
    # One spelling per partnership, whatever case each source wrote it in.
    return frozenset({n.casefold(): n for n in names}.values())
