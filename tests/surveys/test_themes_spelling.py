"""Typing slips put right before embedding, from the model's own vocabulary only."""

from __future__ import annotations

import pytest

from surveys.themes.embed import normalise
from surveys.themes.spelling import respell, vocabulary


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("goverment", "government"), ("definately", "definitely"), ("thier", "their"),
     ("comitment", "commitment"), ("acheive", "achieve"), ("accross", "across"),
     ("seperate", "separate"), ("independant", "independent"), ("commitee", "committee"),
     ("Goverment", "Government")],
)
def test_a_slip_of_the_keys_becomes_the_word_meant(typed: str, meant: str) -> None:
    assert respell(typed) == meant


@pytest.mark.parametrize(
    "word",
    # Real words BERT's vocabulary lacks, one slip from words it has ("remix", "silas",
    # "evolved", "asking", "trapping"); British spellings; places; acronyms; short words.
    ["remit", "silos", "churn", "devolved", "tasking", "tripping", "signposting",
     "organisations", "prioritise", "neighbourhood", "programme", "Macclesfield", "Nantwich",
     "coterminosity", "CDRP", "GONW", "laa", "ment"],
)
def test_real_words_acronyms_and_short_words_are_left_alone(word: str) -> None:
    assert respell(word) == word


def test_the_vocabulary_is_the_models_whole_words() -> None:
    vocab = vocabulary()
    assert vocab["the"] < vocab["government"] < vocab["commitment"]  # by frequency
    assert not any(w.startswith("#") for w in vocab)


def test_normalise_puts_phone_typing_into_words_the_model_knows() -> None:
    typed = "tbh the goverment cant decide, ppl r skint & its definately b4 the top brass"
    assert normalise(typed) == ("the government can't decide , people are broke and its "
                                "definitely before the senior leaders")
