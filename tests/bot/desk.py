"""The /actions tests' one set-up: a closed self-assessment in which partners suggested
actions for its first area, and the coordinator's phone opening them in /actions.

Use the ``desk`` fixture (tests/bot/conftest.py) with the running bot, or ``Desk(bot)`` with
a bot built otherwise (on a clock the test moves)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from bot.apiserver.records import BotMessage
from surveys.templates import builtin_template
from tests.bot.conftest import COORDINATOR_ID, RunningBot
from tests.bot.phone import Phone

TEMPLATE = "working-better-together"
QUESTION = "long-term-goals-actions"   # area 1's "What actions would you suggest?"


class Desk:
    """The running bot, its coordinator's phone, and the round whose suggestions they agree."""

    def __init__(self, bot: RunningBot) -> None:
        self.bot = bot
        self.coord = Phone(bot.server, bot.server.user(COORDINATOR_ID, "Cora"))

    async def closed_round(self, said: Mapping[str, str]) -> int:
        """A working-better-together round, closed, in which each partner named in `said`
        (imported, not necessarily joined) suggested their text for area 1 and submitted.
        Returns once the coordinator has the round's closing notice."""
        svc = self.bot.svc
        rid = await svc.rounds.create(builtin_template(TEMPLATE),
                                      deadline=svc.clock.now() + timedelta(days=7))
        now = svc.clock.now()
        for name, text in said.items():
            response = await svc.responses.of_partner(rid, (await self.bot.partner(name)).id)
            assert response is not None
            await svc.responses.save_answer(response.id, QUESTION, text, None, False, now,
                                            next_question=None, stage="answer")
            await svc.responses.submit(response.id, now, anonymous=False)
        await svc.rounds.close(rid)
        await self.coord.reply("Round closed")
        return rid

    async def open_suggestions(self, rid: int,
                               listing: str = "No actions have been agreed yet") -> BotMessage:
        """/actions (its list reads `listing`), then Agree actions from round `rid`: the
        suggestions' first screen, once the bot has finished drawing it."""
        coord = self.coord
        await coord.user.send_command("/actions")
        await coord.reply(listing)
        # Theming the round's answers loads the text model: allow it time on a loaded machine.
        await coord.press(f"Agree actions from round {rid}")
        await coord.reply("Suggested actions", timeout=60)
        return await coord.settled()

    async def pick(self, listed: BotMessage, mark: str) -> BotMessage:
        """Tap the suggestion lettered `mark` ("a) ") on `listed`: the owner screen."""
        return await self.coord.tap(next(t for row in listed.buttons for t, _ in row
                                          if t.startswith(mark)))
