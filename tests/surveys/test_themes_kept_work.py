"""Work that theming keeps rather than repeats gives what the straightforward way gives.

Theming 10,000 answers asks the same things of the same texts many times over: a text's
words as the model should see them, its character n-grams, its candidate phrases, its
lexical scores. Each is now worked out once and kept; these tests hold the kept results
to the plain computation on small inputs.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from surveys.report.privacy import _tokens
from surveys.themes.codebook import CodebookTheme
from surveys.themes.embed import _TOKEN, PHRASES, SHORTHAND, normalise
from surveys.themes.lexical import GRAM_SIZES, STOP, CharGrams, _grams_of, lexical_scores
from surveys.themes.phrases import candidates, candidates_of
from surveys.themes.spelling import respell

SAID = [
    "Not enough funding for the voluntary sector",
    "govt ppl never come to mtgs tbh",
    "The comittee never met, and the top brass didn't care",
    "Funding",
    "Funding",
    "funding funding and more funding for the council",
    "",
    "n/a",
    "Good info sharing between the police & the council",
    "Council of the council",
    "Too many meetings; the board is a talking shop",
]
CODEBOOK = [
    CodebookTheme("Funding", "Money and resources for partnership work", ("budget cuts",)),
    CodebookTheme("Meetings", "Too many meetings, talking shops, committees", ()),
    CodebookTheme("Information sharing", "Sharing data and information between partners",
                  ("data protection",)),
]


def test_normalise_as_token_by_token() -> None:
    """Each token's shorthand meaning or its slip put right, joined, empty ones left out:
    the loop `normalise` was before its tokens' forms were kept."""
    for text in SAID:
        plain = text
        for phrase, meaning in PHRASES.items():
            plain = phrase.sub(meaning, plain)
        words = []
        for token in _TOKEN.findall(plain):
            low = token.lower()
            words.append(SHORTHAND[low] if low in SHORTHAND else respell(token))
        assert normalise(text) == " ".join(w for w in words if w)
    assert normalise("govt ppl tbh") == "government people"
    assert normalise("the top brass") == "the senior leaders"


def test_kept_candidates_are_the_candidates() -> None:
    for text in SAID:
        assert candidates_of(text) == tuple(candidates(text))


def test_char_gram_rows_of_fitted_texts_are_their_rows() -> None:
    """`rows_at` (grams counted once, at fitting) equals `rows` (counted again), in any
    order, with repeats, and for texts with no gram among the columns."""
    grams = CharGrams(SAID)
    for idx in (np.arange(len(SAID)), np.array([3, 2, 2, 10, 0]), np.array([6, 7])):
        plain = grams.rows([SAID[int(i)] for i in idx])
        kept = grams.rows_at(idx)
        assert kept.dtype == plain.dtype == np.float32
        assert np.array_equal(kept, plain)
    assert grams.rows_at(np.array([], dtype=int)).shape == (0, len(grams.column))
    # The columns: grams in 2 to half the texts, by how many use them.
    df = Counter(g for t in SAID for g in _grams_of(t))
    assert set(grams.column) <= {g for g, c in df.items() if 2 <= c <= len(SAID) // 2}
    assert [df[g] for g in grams.column] == sorted((df[g] for g in grams.column), reverse=True)


def test_lexical_scores_of_repeated_words_are_scored_alone() -> None:
    """A row worked out once for points with the same words is the row each gets alone."""
    together = lexical_scores(CODEBOOK, SAID)
    assert together.any()
    for i, text in enumerate(SAID):
        assert np.array_equal(together[i], lexical_scores(CODEBOOK, [text])[0])
    assert np.array_equal(together[3], together[4])


def test_grams_of_a_text_as_counted_word_by_word() -> None:
    """A text's grams from each word's kept grams: the counts, in the order met, of
    counting every gram of every content word in turn."""
    for text in SAID:
        plain: Counter[str] = Counter()
        for word in re.findall(r"[a-z0-9]+", normalise(text).lower()):
            if word in STOP:
                continue
            padded = f" {word} "
            for size in GRAM_SIZES:
                plain.update(padded[i:i + size] for i in range(max(1, len(padded) - size + 1)))
        kept = _grams_of(text)
        assert kept == plain
        assert list(kept.items()) == list(plain.items())


def test_redaction_tokens_leave_a_possessive_outside_the_word() -> None:
    """Only a word ending in an apostrophe (with or without s) loses it, and only past
    three letters: the possessive rule asked of the words it can change."""
    said = "Okafor's team, the Smiths’ report, Jo's idea, partners' time, it's, Ross o'clock"
    plain = []
    for m in re.finditer(r"[\w'’-]+", said):
        word = m.group().lower()
        stem = re.sub(r"['’]s?$", "", word) if len(word) > 3 else word
        plain.append((m.start(), m.start() + len(stem), stem))
    assert _tokens(said) == plain
    assert [w for _, _, w in _tokens(said)][:5] == ["okafor", "team", "the", "smiths", "report"]
