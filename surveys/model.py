"""Questionnaires as plain objects: sections ("areas"), questions and their kinds."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

AnswerValue = str | int | float | list[str]

DONT_KNOW = "Don't know"
YES, NO = "Yes", "No"
RAG_POINTS: tuple[str, ...] = ("Green", "Amber", "Red")
# The glosses the IPSM session (seed 002) gave its three colours.
RAG_GLOSSES: dict[str, str] = {
    "Green": "things that have worked well",
    "Amber": "not quite right, some concerns",
    "Red": "not working, needs improving",
}

CommentMode = Literal["none", "optional", "required"]
DEFAULT_COMMENT_PROMPT = "Would you like to add a comment?"


class Kind(StrEnum):
    """What sort of answer a question takes."""

    SCALE = "scale"
    RAG = "rag"
    CHOICE = "choice"
    MULTI = "multi"
    YESNO = "yesno"
    NUMBER = "number"
    TEXT = "text"

    @property
    def uses_buttons(self) -> bool:
        """True where the partner answers by tapping buttons."""
        return self in (Kind.SCALE, Kind.RAG, Kind.CHOICE, Kind.MULTI, Kind.YESNO)


@dataclass(frozen=True)
class ShowIf:
    """Show a question only when an earlier answer is one of `values`."""

    question: str
    values: tuple[str, ...]

    def holds(self, answer: AnswerValue | None) -> bool:
        """Whether the earlier answer makes the question visible."""
        if answer is None:
            return False
        if isinstance(answer, list):
            return any(a in self.values for a in answer)
        return str(answer) in self.values


@dataclass(frozen=True)
class CodebookEntry:
    """A theme a question's answers are expected to raise (deductive coding)."""

    label: str
    description: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """One question of a questionnaire; the fields that matter depend on `kind`."""

    id: str
    kind: Kind
    prompt: str
    options: tuple[str, ...] = ()
    dont_know: bool = False
    positive: int | None = None
    comment: CommentMode = "none"
    comment_prompt: str = DEFAULT_COMMENT_PROMPT
    optional: bool = False
    help: str = ""
    tag: str = ""
    short: str = ""
    show_if: ShowIf | None = None
    min_choices: int = 1
    max_choices: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = True
    unit: str = ""
    max_length: int | None = None
    scale_name: str = ""
    codebook: tuple[CodebookEntry, ...] = ()

    @property
    def choices(self) -> tuple[str, ...]:
        """Every value a button question accepts, "Don't know" included."""
        if self.kind is Kind.RAG:
            return RAG_POINTS
        if self.kind is Kind.YESNO:
            return (YES, NO)
        if self.kind is Kind.SCALE and self.dont_know:
            return (*self.options, DONT_KNOW)
        return self.options


@dataclass(frozen=True)
class Section:
    """A group of questions: an "area" in the partner's progress line."""

    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str = ""


@dataclass(frozen=True)
class Questionnaire:
    """A whole questionnaire, as loaded from a template and frozen into a round."""

    id: str
    title: str
    introduction: str
    estimated_minutes: int
    sections: tuple[Section, ...]
    layout: str = "themes"
    source: str = ""
    scales: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def questions(self) -> tuple[Question, ...]:
        """All questions in order, across sections."""
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError if none)."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def section_of(self, question_id: str) -> tuple[int, Section]:
        """The 0-based index and section a question belongs to."""
        for i, s in enumerate(self.sections):
            if any(q.id == question_id for q in s.questions):
                return i, s
        raise KeyError(question_id)
