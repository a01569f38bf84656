"""The themes engine: segmenting, codebooks, inductive themes, the themes file, CSV."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import numpy as np
import pytest

from surveys.themes import (
    CodebookError,
    CodebookTheme,
    Embedder,
    HashingEmbedder,
    answer_keys,
    answer_vector,
    apply_themes_toml,
    builtin_codebook,
    builtin_codebooks,
    builtin_template_ids,
    default_embedder,
    export_themes_toml,
    is_non_answer,
    load_codebook,
    split_points,
    theme_answers,
    theme_csv,
    vector_from_bytes,
    vector_to_bytes,
)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real model, loaded once for the session."""
    return default_embedder()


BARRIERS = [
    ("no money and no staff to run anything", "Lack of resources"),
    ("funding cuts, we had no budget", "Lack of resources"),
    ("the LAA took over every meeting", "LAA"),
    ("too much time spent talking about LAA targets", "LAA"),
    ("two tier councils, county and district both involved", "Two tier local government"),
    ("nobody knew what the aims and purpose were", "Lack of clarity"),
    ("agencies working in silos, no commitment from organisations", "Lack of 'buy in'"),
    ("business and employers are not at the table", "Relationships"),
    ("constant restructuring in partner organisations", "Instability"),
    ("we never hear back, communication is poor", "Communication"),
]


# --- segmenting and non-answers ---------------------------------------------


@pytest.mark.parametrize(
    ("answer", "points"),
    [
        ("no money, no staff, too many meetings", ["no money", "no staff", "too many meetings"]),
        ("- LAA\n- two tier\n* no funding", ["LAA", "two tier", "no funding"]),
        ("better networking; more challenge", ["better networking", "more challenge"]),
        ("• funding\n• n/a", ["funding"]),
        ("not enough time and lack of communication with the public",
         ["not enough time", "lack of communication with the public"]),
        ("staff and funding", ["staff and funding"]),
        ("commitment from individuals, but not organisations",
         ["commitment from individuals, but not organisations"]),
        ("Although the LSP helped partners, we were slow to act",
         ["Although the LSP helped partners, we were slow to act"]),
        ("Lack of resources: employee support, time, funding",
         ["Lack of resources: employee support, time, funding"]),
        ("Too much LAA. Not enough money!", ["Too much LAA", "Not enough money"]),
        ("1. networking\n2) info sharing", ["networking", "info sharing"]),
    ],
)
def test_split_points(answer: str, points: list[str]) -> None:
    assert split_points(answer) == points


@pytest.mark.parametrize(
    ("answer", "points"),
    [
        # A pasted submission's first line says where it comes from, not what it says.
        ("Response from the Community Safety Partnership manager (copied from my email):\n\n"
         "1. No money\n2. No staff", ["No money", "No staff"]),
        ("Submission from Macclesfield Borough Council (Policy Unit)\n\nThe LAA took over.",
         ["The LAA took over"]),
        ("The partnership considers the following essential:\n- a named lead\n- a budget",
         ["a named lead", "a budget"]),
        # A short heading is a point; so is a line that merely starts with "from".
        ("Lack of resources:\n- time\n- money", ["Lack of resources", "time", "money"]),
        ("from the start it was the councils show", ["from the start it was the councils show"]),
        ("Response from the council was slow", ["Response from the council was slow"]),
        # A workshop minute's table heading, on its own line or opening the points' line.
        ("Table 2\n- the LAA ate every agenda\n- no money",
         ["the LAA ate every agenda", "no money"]),
        ("Table 3 (VCS/health mix):\n- no money", ["no money"]),
        ("Table 3 – barriers\n- no money", ["no money"]),
        ("Table 4: new contacts (vol sector); I can ring the PCT now",
         ["new contacts (vol sector)", "I can ring the PCT now"]),
        ("Table tennis club closed", ["Table tennis club closed"]),
    ],
)
def test_a_lead_in_line_is_not_a_point(answer: str, points: list[str]) -> None:
    assert split_points(answer) == points


@pytest.mark.parametrize(
    "text", ["", "  ", "n/a", "N/A.", "don't know", "Dont know", "-", "nothing", "None",
             "no comment", "No comments!", "?", "..."],
)
def test_non_answers(text: str) -> None:
    assert is_non_answer(text)
    assert split_points(text) == []


@pytest.mark.parametrize("text", ["no money", "none of the partners turned up", "LAA", "N/A to us"])
def test_real_answers_are_not_non_answers(text: str) -> None:
    assert not is_non_answer(text)


# --- codebook assignment ------------------------------------------------------


def test_codebook_assigns_main_theme(embedder: Embedder) -> None:
    codebook = builtin_codebook("framework-review", "barriers")
    answers = [a for a, _ in BARRIERS]
    themed = theme_answers(answers, codebook, embedder=embedder)
    label = {t.id: t.label for t in themed.themes}
    main = [label[a[0]] if a else None for a in themed.assignments]
    right = sum(m == want for m, (_, want) in zip(main, BARRIERS, strict=True))
    assert right >= 8, main
    assert all(t.from_codebook for t in themed.themes if t.label in {w for _, w in BARRIERS})


def test_counts_are_answers_not_points(embedder: Embedder) -> None:
    codebook = [CodebookTheme("Lack of resources", "funding, money, staff, time")]
    answers = ["no money, no funding, no staff", "no time", "n/a", ""]
    themed = theme_answers(answers, codebook, embedder=embedder)
    assert themed.non_answers == 2
    assert themed.themes[0].label == "Lack of resources"
    assert themed.themes[0].count == 2
    assert themed.themes[0].answer_indexes == (0, 1)
    assert themed.assignments[2] == [] and themed.assignments[3] == []
    assert 1 <= len(themed.themes[0].quotes) <= 3


def test_multi_label_answer_main_first(embedder: Embedder) -> None:
    codebook = builtin_codebook("framework-review", "barriers")
    # The second answer is mainly about resources, so that theme stands in the report.
    themed = theme_answers(
        ["the LAA took over everything; and we had no funding at all", "no funding at all"],
        codebook, embedder=embedder,
    )
    ids = themed.assignments[0]
    assert ids[0] == "laa" and set(ids) >= {"laa", "lack-of-resources"}


def test_a_theme_no_answer_is_mainly_about_is_left_out(embedder: Embedder) -> None:
    """Raised by some but quoted by none would read as made up: every theme shown has
    quotes of its own, at most one an answer, and its answers count under their main
    themes."""
    codebook = builtin_codebook("framework-review", "barriers")
    themed = theme_answers(
        ["the LAA took over everything; and we had no funding at all",
         "LAA targets ate every meeting"], codebook, embedder=embedder,
    )
    assert [t.id for t in themed.themes] == ["laa"]
    assert themed.assignments == [["laa"], ["laa"]]
    for answers in (INDUCTIVE, [a for a, _ in BARRIERS]):
        for book in ([], codebook):
            got = theme_answers(answers, book, embedder=embedder)
            for theme in got.themes:
                assert 1 <= len(theme.quotes) <= theme.count, theme.label


def test_quotes_are_answers_whose_main_theme_it_is_first(embedder: Embedder) -> None:
    codebook = builtin_codebook("framework-review", "barriers")
    answers = ["the LAA took over everything; and we had no funding at all", "no funding",
               "not enough staff or money", "we are all stretched for time",
               "LAA targets ate every meeting", "too much time talking about the LAA"]
    themed = theme_answers(answers, codebook, embedder=embedder)
    assert themed.assignments[0] == ["laa", "lack-of-resources"]
    resources = themed.theme_by_id["lack-of-resources"]
    # The first answer is about resources too, but three others are mainly about them.
    assert 0 in resources.answer_indexes and resources.count == 4
    assert not any("LAA" in q or "at all" in q for q in resources.quotes)
    # A short answer is quoted whole, its line breaks and all.
    assert answers[0] in themed.theme_by_id["laa"].quotes


def test_precomputed_vectors_give_same_themes(embedder: Embedder) -> None:
    codebook = builtin_codebook("framework-review", "barriers")
    answers = [a for a, _ in BARRIERS] + ["no money, no staff"]
    stored = [vector_from_bytes(vector_to_bytes(answer_vector(a, embedder))) for a in answers]
    with_vectors = theme_answers(answers, codebook, embedder=embedder, vectors=np.stack(stored))
    without = theme_answers(answers, codebook, embedder=embedder)
    assert with_vectors.assignments == without.assignments


def test_embedder_vectors_are_unit_float32(embedder: Embedder) -> None:
    for model in (embedder, HashingEmbedder()):
        v = model.embed(["no money", "better networking"])
        assert v.dtype == np.float32
        assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
        one = model.embed(["no money"])[0]
        assert np.allclose(one, v[0], atol=1e-5)  # a vector depends on its text alone


# --- inductive themes -----------------------------------------------------------

INDUCTIVE = [
    "no funding", "not enough money", "budget cuts hit us", "lack of funding for projects",
    "money ran out", "funding was cut",
    "the LAA took over", "too much LAA talk", "LAA dominated meetings", "LAA targets everywhere",
    "poor communication", "nobody tells us anything", "communication was weak",
    "no feedback from the board", "never heard back about our reports",
]


def test_inductive_themes_stable_for_a_seed(embedder: Embedder) -> None:
    first = theme_answers(INDUCTIVE, seed=3, embedder=embedder)
    second = theme_answers(INDUCTIVE, seed=3, embedder=embedder)
    assert first.assignments == second.assignments
    assert [t.label for t in first.themes] == [t.label for t in second.themes]
    assert first.themes and not any(t.from_codebook for t in first.themes)
    assert sum(t.count for t in first.themes) + first.unthemed >= len(INDUCTIVE)


def test_inductive_labels_are_phrases_from_answers(embedder: Embedder) -> None:
    themed = theme_answers(INDUCTIVE, n_themes=3, embedder=embedder)
    assert 2 <= len(themed.themes) <= 3
    for theme in themed.themes:
        assert 1 <= len(theme.label.split()) <= 7
        assert theme.label[0].isupper()
        assert theme.label.lower() in " ".join(INDUCTIVE).lower()


def test_codebook_leftovers_are_clustered_or_counted(embedder: Embedder) -> None:
    codebook = [CodebookTheme("LAA", "Local Area Agreement took over", ("too much LAA",))]
    answers = [*INDUCTIVE, "parking at the venue was awful", "parking is a nightmare there"]
    themed = theme_answers(answers, codebook, embedder=embedder)
    assert any(t.from_codebook for t in themed.themes)
    assert any(not t.from_codebook for t in themed.themes)
    covered = {i for t in themed.themes for i in t.answer_indexes}
    assert len(covered) + themed.unthemed >= len(answers) - themed.non_answers - 1


def test_empty_question(embedder: Embedder) -> None:
    themed = theme_answers(["n/a", "", "-"], embedder=embedder)
    assert themed.themes == [] and themed.non_answers == 3 and themed.unthemed == 0


# --- themes file round trip ---------------------------------------------------


def test_themes_file_round_trip_keeps_manual_moves(embedder: Embedder) -> None:
    answers = [a for a, _ in BARRIERS]
    themed = theme_answers(answers, builtin_codebook("framework-review", "barriers"),
                           embedder=embedder)
    text = export_themes_toml(themed, answers)
    data = tomllib.loads(text)
    keys = answer_keys(answers)
    for i, a in enumerate(answers):
        assert keys[i] in text and a[:40] in text  # key plus its text as a comment
    themes = data["theme"]
    # Rename one theme, move an answer into another, merge two, split one off.
    themes[0]["label"] = "Money and people"
    moved = keys[2]  # an LAA answer
    for t in themes:
        t["answers"] = [k for k in t["answers"] if k != moved]
    themes[0]["answers"].append(moved)
    merged_into, merged_from = themes[1], themes[2]
    merged_into["answers"] += merged_from["answers"]
    themes.remove(merged_from)
    split_key = keys[9]
    for t in themes:
        t["answers"] = [k for k in t["answers"] if k != split_key]
    themes.append({"label": "Feedback loop", "answers": [split_key]})
    edited = _dump(data)
    new_answers = [*answers, "no budget for anything"]
    again = apply_themes_toml(edited, new_answers, embedder=embedder)
    by_id = again.theme_by_id
    main = [by_id[a[0]].label if a else None for a in again.assignments]
    assert main[2] == "Money and people"
    assert main[9] == "Feedback loop"
    assert "Money and people" in {t.label for t in again.themes}
    assert merged_from["label"] not in {t.label for t in again.themes}
    assert all(by_id[a[0]].label == merged_into["label"]
               for k, a in zip(keys, again.assignments, strict=False)
               if k in merged_into["answers"])
    assert again.assignments[-1]  # the new answer was themed too
    # Exporting again keeps the edits.
    assert "Feedback loop" in export_themes_toml(again, new_answers)


def _dump(data: dict) -> str:
    """A tiny TOML writer for the themes file shape (tomllib only reads)."""
    out = [f"format = {json.dumps(data['format'])}"]
    for t in data["theme"]:
        out.append("[[theme]]")
        for key in ("id", "label", "description"):
            if key in t:
                out.append(f"{key} = {json.dumps(t[key])}")
        out.append(f"answers = {json.dumps(t.get('answers', []))}")
        out.append(f"also = {json.dumps(t.get('also', []))}")
    out.append("[unthemed]")
    out.append(f"answers = {json.dumps(data.get('unthemed', {}).get('answers', []))}")
    return "\n".join(out) + "\n"


# --- CSV ----------------------------------------------------------------------


def test_theme_csv_shape(tmp_path: Path, embedder: Embedder) -> None:
    rows = [a for a, _ in BARRIERS] + ["n/a"]
    path = tmp_path / "answers.csv"
    path.write_text("partner,comment\n" + "".join(f'p{i},"{a}"\n' for i, a in enumerate(rows)),
                    encoding="utf-8")
    codebook = tmp_path / "cb.toml"
    codebook.write_text('[[theme]]\nlabel = "LAA"\ndescription = "Local Area Agreement"\n'
                        'examples = ["too much LAA"]\n', encoding="utf-8")
    result = theme_csv(path, "comment", codebook_path=codebook, embedder=embedder)
    json.dumps(result)
    assert set(result) >= {"themes", "rows"}
    assert [r["row"] for r in result["rows"]] == list(range(len(rows)))
    ids = {t["id"] for t in result["themes"]}
    for theme in result["themes"]:
        assert set(theme) >= {"id", "label", "count", "points", "quotes"}
    for row in result["rows"]:
        assert set(row["themes"]) <= ids
    assert result["rows"][-1]["themes"] == []
    assert result["rows"][2]["themes"][0] == "laa"


# --- codebook files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[[theme]]\nlabel = "a"\nexamples = "x"\n', 1, "examples"),
        ('[[theme]]\nlabel = \n', 2, ""),
        ('[[theme]]\nlabel = "a"\n\n[[theme]]\nlabel = "b"\ncolour = 1\n', 4, "'b'"),
        ('[[theme]]\ndescription = "no label"\n', 1, "label"),
        ('[[theme]]\nlabel = "a"\n[[theme]]\nlabel = "A"\n', 3, "twice"),
    ],
)
def test_malformed_codebook_names_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert f"{path}:{line}:" in str(info.value)
    assert words in str(info.value)


def test_good_codebook_loads(tmp_path: Path) -> None:
    path = tmp_path / "cb.toml"
    path.write_text('[[theme]]\nlabel = "Funding"\n\n[[theme]]\nlabel = "LAA"\n'
                    'description = "d"\nexamples = ["e1", "e2"]\n', encoding="utf-8")
    assert load_codebook(path) == [
        CodebookTheme("Funding"), CodebookTheme("LAA", "d", ("e1", "e2"))
    ]


EXPECTED = {
    "framework-review": {
        "added-value": 6, "barriers": 11, "thematic-connection-why": None,
        "county-connection-why": None, "key-leadership": 9, "key-consultation": 5,
        "key-scs": 6, "key-laa": 7, "key-resources": 6, "key-performance": 6,
        "key-commissioning": 6, "key-innovation": None, "learning": 3,
    },
    "rag-feedback": {"worked-well": None, "not-quite-right": None, "not-working": None},
    "swot": {"strengths": None, "weaknesses": None, "opportunities": None, "threats": None},
    "partnership-functions": {
        "top-down-strategy": None, "bottom-up-strategy": None, "theme-coordination": None,
        "programme-management": None, "project-management": None, "tasking": None,
    },
}


@pytest.mark.parametrize("template_id", sorted(EXPECTED))
def test_builtin_codebooks_load(template_id: str) -> None:
    assert template_id in builtin_template_ids()
    books = builtin_codebooks(template_id)
    assert set(books) == set(EXPECTED[template_id])
    for question_id, size in EXPECTED[template_id].items():
        themes = builtin_codebook(template_id, question_id)
        assert themes and all(t.label and t.description for t in themes)
        if size is not None:
            assert len(themes) == size, question_id


def test_unknown_template_has_no_codebook() -> None:
    assert builtin_codebook("no-such-template", "q") == []
    assert builtin_codebook("framework-review", "no-such-question") == []
