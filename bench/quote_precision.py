"""How many of the quotes the themes engine prints are right, on the dev sets.

A quote is right when the coder put its answer in the theme it is printed under. Each dev
set is themed with the built-in framework-review codebook and the bank of the other dev
sets (as `themes_quality.py` does), and also with a coordinator's kind of codebook (label
and description only). Prints, per set and pooled: quotes printed under codebook themes,
right ones, precision, and the codebook and new themes that print none. Never reads the unseen sets.

    .venv/bin/python bench/quote_precision.py [--sets dev_own,dev_work]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_answer_bank import bank_without, codebook_without
from themes_quality import DEV, read, sparse

from surveys.themes import default_embedder, theme_answers
from surveys.themes.quotes import GAP
from surveys.themes.segment import without_na_mark
from surveys.themes.themed import OTHER_ID


def quoted_answer(quote: str, answers: list[str], among: tuple[int, ...]) -> int:
    """Which of a theme's answers a quote is from (-1 if none is found)."""
    head = quote.split(GAP)[0].strip()[:60]
    return next((a for a in among if head in without_na_mark(answers[a].strip())), -1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(DEV), help="dev sets, comma-separated")
    args = parser.parse_args()
    embedder = default_embedder()
    totals = {"built-in": [0] * 6, "label + description": [0] * 6}
    for name in args.sets.split(","):
        if name not in DEV:
            raise SystemExit(f"{name}: not a dev set")
        others = bank_without(name)
        for question, rows in read(DEV[name]).items():
            answers = [a for a, _ in rows]
            truth = [t for _, t in rows]
            book = codebook_without(question, name, others)
            for kind, codebook in (("built-in", book), ("label + description", sparse(book))):
                themed = theme_answers(answers, codebook, embedder=embedder, question=question)
                got = [0, 0, 0, 0, 0, 0]  # quotes, right, themes, with none; new ones, with none
                for theme in themed.themes:
                    if not theme.from_codebook:
                        if theme.id != OTHER_ID:
                            got[4] += 1
                            got[5] += not theme.quotes
                        continue
                    got[2] += 1
                    got[3] += not theme.quotes
                    for quote in theme.quotes:
                        a = quoted_answer(quote, answers, theme.answer_indexes)
                        got[0] += 1
                        got[1] += a >= 0 and truth[a] == theme.label
                print(f"{name:12} {question:22} {kind:20} quotes {got[0]:3} right {got[1]:3} "
                      f"themes {got[2]:2} without a quote {got[3]:2}; new {got[4]:2} "
                      f"without {got[5]:2}", flush=True)
                totals[kind] = [x + y for x, y in zip(totals[kind], got, strict=True)]
    for kind, (quotes, right, themes, bare, new, new_bare) in totals.items():
        print(f"pooled {kind}: {right} of {quotes} quotes right ({right / max(1, quotes):.3f}); "
              f"{bare} of {themes} codebook themes and {new_bare} of {new} new ones without a "
              "quote")


if __name__ == "__main__":
    main()
