"""Whether a phrase partners wrote could head a theme in a published report, or be listed
as a point under one, and how it is written there.

`is_label` holds the rules a person would apply to a heading: a phrase in the report's
language that does not open or close on a function word, a negation or a pronoun, is not
a list of acronyms, is not a clause cut short and does not restate the question.
"""

from __future__ import annotations

import re

from .cuts import bare, counts_things, plural_noun, quotes_paired, subject_cut
from .embed import SHORTHAND
from .heading_words import (
    AUXILIARIES,
    BE,
    BODIES,
    BREAKS,
    CLAUSE_VERBS,
    COUNTS,
    DANGLING,
    DETERMINERS,
    FLOATING,
    GAINS,
    HOW_OFTEN,
    INSTANCE_BODIES,
    LY_NOUNS,
    NEGATIONS,
    NO_HEADING,
    NOUNS_TOO,
    OCCASIONS,
    PARTICLES,
    PASSIVE_AUXILIARIES,
    PEOPLE,
    PLACES,
    PREPOSITIONS,
    PRONOUNS,
    SELDOM,
    SPANS,
    SUBORDINATORS,
    VERB_END,
    VERB_START,
    WH,
    WISHED,
)
from .language import in_language, misspelt
from .phrases import (
    MAX_WORDS,
    MIN_WORDS,
    WORD,
    is_acronym,
    is_edge,
    none_of,
    restates,
    said_of_all,
    stem,
    verb_like,
)
from .wordforms import gradable, graded

# one side only ("Healthy challenge and borough" of "healthy challenge and borough does
# housing", where the answer's two points met).
COORDINATORS = frozenset("and or nor plus & + /".split())


def coordinated(phrase: str) -> bool:
    """Whether a phrase joins two runs with and, or, plus, & (not at its edges)."""
    words = phrase.split()
    return any(w.lower() in COORDINATORS for w in words[1:-1])



def past(word: str) -> bool:
    """Whether a word reads as a past tense or participle: a regular -ed form."""
    b = bare(word)
    return len(b) > 4 and b.endswith("ed") and not b.endswith("ceed") and b != "indeed"


def verb_and_object(words: list[str]) -> bool:
    """Whether a run is a subject, a verb in -s and the verb's object: "Board checks each
    partner's offer", "Council runs the meetings". A singular noun before a word in -s
    that a determiner follows makes that word its verb, and the determiner opens its
    object. A compound's plural in -ings ends a noun phrase ("Board meetings every
    quarter"), and a determiner before a span opens when, not what ("Honest feedback each
    spring" has no -s; "Partnership meets every month" is kept so). "Whoever takes the
    chair" names someone: a clause on "whoever", "whatever" is a noun phrase."""
    for k in range(1, len(words) - 2):
        subject, verb, det, head = (bare(w) for w in words[k - 1:k + 3])
        if (verb.endswith("s") and not verb.endswith(("ss", "'s", "ings")) and verb.isalpha()
                and not words[k][:1].isupper() and not is_edge(words[k - 1])
                and not plural_noun(words[k - 1]) and subject.isalpha()
                and not subject.endswith("ever")
                and (det in DETERMINERS or det in ("each", "every"))
                and head not in SPANS):
            return True
    return False


def is_label(phrase: str, question: str = "", point: bool = False) -> bool:
    """Whether a phrase could head a theme in a report a person would publish (or, with
    `point`, be listed after one: then a pronoun or auxiliary inside is allowed)."""
    words = phrase.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return False
    if (is_edge(words[0]) and not (point and (said_of_all(words) or none_of(words)))) \
            or is_edge(words[-1]):
        return False
    if any(bare(w) in SHORTHAND for w in words) or (not point and any(
            bare(w) in PRONOUNS or bare(w).removesuffix("'s") in PRONOUNS
            or bare(w) in AUXILIARIES for w in words)):
        return False
    if not point and any(bare(w) in BE for w in words):
        return False  # "Realise it's the same six estates": a sentence, not a heading
    if not point and len(words) > 2 and plural_noun(words[0]) and past(words[1]) \
            and bare(words[2]) not in PREPOSITIONS:
        return False  # "Minutes arrived three weeks" (…late): a clause cut short; not
        # "Targets agreed with partners", a participle and where it came from
    if any(bare(w) in WH for w in words):  # "Clear what the LSP": a clause cut short
        return False
    if not point and any(bare(w) in NO_HEADING for w in words):
        return False  # "Link it to the LAA", "Council April" (of "council April, college…")
    if not point and all(bare(w) in BODIES or bare(w) in COORDINATORS for w in words):
        return False  # "Local authority", "Hospital trust": who, not what was said
    if any(bare(w) in SUBORDINATORS for w in words[1:]):  # "Hackathon but with tea"
        return False
    if all(bare(w) in SPANS or bare(w) in COUNTS or is_edge(w) for w in words):
        return False  # "Three years", "Two weeks": how long, not what
    if not point and counts_things(words, COUNTS):
        return False  # "Three meetings running": how many at one partner's table
    if bare(words[0]) in SPANS and bare(words[1]).endswith("ing"):
        return False  # "Year arguing about the starting figures" of "spent a year arguing…"
    if not point and len(words) > 4 and any(bare(w) in CLAUSE_VERBS for w in words[1:]):
        return False  # "Decisions still follow whoever shouts loudest": a quote, not a heading
    said = [stem(w) for w in words if not is_edge(w)]
    if len(said) != len(set(said)):  # "Money no money", "LAA LAA"
        return False
    first, last = bare(words[0]), bare(words[-1])
    if first in VERB_START or first[:1].isdigit() or last[:1].isdigit():
        return False
    if first in HOW_OFTEN:  # "Once by the district": how often, not what
        return False
    # "Councillors all expecting" (…to be asked): the subject, a floating "all" and the
    # verb, cut before what they expected.
    if len(words) > 2 and bare(words[-2]) in FLOATING and not is_edge(words[-3]) \
            and last.endswith("ing") and len(last) > 5:
        return False
    if any(w.endswith("ly") and len(w) > 4 and w not in LY_NOUNS for w in (first, last)):
        return False  # "Partly because…", "…working closely"
    # A phrase ending on "…ed" has usually lost what followed ("Council committee made up");
    # a point may end on a passive after its auxiliary: "Business hasn't been engaged".
    passive = point and len(words) > 2 and bare(words[-2]) in PASSIVE_AUXILIARIES
    if last in DANGLING or (last.endswith("ed") and len(last) > 4 and not passive):
        return False
    # "Creating a stronger" (of "creating a stronger, more joined-up…"): a comparative, or
    # an adjective straight after an article, has lost the noun it qualified.
    if graded(last) or (len(words) > 1 and bare(words[-2]) in ("a", "an", "the")
                        and gradable(last)):
        return False
    # A possessive belongs to the noun after it: "Volunteers and residents'" was cut short.
    if words[-1].replace("’", "'").endswith(("'", "'s")):
        return False
    # "Inspector away" (of "…moved our inspector away"): a particle that ends a phrase
    # belongs to a verb, and the phrase must hold it ("Feedback never comes back").
    if last in PARTICLES and not any(verb_like(w) for w in words[:-1]):
        return False
    # "Back round the decision": a particle before a preposition went with a verb left
    # behind ("Away days are fine" is a compound, and stays).
    if first in PARTICLES and len(words) > 1 and is_edge(words[1]):
        return False
    if last in VERB_START or (last in VERB_END and not (passive and last.endswith("ed"))):
        return False  # "Agencies to agree", "Partners buy"
    if first in VERB_END and first not in NOUNS_TOO:  # "Collapsed since the reorganisation"
        return False
    if any(bare(w) == "there" and (k + 1 == len(words) or bare(words[k + 1]) not in AUXILIARIES)
           for k, w in enumerate(words)):
        return False  # "Protect there own budgets": their, mistyped
    if any(misspelt(w) for w in words):  # "comitment from every agency"
        return False
    # "Writes the papers", "Chairs a group": a verb and its object, not a heading.
    if len(words) > 2 and bare(words[1]) in DETERMINERS and not bare(words[0]).endswith("ing"):
        return False
    if not point and verb_and_object(words):  # "Board checks each partner's offer"
        return False
    if not all(WORD.fullmatch(w) for w in words):  # emoji, symbols, stray punctuation
        return False
    if not quotes_paired(words):  # "Local' indicators": a quotation cut open
        return False
    if subject_cut(words):  # "Partners commission", "Targets relate": a clause cut short
        return False
    acronyms = sum(1 for w in words if is_acronym(w))
    if acronyms >= 2 and acronyms * 2 >= len(words):  # "NIs SCS CAA": a list, not a label
        return False
    if not in_language(words):
        return False
    if restates(phrase, question):  # the question asked back
        return False
    return any(not is_edge(w) and len(bare(w)) > 2 for w in words)


# Words that join two runs into one: a label holding one may have taken its meaning from


# What follows a head noun that makes it a kind, not one partner's: "Named lead for every
# priority".
_ANY = frozenset("every each all any".split())
INSTANCES = PEOPLE | PLACES | OCCASIONS | BODIES | INSTANCE_BODIES


def names_one(label: str) -> bool:
    """Whether a label's head noun names one person, post, body, place or occasion
    (heading_words.PEOPLE…): "Busiest person in the building", "Head of housing", "Risk
    meeting", "Refresh date". Not a shared wish ("Right person", "Independent chair"), a
    kind ("Named lead for every priority"), a clause ("Groups simply stopped meeting") or
    runs joined ("Rural and urban"). The head is the last word
    before the first preposition or conjunction."""
    words = label.split()
    if not words or coordinated(label) or bare(words[0]) in WISHED:
        return False
    end = next((k for k in range(1, len(words)) if bare(words[k]) in BREAKS), len(words))
    head, rest = words[end - 1], words[end:]
    if bare(head).removesuffix("'s") not in INSTANCES:
        return False
    if any(past(w) or bare(w) in VERB_END or bare(w) in VERB_START for w in words[:end - 1]):
        return False
    return not any(bare(w) in _ANY for w in rest)


def names_a_gain(label: str) -> bool:
    """Whether a label names something partners gained: it opens on a comparative
    ("Greater awareness & understanding", "Improved / extended networking")."""
    words = label.split()
    return bool(words) and (bare(words[0]) in GAINS or graded(bare(words[0])))


def denies(phrase: str) -> bool:
    """Whether a phrase says something is not there or seldom happens: a negation
    ("No feedback", "Business hasn't been engaged") or "rarely", "hardly"…"""
    return any(bare(w) in NEGATIONS or bare(w) in SELDOM or bare(w).endswith("n't")
               for w in phrase.split())


# How an answer opens when it says the partnership gave it little or nothing ("Very little
# for the college.", "Not much, to be honest.", "Nothing really."), before its reasons: the
# judgement stands as a clause of its own, not the subject of one ("Nothing changes
# without cash", "Little guidance", "Nothing to read before my first meeting").
GAVE_LITTLE = re.compile(
    r"^\W*(?:(?:very|so|too|fairly|pretty)\s+)?(?:little|nothing|none|not\s+(?:very\s+)?much"
    r"|not\s+a\s+lot|no\s+(?:real\s+)?(?:value|difference|benefit|gain)s?)"
    r"(?:\s*(?:$|[.,;:!?\-\u2013\u2014(])|\s+(?:for|really|tbh|honestly|at\s+all|so\s+far|"
    r"that\s+I\s+can\s+see)\b)",
    re.IGNORECASE)


def gave_little(answer: str) -> bool:
    """Whether an answer opens by saying the partnership gave little or nothing: "Very
    little for the college. We attend, we listen, but the agenda rarely touches
    education…". Its reasons say what it did not gain."""
    return GAVE_LITTLE.match(answer) is not None


def contradicts(point: str, label: str) -> bool:
    """Whether a point says the opposite of the gain its label names: "Greater
    awareness & understanding: Agenda rarely touches education" listed what a partner
    said the partnership had not given them as one of its gains."""
    return names_a_gain(label) and denies(point)


def narrows(point: str, label: str) -> bool:
    """Whether a point is its label of two words or more again, with only where or whom
    after it: "Health data sharing: Health data sharing with the PCT" says the label
    twice. A point that says something of the label stays ("Joint commissioning is
    starting with the VCS contracts"), as does one naming a one-word label's aspect
    ("LAA: LAA process")."""
    said, head = [bare(w) for w in point.split()], [bare(w) for w in label.split()]
    if len(head) < 2 or len(said) <= len(head) or said[:len(head)] != head:
        return False
    rest = said[len(head):]
    return rest[0] in PREPOSITIONS and not any(w in BE or w in AUXILIARIES for w in rest)


def tidy(phrase: str) -> str:
    """A phrase as a heading: its first letter capitalised unless it is an acronym."""
    first = phrase.split()[0] if phrase.split() else ""
    quote = len(first) - len(first.lstrip("'‘"))  # "'local' indicators…": after the mark
    if not first or is_acronym(first[quote:]) or first[quote:quote + 1].isupper():
        return phrase
    return phrase[:quote] + phrase[quote:quote + 1].upper() + phrase[quote + 1:]


__all__ = ["COORDINATORS", "contradicts", "coordinated", "denies", "gave_little", "is_label",
           "names_a_gain", "names_one", "narrows", "tidy", "verb_and_object"]
