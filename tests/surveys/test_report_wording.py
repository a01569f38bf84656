"""What a reader of the report sees of its themes: the overview's lines, and the points and
quotes under each theme (issue 11)."""

from __future__ import annotations

from surveys.report.model import Section, ThemeItem, ThemeList
from surveys.report.overview import theme_lines

# The demo's framework review, as its overview had it: "'Buy in'" heads three questions'
# lines and "Resources" two, each meaning something else there.
FRAMEWORK = [
    ("Sustainable Community Strategy", [("Developing outcomes", 9), ("Balance", 8),
                                        ("'Buy in'", 6), ("Involve frontline staff", 2)]),
    ("Local Area Agreement", [("Relationship to local area needs", 11), ("'Buy in'", 5),
                              ("Innovation", 3), ("Targets", 2)]),
    ("Commissioning and delivery", [("Developing & responding to community needs", 11),
                                    ("'Buy in'", 9), ("Accountability & delivery", 6)]),
    ("Leadership and governance", [("Good independent leadership", 12),
                                   ("Improved accountability", 6), ("Resources", 6)]),
    ("Planning and aligning resources", [("Coordination", 16), ("Resources", 10),
                                         ("Alignment to the Community Strategy", 10)]),
]


def _sections() -> list[Section]:
    return [Section(title, [ThemeList(title.lower(), title, 30, tuple(
        ThemeItem(label, "", count) for label, count in themes))])
        for title, themes in FRAMEWORK]


def test_a_label_raised_under_several_questions_is_shown_once_with_each_question() -> None:
    lines = theme_lines(_sections(), "themes")
    where = [w for w, _ in lines]
    # No two lines name the same theme: a reader could not tell five "'Buy in'" apart.
    named = [label for _, text in lines for label in text.split(" · ")]
    assert len(named) == len(set(named))
    assert "'Buy in'" in where and "Resources" in where
    together = dict(lines)
    assert together["'Buy in'"] == ("raised under Sustainable Community Strategy (6) · "
                                    "Local Area Agreement (5) · Commissioning and delivery (9)")
    assert together["Resources"] == ("raised under Leadership and governance (6) · "
                                      "Planning and aligning resources (10)")
    # Each question's own line still names up to three themes of its own.
    assert together["Sustainable Community Strategy"] == (
        "Developing outcomes (9) · Balance (8) · Involve frontline staff (2)")
    assert together["Leadership and governance"] == (
        "Good independent leadership (12) · Improved accountability (6)")


def test_labels_of_one_question_each_stay_on_its_line() -> None:
    lines = theme_lines(_sections()[:1], "themes")
    assert lines == [("Sustainable Community Strategy",
                      "Developing outcomes (9) · Balance (8) · 'Buy in' (6)")]
