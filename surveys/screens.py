"""What a partner sees: screens as plain text and buttons, built from stored data.

A screen knows nothing of Telegram; the bot turns each Button's Action into callback data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from storage.records import Answer, Round
from surveys.flow import (
    answered_count,
    count_text,
    number_label,
    previous_question,
    progress,
    question_count,
    visible_questions,
)
from surveys.model import RAG_GLOSSES, Kind, Question, Questionnaire

VERBS = ("open", "start", "later", "pick", "tog", "done", "next", "skip", "back", "cmt",
         "nocmt", "sub", "chg", "edit", "review", "rounds", "obs")
_ACTION = re.compile(r"^([a-z]{3,6}):(\d{1,12}):(-?\d{1,4}):(-?\d{1,4})$")
REVIEW_ANSWER_CHARS = 160
TRANSCRIPT_ECHO = 60   # a typed answer, echoed in its question's transcript line
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
    starts_at: str | None = None     # a live question message: the first question it shows


@dataclass
class Outcome:
    """What the chat should do after a step.

    The partner's current question lives in one message, edited through its states; `edit`
    redraws it (or the message whose button was pressed), `send` adds new messages, the last
    of a response's becoming the live one, and `notice` is the toast a button press gets.
    """

    send: list[Screen] = field(default_factory=list)
    edit: Screen | None = None       # redraw the pressed message, else `target`, as this
    notice: str | None = None        # a short note answering a button press
    target: int | None = None        # the live message, for steps no button started
    # Older messages to redraw without buttons (an older copy of the step shown again below).
    settle: list[tuple[int, Screen]] = field(default_factory=list)


def when(moment: datetime, zone: ZoneInfo) -> str:
    """A deadline as a person reads it: "Fri 20 Nov 2026, 17:00".

    The year is always there: a round opened in December closes in January, and a chat read
    a year on (the review's next cycle) must not leave the reader to guess which November.
    """
    local = moment.astimezone(zone)
    return local.strftime("%a %-d %b %Y, %H:%M")


def card(rnd: Round, q: Questionnaire, state: str, answered: int, zone: ZoneInfo, *,
         can_edit: bool) -> Screen:
    """The card a round opens with (also the invitation's text): what, how long, until when."""
    total = question_count(q)
    lines = [f"📋 {rnd.title}", "", q.introduction, "",
             f"{count_text(q)} · about {q.estimated_minutes} minutes",
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


def answered_of(q: Questionnaire, answers: Mapping[str, Answer]) -> int:
    """How many of the questions everyone is asked have an answer."""
    return answered_count(q, set(answers))


def follows(q: Questionnaire, question: Question, answers: Mapping[str, Answer]) -> str | None:
    """For a follow-up ("Why?"), the question it follows and the answer given, restated."""
    if question.show_if is not None:
        parent: Question | None = q.question(question.show_if.question)
    elif question.tag == "why":
        parent = previous_question(q, {k: a.value for k, a in answers.items()}, question.id)
    else:
        return None
    if parent is None:
        return None
    given = answers.get(parent.id)
    said = f"\nYou said: {answer_text(given)}" if given is not None else ""
    return f"About question {number_label(q, parent)}: {parent.prompt}{said}"


def _choice_rows(rnd: Round, index: int, choices: tuple[str, ...]) -> list[list[Button]]:
    buttons = [Button(c, Action("pick", rnd.id, index, i)) for i, c in enumerate(choices)]
    # Short choices (Green / Amber / Red, Yes / No) sit side by side; long ones one a row.
    if len(choices) <= 4 and all(len(c) <= 12 for c in choices):
        return [buttons]
    return [[b] for b in buttons]


def question_screen(rnd: Round, q: Questionnaire, question: Question,
                    answers: Mapping[str, Answer], draft: object, response_id: int, *,
                    stage: str = "answer", above: list[Question] | None = None) -> Screen:
    """One question in its current state: asked, a comment typed, an answer awaiting a note.

    `above`: questions answered earlier in the same message, shown first as transcript lines.
    """
    values = {k: a.value for k, a in answers.items()}
    step = progress(q, values, question.id)
    index = q.questions.index(question)
    lines = [line + "\n" for line in transcript_lines(q, above or [], answers)]
    lines += [step.line(), step.area_title, ""]
    context = follows(q, question, answers)
    if context:
        lines += [context, ""]
    lines.append(question.prompt)
    if question.help:
        lines += ["", question.help]
    if question.kind is Kind.RAG:
        lines += [""] + [f"{colour}: {gloss}" for colour, gloss in RAG_GLOSSES.items()]
    earlier = answers.get(question.id)
    comment = draft.get("comment") if isinstance(draft, dict) else None
    rows: list[list[Button]] = []
    keep = earlier is not None and not earlier.skipped
    if question.kind is Kind.MULTI:
        ticked = set(draft if isinstance(draft, list) else
                     (earlier.value if earlier and isinstance(earlier.value, list) else []))
        rows = [[Button(("✓ " if o in ticked else "") + o, Action("tog", rnd.id, index, i))]
                for i, o in enumerate(question.options)]
        rows.append([Button("Done", Action("done", rnd.id, index))])
        lines += ["", "Tick all that apply, then tap Done."]
        keep = False
    elif question.kind.uses_buttons:
        rows = _choice_rows(rnd, index, question.choices)
        if stage == "comment" and earlier is not None:
            lines += ["", f"Your answer: {answer_text(earlier)}", "",
                      f"{question.comment_prompt} Type it below (or tap another answer to "
                      "change it)."]
            keep = False
        elif comment:
            lines += ["", f"💬 Your comment: {comment}", "Now tap an answer."]
        elif question.comment == "optional":
            lines += ["", "💬 To add a comment, type it, then tap your answer."]
        elif question.comment == "required":
            lines += ["", "Tap your answer, then type a note."]
    elif question.kind is Kind.NUMBER:
        lines += ["", "Type a number" + (f" ({question.unit})" if question.unit else "") + "."]
    else:
        lines += ["", "Type your answer in one message."]
    if earlier is not None and stage != "comment":
        lines += ["", "Your answer: " + answer_text(earlier)]
        if keep and question.kind in (Kind.TEXT, Kind.NUMBER):
            lines.append("Type a new answer to replace it, or tap Keep this answer.")
        elif keep and question.comment == "optional" and not earlier.comment:
            lines.append("Type a comment to add it, or tap Keep this answer.")
    nav: list[Button] = []
    if visible_questions(q, values)[0].id != question.id:
        nav.append(Button("← Back", Action("back", rnd.id, index)))
    if keep:
        nav.append(Button("Keep this answer", Action("next", rnd.id, index)))
    elif question.optional and stage != "comment":
        nav.append(Button("Skip", Action("skip", rnd.id, index)))
    if nav:
        rows.append(nav)
    return Screen("\n".join(lines), rows, kind="question", response_id=response_id,
                  starts_at=above[0].id if above else question.id)


def review_screens(rnd: Round, q: Questionnaire, answers: Mapping[str, Answer],
                   response_id: int, limit: int = 3500, *, submitted: bool = False
                   ) -> list[Screen]:
    """All answers, numbered, split to fit Telegram's message size; the last has the buttons."""
    values = {k: a.value for k, a in answers.items()}
    lines = [f"Review your answers: {rnd.title}", ""]
    for question in visible_questions(q, values):
        answer = answers.get(question.id)
        shown = answer_text(answer) if answer else "(not answered)"
        shown = shorten(shown, REVIEW_ANSWER_CHARS)
        lines.append(f"{number_label(q, question)}. {question.prompt}\n   → {shown}")
    lines += ["", _review_footer(submitted)]
    chunks, current = [], ""
    for line in lines:
        if current and len(current) + len(line) + 1 > limit:
            chunks.append(current)
            current = ""
        current += line + "\n"
    chunks.append(current)
    screens = [Screen(c.rstrip(), kind="review", response_id=response_id) for c in chunks]
    screens[-1].buttons = [[Button("Done" if submitted else "Submit", Action("sub", rnd.id)),
                            Button("Change an answer", Action("chg", rnd.id))]]
    return screens


def _review_footer(submitted: bool) -> str:
    return ("Your submission stands; a change counts as soon as you make it." if submitted
            else "Submit when you are happy; you can change an answer first.")


def review_kept(rnd: Round, q: Questionnaire, answers: Mapping[str, Answer],
                response_id: int, *, submitted: bool = False) -> str:
    """The last part of a review as it stays once Submit (or Done) is pressed: its answers
    without the closing instruction, so the thank-you follows them instead of replacing
    them (a review of several parts would otherwise end at the last part but one)."""
    last = review_screens(rnd, q, answers, response_id, submitted=submitted)[-1].text
    kept = last.removesuffix(_review_footer(submitted)).rstrip()
    return f"{kept}\n\n" if kept else ""


def review_in_place(rnd: Round, q: Questionnaire, questions: list[Question],
                    answers: Mapping[str, Answer], response_id: int, *,
                    submitted: bool = False) -> Screen:
    """The review as the live message becomes it when it already shows every answer: its
    transcript lines, then Submit."""
    lines = transcript_lines(q, questions, answers)
    lines.append("That is every question. " + (
        "Your submission stands; a change counts as soon as you make it." if submitted
        else "Submit when you are happy; you can change an answer first."))
    return Screen("\n\n".join(lines), [[
        Button("Done" if submitted else "Submit", Action("sub", rnd.id)),
        Button("Change an answer", Action("chg", rnd.id))]], kind="review",
        response_id=response_id, starts_at=questions[0].id if questions else None)


def change_screen(rnd: Round, q: Questionnaire, answers: Mapping[str, Answer],
                  response_id: int) -> Screen:
    """Numbered buttons, one per visible question, to pick the answer to change."""
    values = {k: a.value for k, a in answers.items()}
    shown = visible_questions(q, values)
    buttons = [Button(number_label(q, x), Action("chg", rnd.id, q.questions.index(x)))
               for x in shown]
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


def shorten(text: str, limit: int) -> str:
    """Text cut to about `limit` characters at a word's end, with "…" only where words
    were cut (not for a lone full stop)."""
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    rest = text[len(cut):]
    if not rest.strip(" .!?;,:"):
        return text
    return cut.rstrip(" ,;:-–—") + "…"


def transcript_line(q: Questionnaire, question: Question, answer: Answer | None, *,
                    typed_below: bool = False) -> str:
    """One answered question as the chat keeps it: its number and prompt, then the answer.

    `typed_below`: the partner's own message, right below this line, is what they typed
    (a written answer, or a comment): it is not echoed a second time above it."""
    head = f"{number_label(q, question)}. {question.prompt}"
    if typed_below and answer is not None and not answer.skipped:
        if question.kind is Kind.TEXT:
            return head
        if answer.comment:
            answer = replace(answer, comment=None)
    given = answer_text(answer) if answer else "(skipped)"
    if question.kind is Kind.TEXT:
        # An answer written long ago, shown again above a later step: its opening words.
        given = shorten(given, TRANSCRIPT_ECHO)
    return f"{head}\n✅ {given}"


def transcript_lines(q: Questionnaire, questions: list[Question],
                     answers: Mapping[str, Answer], *, typed_below: bool = False) -> list[str]:
    """Answered questions as the chat keeps them, under the area's name where an area begins
    (its first question, or the first of the area in a message that began in another).
    `typed_below`: the last question's answer was typed, in the message right below."""
    out: list[str] = []
    area = None
    for question in questions:
        line = transcript_line(q, question, answers.get(question.id),
                               typed_below=typed_below and question is questions[-1])
        index, section = q.section_of(question.id)
        begins = area is not None or section.questions[0].id == question.id
        if len(q.sections) > 1 and index != area and begins:
            line = f"Area {index + 1}: {section.title}\n{line}"
        area = index
        out.append(line)
    return out


def transcript(q: Questionnaire, questions: list[Question],
               answers: Mapping[str, Answer], *, typed_below: bool = False) -> Screen:
    """What a question's message becomes once settled: the transcript lines of the questions
    it showed, so the chat reads as a transcript."""
    return Screen("\n\n".join(transcript_lines(q, questions, answers,
                                               typed_below=typed_below)))


def moved_on(q: Questionnaire, above: list[Question], answers: Mapping[str, Answer],
             current: Question | None) -> Screen:
    """An older copy of the live message, settled because the step is shown again below."""
    lines = transcript_lines(q, above, answers)
    where = (f"{number_label(q, current)}. {current.prompt}" if current is not None
             else "Review of your answers")
    return Screen("\n\n".join([*lines, f"{where}\n⬇ Continued below."]))
