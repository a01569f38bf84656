"""A built-in codebook's bank of labelled answers: real-sounding answers, each coded with
its main theme, that teach matching how partners put a theme in their own words.

A template may ship `surveys/codebooks/<template-id>-answers.csv` (`question,theme,answer`)
beside its codebook; `bench/build_answer_bank.py` makes it from the labelled dev sets and
`surveys/codebooks/ANSWERS.md` says where they came from. The answers are only compared
with; they are never a theme's quote, point or label (they were not said in this round).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # codebook.py reads banks with this module
    from .codebook import CodebookTheme

BANK_SUFFIX = "-answers.csv"
VECTORS_SUFFIX = "-answers.npz"
FIELDS = ("question", "theme", "answer")


def bank_file(template_id: str) -> Any:
    """The packaged bank of a template (it may not exist)."""
    return resources.files("surveys").joinpath("codebooks", f"{template_id}{BANK_SUFFIX}")


def bank_rows(text: str) -> list[tuple[str, str, str]]:
    """(question, theme, answer) rows of a bank file's text, in file order."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != FIELDS:
        raise ValueError(f"an answer bank's header is {','.join(FIELDS)}")
    return [(row["question"], row["theme"], row["answer"]) for row in reader]


def parse_bank(text: str) -> dict[str, dict[str, list[str]]]:
    """Answers of a bank file's text, by question id and theme label, in file order."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for question, theme, answer in bank_rows(text):
        out[question][theme].append(answer)
    return {q: dict(themes) for q, themes in out.items()}


def bank_text(rows: Iterable[tuple[str, str, str]]) -> str:
    """A bank file's text from (question, theme, answer) rows, written as given."""
    handle = io.StringIO(newline="")
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows(rows)
    return handle.getvalue()


def bank_sha256(text: str) -> str:
    """The SHA-256 of a bank file's text: its vectors file names the bank it was made of."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def vectors_file(template_id: str) -> Any:
    """The packaged vectors of a template's bank (they may not exist)."""
    return resources.files("surveys").joinpath("codebooks", f"{template_id}{VECTORS_SUFFIX}")


@lru_cache(maxsize=4)
def shipped_vectors(model: str) -> dict[str, np.ndarray]:
    """Vectors the package ships for every bank's answers (keyed by `answer_text`), if they
    were made by this `vector_model` with the model file of the published SHA-256, and of
    the bank as it is now; {} otherwise (the encoder then embeds the bank itself, once per
    process). Embedding the framework review's 3,830 answers takes 30-60 s on two busy
    cores; read from the file, milliseconds."""
    from .embed import answer_text, made_by

    out: dict[str, np.ndarray] = {}
    folder = resources.files("surveys").joinpath("codebooks")
    for entry in sorted(folder.iterdir(), key=lambda f: f.name):
        if not entry.name.endswith(BANK_SUFFIX):
            continue
        template_id = entry.name[: -len(BANK_SUFFIX)]
        vectors = vectors_file(template_id)
        if not vectors.is_file():
            continue
        text = entry.read_text(encoding="utf-8")
        with vectors.open("rb") as handle, np.load(handle, allow_pickle=False) as kept:
            if not made_by(kept, model) or str(kept["bank_sha256"]) != bank_sha256(text):
                continue
            rows = kept["vectors"].astype(np.float32)
        texts = [answer_text(answer) for _, _, answer in bank_rows(text)]
        if len(texts) != len(rows):
            continue
        out.update(zip(texts, rows, strict=True))
    return out


def with_answers(codebook: Sequence[CodebookTheme],
                 answers: dict[str, list[str]]) -> list[CodebookTheme]:
    """The codebook with each theme's bank answers (by label) attached; others keep none."""
    return [replace(t, answers=tuple(answers.get(t.label, ()))) for t in codebook]


__all__ = ["BANK_SUFFIX", "VECTORS_SUFFIX", "bank_file", "bank_rows", "bank_sha256", "bank_text",
           "parse_bank", "shipped_vectors", "vectors_file", "with_answers"]
