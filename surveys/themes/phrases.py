"""Phrases partners wrote, and whether one could stand as a theme's label or a point under it.

A candidate is a run of two to six words inside one clause of an answer (never across a
comma, a full stop or a bracket), kept exactly as written, so every label and point of a
new theme is something a partner said. `is_label` holds the rules a person would apply to
a heading: a phrase in the report's language that does not open or close on a function
word, a negation or a pronoun, is not a list of acronyms and does not restate the question.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .cuts import (
    bare,
    completes_a_state,
    cut_from_complement,
    likened,
    plural_noun,
    stops_before_whom,
    verb_left_behind,
)
from .heading_words import (
    AUXILIARIES,
    BE,
    BREAKS,
    CLAUSE_VERBS,
    DETERMINERS,
    EDGE,
    INTENSIFIERS,
    NEGATIONS,
    OBJECTS,
    PASSIVE_AUXILIARIES,
    PREPOSITIONS,
    PRONOUNS,
    RELATIVES,
    SUBORDINATORS,
    VERB_END,
    VERB_START,
)

MIN_WORDS = 2
MAX_WORDS = 6

# A word may open a quotation ("'local'"), so that a run holding one keeps both its marks.
WORD = re.compile(r"['‘]?[^\W_][\w'’&/-]*", re.UNICODE)
# Where a clause ends: punctuation, brackets, dashes between spaces, line ends.
_CLAUSE = re.compile(r"[,;:.!?()\[\]{}\"“”…•|]+|\s[-–—]+\s|[\r\n]+")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,6}s?$")


def stem(word: str) -> str:
    """A cheap stem: the first five letters of the bare word (joins fund/funding/funded)."""
    return bare(word)[:5]


def is_edge(word: str) -> bool:
    """Whether a heading may not open or close on this word (possessives count: nobody's)."""
    b = bare(word)
    return b in EDGE or b.removesuffix("'s") in EDGE


def is_acronym(word: str) -> bool:
    """LAA, NIs, SCS, PCT: capitals (and digits), perhaps a plural s."""
    return bool(_ACRONYM.match(word))


def clauses(text: str) -> list[list[str]]:
    """The word lists of a text's clauses, as written."""
    return [words for part in _CLAUSE.split(text) if (words := WORD.findall(part))]


def _lists(text: str) -> list[tuple[bool, int]]:
    """For each of `clauses(text)`: whether a list carries on past its end, and how many of
    its first words are the later items of a list an earlier clause opened under a head.

    A list carries on when a clause ends on a comma and what follows is more items, short
    and verbless, until one that joins the last with "and" or "or" ("…between public,
    private and voluntary sectors is…"). When the clause that opens it holds a preposition
    before its last word (the list is what "between" governs), the items after the first
    are only the rest of that list: "Private and voluntary sectors" is no point of its own.
    """
    parts = _CLAUSE.split(text)
    marks = _CLAUSE.findall(text)  # marks[k] ends parts[k]
    goes_on: dict[int, bool] = {}
    tails: dict[int, int] = {}
    for k, part in enumerate(parts):
        words = WORD.findall(part)
        if not words:
            continue
        goes_on[k] = False
        n = k
        rest: dict[int, int] = {}
        while n < len(marks) and marks[n].strip() == ",":
            after = WORD.findall(parts[n + 1])
            head: list[str] = []
            for w in after:  # the item's words, up to its verb
                if verb_like(w) or bare(w) in NEGATIONS:
                    break
                head.append(bare(w))
            rest[n + 1] = len(head)
            if any(w in ("and", "or") for w in head[:4]):
                goes_on[k] = True
                break
            if not after or len(head) < len(after) or len(after) > 3:
                break  # not an item of a list
            n += 1
        governed = any(bare(w) in PREPOSITIONS for w in words[:-1])
        if goes_on[k] and governed and k not in tails:
            for m, items in rest.items():
                tails.setdefault(m, items)
    return [(goes_on[k], tails.get(k, 0)) for k in sorted(goes_on)]


def has_governed_list(text: str) -> bool:
    """Whether a text holds a list a preposition governs, whose later items `candidates`
    leaves out: "Networking between public, private and voluntary sectors…" (`_lists`)."""
    return any(items for _, items in _lists(text))


@dataclass(frozen=True)
class Phrase:
    """A run of words as a partner wrote it, and its stems for comparing."""

    text: str
    stems: tuple[str, ...]

    @property
    def words(self) -> list[str]:
        """The words, as written."""
        return self.text.split()


def candidates(text: str, min_words: int = MIN_WORDS,
               max_words: int = MAX_WORDS) -> Iterator[Phrase]:
    """Every run of min..max words in one clause of text whose edges are not EDGE words
    and that does not stop short of the noun it leads to ("council gets asked awkward"
    before "questions", "ambitions for older" before "people")."""
    for words, (list_goes_on, items) in zip(clauses(text), _lists(text), strict=True):
        denied = False  # a negation earlier in the clause holds what follows in its scope
        for start, first in enumerate(words):
            if start < items:
                continue  # "Private and voluntary sectors" of "between public, private and…"
            if start and _denies(words[start - 1]):
                denied = True
            # "…would not have got past the first round without the LSP" does not give
            # "First round without the LSP", which says nearly the opposite.
            subject = start == 0 and (said_of_all(words) or none_of(words))
            if denied or (is_edge(first) and not subject) or _negated(words, start) or (
                    start and bare(words[start - 1]) in INTENSIFIERS):
                continue  # "too big for discussion" does not give "big for discussion"
            if start and not _opens(words[start - 1]):
                continue  # "planting week" out of "the tree planting week"
            if _in_contact_clause(words, start):
                continue  # "Chose have no local data" of "some of the NIs we chose have…"
            if start and _said_of_a_subject(words, start):
                continue  # "People's homes every day" of "we're in people's homes every day"
            if likened(words, start):
                continue  # "council committee with guests" of "it feels like a council…"
            if completes_a_state(words, start):
                continue  # "Date every year" of "keeps it up to date every year"
            # "Project means going cap in hand" of "every project means going cap in hand":
            # without its "every" or "each" the subject reads as one project.
            spread = start > 0 and bare(words[start - 1]) in ("every", "each")
            governed = _after_preposition(words, start)
            for end in range(start + min_words, min(len(words), start + max_words) + 1):
                if is_edge(words[end - 1]) or (end < len(words) and not _closes(words[end])):
                    continue
                if end == len(words) - 1 and not is_edge(words[end]):
                    continue  # "…of the healthy lifestyles" before its clause's last "work"
                if end + 1 < len(words) and bare(words[end + 1]) == bare(words[end - 1]):
                    continue  # "housing figures ward" of "ward by ward"
                if _object_cut(words, start, end):
                    continue  # "Reducing reoffending needs probation" of "…probation and police"
                if end < len(words) and _in_contact_clause(words, end - 1):
                    continue  # "NIs we chose" of "the NIs we chose have no local data"
                if cut_from_complement(words, start, end):
                    continue  # "partnership should plan" of "…should plan for that together"
                if verb_left_behind(words, start, end) or stops_before_whom(words, start, end):
                    continue  # "Problem to one agency" of "gives each problem to one agency"
                if end < len(words) and bare(words[end]) == "as" and end - start > 2 \
                        and bare(words[end - 2]) in PASSIVE_AUXILIARIES:
                    continue  # "Business needs to be seen" of "…be seen as a leader"
                run = words[start:end]
                if list_goes_on and end == len(words) and any(
                        bare(w) in PREPOSITIONS for w in run[:-1]):
                    continue  # "Networking between public" of "…public, private and voluntary"
                if spread and _has_verb(run):
                    continue
                if subject and is_edge(first):
                    # A clause said of everyone or no one is a point whole, or not at all:
                    # "Nobody reads" or "Everyone brings their" would be cut mid-clause.
                    if end == len(words):
                        yield Phrase(" ".join(run), tuple(stem(w) for w in run))
                    continue
                if governed and any(_finite(w) for w in run):
                    continue  # "Board don't make it back" of "Actions agreed at the board…"
                if _spans_verb_and_object(run) or any(bare(w) in SUBORDINATORS
                                                      for w in run[1:]):
                    continue  # "Answers if targets", "Standing groups that meet forever"
                if end < len(words) and bare(words[end]) in ("and", "or") and any(
                        bare(w) == "between" for w in run):
                    continue  # "links between district" of "between district and county"
                yield Phrase(" ".join(run), tuple(stem(w) for w in run))


# Kept: a theme's candidates are gathered from its points, and a point is in a draft of
# each theme it joins at every describing (the first naming and the settled one).
@lru_cache(maxsize=1 << 14)
def candidates_of(text: str) -> tuple[Phrase, ...]:
    """`candidates` of a text (the default lengths), kept."""
    return tuple(candidates(text))


def _opens(word: str) -> bool:
    """Whether a run may start right after this word: a function word, an auxiliary or a
    verb ends what came before; after any other content word the run would start in the
    middle of a noun phrase ("planting week" of "tree planting week", "sector person")."""
    b = bare(word)
    if b in RELATIVES or b in OBJECTS:
        return False  # "benefit from the LSP are keen" of "partners who benefit from…"
    return (is_edge(word) or b in AUXILIARIES or b in VERB_START or b.endswith("n't")
            or b in VERB_END)


def _closes(word: str) -> bool:
    """Whether a run may stop right before this word: where a new part of the clause
    begins (a conjunction, a preposition, a verb or an auxiliary), never before an
    article or a number that opens the object ("by disbanding the…", "from day one"), a
    pronoun, a particle ("read out") or a content word that carries the phrase on."""
    b = bare(word)
    return (b in BREAKS or b in AUXILIARIES or b in VERB_START or b in VERB_END
            or b.endswith("n't") or b in NEGATIONS)


def _spans_verb_and_object(words: Sequence[str]) -> bool:
    """"voluntary sector a seat", "partnership has a track": an article straight after a
    content word (not a preposition) means the run crosses from a subject into what a
    verb did to something; a heading or a point is one noun phrase."""
    for k in range(1, len(words)):
        if bare(words[k]) in ("a", "an", "the") and not is_edge(words[k - 1]) \
                and not bare(words[k - 1]).endswith("ing"):
            return True
    return False


def _object_cut(words: Sequence[str], start: int, end: int) -> bool:
    """Whether the run words[start:end] says what a subject does to something and stops
    at an "and" or "or" that joins a second thing to it: "Reducing reoffending needs
    probation | and police together" names half of what the partner said it needs. An
    "and" before a new clause ("…comes back and nobody asks") or a verb is not this."""
    if end + 1 >= len(words) or bare(words[end]) not in ("and", "or"):
        return False
    after = words[end + 1]
    if is_edge(after) or verb_like(after) or bare(after) in NEGATIONS:
        return False
    return any(_finite(w) or bare(w) in CLAUSE_VERBS for w in words[start + 1:end - 1])


# Pronouns that are a clause's subject: the word after one is its verb.
_SUBJECT_PRONOUNS = frozenset("i we they you he she".split())


def _in_contact_clause(words: Sequence[str], start: int) -> bool:
    """Whether a run starting at words[start] opens on the verb of a relative clause
    that left out its "that": a noun, a subject pronoun, the verb ("the NIs we chose
    have no local data", "the targets they set are…"). What follows the verb is said
    of the noun before the pronoun, so the run ("Chose have no local data") has lost
    both what it is about and who chose."""
    if start < 2 or bare(words[start - 1]) not in _SUBJECT_PRONOUNS:
        return False
    noun = bare(words[start - 2])
    return not is_edge(noun) and noun not in BREAKS and noun not in AUXILIARIES \
        and not noun.endswith(("ly", "n't")) and not verb_like(noun)


def _said_of_a_subject(words: Sequence[str], start: int) -> bool:
    """Whether a run starting at words[start] opens what a form of "be" says of a subject
    before it: right after it ("seen as a leader" of "be seen as a leader"), or as the
    object of a preposition after it ("people's homes every day" of "we're in people's
    homes every day"). "A talking shop" after "is" is a noun phrase, and stays, as does
    what "there is" or "there have been" says exists ("genuine attempts at joint working")."""
    k = start - 1
    if bare(words[k]) in BE:
        return not any(bare(w) == "there" for w in words[max(0, k - 2):k])
    while k >= 0 and bare(words[k]) in DETERMINERS:
        k -= 1
    return k >= 1 and bare(words[k]) in PREPOSITIONS and bare(words[k - 1]) in BE


def _after_preposition(words: Sequence[str], start: int) -> bool:
    """Whether a run starting at words[start] opens a preposition's object ("at the
    board"): a verb in it then belongs to a subject the run left behind."""
    k = start - 1
    while k >= 0 and bare(words[k]) in DETERMINERS:
        k -= 1
    return k >= 0 and bare(words[k]) in PREPOSITIONS


# Pronouns that open a clause as its subject and say who it holds for: "Everyone brings
# their own figures", "Nobody reads the minutes". The clause is what a partner said (a
# point); cut after the pronoun ("brings their own figures") it opens on a verb, and
# "reads the minutes" after "nobody" says the opposite, so no point was left of either.
_SUBJECTS = frozenset("everyone everybody nobody someone somebody everything nothing".split())


def none_of(words: Sequence[str]) -> bool:
    """Whether a clause is "no" and a noun phrase, whole: "No feedback", "No induction
    pack". It says what is missing; "no" inside a clause ("…with no budget to spend")
    is not this."""
    return 2 <= len(words) <= MAX_WORDS and bare(words[0]) == "no" \
        and not any(verb_like(w) or bare(w) in NEGATIONS for w in words[1:]) \
        and not is_edge(words[-1])


def said_of_all(words: Sequence[str]) -> bool:
    """Whether a clause opens on a pronoun of `_SUBJECTS` and its verb ("Nobody reads…",
    "Everything takes…", "Everyone's got…"): such a pronoun agrees with a verb ending in
    -s, an auxiliary or a past form, so "nobody else" or "everyone involved" is not it."""
    if len(words) < 3:
        return False
    first = bare(words[0])
    if first.removesuffix("'s") in _SUBJECTS and first.endswith("'s"):
        return True  # "Everyone's got their own targets"
    if first not in _SUBJECTS:
        return False
    verb = bare(words[1])
    return (_finite(verb) or verb in VERB_START or verb in CLAUSE_VERBS
            or (verb.endswith("s") and not verb.endswith(("ss", "us", "is")) and len(verb) > 3)
            or (len(verb) > 4 and verb.endswith("ed")))


# Who a partner says did something: "We responded to the community strategy
# consultation", "I sit on the health board".
_DOERS = frozenset("i we they you".split())


def only_what_was_done_to(phrase: str, text: str) -> bool:
    """Whether a noun phrase stands in text only as what someone did something to: in
    every clause that holds it, after "we", "I", "they" or "you" and a verb ("We
    responded to the community strategy consultation and never heard…"). Listed alone
    ("Community strategy consultation") it names what the partner spoke of, not what
    they said of it. A phrase with a verb of its own says something, and is kept."""
    mine = [bare(w) for w in phrase.split()]
    if not mine or any(verb_like(w) for w in mine):
        return False
    found = False
    for _, said, k, _ in _places(mine, text):
        before = said[:k]
        doer = next((n for n, w in enumerate(before) if w in _DOERS), -1)
        # The phrase is what was done to when an article, a possessive or a
        # preposition leads it in ("…to the consultation"); after "we can now" it
        # is the doing itself ("share data").
        led = bool(before) and (before[-1] in DETERMINERS or before[-1] in PREPOSITIONS)
        if doer < 0 or not led or not any(verb_like(w) or w.endswith("s")
                                          for w in before[doer + 1:]):
            return False
        found = True
    return found


def _places(mine: Sequence[str], text: str) -> Iterator[tuple[list[str], list[str], int, int]]:
    """Every place the bare words `mine` stand in a clause of text: the clause's words,
    their bare forms, and where the phrase starts and ends."""
    for words in clauses(text):
        said = [bare(w) for w in words]
        for k in range(len(said) - len(mine) + 1):
            if said[k:k + len(mine)] == list(mine):
                yield words, said, k, k + len(mine)


# Opening a clause that is the object of a verb before it: "Recognise what the voluntary
# sector contributes in its own right".
_WH = frozenset("what how whether why".split())


def said_otherwise(phrase: str, text: str) -> bool:
    """Whether a phrase stands in text only where, listed alone, it would not say what the
    partner said: as the subject of a denied verb, the next word negating ("Actions agreed
    at meetings don't get done and nobody chases them": "Actions agreed at meetings" says
    the opposite), or as the statement inside what a verb before it asks for ("Recognise
    what the voluntary sector contributes": "Voluntary sector contributes" is clipped)."""
    mine = [bare(w) for w in phrase.split()]
    found = False
    for words, said, k, end in _places(mine, text):
        j = k - 1
        while j >= 0 and is_edge(words[j]) and said[j] not in _WH:
            j -= 1
        inside = j >= 1 and said[j] in _WH
        # "One part-time officer supporting the whole partnership isn't enough" says
        # how much, not that there is none.
        denied = end < len(words) and _denies_its_verb(words[end:end + 3])
        if not inside and not denied:
            return False
        found = True
    return found


def _denies_its_verb(after: Sequence[str]) -> bool:
    """Whether the words after a subject deny its verb: "don't get done", "never come",
    "are not done", "can't flex". Not "not just national ones" (a contrast after a whole
    point) nor "isn't enough", which says how much, not that there is none ("One
    part-time officer supporting the whole partnership isn't enough")."""
    said = [bare(w) for w in after]
    if not said:
        return False
    first = said[0]
    if first in AUXILIARIES and len(said) > 1 and said[1] in ("not", "never"):
        return len(said) < 3 or said[2] not in ("enough", "just", "only")
    if (first.endswith(("n't", "nt")) and first in NEGATIONS | AUXILIARIES) or first in (
            "never", "cannot"):
        return len(said) < 2 or said[1] not in ("enough", "just", "only")
    return False


def whole_clause_of(words: Sequence[str], text: str) -> bool:
    """Whether some words are a whole clause of a text as its partner punctuated it, and
    not an item of a list there: "The council each look at the plan" is a piece of "If the
    police, health and the council each look at the plan"; "Pull the thematic groups", of
    "…pull the thematic groups and the board into one working whole"."""
    mine = [bare(w) for w in words]
    for said, (goes_on, items) in zip(clauses(text), _lists(text), strict=True):
        if [bare(w) for w in said] == mine:
            return not goes_on and not items
    return False


def _has_verb(run: Sequence[str]) -> bool:
    """Whether a run after its subject holds a verb: a listed or auxiliary one, an -ed or
    -ing form, or a singular subject's -s form ("member understands their role")."""
    if any(verb_like(w) or bare(w) in CLAUSE_VERBS for w in run[1:]):
        return True
    second = bare(run[1]) if len(run) > 1 else ""
    return not plural_noun(run[0]) and len(second) > 3 and second.endswith("s") \
        and not second.endswith(("ss", "us", "is"))


def _finite(word: str) -> bool:
    """An auxiliary or a negated one: "don't", "is", "can"."""
    b = bare(word)
    return b in AUXILIARIES or b.endswith("n't")


def _denies(word: str) -> bool:
    """Whether a word negates what follows it: "not", "never", "nobody", "can't"…"""
    b = bare(word)
    return b in NEGATIONS or b.endswith("n't")


def _negated(words: Sequence[str], start: int) -> bool:
    """Whether a negation stands just before words[start] (past any function words): "not
    a great deal" must not yield "great deal", which says the opposite."""
    k = start - 1
    while k >= 0 and is_edge(words[k]):
        if bare(words[k]) in NEGATIONS or bare(words[k]).endswith("n't"):
            return True
        k -= 1
    return False


def content_stems(text: str) -> set[str]:
    """Stems of the words of a text that are not EDGE words."""
    return {stem(w) for w in WORD.findall(text) if not is_edge(w)}


@lru_cache(maxsize=1 << 15)  # asked of the same answers and points many times over
def flat(text: str) -> str:
    """A text as `occurs_in` compares it: its bare words, space-separated and padded, so
    that a phrase's flat form is found in a text's only at word boundaries."""
    return " " + " ".join(bare(w) for w in WORD.findall(text)) + " "


def occurs_in(phrase: str, text: str) -> bool:
    """Whether the phrase's words appear in order in text, ignoring case and punctuation."""
    return flat(phrase) in flat(text)


# Everyday Welsh words that are not English ones: a phrase with one is not an English heading.


def verb_like(word: str) -> bool:
    """Whether a word is (or may be) a verb: a listed one, an auxiliary, or an -ed or
    -ing form."""
    b = bare(word)
    return (b in VERB_END or b in VERB_START or b in AUXILIARIES
            or (len(b) > 4 and b.endswith(("ed", "ing"))))



def restates(phrase: str, question: str) -> bool:
    """Whether a phrase only says the question again: each of its content words is one
    of the question's ("Evidence based" under "Top down objectives, evidence based")."""
    own = content_stems(phrase)
    return bool(question) and bool(own) and own <= content_stems(question)


__all__ = [
    "EDGE",
    "PRONOUNS",
    "Phrase",
    "bare",
    "candidates",
    "candidates_of",
    "clauses",
    "content_stems",
    "flat",
    "has_governed_list",
    "is_acronym",
    "is_edge",
    "none_of",
    "occurs_in",
    "only_what_was_done_to",
    "restates",
    "said_of_all",
    "stem",
    "verb_like",
]
