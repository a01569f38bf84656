"""Points and labels a reader understands: a run of an answer's words that says what the
partner said, not a piece cut from it (`surveys.themes.cuts`). Each case is an answer the
demo or a dev set holds, and the run the engine had listed from it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from surveys.themes import Embedder, builtin_codebook, default_embedder, theme_answers
from surveys.themes.headings import is_label, tidy
from surveys.themes.phrases import candidates, said_otherwise, whole_clause_of
from surveys.themes.segment import listed_examples

DEMO_ROUND = Path(__file__).resolve().parent / "data" / "demo_framework_round.json"
DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
QUESTION = "What barriers have limited the potential to achieve more?"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """The real model, loaded once."""
    return default_embedder()


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
    ("very little advice from GONW or the county on how an LSP is supposed to operate",
     "lsp is supposed"),
    ("a proper picture of what each town is asking for", "town is asking"),
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
    # A clause whose subject lost its "every" or "each": "Project means going cap in hand".
    ("No shared budget, so every project means going cap in hand to five different "
     "organisations.", "project means going cap in hand"),
    ("Proper induction so every member understands their role from day one.",
     "member understands their role"),
    ("Clear lines now. Each group has a board sponsor who goes to its meetings at least twice "
     "a year.", "group has a board sponsor"),
    # A relative clause's verb without who did it: "Benefit from the LSP are keen".
    ("Parish councils who profit from the joint bids are loyal.", "profit from the joint bids"),
    ("The councillors who chair theme groups are well informed.", "chair theme groups"),
    ("Small charities, which rely on the grants panel, feel shut out.",
     "rely on the grants panel"),
    # A preposition's object cut at its list's first item: "Networking between public".
    ("Joint training between police, fire and ambulance crews would save money.",
     "joint training between police"),
    ("Better links with schools, GPs, pharmacies or the college.", "better links with schools"),
    # What a verb made of its object, without the verb: "Awake at night".
    ("A slot where each partner says what keeps them awake at night.", "awake at night"),
    ("Funding cuts left us short of youth workers.", "short of youth workers"),
    # What "be" says of a subject, without the subject: "Seen as a leader".
    ("The voluntary sector wants to be seen as an equal partner.", "seen as an equal partner"),
    ("Fire crews are in people's homes every day, so they spot the risks.",
     "people's homes every day"),
    ("It's in the hands of the council officers.", "hands of the council officers"),
    ("Papers are published late and nobody reads them.", "published late"),
    # A passive cut from the "as" it needs: "Business needs to be seen".
    ("The voluntary sector wants to be seen as an equal partner.",
     "voluntary sector wants to be seen"),
    ("Our scrutiny panel is regarded as a rubber stamp.", "scrutiny panel is regarded"),
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
    # A list's first item that nothing governs is whole: "Budget cuts, staff turnover…".
    ("Budget cuts, staff turnover and low morale.", "budget cuts"),
    ("Funding cuts left us short of youth workers.", "youth workers"),
    ("Ask them for honest feedback each spring.", "honest feedback each spring"),
    ("The LSP is a talking shop with good biscuits.", "talking shop with good biscuits"),
    ("Papers are published late and nobody reads them.", "papers are published late"),
    ("maybe being questioned by other partners, that kept us honest",
     "questioned by other partners"),
    ("There have been genuine attempts at shared commissioning.",
     "genuine attempts at shared commissioning"),
    ("Better links with schools. GPs, pharmacies and the college too.",
     "better links with schools"),
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


@pytest.mark.parametrize(("answer", "items"), [
    ("Constant restructuring - PCT, police basic command units, the council itself. You "
     "build a relationship and then the person's gone.",
     {"pct", "police basic command units", "the council itself"}),
    ("Recognising the in-kind contributions business makes: premises, staff time, sponsorship.",
     {"premises", "staff time", "sponsorship"}),
    ("A forum where issues that fall between agencies - hoarding, care leavers, people with "
     "no recourse to public funds - can be raised and somebody takes them on.",
     {"hoarding", "care leavers", "people with no recourse to public funds"}),
    # Not a list of examples: prose after a dash, or two items.
    ("Lack of resources - one part-time officer supporting the whole partnership isn't enough.",
     set()),
    ("Funding: short-term and ring-fenced.", set()),
])
def test_a_list_after_a_head_gives_its_examples(answer: str, items: set[str]) -> None:
    assert listed_examples(answer) == items


def test_no_theme_is_named_after_one_example_of_a_partners_list(embedder: Embedder) -> None:
    """The demo's barriers had a new theme "Police basic command units" (raised by 3) with
    no point or quote: one of the bodies a partner listed after "Constant restructuring -"
    ("PCT, police basic command units, the council itself"), clustered with other answers'
    "partners" and "officers". An example names what the partner's point hit, not a theme."""
    found = json.loads(DEMO_ROUND.read_text(encoding="utf-8"))["questions"]["barriers"]
    answers = list(found["texts"])
    themed = theme_answers(answers, builtin_codebook("framework-review", "barriers"),
                           embedder=embedder, question=found["prompt"])
    labels = {t.label for t in themed.themes}
    assert "Police basic command units" not in labels
    listed = set().union(*(listed_examples(a) for a in answers))
    for theme in themed.themes:
        if not theme.from_codebook:
            assert theme.label.casefold() not in listed, theme.label
    # The answer is still counted, under the codebook theme its point is about.
    restructuring = next(i for i, a in enumerate(answers) if a.startswith("Constant restr"))
    assert themed.assignments[restructuring][0] == "instability"


@pytest.mark.parametrize(("label", "heading"), [
    # One partner's instance, counted: no heading over several partners' answers.
    ("Three meetings running", False), ("Two councils", False), ("Two committee cycles", False),
    ("Six faces at every meeting", False), ("Three PCT chief execs", False),
    # The building a body meets in stands for the body: who, not what.
    ("Town hall", False), ("County Hall", False), ("Council chamber", False),
    # Opening on the particle of a verb left behind (dev_own, heldout).
    ("Back round the decision", False), ("Back at their own organisations", False),
    ("Away days", True),  # a compound: the demo's "Forms of activity: Away days are fine"
    # A count in a compound, and a building in a phrase that says something, stay.
    ("Two tier local government", True), ("Town hall meetings", True),
])
def test_a_label_neither_counts_one_partners_things_nor_names_a_building(
        label: str, heading: bool) -> None:
    assert is_label(label, QUESTION) is heading
    if label in ("Three meetings running", "Two councils", "Six faces at every meeting"):
        assert is_label(label, point=True)  # what a partner said, listed under a heading


def test_new_writing_is_not_headed_by_one_answers_count_or_building(embedder: Embedder) -> None:
    """`partnerpulse themes bench/data/themes_dev_mixed.csv` on the barriers answers, no
    codebook, had headed themes "Three meetings running" (10) and "Town hall" (8)."""
    with (DATA / "themes_dev_mixed.csv").open(newline="", encoding="utf-8") as handle:
        answers = [r["answer"] for r in csv.DictReader(handle) if r["question"] == "barriers"]
    themed = theme_answers(answers, (), embedder=embedder, question=QUESTION)
    labels = {t.label for t in themed.themes}
    assert not labels & {"Three meetings running", "Town hall"}
    assert any(t.id != "other-points" for t in themed.themes)


def test_a_phrase_said_otherwise_than_its_answer_is_told_apart() -> None:
    """Listed alone, the subject of a denied verb says the opposite, and a statement a
    verb before it asks for is clipped; a contrast after a whole point, or "isn't
    enough", leaves the point its sense (`phrases.said_otherwise`)."""
    assert said_otherwise("Actions agreed at meetings",
                          "Actions agreed at meetings don't get done and nobody chases them.")
    assert said_otherwise("People from economy", "the people from economy never come")
    assert said_otherwise("Decisions", "Decisions are not followed up")
    assert said_otherwise("Voluntary sector contributes",
                          "Recognise what the voluntary sector contributes in its own right.")
    assert not said_otherwise("Reflect local priorities",
                              "reflect local priorities not just national ones")
    assert not said_otherwise("Part-time officer supporting the whole partnership",
                              "one part-time officer supporting the whole partnership isn't "
                              "enough")
    assert not said_otherwise("What we need", "What we need is money")
    # Said otherwise in one place and plainly in another, it keeps its sense.
    assert not said_otherwise("Joint bids", "Joint bids don't happen. Joint bids work.")


def test_a_whole_clause_is_one_its_partner_punctuated_and_no_item_of_a_list() -> None:
    """"The council each look at the plan" is a piece of "If the police, health and the
    council each look at the plan"; the later items of a list a preposition governs are
    no clause of their own (`phrases.whole_clause_of`)."""
    text = "If the police, health and the council each look at the plan, we get somewhere."
    assert not whole_clause_of("the council each look at the plan".split(), text)
    assert whole_clause_of("health and the council each look at the plan".split(), text)
    assert whole_clause_of("we get somewhere".split(), text)
    listed = "Networking between public, private and voluntary sectors is good"
    assert not whole_clause_of("private and voluntary sectors is good".split(), listed)
    assert not whole_clause_of("Networking between public".split(), listed)
