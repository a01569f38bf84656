"""Where a partner is in a questionnaire: pure functions over the questionnaire and answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from surveys.model import AnswerValue, Question, Questionnaire


@dataclass(frozen=True)
class Progress:
    """"Area 2 of 7 · Question 5 of 37" (a follow-up carries its main question's number)."""

    area: int
    areas: int
    number: int
    total: int
    area_title: str
    follow_up: bool = False

    def line(self) -> str:
        """The progress line shown above a question."""
        step = f"Question {self.number} of {self.total}" + (" · follow-up" if self.follow_up
                                                            else "")
        if self.areas > 1:
            return f"Area {self.area} of {self.areas} · {step}"
        return step


def main_questions(q: Questionnaire) -> list[Question]:
    """The questions everyone is asked; a question shown only after some answers is a follow-up.

    Every count a partner or coordinator sees ("19 questions", "question 5 of 19", "3 of 19
    answered") counts these, so the numbers agree wherever they appear.
    """
    return [x for x in q.questions if x.show_if is None]


def question_count(q: Questionnaire) -> int:
    """How many questions the questionnaire has, follow-ups not counted."""
    return len(main_questions(q))


def count_text(q: Questionnaire) -> str:
    """"19 questions", with any follow-ups named: "19 questions (and 1 follow-up)"."""
    total, extra = question_count(q), len(q.questions) - question_count(q)
    text = f"{total} question{'s' if total != 1 else ''}"
    if extra:
        text += f" (and {extra} follow-up{'s' if extra != 1 else ''}, asked after some answers)"
    return text


def answered_count(q: Questionnaire, answered: set[str] | Mapping[str, object]) -> int:
    """How many of the main questions have an answer (a skip counts)."""
    return sum(1 for x in main_questions(q) if x.id in answered)


def number_label(q: Questionnaire, question: Question) -> str:
    """A question's number as partners see it: "6", or "6a" for a follow-up after 6."""
    number, letter = 0, 0
    for x in q.questions:
        if x.show_if is None:
            number, letter = number + 1, 0
        else:
            letter += 1
        if x.id == question.id:
            return str(number) if x.show_if is None else f"{number}{chr(96 + letter)}"
    raise KeyError(question.id)


def visible_questions(q: Questionnaire, answers: Mapping[str, AnswerValue | None]
                      ) -> list[Question]:
    """The questions a partner sees, given earlier answers (show_if)."""
    shown: list[Question] = []
    for question in q.questions:
        rule = question.show_if
        if rule is None or rule.holds(answers.get(rule.question)):
            shown.append(question)
    return shown


def first_question(q: Questionnaire, answers: Mapping[str, AnswerValue | None]) -> Question:
    """Where a new response starts."""
    return visible_questions(q, answers)[0]


def next_question(q: Questionnaire, answers: Mapping[str, AnswerValue | None],
                  after: str) -> Question | None:
    """The visible question after `after`, or None at the end."""
    order = [x.id for x in q.questions]
    position = order.index(after)
    for question in visible_questions(q, answers):
        if order.index(question.id) > position:
            return question
    return None


def previous_question(q: Questionnaire, answers: Mapping[str, AnswerValue | None],
                      before: str) -> Question | None:
    """The visible question before `before`, or None at the start."""
    order = [x.id for x in q.questions]
    position = order.index(before)
    earlier = [x for x in visible_questions(q, answers) if order.index(x.id) < position]
    return earlier[-1] if earlier else None


def answered_between(q: Questionnaire, answered: Mapping[str, object],
                     answers: Mapping[str, AnswerValue | None], first: str | None,
                     last: str | None) -> list[Question]:
    """Visible answered questions from `first` up to, not including, `last` (None: to the end).

    Empty when `first` is None or comes after `last`: what a live message's transcript shows
    above its question.
    """
    if first is None:
        return []
    order = {x.id: i for i, x in enumerate(q.questions)}
    start = order.get(first)
    end = order.get(last, len(order)) if last is not None else len(order)
    if start is None:
        return []
    return [x for x in visible_questions(q, answers)
            if start <= order[x.id] < end and x.id in answered]


def first_unanswered(q: Questionnaire, answered: set[str],
                     answers: Mapping[str, AnswerValue | None]) -> Question | None:
    """The first visible question with no answer (a skip counts as an answer)."""
    for question in visible_questions(q, answers):
        if question.id not in answered:
            return question
    return None


def progress(q: Questionnaire, answers: Mapping[str, AnswerValue | None],
             question_id: str) -> Progress:
    """The progress line for a question."""
    main = main_questions(q)
    order = [x.id for x in q.questions]
    question = q.question(question_id)
    number = sum(1 for x in main if order.index(x.id) <= order.index(question_id))
    area, section = q.section_of(question_id)
    return Progress(area=area + 1, areas=len(q.sections), number=max(1, number),
                    total=len(main), area_title=section.title,
                    follow_up=question.show_if is not None)


def missing_required(q: Questionnaire, answered: set[str],
                     answers: Mapping[str, AnswerValue | None]) -> list[Question]:
    """Visible, required questions still without an answer."""
    return [x for x in visible_questions(q, answers) if x.id not in answered]
