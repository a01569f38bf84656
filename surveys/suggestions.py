"""An area's suggested actions as a person writing up a self-assessment lists them.

Answers to "What actions would you suggest?" are proposals, not opinions to count: each
distinct proposal is listed, worded as an action (`action_wording.suggestion_wording`);
answers that make the same proposal in other words are one proposal "suggested by N";
"Not sure", "happy as it is", "n/a" and the like are left out and counted. Seed 004's
Appendix A lists its suggested actions so, lettered a), b), c) per area. An answer that
only doubts a need ("Not sure more networking is needed - we need delivery") is a view,
not an action a board could agree: it is kept apart (`Proposals.views`), and the report
gives it in the partner's words after the list rather than lettered among the actions.

Near-duplicates: two answers are the same proposal when their sentence vectors (MiniLM,
the product's own encoder) have a cosine of at least 0.75, or at least 0.60 while sharing
70% of the shorter one's content words. Measured by `bench/suggestion_pairs.py` on 68 pairs
that say the same thing in other words and 2,226 pairs of different proposals from the
demo's answer pools (bench/README.md): no two different proposals merged, 68% of the
same-proposal pairs merged. A missed merge lists one proposal twice; a wrong merge would
hide one, so the threshold errs on the side of listing. Groups are complete-linkage:
every two answers of a group pass the test, so a chain of near ones never joins two far
ones. Another encoder's cosines are on another scale: under one, only answers in the same
words (case, spacing and punctuation aside) are merged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from surveys.action_wording import as_action, sentences, suggestion_wording
from surveys.plural import count, verb
from surveys.themes import Embedder, is_non_answer

SAME_COSINE = 0.75
NEAR_COSINE = 0.60
NEAR_OVERLAP = 0.7
# Beyond this many distinct proposals an area is themed as other questions are (a reader
# takes in two dozen lines; a hundred need grouping), every proposal kept in the workbook.
THEME_ABOVE = 25
CALIBRATED = "all-minilm"   # the encoder the thresholds were measured with (its name's start)
NOTHING_PROPOSED = '"not sure", "happy as it is", "n/a" and the like'

# "Not sure - happy with it as it is", "happy as it is", "no suggestions", "nothing to add":
# no proposal. "Not sure more networking is needed" is one, and stays.
_NO_PROPOSAL = re.compile(
    r"^\W*(?:(?:not sure|unsure|don'?t know|no idea|n/?a)\b\W*(?:$|[-–—,.:;(]\s*|what\b)|"
    r"(?:(?:i'?m|we'?re|i am|we are)\s+)?(?:happy|content|fine|ok|okay)\s+(?:with\s+(?:it|things|"
    r"this)\s+)?as\s+(?:it|things)\s+(?:is|are)\b|"
    r"no\s+(?:further\s+|more\s+|other\s+)?(?:suggestions?|actions?|comments?)\b|"
    r"nothing\s+(?:to\s+(?:add|suggest)|more|else)\b|none\s+(?:really|for now)\b)",
    re.IGNORECASE)
# "Not sure more networking is needed", "I don't think another sub-group is needed", "No
# need for more meetings": a view on what is not needed. A view only when no sentence of the
# answer reads as an action ("Not sure a new forum is needed. Use the theme groups." is one).
_DOUBTED_NEED = re.compile(
    r"^\W*(?:(?:i'?m |i am )?not sure\b[^.!?]{0,80}?\b(?:is|are)\s+(?:really\s+)?"
    r"(?:needed|necessary|required|the answer)\b|"
    r"(?:i )?(?:don'?t|do not) think\b[^.!?]{0,80}?\b(?:need|needed|necessary)\b|"
    r"(?:there'?s |there is )?no (?:real )?need (?:for|to)\b)",
    re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_FLAT = re.compile(r"[^a-z0-9]+")
# Words that carry no proposal of their own: most answers here name the partnership or
# its partners, and "should"/"need" only frame the proposal.
_QUIET = frozenset("""
    a an the and or of to in on for with at by from is are was were be been it its this that
    we our us they their them i my me you your not no too very so as but all any more most
    just have has had do does did there here what who which should need needs get make lsp
    partner partners partnership board each every one also
""".split())


@dataclass(frozen=True)
class Proposal:
    """One distinct proposal: its wording as an action, and the answers that make it."""

    wording: str
    answers: tuple[int, ...]          # indexes of the answers (into the texts given)
    words: tuple[str, ...]            # the partners' own words, each distinct text once

    @property
    def count(self) -> int:
        """How many answers suggested it."""
        return len(self.answers)


@dataclass(frozen=True)
class Proposals:
    """An area's proposals, most suggested first, and how many answers proposed nothing."""

    proposals: tuple[Proposal, ...]
    left_out: int = 0
    views: tuple[str, ...] = ()   # answers that doubt a need, not proposing (in word order)


def proposes_nothing(text: str) -> bool:
    """Whether an answer makes no proposal: "n/a", "-", "Not sure - happy as it is"."""
    return is_non_answer(text) or bool(_NO_PROPOSAL.match(text.strip()))


def is_view(text: str) -> bool:
    """Whether an answer only doubts a need ("Not sure more networking is needed - we need
    delivery"): a view, with no sentence that reads as an action."""
    return bool(_DOUBTED_NEED.match(text.strip())) and not any(
        as_action(s) for s in sentences(text))


def flat(text: str) -> str:
    """A text with case, spacing and punctuation aside: answers equal so are one text."""
    return _FLAT.sub(" ", text.casefold()).strip()


def content_words(text: str) -> set[str]:
    """The words of a text that carry its proposal, cut to five letters ("meeting",
    "meetings" alike)."""
    return {w[:5] for w in _WORD.findall(text.casefold()) if len(w) > 2 and w not in _QUIET}


def overlap(a: str, b: str) -> float:
    """The share of the shorter text's content words the other has too."""
    return _shared(content_words(a), content_words(b))


def _shared(wa: set[str], wb: set[str]) -> float:
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def same_proposal(cosine: float, a: str, b: str) -> bool:
    """The near-duplicate test (see the module's docstring for how it was measured)."""
    return cosine >= SAME_COSINE or (cosine >= NEAR_COSINE and overlap(a, b) >= NEAR_OVERLAP)


def _groups(texts: Sequence[str], embedder: Embedder) -> list[list[int]]:
    """Indexes of the distinct texts grouped by proposal (complete linkage, closest first)."""
    groups = [[n] for n in range(len(texts))]
    if len(texts) < 2 or not embedder.name.startswith(CALIBRATED):
        return groups
    vectors = np.asarray(embedder.embed(list(texts)), dtype=np.float32)
    # Complete linkage kept as matrices: a merged group's link to another is the weaker
    # of its two parts' (lowest cosine; near only if every pair was near).
    link = (vectors @ vectors.T).astype(np.float64)
    near = link >= SAME_COSINE   # `same_proposal`, a matrix at a time
    words = [content_words(t) for t in texts]
    for i, j in zip(*np.nonzero(np.triu((link >= NEAR_COSINE) & ~near, 1)), strict=True):
        # The word test only where the cosine alone is not enough: a few pairs, not all.
        near[i, j] = near[j, i] = _shared(words[i], words[j]) >= NEAR_OVERLAP
    np.fill_diagonal(near, False)
    # Only texts near another can merge: the linkage runs over them alone (a few dozen of
    # a thousand answers, not a thousand-square matrix a merge).
    some = np.flatnonzero(near.any(axis=1))
    link, near = link[np.ix_(some, some)], near[np.ix_(some, some)]
    alive = np.ones(len(some), dtype=bool)
    while True:
        score = np.where(near & alive[:, None] & alive[None, :], link, -np.inf)
        x, y = np.unravel_index(int(np.argmax(score)), score.shape) if len(some) else (0, 0)
        if not len(some) or score[x, y] == -np.inf:
            gone = {int(some[n]) for n in np.flatnonzero(~alive)}
            return [g for n, g in enumerate(groups) if n not in gone]
        x, y = min(x, y), max(x, y)
        groups[some[x]] += groups[some[y]]
        link[x, :] = link[:, x] = np.minimum(link[x], link[y])
        near[x, :] = near[:, x] = near[x] & near[y]
        alive[y] = False


def gather_proposals(texts: Sequence[str], embedder: Embedder) -> Proposals:
    """The distinct proposals of some answers, near-duplicates merged, most suggested first
    (then in the order of their wording, so nothing about who answered when shows)."""
    kept = [n for n, t in enumerate(texts) if not proposes_nothing(t)]
    views = [n for n in kept if is_view(texts[n])]
    kept = [n for n in kept if n not in views]
    by_text: dict[str, list[int]] = {}
    for n in kept:
        by_text.setdefault(flat(texts[n]), []).append(n)
    distinct = sorted(by_text, key=lambda key: (-len(by_text[key]), key))
    first = [texts[by_text[key][0]] for key in distinct]
    out = []
    for group in _groups(first, embedder):
        # The text most answers gave speaks for the group (then the first in word order).
        group.sort(key=lambda g: (-len(by_text[distinct[g]]), distinct[g]))
        words = tuple(first[g].strip() for g in group)
        answers = tuple(sorted(n for g in group for n in by_text[distinct[g]]))
        out.append(Proposal(suggestion_wording(words), answers, words))
    out.sort(key=lambda p: (-p.count, p.wording.casefold()))
    seen = {flat(texts[n]): texts[n].strip() for n in views}
    return Proposals(tuple(out), len(texts) - len(kept) - len(views),
                     tuple(seen[key] for key in sorted(seen)))


def letter(n: int) -> str:
    """The n-th (from 0) item's mark in seed 004's lists: "a)", "b)", … "z)", then "27)"."""
    return f"{chr(ord('a') + n)})" if n < 26 else f"{n + 1})"


def proposers(n: int) -> str:
    """"(suggested by 3)", or "" for a proposal one partner made: "(suggested by 1)" after
    every line of a list where each has one proposer is noise."""
    return f"(suggested by {n})" if n > 1 else ""


_MARK = re.compile(r"^\s*(?:([a-z])|(\d{1,4}))\s*\)?\s*$", re.IGNORECASE)


def mark_index(text: str) -> int | None:
    """The item a mark names, as `letter` prints it ("c)" or "c" → 2, "27)" → 26); None
    for anything else (a letter past z, which `letter` never prints, is None too)."""
    found = _MARK.match(text)
    if found is None:
        return None
    if found.group(1):
        return ord(found.group(1).lower()) - ord("a")
    n = int(found.group(2)) - 1
    return n if n >= 26 else None


def left_out_note(n: int) -> str:
    """The note under an area's suggestions: how many answers proposed nothing."""
    return (f"{count(n, 'answer')} {verb(n, 'suggests', 'suggest')} no action "
            f"({NOTHING_PROPOSED}) and {verb(n, 'is', 'are')} left out.")
