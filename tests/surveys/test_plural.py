"""Counts in chat, digests and reports read as a person writes them, never "answer(s)"."""

from __future__ import annotations

from surveys.plural import count, listed, unrated, unthemed
from surveys.small_groups import merge_small_groups, merged_notes


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert [count(n, "answer") for n in (0, 1, 2)] == ["0 answers", "1 answer", "2 answers"]
    assert count(3, "partnership") == "3 partnerships"
    assert count(2, "bad row") == "2 bad rows"


def test_the_verb_agrees_with_the_count() -> None:
    assert unthemed(1) == "1 answer fits no theme."
    assert unthemed(4) == "4 answers fit no theme."
    assert unrated(1) == "1 reason given without a rating is left out of the split."
    assert unrated(2, dont_know=True) == ("2 reasons given without a rating (or with "
                                          "\"Don't know\") are left out of the split.")


def test_one_small_group_is_one_group() -> None:
    members = {"Police": {"a", "b", "c", "d"}, "Health": {"e", "f", "g"}, "Business": {"h"}}
    _, merges = merge_small_groups(members, 3, "sector", unit="partners")
    assert merged_notes(merges)[0].endswith(
        "\"Other (groups under 3)\" counts together 1 sector with fewer than 3 partners. "
        "Health is counted there too, though not under 3, so that no smaller group can be "
        "worked out by taking the rows shown from the total.")
    _, merges = merge_small_groups({**members, "Probation": {"i", "j"}}, 3, "sector",
                                   unit="partners")
    assert "counts together 2 sectors with fewer than 3 partners." in merged_notes(merges)[0]


def test_names_are_listed_as_a_person_writes_them() -> None:
    assert listed([]) == ""
    assert listed(["Fareham Partnership"]) == "Fareham Partnership"
    assert listed(["Fareham Partnership", "Safety Board"]) == (
        "Fareham Partnership and Safety Board")
    assert listed(["Police", "Health", "Business"]) == "Police, Health and Business"
