"""An action a board would agree, worded from a suggested-actions theme.

A theme's label names what partners raised ("Ambitions against the money"); an agreed action
says what someone will do ("Check the ambitions against the money and be honest about what
we can't fund"). Partners answering "What actions would you suggest?" mostly write the
action itself, so the wording is taken from them: the theme's first quote sentence (or
point) that reads as an instruction, its "we should" or "I'd suggest" lead-in dropped, or
names the thing wanted ("A shared risk register" → "Introduce a shared risk register"); of
those, the one sharing most words with the theme. When none does, the label is framed as a
response still to agree. The coordinator may type other
words before agreeing it (surveys.action_desk), as action-planning tools let a manager edit
a suggested action's title before assigning it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MIN_WORDS, MAX_WORDS = 3, 24
# Lead-ins that turn a suggestion into an instruction once dropped.
_LEAD_IN = re.compile(
    r"^(?:(?:i think|i feel|i'd say|in my view|personally|maybe|perhaps|ideally|really|"
    r"honestly|please|so)[,:]?\s+)*"
    r"(?:(?:i(?:'d| would)? suggest(?: that)?|i(?:'d| would) like to see|my suggestion is(?: to)?|"
    r"suggest(?: that)?)\s+)?"
    r"(?:(?:we|the (?:lsp|board|partnership|partners)|partners|everyone|each partner|someone)\s+)?"
    r"(?:(?:really |just |also )?(?:should|must|need to|needs to|ought to|could|have to|"
    r"has to|would do well to)\s+|let's\s+|let us\s+)?",
    re.IGNORECASE)
# Verbs an agreed action opens with (an instruction to the partnership).
ACTION_VERBS = frozenset("""
    act add adopt agree align allow appoint ask assign audit bring build celebrate change
    check circulate
    clarify close combine commission commit consult create cut define deliver design develop
    drop embed end engage ensure establish evaluate extend feed find fix focus fund get give
    hold identify improve include introduce invest invite involve join keep launch let limit link
    listen lobby look make map measure meet merge monitor move name offer open pilot plan
    pool prioritise produce promote protect provide publicise publish put raise reduce
    refresh rename replace report require restart return review rotate run schedule send
    set share show simplify speed spell start stop streamline strengthen support take talk
    target tell
    test track train trial try update use visit write
""".split())
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_TRAILING = re.compile(r"[\s.!;:,…-]+$")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")
_WORD = re.compile(r"[a-z][a-z'-]+")
# A suggestion written as the thing wanted ("An annual public meeting", "Shared training for
# scrutiny councillors") opens on one of these, and becomes "Introduce ..." ("Aim for ..."
# after a comparative: "Aim for fewer priorities, each with a named lead partner").
_PROPOSAL_OPENERS = frozenset("""
    a an one some shared joint regular quarterly annual monthly weekly clear plain proper
    named single dedicated independent formal informal common task-and-finish
""".split())
_COMPARATIVES = frozenset("fewer more less shorter longer better clearer smaller".split())
# In a proposal's head (before "so", "that", "to" ...) these mark a statement, not a wish:
# "Senior NHS attendance has dropped off", "A board that never decides".
_STATEMENT = frozenset("""
    is are was were has have had does do did isn't aren't wasn't don't doesn't didn't
    can't won't never can could would will
""".split())
# Anywhere in it, these mark a complaint ("Standing groups that meet forever").
_COMPLAINT = frozenset("""
    never nobody forever too doesn't don't isn't aren't can't won't wasn't lack lacks
""".split())
_HEAD_ENDS = frozenset("so that which who when where because instead rather not with to for "
                       "-".split())
_MINUTES_STYLE = re.compile(r"^[\w' -]{2,40}? to ([a-z]+)\b")   # "Theme groups to report ..."
_QUIET = frozenset("the and for with that this from into our their its a an of to in on "
                   "by at be we".split())


def _clean(text: str) -> str:
    return _EMOJI.sub("", text).strip().strip("\"“”'‘’").strip()


def _proposal(sentence: str, label: str) -> str | None:
    """A suggestion written as the thing wanted, as an action ("A shared risk register" →
    "Introduce a shared risk register"); None if it reads as a statement."""
    words = sentence.split()
    first = words[0].lower()
    if first in _COMPARATIVES:
        verb = "Aim for"
    elif first in _PROPOSAL_OPENERS or sentence.lower().startswith(label.lower()):
        verb = "Introduce"
    else:
        return None
    head = []
    for w in words:
        if w.lower().strip(",;:") in _HEAD_ENDS:
            break
        head.append(w.lower().strip(",;:"))
    before_contrast = []   # "... instead of standing groups that meet forever" is the point
    for w in words:
        if w.lower() in ("instead", "rather", "than", "not"):
            break
        before_contrast.append(w.lower().strip(",.;:"))
    if any(w in _STATEMENT for w in head) or any(w in _COMPLAINT for w in before_contrast):
        return None
    keep = sentence if len(words[0]) > 1 and words[0].isupper() else (
        sentence[0].lower() + sentence[1:])
    return f"{verb} {keep}"


def as_action(text: str, label: str = "") -> str | None:
    """A sentence as an action's wording ("We should share data once" → "Share data once",
    "A shared risk register" → "Introduce a shared risk register"), or None if it does not
    read as something to do."""
    rest = _LEAD_IN.sub("", _clean(text), count=1).strip()
    words = rest.split()
    if not MIN_WORDS - 1 <= len(words) <= MAX_WORDS or "[name]" in rest or "?" in rest:
        return None
    rest = _TRAILING.sub("", rest)
    first = words[0].lower().strip(",:")
    minutes = _MINUTES_STYLE.match(rest)
    if first in ACTION_VERBS and len(words) >= MIN_WORDS:
        found: str | None = rest
    elif minutes and minutes.group(1) in ACTION_VERBS:
        found = rest
    else:
        found = _proposal(rest, label) if label or first in _PROPOSAL_OPENERS | _COMPARATIVES \
            else None
    if found is None:
        return None
    return found[0].upper() + found[1:]


def _overlap(candidate: str, topic: set[str]) -> int:
    return len(set(_WORD.findall(candidate.lower())) & topic)


def action_wording(label: str, quotes: Iterable[str], points: str) -> str:
    """The wording offered for agreeing a theme as an action: of its quotes' sentences and
    its points that read as an action, the one sharing most words with the theme (the first
    on a tie); else the label, as a response still to agree."""
    candidates = [s for q in quotes for s in _SENTENCE.split(q.replace(" … ", "\n"))]
    candidates += [p for p in points.split(";")]
    topic = set(_WORD.findall(f"{label} {points}".lower())) - _QUIET
    best: tuple[int, int, str] | None = None
    for n, candidate in enumerate(candidates):
        found = as_action(candidate, label)
        if found is not None:
            score = (_overlap(candidate, topic), -n, found)
            best = score if best is None or score[:2] > best[:2] else best
    if best is not None:
        return best[2]
    return f"Agree a response to “{label}”"
