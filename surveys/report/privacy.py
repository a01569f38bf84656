"""Anonymity rules of reports: signature lines, contact details, names and small groups."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

from surveys.report.names import titled_names, untitled_names
from surveys.small_groups import Merged, merge_small_groups, other_label

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{7,}\d(?!\w)")
_SIGN_OFF = re.compile(
    r"^(?:kind |best |warm |warmest |many )?(?:regards|wishes|thanks|thank you|cheers|"
    r"sincerely|yours(?: sincerely| faithfully| truly)?|all the best|best|ta|signed)\b[\s,.!:]*",
    re.IGNORECASE)
_DASH_LINE = re.compile(r"^(?:[-–—~]{1,2}|from:|sent by:|signed:)\s*\S", re.IGNORECASE)
_NAME_WORD = r"[A-Z][\w.'’-]*"
# "Great work overall — Jane, Police": a dash, then a short capitalised signature.
_TRAILING_DASH = re.compile(
    rf"\s+[-–—~]{{1,2}}\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}(?:\s*[,(/]\s*[^,\n]{{1,40}})?\)?\s*$")
# "Partners work together. Regards, Tom": a sign-off sentence closing the last line.
_TRAILING_SIGN_OFF = re.compile(
    r"(?<=[.!?])\s+(?:kind |best |warm |many )?(?:regards|thanks|thank you|cheers|best wishes|"
    rf"yours sincerely|all the best)[\s,.!:]*(?:{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})?[.!]?\s*$",
    re.IGNORECASE)
REMOVED = "[removed]"
NAME = "[name]"


def _words(line: str) -> int:
    return len(re.findall(r"\w+", line))


def _is_signature(line: str) -> bool:
    """A line that signs an answer rather than making a point."""
    stripped = line.strip()
    if not stripped:
        return True
    if _DASH_LINE.match(stripped) and _words(stripped) <= 8:
        return True
    rest = _SIGN_OFF.sub("", stripped, count=1) if _SIGN_OFF.match(stripped) else None
    if rest is not None and _words(rest) <= 5:
        return True
    bare = PHONE.sub("", EMAIL.sub("", stripped))
    return bare != stripped and _words(bare) <= 5


def strip_signature(text: str) -> str:
    """Drop trailing signature lines ("— Jane, Police", "Regards, Tom", contact details)."""
    lines = text.rstrip().splitlines()
    while lines:
        last = lines[-1].strip()
        if len(lines) > 1 and _is_signature(last):
            lines.pop()
            continue
        if (len(lines) > 1 and _words(last) <= 4
                and _SIGN_OFF.fullmatch(lines[-2].strip() or "-")):
            del lines[-2:]
            continue
        break
    if lines:
        lines[-1] = _TRAILING_SIGN_OFF.sub("", _TRAILING_DASH.sub("", lines[-1]))
        if len(lines) == 1 and _is_signature(lines[0]) and _DASH_LINE.match(lines[0].strip()):
            lines = []
    return "\n".join(lines).strip()


_TOKEN = re.compile(r"[\w'’-]+")
_POSSESSIVE = re.compile(r"['’]s?$")
_APOSTROPHES = "'’"
# Two-letter words a name part may also be ("Al", "Li", "Ng" are names, "so" and "we" words).
SHORT_WORDS = frozenset("""
    am an as at be by do go he hi if in is it me my no of oh ok on or ox so to up us we ye
""".split())


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """The words of a text, lower case, with their spans; a possessive's "'s" is left
    outside the word ("Okafor's" is the name Okafor), so "[name]'s" reads on."""
    found = []
    for m in _TOKEN.finditer(text):
        word = m.group().lower()
        # `_POSSESSIVE` only where it can match: a word ending in ' or ’, with or without s.
        stem = _POSSESSIVE.sub("", word) if len(word) > 3 and (
            word[-1] in _APOSTROPHES or (word[-1] == "s" and word[-2] in _APOSTROPHES)) else word
        start = m.start()
        found.append((start, start + len(stem), stem))
    return found


# Parts of names that are everyday words too, several of them the very words partners
# use here ("Green for the LAA", "Town Hall", "safety kit", "script"). Such a part is taken
# for the name only beside a title ("Cllr Green") or another part of the same name; a whole
# name is matched in any case.
EVERYDAY_WORDS = frozenset("""
    amber angel april art august baker bell berry bill black bliss bond brand brown bush
    carter chase cherry clay cook crane dale dawn day dean drew early english fair faith
    field fisher fox frank gay gene gold golden grace grant gray green grey guy hall
    hardy hart heath hill holly hope hunter iris ivy jack jay jewel joy judge june king
    lamb lane lee little long love major march mark marsh mason may miles mill miller
    mills moon moss neat new north page park parks pat patience penny pink piper poole
    price prince rich rivers robin rose ruby rush sage salt savage sharp shaw short
    sky small stone storm strong summer sunny swift taylor terry thatcher tucker turner
    victor wall ward warren waters west white wise wood woods young will rob sue don max
    ray ash eve hazel sandy brook brooks duke earl noble bishop carpenter potter weaver
    fletcher butler archer slater glover chandler gardener gardner best good ford lord
    law bright banks lake kit script town hall chase holly sterling wing
""".split())
TITLES = frozenset("""
    cllr councillor mr mrs ms miss mx dr prof professor sir dame lord lady rev revd
    insp inspector sgt sergeant pc supt superintendent chief
""".split())


class Redactor:
    """Finds names, their parts and organisations in text by word n-grams (fast for thousands)."""

    def __init__(self, terms: set[str], everyday: set[str] | None = None,
                 companions: dict[str, set[str]] | None = None) -> None:
        self.terms = {" ".join(t.lower().split()) for t in terms if t.strip()}
        # Name parts that are everyday words (see EVERYDAY_WORDS), and each part's fellow
        # parts in the names it belongs to.
        self.everyday = {t.lower() for t in everyday or set()}
        self.companions = companions or {}
        # The lengths (longest first) of the terms that open on each word: most words of an
        # answer open none, and are passed over without joining n-grams to look up.
        lengths: dict[str, set[int]] = {}
        for t in self.terms:
            lengths.setdefault(t.split(" ")[0], set()).add(len(t.split(" ")))
        self.sizes = {w: sorted(n, reverse=True) for w, n in lengths.items()}

    def _beside_name(self, text: str, words: list[tuple[int, int, str]], i: int) -> bool:
        """Whether the word at i stands right beside (only spaces between, or a title's
        full stop) a title or another part of the same name."""
        part = words[i][2]
        for j in (i - 1, i + 1):
            if not 0 <= j < len(words):
                continue
            first, second = sorted((i, j))
            gap = text[words[first][1]:words[second][0]].strip()
            word = words[j][2]
            if word in TITLES and j < i and gap in ("", "."):
                return True
            if gap == "" and word in self.companions.get(part, ()):
                return True
        return False

    def sub(self, replacement: str, text: str) -> str:
        """Text with every term (whole words, any case) replaced."""
        words = _tokens(text)
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            for size in self.sizes.get(words[i][2], ()):
                if size > len(words) - i:
                    continue
                gram = " ".join(w for _, _, w in words[i:i + size])
                if gram in self.terms and not (
                    size == 1 and gram in self.everyday and not self._beside_name(text, words, i)
                ):
                    spans.append((words[i][0], words[i + size - 1][1]))
                    i += size
                    break
            else:
                i += 1
        for start, end in reversed(spans):
            text = text[:start] + replacement + text[end:]
        return text


def redactor(names: Iterable[str], organisations: Iterable[str]) -> Redactor | None:
    """A redactor of every given name, each part of a name, and each organisation."""
    terms: set[str] = set()
    parts: set[str] = set()
    whole: set[str] = set()
    companions: dict[str, set[str]] = {}
    for name in names:
        if name and name.strip():
            terms.add(name.strip())
            whole.add(" ".join(name.lower().split()))
            every = {p.lower() for p in _TOKEN.findall(name)}
            # One-letter initials are not names; two-letter parts are unless a word too.
            found = {p for p in every if len(p) >= 2}
            terms.update(found)
            parts.update(found)
            for part in found:
                companions.setdefault(part, set()).update(every - {part})
    for org in organisations:
        if org and org.strip():
            joined = " ".join(_TOKEN.findall(org))
            terms.add(joined)
            whole.add(joined.lower())
    # A one-word name or organisation ("Rose", "Age UK" aside) is matched in any case.
    everyday = (parts & (EVERYDAY_WORDS | SHORT_WORDS)) - whole
    return Redactor(terms, everyday, companions) if terms else None


def clean_text(text: str, pattern: Redactor | None) -> str:
    """A private round's answer text: no signature, contact details, names or organisations."""
    out = strip_signature(text)
    out = PHONE.sub(REMOVED, EMAIL.sub(REMOVED, out))
    if pattern is not None:
        out = pattern.sub(NAME, out)
    return untitled_names(titled_names(out, NAME), NAME)


GROUP_TAG = "group"


def merge_small_answers(values: Mapping[int, str], min_size: int, question: str
                        ) -> tuple[dict[int, str | None], list[Merged]]:
    """The answers to a question that names the respondent's group ("Which sector do you
    represent?"), each answer given by fewer than `min_size` replaced by the "Other" label
    (with the smallest other answers when needed, see merge_small_groups), or by None (not
    shown) when everyone who answered is too few."""
    members: dict[str, set[str]] = {}
    for i, value in values.items():
        members.setdefault(value, set()).add(str(i))
    kept, merges = merge_small_groups(members, min_size, "answer", unit="partners",
                                      where=question)
    out: dict[int, str | None] = {}
    for i, value in values.items():
        if value in kept:
            out[i] = value
        elif str(i) in kept.get(other_label(min_size), set()):
            out[i] = other_label(min_size)
        else:
            out[i] = None
    return out, merges


def pseudonym(round_id: int, response_id: int) -> str:
    """A stable respondent code for a confidential round that says nothing of who or when."""
    digest = hashlib.sha256(f"partnerpulse:{round_id}:{response_id}".encode()).hexdigest()
    return f"R-{int(digest[:10], 16) % 1_000_000:06d}"
