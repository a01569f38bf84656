"""Which answers a theme quotes (`surveys.themes.about`): real engine, answers written for
these tests."""

from __future__ import annotations

import pytest

from surveys.themes import Embedder, builtin_codebook, default_embedder, theme_answers
from surveys.themes.phrases import occurs_in

ADDED_VALUE = "What has been the added value of the LSP over the last 3 years?"
# Two partners give the same answer word for word, about nothing the codebook covers.
TWIN = "The Christmas market food bank stall was run by volunteers from four partners."
ANSWERS = [
    "Knowing who to phone in the other agencies.",
    "A shared plan all partners have signed.",
    "The data sharing agreement between police and housing.",
    "Joint bids for external funding.",
    "We hear what the health trust is planning before it happens.",
    "The board challenges the council when it needs to.",
    TWIN,
    "Better links between district and county officers.",
    "Training days with all the partners in the room.",
    TWIN,
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """The real model, loaded once."""
    return default_embedder()


def test_a_new_theme_of_one_answer_given_twice_quotes_it(embedder: Embedder) -> None:
    """A new theme named from the words two partners both wrote has nothing else to be
    judged by: it quotes them, rather than standing as a label and a count alone (the
    demo's "Healthy towns bid (raised by 2)")."""
    themed = theme_answers(ANSWERS, builtin_codebook("framework-review", "added-value"),
                           embedder=embedder, question=ADDED_VALUE)
    [twin] = [t for t in themed.themes if not t.from_codebook and occurs_in(t.label, TWIN)]
    assert twin.count == 2
    assert twin.quotes == (TWIN,)
