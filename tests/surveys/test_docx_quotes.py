"""In the Word document a theme's quotes sit under its bullet, not as body text."""

from __future__ import annotations

import io

import docx

from storage.db import Database
from surveys.clock import ManualClock
from surveys.report import build_report
from surveys.report.word import QUOTE_INDENT, render_docx
from tests.surveys.test_report_fixtures import load, make_round
from tests.surveys.test_report_layouts import CASES


async def test_quotes_are_indented_under_their_theme_with_no_gap(db: Database,
                                                                clock: ManualClock) -> None:
    rid = await make_round(db, clock, "swot", "named", CASES["swot"])
    doc = docx.Document(io.BytesIO(render_docx(build_report(await load(db, rid)))))
    paragraphs = doc.paragraphs
    quotes = [n for n, p in enumerate(paragraphs) if p.style.name == "Quote"]
    assert quotes
    for n in quotes:  # each follows its theme's bullet or the quote before it
        assert paragraphs[n - 1].style.name in ("List Bullet", "Quote")
    fmt = doc.styles["Quote"].paragraph_format
    assert fmt.left_indent == QUOTE_INDENT > 0
    assert fmt.space_after is not None and fmt.space_after.pt <= 3
    assert doc.styles["Quote"].font.italic
