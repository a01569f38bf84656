"""Answer validation per kind: what is accepted, in what form, and the message otherwise."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.answers import parse_typed_answer, validate_answer, validate_comment
from surveys.errors import InvalidAnswer
from surveys.model import DONT_KNOW, Kind, Question

SCALE = Question("q", Kind.SCALE, "How well?", options=("Very well", "Well", "Not very well"),
                 dont_know=True)
RAG = Question("r", Kind.RAG, "Rate it")
CHOICE = Question("c", Kind.CHOICE, "Sector?", options=("Council", "Police", "NHS"))
MULTI = Question("m", Kind.MULTI, "Forms?", options=("Away days", "Forum", "Workshops"),
                 min_choices=1, max_choices=2)
YESNO = Question("y", Kind.YESNO, "Join?")
NUMBER = Question("n", Kind.NUMBER, "Years?", minimum=0, maximum=60, unit="years")
DECIMAL = Question("d", Kind.NUMBER, "Hours?", integer=False)
TEXT = Question("t", Kind.TEXT, "Barriers?", max_length=50)


def test_button_kinds_accept_their_labels_only() -> None:
    assert validate_answer(SCALE, "Well") == "Well"
    assert validate_answer(SCALE, DONT_KNOW) == DONT_KNOW
    assert validate_answer(SCALE, "  very   WELL ") == "Very well"
    assert validate_answer(RAG, "amber") == "Amber"
    assert validate_answer(YESNO, "No") == "No"
    assert validate_answer(CHOICE, "police") == "Police"
    with pytest.raises(InvalidAnswer, match=r"Please choose one of: Green, Amber, Red\."):
        validate_answer(RAG, "Purple")
    with pytest.raises(InvalidAnswer, match="tap one of the buttons"):
        validate_answer(CHOICE, 2)
    no_dk = Question("q", Kind.SCALE, "How well?", options=("Well", "Badly"))
    with pytest.raises(InvalidAnswer):
        validate_answer(no_dk, DONT_KNOW)


def test_multi_keeps_option_order_and_limits() -> None:
    assert validate_answer(MULTI, ["Workshops", "away days"]) == ["Away days", "Workshops"]
    assert parse_typed_answer(MULTI, "forum; workshops") == ["Forum", "Workshops"]
    with pytest.raises(InvalidAnswer, match="at least 1 option"):
        validate_answer(MULTI, [])
    with pytest.raises(InvalidAnswer, match="no more than 2"):
        validate_answer(MULTI, ["Away days", "Forum", "Workshops"])
    with pytest.raises(InvalidAnswer, match="not one of the choices"):
        validate_answer(MULTI, ["Picnic"])
    with pytest.raises(InvalidAnswer, match="tick your choices"):
        validate_answer(MULTI, "Forum")


def test_numbers() -> None:
    assert validate_answer(NUMBER, "12") == 12
    assert validate_answer(NUMBER, " 12 years") == 12
    assert validate_answer(NUMBER, 0) == 0
    assert validate_answer(DECIMAL, "1,234.5") == 1234.5
    for bad, message in [("twelve", "type a number"), ("2.5", "whole number"),
                         ("-1", "at least 0"), ("61", "no more than 60"),
                         ("nan", "ordinary number"), ("inf", "ordinary number"),
                         (True, "type a number")]:
        with pytest.raises(InvalidAnswer, match=message):
            validate_answer(NUMBER, bad)


def test_text_is_kept_exactly_and_the_limit_is_named() -> None:
    odd = "*bold* _x_ `code` [link](http://x) <b>ñ 你好 🙂"
    assert validate_answer(TEXT, odd) == odd
    with pytest.raises(InvalidAnswer, match="51 characters; the limit is 50"):
        validate_answer(TEXT, "x" * 51)
    with pytest.raises(InvalidAnswer, match="type your answer"):
        validate_answer(TEXT, "   ")
    with pytest.raises(InvalidAnswer, match="type your answer"):
        validate_answer(TEXT, None)
    long_default = Question("t", Kind.TEXT, "Anything?")
    with pytest.raises(InvalidAnswer, match="10,000 characters; the limit is 4,000"):
        validate_answer(long_default, "y" * 10_000)


def test_comments() -> None:
    assert validate_comment("Because 🙂") == "Because 🙂"
    with pytest.raises(InvalidAnswer, match="type your comment, or tap Skip"):
        validate_comment(" ")
    with pytest.raises(InvalidAnswer, match="limit is 10"):
        validate_comment("x" * 11, max_length=10)


@given(st.text(min_size=1, max_size=300).filter(lambda t: t.strip()))
def test_any_nonblank_text_within_the_limit_is_stored_unchanged(text: str) -> None:
    assert validate_answer(Question("t", Kind.TEXT, "?", max_length=300), text) == text


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_integers_inside_the_range_and_only_those(n: int) -> None:
    q = Question("n", Kind.NUMBER, "?", minimum=-50, maximum=50)
    if -50 <= n <= 50:
        assert validate_answer(q, str(n)) == n
    else:
        with pytest.raises(InvalidAnswer):
            validate_answer(q, str(n))


@given(st.sampled_from(SCALE.choices), st.sampled_from([str.upper, str.lower, str.title]))
def test_scale_labels_match_in_any_case(label: str, change: object) -> None:
    assert validate_answer(SCALE, change(label)) == label  # type: ignore[operator]


@given(st.text(max_size=40))
def test_choice_validation_never_crashes(text: str) -> None:
    try:
        assert validate_answer(CHOICE, text) in CHOICE.options
    except InvalidAnswer as exc:
        assert "Please choose one of" in str(exc)
