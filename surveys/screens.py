"""What a partner sees: screens as plain text and buttons, built from stored data.

A screen knows nothing of Telegram; the bot turns each Button's Action into callback data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from storage.records import Answer, Round
from surveys.flow import progress, visible_questions
from surveys.model import RAG_GLOSSES, Kind, Question, Questionnaire

VERBS = ("open", "start", "later", "pick", "tog", "done", "next", "skip", "back", "cmt",
         "nocmt", "sub", "chg", "edit", "review", "rounds")
_ACTION = re.compile(r"^([a-z]{3,6}):(\d{1,12}):(-?\d{1,4}):(-?\d{1,4})$")
REVIEW_ANSWER_CHARS = 160
ANONYMITY_NOTES = {
    "named": "Named round: the coordinator sees who gave each answer.",
    "confidential": ("Confidential round: your answers are stored with your name, but reports "
                     "never name anyone and small groups are not shown on their own."),
    "anonymous": ("Anonymous round: once you submit, your answers cannot be linked to you, "
                  "not even by the coordinator or in the database. You cannot change them "
                  "after submitting."),
}


@dataclass(frozen=True)
class Action:
    """What a button does: a verb, the round, and where needed a question and an option."""

    verb: str
    round_id: int
    question: int = -1
    option: int = -1

    def encode(self) -> str:
        """Callback data, well within Telegram's 64 bytes."""
        return f"{self.verb}:{self.round_id}:{self.question}:{self.option}"

    @classmethod
    def decode(cls, data: str) -> Action | None:
        """Parse callback data; None for anything we did not make."""
        found = _ACTION.match(data or "")
        if not found or found.group(1) not in VERBS:
            return None
        return cls(found.group(1), int(found.group(2)), int(found.group(3)),
                   int(found.group(4)))


@dataclass(frozen=True)
class Button:
    """A labelled button."""

    label: str
    action: Action


@dataclass
class Screen:
    """A message to show: text and rows of buttons."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    kind: str = "info"
    response_id: int | None = None


@dataclass
class Outcome:
    """What the chat should do after a step: settle the old screen, send the new ones."""

    send: list[Screen] = field(default_factory=list)
    settle: str | None = None        # turn the previous screen into this transcript text
    replace: Screen | None = None    # redraw the pressed message in place (multi toggles)
    notice: str | None = None        # a short note (the answer to a button press)
    settle_message_id: int | None = None


def when(moment: datetime, zone: ZoneInfo) -> str:
    """A deadline as a person reads it: "Fri 20 Nov, 17:00"."""
    local = moment.astimezone(zone)
    return local.strftime("%a %-d %b, %H:%M")


def card(rnd: Round, q: Questionnaire, state: str, answered: int, total: int,
         zone: ZoneInfo, *, can_edit: bool) -> Screen:
    """The card a round opens with."""
    lines = [f"📋 {rnd.title}", "", q.introduction, "",
             f"{total} questions · about {q.estimated_minutes} minutes",
             f"Deadline: {when(rnd.deadline, zone)}", "", ANONYMITY_NOTES[rnd.anonymity]]
    buttons: list[list[Button]]
    if state == "submitted":
        lines.insert(1, "✅ You have submitted your answers. Thank you.")
        buttons = [[Button("Change my answers", Action("edit", rnd.id))]] if can_edit else []
    elif answered:
        lines.insert(1, f"You have answered {answered} of {total}.")
        buttons = [[Button("Continue", Action("start", rnd.id)),
                    Button("Later", Action("later", rnd.id))]]
    else:
        buttons = [[Button("Start", Action("start", rnd.id)),
                    Button("Later", Action("later", rnd.id))]]
    return Screen("\n".join(lines).replace("\n\n\n", "\n\n"), buttons, kind="card")


def question_screen(rnd: Round, q: Questionnaire, question: Question,
                    answers: Mapping[str, Answer], draft: object, response_id: int) -> Screen:
    """One question, with its progress line and buttons."""
    values = {k: a.value for k, a in answers.items()}
    step = progress(q, values, question.id)
    index = q.questions.index(question)
    lines = [step.line(), step.area_title, "", question.prompt]
    if question.help:
        lines += ["", question.help]
    if question.kind is Kind.RAG:
        lines += [""] + [f"{colour}: {gloss}" for colour, gloss in RAG_GLOSSES.items()]
    earlier = answers.get(question.id)
    rows: list[list[Button]] = []
    if question.kind is Kind.MULTI:
        ticked = set(draft if isinstance(draft, list) else
                     (earlier.value if earlier and isinstance(earlier.value, list) else []))
        rows = [[Button(("✓ " if o in ticked else "") + o, Action("tog", rnd.id, index, i))]
                for i, o in enumerate(question.options)]
        rows.append([Button("Done", Action("done", rnd.id, index))])
        lines += ["", "Tick all that apply, then tap Done."]
    elif question.kind.uses_buttons:
        rows = [[Button(c, Action("pick", rnd.id, index, i))]
                for i, c in enumerate(question.choices)]
    elif question.kind is Kind.NUMBER:
        lines += ["", "Type a number" + (f" ({question.unit})" if question.unit else "") + "."]
    else:
        if isinstance(draft, str):
            lines += ["", "Your answer so far:", draft, "",
                      "Send more to add to it, or tap Next."]
            rows.append([Button("Next →", Action("next", rnd.id, index))])
        else:
            lines += ["", "Type your answer. You can send it in several messages, "
                          "then tap Next."]
    if earlier is not None and not isinstance(draft, str | list):
        lines += ["", "Your answer: " + answer_text(earlier)]
        if question.kind in (Kind.TEXT, Kind.NUMBER) and not earlier.skipped:
            rows.append([Button("Keep this answer", Action("next", rnd.id, index))])
    nav: list[Button] = []
    if visible_questions(q, values)[0].id != question.id:
        nav.append(Button("← Back", Action("back", rnd.id, index)))
    if question.optional:
        nav.append(Button("Skip", Action("skip", rnd.id, index)))
    if nav:
        rows.append(nav)
    return Screen("\n".join(lines), rows, kind="question", response_id=response_id)


def comment_screen(rnd: Round, q: Questionnaire, question: Question, answer: Answer,
                   response_id: int, *, asked: bool = False) -> Screen:
    """After a rating: the offer to add a comment."""
    index = q.questions.index(question)
    lines = [f"{question.prompt}", f"Your answer: {answer_text(answer)}", "",
             question.comment_prompt]
    rows: list[list[Button]] = []
    if asked or question.comment == "required":
        lines.append("Type it below.")
    else:
        rows.append([Button("Add a comment", Action("cmt", rnd.id, index))])
    if question.comment != "required":
        rows.append([Button("Skip", Action("nocmt", rnd.id, index))])
    return Screen("\n".join(lines), rows, kind="comment", response_id=response_id)


def review_screens(rnd: Round, q: Questionnaire, answers: Mapping[str, Answer],
                   response_id: int, limit: int = 3500, *, submitted: bool = False
                   ) -> list[Screen]:
    """All answers, numbered, split to fit Telegram's message size; the last has the buttons."""
    values = {k: a.value for k, a in answers.items()}
    lines = [f"Review your answers: {rnd.title}", ""]
    for number, question in enumerate(visible_questions(q, values), start=1):
        answer = answers.get(question.id)
        shown = answer_text(answer) if answer else "(not answered)"
        if len(shown) > REVIEW_ANSWER_CHARS:
            shown = shown[:REVIEW_ANSWER_CHARS].rstrip() + "…"
        lines.append(f"{number}. {question.prompt}\n   → {shown}")
    lines += ["", "Your submission stands; a change counts as soon as you make it."
              if submitted else "Submit when you are happy; you can change an answer first."]
    chunks, current = [], ""
    for line in lines:
        if current and len(current) + len(line) + 1 > limit:
            chunks.append(current)
            current = ""
        current += line + "\n"
    chunks.append(current)
    screens = [Screen(c.rstrip(), kind="review", response_id=response_id) for c in chunks]
    screens[-1].buttons = [[Button("Done" if submitted else "Submit", Action("sub", rnd.id))],
                           [Button("Change an answer", Action("chg", rnd.id))]]
    return screens


def change_screen(rnd: Round, q: Questionnaire, answers: Mapping[str, Answer],
                  response_id: int) -> Screen:
    """Numbered buttons, one per visible question, to pick the answer to change."""
    values = {k: a.value for k, a in answers.items()}
    shown = visible_questions(q, values)
    buttons = [Button(str(n), Action("chg", rnd.id, q.questions.index(x)))
               for n, x in enumerate(shown, start=1)]
    rows = [buttons[i:i + 6] for i in range(0, len(buttons), 6)]
    rows.append([Button("Back to review", Action("review", rnd.id))])
    return Screen("Which answer would you like to change? (numbers as in the review)", rows,
                  kind="change", response_id=response_id)


def answer_text(answer: Answer) -> str:
    """An answer as the partner gave it (with its comment)."""
    if answer.skipped:
        return "(skipped)"
    value = answer.value
    text = ", ".join(value) if isinstance(value, list) else str(value)
    if answer.comment:
        text += f" — “{answer.comment}”"
    return text


def transcript(question: Question, answer: Answer | None) -> str:
    """What a question's message becomes once answered, so the chat reads as a transcript."""
    given = answer_text(answer) if answer else "(skipped)"
    return f"{question.prompt}\n✅ {given}"
