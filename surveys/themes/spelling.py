"""Slips of typing put right before a text is embedded, from the model's own vocabulary.

A phone's "goverment", "definately", "comitment" or "thier" is cut by the tokenizer into
pieces that mean nothing ("gove ##rm ##ent"), so the answer loses its key word. A word the
vocabulary lacks is replaced by the most frequent vocabulary word one slip away, where a
slip is one of the ways people mistype: two letters swapped, a letter doubled or not, a
vowel for another in a long word, a letter dropped or added inside a long word. The first
letter and the ending are never touched, so real words the vocabulary lacks ("remit",
"silos", "churn", "devolved") are not "corrected" into others ("remix", "silas").
A word that is a vocabulary word plus a common ending ("tasking", "signposting") is a word.
The vocabulary is BERT's (`data/minilm-vocab.txt`), in which a lower line is a more
frequent word; nothing else is read.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

VOCAB = Path(__file__).parent / "data" / "minilm-vocab.txt"  # embed.VOCAB_FILE reads it too
VOWELS = "aeiou"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ENDINGS = ("s", "es", "ed", "d", "ing", "ly", "er", "ers", "ment", "ments", "ness", "ful",
           "ise", "ised", "ises", "ising", "isation", "isations", "al", "ally", "ism", "ist")
MIN_LETTERS = 5  # shorter words are too often acronyms or other real words
LONG = 8  # a vowel slip, a dropped or added letter: only in words at least this long
KEEP_END = 2  # letters at the end never edited (endings make other real words: "remit")


@lru_cache(maxsize=1)
def whole_words() -> dict[str, int]:
    """Every whole word (letters only, no "##" piece) of the model's vocabulary and its rank
    (lower is more frequent); read once, shared with `wordforms`."""
    out: dict[str, int] = {}
    with VOCAB.open(encoding="utf-8") as handle:
        for rank, line in enumerate(handle):
            word = line.rstrip("\n")
            if word.isalpha():
                out.setdefault(word, rank)
    return out


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, int]:
    """The plain-English (ASCII) whole words of the vocabulary and their rank."""
    return {w: rank for w, rank in whole_words().items() if w.isascii()}


def _is_word(word: str, vocab: dict[str, int]) -> bool:
    if word in vocab:
        return True
    for end in ENDINGS:
        stem = word[: -len(end)]
        if word.endswith(end) and len(stem) >= 3:
            # "tripping" is "trip" + "ing", its last letter doubled
            if stem in vocab or (stem[-1] == stem[-2] and stem[:-1] in vocab):
                return True
    return False


def _slips(word: str) -> set[str]:
    """Words one typing slip away from `word` (first letter and ending kept)."""
    out: set[str] = set()
    n = len(word)
    last = n - KEEP_END  # edits happen at positions 1 .. last-1
    for i in range(1, last):
        a, b = word[:i], word[i:]
        if i + 1 < n:  # two letters swapped: "thier", "acheive"
            out.add(a + b[1] + b[0] + b[2:])
        if b[0] == word[i - 1]:  # a doubled letter undone: "accross"
            out.add(a + b[1:])
        else:  # a letter not doubled: "comitment"
            out.add(a + word[i - 1] + b)
        if n >= LONG:
            if word[i] in VOWELS:  # a vowel for another: "definately", "seperate"
                out.update(a + v + b[1:] for v in VOWELS if v != word[i])
            out.add(a + b[1:])  # a letter too many
            out.update(a + c + b for c in LETTERS)  # a letter dropped: "goverment"
    out.discard(word)
    return out


@lru_cache(maxsize=8192)
def respell(word: str) -> str:
    """The word as meant: itself, or the most frequent vocabulary word one slip away."""
    low = word.lower()
    if len(low) < MIN_LETTERS or not low.isalpha() or not low.isascii() or word.isupper():
        return word
    vocab = vocabulary()
    if _is_word(low, vocab):
        return word
    found = [w for w in _slips(low) if w in vocab]
    if not found:
        return word
    meant = min(found, key=lambda w: (vocab[w], w))
    return meant.capitalize() if word[0].isupper() else meant
