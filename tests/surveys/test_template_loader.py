"""The template loader names what is wrong with a template, and on which line."""

from __future__ import annotations

import pytest

from surveys.errors import TemplateError
from surveys.model import Kind
from surveys.templates import load_template, parse_template
from surveys.templates.dump import questionnaire_to_dict

HEAD = """\
id = "t"
title = "A test template"
"""

SECTION = """\
[[sections]]
id = "s"
title = "Section"
"""


def _error(text: str) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        parse_template(text, source="mine.toml")
    return caught.value


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def test_a_good_template_loads() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "yesno"
prompt = "Is this fine?"
"""
    q = parse_template(text)
    assert q.id == "t"
    assert q.question("q").kind is Kind.YESNO


def test_malformed_toml_gives_its_line() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "text"
prompt = "Unclosed
"""
    err = _error(text)
    assert err.line == _line_of(text, "Unclosed")
    assert "not valid TOML" in str(err)
    assert str(err).startswith(f"mine.toml, line {err.line}: ")
    assert "(at line" not in str(err)


def test_malformed_toml_missing_value() -> None:
    text = 'id = "t"\ntitle =\n'
    err = _error(text)
    assert err.line == 2
    assert "not valid TOML" in str(err)


def test_unknown_top_level_key_names_the_key_and_line() -> None:
    text = HEAD + 'colour = "blue"\n' + SECTION + """
[[sections.questions]]
id = "q"
kind = "text"
prompt = "Anything?"
"""
    err = _error(text)
    assert "unknown key 'colour' in the template" in str(err)
    assert err.line == _line_of(text, "colour")


def test_unknown_question_key_names_the_key_and_line() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "first"
kind = "text"
prompt = "Anything?"

[[sections.questions]]
id = "second"
kind = "yesno"
prompt = "Yes or no?"
colour = "red"
"""
    err = _error(text)
    assert "unknown key 'colour' in question 'second'" in str(err)
    assert err.line == _line_of(text, "colour")


def test_unknown_kind() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "slider"
prompt = "How much?"
"""
    err = _error(text)
    assert "question 'q': 'kind' must be one of" in str(err)
    assert "scale, rag, choice, multi, yesno, number, text" in str(err)
    assert err.line == _line_of(text, 'kind = "slider"')


def test_show_if_naming_a_later_question() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "details"
kind = "text"
prompt = "Tell us more"
show_if = { question = "joined", equals = "Yes" }

[[sections.questions]]
id = "joined"
kind = "yesno"
prompt = "Did you join?"
"""
    err = _error(text)
    assert "show_if names 'joined', which is not an earlier question" in str(err)
    assert "question 'details'" in str(err)
    assert err.line == _line_of(text, "show_if")


def test_show_if_naming_an_earlier_question_loads() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "joined"
kind = "yesno"
prompt = "Did you join?"

[[sections.questions]]
id = "details"
kind = "text"
prompt = "Tell us more"
show_if = { question = "joined", in = ["Yes"] }
"""
    show_if = parse_template(text).question("details").show_if
    assert show_if is not None and show_if.values == ("Yes",)


def test_duplicate_question_ids() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "text"
prompt = "First"

[[sections.questions]]
id = "q"
kind = "text"
prompt = "Second"
"""
    err = _error(text)
    assert "question 'q' appears twice; question ids must be unique" in str(err)
    assert err.line is not None
    assert err.line in (_line_of(text, 'id = "q"', 1), _line_of(text, 'id = "q"', 2))


def test_duplicate_question_id_points_at_the_duplicate() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "text"
prompt = "First"

[[sections.questions]]
id = "q"
kind = "text"
prompt = "Second"
"""
    assert _error(text).line == _line_of(text, 'id = "q"', 2)


def test_inline_scale_without_points() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "scale"
prompt = "How well?"
"""
    err = _error(text)
    assert "question 'q' needs 'points': a list of at least two labels" in str(err)
    assert err.line == _line_of(text, 'id = "q"')


def test_inline_scale_with_one_point() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "scale"
prompt = "How well?"
points = ["Well"]
"""
    err = _error(text)
    assert "question 'q' needs 'points': a list of at least two labels" in str(err)
    assert err.line == _line_of(text, "points")


def test_named_scale_with_one_point() -> None:
    text = HEAD + """
[scales.lonely]
points = ["Only"]
""" + SECTION + """
[[sections.questions]]
id = "q"
kind = "scale"
prompt = "How well?"
scale = "lonely"
"""
    err = _error(text)
    assert "scale 'lonely' needs 'points': a list of at least two labels" in str(err)
    assert err.line == _line_of(text, "points")


def test_named_scale_without_points_is_reported() -> None:
    text = HEAD + """
[scales.good]
points = ["Good", "Bad"]

[scales.empty]
dont_know = true
""" + SECTION + """
[[sections.questions]]
id = "q"
kind = "scale"
prompt = "How well?"
scale = "good"
"""
    err = _error(text)
    assert "scale 'empty' needs 'points': a list of at least two labels" in str(err)


def test_named_scale_without_points_points_at_its_table() -> None:
    text = HEAD + """
[scales.good]
points = ["Good", "Bad"]

[scales.empty]
dont_know = true
""" + SECTION + """
[[sections.questions]]
id = "q"
kind = "scale"
prompt = "How well?"
scale = "good"
"""
    assert _error(text).line in (_line_of(text, "[scales.empty]"), _line_of(text, "dont_know"))


def test_unknown_named_scale() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "scale"
prompt = "How well?"
scale = "missing"
"""
    err = _error(text)
    assert "question 'q': no scale named 'missing' in [scales]" in str(err)
    assert err.line == _line_of(text, 'scale = "missing"')


def test_choice_with_one_option() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "choice"
prompt = "Which one?"
options = ["Only"]
"""
    err = _error(text)
    assert "question 'q' needs 'options': at least two different labels" in str(err)
    assert err.line == _line_of(text, "options")


def test_multi_with_repeated_options() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "multi"
prompt = "Which ones?"
options = ["A", "A"]
"""
    err = _error(text)
    assert "question 'q' needs 'options': at least two different labels" in str(err)
    assert err.line == _line_of(text, "options")


def test_number_min_greater_than_max() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "number"
prompt = "How many?"
min = 10
max = 5
"""
    err = _error(text)
    assert "question 'q': 'min' is greater than 'max'" in str(err)
    assert err.line == _line_of(text, "min = 10")


def test_text_question_cannot_ask_for_a_comment() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "text"
prompt = "Anything?"
comment = "optional"
"""
    err = _error(text)
    assert "a text question cannot ask for a comment as well" in str(err)
    assert err.line == _line_of(text, "comment")


def test_bad_layout() -> None:
    text = HEAD + 'layout = "grid"\n' + SECTION + """
[[sections.questions]]
id = "q"
kind = "text"
prompt = "Anything?"
"""
    err = _error(text)
    assert "'layout' must be one of themes, areas, rag, swot, functions, observation" in str(err)
    assert err.line == _line_of(text, "layout")


def test_no_sections() -> None:
    err = _error(HEAD)
    assert "at least one [[sections]] table" in str(err)


def test_load_template_names_the_file(tmp_path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HEAD + 'colour = "blue"\n', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert caught.value.source == str(path)
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{path}, line 3: ")


def test_missing_file(tmp_path) -> None:
    with pytest.raises(TemplateError) as caught:
        load_template(tmp_path / "nope.toml")
    assert "cannot read the file" in str(caught.value)
    assert caught.value.line is None


def test_question_with_its_sections_id_is_located_at_the_question() -> None:
    text = HEAD + """
[[sections]]
id = "learning"
title = "Learning activities"

[[sections.questions]]
id = "learning"
kind = "text"
prompt = "What learning activities would help?"
colour = "red"
"""
    err = _error(text)
    assert "unknown key 'colour' in question 'learning'" in str(err)
    assert err.line == _line_of(text, "colour")


def test_short_label_loads_and_round_trips() -> None:
    text = HEAD + SECTION + """
[[sections.questions]]
id = "q"
kind = "yesno"
prompt = "How well does the strategic board agenda reflect the different interests of all?"
short = "Agenda reflects all sectors"
"""
    q = parse_template(text)
    assert q.question("q").short == "Agenda reflects all sectors"
    assert questionnaire_to_dict(q)["sections"][0]["questions"][0]["short"] == (
        "Agenda reflects all sectors")


@pytest.mark.parametrize("short", ['"' + "x" * 49 + '"', '"two\\nlines"', "3"])
def test_short_label_must_be_one_short_line(short: str) -> None:
    text = HEAD + SECTION + f"""
[[sections.questions]]
id = "q"
kind = "yesno"
prompt = "Is this fine?"
short = {short}
"""
    err = _error(text)
    assert "'short'" in str(err)
    assert err.line == _line_of(text, "short")
