"""A report's tables on a phone (390 px) and on A4: nothing scrolls sideways.

A table too wide for a phone is shown a row at a time, each cell named by its column; with
partnerships as its columns (an observation dimension, partnerships side by side) it is shown
a partnership at a time, its rating and the observer's notes together. On A4 such a table
keeps its columns, printed smaller, never cut off by a scroll box.
"""

from __future__ import annotations

import re

from storage.db import Database
from surveys.clock import ManualClock
from surveys.report import build_report, render_html
from surveys.report.html import table_html
from surveys.report.model import Table
from tests.surveys.test_observation_report import FOUR, observation_round
from tests.surveys.test_report_fixtures import load


def _narrow_block(html: str, title: str) -> str:
    found = re.search(rf'<div class="narrow" aria-label="{re.escape(title)}">(.*?)</dl></div>'
                      r"(?:</div>)", html, re.S)
    assert found, title
    return found.group(1)


async def test_an_observation_dimension_is_shown_a_partnership_at_a_time_on_a_phone(
        db: Database, clock: ManualClock) -> None:
    rid = await observation_round(db, clock, "named", FOUR)
    html = render_html(build_report(await load(db, rid)))
    title = "Structure: how clear is the partnership&#x27;s structure?"
    cards = _narrow_block(html, title).split('<div class="card">')[1:]
    assert [re.search(r"<h4>(.*?)</h4>", c).group(1) for c in cards] == [  # type: ignore[union-attr]
        "Breckland LSP", "Broadland LSP", "Great Yarmouth LSP", "Norwich LSP"]
    # Each card holds the partnership's rating (tinted) and the observer's notes.
    assert '<dt>Rating</dt><dd class="rag-red">Red</dd>' in cards[3]
    assert "<dt>Observer&#x27;s notes</dt><dd>Norwich: structure</dd>" in cards[3]
    # The side-by-side table itself is for wider screens (and print) only.
    assert html.count('<div class="scroll wide-only">') >= 9
    css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "@media screen and (max-width:40rem){.wide-only{display:none}.narrow{display:block}" \
        in css
    assert ".narrow{display:none}" in css


async def test_a_wide_table_is_stacked_on_a_phone_and_printed_whole_on_a4(
        db: Database, clock: ManualClock) -> None:
    rid = await observation_round(db, clock, "named", FOUR)
    html = render_html(build_report(await load(db, rid)))
    matrix = re.search(r'<table class="([^"]*)"><caption>RAG matrix</caption>(.*?)</table>',
                       html, re.S)
    assert matrix is not None and set(matrix.group(1).split()) == {"stack", "dense"}
    assert '<td class="rag-red" data-label="Managing performance">Red</td>' in matrix.group(2)
    css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    printed = css.split("@media print{", 1)[1]
    assert ".scroll{overflow:visible}" in printed and "table.dense{font-size:7.5pt}" in printed


def test_a_table_that_fits_a_phone_is_left_as_it_is() -> None:
    small = Table("Response rate by sector", ("Sector", "Invited", "Submitted", "Rate"),
                  (("Council", "3", "3", "100%"), ("Police", "4", "3", "75%")))
    html = table_html(small)
    assert "stack" not in html and "narrow" not in html and "data-label" not in html
