"""Whether words read as English: not Welsh, not garbled, not a slip of the keys.

The encoder's own WordPiece vocabulary is the dictionary: a word it holds whole, or in two
pieces, is an English word; one it lacks but holds after one edit was mistyped.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from .cuts import bare
from .phrases import is_acronym

_WELSH = frozenset("""
    mae yn yr gyda rhwng iawn ddim angen mwy wedi bod ein eich hefyd gan fel dim rydym roedd
    hyn chi nhw ni sy sydd oedd fod cael gwneud gwaith cymuned cyngor diolch ydy ydi dydy
    efo hwn hon rhaid gilydd partneriaeth partneriaid cyfarfod cyfarfodydd da gwell nid
    oes ydw bydd fydd dylai gallu eisiau arweinyddiaeth glir annibynnol ac yng ngh ond
""".split())


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from .embed import bert_tokenizer  # the encoder's WordPiece vocabulary, loaded once

    return bert_tokenizer()


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Endings that make a word of two vocabulary pieces an ordinary form of the first
# ("pool ##ed", "sharp ##er"), not a slip.
_SUFFIXES = frozenset("##s ##es ##ed ##d ##er ##ers ##ing ##ly ##est ##ment ##ments ##ness "
                      "##ful ##less ##able ##al ##ist ##ists ##ism ##ity".split())


@lru_cache(maxsize=8192)
def misspelt(word: str) -> bool:
    """Whether a word looks like a slip of the keys: the encoder's English vocabulary lacks
    it whole, and one edit inside it (not its first letter: a dropped, added, changed or
    swapped letter) gives a word it holds whole ("comitment", "indepedent", "definately",
    "seperate"). Acronyms, numbers, short words and ordinary endings pass."""
    w = bare(word)
    if len(w) < 5 or not w.isalpha() or is_acronym(word):
        return False
    got = _tokenizer().encode(w, add_special_tokens=False)
    if len(got.ids) < 2:
        return False
    pieces = got.tokens
    if len(pieces) == 2 and len(pieces[0]) >= 4 and pieces[1] in _SUFFIXES:
        return False
    edits: set[str] = set()
    for i in range(1, len(w) + 1):
        edits.add(w[:i] + w[i + 1:])
        edits |= {w[:i] + c + w[i:] for c in _LETTERS}
        if i < len(w):
            edits |= {w[:i] + c + w[i + 1:] for c in _LETTERS}
        if i + 1 < len(w):
            edits.add(w[:i] + w[i + 1] + w[i] + w[i + 2:])
    edits = {e for e in edits if len(e) >= 5 and e != w}
    found = _tokenizer().encode_batch(sorted(edits), add_special_tokens=False)
    return any(len(e.ids) == 1 for e in found)


def in_language(words: Sequence[str]) -> bool:
    """Whether the words read as English: no everyday Welsh word, and each word either one
    the encoder's English vocabulary holds whole or in at most two pieces (acronyms and
    numbers pass), so a Welsh or garbled phrase does not head an English report."""
    plain = [w for w in (bare(w) for w in words if not is_acronym(w)) if w and w[0].isalpha()]
    if not plain:
        return True
    if any(w in _WELSH for w in plain):
        return False
    pieces = [len(e.ids) for e in _tokenizer().encode_batch(plain, add_special_tokens=False)]
    return sum(1 for n in pieces if n <= 2) >= 0.75 * len(plain)



__all__ = ["in_language", "misspelt"]
