"""Where a partner is in a questionnaire: pure functions over the questionnaire and answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from surveys.model import AnswerValue, Question, Questionnaire


@dataclass(frozen=True)
class Progress:
    """"Area 2 of 7 · Question 5 of 37"."""

    area: int
    areas: int
    number: int
    total: int
    area_title: str

    def line(self) -> str:
        """The progress line shown above a question."""
        if self.areas > 1:
            return f"Area {self.area} of {self.areas} · Question {self.number} of {self.total}"
        return f"Question {self.number} of {self.total}"


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
    shown = visible_questions(q, answers)
    number = next(i for i, x in enumerate(shown, start=1) if x.id == question_id)
    area, section = q.section_of(question_id)
    return Progress(area=area + 1, areas=len(q.sections), number=number, total=len(shown),
                    area_title=section.title)


def missing_required(q: Questionnaire, answered: set[str],
                     answers: Mapping[str, AnswerValue | None]) -> list[Question]:
    """Visible, required questions still without an answer."""
    return [x for x in visible_questions(q, answers) if x.id not in answered]
