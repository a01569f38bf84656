"""The demo's review cycle: the self-assessment's actions agreed, followed up, and a year later
a second self-assessment that shows the progress and what changed.

Everything goes through the real bot: the coordinator agrees two suggested actions with taps
in /actions and imports the rest of the board's list (seed 004's Appendix A), owners tap
In progress, Done or Stuck on the cards the bot sends and type their notes, reminders and
digests go out on the simulated clock, and the second round's partners answer on their phones.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.apiserver import BotApiServer
from bot.apiserver.partner import SimulatedPartner
from bot.demo.chat import chat_html
from bot.demo.partners import DemoPartner, Driver
from bot.wiring import Services
from surveys.action_import import read_actions
from surveys.action_screens import BACK, MORE, CoordinatorTap
from surveys.records import Round
from surveys.rounds import Audience
from surveys.suggestions import letter
from surveys.templates import builtin_template

if TYPE_CHECKING:
    from bot.demo.runner import Demo

TEMPLATE = "working-better-together"
WAIT = 60.0
# The rest of the board's list, from networkfareham's Appendix A: (area, action, months).
APPENDIX_A = (
    ("1", "To develop a picture of the quality of life in Fareham based on the national "
          "indicator dataset and broken down into neighbourhood profiles.", 6),
    ("2", "To develop and implement a performance management framework.", 4),
    ("2", "To raise public awareness of the networkfareham brand.", 2),
    ("3", "To develop a programme of induction training for new members.", 2),
    ("4", "To raise the LSP's profile in the community by publicising its major "
          "achievements.", 3),
    ("6", "To agree a data quality policy and action plan.", 5),
    ("7", "To identify budgets that can be influenced by the LSP.", 3),
)
# The coordinator's own words for the second action agreed with taps (the first keeps the
# wording offered from partners' suggestions): the suggestion of protected time for strategic
# discussion, found on the area's second page ("More").
REWORDED = "Keep protected time on every Board agenda for strategic discussion, not updates"
# What owners do, week by week: (week, which action, button, note or None). An action is named
# by the start of its text, or "tapped N" for the N-th agreed from a suggestion with taps.
UPDATES = (
    (1, "tapped 0", "In progress", "Started: a first draft goes to the Board in January."),
    (2, "To develop and implement a performance", "In progress", None),
    (3, "To develop a programme of induction", "Done", "Welcome pack and a half-day session "
                                                       "agreed; first run in January."),
    (4, "To raise public awareness", "Done", "New logo and web page live; partners have the "
                                             "toolkit."),
    (5, "To identify budgets", "Stuck", "No partner will name budgets until the county "
                                        "settles its own."),
    (6, "To develop a picture of the quality", "In progress", "Neighbourhood profiles for "
                                                              "three wards done."),
    (9, "To develop and implement a performance", "Done", "Framework agreed at the Board; "
                                                          "first quarterly report in the spring."),
    (10, "tapped 0", "Done", "Done, and reported to the Board in March."),
    (11, "tapped 1", "In progress", "A strategic item heads every agenda from April; updates "
                                    "go in one written paper."),
)


class NextYear(Driver):
    """Partners a year on: a little more positive where the actions were done."""

    def _tendency(self, who: DemoPartner, pools: dict[str, Any]) -> float:
        return min(1.0, super()._tendency(who, pools) + 0.35)


async def press(server: BotApiServer, user: SimulatedPartner, label: str,
                expect: str | None = None) -> str:
    """Tap the newest button whose label starts with `label`; returns the bot's next text."""
    for message in reversed(user.messages()):
        for row in message.buttons:
            for text, data in row:
                if text.startswith(label):
                    await user.press(data, message.message_id)
                    event = await server.wait_for(
                        user.chat_id, lambda e: e.kind == "message" and (
                            expect is None or expect in (e.text or "")), WAIT)
                    return event.text or ""
    raise LookupError(f"no button {label!r} in chat {user.chat_id}")


async def command(server: BotApiServer, user: SimulatedPartner, text: str,
                  expect: str) -> str:
    """Send a command and wait for the reply that contains `expect`."""
    await user.send_command(text)
    event = await server.wait_for(user.chat_id, lambda e: e.kind == "message"
                                  and expect in (e.text or ""), WAIT)
    return event.text or ""


class ReviewCycleStage:
    """Runs the review cycle after the demo's first rounds have closed."""

    def __init__(self, demo: Demo, server: BotApiServer, svc: Services,
                 partners: Sequence[DemoPartner], coordinator: SimulatedPartner) -> None:
        self.demo = demo
        self.server = server
        self.svc = svc
        self.partners = {p.partner.id: p for p in partners}
        self.coordinator = coordinator

    async def run(self, rounds: Sequence[Round], start: datetime) -> list[Path]:
        """Agree actions, follow them up for four months, and review again a year on."""
        first = next(r for r in rounds if r.template_id == TEMPLATE)
        audience = Audience.from_dict(first.audience)
        # Not the partner whose chat is chat-partner.html (the editor): the action owner's
        # page is then another partner's chat, their card and updates among their rounds.
        owners = [p for p in self.partners.values() if audience.includes(p.partner)
                  and p.habit != "editor"]
        await self.demo._advance_to(self.svc, start + timedelta(days=21, hours=1))
        await self._agree(first, owners)
        actions = await self.svc.actions.find(round_id=first.id)
        self.demo.say(f"[7/9] The Board agreed {len(actions)} actions from “{first.title}”: "
                      "two with taps on its suggested actions, the rest imported; each owner "
                      "got theirs in the chat")
        await self._follow_up(actions, start + timedelta(days=21))
        done = sum(a.status == "done" for a in await self.svc.actions.find(round_id=first.id))
        self.demo.say(f"[8/9] Sixteen weeks on: owners marked {done} done, with notes; "
                      f"{len(await self.svc.outbox.messages(kind='action_reminder'))} action "
                      "reminders went out, and the digest listed them each week")
        second = await self._next_year(first, start + timedelta(days=364))
        files = await self._reports([first, second], rounds)
        owner = self.partners[actions[0].owner_partner_id or 0]
        path = self.demo.output / "chat-action-owner.html"
        path.write_text(chat_html(self.server, owner.chat,
                                  f"PartnerPulse · {owner.partner.name}, an action owner"),
                        encoding="utf-8")
        s = await self.svc.rounds.status(second.id)
        self.demo.say(f"[9/9] A year later “{second.title}”: {s.submitted} of {s.invited} "
                      "responded; its report opens with the progress on last year's actions "
                      "and the changes since")
        return [*files, path]

    async def _agree(self, rnd: Round, owners: Sequence[DemoPartner]) -> None:
        """Two suggested actions agreed by tapping, then the Appendix A list imported."""
        coordinator = self.coordinator
        # The coordinator picks area 1's suggestion of a joint needs assessment and area 2's
        # about strategic discussion, paging with More while it is not on screen (the
        # suggestions follow the seeded answers; one not offered at all, the area's first).
        for area, about, months in ((1, "needs assessment", "6 months"),
                                    (2, "strategic", "3 months")):
            await command(self.server, coordinator, "/actions", "action")
            await press(self.server, coordinator, f"Agree actions from round {rnd.id}",
                        "Suggested actions")
            message = next(m for m in reversed(coordinator.messages())
                           if any(d.startswith("ac:pick:") for row in m.buttons for _, d in row))
            pick = await self._look_for(rnd, message.message_id, area, about)
            await coordinator.press(pick, message.message_id)
            await self.server.wait_for(coordinator.chat_id,
                                       lambda e: "Who owns it?" in (e.text or ""), WAIT)
            if area == 2:   # the second is worded as the board agreed it, before the owner
                await coordinator.send_text(REWORDED)
                await self.server.wait_for(
                    coordinator.chat_id, lambda e: (e.text or "").startswith("Reworded"), WAIT)
            owner = owners[(area - 1) % len(owners)].partner
            await press(self.server, coordinator, owner.name, "Due in?")
            await press(self.server, coordinator, months, "Agreed")
        path = self.demo.output / "agreed-actions.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["text", "owner", "due", "area", "organisation"])
            today = self.svc.actions.today()
            for i, (area_number, text, within) in enumerate(APPENDIX_A):
                owner = owners[(i + 2) % len(owners)].partner
                writer.writerow([text, f"{owner.name} ({owner.organisation})",
                                 (today + timedelta(days=30 * within)).isoformat(), area_number,
                                 owner.organisation if i % 3 == 0 else ""])
        rows, problems = read_actions(path)
        await self.svc.actions.add_rows(rnd.id, rows, problems=problems)
        self.svc.outbox_changed.set()
        await self.demo._drained(self.svc)

    async def _look_for(self, rnd: Round, message_id: int, area: int, about: str) -> str:
        """The button of the area's suggestion that mentions `about`, paging on with the
        area's More button while it is not on screen; else the area's first suggestion,
        back on the first screen. The same message is redrawn throughout."""
        coordinator, first = self.coordinator, None
        while True:
            message = self.server.message(coordinator.chat_id, message_id)
            buttons = [(text, d) for row in message.buttons for text, d in row]
            offered = [(_listed(message.text or "", area, d), d) for _, d in buttons
                       if d.startswith(f"ac:pick:{rnd.id}:{area}:")]
            first = first or offered[0][1]
            found = next((d for text, d in offered if about and about in text.lower()), None)
            more = next((d for text, d in buttons if d.startswith(f"ac:more:{rnd.id}:{area}:")
                         and (text == MORE or text.startswith("More:"))), None)
            if found is not None or not about or more is None:
                break
            await self._redraw(message_id, more)
        while found is None and not self.server.message(coordinator.chat_id,
                                                        message_id).has_button(first):
            message = self.server.message(coordinator.chat_id, message_id)
            await self._redraw(message_id, next(d for row in message.buttons
                                                for text, d in row if text == BACK))
        return found or first

    async def _redraw(self, message_id: int, data: str) -> None:
        """Press More or Back; wait until the message is drawn again."""
        since = len(self.coordinator.transcript())
        await self.coordinator.press(data, message_id)
        await self.server.wait_for(self.coordinator.chat_id, lambda e: e.kind == "edit"
                                   and e.message_id == message_id, WAIT, since=since)

    async def _follow_up(self, actions: Sequence[Any], start: datetime) -> None:
        """Sixteen weeks: owners tap and type on their cards; reminders and digests fall due."""
        for week in range(1, 17):
            monday = start + timedelta(days=7 * week)
            await self._until(monday)
            for _, which, label, note in (u for u in UPDATES if u[0] == week):
                if which.startswith("tapped "):
                    found = [actions[int(which.split()[1])]] if len(actions) > 2 else []
                else:
                    found = [a for a in actions if a.text.startswith(which)]
                if not found:
                    continue
                action = found[0]
                owner = self.partners.get(action.owner_partner_id or -1)
                if owner is None:
                    continue
                await self._owner_taps(owner, action.id, label, note)
            await self.demo._drained(self.svc)

    async def _until(self, moment: datetime) -> None:
        """Move the clock to `moment`, stopping wherever the scheduler has something due."""
        assert self.svc.scheduler is not None
        while self.demo.clock.now() < moment:
            due = (await self.svc.scheduler.plan()).next_due
            now = self.demo.clock.now()
            await self.demo._advance_to(self.svc, due if due is not None and now < due < moment
                                        else moment)

    async def _owner_taps(self, owner: DemoPartner, action_id: int, label: str,
                          note: str | None) -> None:
        verb = {"In progress": "prog", "Done": "done", "Stuck": "stuck"}[label]
        data = f"ac:{verb}:{action_id}"
        message = next(m for m in reversed(owner.user.messages())
                       if any(d == data for row in m.buttons for _, d in row))
        await owner.user.press(data, message.message_id)
        await self.server.wait_for(owner.chat, lambda e: "Recorded" in (e.text or ""), WAIT)
        if note is None:
            await press(self.server, owner.user, "No note", "No note added")
        else:
            await owner.user.send_text(note)
            await self.server.wait_for(owner.chat, lambda e: "Noted" in (e.text or ""), WAIT)

    async def _next_year(self, first: Round, start: datetime) -> Round:
        """The same self-assessment for the same partnership, a year on, answered in the chat."""
        # The quiet months pass in one step: as after downtime, only the latest reminder of
        # each action and this week's digest go out.
        await self.demo._advance_to(self.svc, start)
        made = await self.svc.rounds.create(
            builtin_template(TEMPLATE), deadline=self.svc.rounds.deadline_from(
                (start + timedelta(days=10)).date()),
            audience=Audience.from_dict(first.audience), anonymity=first.anonymity,
            title=first.title.replace("2026", "2027") if "2026" in first.title
            else f"{first.title}, a year on")
        await self.svc.cycle.link(made, None)
        second = await self.svc.rounds.round(made)
        self.svc.outbox_changed.set()
        await self.demo._drained(self.svc)
        driver = NextYear(self.server, self.svc,
                          pace=lambda: self.demo.clock.advance(timedelta(seconds=1)))
        answering = [p for p in self.partners.values() if p.habit != "never"
                     and await self.svc.responses.of_partner(made, p.partner.id) is not None]
        async def answer(who: DemoPartner) -> None:
            await driver.answer(who, second)

        await self.demo._together(answering, answer)
        await self._until(start + timedelta(days=11, hours=1))   # past its deadline: closed
        return await self.svc.rounds.round(made)

    async def _reports(self, cycle: Sequence[Round], rounds: Sequence[Round]) -> list[Path]:
        """Both self-assessments' reports again (now with their actions), and partnerships
        side by side for the round that spans them all."""
        files = await self.demo._reports(self.svc, cycle)
        # Of the rounds asked of every partnership, the one with the most ratings to compare
        # (the six partnership functions).
        spanning = max((r for r in rounds if not r.audience), default=None,
                       key=lambda r: sum(q.kind.uses_buttons for q in
                                         self.svc.answering.questionnaire(r).questions))
        if spanning is not None:
            built = await self.svc.reports.build(spanning.id, by="partnership")
            for fmt in ("html", "md"):
                path = self.demo.output / built.file_name(fmt).replace(
                    f".{fmt}", f"-by-partnership.{fmt}")
                path.write_bytes(built.render(fmt))
                files.append(path)
        return files


def _listed(text: str, area: int, data: str) -> str:
    """The line of a suggestions screen that a pick button's letter stands for: the button
    carries only the letter and a few words, the message the whole suggestion."""
    tap = CoordinatorTap.parse(data)
    assert tap is not None and tap.place is not None
    lines = text.splitlines()
    # The first screen heads each area "2. Title"; a page lists one area's alone.
    head = next((n for n, line in enumerate(lines) if line.startswith(f"{area}. ")), None)
    if head is not None:
        lines = lines[head + 1:]
        lines = lines[:lines.index("")] if "" in lines else lines
    mark = f"{letter(tap.place)} "
    return next((line for line in lines if line.startswith(mark)), "")
