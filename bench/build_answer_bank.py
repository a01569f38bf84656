"""Build the framework review's bank of labelled answers from the dev sets, and only them.

    .venv/bin/python bench/build_answer_bank.py            # writes the shipped file
    .venv/bin/python bench/build_answer_bank.py --check    # exit 1 if it differs

The bank (`surveys/codebooks/framework-review-answers.csv`, `question,theme,answer`) is every
answer of the dev sets listed in `themes_quality.DEV` (bench/data/DEV.md says who wrote each
and how), with the coders' main theme, sorted, exact repeats dropped. Unseen sets are never
read: a name in DEV that is not a dev file is refused. A set added to DEV joins the bank the
next time this runs, and the bank's vectors (the default model's, half precision, in
`framework-review-answers.npz`) are made again when the bank changed. `bank_without(name)`
is the same bank without one dev set, for measuring that set honestly (leave one set out).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from themes_quality import DEV, TEMPLATE  # noqa: E402

from surveys.themes import CodebookTheme, builtin_codebooks  # noqa: E402
from surveys.themes.bank import (  # noqa: E402
    BANK_SUFFIX,
    VECTORS_SUFFIX,
    bank_sha256,
    bank_text,
    with_answers,
)
from surveys.themes.bank import bank_rows as bank_rows_of  # noqa: E402
from surveys.themes.embed import (  # noqa: E402
    MODEL_SHA256,
    MiniLMEmbedder,
    answer_text,
    vector_model,
)

SHIPPED = ROOT / "surveys" / "codebooks" / f"{TEMPLATE}{BANK_SUFFIX}"
SHIPPED_VECTORS = ROOT / "surveys" / "codebooks" / f"{TEMPLATE}{VECTORS_SUFFIX}"
Row = tuple[str, str, str]


def dev_files(names: Iterable[str]) -> list[Path]:
    """The files of these dev sets; an unseen set, or anything not a dev file, is refused."""
    out = []
    for name in names:
        path = DEV[name]
        if "unseen" in path.name or not path.name.startswith("themes_"):
            raise ValueError(f"{path.name} is not a dev set")
        out.append(path)
    return out


def bank_rows(names: Iterable[str]) -> list[Row]:
    """(question, theme, answer) of these dev sets: each label checked against the built-in
    codebook, answers stripped, exact repeats dropped, sorted."""
    books = builtin_codebooks(TEMPLATE)
    rows: set[Row] = set()
    for path in dev_files(names):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                labels = {t.label for t in books.get(row["question"], [])}
                if row["theme"] not in labels:
                    raise ValueError(f"{path.name}: {row['theme']!r} is no theme of "
                                     f"{row['question']!r} in the built-in codebook")
                if row["answer"].strip():
                    rows.add((row["question"], row["theme"], row["answer"].strip()))
    return sorted(rows)


def build() -> str:
    """The text of the shipped bank: every dev set of DEV."""
    return bank_text(bank_rows(DEV))


def bank_without(leave_out: str | None) -> dict[str, dict[str, list[str]]]:
    """The bank of every dev set but `leave_out`, by question and theme."""
    out: dict[str, dict[str, list[str]]] = {}
    for question, theme, answer in bank_rows(n for n in DEV if n != leave_out):
        out.setdefault(question, {}).setdefault(theme, []).append(answer)
    return out


def codebook_without(question: str, leave_out: str | None,
                     bank: dict[str, dict[str, list[str]]] | None = None) -> list[CodebookTheme]:
    """The built-in codebook of a question with the bank of every dev set but `leave_out`."""
    bank = bank_without(leave_out) if bank is None else bank
    book = builtin_codebooks(TEMPLATE).get(question, [])
    return with_answers(book, bank.get(question, {}))


def vectors_up_to_date(text: str) -> bool:
    """Whether the shipped vectors file was made of this bank with the default model."""
    if not SHIPPED_VECTORS.is_file():
        return False
    with np.load(SHIPPED_VECTORS, allow_pickle=False) as kept:
        return (str(kept["bank_sha256"]) == bank_sha256(text)
                and str(kept["model_sha256"]) == MODEL_SHA256
                and len(kept["vectors"]) == len(bank_rows_of(text)))


def write_vectors(text: str) -> None:
    """Embed the bank's answers with the default model (as the engine reads an answer,
    `answer_text`) and write them, half precision, beside the bank."""
    embedder = MiniLMEmbedder()
    rows = bank_rows_of(text)
    vectors = embedder.embed([answer_text(answer) for _, _, answer in rows])
    np.savez_compressed(SHIPPED_VECTORS, model=np.array(vector_model(embedder)),
                        model_sha256=np.array(MODEL_SHA256),
                        bank_sha256=np.array(bank_sha256(text)),
                        vectors=vectors.astype(np.float16))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only compare with the shipped file; exit 1 if it differs")
    args = parser.parse_args(argv)
    text = build()
    same = SHIPPED.is_file() and SHIPPED.read_text(encoding="utf-8") == text
    if args.check:
        vectors = vectors_up_to_date(text)
        print(f"{SHIPPED.relative_to(ROOT)}: {'up to date' if same else 'differs'}; "
              f"{SHIPPED_VECTORS.relative_to(ROOT)}: {'up to date' if vectors else 'stale'}")
        return 0 if same and vectors else 1
    SHIPPED.write_text(text, encoding="utf-8")
    print(f"wrote {SHIPPED.relative_to(ROOT)}: {len(bank_rows_of(text))} answers from "
          f"{len(DEV)} dev sets")
    if not vectors_up_to_date(text):
        write_vectors(text)
        print(f"wrote {SHIPPED_VECTORS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
