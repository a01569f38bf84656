"""Word overlap between points and codebook themes, weighted by how distinctive a word is.

Partners often use the codebook's own words ("funding", "LAA", "silos"); this score
catches that where the static embedding is vague. Words are cut to five letters, a
cheap stem that also joins "fund", "funding" and "funded".
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import chain

import numpy as np

from .bank import BANK_SUFFIX, bank_rows
from .codebook import CodebookTheme
from .embed import FUNCTION_WORDS, normalise

STOP = FUNCTION_WORDS | {"lack"}  # "lack" opens half the barrier labels
# A stem in at least this share of the shipped banks' answers (bank.py: partners' answers
# to partnership reviews) is a word of every review, not of a theme: the lexical score
# leaves it out. Of the 3,430 framework-review answers, "partn" (partner, partnership)
# is in 16% and "s" (of "'s") in 16%; the next, "t", in 13%. With it counted, the SWOT's
# "The partnership has a track record…" matched "Means of communication" ("…with partners
# and major players") on that word alone (tests/surveys/test_demo_themes.py). On the
# fourteen dev sets (bench/match_dev.py, each set's answer map learned without it):
# label + description 0.818 -> 0.821, built-in 0.879 -> 0.878 (dev_talk 0.880 -> 0.865,
# dev_keys 0.825 -> 0.840); each question's map learned without it: 0.726 -> 0.734 and
# 0.873 -> 0.874. At 0.10 ("t", "every", "peopl", "counc" too) built-in dev_work fell
# 0.779 -> 0.754.
EVERYDAY_SHARE = 0.15


def words(text: str) -> list[str]:
    """Stemmed content words of a text."""
    return [w[:5] for w in re.findall(r"[a-z0-9]+", normalise(text).lower()) if w not in STOP]


@lru_cache(maxsize=1)
def everyday_stems() -> frozenset[str]:
    """Stems in at least EVERYDAY_SHARE of the answers of every shipped bank together."""
    seen: Counter[str] = Counter()
    answers = 0
    folder = resources.files("surveys").joinpath("codebooks")
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if file.name.endswith(BANK_SUFFIX):
            for _, _, answer in bank_rows(file.read_text(encoding="utf-8")):
                seen.update(set(words(answer)))
                answers += 1
    return frozenset(w for w, c in seen.items() if c >= EVERYDAY_SHARE * answers)


# Kept: every question asks it of its points and of its whole answers (most answers are
# one point: the same text), at each of its calls of `lexical_scores`.
@lru_cache(maxsize=1 << 15)
def theme_words(text: str) -> tuple[str, ...]:
    """Stemmed content words of a text, less the words of every review (`everyday_stems`)."""
    everyday = everyday_stems()
    return tuple(w for w in words(text) if w not in everyday)


def lexical_scores(codebook: Sequence[CodebookTheme], points: Sequence[str]) -> np.ndarray:
    """Cosine of TF-IDF word vectors, point against each theme's label, description, examples."""
    docs = [Counter(theme_words(" ".join([t.label, t.description, *t.examples])))
            for t in codebook]
    vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
    df = np.zeros(len(vocab))
    for d in docs:
        for w in d:
            df[vocab[w]] += 1
    idf = np.log((1 + len(docs)) / (1 + df)) + 1
    weights = np.zeros((len(vocab), len(docs)), dtype=np.float32)
    for j, d in enumerate(docs):
        for w, c in d.items():
            weights[vocab[w], j] = (1 + np.log(c)) * idf[vocab[w]]
    weights /= np.maximum(np.linalg.norm(weights, axis=0, keepdims=True), 1e-12)
    out = np.zeros((len(points), len(docs)), dtype=np.float32)
    # A row is worked out once for each run of words (in order, so the sums below add
    # in the same order): a point and its one-point answer, "Funding" said by many.
    first: dict[tuple[str, ...], int] = {}
    for i, point in enumerate(points):
        said = theme_words(point)
        if not said:
            continue
        before = first.setdefault(said, i)
        if before != i:
            out[i] = out[before]
            continue
        counts = Counter(said)
        known = [(vocab[w], c) for w, c in counts.items() if w in vocab]
        # Words the codebook never uses still count in the point's length.
        norm2 = sum(((1 + np.log(c)) * 1.0) ** 2 for w, c in counts.items() if w not in vocab)
        if not known:
            continue
        rows = np.array([k for k, _ in known])
        vals = np.array([(1 + np.log(c)) * idf[k] for k, c in known], dtype=np.float32)
        norm = np.sqrt(norm2 + float((vals**2).sum()))
        out[i] = vals @ weights[rows] / norm
    return out


GRAM_SIZES = (3, 4, 5)
MAX_GRAMS = 1024  # columns kept: the most widespread grams that are not everywhere


# 8,192 words: about 9 MB of grams kept in a long-running bot (1.1 KB a word, measured on
# the dev sets' words; 32,768 would hold ~37 MB, near the 600 MB budget at 10,000 answers
# with a real, varied vocabulary); a word pushed out is cheap to make again.
@lru_cache(maxsize=1 << 13)
def _word_grams(word: str) -> tuple[str, ...]:
    """A content word's grams, each size in turn (a word is in many texts)."""
    padded = f" {word} "
    return tuple(padded[i:i + size] for size in GRAM_SIZES
                 for i in range(max(1, len(padded) - size + 1)))


def _grams_of(text: str) -> Counter[str]:
    """The grams of a text's content words, counted (in the order met)."""
    return Counter(chain.from_iterable(
        _word_grams(word) for word in re.findall(r"[a-z0-9]+", normalise(text).lower())
        if word not in STOP))


class CharGrams:
    """TF-IDF of character 3-5-grams of content words, fitted on one question's texts.

    Spelling variants and typos ("comittee", "committee") share most grams, which the
    embedding's tokens do not. Fitted once on every text, whose grams are counted then
    and kept as the columns and weights of its row (`rows_at`): counting them again for
    each row was a tenth of theming 10,000 answers. Rows are made in chunks, so 10,000
    answers never hold one big matrix.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        ids: dict[str, int] = {}  # every gram met, numbered in order
        grams, counts, ends = array("q"), array("q"), array("q", [0])
        for text in texts:
            found = _grams_of(text)
            grams.extend([ids.setdefault(g, len(ids)) for g in found])
            counts.extend(found.values())
            ends.append(len(grams))
        seen = np.frombuffer(grams, dtype=np.int64) if len(grams) else np.zeros(0, np.int64)
        df = np.bincount(seen, minlength=len(ids)).tolist()  # texts using each gram
        n = len(texts)
        common = sorted((g for g, i in ids.items() if 2 <= df[i] <= max(2, n // 2)),
                        key=lambda g: (-df[ids[g]], g))[:MAX_GRAMS]
        self.column = {g: i for i, g in enumerate(common)}
        self.idf = np.array([np.log((1 + n) / (1 + df[ids[g]])) + 1 for g in common],
                            dtype=np.float32)
        # Each text's grams among the columns: where, and 1 + log(count) as `rows` sets it.
        where = np.full(len(ids), -1, dtype=np.int64)
        where[[ids[g] for g in common]] = np.arange(len(common))
        columns = where[seen]
        kept = columns >= 0
        self._columns = columns[kept]
        tally = np.frombuffer(counts, dtype=np.int64)[kept] if len(counts) else seen
        values, back = np.unique(tally, return_inverse=True)
        self._weights = np.array([1 + np.log(int(c)) for c in values],
                                 dtype=np.float32)[back.reshape(-1)]
        # Text i's entries are _columns[_starts[i]:_starts[i + 1]].
        self._starts = np.concatenate([[0], np.cumsum(kept, dtype=np.int64)])[
            np.frombuffer(ends, dtype=np.int64)]

    def rows(self, texts: Sequence[str]) -> np.ndarray:
        """Unit rows of the given texts (any texts: their grams are counted here)."""
        out = np.zeros((len(texts), len(self.column)), dtype=np.float32)
        for row, text in enumerate(texts):
            for g, c in _grams_of(text).items():
                j = self.column.get(g)
                if j is not None:
                    out[row, j] = 1 + np.log(c)
        return self._unit(out)

    def rows_at(self, idx: Sequence[int] | np.ndarray) -> np.ndarray:
        """Unit rows of the fitted texts at idx: the same as `rows` of those texts."""
        idx = np.asarray(idx, dtype=np.int64)
        out = np.zeros((len(idx), len(self.column)), dtype=np.float32)
        lo, hi = self._starts[idx], self._starts[idx + 1]
        sizes = hi - lo
        total = int(sizes.sum())
        if total:
            at = np.arange(total) + np.repeat(lo - (np.cumsum(sizes) - sizes), sizes)
            out[np.repeat(np.arange(len(idx)), sizes), self._columns[at]] = self._weights[at]
        return self._unit(out)

    def _unit(self, out: np.ndarray) -> np.ndarray:
        out *= self.idf
        out /= np.maximum(np.sqrt(np.einsum("ij,ij->i", out, out)), 1e-12)[:, None]
        return out


def char_gram_vectors(texts: Sequence[str]) -> np.ndarray:
    """Unit TF-IDF rows of character 3-5-grams of each text's content words."""
    return CharGrams(texts).rows_at(np.arange(len(texts)))
