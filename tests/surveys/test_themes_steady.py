"""The same answers give the same themes in any process, however busy the machine.

Two processes started side by side once listed different points for one theme
(dev_ramble key-leadership, no codebook: "Telling people" in one, not in the other). The
cause was not the load: each Python process hashes strings with a seed of its own
(PYTHONHASHSEED), so a set of words iterates in another order in each, and a plain `sum`
over it differed in its last bit; two candidate points tied but for that bit swapped
places at the end of a theme's shortlist. onnxruntime gives the same bits on 1, 2 or 4
intra-op threads (checked here on one thread against two).
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from surveys.themes import MiniLMEmbedder, represent, split_points
from tests.surveys.steady_run import DATA

ROOT = Path(__file__).resolve().parents[2]


def test_a_phrase_scores_the_same_whatever_order_its_words_come_in(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Shares of a theme of 7 and 3 answers; added left to right, these sums differ in
    # their last bit with the order (0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1).
    shares = {"board": 0.1, "newsletter": 0.2, "partners": 0.3, "chair": 3 / 7, "late": 1 / 3}
    means = set()
    for order in itertools.permutations(shares):
        monkeypatch.setattr(represent, "content_stems", lambda _text, o=order: list(o))
        means.add(represent._words_share("a phrase", shares))
    assert len(means) == 1
    assert means.pop() == pytest.approx(sum(shares.values()) / len(shares))


def _themed_with_hash_seed(seed: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.surveys.steady_run", "dev_ramble", "key-leadership"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


def test_two_processes_hashing_strings_differently_give_the_same_themes() -> None:
    """Seeds 1 and 2 are two that listed different points before `_words_share` was exact."""
    runs = [_themed_with_hash_seed(seed) for seed in (1, 2)]
    outputs = [run.communicate()[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    first, second = (json.loads(out) for out in outputs)
    assert first["themes"], "the question has themes"
    assert first == second


def test_the_model_gives_the_same_bits_on_one_thread_as_on_two() -> None:
    with (DATA / "themes_dev_ramble.csv").open(newline="", encoding="utf-8") as handle:
        answers = [r["answer"] for r in csv.DictReader(handle)][:40]
    texts = list(dict.fromkeys(t for a in answers for t in [a, *split_points(a)]))
    one = MiniLMEmbedder(threads=1).embed(texts)
    two = MiniLMEmbedder(threads=2).embed(texts)
    assert one.tobytes() == two.tobytes()
    assert np.isfinite(one).all()
