"""Points and labels a reader understands: a run of an answer's words that says what the
partner said, not a piece cut from it (`surveys.themes.cuts`). Each case is an answer the
demo or a dev set holds, and the run the engine had listed from it."""

from __future__ import annotations

import pytest

from surveys.themes.phrases import candidates, is_label, tidy


def _listed(text: str) -> set[str]:
    """The runs of an answer that could stand as a point."""
    return {p.text.casefold() for p in candidates(text) if is_label(p.text, point=True)}


@pytest.mark.parametrize(("answer", "cut"), [
    # A quotation cut open: the demo listed "Local' indicators were chosen".
    ("Make the local targets local. The 'local' indicators were chosen by county.",
     "local' indicators were chosen"),
    ("An annual 'state of the district' report to every partner's board.",
     "annual state of the district' report"),
    # What happened next, without what happened first: "Expectations and then disappoint".
    ("It has to be realistic. Ambitions without resources just raise expectations and then "
     "disappoint.", "expectations and then disappoint"),
    # A verb cut from what it governs: "Partnership should plan".
    ("An honest conversation about cuts. Resources are going to fall and the partnership "
     "should plan for that together.", "partnership should plan"),
    # What a clause says of its subject, cut from what carries it on.
    ("The LSP is supposed to set the direction but the council does.", "lsp is supposed"),
    ("Partners are planning to pool the drugs budgets next year.", "partners are planning"),
    ("The head of service is responsible for it, not the board.", "head of service is responsible"),
    # What something is likened to, without the likening: "Council committee with guests".
    ("It's too council-driven. The agenda, the venue, the chair, the minutes - it feels like "
     "a council committee with guests.", "council committee with guests"),
    # A plural subject and one word of what it does or is.
    ("not our role tbh - partners commission, the LSP advises", "partners commission"),
    ("Making sure the targets relate to local need, not just what government wants.",
     "targets relate"),
    ("minutes late or not sent at all", "minutes late"),
    ("organisations happy to send someone but not to change anything", "organisations happy"),
    ("partners willing to commission jointly", "partners willing"),
])
def test_a_point_is_not_cut_from_what_it_said(answer: str, cut: str) -> None:
    assert cut not in _listed(answer)


@pytest.mark.parametrize(("answer", "kept"), [
    # What the rules leave: examples after "like", what a partner would like, whole
    # clauses, possessives, a passive that ends its clause, compounds.
    ("Things like joint training would help", "joint training"),
    ("We'd like a target on accidental dwelling fires.", "target on accidental dwelling fires"),
    ("Business hasn't really been engaged. I'm often the only one.",
     "business hasn't really been engaged"),
    ("Align with partners' own performance frameworks so it isn't extra work.",
     "partners' own performance frameworks"),
    ("The parish councils and the residents' groups were never asked.", "parish councils"),
    ("An honest conversation about cuts.", "honest conversation about cuts"),
    ("Joint commissioning is starting with the VCS contracts", "joint commissioning is starting"),
    # A quotation is kept whole, both its marks.
    ("Make the local targets local. The 'local' indicators were chosen by county.",
     "'local' indicators were chosen by county"),
    ("An annual 'state of the district' report to every partner's board.",
     "annual 'state of the district' report"),
    ("Resources are going to fall and the partnership should plan for that together.",
     "resources are going to fall"),
])
def test_whole_points_are_still_found(answer: str, kept: str) -> None:
    assert kept in _listed(answer)


def test_a_heading_in_quote_marks_is_capitalised_after_the_mark() -> None:
    assert tidy("'local' indicators were chosen by county") == \
        "'Local' indicators were chosen by county"
    assert tidy("'LAA' targets") == "'LAA' targets"
