"""Where to set the near-duplicate test of suggested actions (`surveys.suggestions`).

Same-proposal pairs: `data/suggestion_pairs.csv`, 68 pairs written for this, each an answer
of the demo's self-assessment pools (`bot/demo/answers/working-better-together.toml`), a
suggested action of seed 004's Appendix A, or a second way a partner might write it
(shorter, longer, text-speak, other words), with its partner in other words. Different-
proposal pairs: every two answers of one area's pool (2,226 pairs; each pool was written
as distinct proposals). A wrong merge hides a proposal; a missed one lists it twice: the
test is set where no different pair merges, and recall is what is left.

    .venv/bin/python bench/suggestion_pairs.py            # the pairs, rule by rule
    .venv/bin/python bench/suggestion_pairs.py --speed    # grouping 100 to 3,000 answers
"""

from __future__ import annotations

import csv
import itertools
import os
import sys
import time
import tomllib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from surveys.suggestions import (  # noqa: E402
    NEAR_COSINE,
    NEAR_OVERLAP,
    SAME_COSINE,
    gather_proposals,
    overlap,
    proposes_nothing,
    same_proposal,
)
from surveys.themes import default_embedder  # noqa: E402

POOLS = ROOT / "bot" / "demo" / "answers" / "working-better-together.toml"
PAIRS = Path(__file__).parent / "data" / "suggestion_pairs.csv"


def scored(pairs: list[tuple[str, str]]) -> list[tuple[float, float, str, str]]:
    """Each pair with its cosine (the product's encoder) and its content-word overlap."""
    embedder = default_embedder()
    out = []
    for a, b in pairs:
        va, vb = embedder.embed([a, b])
        out.append((float(va @ vb), overlap(a, b), a, b))
    return out


def main() -> None:
    with POOLS.open("rb") as handle:
        pools = tomllib.load(handle)["questions"]
    different = [pair for area in pools.values() for pair in itertools.combinations(
        [t for t in area["answers"] if not proposes_nothing(t)], 2)]
    with PAIRS.open(newline="") as handle:
        same = [(row["a"], row["b"]) for row in csv.DictReader(handle)]
    same_s, diff_s = scored(same), scored(different)
    print(f"{len(same)} same-proposal pairs, {len(different)} different-proposal pairs")
    print(f"{'rule':<44} {'recall':>7} {'wrong merges':>13}")
    for t in np.arange(0.55, 0.90, 0.05):
        recall = np.mean([c >= t for c, *_ in same_s])
        wrong = sum(c >= t for c, *_ in diff_s)
        print(f"{f'cosine >= {t:.2f}':<44} {recall:>7.2f} {wrong:>13}")
    rule = f"cosine >= {SAME_COSINE} or (>= {NEAR_COSINE} and overlap >= {NEAR_OVERLAP})"
    recall = np.mean([same_proposal(c, a, b) for c, _, a, b in same_s])
    wrong = [(a, b) for c, _, a, b in diff_s if same_proposal(c, a, b)]
    print(f"{rule:<44} {recall:>7.2f} {len(wrong):>13}")
    for a, b in wrong:
        print(f"  wrongly merged: {a!r} / {b!r}")
    print("closest different proposals:")
    for c, o, a, b in sorted(diff_s, reverse=True)[:3]:
        print(f"  {c:.3f} overlap {o:.2f}: {a[:50]!r} / {b[:50]!r}")


class StoredVectors:
    """The default encoder's vectors worked out beforehand, as a report reads them stored."""

    def __init__(self, texts: list[str]) -> None:
        encoder = default_embedder()
        self.name = encoder.name
        self.vectors = dict(zip(texts, encoder.embed(texts), strict=True))

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.vectors[t] for t in texts])


def speed() -> None:
    """Grouping time for 100, 1,000 and 3,000 answers (bench/data's, read as suggestions)."""
    texts = []
    for path in sorted((Path(__file__).parent / "data").glob("themes_*.csv")):
        with path.open(newline="") as handle:
            texts += [row["answer"] for row in csv.DictReader(handle) if row.get("answer")]
    for n in (100, 1000, 3000):
        sample = list(dict.fromkeys(texts))[:n]
        stored = StoredVectors(sample)
        start = time.perf_counter()
        found = gather_proposals(sample, stored)  # type: ignore[arg-type]
        took = time.perf_counter() - start
        print(f"{n} answers: {len(found.proposals)} proposals in {took:.2f} s "
              f"(load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    speed() if "--speed" in sys.argv else main()
