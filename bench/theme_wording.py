"""Every label, point and quote the themes engine writes, and a lint for the bad kinds.

Themes the demo's rounds (from its database, as the reports do) and each dev set's
questions (no codebook, and the built-in codebook), prints each theme as a report shows
it, and flags what a person would not publish:

- a label or point that opens or closes on a function word, or opens on a verb;
- one that starts right after a negator or intensifier its answer had ("Big for
  discussion" from "too big for discussion");
- a typo kept from an answer ("there own", a word the encoder's vocabulary only knows as
  a near miss of a real word);
- a label that restates the question, a bare keyword, a point that only repeats its label;
- points of one list that do not share one capitalisation;
- a quote from an answer whose main theme is another, or a non-answer ("n/a") quoted;
- an answer's second idea that no theme shows (not its main theme's, and no other theme
  holds it).

Never reads the unseen sets. Usage:

    .venv/bin/python bench/theme_wording.py [--demo demo-output/demo.db] [--dev]
        [--sets labelled,heldout] [--lint-only] [--summary]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from surveys.themes import ThemedQuestion, builtin_codebook, default_embedder, theme_answers
from surveys.themes.embed import bert_tokenizer
from surveys.themes.phrases import is_acronym, occurs_in
from surveys.themes.segment import is_non_answer
from surveys.themes.themed import OTHER_ID

DATA = Path(__file__).parent / "data"
DEV = ("labelled", "heldout", "test", "test2", "dev_phone", "dev_voices", "dev_minutes",
       "dev_mixed", "dev_own", "dev_work")

# The lint's own word lists (kept apart from the engine's, so it judges rather than echoes).
FUNCTION = set("""
    a an the and or nor but of to in on for with at by from into over under about as than
    then so if when while because though although since until unless is are was were be
    been am have has had do does did will would shall should can could may might must
    i me my we us our you your he him his she her it its they them their this that these
    those there here who which what where how why not no never too very just also only
    some any all each every more most much many own other such same being
""".split())
NEGATORS = set("no not never nobody nothing none cannot too very so really hardly barely".split())
VERBS = set("""
    buy buys protect protects happen happens wait waits slip slips exist exists meet meets
    shout shouts chase chases get gets got go goes come comes make makes made take takes
    collapsed arguing save saves decide decides depend depends follow follows feel feels
    turn turns keep keeps need needs want wants read work works agree agrees spend spends
    bring brings know knows show shows seem seems stop stops sit sits talk talks tell tells
""".split())
HOMOPHONE_SLIPS = re.compile(r"\b(?:there|they're)\s+(?:own|budgets?|views?|members?|staff)\b"
                             r"|\byour\s+welcome\b|\bcounsel\b|\bwhos\b", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_][\w'’&/-]*", text)


def _stems(text: str) -> set[str]:
    return {w.lower()[:5] for w in _words(text) if w.lower() not in FUNCTION}


_TOKENIZER = bert_tokenizer()
_SUFFIXES = {"##s", "##es", "##ed", "##d", "##er", "##ers", "##ing", "##ly", "##est", "##ment"}


def _slip(word: str) -> bool:
    """A word the encoder's vocabulary lacks whole when one edit inside it gives a word it
    holds whole ("comitment"): the lint's own test, so that before and after are judged
    alike."""
    w = word.lower()
    if len(w) < 5 or not w.isalpha() or is_acronym(word):
        return False
    got = _TOKENIZER.encode(w, add_special_tokens=False)
    if len(got.ids) < 2 or (len(got.ids) == 2 and len(got.tokens[0]) >= 4
                            and got.tokens[1] in _SUFFIXES):
        return False
    letters = "abcdefghijklmnopqrstuvwxyz"
    edits = {w[:i] + w[i + 1:] for i in range(1, len(w))}
    edits |= {w[:i] + c + w[i:] for i in range(1, len(w) + 1) for c in letters}
    edits |= {w[:i] + c + w[i + 1:] for i in range(1, len(w)) for c in letters}
    edits |= {w[:i] + w[i + 1] + w[i] + w[i + 2:] for i in range(1, len(w) - 1)}
    found = _TOKENIZER.encode_batch(sorted(e for e in edits if len(e) >= 5 and e != w),
                                    add_special_tokens=False)
    return any(len(e.ids) == 1 for e in found)


def lint_phrase(phrase: str, answers: Sequence[str], question: str, *, label: bool,
                label_text: str = "") -> list[str]:
    """What is wrong with a label (or a point) taken from these answers."""
    words = _words(phrase)
    low = [w.lower() for w in words]
    bad: list[str] = []
    if not words:
        return ["empty"]
    if len(words) == 1:
        bad.append("bare keyword")
    # A point that is a whole clause of an answer ("No feedback.", "Nobody reads the
    # minutes") is what a partner said, not a run cut from it: its first word is no edge.
    whole = not label and any(
        low == [w.lower() for w in _words(part)]
        for a in answers for part in re.split(r"[.;:!?,\n]+|\s[-–—]\s", a))
    if (low[0] in FUNCTION and not whole) or low[-1] in FUNCTION:
        bad.append("function-word edge")
    if low[0] in VERBS or low[-1] in VERBS:
        bad.append("verb edge")
    if HOMOPHONE_SLIPS.search(phrase) or any(_slip(w) for w in words):
        bad.append("typo")
    before = re.compile(r"(?:\b(?:" + "|".join(sorted(NEGATORS)) + r")|n't)\s+"
                        + r"\s+".join(re.escape(w) for w in low) + r"\b", re.IGNORECASE)
    if any(before.search(" ".join(_words(a))) for a in answers):
        bad.append("drops a negator/intensifier")
    if label and question:
        own = _stems(phrase)
        if own and len(own - _stems(question)) == 0:
            bad.append("restates the question")
    if not label and label_text and _stems(phrase) <= _stems(label_text):
        bad.append("repeats its label")
    if not any(occurs_in(phrase, a) for a in answers) and not label:
        bad.append("not in its answers")
    return bad


def lint_theme(themed: ThemedQuestion, answers: Sequence[str], question: str,
               codebook_labels: set[str]) -> list[tuple[str, str, str]]:
    """(where, text, problem) for each problem of one question's themes."""
    out: list[tuple[str, str, str]] = []
    main = {i: got[0] for i, got in enumerate(themed.assignments) if got}
    for t in themed.themes:
        if t.id == OTHER_ID:
            continue
        members = [answers[i] for i in t.answer_indexes]
        if t.label not in codebook_labels:
            out += [("label", t.label, p) for p in lint_phrase(t.label, members, question,
                                                                label=True)]
        elif not any(_stems(t.label) & _stems(a) for a in members):
            out.append(("label", t.label, "codebook label no member answer words"))
        for p in t.points:
            out += [("point", f"{t.label}: {p}", x) for x in lint_phrase(
                p, members, question, label=False, label_text=t.label)]
        caps = {p[:1].isupper() for p in t.points if not is_acronym(_words(p)[0])}
        if len(caps) > 1:
            out.append(("points", f"{t.label}: {'; '.join(t.points)}", "mixed capitals"))
        mains = [answers[i] for i in t.answer_indexes if main.get(i) == t.id]
        for q in t.quotes:
            first = " ".join(q.split(" … ")[0].casefold().split())
            src = [a for a in answers if first in " ".join(a.casefold().split())]
            if src and not any(a in mains for a in src):
                out.append(("quote", f"{t.label}: {q[:70]}", "not its main theme"))
            if is_non_answer(q) or re.match(r"^\W*n/?a\b", q, re.IGNORECASE):
                out.append(("quote", f"{t.label}: {q[:70]}", "non-answer quoted"))
    return out


def show(title: str, themed: ThemedQuestion, answers: Sequence[str], question: str,
         codebook_labels: set[str], lint_only: bool, tally: Counter[str]) -> None:
    problems = lint_theme(themed, answers, question, codebook_labels)
    for _, _, why in problems:
        tally[why] += 1
    tally["themes"] += sum(1 for t in themed.themes if t.id != OTHER_ID)
    tally["points"] += sum(len(t.points) for t in themed.themes)
    if lint_only and not problems:
        return
    print(f"\n## {title}  ({len(answers)} answers)")
    if not lint_only:
        for t in themed.themes:
            points = f": {'; '.join(t.points)}" if t.points else ""
            print(f"- {t.label}{points} ({t.count})")
            for q in t.quotes:
                print(f"    “{' '.join(q.split())[:110]}”")
    for where, text, why in problems:
        print(f"  !! {where}: {text!r}: {why}")


def dev_sets(names: Sequence[str], lint_only: bool, tally: Counter[str]) -> None:
    embedder = default_embedder()
    for name in names:
        path = DATA / f"themes_{name}.csv"
        by_q: dict[str, list[str]] = defaultdict(list)
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                by_q[row["question"]].append(row["answer"])
        for qid, answers in by_q.items():
            found = theme_answers(answers, (), embedder=embedder, question=qid)
            show(f"{name} / {qid} / no codebook", found, answers, qid, set(), lint_only, tally)
            book = builtin_codebook("framework-review", qid)
            if book:
                found = theme_answers(answers, book, embedder=embedder, question=qid)
                show(f"{name} / {qid} / built-in codebook", found, answers, qid,
                     {t.label for t in book}, lint_only, tally)


async def demo(path: Path, lint_only: bool, tally: Counter[str]) -> None:
    from storage.db import Database
    from storage.partners import PartnerRepository
    from storage.responses import ResponseRepository
    from storage.rounds import RoundRepository
    from storage.themes import RoundThemesRepository
    from surveys.report.data import load_round
    from surveys.report.theming import (
        SIDE_MARK,
        codebook_for,
        side_sets,
        text_sets,
        theme_round,
    )

    async with Database(path) as db:
        rounds = await RoundRepository(db).all()
        loaded = [await load_round(r.id, RoundRepository(db), ResponseRepository(db),
                                   PartnerRepository(db), RoundThemesRepository(db))
                  for r in rounds]
    embedder = default_embedder()
    for data in loaded:
        sets = text_sets(data)
        sets.update(side_sets(data, sets))
        for key, themed in theme_round(data, embedder).items():
            ts = sets[key]
            labels = {t.label for t in codebook_for(data, sets[key.split(SIDE_MARK)[0]])}
            show(f"{data.round.title} / {key} — {ts.question.prompt[:60]}", themed,
                 list(ts.texts), ts.question.prompt, labels, lint_only, tally)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demo", type=Path, help="the demo's database (demo-output/demo.db)")
    parser.add_argument("--dev", action="store_true", help="theme the dev sets too")
    parser.add_argument("--sets", default=",".join(DEV), help="dev sets, comma-separated")
    parser.add_argument("--lint-only", action="store_true", help="print only what is flagged")
    args = parser.parse_args()
    tally: Counter[str] = Counter()
    if args.demo:
        asyncio.run(demo(args.demo, args.lint_only, tally))
    if args.dev:
        names = [s for s in args.sets.split(",") if s in DEV]  # never the unseen sets
        dev_sets(names, args.lint_only, tally)
    print("\n# Lint: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))


if __name__ == "__main__":
    main()
