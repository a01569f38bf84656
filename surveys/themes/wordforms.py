"""Word forms a heading cannot end on, found from the encoder's English vocabulary.

"Creating a stronger" (of "creating a stronger, more joined-up partnership") lost its noun
at a comma. A comparative or superlative ("stronger", "closest") never ends a noun phrase,
and neither does a gradable adjective straight after an article ("a strong"). Rather than a
list of adjectives, a word is taken as graded when the vocabulary holds its base and both
its -er form and its -est or -ly form whole: "stronger" (strong, stronger, strongly) is,
"leader" (lead, leader, but neither "leadest" nor "leadly") and "number" are not.
"""

from __future__ import annotations

from functools import lru_cache

from .spelling import whole_words


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    return frozenset(whole_words())  # the encoder's whole words, read once (spelling.py)


def _degrees(base: str) -> list[tuple[str, str, str]]:
    """The -er, -est and -ly forms a base adjective may take: strong, wide, easy, big."""
    forms = [(base + "er", base + "est", base + "ly")]
    if base.endswith("e"):
        forms.append((base + "r", base + "st", base + "ly"))
    if base.endswith("y"):
        forms.append((base[:-1] + "ier", base[:-1] + "iest", base[:-1] + "ily"))
    if len(base) > 2 and base[-1] not in "aeiouwxy":
        forms.append((base + base[-1] + "er", base + base[-1] + "est", base + "ly"))
    return forms


def _bases(word: str) -> set[str]:
    """The base adjectives a word could be the -er or -est form of."""
    out = set()
    for ending in ("er", "est"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[:-len(ending)]
            out |= {stem, stem + "e"}
            if stem.endswith("i"):
                out.add(stem[:-1] + "y")
            if stem[-1] == stem[-2]:
                out.add(stem[:-1])
    return out


def gradable(word: str) -> bool:
    """Whether a word is an adjective with a whole -er form and a whole -est or -ly form
    ("strong", "clear", "wide")."""
    vocab = _vocabulary()
    w = word.lower()
    return w in vocab and any(c in vocab and (s in vocab or ly in vocab)
                              for c, s, ly in _degrees(w))


@lru_cache(maxsize=8192)
def graded(word: str) -> bool:
    """Whether a word is the comparative or superlative of an adjective ("stronger",
    "closest", "easier", "bigger"); nouns in -er ("partner", "leader") are not."""
    vocab = _vocabulary()
    w = word.lower()
    return w in vocab and any(
        base in vocab and any(w in (c, s) and c in vocab and (s in vocab or ly in vocab)
                              for c, s, ly in _degrees(base))
        for base in _bases(w))


__all__ = ["gradable", "graded"]
