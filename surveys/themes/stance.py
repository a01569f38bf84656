"""Points a partner makes only to set a theme aside, so that they count for no theme; and
the part of a point a partner marks as the one that matters.

Partners often name a theme to deny it before making their real point: "Money isn't the
problem here, whatever people say. Nobody owns anything" is about ownership; "I'd not call
it networking – what changed was that organisations put their names to the same
priorities" is about focus. Matched as it stands, the denied theme's own words win. A
denying point matches no codebook theme when its answer makes another point, and its
answer's whole-answer score (`engine._with_whole_answers`) is taken without it.

The converse: "Staff time was thin, yes, but the bigger thing was that the board turned
into a committee for the LAA" concedes one theme to make another its main one. The part
after the turn, when it says it is the one that matters, is that point's focus
(`focus_of`), and the answer's themes are ranked by it (`engine._with_focus`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .embed import Embedder
from .features import Point

_NEG = (r"(?:isn'?t|is\s+not|wasn'?t|was\s+not|aren'?t|are\s+not|weren'?t|were\s+not|ain'?t|"
        r"(?:it|that|this)'?s\s+not|never\s+(?:was|were|is))")
_MATTER = r"(?:problem|issue|barrier|obstacle|difficulty|reason|story|point)"
DENIAL = re.compile(
    # "money isn't the problem", "it's not a money issue", "clarity was never the issue"
    r"(?:\bnot|n't|\bnever)\s+(?:\w+\s+){0,3}?(?:the|a|an|our|my)\s+(?:\w+\s+){0,2}?"
    + _MATTER + r"\b"
    # "it wasn't the money", "it weren't lack of money", "it isn't about the LAA"
    r"|^\W*(?:it|that|this)\s+" + _NEG + r"\s+(?:really\s+|just\s+|so\s+much\s+)?"
    r"(?:the|a|an|about|down\s+to|lack\s+of|for\s+want\s+of|a\s+question\s+of)\b"
    # "It isn't." after "Everybody says it's about commitment."
    r"|^\W*(?:it|that)\s+(?:isn'?t|wasn'?t|weren'?t|ain'?t)\W*$"
    # "I wouldn't say", "I'd not call it", "I don't think the chair matters"
    r"|\bI(?:\s+would|'d|\s+do|\s+did)?\s*(?:n'?t|not)\s+(?:say|call|describe|think|blame)\b"
    # what everyone says, to disagree: "everybody says it's about commitment"
    r"|\b(?:everybody|everyone|people|folk)\s+(?:will\s+|would\s+|might\s+)?"
    r"(?:say|says|said|tell\s+you|think|reckon)\s+(?:it'?s|it\s+is|it\s+was|that)\b"
    r"|\bwhatever\s+(?:people|folk|they|some|others|anyone)\s+(?:say|says|think|tell)"
    # what was fine: "no complaint about clarity", "clear enough", "it's got plenty"
    r"|\bno\s+complaints?\s+(?:about|with|on)\b|\b(?:clear|well|good)\s+enough\b"
    r"|\bwe'?ve\s+had\s+enough\b|\b(?:got|had|have)\s+plenty\b|\bno\s+shortage\s+of\b"
    r"|\bnothing\s+to\s+do\s+with\b|\bdon'?t\s+make\s+me\s+laugh\b"
    r"|\bdoes(?:n'?t|\s+not)\s+(?:need\s+(?:more|any\s+more|another)|matter)\b"
    r"|\bmatters?\s+(?:less|little|much)\b"
    r"|^\W*not\s+(?:sure\s+it|about|really\s+about|so\s+much)\b"
    r"|^\W*(?:forget|leave\s+aside|leaving\s+aside|setting\s+aside)\b",
    re.IGNORECASE,
)
# After a denial, a contrast turns to the real point within the same point: "Not sure it
# made us closer, but the data we swap now is far better" makes a point after all.
CONTRAST = re.compile(r"\b(?:but|though|although|however|yet|whereas)\b", re.IGNORECASE)


# What marks the part after a "but" as the one that matters: "the real problem", "the
# bigger thing", "above all", "it came down to", "for me", "what I valued", "mostly"…
EMPHASIS = re.compile(
    r"\b(?:(?:the\s+|my\s+|our\s+)?(?:real|main|bigger|biggest|key|underlying|central|core|"
    r"overriding|fundamental)\s+(?:thing|problem|issue|point|barrier|difficulty|obstacle|value|"
    r"benefit|reason|gain|change|need|question|worry|concern|failing|weakness)"
    r"|above\s+all|more\s+than\s+anything|most\s+of\s+all|first\s+and\s+foremost"
    r"|(?:it\s+)?(?:all\s+)?(?:came|comes)\s+down\s+to|underneath|for\s+me"
    r"|what\s+I\s+(?:valued|value|really\s+\w+)|mainly|mostly|chiefly|principally|primarily"
    r"|really|honestly|actually)\b",
    re.IGNORECASE,
)
TURN = re.compile(r"\b(?:but|however)\b[\s,]*", re.IGNORECASE)
EMPHASIS_REACH = 60  # characters after the turn in which the emphasis must come


def focus_of(point: str) -> str:
    """The part of a point after a "but" that says it is the one that matters ("Staff
    time was thin, yes, but the bigger thing was…"), or "" when no part does. A plain
    "but" marks no focus: "we tried but nobody came" is one point."""
    for turn in TURN.finditer(point):
        rest = point[turn.end():]
        if EMPHASIS.search(rest[:EMPHASIS_REACH]):
            return rest.strip()
    return ""


def is_denial(point: str) -> bool:
    """Whether a point names something only to say it is not the point."""
    found = DENIAL.search(point)
    return found is not None and not CONTRAST.search(point, found.end())


def denied_points(points: Sequence[Point], n_answers: int) -> np.ndarray:
    """For each point, whether it only denies, in an answer that makes another point (an
    answer that only denies keeps its point: there is nothing else to go by)."""
    denies = np.array([is_denial(p.text) for p in points], dtype=bool)
    owners = np.array([p.answer for p in points], dtype=int)
    others = np.bincount(owners, weights=~denies, minlength=n_answers)
    return denies & (others[owners] > 0)


def without_denials(points: Sequence[Point], answers: Sequence[str], denied: np.ndarray,
                    whole: np.ndarray, embedder: Embedder) -> tuple[list[str], np.ndarray]:
    """The answers, and each point's whole-answer vector, with the denying points left out
    (the answers' other points joined); answers that deny nothing are as they were."""
    said = list(answers)
    touched = sorted({points[int(i)].answer for i in np.flatnonzero(denied)})
    if not touched:
        return said, whole
    kept: dict[int, list[str]] = {a: [] for a in touched}
    for p, d in zip(points, denied, strict=True):  # one pass, not one per touched answer
        if p.answer in kept and not d:
            kept[p.answer].append(p.text)
    for a in touched:
        said[a] = ". ".join(kept[a])
    fresh = embedder.embed([said[a] for a in touched])
    row = {a: k for k, a in enumerate(touched)}
    whole = whole.copy()
    for i, p in enumerate(points):
        if p.answer in row:
            whole[i] = fresh[row[p.answer]]
    return said, whole
