"""The demo's themes as a council officer would read them before publishing (issue 11): the
framework review's innovation, LAA and workshop questions and the SWOT's four boxes, as
`make demo`'s partners answered them, themed by the real engine and built-in codebooks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surveys.themes import (
    Embedder,
    ThemedQuestion,
    builtin_codebook,
    default_embedder,
    theme_answers,
)
from surveys.themes.lexical import everyday_stems, lexical_scores
from surveys.themes.phrases import (
    candidates,
    content_stems,
    has_governed_list,
    occurs_in,
    said_otherwise,
    whole_clause_of,
)
from surveys.themes.themed import OTHER_ID

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    """The real model, loaded once."""
    return default_embedder()


def _themed(path: Path, embedder: Embedder) -> dict[str, tuple[list[str], ThemedQuestion]]:
    found = json.loads(path.read_text(encoding="utf-8"))["questions"]
    out = {}
    for qid, q in found.items():
        texts = list(q["texts"])
        book = builtin_codebook(q.get("template", "framework-review"), qid)
        out[qid] = (texts, theme_answers(texts, book, embedder=embedder, question=q["prompt"]))
    return out


@pytest.fixture(scope="module")
def demo(embedder: Embedder) -> dict[str, tuple[list[str], ThemedQuestion]]:
    """Every demo question kept as a fixture, themed as its report themes it."""
    return {**_themed(DATA / "demo_framework_round.json", embedder),
            **_themed(DATA / "demo_more_questions.json", embedder)}


def test_no_theme_is_listed_with_a_count_and_nothing_said(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """A theme shows a point or a quote, or is not listed: the demo had "Lack of clarity
    (raised by 2)", "Permission from the top (raised by 4)", and the SWOT's "Means of
    communication (raised by 4)" over answers about a track record and local knowledge,
    each with nothing under it. Their answers are counted under their next theme, or
    under "Other points"; no answer loses its count."""
    for qid, (answers, themed) in demo.items():
        for theme in themed.themes:
            if theme.id != OTHER_ID:
                assert theme.points or theme.quotes, (qid, theme.label, theme.count)
            for point in theme.points:
                assert any(occurs_in(point, answers[i]) for i in theme.answer_indexes)
        said = [i for i, got in enumerate(themed.assignments) if got]
        assert len(said) == len(answers) - themed.non_answers, qid
        listed = {t.id for t in themed.themes}
        assert all(set(got) <= listed for got in themed.assignments), qid


def test_the_swot_strengths_about_a_track_record_are_not_means_of_communication(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """The SWOT's "Means of communication" (a channel to partners and major players) once
    counted 4 answers about a track record, being small and local knowledge, and nothing
    they said was about communicating. "The partnership has a track record" matched it on
    "partn" alone, a stem in one answer of six of any partnership review: the lexical
    score leaves such words out (lexical.everyday_stems)."""
    assert {"partn"} <= everyday_stems()
    assert not lexical_scores(builtin_codebook("swot", "strengths"),
                              ["The partnership has a track record"]).any()
    strengths = {t.label for t in demo["strengths"][1].themes}
    assert "Means of communication" not in strengths


def test_a_point_is_never_the_rest_of_a_list(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """"Networking: Private and voluntary sectors" (SWOT opportunities) was the rest of
    "Networking between public, private and voluntary sectors": the items after the
    first of a list a preposition governs are no point of their own. A list that opens a
    clause on its own ("Time, money and people are short") still gives its runs."""
    said = [p.text for p in candidates(
        "Networking between public, private and voluntary sectors is worth a lot.")]
    assert not any("private" in t.lower() or "voluntary" in t.lower() for t in said)
    assert "money and people" in [p.text for p in candidates("Time, money and people are short.")]
    points = {p for t in demo["opportunities"][1].themes for p in t.points}
    # The answer's points are cut at the list's commas; neither piece is listed.
    assert not points & {"Private and voluntary sectors", "Networking between public"}
    assert has_governed_list("Monthly tasking meeting with police, council and fire works.")
    assert not has_governed_list("Time, money and people are short.")


def test_a_new_theme_is_the_main_theme_of_more_than_one_answer(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """"Police car: Street triage (raised by 7)" headed six answers about other ideas: the
    theme was the main one of a single answer ("Street triage - a mental health nurse in
    the police car…") and a second idea of six. A new theme the main theme of one answer
    names that answer, not what several share: it gets no label, and the street triage
    answer now sits under the codebook's "Imaginative initiatives"."""
    answers, themed = demo["key-innovation"]
    labels = {t.label for t in themed.themes}
    assert "Police car" not in labels
    triage = next(i for i, a in enumerate(answers) if a.startswith("Street triage"))
    main = themed.theme_by_id[themed.assignments[triage][0]]
    assert main.from_codebook, main.label
    for qid, (_, got) in demo.items():
        for theme in got.themes:
            if theme.from_codebook or theme.id == OTHER_ID:
                continue
            mains = [i for i in theme.answer_indexes if got.assignments[i][:1] == [theme.id]]
            assert len(mains) >= 2 or not mains, (qid, theme.label, mains)


def _points(themed: ThemedQuestion) -> dict[str, tuple[str, ...]]:
    return {t.label: t.points for t in themed.themes}


def test_the_demos_points_sit_under_the_theme_they_are_about(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """"Greater awareness & understanding: Agenda rarely touches education" listed a
    partner's "very little for the college" answer as a gain, and the SWOT's "Buy-in &
    attendance: … Communication with residents is weak" a point about communication
    (close to "poor attendance" only by its "weak"). Neither is listed now."""
    added = _points(demo["added-value"][1])
    assert "Agenda rarely touches education" not in added["Greater awareness & understanding"]
    weak = _points(demo["weaknesses"][1])
    assert "Communication with residents is weak" not in weak["Buy-in & attendance"]
    # Nor is "Actions agreed at meetings", of "…don't get done" (said otherwise, below).
    assert "Actions agreed at meetings" not in weak["Buy-in & attendance"]


def test_the_demos_laa_labels_and_points_are_not_cut_clauses(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """"Reducing reoffending needs probation (3)" was one sentence, pasted by three
    partners, cut at the "and" of "probation and police together"; "Chose have no local
    data" was cut from "the NIs we chose have no local data"."""
    answers, themed = demo["key-laa"]
    labels = {t.label for t in themed.themes}
    assert "Reducing reoffending needs probation" not in labels
    points = {p for t in themed.themes for p in t.points}
    assert "Chose have no local data" not in points
    assert "'Local' indicators" in points
    reoffending = next(i for i, a in enumerate(answers) if a.startswith("Reducing reoffending"))
    assert themed.assignments[reoffending], "its answers still count under a theme"


def test_a_quoted_themes_points_are_said_by_the_answers_it_is_the_main_theme_of(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """The SCS question listed "'Buy in': Rural areas need their own voice; Market towns"
    over quotes about owning the strategy: both points came from answers quoted under
    "Balance". Consultation's "'Buy in' & coordination" listed "PACT meetings" from an
    answer quoted under "Awareness / understanding". A theme that quotes answers lists
    only what the answers it is the main theme of said; one that quotes nobody (a second
    idea partners raised) keeps what they said of it, else it would be listed bare."""
    for qid, (answers, themed) in demo.items():
        for theme in themed.themes:
            mains = [i for i in theme.answer_indexes if themed.assignments[i][:1] == [theme.id]]
            if not theme.quotes or not mains:
                continue
            for point in theme.points:
                assert any(occurs_in(point, answers[i]) for i in mains), (qid, theme.label, point)
    scs = _points(demo["key-scs"][1])
    assert "Rural areas need their own voice" not in scs["'Buy in'"]
    assert "Market towns" not in scs["'Buy in'"]
    assert "Balancing government directives" in scs["Balance"]
    consultation = _points(demo["key-consultation"][1])
    assert "PACT meetings" not in consultation["'Buy in' & coordination"]
    assert "Partners to share" in consultation["'Buy in' & coordination"]


def test_a_codebook_theme_raised_by_many_shows_what_more_than_one_of_them_said(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """"Coordination (raised by 18)" showed quotes and no point: its partners' short
    phrases were not close enough to the bare word "Coordination". A theme raised by
    many that quotes answers and has no point lists one phrase that two or more of its
    main answers used, about it by the codebook's description ("Risk sharing", near
    "sharing opportunities and planning together")."""
    answers, themed = demo["key-resources"]
    coordination = next(t for t in themed.themes if t.label == "Coordination")
    assert coordination.count >= 10 and coordination.quotes
    assert coordination.points == ("Risk sharing",)
    mains = [i for i in coordination.answer_indexes
             if themed.assignments[i][:1] == [coordination.id]]
    assert sum(occurs_in("Risk sharing", answers[i]) for i in mains) >= 2


def test_a_codebook_theme_raised_by_many_with_no_point_lists_a_whole_clause_of_theirs(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """"Unclear accountability (raised by 7)" showed quotes and nothing said: its
    phrases were bare nouns ("Council chamber"), cut clauses ("2pm in the council
    chamber") or the label again ("Accountability is unclear"). It lists, as a last
    resort, a whole clause one of its main answers wrote between its own punctuation
    (not a piece of a list), which another of its answers says in other words; so does
    "Alignment to the Community Strategy (raised by 12)", from its main answers that
    `about` does not find plainly about it."""
    for qid, label in (("barriers", "Unclear accountability"),
                       ("key-resources", "Alignment to the Community Strategy")):
        answers, themed = demo[qid]
        theme = next(t for t in themed.themes if t.label == label)
        assert theme.count >= 5 and theme.quotes and len(theme.points) == 1, theme
        mains = [i for i in theme.answer_indexes if themed.assignments[i][:1] == [theme.id]]
        point = theme.points[0]
        assert any(whole_clause_of(point.split(), answers[i]) for i in mains), (qid, point)


def test_no_point_says_otherwise_than_its_answer(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """The SWOT's weaknesses listed "Buy-in & attendance: Actions agreed at meetings" of
    "Actions agreed at meetings don't get done and nobody chases them"; the SCS question
    "Accountability: Voluntary sector contributes" of "Recognise what the voluntary sector
    contributes in its own right". A point is not listed where each answer holding it
    holds it as the subject of a denied verb, or inside what a verb before it asks for
    (`phrases.said_otherwise`)."""
    for qid, (answers, themed) in demo.items():
        for theme in themed.themes:
            for point in theme.points:
                holding = [a for a in answers if occurs_in(point, a)]
                assert holding and not all(said_otherwise(point, a) for a in holding), \
                    (qid, theme.label, point)
    weaknesses = demo["weaknesses"][1]
    buy_in = next(t for t in weaknesses.themes if t.label == "Buy-in & attendance")
    assert "Actions agreed at meetings" not in buy_in.points


def test_a_theme_quoting_nobody_lists_no_words_quoted_under_another_or_said_by_a_guess(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """The barriers listed "Lack of 'buy in': Everyone brings their own figures (raised by
    4)", quoting nobody, from "Intelligence. We don't have a shared picture of need;
    everyone brings their own figures." quoted under "Communication": it is the main theme
    of "The partners who benefit from the LSP are keen; the ones who don't, don't turn
    up.", which `about` did not find plainly about it, so it quotes that instead. The SCS
    question's "Accountability (raised by 3)", whose one main answer fell to it on a thin
    margin, listed what it quoted nobody for; it is not listed, and that answer is counted
    under "Other points"."""
    answers, themed = demo["barriers"]
    buy_in = next(t for t in themed.themes if t.label == "Lack of 'buy in'")
    assert "Everyone brings their own figures" not in buy_in.points
    assert any(q.startswith("The partners who benefit from the LSP are keen")
               for q in buy_in.quotes)
    answers, themed = demo["key-scs"]
    assert "Accountability" not in {t.label for t in themed.themes}
    beyond = next(i for i, a in enumerate(answers) if "beyond the usual suspects" in a)
    assert themed.assignments[beyond] == [OTHER_ID]


def test_an_answer_that_says_it_gained_little_is_not_counted_under_a_gain(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """"Greater awareness & understanding (raised by 11)" quoted "Very little for the
    college. We attend, we listen, but the agenda rarely touches education…", counted
    there by its reason, which says what the college did not gain. It is counted under
    its other theme now, or "Other points" when it has none (as in the demo's report)."""
    answers, themed = demo["added-value"]
    college = next(i for i, a in enumerate(answers) if a.startswith("Very little for the college"))
    assert themed.assignments[college], "still counted"
    awareness = next(t for t in themed.themes if t.label == "Greater awareness & understanding")
    assert college not in awareness.answer_indexes
    assert not any(q.startswith("Very little") for q in awareness.quotes)


def test_a_second_idea_shows_no_words_quoted_under_another_theme(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """Consultation listed "Public meetings: PACT meetings in our sector (raised by 4)",
    the main theme of nobody and quoting nobody, from "The PACT meetings in our sector
    work well for crime and ASB…", quoted under "Awareness / understanding": one
    partner's words shown as two themes. A theme that is no answer's main one lists only
    points no other theme's quote holds, and with none is not listed; no answer's main
    theme changes (`finish.shown_once`)."""
    for qid, (_, themed) in demo.items():
        mains = {got[0] for got in themed.assignments if got}
        for theme in themed.themes:
            if theme.id in mains:
                continue
            elsewhere = [q for t in themed.themes if t.id != theme.id for q in t.quotes]
            for point in theme.points:
                assert not any(occurs_in(point, q) for q in elsewhere), (qid, theme.label, point)
        labels = {t.label for t in themed.themes}
        if qid == "key-consultation":
            assert "Public meetings" not in labels


def test_short_distinct_topics_are_not_headed_by_one_of_them(
        demo: dict[str, tuple[list[str], ThemedQuestion]]) -> None:
    """The workshop topics ("Housing and homelessness.", "Older people and loneliness.",
    "Neighbourhood working.", …) were listed as "Housing and homelessness: Neighbourhood
    working; Older people and loneliness (4)": one partner's topic heading others it does
    not name, backed only by "Older people and loneliness" being loosely like it (0.44).
    A theme's label is said by two of its answers, or it holds one answer, or every
    answer it holds shares a word with it."""
    texts, themed = demo["learning-join-topics"]
    for theme in themed.themes:
        if theme.id == OTHER_ID:
            continue
        mine = [texts[i] for i in theme.answer_indexes]
        sharing = [a for a in mine if content_stems(theme.label) & content_stems(a)]
        assert len(mine) == 1 or len(sharing) >= 2 or len(sharing) == len(mine), \
            (theme.label, mine)
