"""Sentences of an answer, for quoting whole ones: abbreviations, decimals and lists kept whole.

A full stop ends a sentence only when it is not part of an abbreviation (i.e., e.g., etc.,
Cllr., St., Dr., Mr., No., approx., incl., a single initial), not inside a number (3.5, £1.2m)
and is followed by space and something that can open a sentence. A line break always ends
one, so a list keeps its items apart; the line breaks themselves are kept in the text.
"""

from __future__ import annotations

import re

# Abbreviations a full stop does not end a sentence after (compared in lower case).
ABBREVIATIONS = frozenset("""
    i.e e.g ie eg etc cf viz vs v al approx incl excl esp fig ref refs no nos vol p pp para paras
    mr mrs ms mx dr prof cllr clr councillor st rd ave sr jr rev hon gen lt col capt sgt
    insp supt ch supt.ch cc dc pc det est dept govt co ltd plc inc corp bros assoc
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    a.m p.m am pm min mins max hr hrs wk wks yr yrs ca c
""".split())
# "etc." ends a sentence when a word that opens one follows it ("…staff etc. The LAA…").
_MAY_END = frozenset({"etc", "esp", "approx", "incl"})
_OPENERS = frozenset("""
    the a an we i it this that there they our but and also in on at if so however then
    what when why how as overall finally secondly thirdly firstly lastly plus
""".split())
_END = re.compile(r"([.!?…]+)([\"'’”)\]]*)(\s+)")
_OPENS = re.compile(r"[\"'‘“(\[]*[A-Z0-9£$€#@•\-–*]")


def _abbreviation_before(text: str, end: int) -> bool:
    """Whether the full stop at text[end] closes an abbreviation or an initial."""
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    word = text[start:end].lower()
    if not word:
        return False
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
        return True
    # "J. Smith", "A. N. Other": one capital letter
    return len(word) == 1 and text[start].isupper()


def sentences(text: str) -> list[str]:
    """The sentences of text in order, each stripped, line breaks within none."""
    out: list[str] = []
    for line in re.split(r"\r?\n", text):
        start = 0
        for match in _END.finditer(line):
            stop = match.start(1)
            marks = match.group(1)
            after = match.end()
            if after >= len(line):
                continue  # the line's end closes it anyway
            if marks == "." and _abbreviation_before(line, stop):
                word = re.findall(r"[\w.]+$", line[:stop])
                nxt = re.match(r"\W*(\w+)", line[after:])
                if not (word and word[0].lower() in _MAY_END and nxt
                        and nxt.group(1).lower() in _OPENERS):
                    continue
            if marks == "." and re.fullmatch(r"\s*(?:\d{1,2}|[a-zA-Z])", line[start:stop]):
                continue  # "1. Funding", "a. Staff": a list's number, not a sentence
            if not _OPENS.match(line, after):  # "etc. and more", "3.5 m": no new sentence
                continue
            piece = line[start:match.end(2)].strip()
            if piece:
                out.append(piece)
            start = after
        piece = line[start:].strip()
        if piece:
            out.append(piece)
    return out


def spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of text lies: (start, end) offsets, in order."""
    found: list[tuple[int, int]] = []
    at = 0
    for sentence in sentences(text):
        start = text.find(sentence, at)
        if start < 0:  # cannot happen: sentences are slices of text
            continue
        found.append((start, start + len(sentence)))
        at = start + len(sentence)
    return found


__all__ = ["ABBREVIATIONS", "sentences", "spans"]
