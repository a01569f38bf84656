"""Learn, from the bank of labelled answers, the map new themes are clustered in.

    .venv/bin/python bench/build_theme_projection.py            # writes the shipped file
    .venv/bin/python bench/build_theme_projection.py --check    # exit 1 if it differs

The bank (`surveys/codebooks/framework-review-answers.csv`, built from the dev sets only by
`bench/build_answer_bank.py`) codes 3,830 answers with the point each makes. Their shipped
vectors (the default model's) are centred per question, and linear discriminant analysis
with shrinkage finds the directions along which answers of different points lie apart
relative to how far answers of one point spread (in wording, style, length):
`surveys/themes/data/theme-projection.npz` holds (float32) the leading `DIMENSIONS` of them, each
scaled by the square root of its separation, with the model's name and SHA-256 and the
SHA-256 of the bank it was learned from. Deterministic: the same bank gives the same map
(eigenvectors' signs fixed; one BLAS thread). `fit` is also what `bench/themes_projection.py`
calls to learn a map without the dev set or question it measures.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from build_answer_bank import SHIPPED as BANK  # noqa: E402

from surveys.themes.bank import bank_rows, bank_sha256, shipped_vectors  # noqa: E402
from surveys.themes.embed import MODEL_SHA256, answer_text  # noqa: E402
from surveys.themes.projection import PROJECTION_FILE  # noqa: E402
from surveys.themes.spectral import one_blas_thread  # noqa: E402

MODEL = "all-minilm-l6-v2-int8-content-pad8-respell/384"  # MiniLMEmbedder's vector_model
# Chosen on the dev sets, leaving out the question measured (bench/README.md).
DIMENSIONS = 48
SHRINKAGE = 0.3  # share of the within-point spread replaced by its mean (a ridge)
POWER = 0.5  # each direction scaled by its separation to this power (0: all alike)
Row = tuple[str, str, str]


def training_rows(rows: Sequence[Row], vectors: dict[str, np.ndarray]
                  ) -> tuple[np.ndarray, list[str], list[str]]:
    """Vectors, questions and themes of the bank's rows (each answer as the engine reads it)."""
    x = np.stack([vectors[answer_text(a)] for _, _, a in rows]).astype(np.float64)
    return x, [q for q, _, _ in rows], [t for _, t, _ in rows]


@one_blas_thread()
def fit(x: np.ndarray, questions: Sequence[str], themes: Sequence[str],
        dimensions: int = DIMENSIONS, shrinkage: float = SHRINKAGE,
        power: float = POWER) -> np.ndarray:
    """The map (dim × dimensions) of shrunk linear discriminant analysis: answers centred
    per question (clustering centres each question's answers too), classes the points
    (question, theme). Fewer directions come out if the classes span fewer."""
    x = np.asarray(x, dtype=np.float64)
    q = np.asarray(questions)
    classes = [f"{a}\x1f{b}" for a, b in zip(questions, themes, strict=True)]
    centred = x.copy()
    for question in sorted(set(questions)):
        rows = q == question
        centred[rows] -= centred[rows].mean(axis=0)
    names, label = np.unique(np.asarray(classes), return_inverse=True)
    dim = x.shape[1]
    means = np.zeros((len(names), dim))
    np.add.at(means, label, centred)
    counts = np.bincount(label, minlength=len(names)).astype(np.float64)
    means /= counts[:, None]
    within = centred - means[label]
    s_within = within.T @ within / len(x)
    s_between = (means * counts[:, None]).T @ means / len(x)
    ridge = np.trace(s_within) / dim
    s_within = (1 - shrinkage) * s_within + shrinkage * ridge * np.eye(dim)
    values, vectors = np.linalg.eigh(s_within)
    inverse_root = (vectors / np.sqrt(values)) @ vectors.T
    separation, directions = np.linalg.eigh(inverse_root @ s_between @ inverse_root)
    keep = np.argsort(-separation, kind="stable")[:dimensions]
    keep = keep[separation[keep] > 1e-9 * max(1.0, float(separation.max()))]
    directions = directions[:, keep]
    # An eigenvector's sign is arbitrary: fix it (largest entry positive) for a repeatable file.
    signs = np.sign(directions[np.abs(directions).argmax(axis=0), np.arange(len(keep))])
    mapped = inverse_root @ (directions * signs) * separation[keep] ** power
    return mapped.astype(np.float32)


def bank() -> tuple[str, list[Row], dict[str, np.ndarray]]:
    """The shipped bank's text, rows and vectors (the vectors must be up to date)."""
    text = BANK.read_text(encoding="utf-8")
    vectors = shipped_vectors(MODEL)
    rows = bank_rows(text)
    if not vectors or any(answer_text(a) not in vectors for _, _, a in rows):
        raise SystemExit("the bank's vectors are stale: run bench/build_answer_bank.py")
    return text, rows, vectors


def build() -> tuple[np.ndarray, str]:
    """The map learned from the whole shipped bank, and that bank's SHA-256."""
    text, rows, vectors = bank()
    return fit(*training_rows(rows, vectors)), bank_sha256(text)


def shipped() -> tuple[np.ndarray, str] | None:
    """The shipped map and the SHA-256 of the bank it names, if the file exists."""
    if not PROJECTION_FILE.is_file():
        return None
    with np.load(PROJECTION_FILE, allow_pickle=False) as kept:
        return kept["projection"].astype(np.float32), str(kept["bank_sha256"])


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal but for the last bits another machine's linear algebra may change."""
    scale = float(np.abs(b).max()) if b.size else 1.0
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-3, atol=1e-4 * scale))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only compare with the shipped file; exit 1 if it differs")
    args = parser.parse_args(argv)
    matrix, bank_hash = build()
    kept = shipped()
    up_to_date = kept is not None and kept[1] == bank_hash and same(kept[0], matrix)
    where = PROJECTION_FILE.relative_to(ROOT)
    if args.check:
        print(f"{where}: {'up to date' if up_to_date else 'differs'}")
        return 0 if up_to_date else 1
    np.savez_compressed(PROJECTION_FILE, model=np.array(MODEL),
                        model_sha256=np.array(MODEL_SHA256), bank_sha256=np.array(bank_hash),
                        projection=matrix)
    print(f"wrote {where}: {matrix.shape[0]} × {matrix.shape[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
