"""What a theme is called and the points listed after its label, drawn from what partners said.

Built in layers, as BERTopic builds topic representations (class-based TF-IDF candidates,
re-ranked by closeness to the topic's centre, diversified by maximal marginal relevance),
but over whole phrases rather than single words:

1. candidates: every 2-6 word run of a clause in the theme's answers (`phrases.candidates`);
2. a lexical score: the share of the theme's answers that use the phrase, times how rare
   it is across the question's other answers (class TF-IDF);
3. the best of those, embedded, re-ranked by similarity to the centre of the theme;
4. a label: the best that passes `headings.is_label` and is close enough to the centre; a
   theme with none has no label (its answers go to "Other points");
5. points: further phrases chosen by maximal marginal relevance, each unlike the label and
   the points before it, fewer for themes raised by few partners.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from .backing import LABEL_BACKERS, backers_needed, backing
from .cuts import bare
from .embed import Embedder, _unit
from .heading_words import BE, DETERMINERS, PRONOUNS, SUBORDINATORS
from .headings import COORDINATORS, contradicts, coordinated, is_label, narrows, tidy
from .phrases import (
    Phrase,
    candidates_of,
    clauses,
    content_stems,
    flat,
    is_edge,
    occurs_in,
    only_what_was_done_to,
    said_otherwise,
    whole_clause_of,
)
from .references import reference_vectors

SHORTLIST = 16  # candidates per theme re-ranked by the encoder
# A new theme's candidates are ranked for the shortlist by how many of its answers use the
# phrase and, this much, by how widely they use its words. Where every phrase is one
# answer's (new writing seldom repeats a run of words), the share alone had left the
# shortlist to the alphabet: "Town hall" and "Government Office deadline" were shortlisted
# for being short, and the phrases about money, never. Twice as many, since few of them
# are close enough to be a point. On the dev sets, no codebook: new themes with points
# 195 of 240 -> 224 of 251 (with NEW_POINT_MIN, 243), answers in "Other points" 12.3% ->
# 9.3% (without `engine._adopt`), ARI pooled 0.329 -> 0.338 (bench/themes_clusters.py).
NEW_SHORTLIST = 32
WORDS_WEIGHT = 0.5
SAMPLE_POINTS = 240  # most central points of a theme that candidates are drawn from
COVERAGE_WEIGHT = 0.35  # share of answers using a phrase, against closeness to the centre
DISTINCT_WEIGHT = 0.05  # how much rarity elsewhere in the question adds
LENGTH_BONUS = {2: 0.03, 3: 0.03, 4: 0.0, 5: -0.03, 6: -0.06}  # short headings read best
# Below this a label misleads; set on the dev sets (at 0.55, 83 of the 172 held-out
# barriers answers were left unnamed and ARI fell from 0.18 to 0.06).
LABEL_MIN_SIMILARITY = 0.4
POINT_MIN_SIMILARITY = 0.45
# A new theme's centre is the mean of answers that share no phrase, so a short phrase of
# one of them sits further from it than a codebook theme's points from theirs: at 0.45, five
# of the seven themes of dev_mixed's barriers listed no point (45 of 240 on the dev sets);
# at 0.35, 8 of 251, at 0.3, 5, with more phrases that say little ("Two years").
NEW_POINT_MIN = 0.35
# Each run a label joins with "and" must be this close to the theme's centre by itself.
# On the dev sets and the 10,000-answer bench round, labels joining runs that belong
# together scored 0.37-0.66 on their weaker side ("Time and funding", "Guidance and advice
# lacking"); two points run together 0.07-0.32 ("Healthy challenge and a forum",
# "Probation and the joint initiative", "Instance housing and health").
SIDE_MIN_SIMILARITY = 0.35
# A short point (up to three words: a bare noun or two) must say something about its
# theme: share a word with the label or be this close to it. On the demo's framework review
# "Relationships: Private sector person" was 0.12 from its label, "Unclear accountability:
# Council chamber" 0.15, "Greater awareness & understanding: Housing strategy" 0.01;
# "Instability: Constant restructuring" is 0.25. (Closeness to a codebook's description
# let bare nouns back in: "Communication: LSP agenda", 0.08 from its label, is 0.65 from
# "not knowing how to feed issues to the LSP".) A longer point says more in partners'
# words, and the encoder's closeness to a short label does not tell a good one from a bad
# one ("Informal contact between meetings: Trust gets built over coffee" is 0.14); under a
# codebook theme it must still be this close to the label or an aspect of its description
# ("Relationships: Private sector person in the room", 0.25, is not; "Lack of resources:
# Part-time officer supporting the whole partnership", 0.53, is).
SHORT_POINT_WORDS = 3
SHORT_POINT_ABOUT = 0.2
POINT_MEANING = 0.3
# A codebook theme raised by this many partners that lists no point, but quotes some,
# lists one spare phrase of theirs (`_spare`, `finish.points_said`): "Coordination (raised
# by 18)" had shown quotes and nothing said, since its partners' short phrases ("Risk
# sharing", 0.19 from the bare label) were not close enough to "Coordination". A spare is
# held to the codebook's description and examples instead (a short one this close to
# one of them) and to SPARE_MIN of the theme's centre, and must be backed by SPARE_BACKERS
# answers (`backing`: using it, or a point of theirs saying the same): one answer's
# phrase so held gave "'Buy in': LSP advises", "Resources: Leader in the place" (of "…seen
# as a leader in the place"). A theme with points never lists one. A new theme has one
# too: dev_mixed's barriers "Short guide for new members (raised by 7)" listed nothing,
# its partners' phrases each one answer's and under NEW_POINT_MIN; "Nobody gave us an
# induction pack" (0.32 from its centre) is said in other words by another of them.
SPARE_COUNT = 4
SPARE_BACKERS = 2
SPARE_MIN = 0.3
SPARE_SHORT_MEANING = 0.55
SPARES = 4
# A codebook theme raised by this many partners that has neither a point nor a spare lists
# the most central whole short clause of its answers plainly about it that another of them
# says in other words (`_clause`): its candidate runs had all failed (bare nouns, clauses cut
# short, repeats of the label), and "Clear communication (raised by 10)" showed quotes and
# nothing said.
CLAUSE_COUNT = 5
CLAUSE_WORDS = (3, 8)
# Opening on one of these, a clause leans on what came before: "It feels like a council
# committee", "Which is why nobody comes".
_LEANING = SUBORDINATORS | COORDINATORS | frozenset(
    "it this that these those they them he she there also".split())
ARTICLES = frozenset("a an the".split())
# Nor may it hold a pronoun but "we", "our" or "us", which point to what the answer said
# before it ("Hard to say it concentrated minds much overall").
_POINTING = PRONOUNS - {"we", "our", "us"} | frozenset("it its this these those".split())
MMR_DIVERSITY = 0.4  # weight of unlikeness to what is already listed
MAX_POINTS = 4


def points_for(count: int) -> int:
    """How many points a theme raised by `count` partners lists: none for one partner."""
    return min(MAX_POINTS, count // 2)


@dataclass
class Draft:
    """One theme being described: its points' texts and answers, and its centre."""

    texts: Sequence[str]
    answers: Sequence[int]
    centre: np.ndarray
    label: str = ""  # fixed (a codebook's) or found here
    # Answers whose main theme it is (it quotes them): points come only from these, so no
    # point is taken from an answer quoted under another theme. Empty: any of its answers.
    quoted: frozenset[int] = frozenset()
    # What the label means beyond its words (a codebook's description and its aspects):
    # a point close to one of these is about the theme. Never printed.
    meaning: tuple[str, ...] = ()
    # Texts that are items of a list an answer gave after a head ("Constant restructuring -
    # PCT, police basic command units, the council itself"): examples of what it said.
    examples: frozenset[str] = frozenset()
    # For an answer with a list a preposition governs ("Networking between public, private
    # and voluntary sectors…"), the runs the whole answer gives (`phrases.candidates`, as
    # `flat`): its points, cut at the list's commas, would give "Networking between
    # public" and "Private and voluntary sectors", pieces of one point, without it.
    in_context: dict[int, set[str]] = field(default_factory=dict)
    # Its answers' whole texts, by answer: a last-resort clause (`_clause`) must be a whole
    # clause of its answer as punctuated there, not a piece the answer was cut into.
    said: dict[int, str] = field(default_factory=dict)
    # A codebook theme's points (text, answer) of its main answers that are not plainly
    # about it (`about.about`), which it draws no point from: a last-resort clause may come
    # from them too (`_clause`), since `about` finds only a few of a big theme's answers
    # plainly about it ("Clear communication (raised by 10)", three).
    unplain: tuple[tuple[str, int], ...] = ()


@dataclass
class Description:
    """A theme's label ("" when no phrase would do) and its points."""

    label: str
    points: tuple[str, ...]
    spare: tuple[str, ...] = ()  # for a theme with no point that quotes answers (`_spare`)
    clause: tuple[str, ...] = ()  # for a codebook theme with neither, raised by many (`_clause`)


@dataclass
class _Candidate:
    phrase: Phrase
    answers: set[int]
    score: float = 0.0
    words: float = 0.0  # the mean share of the theme's answers using each of its words
    # Said whole by at least one answer: not only a piece of a list a preposition governs
    # (`Draft.in_context`). A piece may still head a theme, as before (a label refused
    # there sent a theme's answers to "Other points": dev_voices key-leadership lost
    # "Responsibilities for the board", ARI 0.764 -> 0.646), but is never listed as a point.
    whole: bool = True


def _word_shares(draft: Draft) -> dict[str, float]:
    """The share of a theme's answers that use each content word (by its stem)."""
    users: dict[str, set[int]] = defaultdict(set)
    for text, answer in zip(draft.texts, draft.answers, strict=True):
        for s in content_stems(text):
            users[s].add(answer)
    size = max(1, len(set(draft.answers)))
    return {s: len(a) / size for s, a in users.items()}


def _words_share(text: str, shares: dict[str, float]) -> float:
    """How widely a theme's answers use a phrase's content words, on average.

    `fsum` is exact, so the mean does not hang on the order a set of words iterates in,
    which changes with each process's string hashing (PYTHONHASHSEED): a plain `sum`
    differed in its last bit from run to run, and two candidates tied but for that bit
    swapped places at the shortlist's end (dev_ramble key-leadership, no codebook, listed
    the point "Telling people" in some processes and not in others)."""
    own = content_stems(text)
    return math.fsum(shares.get(s, 0.0) for s in own) / len(own) if own else 0.0


def _collect(draft: Draft) -> dict[tuple[str, ...], _Candidate]:
    """Candidates of one theme by their stems, each with the answers that use it."""
    found: dict[tuple[str, ...], _Candidate] = {}
    spelt: dict[tuple[str, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for text, answer in zip(draft.texts, draft.answers, strict=True):
        seen: set[tuple[str, ...]] = set()
        context = draft.in_context.get(answer)
        for phrase in candidates_of(text):
            if phrase.stems in seen:
                continue
            whole = context is None or flat(phrase.text) in context
            seen.add(phrase.stems)
            spelt[phrase.stems][phrase.text] += 1
            got = found.get(phrase.stems)
            if got is None:
                found[phrase.stems] = _Candidate(phrase, {answer}, whole=whole)
            else:
                got.answers.add(answer)
                got.whole = got.whole or whole
    for stems, got in found.items():  # the commonest spelling, then the first in order
        best = max(sorted(spelt[stems]), key=lambda t: spelt[stems][t])
        got.phrase = Phrase(best, stems)
    return found


def _redundant(mine: set[str], chosen: list[set[str]], label: set[str]) -> bool:
    """A phrase whose content words only repeat the label's, or repeat, hold, or half
    overlap those of a point listed. A point that holds the label's words and says more
    is what partners said about it: under "LAA", "Pace of the LAA"; under
    "Communication", "Communication is all one way" (dropping every point that held a
    one-word label left "LAA", "Relationships" and "Communication" with none)."""
    return mine <= label or any(mine <= theirs or theirs <= mine
                                or len(mine & theirs) >= 0.5 * len(mine | theirs)
                                for theirs in chosen)


def _named_only(phrase: str, texts: Sequence[str]) -> bool:
    """Whether each of a theme's points that holds a phrase holds it only as what a
    partner did something to (`phrases.only_what_was_done_to`)."""
    holding = [t for t in texts if occurs_in(phrase, t)]
    return bool(holding) and all(only_what_was_done_to(phrase, t) for t in holding)


def _denied(phrase: str, texts: Sequence[str]) -> bool:
    """Whether each of a theme's points that holds a phrase holds it only where, listed
    alone, it would say otherwise (`phrases.said_otherwise`): the SWOT's weaknesses listed
    "Buy-in & attendance: Actions agreed at meetings" of "Actions agreed at meetings don't
    get done and nobody chases them"; the SCS question "Accountability: Voluntary sector
    contributes" of "Recognise what the voluntary sector contributes…"."""
    holding = [t for t in texts if occurs_in(phrase, t)]
    return bool(holding) and all(said_otherwise(phrase, t) for t in holding)


def _only_an_example(phrase: str, draft: Draft) -> bool:
    """Whether every one of a theme's points that holds a phrase is an item of a list its
    answer gave as examples of something else: "Police basic command units", one of the
    bodies a partner listed after "Constant restructuring -", names no theme (raised by 3
    with the others' "partners" and "officers", it headed one with no point or quote)."""
    holding = [t for t in draft.texts if occurs_in(phrase, t)]
    return bool(holding) and all(t in draft.examples for t in holding)


def _one_run(a: str, b: str) -> bool:
    """Whether two phrases are pieces of one run of words that meet on a word they share:
    "Clear ownership of each target" and "Target by a named partner", both of "Clear
    ownership of each target by a named partner", list one thing as two half points."""
    x, y = a.lower().split(), b.lower().split()
    for first, second in ((x, y), (y, x)):
        if any(first[-k:] == second[:k] for k in range(1, min(len(first), len(second)))):
            return True
    return False


_ENDING = re.compile(r"(?:ing|ed|es|s)$")


def _said(text: str) -> set[str]:
    """A phrase's content words without their endings, to compare a point with its label
    and the points before it ("Tasking group" repeats "Task groups")."""
    return {_ENDING.sub("", w.lower().replace("’", "'").strip("'"))[:5]
            for w in text.split() if not is_edge(w)}


def describe(drafts: Sequence[Draft], embedder: Embedder, question: str = "",
             counts: Sequence[int] | None = None,
             known: dict[str, np.ndarray] | None = None,
             only: Collection[int] | None = None) -> list[Description]:
    """Labels (for drafts without one) and points for every theme of one question;
    `known` vectors (e.g. of whole points) are used rather than embedding a text again.
    With `only`, just those drafts are described (the others come back with their label
    and no point), each phrase's rarity still counted over every draft's answers."""
    pools = [_collect(d) for d in drafts]
    answers_of = [set(d.answers) for d in drafts]
    total = len(set().union(*answers_of)) if drafts else 0
    df: dict[tuple[str, ...], int] = defaultdict(int)
    for pool in pools:
        for stems, cand in pool.items():
            df[stems] += len(cand.answers)
    shortlists: list[list[_Candidate]] = []
    for draft, pool, members in zip(drafts, pools, answers_of, strict=True):
        size = max(1, len(members))
        words = {} if draft.label else _word_shares(draft)
        for stems, cand in pool.items():
            share = len(cand.answers) / size
            rarity = np.log(1 + total / max(1, df[stems]))
            cand.score = share * (1 + DISTINCT_WEIGHT * rarity)
            if words:
                cand.words = _words_share(cand.phrase.text, words)
                cand.score += WORDS_WEIGHT * cand.words
        ranked = sorted(pool.values(), key=lambda c: (-c.score, len(c.phrase.stems),
                                                      c.phrase.text))
        wanted = only is None or len(shortlists) in only
        shortlists.append(ranked[:SHORTLIST if draft.label else NEW_SHORTLIST] if wanted else [])
    texts = list(dict.fromkeys(c.phrase.text for short in shortlists for c in short))
    known = known or {}
    todo = [t for t in texts if t not in known]
    fresh = embedder.embed(todo) if todo else None
    dim = len(drafts[0].centre) if drafts else 1
    vectors = np.zeros((len(texts), dim), dtype=np.float32)
    done = {t: k for k, t in enumerate(todo)}
    for n, text in enumerate(texts):
        vectors[n] = known[text] if text in known else fresh[done[text]]  # type: ignore[index]
    row = {t: i for i, t in enumerate(texts)}
    # The points of themes still to be named, to see how many answers back a label or a
    # new theme's spare point (`backing`); a named theme's spare is held to its own words.
    said = list(dict.fromkeys(t for n, d in enumerate(drafts)
                              if not d.label and (only is None or n in only)
                              for t in d.texts if t not in known))
    more = dict(zip(said, embedder.embed(said), strict=True)) if said else {}
    out: list[Description] = []
    for n, (draft, short) in enumerate(zip(drafts, shortlists, strict=True)):
        if only is not None and n not in only:
            out.append(Description(draft.label, ()))
            continue
        count = counts[n] if counts is not None else len(answers_of[n])
        own = np.stack([known[t] if t in known else more[t] for t in draft.texts]) \
            if not draft.label and len(draft.texts) else None
        out.append(_describe_one(draft, short, vectors, row, question, count, embedder, own))
    return out


def _sides(text: str) -> list[str]:
    """The runs a phrase joins with and, or, plus, &: "time and funding" gives two."""
    sides: list[list[str]] = [[]]
    for word in text.split():
        if word.lower() in COORDINATORS:
            sides.append([])
        else:
            sides[-1].append(word)
    return [" ".join(side) for side in sides if side]


def _sides_hold(text: str, centre: np.ndarray, embedder: Embedder) -> bool:
    """Whether each run a label joins is about the theme: "Healthy challenge and borough"
    (one answer's "…healthy challenge and borough does housing") takes its closeness from
    one side; "borough" alone is not what the theme is about."""
    if not coordinated(text):
        return True
    return float((embedder.embed(_sides(text)) @ centre).min()) >= SIDE_MIN_SIMILARITY


def _describe_one(draft: Draft, short: list[_Candidate], vectors: np.ndarray,
                  row: dict[str, int], question: str, count: int,
                  embedder: Embedder, own: np.ndarray | None = None) -> Description:
    size = max(1, len(set(draft.answers)))
    if not short:
        return Description(draft.label, ())
    vecs = vectors[[row[c.phrase.text] for c in short]]
    closeness = vecs @ draft.centre
    final = np.array([
        closeness[k] + COVERAGE_WEIGHT * len(c.answers) / size
        + LENGTH_BONUS.get(len(c.phrase.stems), -0.1)
        for k, c in enumerate(short)])
    order = sorted(range(len(short)), key=lambda k: (-final[k], short[k].phrase.text))
    label = draft.label
    chosen_stems: list[set[str]] = []  # of the points listed
    chosen_vecs: list[np.ndarray] = []  # of the label and the points listed
    if label:
        label_vec = reference_vectors([label], embedder)[0]
        chosen_vecs.append(label_vec)
    else:
        # A new theme that is the main theme of one answer only names that answer, not
        # what several share: "Police car: Street triage (raised by 7)" was the main theme
        # of the street triage answer and a second idea of six others. (One that is no
        # answer's main theme is named for the second idea its answers share.)
        if 0 < len(draft.quoted) < LABEL_BACKERS:
            return Description("", ())
        for k in order:
            if closeness[k] >= LABEL_MIN_SIMILARITY and is_label(short[k].phrase.text, question) \
                    and not _only_an_example(short[k].phrase.text, draft) \
                    and len(backing(short[k].phrase.text, short[k].answers, vecs[k], draft.texts,
                                     draft.answers, own)) >= backers_needed(short[k].phrase.text) \
                    and _sides_hold(short[k].phrase.text, draft.centre, embedder):
                label = tidy(short[k].phrase.text)
                chosen_vecs.append(vecs[k])
                break
        if not label:
            return Description("", ())
    points: list[str] = []
    wanted = points_for(count)
    about = _about(vecs, [c.phrase.text for c in short], label, chosen_vecs[0],
                   draft.meaning, embedder)
    floor = POINT_MIN_SIMILARITY if draft.label else NEW_POINT_MIN
    left = [k for k in order if closeness[k] >= floor and about[k]
            and is_label(short[k].phrase.text, point=True)
            and not contradicts(short[k].phrase.text, label)
            and not narrows(short[k].phrase.text, label)
            and short[k].whole and not _named_only(short[k].phrase.text, draft.texts)
            and not _denied(short[k].phrase.text, draft.texts)
            and (not draft.quoted or short[k].answers & draft.quoted)]
    while len(points) < wanted and left:
        best, best_value = -1, -np.inf
        for k in left:
            if _redundant(_said(short[k].phrase.text), chosen_stems, _said(label)) \
                    or any(_one_run(short[k].phrase.text, p) for p in points):
                continue
            overlap = max(float(vecs[k] @ v) for v in chosen_vecs) if chosen_vecs else 0.0
            value = (1 - MMR_DIVERSITY) * final[k] - MMR_DIVERSITY * overlap
            if value > best_value + 1e-9:
                best, best_value = k, value
        if best < 0:
            break
        left.remove(best)
        points.append(tidy(short[best].phrase.text))  # one capitalisation in a list
        chosen_stems.append(_said(short[best].phrase.text))
        chosen_vecs.append(vecs[best])
    spare = _spare(draft, short, order, closeness, vecs, label, embedder, own) \
        if not points and label and count >= SPARE_COUNT else ()
    clause = _clause(draft, label, embedder) \
        if not points and not spare and draft.label and count >= CLAUSE_COUNT else ()
    return Description(label, tuple(points), spare, clause)


def _spare(draft: Draft, short: list[_Candidate], order: list[int], closeness: np.ndarray,
           vecs: np.ndarray, label: str, embedder: Embedder,
           own: np.ndarray | None) -> tuple[str, ...]:
    """Phrases, most typical first, one of which a theme raised by many lists when no
    phrase passed for a point and it quotes some answers (`finish`): what more than one
    of those partners said, in its words or in their own (`backing`), held to a
    codebook's meaning rather than the bare label, and to SPARE_MIN of the theme's centre
    (see SPARE_COUNT)."""
    about = _about(vecs, [c.phrase.text for c in short], label,
                   reference_vectors([label], embedder)[0], draft.meaning, embedder,
                   short_meaning=SPARE_SHORT_MEANING)
    return tuple(tidy(short[k].phrase.text) for k in order
                 if about[k] and (
                     closeness[k] >= NEW_POINT_MIN and len(short[k].answers) >= SPARE_BACKERS
                     if draft.label else
                     closeness[k] >= SPARE_MIN
                     and len(backing(short[k].phrase.text, short[k].answers, vecs[k],
                                     draft.texts, draft.answers, own)) >= SPARE_BACKERS)
                 and is_label(short[k].phrase.text, point=True)
                 and not contradicts(short[k].phrase.text, label)
                 and not narrows(short[k].phrase.text, label) and short[k].whole
                 and not _named_only(short[k].phrase.text, draft.texts)
                 and not _denied(short[k].phrase.text, draft.texts)
                 and (not draft.quoted or short[k].answers & draft.quoted)
                 and not _redundant(_said(short[k].phrase.text), [], _said(label)))[:SPARES]


def _clause(draft: Draft, label: str, embedder: Embedder) -> tuple[str, ...]:
    """The most central whole clause (CLAUSE_WORDS) of a codebook theme's answers plainly
    about it or whose main theme it is (`Draft.unplain`), listed as a last resort (see
    CLAUSE_COUNT): one that opens and ends on a word of its own (not leaning on what came
    before, not cut on an edge word), a whole clause of its answer and no item of a list
    there (`phrases.whole_clause_of`), about the theme, saying more than the label, and
    backed by SPARE_BACKERS answers (`backing`: one more says it, or the same in other
    words)."""
    low, high = CLAUSE_WORDS
    found: dict[str, int] = {}
    said = [(t, a) for t, a in zip(draft.texts, draft.answers, strict=True)
            if not draft.quoted or a in draft.quoted]
    said += [(t, a) for t, a in draft.unplain if (t, a) not in set(said)]
    for text, answer in said:
        for words in clauses(text):  # ending on a possessive, it is cut short
            if low <= len(words) <= high and not words[-1].endswith(("'s", "’s")) \
                    and bare(words[0]) not in _LEANING \
                    and (not is_edge(words[0]) or bare(words[0]) in ARTICLES) \
                    and not is_edge(words[-1]) \
                    and not any(bare(w) in _POINTING for w in words) \
                    and len(content_stems(" ".join(words))) >= 2 \
                    and (answer not in draft.said or whole_clause_of(words, draft.said[answer])):
                found.setdefault(" ".join(words), answer)
    own_label = _said(label)
    texts = [t for t in found if not _redundant(_said(t), [], own_label)
             and not contradicts(t, label)]
    if not texts or not said:
        return ()
    vecs = embedder.embed(texts)
    own = embedder.embed([t for t, _ in said])
    about = _about(vecs, texts, label, reference_vectors([label], embedder)[0],
                   draft.meaning, embedder)
    closeness = vecs @ draft.centre
    best = [(float(closeness[k]), t) for k, t in enumerate(texts)
            if about[k] and closeness[k] >= SPARE_MIN
            and len(backing(t, {found[t]}, vecs[k], [t for t, _ in said],
                            [a for _, a in said], own)) >= SPARE_BACKERS]
    return tuple(tidy(t) for _, t in sorted(best, key=lambda st: (-st[0], st[1])))[:1]


def _about(vecs: np.ndarray, texts: Sequence[str], label: str, label_vec: np.ndarray,
           meaning: Sequence[str], embedder: Embedder,
           short_meaning: float | None = None) -> list[bool]:
    """Whether each phrase could be listed as a point of the theme (see SHORT_POINT_ABOUT):
    one that shares a word with the label always; a short one if close to the label; a
    longer one unless a codebook says what the label means and the phrase is near neither
    the label nor that."""
    to_label = vecs @ label_vec
    to_meaning = np.maximum(to_label, (vecs @ reference_vectors(meaning, embedder).T).max(axis=1)) \
        if meaning else None
    own = content_stems(label)
    out = []
    # A point that says what its subject is ("Communication with residents is weak") is
    # about a theme by its subject, not by the judgement: "is weak" is as close to "poor
    # attendance at meetings" as any weakness is, and listed it under "Buy-in &
    # attendance" a point about communication.
    subjects = {k: s for k, t in enumerate(texts) if meaning and (s := subject_of(t))}
    near_subject = dict(zip(subjects, np.maximum(
        embedder.embed(list(subjects.values())) @ label_vec,
        (embedder.embed(list(subjects.values())) @ reference_vectors(meaning, embedder).T)
        .max(axis=1)), strict=True)) if subjects else {}
    for k, text in enumerate(texts):
        if own & content_stems(text):
            out.append(True)
        elif len(text.split()) <= SHORT_POINT_WORDS:
            out.append(float(to_label[k]) >= SHORT_POINT_ABOUT or (
                short_meaning is not None and to_meaning is not None
                and float(to_meaning[k]) >= short_meaning))
        else:
            out.append(to_meaning is None or (
                float(to_meaning[k]) >= POINT_MEANING
                and float(near_subject.get(k, POINT_MEANING)) >= POINT_MEANING))
    return out


def subject_of(text: str) -> str:
    """The subject of a point that says what it is: two words or more before a form of
    "be", and after it a word or two that judge it, not a noun phrase, a passive or a
    progressive ("Communication with residents" of "Communication with residents is
    weak"; nothing of "Voluntary sector is losing grants"); else ""."""
    words = text.split()
    for k, w in enumerate(words):
        if bare(w) in BE:
            rest = words[k + 1:]
            if k >= 2 and 0 < len(rest) <= 2 and not any(
                    bare(r) in DETERMINERS or bare(r).endswith(("ing", "ed")) for r in rest):
                return " ".join(words[:k])
            return ""
    return ""


def centre_of(vectors: np.ndarray) -> np.ndarray:
    """The unit mean of some unit rows."""
    return _unit(vectors.sum(axis=0, keepdims=True))[0]


__all__ = ["Description", "Draft", "centre_of", "describe", "points_for"]
