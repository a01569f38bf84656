"""Column widths in the paged formats (PDF, Word): room where the words are."""

from __future__ import annotations

from surveys.report.columns import shares
from surveys.report.model import Table

ACTIONS = Table("The LSP's long-term goals", ("", "Action", "Owner", "Due", "Status",
                                              "Latest note"), (
    ("a)", "Publish the evidence base online so everyone's working from the same figures",
     "Ben Begum", "23 May 2027", "done", "Done, and reported to the Board in March."),
    ("b)", "To develop a picture of the quality of life in Fareham based on the national "
     "indicator dataset and broken down into neighbourhood profiles.",
     "Hampshire Fire and Rescue (Farid Davies)", "22 May 2027", "in progress (overdue)",
     "Neighbourhood profiles for three wards done.")))


def test_an_actions_words_get_the_room_not_its_letter() -> None:
    # The year-on PDF gave the "a)" column a quarter of the page, so each action wrapped a
    # word a line (review finding 17).
    letter, action, owner, due, _status, note = shares(ACTIONS)
    assert letter < 0.08 and action > 0.35
    assert action > note > owner > due
    assert abs(sum(shares(ACTIONS)) - 1) < 1e-9


def test_partnerships_side_by_side_stay_alike() -> None:
    side = Table("Structure", ("", "Breckland LSP", "Norwich LSP"), (
        ("Rating", "Green", "Red"),
        ("Observer's notes", "Short.", "A much longer note about the meeting and its papers.")),
        by_column=True)
    first, a, b = shares(side)
    assert a == b and first <= 0.18
