"""A suggested-actions theme is offered to the board as an action, in partners' own words."""

from __future__ import annotations

from surveys.action_wording import action_wording, as_action


def test_a_partners_suggestion_becomes_the_actions_words() -> None:
    quotes = ["Check the ambitions against the money and be honest about what we can't "
              "fund.", "Twenty-year ambitions with three-year milestones."]
    assert action_wording("Ambitions against the money", quotes, "ambitions; money") == (
        "Check the ambitions against the money and be honest about what we can't fund")


def test_a_lead_in_is_dropped_and_the_first_sentence_that_is_an_action_is_taken() -> None:
    assert as_action("We should agree how feedback comes back to partners.") == (
        "Agree how feedback comes back to partners")
    assert as_action("I think we need to share data once 📊") == "Share data once"
    assert action_wording("District data", [
        "District-level data is patchy. Lobby county for district-level LAA data."],
        "") == "Lobby county for district-level LAA data"


def test_a_complaint_is_not_offered_as_an_action() -> None:
    # The review found "Standing groups that meet forever" offered as an action to agree.
    for text in ("Standing groups that meet forever", "Senior NHS attendance has dropped off",
                 "A single shared dashboard", "Should we merge?", "Ask [name] to chair it"):
        assert as_action(text) is None, text
    assert action_wording("Standing groups that meet forever",
                          ["Standing groups that meet forever and never close."],
                          "groups that meet forever") == (
        "Agree what the partnership will do about standing groups that meet forever")


def test_a_point_serves_when_no_quote_is_an_action() -> None:
    assert action_wording("Definitions", ["Too many definitions."],
                          "definitions; publish the definitions once") == (
        "Publish the definitions once")
    assert action_wording("LAA targets", [], "targets").endswith("about LAA targets")
