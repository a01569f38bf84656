"""The six built-in questionnaires: they load, keep their seeds' wording and survive a round."""

from __future__ import annotations

import pytest

from surveys.model import DONT_KNOW, Kind, Questionnaire
from surveys.templates import (
    builtin_ids,
    builtin_source,
    builtin_template,
    parse_template,
    questionnaire_from_dict,
    questionnaire_to_dict,
)

BUILTINS = [
    "framework-review",
    "meeting-observation",
    "partnership-functions",
    "rag-feedback",
    "swot",
    "working-better-together",
]
LAYOUTS = {
    "framework-review": "themes",
    "meeting-observation": "observation",
    "partnership-functions": "functions",
    "rag-feedback": "rag",
    "swot": "swot",
    "working-better-together": "areas",
}
# A Telegram message holds 4096 characters; keep a question (prompt and hint) well inside it.
MAX_PROMPT = 300
MAX_PROMPT_AND_HELP = 600
MAX_BUTTON_LABEL = 30


def _texts(q: Questionnaire, kind: Kind) -> list[str]:
    return [x.prompt for x in q.questions if x.kind is kind]


# --- every built-in -------------------------------------------------------------------------


def test_builtin_ids_are_exactly_the_six() -> None:
    assert builtin_ids() == BUILTINS


@pytest.mark.parametrize("template_id", BUILTINS)
def test_builtin_loads_with_the_common_fields(template_id: str) -> None:
    q = builtin_template(template_id)
    assert q.id == template_id
    assert q.title.strip()
    assert q.introduction.strip()
    assert len(q.introduction) <= 300, "one or two plain sentences for a phone"
    assert q.source.strip()
    assert q.layout == LAYOUTS[template_id]
    assert 1 <= q.estimated_minutes <= 30
    assert q.sections and all(s.questions for s in q.sections)


@pytest.mark.parametrize("template_id", BUILTINS)
def test_builtin_source_parses_to_the_same_questionnaire(template_id: str) -> None:
    assert parse_template(builtin_source(template_id)) == builtin_template(template_id)


@pytest.mark.parametrize("template_id", BUILTINS)
def test_builtin_prompts_and_buttons_fit_a_phone(template_id: str) -> None:
    q = builtin_template(template_id)
    for question in q.questions:
        assert len(question.prompt) <= MAX_PROMPT, question.id
        assert len(question.prompt) + len(question.help) <= MAX_PROMPT_AND_HELP, question.id
        for label in question.choices:
            assert len(label) <= MAX_BUTTON_LABEL, (question.id, label)


@pytest.mark.parametrize("template_id", BUILTINS)
def test_builtin_ids_are_unique(template_id: str) -> None:
    q = builtin_template(template_id)
    ids = [x.id for x in q.questions]
    assert len(ids) == len(set(ids))
    section_ids = [s.id for s in q.sections]
    assert len(section_ids) == len(set(section_ids))


@pytest.mark.parametrize("template_id", BUILTINS)
def test_builtin_ratings_have_a_favourable_side(template_id: str) -> None:
    for question in builtin_template(template_id).questions:
        if question.kind is Kind.SCALE:
            assert question.positive is not None, question.id
            assert 0 < question.positive < len(question.options), question.id


@pytest.mark.parametrize("template_id", BUILTINS)
def test_round_trip_is_exact(template_id: str) -> None:
    """What a round freezes rebuilds the same questionnaire, named scales included."""
    q = builtin_template(template_id)
    assert questionnaire_from_dict(questionnaire_to_dict(q)) == q


# The built-ins that define named [scales].
NAMED_SCALES = {"framework-review", "partnership-functions", "working-better-together"}


@pytest.mark.parametrize("template_id", BUILTINS)
def test_named_scales_are_the_ones_listed(template_id: str) -> None:
    assert bool(builtin_template(template_id).scales) == (template_id in NAMED_SCALES)


# --- working-better-together (seed 004, Appendix A) -----------------------------------------

WBT_SECTIONS = [
    ("long-term-goals", "The LSP's long-term goals", 3),
    ("leading-the-lsp", "Leading the LSP and creating a culture of working together", 6),
    ("meetings-and-messages", "Meetings and messages", 6),
    ("benefits-of-collaboration", "The benefits of collaboration", 4),
    ("getting-things-done", "Getting things done", 4),
    ("common-frameworks", "Common frameworks", 6),
    ("shared-systems", "Shared systems", 8),
]
HOW_WELL = ("Very well", "Well", "Not very well", "Not at all well")


def test_wbt_has_seven_areas_with_their_summary_questions() -> None:
    q = builtin_template("working-better-together")
    assert [(s.id, s.title) for s in q.sections] == [(i, t) for i, t, _ in WBT_SECTIONS]
    for section, (section_id, _, count) in zip(q.sections, WBT_SECTIONS, strict=True):
        rated = [x for x in section.questions if x.kind is Kind.SCALE]
        assert [x.id for x in rated] == [f"{section_id}-{n}" for n in range(1, count + 1)]
        assert all(x.comment == "optional" and x.dont_know for x in rated)
        last = section.questions[-1]
        assert last.id == f"{section_id}-actions"
        assert (last.kind, last.tag, last.optional) == (Kind.TEXT, "actions", True)
        assert last.prompt == "What actions would you suggest?"


def test_wbt_counts() -> None:
    q = builtin_template("working-better-together")
    assert len(q.sections) == 7
    assert len([x for x in q.questions if x.kind == "scale"]) == 37
    assert len([x for x in q.questions if x.tag == "actions"]) == 7
    assert len(q.questions) == 44


def test_wbt_how_well_questions_use_the_how_well_scale() -> None:
    q = builtin_template("working-better-together")
    for question in q.questions:
        if question.kind is Kind.SCALE and question.prompt.startswith("How well "):
            assert question.options == HOW_WELL, question.id
            assert question.positive == 2
            assert question.choices == (*HOW_WELL, DONT_KNOW)
        elif question.kind is Kind.SCALE:
            assert question.options != HOW_WELL, question.id


@pytest.mark.parametrize(
    ("question_id", "prompt"),
    [
        ("meetings-and-messages-1",
         "How well do your LSP meetings reflect a culture of partnership and mutual respect?"),
        ("long-term-goals-1",
         "How well does the sustainable community strategy (SCS) reflect LSP members' ambition "
         "and priorities?"),
        ("meetings-and-messages-2", "How was the chair of your LSP chosen?"),
        ("meetings-and-messages-5",
         "How (if relevant) has the LSP responded to the challenges of multi-tier working?"),
        ("benefits-of-collaboration-3",
         "How well does your LSP assist partners in planning their contributions to achieving "
         "common goals."),
        ("getting-things-done-4",
         "Are partners aligning their internal planning, monitoring, and evaluation processes to "
         "focus on LAA and SCS priorities?"),
        ("common-frameworks-2",
         "Is there an agreed data quality policy and action plan with clear ownership?"),
        ("shared-systems-6",
         "Have the LSP and its partners used benchmarking to assess the effectiveness of the "
         "LSP?"),
        ("shared-systems-8",
         "How far are partners' business plans aligned with SCS and LAA priorities?"),
    ],
)
def test_wbt_keeps_the_seed_wording(question_id: str, prompt: str) -> None:
    assert builtin_template("working-better-together").question(question_id).prompt == prompt


def test_wbt_names_its_source() -> None:
    q = builtin_template("working-better-together")
    assert "Working better together?" in q.source
    assert "Audit Commission" in q.introduction


# --- framework-review (seed 001) ------------------------------------------------------------

EFFECTIVENESS = ("Very effective", "Effective", "Not very effective", "Very ineffective")


def test_framework_review_has_every_kind_it_needs() -> None:
    kinds = {x.kind for x in builtin_template("framework-review").questions}
    assert kinds == {Kind.SCALE, Kind.CHOICE, Kind.MULTI, Kind.YESNO, Kind.NUMBER, Kind.TEXT}


def test_framework_review_sections() -> None:
    q = builtin_template("framework-review")
    assert [(s.id, s.title) for s in q.sections] == [
        ("about-you", "About you"),
        ("looking-back", "Looking back 2005 - 2008"),
        ("looking-forward", "Looking forward"),
        ("learning", "Learning activities"),
    ]


@pytest.mark.parametrize("question_id", ["thematic-connection", "county-connection"])
def test_framework_review_effectiveness_then_why(question_id: str) -> None:
    q = builtin_template("framework-review")
    question = q.question(question_id)
    assert question.kind is Kind.SCALE
    assert question.options == EFFECTIVENESS
    assert question.positive == 2
    assert question.tag == "effectiveness"
    assert question.scale_name == "effectiveness"
    ids = [x.id for x in q.questions]
    follow = q.questions[ids.index(question_id) + 1]
    assert (follow.id, follow.kind, follow.prompt, follow.tag) == (
        f"{question_id}-why", Kind.TEXT, "Why?", "why")


def test_framework_review_looking_back_wording() -> None:
    q = builtin_template("framework-review")
    assert [x.prompt for x in q.sections[1].questions if x.tag != "why"] == [
        "What has been the added value of the LSP over the last 3 years?",
        "What barriers have limited the potential to achieve more?",
        "How effective has the connection between the thematic groups and the LSP been?",
        "How effective has the connection between the district LSP/thematic groups and the "
        "CCP/county wide thematic groups been?",
    ]


def test_framework_review_key_issues() -> None:
    q = builtin_template("framework-review")
    section = q.sections[2]
    assert [x.id for x in section.questions] == [
        "key-leadership", "key-consultation", "key-scs", "key-laa", "key-resources",
        "key-performance", "key-commissioning", "key-innovation",
    ]
    stem = ("What do you see as being the key issues for the LSP's Partnership Framework "
            "in terms of ")
    assert all(x.kind is Kind.TEXT and x.prompt.startswith(stem) for x in section.questions)
    assert q.question("key-consultation").prompt == stem + (
        "having oversight of and aiming to co-ordinate community consultation and engagement "
        "activities?")
    assert q.question("key-commissioning").prompt == stem + (
        "the commissioning & delivery of services to meet local needs?")
    assert q.question("key-innovation").prompt == stem + (
        "enabling innovation & new ways of working?")


def test_framework_review_learning_follow_ups() -> None:
    q = builtin_template("framework-review")
    assert q.question("learning").prompt == (
        "What learning activities would help inform our approach to agreeing future "
        "arrangements?")
    forms = q.question("learning-forms")
    assert forms.kind is Kind.MULTI and forms.optional
    assert forms.options == (
        "Away days", "Planning sessions", "Forum", "Case studies / best practice",
        "Partnership workshops", "Getting to know you events", "Newsletters/updates",
    )
    join = q.question("learning-join")
    assert join.kind is Kind.YESNO and join.optional
    topics = q.question("learning-join-topics")
    assert topics.show_if is not None
    assert topics.show_if.question == "learning-join"
    assert topics.show_if.holds("Yes") and not topics.show_if.holds("No")


def test_framework_review_about_you() -> None:
    q = builtin_template("framework-review")
    years = q.question("role-years")
    assert (years.kind, years.minimum, years.maximum, years.optional) == (
        Kind.NUMBER, 0, 60, True)
    sector = q.question("role-sector")
    assert sector.kind is Kind.CHOICE
    assert sector.options == (
        "Council", "Police", "NHS", "Fire and rescue", "Voluntary and community sector",
        "Business", "Other public body",
    )


# --- rag-feedback (seed 002) ----------------------------------------------------------------


def test_rag_feedback_has_the_overall_rating_and_three_colours() -> None:
    q = builtin_template("rag-feedback")
    overall = q.question("overall")
    assert overall.kind is Kind.RAG and overall.comment == "optional"
    assert overall.prompt == "Overall, how would you rate your experience of the LSP and LAA?"
    tagged = {x.tag: x for x in q.questions if x.tag}
    assert set(tagged) == {"green", "amber", "red"}
    assert tagged["green"].id == "worked-well"
    assert tagged["green"].prompt == "Green: what has worked well?"
    assert tagged["amber"].id == "not-quite-right"
    assert tagged["amber"].prompt == "Amber: what is not quite right, what are your concerns?"
    assert tagged["red"].id == "not-working"
    assert tagged["red"].prompt == "Red: what is not working and needs improving?"
    assert all(x.kind is Kind.TEXT for x in tagged.values())
    assert "things that have worked well" in tagged["green"].help
    assert "not quite right, some concerns" in tagged["amber"].help
    assert "not working, needs improving" in tagged["red"].help


# --- swot (seed 003, Appendix 4A) -----------------------------------------------------------


def test_swot_has_the_four_tags() -> None:
    q = builtin_template("swot")
    assert [(x.id, x.tag, x.kind) for x in q.questions] == [
        (t, t, Kind.TEXT) for t in ("strengths", "weaknesses", "opportunities", "threats")
    ]
    assert q.title == "Strengths, Weaknesses, Opportunities, Threats of LSPs"
    assert "District LSPs" in q.introduction


# --- partnership-functions (seed 003) -------------------------------------------------------

FUNCTIONS = {
    "top-down-strategy": "Top down objectives, evidence based, political will",
    "bottom-up-strategy": "Bottom up objectives, engagement based, locally responsive",
    "theme-coordination":
        "Theme groups to refine strategy, set detailed priorities and tactical approaches",
    "programme-management":
        "Programme management that coordinates and modifies delivery to maximise efficiency",
    "project-management":
        "Project management, specific outcomes and resources, monitor and intervene in delivery",
    "tasking":
        "Tasking, make a single partner responsible and performance management delivery",
}


def test_partnership_functions_has_the_six_functions() -> None:
    q = builtin_template("partnership-functions")
    assert [s.title for s in q.sections] == ["Strategy", "Coordination", "Delivery"]
    assert [len(s.questions) for s in q.sections] == [2, 2, 2]
    assert [x.id for x in q.questions] == list(FUNCTIONS)
    for question in q.questions:
        assert question.kind is Kind.SCALE
        assert question.tag == question.id
        assert question.comment == "optional"
        assert question.dont_know and question.positive == 2
        assert FUNCTIONS[question.id] in question.prompt
        assert "How strongly does your partnership perform this function?" in question.prompt


# --- meeting-observation (seed 000) ---------------------------------------------------------

DIMENSIONS = ["structure", "size", "leadership", "representation", "achievements",
              "performance", "laa-links"]


def test_meeting_observation_has_the_seven_dimensions() -> None:
    q = builtin_template("meeting-observation")
    rated = [x for x in q.questions if x.kind is Kind.RAG]
    assert [x.id for x in rated] == DIMENSIONS
    for question in rated:
        assert question.comment == "required"
        assert question.comment_prompt.startswith("Your note as observer")
        assert question.help
    assert ("The best meetings had good engagement and support from senior officers and "
            "members") in q.question("leadership").help
    count = q.question("size-count")
    assert (count.kind, count.minimum, count.maximum) == (Kind.NUMBER, 0, 200)
    assert count.prompt == "How many people attended?"
    other = q.questions[-1]
    assert (other.kind, other.prompt, other.optional) == (Kind.TEXT, "Other comments", True)
