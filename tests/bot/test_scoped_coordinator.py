"""A coordinator limited to a partnership sees and acts on only that partnership's rounds."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.apiserver.partner import SimulatedPartner
from bot.config import load_config
from storage.db import Database
from storage.partners import PartnerRepository
from surveys.clock import ManualClock
from surveys.coordinators import NOT_YOURS, Coordinators
from surveys.errors import ConfigError, InvalidAnswer, NotAllowed
from surveys.rounds import Audience
from surveys.templates import builtin_template
from tests.bot.conftest import COORDINATOR_ID, ROSTER_ROWS, RunningBot
from tests.bot.phone import Phone

SCOPED_ID = 9002


async def new_round(bot: RunningBot, audience: Audience, title: str) -> int:
    return await bot.svc.rounds.create(builtin_template("rag-feedback"), title=title,
                                       deadline=bot.svc.clock.now() + timedelta(days=7),
                                       audience=audience, anonymity="confidential")


async def say(bot: RunningBot, user: SimulatedPartner, command: str, *args: str) -> str:
    await user.send_command(command, " ".join(args) or None)
    event = await bot.server.wait_for(user.chat_id, lambda e: e.kind == "message")
    return event.text or ""


async def test_a_scoped_coordinator_sees_and_acts_on_their_rounds_only(
        running_bot: RunningBot) -> None:
    bot = running_bot
    await bot.svc.coordinators.add(SCOPED_ID, ["safety board"])
    fareham = await new_round(bot, Audience(partnership=("Fareham Partnership",)), "Fareham")
    safety = await new_round(bot, Audience(partnership=("Safety Board",)), "Safety")
    everyone = await new_round(bot, Audience(), "Everyone")
    scoped = bot.server.user(SCOPED_ID, "Sam")
    chief = bot.server.user(COORDINATOR_ID, "Chief")

    listing = await say(bot, scoped, "/rounds")
    assert f"{safety}. Safety" in listing
    assert f"{fareham}. Fareham" not in listing and f"{everyone}. Everyone" not in listing
    default = await say(bot, scoped, "/status")  # no round given: their newest open one
    assert "Safety" in default and "Fareham" not in default
    for command in ("/status", "/remind", "/close", "/report"):
        for round_id in (fareham, everyone):
            assert NOT_YOURS in await say(bot, scoped, command, str(round_id)), command
    assert "Safety" in await say(bot, scoped, "/status", str(safety))

    listing = await say(bot, chief, "/rounds")  # the global coordinator sees every round
    assert all(f"{rid}. " in listing for rid in (fareham, safety, everyone))

    # A round's closing summary goes to the coordinators who may see it.
    for round_id in (fareham, safety):
        await bot.svc.rounds.close(round_id)
    async with bot.svc.db.read() as conn:
        cur = await conn.execute("SELECT round_id, chat_id FROM outbox WHERE kind = 'summary'")
        summaries = {(r[0], r[1]) for r in await cur.fetchall()}
    assert summaries == {(fareham, COORDINATOR_ID), (safety, COORDINATOR_ID),
                         (safety, SCOPED_ID)}


async def test_who_may_coordinate_what(db: Database, clock: ManualClock) -> None:
    partners = PartnerRepository(db)
    await partners.import_rows(ROSTER_ROWS, clock.now())
    coordinators = Coordinators(partners, clock, config_ids=[1],
                                config_scopes={2: ["Fareham Partnership"]})
    await coordinators.add(3, ["Safety Board", "fareham partnership"])
    await coordinators.add(2, ["Safety Board"])  # in the config too: the scopes add up
    with pytest.raises(InvalidAnswer, match="No partnership called"):
        await coordinators.add(4, ["Gosport"])
    assert not await coordinators.is_coordinator(4)
    everyone = {c.telegram_user_id: c for c in await coordinators.all()}
    assert everyone[1].is_global
    assert everyone[2].partnerships == {"Fareham Partnership", "Safety Board"}
    assert everyone[3].partnerships == {"Safety Board", "Fareham Partnership"}
    assert everyone[3].covers(["Safety Board"]) and everyone[3].covers(["FAREHAM PARTNERSHIP"])
    assert not everyone[3].covers([])  # everyone is wider than their partnerships
    await coordinators.check_audience(3, ["Safety Board"])
    with pytest.raises(NotAllowed, match="choose only those"):
        await coordinators.check_audience(3, [])
    with pytest.raises(NotAllowed):
        await coordinators.check_audience(99, ["Safety Board"])
    await coordinators.add(3)  # re-added without partnerships: global
    assert (await coordinators.get(3)).is_global  # type: ignore[union-attr]


def test_scoped_coordinators_in_the_config(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[coordinators]\ntelegram_ids = [1]\n[coordinators.partnerships]\n'
                    '"2" = ["Fareham Partnership"]\n')
    assert load_config(path).coordinators.partnerships == {"2": ["Fareham Partnership"]}
    for bad in ('"two" = ["Fareham Partnership"]', '"2" = []', '"2" = "Fareham"'):
        path.write_text(f"[coordinators.partnerships]\n{bad}\n")
        with pytest.raises(ConfigError, match=r"coordinators\.partnerships"):
            load_config(path)
    path.write_text("[coordinators]\ntelegram_ids = [-1001234]\n")
    with pytest.raises(ConfigError, match="a group's id is not one"):
        load_config(path)


async def test_a_scoped_coordinator_creates_rounds_for_their_partnership_only(
        running_bot: RunningBot) -> None:
    bot = running_bot
    await bot.svc.coordinators.add(SCOPED_ID, ["Safety Board"])
    sam = Phone(bot.server, bot.server.user(SCOPED_ID, "Sam"))
    await sam.user.send_command("/newround")
    await sam.reply("which questionnaire")
    step = await sam.tap("Partnership functions")
    # Only their partnership is offered, already chosen; no other partnership's button.
    assert "Chosen: partnership Safety Board" in step.text
    assert not sam.has("Fareham Partnership")
    edit = await sam.tap_in_place("Everyone")              # wider than theirs
    assert "Chosen: everyone" in (edit.text or "")
    await sam.tap("Done")
    await sam.tap("Confidential")
    deadline = (bot.svc.clock.now() + timedelta(days=10)).astimezone(bot.config.zone).date()
    await sam.say(f"{deadline.day} {deadline:%b}")
    refused = await sam.tap("Create")
    assert "You coordinate Safety Board" in refused.text and "Nothing was created" in refused.text
    assert await bot.svc.rounds.rounds.all() == []

    await sam.user.send_command("/newround")
    await sam.reply("which questionnaire")
    await sam.tap("Partnership functions")
    await sam.tap("Done")                                   # their partnership, as offered
    await sam.tap("Confidential")
    await sam.say(f"{deadline.day} {deadline:%b}")
    done = await sam.tap("Create")
    assert "Invitations are going out" in done.text
    (created,) = await bot.svc.rounds.rounds.all()
    assert created.audience == {"partnership": ["Safety Board"]}
