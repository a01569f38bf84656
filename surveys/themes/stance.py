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
(`focus_of`), and the answer's themes are ranked by it (`engine._with_focus`). So is the
half a partner weighs up against another ("Not the money so much as the point of it").

Two more ways a human coder reads an answer's main theme (`focus_points`, `taken_back`):
a partner who changes their mind names a decoy and takes it back ("Funding, I'd have said
a year ago. Now…", "I put focus, then changed it"), and the decoy counts for no theme; a
ranked list ("1) … 2) …", "Top of my list: …; after that …", "…, in that order") has its
first item as its focus. On the sixteen dev sets (bench/match_dev.py, each set's bank and
answer map learned without it), built-in 0.877 -> 0.881 and label + description 0.814 ->
0.820; dev_turns, written in these styles, 0.855 -> 0.915 and 0.715 -> 0.810; no set down.
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
    r"|^\W*(?:forget|leave\s+aside|leaving\s+aside|setting\s+aside)\b"
    # the half a partner weighs down to weigh up another: "less about money, more that…"
    r"|^\W*(?:well\W+)?(?:(?:it'?s|it\s+is|it\s+was|that'?s)\s+)?less\s+(?:about|to\s+do\s+with|"
    r"a\s+(?:matter|question)\s+of|the|so)\b",
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
# One half weighed down to weigh up the other, within a point: "Not the money so much as
# the point of it", "less the board, more what it became": the second half is the focus.
WEIGHED = re.compile(
    r"^\W*(?:well\W+)?(?:(?:it'?s|it\s+is|it\s+was|it\s+wasn'?t)\s+)?not\s+(?:\w+\W+){0,8}?so\s+much\s+as\s+"
    r"|^\W*(?:well\W+)?(?:(?:it'?s|it\s+is|it\s+was)\s+)?less\s+(?:\w+\W+){1,10}?more\s+"
    r"(?:about\s+|that\s+|to\s+do\s+with\s+)?",
    re.IGNORECASE,
)


def focus_of(point: str) -> str:
    """The part of a point after a "but" that says it is the one that matters ("Staff
    time was thin, yes, but the bigger thing was…"), or "" when no part does. A plain
    "but" marks no focus: "we tried but nobody came" is one point."""
    for turn in TURN.finditer(point):
        rest = point[turn.end():]
        if EMPHASIS.search(rest[:EMPHASIS_REACH]):
            return rest.strip()
    weighed = WEIGHED.search(point)
    return point[weighed.end():].strip(" ,:;") if weighed else ""


def is_denial(point: str) -> bool:
    """Whether a point names something only to say it is not the point."""
    found = DENIAL.search(point)
    # "less about communication, more that…" weighs one half down to make the other its
    # point (`focus_of`): it denies only half.
    return found is not None and not CONTRAST.search(point, found.end()) \
        and not WEIGHED.search(point)


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


# A partner who changes their mind names a theme first and takes it back: "Funding, I'd
# have said a year ago. Honestly though, nobody owns anything"; "I put communication down,
# then crossed it out"; "My first thought was the money. No – it's that nobody decides".
# What they take back is a decoy; what they land on, the point. Said of the decoy, to the
# end of its sentence:
TAKEN_BACK = re.compile(
    r"\bI(?:'d|\s+would|\s+might|\s+could)(?:\s+once|\s+probably)?\s*(?:have|'ve)\s+(?:once\s+)?"
    r"(?:said|put|answered|written|gone\s+(?:for|with)|picked|named|blamed|ticked)\b"
    r"|\b(?:my|the|our)\s+first\s+(?:thought|instinct|answer|reaction|impulse|guess|draft)\b"
    r"|\bI\s+(?:used\s+to|once)\s+(?:think|thought|say|said|believe|believed|blame|blamed)\b"
    r"|\bI\s+(?:was\s+going\s+to|nearly|almost)\s+(?:say|said|put|write|wrote|tick|ticked)\b"
    r"|\bcrossed\s+(?:it|that|this|them)\s+out\b|\bif\s+you'?d\s+asked\s+me\b"
    r"|\bchanged\s+(?:it|that|my\s+mind)\b"
    r"|\bI\s+(?:thought|said|put|wrote|reckoned)\s+(?:at\s+first|first|initially|originally)\b"
    r"|\b(?:at\s+first|initially|originally)\s+I\s+(?:thought|said|put|wrote|would\s+have)\b"
    # "Structures is what I'd usually say", "Networking would be the obvious one"
    r"|\b(?:is|was|would\s+be)\s+what\s+(?:I'?d|I\s+would|people|everyone|most\s+people|"
    r"you'?d)\s+(?:usually\s+|normally\s+|probably\s+|always\s+)?(?:say|expect|put)\b"
    r"|\bwould\s+be\s+the\s+obvious\s+(?:one|answer|choice)\b",
    re.IGNORECASE,
)
# …or said opening the landing, after the decoy: "No –", "Actually, no.", "Scratch that".
LANDING = re.compile(
    r"(?:^|(?<=[.!;])\s+|\s[–—-]+\s)(?:but\s+)?(?:(?:no|nope)(?=\s*[,.!;:–—-])|actually\W+no|"
    r"on\s+second\s+thoughts?|"
    r"scratch\s+that|strike\s+that|correction|wait|hang\s+on|I\s+take\s+(?:that|it)\s+back|"
    r"thinking\s+about\s+it(?:\s+(?:more|again|properly))?|having\s+thought\s+(?:about\s+it|"
    r"again))\b(?=\W)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;]|\s[–—-]+\s")


_SENTENCE_START = re.compile(r"(?:[.!?;]|\s[–—-]+)\s+")
_BACK_REFERENCE = re.compile(r"^\W*(?:that|this|it|so|the\s+same)\b", re.IGNORECASE)


def _sentence_start(answer: str, at: int) -> int:
    """Where the sentence (or dashed clause) holding position `at` begins."""
    start = 0
    for found in _SENTENCE_START.finditer(answer, 0, at):
        start = found.end()
    return start


def taken_back_spans(answer: str) -> list[tuple[int, int]]:
    """The parts of an answer a partner takes back, as (start, end) in it: the sentence
    that says so of its decoy ("My first thought was the money", "Funding, I'd have said a
    year ago"; with the sentence before it when it points back: "Funding. I'd have said
    that once"), or the sentence before a landing ("Funding. No – …"). A turn within the
    sentence ends the decoy: "I'd have said money at first, but…"."""
    spans = []
    for found in TAKEN_BACK.finditer(answer):
        rest = answer[found.end():]
        turn = CONTRAST.search(rest)
        stop = _SENTENCE_END.search(rest)
        reason = turn is not None and not rest[:turn.start()].strip(" ,") and stop is not None \
            and answer[found.end() + stop.end():].strip() != ""
        if turn and (stop is None or turn.start() < stop.start()) and not reason:
            end = found.end() + turn.start()
        else:
            end = found.end() + (stop.end() if stop else len(rest))
        start = _sentence_start(answer, found.start())
        if _BACK_REFERENCE.match(rest) and start > 0 \
                and not answer[start:found.start()].strip(" ,"):
            start = _sentence_start(answer, start - 2)
        spans.append((start, end))
    for found in LANDING.finditer(answer):
        before = answer[:found.start()].rstrip()
        if before and not before.endswith("?"):  # "Did it work? No." answers a question
            spans.append((_sentence_start(answer, len(before) - 1), found.start()))
    return spans


def _located(points: Sequence[Point], answer: str) -> list[tuple[int, int]]:
    """Where each of one answer's points lies in it, in order ((-1, -1) when not found)."""
    spans, cursor = [], 0
    for p in points:
        at = answer.find(p.text, cursor)
        if at < 0:
            spans.append((-1, -1))
            continue
        spans.append((at, at + len(p.text)))
        cursor = at + len(p.text)
    return spans


def taken_back(points: Sequence[Point], answers: Sequence[str]) -> np.ndarray:
    """For each point, whether it lies wholly in a part its answer takes back
    (`taken_back_spans`), when a point of the answer lies wholly after that part (the
    landing)."""
    out = np.zeros(len(points), dtype=bool)
    by_answer: dict[int, list[int]] = {}
    for i, p in enumerate(points):
        by_answer.setdefault(p.answer, []).append(i)
    for a, rows in by_answer.items():
        spans = taken_back_spans(answers[a]) if len(rows) >= 2 else []
        if not spans:
            continue
        located = _located([points[i] for i in rows], answers[a])
        last = max(end for _, end in spans)
        if not any(s >= last for s, _ in located):
            continue
        for i, (s, e) in zip(rows, located, strict=True):
            if s >= 0 and any(lo <= s and e <= hi for lo, hi in spans):
                out[i] = True
    return out


# A ranked list puts its main theme first: "1) … 2) …", "First… then… and last…", "Top of
# my list: …; after that …", "in order of importance".
_RANK_OPENER = re.compile(
    r"^\W*(?:first(?:ly)?|first\s+and\s+foremost|number\s+one|no\.?\s*1|top\s+of\s+(?:my|the)"
    r"\s+list|in\s+order)\b",
    re.IGNORECASE,
)
_RANK_NEXT = re.compile(
    r"\b(?:second(?:ly)?|then|next|after\s+that|third(?:ly)?|last(?:ly)?|finally|"
    r"number\s+two|a\s+close\s+second|below\s+that|behind\s+that)\b",
    re.IGNORECASE,
)
_RANKED_ANYWHERE = re.compile(
    r"\bin\s+(?:that|this)\s+order\b|\bin\s+order\s+of\s+(?:importance|priority|how\s+much)\b"
    r"|\b(?:biggest|most\s+important|worst|best)\s+first\b|\branked\b|\branking\b"
    r"|\b(?:my|our)\s+top\s+(?:three|two|four|five|3|2|4|5)\b",
    re.IGNORECASE,
)
_ITEM_HEAD = re.compile(
    r"^\W*(?:(?:[^:]{1,40}:\s*)|first(?:ly)?\W+|first\s+and\s+foremost\W+|number\s+one\W+|"
    r"no\.?\s*1\W+|top\s+of\s+(?:my|the)\s+list\W+(?:is\s+|was\s+|would\s+be\s+)?)",
    re.IGNORECASE,
)
_ITEM_END = re.compile(r",\s|;|\s(?:then|and\s+then|after\s+that)\s|\s[(\[]?2[.):\]]\s",
                       re.IGNORECASE)


def is_ranked(answer: str) -> bool:
    """Whether an answer ranks what it lists, most first."""
    opener = _RANK_OPENER.search(answer)
    return bool(numbered_first(answer) or _RANKED_ANYWHERE.search(answer)
                or (opener and _RANK_NEXT.search(answer, opener.end())))


def first_item(point: str) -> str:
    """The first item of a ranked point: "Top of my list: funding, then time" → "funding"."""
    item = _ITEM_HEAD.sub("", point, count=1)
    end = _ITEM_END.search(item)
    return (item[:end.start()] if end else item).strip(" \t-–—:;,.")


_WORD_RUN = re.compile(r"[A-Za-z0-9']+")
_ITEM_MARK = re.compile(r"(?:^|\s)[(\[]?(?P<n>[12])[.):\]]\s")


def numbered_first(answer: str) -> tuple[int, str] | None:
    """Where item 1 of a numbered list starts in an answer, and its words up to item 2 or
    the end of its sentence; None when the answer numbers nothing."""
    marks = list(_ITEM_MARK.finditer(answer))
    one = next((m for m in marks if m.group("n") == "1"), None)
    two = next((m for m in marks if m.group("n") == "2" and one and m.start() > one.end()), None)
    if one is None or two is None:
        return None
    # A list that opens the answer, or follows a short head ("My three: 1) …"), ranks; one
    # after a sentence lists examples of it ("It had no teeth. (1) no consequence…").
    head = answer[:one.start()].strip()
    if len(_WORD_RUN.findall(head)) > 12 or _SENTENCE_END.search(head):
        return None
    item = answer[one.end():two.start()]
    stop = _SENTENCE_END.search(item)
    return one.end(), (item[:stop.start()] if stop else item).strip(" \t\n-–—:;,.")


def _ranked_focus(rows: list[int], points: Sequence[Point], answer: str) -> tuple[int, str]:
    """The point of a ranked answer that holds its first item, and that item."""
    numbered = numbered_first(answer)
    if numbered is not None:
        at, item = numbered
        for i, (s, e) in zip(rows, _located([points[i] for i in rows], answer), strict=True):
            if s >= 0 and (s <= at < e or s >= at):
                return i, item
        return -1, ""
    return rows[0], first_item(points[rows[0]].text)


def focus_points(points: Sequence[Point], answers: Sequence[str],
                 denied: np.ndarray) -> dict[int, str]:
    """Each point's focus, by index: the part after a "but" marked as the one that matters
    (`focus_of`); and in an answer that ranks what it lists (and has no such part), the
    point with its first item, that item."""
    focus = {i: f for i, p in enumerate(points) if not denied[i] and (f := focus_of(p.text))}
    have = {points[i].answer for i in focus}
    rows_of: dict[int, list[int]] = {}
    for i, p in enumerate(points):
        if not denied[i]:
            rows_of.setdefault(p.answer, []).append(i)
    for a, rows in rows_of.items():
        if a in have or not is_ranked(answers[a]):
            continue
        i, item = _ranked_focus(rows, points, answers[a])
        if i >= 0 and re.search(r"[A-Za-z]{3,}", item):
            focus[i] = item
    return focus
