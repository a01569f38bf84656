"""Where a run of words cut from an answer loses what it said: the rules `phrases` and
`headings` apply to a candidate label or point beyond its edges.

Each rule is a way a run reads as something the partner did not say, seen in the demo's
reports and the dev sets:

- a quote mark whose partner the run left behind ("Local' indicators were chosen" of
  "The 'local' indicators were chosen by county");
- a subject and one word of what it does or is ("Partners commission", "Targets relate",
  "Minutes late"): a compound takes its first noun singular ("partner directory"), so a
  plural noun and one word more is a clause cut short;
- what a clause says of its subject, cut from the preposition that carries it on
  ("Partnership should plan" of "…should plan for that together", "LSP is supposed" of
  "…is supposed to…", "…were chosen" before "by county");
- what something is likened to, without the likening ("Council committee with guests" of
  "it feels like a council committee with guests").
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .heading_words import (
    AUXILIARIES,
    DETERMINERS,
    EDGE,
    PASSIVE_AUXILIARIES,
    PREPOSITIONS,
    VERB_END,
    VERB_START,
)


@lru_cache(maxsize=1 << 16)  # millions of calls over a few thousand words at 10,000 answers
def bare(word: str) -> str:
    """A word as compared: lower case, straight apostrophe, no trailing apostrophe-s."""
    return word.lower().replace("’", "'").replace("‘", "'").strip("'-/&")


def quotes_paired(words: Sequence[str]) -> bool:
    """Whether the quote marks of a run pair up as in its answer: each quotation it
    opens ("'local'", "'state of the district'") it closes, and it closes none it did
    not open ("local'" of "'local'"). A mark after a plural is its possessive
    ("partners'"), not a quotation's end."""
    inside = False
    for word in words:
        w = word.replace("’", "'").replace("‘", "'")
        if w.startswith("'"):
            if inside:
                return False
            inside, w = True, w[1:]
        if w.endswith("'"):
            if inside:
                inside = False
            elif not w[:-1].lower().endswith("s"):
                return False
    return not inside


# Words that end in -s and are not plurals: they open compounds as any noun does.
NOT_PLURAL = frozenset("""
    news series means species politics economics statistics physics athletics mathematics
    wales lens gas bus plus
""".split())


def plural_noun(word: str) -> bool:
    """Whether a word reads as a plural noun: "partners", "targets", "minutes"."""
    b = bare(word)
    return (len(b) > 3 and b.isalpha() and b.endswith("s") and not word.isupper()
            and not b.endswith(("ss", "us", "is")) and b not in NOT_PLURAL
            and not word.replace("’", "'").endswith("'"))


def subject_cut(words: Sequence[str]) -> bool:
    """Whether two words are a plural noun and one word of what it does or is: "Partners
    commission", "Targets relate", "Organisations happy", "Minutes late". A compound
    takes its first noun singular ("Partner directory"), so this is a clause, and two
    words of it do not say what the partner said of them. A name after it ("Residents
    Panel") or a second plural ("Parish councils") is not this."""
    if len(words) != 2:
        return False
    first, second = words
    return plural_noun(first) and not plural_noun(second) and not second[:1].isupper() \
        and not bare(second).endswith("s")


def counts_things(words: Sequence[str], counts: frozenset[str]) -> bool:
    """Whether a run opens on a number of things ("Three meetings running", "Two
    councils", "Six faces at every meeting", "Three PCT chief execs"): a count followed by
    a plural noun. That is one partner's instance, not a theme a heading names; a count
    that makes a compound ("Two tier local government") is not this."""
    if len(words) < 2 or bare(words[0]) not in counts:
        return False
    for word in words[1:]:
        if plural_noun(word) or (word.isupper() and word.endswith("s")):
            return True
        if not word.isalpha() or bare(word) in PREPOSITIONS:
            return False  # "One of…", a number's noun reached no plural
    return False


# Modals: the word after one is a verb, and a verb there is cut from whatever follows it.
_MODALS = frozenset("""
    will would shall should can could may might must won't wouldn't shouldn't can't
    cannot couldn't mustn't wont wouldnt shouldnt cant couldnt mustnt
""".split())
# After "is", "are", "was"… what the clause says of its subject goes on in "to" or "for"
# ("supposed to…", "planning to…", "responsible for…"), and a passive in "by" (who did it).
# Other prepositions after it add where or how ("Joint commissioning is starting | with
# the VCS contracts"), which the point may leave out.
_CARRIED_ON = frozenset({"to", "for"})


def cut_from_complement(words: Sequence[str], start: int, end: int) -> bool:
    """Whether the run words[start:end] ends on what a clause says of its subject, cut
    from the preposition that carries it on: "Partnership should plan | for that
    together", "LSP is supposed | to…", "Partner is responsible | for…", "indicators
    were chosen | by county"."""
    if end - start < 2 or end >= len(words):
        return False
    before, after = bare(words[end - 2]), bare(words[end])
    if after not in PREPOSITIONS:
        return False
    return (before in _MODALS or (before in AUXILIARIES and after in _CARRIED_ON)
            or (before in PASSIVE_AUXILIARIES and after in _CARRIED_ON | {"by"}))


# Verbs that say what something seems or is, and the words that grade a likeness ("just
# like", "more like", "a bit like"): "like" after one likens, rather than lists examples
# ("things like joint training") or says what someone wants ("we'd like a target…").
_LIKENING = frozenset("""
    is are was were be been being it's that's feel feels felt feeling look looks looked
    looking seem seems seemed sound sounds sounded just more bit
""".split())


def likened(words: Sequence[str], start: int) -> bool:
    """Whether a run starting at words[start] is what something is likened to: after
    "feels like", "is like", "more like" (past any articles), or after "than" or
    "unlike". "Council committee with guests", alone, is what the partner said the
    partnership is not."""
    k = start - 1
    while k >= 0 and bare(words[k]) in DETERMINERS:
        k -= 1
    if k < 0:
        return False
    word = bare(words[k])
    if word in ("than", "unlike"):
        return True
    return word == "like" and k > 0 and bare(words[k - 1]) in _LIKENING


# A particle and the preposition after it that a single word completes as one state:
# "up to date", "up to speed", "out of date", "out of touch".
_STATES = frozenset({("up", "to"), ("out", "of")})


def completes_a_state(words: Sequence[str], start: int) -> bool:
    """Whether a run starting at words[start] opens on the one word that completes "up
    to…" or "out of…" before it: "Date every year" of "keeps it up to date every year",
    "Date by the partnership officer" of "kept up to date by the partnership officer" read
    as if a date were the point. A longer object after them is a noun phrase of its own
    ("signed up to joint commissioning" gives "Joint commissioning")."""
    if start < 2 or (bare(words[start - 2]), bare(words[start - 1])) not in _STATES:
        return False
    return start + 1 == len(words) or bare(words[start + 1]) in EDGE


# Verbs that give something to someone: what follows their object in "to" says to whom,
# and belongs to the verb.
_GIVING = frozenset("""
    give gives gave given giving hand hands handed pass passes passed send sends sent
    assign assigns assigned allocate allocates allocated refer refers referred
""".split())


def verb_left_behind(words: Sequence[str], start: int, end: int) -> bool:
    """Whether the run words[start:end] opens on the object of a verb just before it
    and carries on into what completes that verb: "as…" after any verb, "to…" after one
    that gives. "Annual board as an observer" of "attends the annual board as an
    observer" and "Problem to one agency" of "gives each problem to one agency" (demo
    points) read as if the board or the problem were the point; the verb was. So does
    "Room as council officers" of "in the same room as council officers", the likeness
    cut from its "same". A run that stops before the "as" or "to" is a noun phrase of its
    own."""
    k = start - 1
    while k >= 0 and (bare(words[k]) in DETERMINERS or bare(words[k]) in ("each", "every")):
        k -= 1
    if k < 0:
        return False
    before = bare(words[k])
    within = {bare(w) for w in words[start + 1:end]}
    if before == "same":
        return "as" in within
    if before in _GIVING and "to" in within:
        return True
    verb = before in VERB_END or before in VERB_START or (len(before) > 4
                                                          and before.endswith("ed"))
    return verb and "as" in within


def stops_before_whom(words: Sequence[str], start: int, end: int) -> bool:
    """Whether the run words[start:end] holds a verb that gives and its object, and
    stops before the "to…" that says to whom: "Tasking group gives each problem" of
    "…gives each problem to one agency" (the demo's point once verb_left_behind refused
    "Problem to one agency")."""
    if end >= len(words) or bare(words[end]) != "to":
        return False
    return any(bare(w) in _GIVING for w in words[start:end - 1])


__all__ = ["NOT_PLURAL", "bare", "completes_a_state", "counts_things", "cut_from_complement",
           "likened", "plural_noun", "quotes_paired", "stops_before_whom", "subject_cut",
           "verb_left_behind"]
