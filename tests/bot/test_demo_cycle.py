"""The demo's review cycle script refers only to actions the demo agrees."""

from __future__ import annotations

from bot.demo.cycle import APPENDIX_A, UPDATES


def test_every_owner_update_names_an_agreed_action() -> None:
    texts = [text for _, text, _ in APPENDIX_A]
    for week, which, label, _ in UPDATES:
        assert label in ("In progress", "Done", "Stuck")
        assert 1 <= week <= 16
        if which.startswith("tapped "):
            assert int(which.split()[1]) in (0, 1)   # the two agreed with taps
        else:
            assert sum(t.startswith(which) for t in texts) == 1, which
