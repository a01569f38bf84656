"""A message a coordinator types after their /actions pick has expired is never filed on a
guess: it is kept, and the bot asks what it is.

Within 30 minutes of a pick, text typed in its chat is the action's wording
(`ActionDesk.reword`). After that, a coordinator who is also a partner may be answering a
question round in the same chat, so the text could be either. It is stored
(`storage.held_texts`) and the bot asks, with a button for each, whether it is the answer to
the question open then or the new wording of the picked action (only the second when no
question is open). A tap files it; a tap on a question already settled, or whose pick or
question has moved on since, is told so, and the words are given back. Once they have filed
one such message as an answer, what they type next in that chat goes on as answers, unasked
(messages already held keep their buttons; the pick still takes a wording from one of them).
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.held_texts import HeldText, HeldTextRepository
from surveys.action_desk import REWORD_WINDOW, ActionDesk
from surveys.action_screens import ActionScreen, SuggestionRef
from surveys.answering import AnsweringService
from surveys.clock import Clock
from surveys.errors import InvalidAnswer, StaleAction
from surveys.partner_desk import PartnerDesk
from surveys.screens import Outcome, shorten

PREFIX = "ac:held:"
ANSWER, WORDING = "a", "w"
LABEL_WORDS = 40   # of a question or an action on its button


@dataclass
class Filed:
    """What a tap on a held message's question did: `settled` is what that question now
    reads (its buttons gone); then the owner buttons under the new wording (`screen`), the
    partner's next step (`outcome`), or only a note saying why nothing was filed."""

    settled: str = ""
    screen: ActionScreen | None = None
    outcome: Outcome | None = None
    note: str = ""


def _minutes() -> int:
    return int(REWORD_WINDOW.total_seconds()) // 60


class HeldTexts:
    """Holds a coordinator's text that may be an answer or an action's wording, and files
    it as they say."""

    def __init__(self, desk: ActionDesk, answering: AnsweringService, partners: PartnerDesk,
                 held: HeldTextRepository, clock: Clock) -> None:
        self.desk = desk
        self.answering = answering
        self.partners = partners
        self.held = held
        self.clock = clock

    async def hold(self, user_id: int, chat_id: int, text: str) -> ActionScreen | None:
        """Text typed in the chat of a pick that has expired: kept, and the question that
        asks what it is. None when no expired pick is waiting there (the text goes on as
        usual)."""
        pick = await self.desk.expired_pick(user_id, chat_id)
        words = text.strip()
        if pick is None or not words:
            return None
        if await self.held.answered_since(user_id, chat_id, pick.at):
            return None   # they said they are answering here: no more asking each time
        partner = await self.partners.by_user(user_id)
        target = await self.answering.typed_target(partner) if partner is not None else None
        response_id, question_id, prompt = target if target is not None else (None, None, None)
        held_id = await self.held.add(HeldText(
            user_id, chat_id, words, pick.picked.round_id, pick.picked.area,
            pick.picked.digest, pick.offered, response_id, question_id, prompt,
            self.clock.now()))
        action = f"“{shorten(pick.offered, 80)}”"
        lines = [f"I have kept your message “{shorten(words, 200)}”, but not filed it yet.",
                 ""]
        buttons = []
        if prompt is not None:
            lines.append(f"Is it your answer to “{shorten(prompt, 120)}”, or the new wording "
                         f"of the action {action}? You picked that action more than "
                         f"{_minutes()} minutes ago, so I did not take it as its wording.")
            buttons.append([{"label": f"Answer to “{shorten(prompt, LABEL_WORDS)}”",
                             "data": f"{PREFIX}{ANSWER}:{held_id}"}])
        else:
            lines.append(f"Is it the new wording of the action {action}? You picked that "
                         f"action more than {_minutes()} minutes ago, so I did not take it "
                         "as its wording without asking.")
        buttons.append([{"label": f"Wording of “{shorten(pick.offered, LABEL_WORDS)}”",
                         "data": f"{PREFIX}{WORDING}:{held_id}"}])
        return ActionScreen("\n".join(lines), buttons)

    async def file(self, user_id: int, data: str) -> Filed:
        """A tap on a held message's question: files it as the answer or as the wording.
        Raises StaleAction for a button that is not valid (not theirs, not one of these)."""
        kind, _, number = data.removeprefix(PREFIX).partition(":")
        held = await self.held.get(int(number)) if number.isdigit() else None
        if held is None or held.coordinator_id != user_id or kind not in (ANSWER, WORDING):
            raise StaleAction("That button is not valid.")
        if held.filed_as:
            return Filed(self._settled(held, held.filed_as),
                         note=f"Already done: {self._as(held, held.filed_as)}.")
        if not await self.held.file(held.id, "answer" if kind == ANSWER else "wording"):
            return Filed(note="Already done: that message was filed a moment ago.")
        try:
            filed = await (self._answer(held) if kind == ANSWER else self._wording(held))
        except (InvalidAnswer, StaleAction) as exc:
            await self.held.release(held.id)
            return Filed(note=str(exc))
        if filed.note:   # nothing was filed: the message stays held, its buttons stay
            await self.held.release(held.id)
        return filed

    async def _answer(self, held: HeldText) -> Filed:
        partner = await self.partners.by_user(held.coordinator_id)
        now = (await self.answering.typed_target(partner)) if partner is not None else None
        if partner is None or now is None or now[:2] != (held.response_id, held.question_id):
            return Filed(note=(
                f"I did not file “{shorten(held.text, 200)}” as your answer to "
                f"“{shorten(held.question or '', 120)}”: that question is no longer the one "
                "open (it was answered, or the round moved on or closed). Open the round from "
                "/surveys to answer it, or tap the wording button if that is what it was."))
        outcome = await self.answering.text(partner, held.text)
        return Filed(self._settled(held, "answer"), outcome=outcome)

    async def _wording(self, held: HeldText) -> Filed:
        ref = SuggestionRef(held.round_id, held.area, 0, held.digest)
        screen = await self.desk.reword(held.coordinator_id, held.text, held.chat_id,
                                        late=ref)
        if screen is None:
            return Filed(note=(
                f"I did not take “{shorten(held.text, 200)}” as the wording of "
                f"“{shorten(held.offered, 80)}”: you are no longer agreeing that action (it "
                "was agreed, or you picked another or sent a command since). Tap it in "
                "/actions (Agree actions), then send your words again."))
        return Filed(self._settled(held, "wording"), screen=screen)

    @staticmethod
    def _as(held: HeldText, filed_as: str) -> str:
        if filed_as == "answer":
            # In an anonymous round the words went into the ballot, and from here (`cast_ballot`).
            said = f"“{shorten(held.text, 200)}”" if held.text else "Your message"
            return f"{said} was filed as your answer to “{shorten(held.question or '', 120)}”"
        return (f"“{shorten(held.text, 200)}” was taken as the wording of "
                f"“{shorten(held.offered, 80)}”")

    def _settled(self, held: HeldText, filed_as: str) -> str:
        return self._as(held, filed_as) + "."
