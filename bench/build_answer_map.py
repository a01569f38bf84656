"""Build the map from answers to theme descriptions, from shipped dev text only.

    .venv/bin/python bench/build_answer_map.py            # writes the shipped file
    .venv/bin/python bench/build_answer_map.py --check    # exit 1 if it differs
    .venv/bin/python bench/build_answer_map.py --dev      # leave-one-question-out figures

A coordinator's codebook has a label and a line of description a theme, and partners do
not write like descriptions. The map (`surveys/codebooks/answer-map.npz`, used by
`surveys/themes/answermap.py`) is a 384 x 384 matrix, started from the identity, that
turns an answer's vector into one nearer its own theme's "label: description" among its
question's themes. It is trained here, once, on labelled text the project ships: the
framework review's bank of answers (`build_answer_bank.py`, the dev sets of
`themes_quality.DEV` and never an unseen set) and the examples of every shipped codebook,
each against its own question's themes. Training is full-batch Adam on the cross-entropy
of each answer over its question's descriptions, with weight decay towards the identity,
a fixed number of steps on one BLAS thread, so the same text gives the same map.

`--dev` measures what the map is for, a coordinator's NEW question: for each question of
the bank, a map trained without that question's answers and examples and without any
question sharing half its labels, then plain nearest label + description on that
question's dev answers, against the identity (no map).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from build_answer_bank import bank_rows  # noqa: E402
from themes_quality import DEV, TEMPLATE  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from surveys.themes import CodebookTheme, Embedder, builtin_codebooks  # noqa: E402
from surveys.themes.answermap import MAP_FILE, target_text  # noqa: E402
from surveys.themes.bank import shipped_vectors  # noqa: E402
from surveys.themes.codebook import builtin_template_ids  # noqa: E402
from surveys.themes.embed import MODEL_SHA256, answer_text, vector_model  # noqa: E402
from surveys.themes.references import reference_vectors  # noqa: E402

SHIPPED = ROOT / "surveys" / "codebooks" / MAP_FILE
Question = tuple[str, str]  # (template id, question id)

# Chosen on the dev sets with --dev (leave one question out); see bench/README.md.
TEMPERATURE = 0.05
STEPS = 50
LEARNING_RATE = 1e-3
DECAY = 0.0  # weight decay towards the identity


@dataclass
class Examples:
    """Labelled texts, each with its question and the index of its theme there."""

    texts: list[str]
    questions: list[Question]
    themes: list[int]


def shipped_books() -> dict[Question, list[CodebookTheme]]:
    """Every shipped codebook, by (template, question)."""
    return {(template, question): book for template in builtin_template_ids()
            for question, book in builtin_codebooks(template).items()}


def shares_half(a: Sequence[CodebookTheme], b: Sequence[CodebookTheme]) -> bool:
    """Whether two questions share at least half of either's labels (then a map trained
    on one has, in effect, seen the other)."""
    left = {t.label.casefold() for t in a}
    right = {t.label.casefold() for t in b}
    shared = len(left & right)
    return bool(shared) and 2 * shared >= min(len(left), len(right))


def examples(books: dict[Question, list[CodebookTheme]], sets: Iterable[str],
             leave_out: Question | None = None) -> Examples:
    """The bank's answers of these dev sets and every codebook's examples, without the
    question `leave_out` and any question sharing half its labels."""
    out = Examples([], [], [])
    barred = {q for q, book in books.items() if leave_out is not None
              and (q == leave_out or shares_half(book, books[leave_out]))}
    for q, book in books.items():
        if q in barred:
            continue
        for j, theme in enumerate(book):
            for text in theme.examples:
                out.texts.append(answer_text(text))
                out.questions.append(q)
                out.themes.append(j)
    for question, theme, answer in bank_rows(sets):
        q = (TEMPLATE, question)
        if q in barred:
            continue
        labels = [t.label for t in books[q]]
        out.texts.append(answer_text(answer))
        out.questions.append(q)
        out.themes.append(labels.index(theme))
    return out


def targets(books: dict[Question, list[CodebookTheme]], embedder: Embedder
            ) -> dict[Question, np.ndarray]:
    """Each question's theme texts as a coordinator writes them, embedded: one row a theme."""
    return {q: embedder.embed([target_text(t) for t in book]) for q, book in books.items()}


def _unit_rows(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    norms = np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-9)
    return y / norms, norms


def train(x: np.ndarray, questions: Sequence[Question], themes: Sequence[int],
          goal: dict[Question, np.ndarray], temperature: float = TEMPERATURE,
          steps: int = STEPS, rate: float = LEARNING_RATE, decay: float = DECAY) -> np.ndarray:
    """The map W (applied as unit(x @ W)) minimising each text's cross-entropy over its
    question's theme texts, every question weighted by its texts; full-batch Adam from the
    identity, float32, one BLAS thread (the same input gives the same map)."""
    x = x.astype(np.float32)
    dim = x.shape[1]
    order = sorted(set(questions))
    rows = {q: np.array([i for i, g in enumerate(questions) if g == q]) for q in order}
    want = np.asarray(themes)
    tgt = {q: goal[q].astype(np.float32) for q in order}
    eye = np.eye(dim, dtype=np.float32)
    w = eye.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    with threadpool_limits(limits=1, user_api="blas"):
        for step in range(1, steps + 1):
            y = x @ w
            z, norms = _unit_rows(y)
            grad_z = np.zeros_like(z)
            for q in order:
                idx = rows[q]
                logits = z[idx] @ tgt[q].T / temperature
                logits -= logits.max(axis=1, keepdims=True)
                p = np.exp(logits)
                p /= p.sum(axis=1, keepdims=True)
                p[np.arange(len(idx)), want[idx]] -= 1.0
                grad_z[idx] = p @ tgt[q] / temperature
            grad_z /= len(x)
            grad_y = (grad_z - z * (z * grad_z).sum(axis=1, keepdims=True)) / norms
            grad = x.T @ grad_y + decay * (w - eye)
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad * grad
            w -= rate * (m / (1 - beta1 ** step)) / (np.sqrt(v / (1 - beta2 ** step)) + eps)
    return w


def data_sha256(data: Examples, books: dict[Question, list[CodebookTheme]]) -> str:
    """The SHA-256 of everything the map is trained from: each text with its question and
    theme, every theme's target text, and the settings (kept in the shipped file, so a
    test finds a stale map without training one)."""
    digest = hashlib.sha256()
    for text, q, j in zip(data.texts, data.questions, data.themes, strict=True):
        digest.update(f"{q[0]}\t{q[1]}\t{j}\t{text}\n".encode())
    for q, book in books.items():
        digest.update(f"{q[0]}\t{q[1]}\t{[target_text(t) for t in book]!r}\n".encode())
    digest.update(f"{TEMPERATURE} {STEPS} {LEARNING_RATE} {DECAY}".encode())
    return digest.hexdigest()


def build_map(embedder: Embedder) -> tuple[np.ndarray, str]:
    """The shipped map and its data's SHA-256: every dev set's bank answers (their shipped
    vectors, as the engine reads them) and every codebook's examples."""
    books = shipped_books()
    data = examples(books, DEV)
    x = reference_vectors(data.texts, embedder, shipped_vectors(vector_model(embedder)))
    return (train(x, data.questions, data.themes, targets(books, embedder)),
            data_sha256(data, books))


def write(w: np.ndarray, sha: str, embedder: Embedder) -> None:
    np.savez_compressed(SHIPPED, model=np.array(vector_model(embedder)),
                        model_sha256=np.array(MODEL_SHA256), data_sha256=np.array(sha),
                        map=w.astype(np.float16))


def same_map(w: np.ndarray, sha: str) -> bool:
    """Whether the shipped file holds this map (to half precision, within the last bit a
    different CPU's arithmetic may flip) of this data, for the default model."""
    if not SHIPPED.is_file():
        return False
    with np.load(SHIPPED, allow_pickle=False) as kept:
        return (str(kept["model_sha256"]) == MODEL_SHA256 and str(kept["data_sha256"]) == sha
                and np.allclose(kept["map"].astype(np.float32), w, atol=2e-3))


def nearest_accuracy(x: np.ndarray, truth: Sequence[int], goal: np.ndarray,
                     w: np.ndarray | None) -> float:
    """Share of answers whose nearest theme text is their own (after the map, if any)."""
    if w is not None:
        x, _ = _unit_rows(x @ w)
    return float(np.mean((x @ goal.T).argmax(axis=1) == np.asarray(truth)))


def dev_figures(embedder: Embedder, maps: Path | None = None,
                **settings: float) -> dict[str, tuple[float, float, int]]:
    """Leave one question out: for each question of the bank, nearest label + description
    on its dev answers without and with a map trained without it (kept in `maps` as
    QUESTION.npy for bench/match_dev.py --maps, if given)."""
    books = shipped_books()
    goal = targets(books, embedder)
    everything = examples(books, DEV)
    vectors = dict(zip(everything.texts, embedder.embed(everything.texts), strict=True))
    out: dict[str, tuple[float, float, int]] = {}
    for q in sorted({(TEMPLATE, question) for question, _, _ in bank_rows(DEV)}):
        train_on = examples(books, DEV, leave_out=q)
        w = train(np.stack([vectors[t] for t in train_on.texts]), train_on.questions,
                  train_on.themes, goal, **settings)  # type: ignore[arg-type]
        if maps is not None:
            maps.mkdir(parents=True, exist_ok=True)
            np.save(maps / f"{q[1]}.npy", w)
        labels = [t.label for t in books[q]]
        held = [(answer_text(a), labels.index(theme))
                for question, theme, a in bank_rows(DEV) if question == q[1]]
        x = np.stack([vectors[t] for t, _ in held])
        truth = [j for _, j in held]
        out[q[1]] = (nearest_accuracy(x, truth, goal[q], None),
                     nearest_accuracy(x, truth, goal[q], w), len(held))
    return out


def map_without(name: str, embedder: Embedder, **settings: float) -> np.ndarray:
    """The map trained without one dev set's answers (every other set's and the
    codebooks' examples in): leave one set out, as the bank is for a dev set's figure."""
    books = shipped_books()
    data = examples(books, [n for n in DEV if n != name])
    x = reference_vectors(data.texts, embedder, shipped_vectors(vector_model(embedder)))
    return train(x, data.questions, data.themes, targets(books, embedder),
                 **settings)  # type: ignore[arg-type]


def set_maps(embedder: Embedder, maps: Path, **settings: float) -> None:
    """Leave one set out: each dev set's `map_without`, kept in `maps` as SET.npy for
    bench/match_dev.py --maps."""
    maps.mkdir(parents=True, exist_ok=True)
    for name in DEV:
        np.save(maps / f"{name}.npy", map_without(name, embedder, **settings))
        print(f"  {name}: map trained without it")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only compare with the shipped file; exit 1 if it differs")
    parser.add_argument("--dev", action="store_true",
                        help="leave-one-question-out figures on the dev answers")
    parser.add_argument("--by-set", action="store_true",
                        help="with --maps, leave one set out instead of one question")
    parser.add_argument("--maps", type=Path, metavar="DIR",
                        help="with --dev, keep each held-out map here for match_dev.py --maps")
    parser.add_argument("--cache", type=Path, help="a .npz of vectors (bench/match_dev.py's)")
    parser.add_argument("--temperature", type=float, default=TEMPERATURE)
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--rate", type=float, default=LEARNING_RATE)
    parser.add_argument("--decay", type=float, default=DECAY)
    args = parser.parse_args(argv)
    from match_dev import KeptVectors

    from surveys.themes.embed import MiniLMEmbedder
    model = MiniLMEmbedder()
    if args.dev:
        embedder = KeptVectors(model, args.cache)
        embedder.embed(examples(shipped_books(), DEV).texts)
        embedder.save()
        settings = {"temperature": args.temperature, "steps": args.steps, "rate": args.rate,
                    "decay": args.decay}
        if args.by_set and args.maps:
            set_maps(embedder, args.maps, **settings)
            return 0
        got = dev_figures(embedder, args.maps, **settings)
        for q, (before, after, n) in got.items():
            print(f"  {q:24} n={n:4} nearest label+description {before:.3f} -> {after:.3f}")
        total = sum(n for _, _, n in got.values())
        before = sum(b * n for b, _, n in got.values()) / total
        after = sum(a * n for _, a, n in got.values()) / total
        print(f"pooled ({total}): {before:.3f} -> {after:.3f}  {vars(args)}")
        embedder.save()
        return 0
    w, sha = build_map(model)
    if args.check:
        same = same_map(w, sha)
        print(f"{SHIPPED.relative_to(ROOT)}: {'up to date' if same else 'differs'}")
        return 0 if same else 1
    write(w, sha, model)
    print(f"wrote {SHIPPED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
