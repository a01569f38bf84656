"""A new theme no phrase names in the encoder's space is named in the view it was clustered
in (naming.py): on members' answers told as stories, themes that went to "Other points"
are named by a phrase partners used, under the same label rules."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from surveys.themes import Embedder, default_embedder, theme_answers
from surveys.themes.features import ThemeView
from surveys.themes.headings import is_label
from surveys.themes.naming import named_in_view
from surveys.themes.represent import Description, Draft
from surveys.themes.themed import OTHER_ID
from tests.surveys.viewed import Mapped

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import build_theme_projection as builder  # noqa: E402
from build_answer_bank import bank_rows  # noqa: E402
from themes_quality import DEV, adjusted_rand  # noqa: E402

ADDED_VALUE = "What has been the added value of the LSP over the last 3 years?"



@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return default_embedder()


def test_stories_of_added_value_get_named_themes_not_other_points(embedder: Embedder) -> None:
    """dev_own's added value: members telling what the partnership led to in their own
    organisation's terms (a nurse at a chapel drop-in, a phone number), themed with no
    codebook in a view learned without this set. Before, 35 of 55 answers went to "Other
    points" (seed 0, ARI 0.09); now 7 (ARI 0.29): among others a cluster of partners asking
    each other awkward questions (the coders' Challenge) is named by a phrase they used."""
    with (ROOT / "bench" / "data" / "themes_dev_own.csv").open(
            newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["question"] == "added-value"]
    answers, truth = [r["answer"] for r in rows], [r["theme"] for r in rows]
    training = bank_rows(n for n in DEV if n != "dev_own")
    assert not {a for _, _, a in training} & {a.strip() for a in answers}
    learned = builder.fit(*builder.training_rows(training, builder.bank()[2]))
    themed = theme_answers(answers, embedder=Mapped(embedder, learned), seed=0,
                           question=ADDED_VALUE)
    mains = [a[0] if a else "-" for a in themed.assignments]
    other = sum(m == OTHER_ID for m in mains)
    assert other <= 15, other
    assert adjusted_rand(truth, mains) >= 0.2
    labels = {t.label: t for t in themed.themes if t.id != OTHER_ID}
    challenge = [t for label, t in labels.items() if "awkward question" in label.lower()]
    assert challenge, sorted(labels)
    coded = Counter(truth[a] for a, m in enumerate(mains) if m == challenge[0].id)
    assert coded.most_common(1)[0][0] == "Challenge", coded
    said = " ".join(answers).lower()
    for label, theme in labels.items():
        assert is_label(label, ADDED_VALUE), label
        for point in theme.points:
            assert point.lower() in said, point


def test_without_a_view_or_with_every_theme_named_nothing_changes(embedder: Embedder) -> None:
    texts = ["no money for the projects", "budgets cut again"]
    known = dict(zip(texts, embedder.embed(texts), strict=True))
    drafts = [Draft(texts, [0, 1], known[texts[0]])]
    found = [Description("", ())]
    assert named_in_view(drafts, found, None, embedder, "", [2], known) == found
    named = [Description("Money", ())]
    view = ThemeView(np.mean(list(known.values()), axis=0), None,
                     np.eye(384, 8, dtype=np.float32))
    assert named_in_view(drafts, named, view, embedder, "", [2], known) == named
