"""A suggestion partners made, worded as an action a board would agree.

Partners answering "What actions would you suggest?" mostly write the action itself
("Check the ambitions against the money and be honest about what we can't fund"), so the
wording is taken from them: the first sentence of their answers that reads as an
instruction, its "we should" or "I'd suggest" lead-in dropped, or that names the thing
wanted ("A shared risk register" → "Introduce a shared risk register"). When none does
("Twenty-year ambitions with three-year milestones", a reason first and the action after
"them"), the partner's own words stand, never words nobody wrote. The coordinator may type
other words before agreeing it (surveys.action_desk), as action-planning tools let a manager
edit a suggested action's title before assigning it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MIN_WORDS, MAX_WORDS = 3, 30
# Lead-ins that turn a suggestion into an instruction once dropped. A subject goes only with
# its "should" ("The board should agree ..."): "Partners share data" is a statement.
_LEAD_IN = re.compile(
    r"^(?:(?:i think|i feel|i'd say|in my view|personally|maybe|perhaps|ideally|really|"
    r"honestly|please|so|tbh|to be honest|just)[,:]?\s+)*"
    r"(?:(?:i(?:'d| would)? suggest(?: that)?|i(?:'d| would) like to see|my suggestion is(?: to)?|"
    r"suggest(?: that)?)\s+)?"
    r"(?:(?:(?:we|the (?:lsp|board|partnership|partners)|partners|everyone|each partner|"
    r"someone)\s+)?(?:really |just |also )?(?:should|must|need to|needs to|ought to|have to|"
    r"has to|would do well to)\s+|let's\s+|let us\s+)?",
    re.IGNORECASE)
# Verbs an agreed action opens with (an instruction to the partnership).
ACTION_VERBS = frozenset("""
    act add adopt agree align allow appoint ask assign audit bring build celebrate change
    check circulate clarify close combine commission commit consult create cut define deliver
    design develop drop embed end engage ensure establish evaluate extend feed find fix focus
    fund get give hold identify improve include introduce invest invite involve join keep
    launch let limit link listen lobby look make map measure meet merge monitor move name
    offer open pilot plan pool prioritise produce promote protect provide publicise publish
    put raise reduce refresh rename replace report require restart return review rotate run
    schedule send set share show simplify speed spell start stop streamline strengthen
    support take talk target tell test track train trial try update use visit write
    benchmark brand brief challenge co-locate consider decide explore lead line mainstream
    tie work
""".split())
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_TRAILING = re.compile(r"[\s.!;:,…-]+$")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")
# A suggestion written as the thing wanted ("An annual public meeting", "Shared training for
# scrutiny councillors") opens on one of these, and becomes "Introduce ..." ("Aim for ..."
# after a comparative: "Aim for fewer priorities, each with a named lead partner").
_PROPOSAL_OPENERS = frozenset("""
    a an one some shared joint regular quarterly annual monthly weekly clear plain proper
    named single dedicated independent formal informal common task-and-finish
""".split())
_COMPARATIVES = frozenset("fewer more less shorter longer better clearer smaller".split())
# Where a suggestion's first clause ends ("Clear delegation | so reps can commit ...").
_CLAUSE_ENDS = frozenset("so that which who whom what when where why how whether because "
                         "instead rather than not if until unless before after while once - – —"
                         .split())
# In a suggestion's first clause these mark a statement, not a wish: "Senior NHS attendance
# has dropped off", "Joint training cut costs", "Support from the policy team is reliable".
_STATEMENT = frozenset("""
    is are was were has have had does do did isn't aren't wasn't weren't don't doesn't didn't
    can could would will can't won't couldn't wouldn't am works worked makes made saves saved
    cut cuts improved opened referred kept drew shows showed helps helped went goes gets got
    takes took runs ran sits sat meets met stopped started seems seemed looks looked feels
    felt lacks depends arrives happens stalls
""".split())
# Anywhere before a contrast ("instead of ..."), these mark a complaint.
_COMPLAINT = frozenset("""
    never nobody forever too lack lacks
""".split())
# Words ending in -ed that a wished-for thing may carry ("a named lead", "a shared register");
# any other such word in a proposal's first clause is a past tense: a report, not a wish.
_PARTICIPLES = frozenset("""
    named shared joined agreed dedicated integrated tailored targeted focused coordinated
    based funded pooled timed trained detailed signed published costed updated refreshed
    planned structured ring-fenced joined-up protected aligned
""".split())


def _clean(text: str) -> str:
    return _EMOJI.sub("", text).strip().strip("\"“”'‘’").strip()


def _first_clause(words: list[str]) -> list[str]:
    out = []
    for w in words:
        bare = w.lower().strip(",.;:!")
        if bare in _CLAUSE_ENDS:
            break
        out.append(bare)
        if w.endswith(";"):
            break
    return out


def _reads_as_statement(words: list[str], *, proposal: bool) -> bool:
    clause = _first_clause(words)
    before_contrast = []   # "... instead of standing groups that meet forever" is the point
    for w in words:
        if w.lower() in ("instead", "rather", "than", "not", "-", "–", "—") or w.endswith(";"):
            break
        before_contrast.append(w.lower().strip(",.;:"))
    if (any(w in _STATEMENT for w in clause) or any(w in _COMPLAINT for w in before_contrast)
            or words[0].lower() in ("no", "none", "nobody")):
        return True
    return proposal and any(w.endswith("ed") and w not in _PARTICIPLES for w in clause)


def _proposal(words: list[str]) -> str | None:
    """A suggestion written as the thing wanted, as an action ("A shared risk register" →
    "Introduce a shared risk register"); None if it reads as a statement."""
    first = words[0].lower()
    sentence = " ".join(words).split(";")[0]
    if first in _COMPARATIVES:
        if len(words) > 1 and words[1].lower() == "than":
            return None    # "Better than I expected": a verdict
        verb = "Aim for"
    elif first in _PROPOSAL_OPENERS:
        verb = "Introduce"
    else:
        return None
    if _reads_as_statement(words, proposal=True):
        return None
    keep = sentence if len(words[0]) > 1 and words[0].isupper() else (
        sentence[0].lower() + sentence[1:])
    return f"{verb} {_article(words)}{_TRAILING.sub('', keep)}"


# Things partners ask for one of, which an action introduces with "a": "Quarterly e-newsletter
# to partners" → "Introduce a quarterly e-newsletter to partners". Only these: a mass noun
# ("joint procurement", "shared training") takes none, and a guess would read worse.
_COUNTABLE = frozenset("""
    summary newsletter e-newsletter assessment workshop meeting register group panel post role
    plan protocol framework report review event day session template glossary directory team
    lead sponsor charter agreement dashboard policy strategy forum pilot fund system platform
    conference statement tracker log survey calendar officer coordinator champion website
    page programme network hub conversation audit bulletin
""".split())
_DETERMINERS = frozenset("a an one the some each every our this that".split())
_HEAD_ENDS = frozenset("to of for with on in at by every each within across between so that "
                       "which who where when instead".split())


def _article(words: list[str]) -> str:
    """"a " or "an " before a proposal naming one countable thing without a determiner."""
    if words[0].lower() in _DETERMINERS:
        return ""
    head = ""
    for w in words:
        bare = w.lower().strip(",.;:!")
        if bare in _HEAD_ENDS or w in ("-", "–", "—"):
            break
        head = bare
        if w[-1] in ",.;:!":
            break
    if head not in _COUNTABLE:
        return ""
    opener = words[0].lower()
    vowel = opener[0] in "aeio" or (opener[0] == "u" and not opener.startswith(("uni", "use")))
    return "an " if vowel else "a "


def as_action(text: str) -> str | None:
    """A sentence as an action's wording ("We should share data once" → "Share data once",
    "A shared risk register" → "Introduce a shared risk register"), or None if it does not
    read as something to do."""
    rest = _TRAILING.sub("", _LEAD_IN.sub("", _clean(text), count=1).strip())
    words = rest.split()
    if not MIN_WORDS - 1 <= len(words) <= MAX_WORDS or "[name]" in rest or "?" in rest:
        return None
    first = words[0].lower().strip(",:")
    if len(words) > 1 and words[1].lower().strip(",.") in _BACK_REFERENCES:
        return None   # "Invite them to the evidence group": who, the sentence before said
    minutes = _MINUTES_STYLE.match(rest)
    found: str | None = None
    if first in ACTION_VERBS and len(words) >= MIN_WORDS:
        found = None if _reads_as_statement(words, proposal=False) else rest
    elif minutes and minutes.group(1) in ACTION_VERBS:
        # "Board to agree three things it will get done": only who is to act is checked.
        who = rest[:minutes.start(1)].split()
        found = None if _reads_as_statement(who, proposal=True) else rest
    else:
        found = _proposal(words)
    if found is None:
        return None
    return found[0].upper() + found[1:]


_BACK_REFERENCES = frozenset("them it this that these those him her".split())
_MINUTES_STYLE = re.compile(r"^[\w' -]{2,40}? to ([a-z]+)\b")   # "Theme groups to report ..."
def sentences(text: str) -> list[str]:
    """An answer's sentences, as a suggestion's wording is looked for in them."""
    return _SENTENCE.split(text.replace(" … ", "\n"))


def suggestion_wording(words: Sequence[str]) -> str:
    """The wording of one proposal partners made (in one set of words or several, the
    first speaking for the rest): its first sentence that reads as an action, else the
    first answer's own words, emoji and closing punctuation aside, as partners wrote them."""
    for text in words:
        for sentence in sentences(text):
            found = as_action(sentence)
            if found is not None:
                return found
    first = " ".join(_EMOJI.sub("", words[0]).split()) if words else ""
    first = _TRAILING.sub("", first) or first
    return first[:1].upper() + first[1:]
