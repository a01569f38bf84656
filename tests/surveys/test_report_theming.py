"""What the report says about its themes: the model behind them, sides of split questions."""

from __future__ import annotations

from storage.db import Database
from surveys.clock import ManualClock
from surveys.report import build_report, render_markdown
from surveys.themes import HashingEmbedder
from tests.surveys.test_report_fixtures import load, make_round
from tests.surveys.test_report_layouts import FRAMEWORK


async def test_a_fallback_model_is_named_in_the_footer(db: Database, clock: ManualClock) -> None:
    rid = await make_round(db, clock, "framework-review", "named", FRAMEWORK)
    fallback = HashingEmbedder()
    fallback.fallback_note = "Themes were worked out with the fallback model hashing-1024."  # type: ignore[attr-defined]
    report = build_report(await load(db, rid), fallback)
    assert report.footnotes.count(fallback.fallback_note) == 1  # type: ignore[attr-defined]
    assert "fallback model hashing-1024" in render_markdown(report)
    normal = build_report(await load(db, rid), HashingEmbedder())
    assert not any("fallback" in n for n in normal.footnotes)
