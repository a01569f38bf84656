"""bench/themes_diagnose.py: the measures that say where no-codebook theming loses."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import themes_diagnose  # noqa: E402


def test_a_coders_theme_split_in_two_is_homogeneous_but_not_complete() -> None:
    truth = ["money"] * 4 + ["clarity"] * 4
    split = ["a", "a", "b", "b", "c", "c", "c", "c"]
    homogeneity, completeness = themes_diagnose.homogeneity_completeness(truth, split)
    assert homogeneity == pytest.approx(1.0)
    assert 0.4 < completeness < 0.7


def test_two_coders_themes_in_one_are_complete_but_not_homogeneous() -> None:
    truth = ["money"] * 4 + ["clarity"] * 4 + ["buy-in"] * 4
    joined = ["a"] * 8 + ["b"] * 4
    homogeneity, completeness = themes_diagnose.homogeneity_completeness(truth, joined)
    assert completeness == pytest.approx(1.0)
    assert 0.3 < homogeneity < 0.8


def test_an_answer_is_right_when_its_theme_is_its_found_themes_majority_never_in_other() -> None:
    truth = ["money", "money", "clarity", "money", "clarity"]
    other = themes_diagnose.OTHER_ID
    found = ["t1", "t1", "t1", other, other]
    assert themes_diagnose.right_answers(truth, found) == [True, True, False, False, False]


def test_the_unseen_sets_are_refused() -> None:
    with pytest.raises(SystemExit):
        themes_diagnose.main(["--sets", "unseen_i"])
