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


def _chars(text: str, bold: bool) -> float:
    return len(text) * (5.5 if bold else 5.0) + 7   # a rough font: five points a letter


def test_short_cells_never_wrap_and_counts_take_little_room() -> None:
    # The demo's PDF wrapped "Not very / effective" in a column a third as wide as "Count",
    # and the year-on table wrapped "67% (8 of / 12)" and "▼ −3 / pts" beside long questions.
    from surveys.report.columns import fit_words

    rating = Table("", ("Answer", "Count", "Share"), (
        ("Very effective", "3", "9%"), ("Not very effective", "11", "31%"),
        ("Very ineffective", "7", "20%")))
    answer, count, share = fit_words(rating, [380 * s for s in shares(rating)], _chars)
    assert answer >= _chars("Not very effective", False) and answer > count
    assert count >= _chars("Count", True) and share >= _chars("Share", True)
    assert abs(answer + count + share - 380) < 0.01

    question = ("How well does the sustainable community strategy (SCS) reflect LSP members' "
                "ambition and priorities?")
    since = Table("", ("Area", "Question", "Last review", "This review", "Change"), (
        ("Leading the LSP and creating a culture of working together", question,
         "67% (8 of 12)", "100% (12 of 12)", "▼ −3 pts"),
        ("Meetings and messages", "How was the chair of your LSP chosen?", "100% (13 of 13)",
         "69% (9 of 13)", "► no change")))
    widths = fit_words(since, [510 * s for s in shares(since)], _chars)
    for n, cell in ((2, "100% (13 of 13)"), (3, "100% (12 of 12)"), (4, "► no change")):
        assert widths[n] >= _chars(cell, False) - 0.01, cell
    assert widths[1] > widths[2] and abs(sum(widths) - 510) < 0.01
