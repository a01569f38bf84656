"""bench/common.py: the arguments the no-codebook dev-set benches share (themes_diagnose,
themes_projection), parsed and checked in one place."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import common  # noqa: E402
import themes_projection  # noqa: E402

from surveys.themes import features  # noqa: E402

DEV = ("labelled", "dev_own", "dev_work")


def parsed(argv: list[str]) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    parser = argparse.ArgumentParser()
    common.add_dev_theme_args(parser, seeds=2, modes="loso,loqo")
    return parser, parser.parse_args(argv)


def test_every_dev_set_unless_some_are_named_and_the_defaults_each_bench_gives() -> None:
    parser, args = parsed([])
    assert (args.seeds, args.modes, args.cache) == (2, "loso,loqo", "")
    assert common.dev_theme_sets(parser, args, DEV) == list(DEV)
    parser, args = parsed(["--sets", "dev_work,dev_own", "--seeds", "4"])
    assert common.dev_theme_sets(parser, args, DEV) == ["dev_work", "dev_own"]
    assert args.seeds == 4


def test_an_override_sets_the_engines_constant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(features, "GRAM_SHARE", features.GRAM_SHARE)  # put back after
    parser, args = parsed(["--override", "features.GRAM_SHARE=0.15", "--sets", "dev_own"])
    common.dev_theme_sets(parser, args, DEV)
    assert features.GRAM_SHARE == 0.15


@pytest.mark.parametrize("name", ["unseen_i", "nope"])
def test_a_set_that_is_not_a_dev_set_is_refused_by_either_bench(name: str) -> None:
    parser, args = parsed(["--sets", f"dev_own,{name}"])
    with pytest.raises(SystemExit):
        common.dev_theme_sets(parser, args, DEV)
    with pytest.raises(SystemExit):
        themes_projection.main(["--sets", name])
