"""Validating an answer against its question: pure functions with a clear error."""

from __future__ import annotations

import math
import re

from surveys.errors import InvalidAnswer
from surveys.model import AnswerValue, Kind, Question

DEFAULT_MAX_TEXT_LENGTH = 4000
MAX_COMMENT_LENGTH = 4000


def validate_answer(
    question: Question, value: object, *, max_text_length: int = DEFAULT_MAX_TEXT_LENGTH
) -> AnswerValue:
    """Return `value` in its stored form, or raise InvalidAnswer saying what would fit."""
    kind = question.kind
    if kind is Kind.TEXT:
        return _text(question, value, max_text_length)
    if kind is Kind.NUMBER:
        return _number(question, value)
    if kind is Kind.MULTI:
        return _multi(question, value)
    if not isinstance(value, str):
        raise InvalidAnswer("Please tap one of the buttons.")
    match = _match_choice(question, value)
    if match is None:
        options = ", ".join(question.choices)
        raise InvalidAnswer(f"Please choose one of: {options}.")
    return match


def parse_typed_answer(
    question: Question, text: str, *, max_text_length: int = DEFAULT_MAX_TEXT_LENGTH
) -> AnswerValue:
    """Turn what a partner typed into an answer (a number, a choice typed out, or text)."""
    if question.kind is Kind.MULTI:
        parts = [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]
        return validate_answer(question, parts)
    return validate_answer(question, text, max_text_length=max_text_length)


def validate_comment(text: object, *, max_length: int = MAX_COMMENT_LENGTH) -> str:
    """A comment after a rating: any non-empty text within the limit."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidAnswer("Please type your comment, or tap Skip.")
    if len(text) > max_length:
        raise InvalidAnswer(
            f"That comment is {len(text):,} characters; the limit is {max_length:,}. "
            "Please shorten it or send it in parts."
        )
    return text


def _text(question: Question, value: object, default_limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidAnswer("Please type your answer.")
    if not value.strip():
        ending = ", or tap Skip." if question.optional else "."
        raise InvalidAnswer("Please type your answer" + ending)
    limit = question.max_length or default_limit
    if len(value) > limit:
        raise InvalidAnswer(
            f"That answer is {len(value):,} characters; the limit is {limit:,}. "
            "Please shorten it."
        )
    return value


def _number(question: Question, value: object) -> int | float:
    number: float
    if isinstance(value, bool):
        raise InvalidAnswer("Please type a number.")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        cleaned = value.strip().replace(",", "")
        if question.unit and cleaned.lower().endswith(question.unit.lower()):
            cleaned = cleaned[: -len(question.unit)].strip()
        try:
            number = float(cleaned)
        except ValueError:
            raise InvalidAnswer("Please type a number, for example 12.") from None
    else:
        raise InvalidAnswer("Please type a number.")
    if not math.isfinite(number):
        raise InvalidAnswer("Please type an ordinary number.")
    if question.integer and number != int(number):
        raise InvalidAnswer("Please type a whole number.")
    if question.minimum is not None and number < question.minimum:
        raise InvalidAnswer(f"Please type a number of at least {_fmt(question.minimum)}.")
    if question.maximum is not None and number > question.maximum:
        raise InvalidAnswer(f"Please type a number no more than {_fmt(question.maximum)}.")
    return int(number) if question.integer else number


def _multi(question: Question, value: object) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise InvalidAnswer("Please tick your choices, then tap Done.")
    chosen: set[str] = set()
    for item in value:
        match = _match_choice(question, item) if isinstance(item, str) else None
        if match is None:
            raise InvalidAnswer(f"{item!r} is not one of the choices.")
        chosen.add(match)
    ordered = [o for o in question.options if o in chosen]
    if len(ordered) < question.min_choices:
        n = question.min_choices
        raise InvalidAnswer(f"Please choose at least {n} option{'s' if n > 1 else ''}.")
    if question.max_choices is not None and len(ordered) > question.max_choices:
        raise InvalidAnswer(f"Please choose no more than {question.max_choices}.")
    return ordered


def _match_choice(question: Question, value: str) -> str | None:
    wanted = _fold(value)
    for choice in question.choices:
        if _fold(choice) == wanted:
            return choice
    return None


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def _fmt(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)
