"""Reading partner lists: every bad row named by its line, nothing half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveys.errors import RosterError
from surveys.roster import parse_roster, read_roster

HEADER = "name,organisation,sector,partnership,role\n"


def test_the_example_roster_is_clean(roster_csv: Path) -> None:
    rows, problems = read_roster(roster_csv)
    assert problems == [] and len(rows) >= 40
    assert len({r.partnership for r in rows}) == 3


def test_every_bad_row_is_reported_by_line() -> None:
    text = (HEADER
            + "Asha Patel,Fareham BC,Council,Board,Chair\n"
            + "Ben,,Police,Board,Member\n"                      # line 3: empty organisation
            + "Cara,NHS Trust,NHS,Board\n"                      # line 4: a field short
            + "\n"                                              # line 5: blank, ignored
            + "Asha Patel,Fareham BC,Council,Board,Member\n"    # line 6: repeats line 2
            + '"Dev, Jr","Voluntary ""Action""",VCS,Board,Member\n')
    with pytest.raises(RosterError) as caught:
        parse_roster(text, source="p.csv")
    assert [line for line, _ in caught.value.problems] == [3, 4, 6]
    message = str(caught.value)
    assert "p.csv" in message and "line 3: empty organisation" in message
    assert "line 4: has 4 fields; the header has 5" in message
    assert "line 6: repeats line 2" in message
    rows, problems = parse_roster(text, skip_bad_rows=True)
    assert [r.name for r in rows] == ["Asha Patel", "Dev, Jr"]
    assert rows[1].organisation == 'Voluntary "Action"' and len(problems) == 3


def test_header_problems_are_line_one() -> None:
    with pytest.raises(RosterError, match=r"line 1: missing column: role"):
        parse_roster("name,organisation,sector,partnership\n")
    with pytest.raises(RosterError, match=r"line 1: unknown column: email"):
        parse_roster(HEADER.strip() + ",email\n")
    with pytest.raises(RosterError, match="line 1: the file is empty"):
        parse_roster("")


def test_usernames_and_quoted_newlines() -> None:
    text = ("name,organisation,sector,partnership,role,telegram_username\n"
            "Asha,Council,Council,Board,Chair,@asha_patel\n"
            "Ben,Police,Police,Board,Member,no\n"
            '"Cara\nSmith",NHS,NHS,Board,Member,\n')
    with pytest.raises(RosterError) as caught:
        parse_roster(text)
    assert caught.value.problems[0][0] == 3
    assert "control character" in caught.value.problems[1][1]
    assert caught.value.problems[1][0] == 4  # the row that starts on line 4 and ends on 5
    rows, _ = parse_roster(text, skip_bad_rows=True)
    assert rows[0].telegram_username == "asha_patel"


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(HEADER.encode() + "Zoë,Council,Council,Board,Chair\n".encode("latin-1"))
    with pytest.raises(RosterError, match="line 2: not UTF-8"):
        read_roster(path)
    with pytest.raises(RosterError, match="cannot read"):
        read_roster(tmp_path / "missing.csv")
