"""A year-on change agrees with the two figures printed beside it."""

from __future__ import annotations

from surveys.report.compare import Favourable, _pct, arrow


def test_the_change_is_the_difference_of_the_printed_percentages() -> None:
    before, after = Favourable(25, 37), Favourable(35, 38)   # 67.6% and 92.1%
    assert (_pct(before), _pct(after)) == ("68% (25 of 37)", "92% (35 of 38)")
    assert arrow(before.share, after.share) == "▲ +24 pts"    # unrounded: +24.5 → "+25"
    # 50.4% → 50.6% prints "50% → 51%": a point, not "no change".
    assert arrow(0.504, 0.506) == "▲ +1 pt"
    assert arrow(0.506, 0.504) == "▼ −1 pt"
    assert arrow(0.501, 0.503) == "► no change"
