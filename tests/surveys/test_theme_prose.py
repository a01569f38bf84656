"""Labels and points a partnership would publish (issue 11): the cuts, clauses and
one-answer labels the demo and the dev sets still printed after the eleventh session."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from surveys.themes.backing import INSTANCE_BACKERS, LABEL_BACKERS, backers_needed, backing
from surveys.themes.headings import contradicts, gave_little, is_label, names_one, narrows
from surveys.themes.phrases import candidates
from surveys.themes.represent import Draft, describe, subject_of


def _runs(text: str) -> list[str]:
    return [p.text.lower() for p in candidates(text)]


def test_no_run_opens_or_ends_inside_a_clause_that_left_out_its_that() -> None:
    """"Relationship to local area needs: … Chose have no local data" was cut from "Some
    of the NIs we chose have no local data at all": "chose" is the verb of a relative
    clause without its "that", and what follows it is said of the NIs."""
    runs = _runs("Data. Some of the NIs we chose have no local data at all.")
    assert not any(r.startswith("chose") or r.endswith("chose") for r in runs), runs
    runs = _runs("The targets they set for us never change.")
    assert not any(r.startswith("set") for r in runs), runs
    # A pronoun after a word that is no noun opens its own clause, as before.
    assert "more money" in " ".join(_runs("Honestly we need more money for youth work."))


def test_no_run_stops_at_an_and_that_joins_a_second_object() -> None:
    """"Reducing reoffending needs probation" headed three answers that said it needs
    "probation and police together": half of what was said it needs."""
    runs = _runs("Reducing reoffending needs probation and police together, and at the "
                 "moment the indicators are split across two blocks.")
    assert "reducing reoffending needs probation" not in runs
    assert "reducing reoffending" in runs
    # An "and" that opens a new clause leaves the run before it whole.
    assert "feedback never comes back" in _runs("Feedback never comes back and nobody asks.")


@pytest.mark.parametrize("label", [
    "Realise it's the same six estates",  # a verb and a clause
    "Minutes arrived three weeks",  # a subject and its past verb, cut before "late"
    "Partners agreed the targets",
])
def test_a_sentence_does_not_head_a_theme(label: str) -> None:
    assert not is_label(label)


@pytest.mark.parametrize("phrase", [
    "Once by the district",  # of "blessed twice, once by the district and once by county"
    "Councillors all expecting",  # of "councillors all expecting to be asked"
    "Partners still arguing",
])
def test_how_often_or_a_verb_after_all_is_neither_label_nor_point(phrase: str) -> None:
    """dev_own listed "Two tier local government: Once by the district" and "Minutes by
    council officers: Councillors all expecting": a count of times, and a subject with
    its verb cut before what it did, say nothing heard alone."""
    assert not is_label(phrase)
    assert not is_label(phrase, point=True)


@pytest.mark.parametrize("phrase", ["Funding for all training", "Joint planning",
                                    "Sharing data between partners",
                                    "Honest feedback each spring"])
def test_a_gerund_after_a_preposition_and_all_is_still_a_heading(phrase: str) -> None:
    assert is_label(phrase)


def test_a_point_may_still_be_a_clause() -> None:
    """Listed after a label, a partner's clause is what they said."""
    assert is_label("Realise it's the same six estates", point=True)
    assert is_label("Minutes arrived three weeks late", point=True)


@pytest.mark.parametrize("label", ["Targets for every partner", "Shared data on repeat victims",
                                   "Targets agreed with partners"])
def test_noun_phrases_still_head_themes(label: str) -> None:
    assert is_label(label)


def test_a_gain_does_not_list_what_was_not_gained() -> None:
    """"Greater awareness & understanding: Agenda rarely touches education" listed a
    partner's "very little for the college… the agenda rarely touches education" as a
    gain of the partnership."""
    assert contradicts("Agenda rarely touches education", "Greater awareness & understanding")
    assert contradicts("No new contacts", "Improved / extended networking")
    assert not contradicts("Ward profiles were an eye-opener", "Greater awareness & understanding")
    assert not contradicts("No feedback", "Communication")  # a theme of what is lacking


def test_a_judged_point_is_about_its_subject() -> None:
    assert subject_of("Communication with residents is weak") == "Communication with residents"
    assert subject_of("Voluntary sector is losing grants") == ""
    assert subject_of("Board is a talking shop") == ""
    assert subject_of("Attendance is poor") == ""  # one word: judged whole


@pytest.mark.parametrize("answer", [
    "Very little for the college. We attend, we listen, but the agenda rarely touches education.",
    "Not much, to be honest. Meetings.",
    "nothing really",
    "No real difference that I can see.",
])
def test_an_answer_that_says_it_gained_little_is_known(answer: str) -> None:
    """Such an answer's reasons deny the gain a theme names (finish.py sets its denying
    points aside from gain themes)."""
    assert gave_little(answer)


@pytest.mark.parametrize("answer", [
    "Little by little we built trust between the agencies.",
    "Networking, mainly.",
    "A lot more joint working than before; nothing else comes close.",
    "Nothing changes without cash behind it.",
    "little guidance",
    "Nothing to read before my first meeting, had to pick it up as I went",
])
def test_an_answer_that_names_a_gain_is_not_taken_for_one_that_gained_little(
        answer: str) -> None:
    assert not gave_little(answer)


def _at(similarity: float) -> np.ndarray:
    """A unit vector this close to (1, 0)."""
    return np.array([similarity, (1 - similarity ** 2) ** 0.5])


def test_a_topic_named_by_one_answer_does_not_head_another_answers_topic() -> None:
    """Workshop topics: "Housing and homelessness" headed "Older people and loneliness",
    0.44 from it, as if one partner's topic spoke for another's. An answer naming a topic
    of its own backs another answer's label only if close (0.68); a clause of a story
    loosely like it still backs it, and so do two loose topics, as before."""
    label = _at(1.0)
    texts = ["Housing and homelessness", "Older people and loneliness", "Health inequalities"]
    loose = np.stack([_at(1.0), _at(0.44), _at(0.1)])
    assert backing("Housing and homelessness", {0}, label, texts, [0, 1, 2], loose) == {0}
    close = np.stack([_at(1.0), _at(0.68), _at(0.1)])
    assert backing("Housing and homelessness", {0}, label, texts, [0, 1, 2], close) == {0, 1}
    two_loose = np.stack([_at(1.0), _at(0.44), _at(0.45)])
    assert backing("Housing and homelessness", {0}, label, texts, [0, 1, 2],
                   two_loose) == {0, 1, 2}
    story = ["Housing and homelessness", "we never got near the housing waiting list",
             "Health inequalities"]
    assert backing("Housing and homelessness", {0}, label, story, [0, 1, 2], loose) == {0, 1}


@pytest.mark.parametrize("label", ["Board checks each partner's offer",
                                   "Council runs the meetings", "Business needs the LSP"])
def test_a_subject_its_verb_and_object_do_not_head_a_theme(label: str) -> None:
    """The demo's year-on round headed a theme "Board checks each partner's offer": one
    partner's sentence, not what two said. Listed after a label it is what they said."""
    assert not is_label(label)
    assert is_label(label, point=True)


@pytest.mark.parametrize("label", ["Board meetings every quarter", "Honest feedback each spring",
                                   "Partnership meets every month", "Targets for every partner",
                                   "Whoever takes the chair"])
def test_a_plural_before_each_or_every_can_still_head_a_theme(label: str) -> None:
    assert is_label(label)


def test_no_run_opens_on_the_word_that_completes_up_to_or_out_of() -> None:
    """"Evidence every six months: Date every year" and "Programme plan for the district:
    Date by the partnership officer" listed what was kept "up to date" as a date."""
    assert not any(r.startswith("date") for r in _runs(
        "The residents' survey keeps it up to date every year."))
    runs = _runs("Programme plan kept up to date by the partnership officer.")
    assert not any(r.startswith("date") for r in runs), runs
    assert "partnership officer" in runs
    assert not any(r.startswith("touch") for r in _runs("Board is out of touch with residents."))
    # A noun phrase of its own after "up to" is still a run.
    assert "joint commissioning" in _runs("We signed up to joint commissioning with the PCT.")


def test_a_point_does_not_say_its_label_again() -> None:
    """"Health data sharing: Health data sharing with the PCT" said the label twice."""
    assert narrows("Health data sharing with the PCT", "Health data sharing")
    assert not narrows("Joint commissioning is starting with the VCS contracts",
                       "Joint commissioning")
    assert not narrows("Pace of the LAA", "LAA")
    assert not narrows("LAA process", "LAA")
    assert not narrows("Data sharing with the PCT", "Health data sharing")


@pytest.mark.parametrize("label", [
    # New-theme labels on the dev sets (no codebook), each one answer's colleague, body,
    # place or occasion over a theme of answers about something else.
    "Busiest person in the building", "Head of housing", "Risk meeting", "Refresh date",
    "Housing officers", "County member", "PCT person", "Ring county", "Rural district",
    "Fun day in the park", "Summer fair", "Meeting the youth service manager",
    "Trust's public health team", "Council meeting with guests", "New chief executive"])
def test_a_label_that_names_one_person_body_place_or_occasion_is_known(label: str) -> None:
    assert names_one(label)
    assert backers_needed(label) == INSTANCE_BACKERS > LABEL_BACKERS


@pytest.mark.parametrize("label", [
    # What partners share: a wish for a post, a kind, a clause, runs joined, a thing.
    "Right person", "Independent chair", "Named lead for every priority",
    "Proper support team", "Week before meetings", "Groups simply stopped meeting",
    "Rural and urban", "Board meetings", "Fewer members", "Regular bulletin",
    "Relationship building", "Existing networks like parish councils",
    "Note after each meeting", "Whoever takes the chair"])
def test_a_label_that_names_a_kind_or_a_wish_is_not_taken_for_one(label: str) -> None:
    assert not names_one(label)
    assert backers_needed(label) == LABEL_BACKERS


class _Keyed:
    """Vectors by key words: "meeting" and "sorted" near the centre, "quicker answers"
    0.5 from it and 0.2 from them, anything else far off."""

    name = "keyed"
    dim = 3

    def __init__(self, answers_near: bool = True) -> None:
        self.answers_near = answers_near

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = []
        for text in texts:
            low = text.lower()
            rows.append([0.95, 0.312, 0.0] if "meeting" in low or "sorted" in low else
                        [0.5, -0.866, 0.0] if "quicker answers" in low and self.answers_near
                        else [0.0, 0.0, 1.0])
        return np.array(rows, dtype=np.float32)


def test_one_answers_meeting_backed_by_one_other_does_not_head_a_theme() -> None:
    """dev_work's "Risk meeting (11)": one answer's meeting, backed only by another's
    "That has sorted more problems than any meeting". It is the closest phrase to the
    theme's centre, yet the theme is headed by what three of its answers say; with no
    such phrase it has no label (its answers go to "Other points")."""
    texts = ["The risk meeting with the police", "Yes it sorted",
             "Quicker answers from partners", "Quicker answers from the council",
             "Quicker answers all round"]
    draft = Draft(texts=texts, answers=[0, 1, 2, 3, 4],
                  centre=np.array([1.0, 0.0, 0.0], dtype=np.float32))
    named = describe([draft], _Keyed())[0].label
    assert named.startswith("Quicker answers"), named
    assert describe([draft], _Keyed(answers_near=False))[0].label == ""


def test_no_run_opens_on_an_object_whose_verb_it_left_behind() -> None:
    """Demo points: "Tasking group: Problem to one agency" of "gives each problem to one
    agency", "Scrutiny questions: Annual board as an observer" of "attends the annual
    board as an observer"; and "Room as council officers" of "in the same room as council
    officers". A noun phrase before the "to" or "as", or a noun's own "to", is kept."""
    def runs(text: str) -> set[str]:
        return {p.text.casefold() for p in candidates(text)}

    tasking = runs("The tasking group gives each problem to one agency and checks it's done.")
    assert "problem to one agency" not in tasking and "tasking group" in tasking
    assert "tasking group gives each problem" not in tasking
    scrutiny = runs("The O&S chair attends the annual board as an observer")
    assert "annual board as an observer" not in scrutiny and "annual board" in scrutiny
    room = runs("We were in the same room as council officers for once")
    assert "room as council officers" not in room and "council officers" in room
    assert "links to the health service" in runs("We made links to the health service")


def test_a_reflexive_pronoun_is_no_heading() -> None:
    """dev_pictures: "Started wondering myself" headed a theme once "First meeting" was
    refused; a heading holds no pronoun, "myself" as little as "my"."""
    assert not is_label("Started wondering myself")
    assert is_label("Started wondering myself", point=True)
