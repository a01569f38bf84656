"""An action a board would agree, worded from a suggested-actions theme.

A theme's label names what partners raised ("Ambitions against the money"); an agreed action
says what someone will do ("Check the ambitions against the money and be honest about what
we can't fund"). Partners answering "What actions would you suggest?" mostly write the
action itself, so the wording is taken from them: the theme's first quote sentence (or
point) that reads as an instruction, its "we should" or "I'd suggest" lead-in dropped. When
none does, the label is framed as a decision still to make. The coordinator may type other
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


def as_action(text: str) -> str | None:
    """A sentence as an action's wording ("We should share data once" → "Share data once"),
    or None if it does not read as something to do."""
    sentence = _EMOJI.sub("", text).strip().strip("\"“”'‘’").strip()
    rest = _LEAD_IN.sub("", sentence, count=1).strip()
    words = rest.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or "[name]" in rest or "?" in rest:
        return None
    if words[0].lower().strip(",:") not in ACTION_VERBS:
        return None
    rest = _TRAILING.sub("", rest)
    return rest[0].upper() + rest[1:]


def action_wording(label: str, quotes: Iterable[str], points: str) -> str:
    """The wording offered for agreeing a theme as an action: the first of its quotes'
    sentences, then its points, that reads as an action; else the label as a decision."""
    candidates = [s for q in quotes for s in _SENTENCE.split(q.replace(" … ", "\n"))]
    candidates += [p for p in points.split(";")]
    for candidate in candidates:
        found = as_action(candidate)
        if found is not None:
            return found
    topic = label if label[:2].isupper() else label[0].lower() + label[1:]
    return f"Agree what the partnership will do about {topic}"
