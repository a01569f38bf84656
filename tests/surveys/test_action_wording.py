"""A suggestion is offered to the board as an action, in partners' own words."""

from __future__ import annotations

from surveys.action_wording import as_action, suggestion_wording


def test_a_partners_suggestion_becomes_the_actions_words() -> None:
    assert suggestion_wording(["Check the ambitions against the money and be honest about "
                               "what we can't fund."]) == (
        "Check the ambitions against the money and be honest about what we can't fund")
    # Where one phrasing is no instruction, another phrasing of the same proposal is taken.
    assert suggestion_wording([
        "Standing groups that meet forever.",
        "Task-and-finish groups instead of standing groups that meet forever."]) == (
        "Introduce task-and-finish groups instead of standing groups that meet forever")


def test_a_lead_in_is_dropped_and_the_first_sentence_that_is_an_action_is_taken() -> None:
    assert as_action("We should agree how feedback comes back to partners.") == (
        "Agree how feedback comes back to partners")
    assert as_action("I think we need to share data once 📊") == "Share data once"
    assert as_action("tbh just get the chief execs to turn up") == (
        "Get the chief execs to turn up")
    assert suggestion_wording([
        "District-level data is patchy. Lobby county for district-level LAA data."]) == (
        "Lobby county for district-level LAA data")


def test_a_complaint_is_not_offered_as_an_action() -> None:
    # The review found "Standing groups that meet forever" offered as an action to agree.
    for text in ("Standing groups that meet forever", "Senior NHS attendance has dropped off",
                 "Leadership is reactive", "A board that never decides anything",
                 "Should we merge?", "Ask [name] to chair it"):
        assert as_action(text) is None, text
    # Listed in the partner's own words, not dressed up as an action nobody wrote.
    assert suggestion_wording(["Standing groups that meet forever and never close. 😒"]) == (
        "Standing groups that meet forever and never close")


def test_the_thing_wanted_is_introduced() -> None:
    assert suggestion_wording([
        "A standing agenda item to flag opportunities for joint work."]) == (
        "Introduce a standing agenda item to flag opportunities for joint work")
    assert as_action("Fewer priorities, each with a named lead partner.") == (
        "Aim for fewer priorities, each with a named lead partner")
    assert as_action("Theme groups to report exceptions only.") == (
        "Theme groups to report exceptions only")
    assert as_action("An LAA lead on every theme group") == (
        "Introduce an LAA lead on every theme group")


def test_a_statement_about_how_things_are_is_not_an_action() -> None:
    for text in ("Partners share data far more willingly than 2 yrs ago",
                 "Support from the council's policy team is reliable",
                 "Joint training for frontline staff cut costs for everyone",
                 "A forty-page report noted without discussion",
                 "Better than I expected when we started",
                 "Half the targets are county's to deliver, not ours",
                 "No idea what it costs to run the LSP"):
        assert as_action(text) is None, text
    # ... while a suggestion with its reason after it still is one.
    assert as_action("Review the vision at a board away day - it was written before the "
                     "recession.") == "Review the vision at a board away day - it was " \
        "written before the recession"
    assert as_action("Board to agree three things it will get done this year.") == (
        "Board to agree three things it will get done this year")


def test_a_sentence_that_leans_on_the_one_before_is_not_taken_alone() -> None:
    # Seen in the demo: "Invite them to the evidence group" offered on its own.
    # ... so the partner's whole answer stands.
    assert suggestion_wording([
        "Probation and the YOT hold good data on offending that never reaches the LSP. "
        "Invite them to the evidence group."]) == (
        "Probation and the YOT hold good data on offending that never reaches the LSP. "
        "Invite them to the evidence group")
    assert as_action("Do that again.") is None


def test_one_countable_thing_wanted_gets_its_article_and_a_mass_noun_none() -> None:
    # Seen in the demo's write-up: "Introduce quarterly e-newsletter to partners".
    assert suggestion_wording(["Quarterly e-newsletter to partners."]) == (
        "Introduce a quarterly e-newsletter to partners")
    assert suggestion_wording(["joint needs assessment every yr, shared by all"]) == (
        "Introduce a joint needs assessment every yr, shared by all")
    assert suggestion_wording(["Independent review of the partnership."]) == (
        "Introduce an independent review of the partnership")
    for text, wording in (
            ("Joint procurement for the things we all buy.",
             "Introduce joint procurement for the things we all buy"),
            ("Shared back-office services - HR, payroll, training.",
             "Introduce shared back-office services - HR, payroll, training"),
            ("A shared risk register.", "Introduce a shared risk register")):
        assert suggestion_wording([text]) == wording
