"""Split a free-text answer into the points a partner made, and spot non-answers."""

from __future__ import annotations

import re
from functools import lru_cache

# Answers that say nothing: compared after lower-casing and stripping punctuation.
NON_ANSWERS = frozenset(
    {
        "", "n a", "na", "n/a", "none", "nothing", "nil", "no", "nope", "no comment",
        "no comments", "dont know", "do not know", "don t know", "dunno", "idk", "dk",
        "not sure", "unsure", "no idea", "pass", "not applicable", "nothing to add",
        "nothing to say", "none really", "nothing really", "none that i know of",
        "nothing comes to mind", "cant think of any", "can t think of any",
        "cannot think of any", "no answer", "tbc", "same as above", "as above", "see above",
    }
)

_BULLET = re.compile(r"^\s*(?:[-*•·●▪◦✓✔×>]+|\(?\d{1,2}[.)]|\(?[a-h][.)])\s+")
_SENTENCE = re.compile(r"(?<=[A-Za-z0-9)'\"])[.!?]+\s+(?=[A-Za-z])")
_SUBORDINATE = re.compile(
    r"^(?:although|while|whilst|if|when|because|as|since|unless|even though)\b",
    re.IGNORECASE,
)
_HEADED = re.compile(r"^[^,:]{1,40}:\s")
_CLAUSE_START = re.compile(
    r"^(?:but|which|who|that|so|because|as|although|though|eg|e\.g\.|ie|i\.e\.|"
    r"especially|particularly|including|etc|esp)\b",
    re.IGNORECASE,
)
# "between the safety and health groups" is one point: the "and" belongs to "between".
_BETWEEN = re.compile(r"\bbetween\b(?!.*\band\b)", re.IGNORECASE)
_AND = re.compile(r"\s+(?:and|&|\+|plus|as well as)\s+", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9']+")
# Words that say nothing by themselves: "Money, basically." is one point, not "Money" and
# "basically" (a point of its own, clustered and counted as if a partner had said it).
_FILLERS = frozenset("""
    basically again really honestly frankly anyway anyhow though too also either obviously
    simply mostly mainly mate tbh imo imho lol etc period
""".split())


_NOT_WORD = re.compile(r"[^a-z0-9/]+")
_ALNUM = re.compile(r"[a-z0-9]")
_EG = re.compile(r"\b([eiEI])\.([gegE])\.?")
_LINES = re.compile(r"[\r\n]+")
_CLAUSES = re.compile(r";|\s[–—]\s|\s-\s(?=[A-Za-z])")


def _norm(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower().replace("'", "")).split())


# "n/a" or "none" and then only why there is nothing to say: "n/a - not involved in the SCS".
NA_MARK = re.compile(r"^\W*(?:(?:n\s*/\s*a|n\.a\.?)(?![\w/])[\s\-–—:;,.()]*|"
                     r"(?:not applicable|none|nothing|no comment)\s*[\-–—:;,.()]+\s*)",
                     re.IGNORECASE)
_NOTHING_TO_SAY = re.compile(
    r"^(?:(?:i\s*(?:'m|am)|we\s*(?:'re|are)|i\s*was|we\s*were|i\s*have|i've|we\s*have|"
    r"we've)\s+)?(?:not|never|n't)\s+(?:been\s+)?(?:involved|applicable|relevant|aware|sure|"
    r"part|a\s+member|on\s+(?:it|the))\b|^(?:i\s+)?(?:don'?t|do\s+not|didn'?t)\s+know\b|"
    r"^(?:i\s+)?(?:can'?t|cannot)\s+(?:say|comment)\b|^no\s+(?:involvement|experience|"
    r"knowledge)\b", re.IGNORECASE)


@lru_cache(maxsize=1 << 15)  # asked of every piece of every answer: "Funding" many times
def is_non_answer(text: str) -> bool:
    """True when the text says nothing: empty, "n/a", "don't know", "-", "none"…, or "n/a"
    with only why ("n/a - not involved in the SCS")."""
    norm = _norm(text)
    if not _ALNUM.search(norm):
        return True
    if norm in NON_ANSWERS or norm.replace("/", " ") in NON_ANSWERS:
        return True
    marked = NA_MARK.match(text or "")
    if marked and marked.end() < len(text.strip()):
        rest = text[marked.end():].strip()
        return bool(_NOTHING_TO_SAY.match(rest)) or is_non_answer(rest)
    return False


def without_na_mark(text: str) -> str:
    """An answer without an "n/a -" it opens on before saying something after all
    ("n/a - except partners need to want to do it"): the part worth quoting."""
    marked = NA_MARK.match(text or "")
    if not marked or marked.end() >= len(text.strip()):
        return text
    rest = text[marked.end():]
    return rest[:1].upper() + rest[1:] if rest else text


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _split_commas(line: str) -> list[str]:
    """Split a list written with commas, keeping clauses that hang on the last item."""
    parts = [p.strip() for p in line.split(",")]
    # "Although x, y" is one point; so is "Lack of resources: time, funding".
    if len(parts) < 2 or _SUBORDINATE.match(line) or _HEADED.match(line):
        return [line]
    merged: list[str] = []
    for part in parts:
        if merged and (not part or _CLAUSE_START.match(part)):
            merged[-1] = f"{merged[-1]}, {part}" if part else merged[-1]
        else:
            merged.append(part)
    # A list is made of short items; a long part means prose with commas.
    if len(merged) < 2 or max(_words(p) for p in merged) > 8:
        return [line]
    return merged


def _split_and(part: str) -> list[str]:
    """Split on "and" only when both sides are full points (three words or more)."""
    pieces = _AND.split(part)
    if len(pieces) < 2:
        return [part]
    out = [pieces[0]]
    for piece in pieces[1:]:
        if _words(out[-1]) >= 3 and _words(piece) >= 3 and not _CLAUSE_START.match(piece) \
                and not _BETWEEN.search(out[-1]):
            out.append(piece)
        else:
            out[-1] = f"{out[-1]} and {piece}"
    return out


# How a pasted submission says where it comes from: "Response from the CVS:", "Extract from
# the Fire Service's written submission", "Copied from my email (Police)".
_SOURCE = re.compile(
    r"^\W*(?:(?:a\s+|our\s+|my\s+|the\s+)?(?:response|reply|submission|extract|excerpt|notes?|"
    r"text|comments?|views?|feedback|answers?)\s+(?:from|of|by)\b|(?:copied|pasted|taken|"
    r"extracted|forwarded|submitted|sent|written)\s+(?:from|on behalf|by|in)\b|from\s+(?:the|our|"
    r"my|a)\b|on behalf of\b|(?:please\s+)?see\s+below\b|below\s+(?:is|are)\b|i\s+attach\b|"
    r"attached\b|written\s+(?:response|submission)\b)",
    re.IGNORECASE,
)


# A workshop minute's heading: "Table 3", "Table 3 – barriers", "Group B (VCS/health mix):".
_HEADING = re.compile(r"^(?:table|group|workshop|session|breakout(?:\s+group)?|syndicate|room)"
                      r"\s+(?:\d{1,2}|[a-h])\b(?:\s*[-–—:]\s*[^.!?;]{0,30}|\s*\([^)]{0,40}\))?"
                      r"\W*$", re.IGNORECASE)
# The same heading opening a line of the table's points: "Table 4: new contacts; …".
_HEADING_PREFIX = re.compile(r"^\W*(?:table|group|workshop|session|syndicate)\s+(?:\d{1,2}|[a-h])"
                             r"\b(?:\s*\([^)]{0,40}\))?\s*[:–—-]\s+", re.IGNORECASE)


def is_lead_in(line: str) -> bool:
    """Whether a line that other lines follow only introduces them: it says where they
    come from ("Response from the PCT public health team:"), or leads into a list with a
    colon at some length ("The partnership considers the following essential:"). A short
    heading ("Lack of resources:") is a point."""
    text = _BULLET.sub("", line).strip()
    if _SOURCE.match(text) or _HEADING.match(text):
        return True
    return text.endswith(":") and _words(text) >= 4


def _clean(fragment: str) -> str:
    fragment = _BULLET.sub("", fragment).strip()
    return fragment.strip(" \t-–—:;,.!?").strip()


def split_points(answer: str) -> list[str]:
    """The separate points in one answer, in order; non-answer fragments are dropped."""
    if answer is None or is_non_answer(answer):
        return []
    points: list[str] = []
    answer = _EG.sub(r"\1\2", answer)  # e.g. / i.e. end no sentence
    lines = [line for line in _LINES.split(answer) if line.strip()]
    for n, line in enumerate(lines):
        if n + 1 < len(lines) and is_lead_in(line):
            continue  # "From the PCT's submission:" says where the points come from
        line = _HEADING_PREFIX.sub("", _BULLET.sub("", line).strip())
        for clause in _CLAUSES.split(line):
            for sentence in _SENTENCE.split(clause):
                for item in _split_commas(sentence):
                    for piece in _split_and(item):
                        piece = _clean(piece)
                        if piece and not is_non_answer(piece):
                            points.append(piece)
    return _with_fillers_joined(points)


# A list after a head and a dash or a colon: "Constant restructuring - PCT, police basic
# command units, the council itself", "…in-kind contributions business makes: premises,
# staff time, sponsorship".
_LIST_HEAD = re.compile(r"^[^,:;.!?]{2,80}?(?::\s|\s[-–—]\s)(?P<items>[^.!?;:]+?)"
                        r"(?:\s[-–—]\s.*)?$")
_ITEM_BREAK = re.compile(r",|\s+(?:and|or|&)\s+", re.IGNORECASE)


def listed_examples(answer: str) -> set[str]:
    """The items (as `split_points` gives them, case folded) of each list of three or more
    short items that an answer writes after a head and a dash or a colon: examples of the
    head, which is what the partner said (the restructuring, not the bodies it hit)."""
    out: set[str] = set()
    for line in re.split(r"[\r\n]+", answer or ""):
        for sentence in _SENTENCE.split(_BULLET.sub("", line).strip()):
            found = _LIST_HEAD.match(sentence.strip().rstrip(".!?"))
            if not found:
                continue
            items = [_clean(i) for i in _ITEM_BREAK.split(found.group("items"))]
            items = [i for i in items if i]
            if len(items) >= 3 and all(_words(i) <= 8 for i in items):  # as _split_commas
                out |= {i.casefold() for i in items}
    return out


def _with_fillers_joined(points: list[str]) -> list[str]:
    """Points of filler words only ("basically", "again") joined to the point before
    them (or, first in an answer, the one after): they qualify it."""
    out: list[str] = []
    hanging = ""
    for point in points:
        if all(w.lower() in _FILLERS for w in _WORD.findall(point)):
            if out:
                out[-1] = f"{out[-1]}, {point}"
            else:
                hanging = f"{hanging} {point}".strip()
            continue
        out.append(f"{hanging}, {point}" if hanging else point)
        hanging = ""
    return out or ([hanging] if hanging else [])
