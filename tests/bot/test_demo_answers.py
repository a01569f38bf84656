"""The demo's answer pools (bot/demo/answers/*.toml) are complete, tidy and original.

Each free-text question of the six built-in templates the demo runs has a pool of answers
written for the demo; "Why?" questions after an effectiveness rating have one pool per side
of the rating; every rated question that takes a comment has its own positive and negative
comment pools, written for that question (an area's pool put comments on the wrong
questions), and no comment is written for two questions.
"""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from surveys.templates import builtin_template

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = ROOT / "bot" / "demo" / "answers"
SEEDS = Path("/work/shared/seeds")

TEMPLATES = ("framework-review", "working-better-together", "rag-feedback", "swot",
             "partnership-functions", "meeting-observation")
# Text questions of the other four templates: a pool of at least this many.
OTHER_MIN = 10
# An observer's note per question and side.
NOTES_MIN = 5

# Framework-review text questions answered with a plain pool of at least 45.
FRAMEWORK_MIN = 45
# "Why?" questions: two pools, each at least this big (and 45 between them).
WHY_SIDE_MIN = 20
# Working-better-together "<area>-actions" questions.
ACTIONS_MIN = 25
# Working-better-together comment pools per question: favourable and not.
POSITIVE_MIN, NEGATIVE_MIN = 4, 3
MAX_CHARS = 600


def _load(template_id: str) -> dict[str, Any]:
    with (ANSWERS / f"{template_id}.toml").open("rb") as f:
        return tomllib.load(f)


def _text_question_ids(template_id: str) -> list[str]:
    questionnaire = builtin_template(template_id)
    return [q.id for q in questionnaire.questions if q.kind.value == "text"]


def _why_ids(template_id: str) -> set[str]:
    questionnaire = builtin_template(template_id)
    return {q.id for q in questionnaire.questions if q.kind.value == "text" and q.tag == "why"}


def _all_pools() -> list[tuple[str, str, list[str]]]:
    """(file, pool name, answers) for every pool in both files."""
    pools: list[tuple[str, str, list[str]]] = []
    for template_id in TEMPLATES:
        data = _load(template_id)
        for group in ("questions", "comments"):
            for key, table in data.get(group, {}).items():
                for side, answers in table.items():
                    pools.append((template_id, f"{group}.{key}.{side}", answers))
    return pools


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_file_parses(template_id: str) -> None:
    data = _load(template_id)
    assert set(data) <= {"questions", "ratings", "comments", "numbers"}
    assert data.get("questions") or data.get("comments")


def test_framework_review_pools_are_big_enough() -> None:
    data = _load("framework-review")["questions"]
    why = _why_ids("framework-review")
    assert why == {"thematic-connection-why", "county-connection-why"}
    for qid in _text_question_ids("framework-review"):
        assert qid in data, f"no pool for {qid}"
        if qid in why:
            effective = data[qid].get("effective", [])
            not_effective = data[qid].get("not_effective", [])
            assert len(effective) >= WHY_SIDE_MIN, qid
            assert len(not_effective) >= WHY_SIDE_MIN, qid
            assert len(effective) + len(not_effective) >= FRAMEWORK_MIN, qid
        else:
            assert len(data[qid].get("answers", [])) >= FRAMEWORK_MIN, qid


def test_working_better_together_pools_are_big_enough() -> None:
    data = _load("working-better-together")
    text_ids = _text_question_ids("working-better-together")
    assert text_ids, "template has no text questions"
    for qid in text_ids:
        assert qid.endswith("-actions"), qid
        assert len(data["questions"][qid]["answers"]) >= ACTIONS_MIN, qid
    rated = [q for q in builtin_template("working-better-together").questions
             if q.kind.value == "scale"]
    assert len(rated) == 37
    for q in rated:
        pools = data["comments"][q.id]
        assert len(pools["positive_comments"]) >= POSITIVE_MIN, q.id
        assert len(pools["negative_comments"]) >= NEGATIVE_MIN, q.id


def test_no_comment_is_written_for_two_questions() -> None:
    """The review found "District-level data is patchy" under three questions of one report
    and a year-on round giving two questions the same comment."""
    for template_id in TEMPLATES:
        where: dict[str, str] = {}
        for qid, table in _load(template_id).get("comments", {}).items():
            for answers in table.values():
                for answer in answers:
                    assert where.setdefault(answer, qid) == qid, (template_id, answer)
            assert not {a.lower() for a in table.get("positive_comments", [])} & {
                "not sure", "don't know"}, (template_id, qid)


@pytest.mark.parametrize("template_id", TEMPLATES[2:])
def test_other_templates_have_pools_for_every_text_and_comment(template_id: str) -> None:
    data = _load(template_id)
    questionnaire = builtin_template(template_id)
    for qid in _text_question_ids(template_id):
        assert len(data["questions"][qid]["answers"]) >= OTHER_MIN, qid
    for section in questionnaire.sections:
        for q in section.questions:
            if q.comment == "none":
                continue
            pools = data.get("comments", {}).get(q.id)
            assert pools, f"{template_id}: no comments for {q.id}"
            assert len(pools["positive_comments"]) >= NOTES_MIN, q.id
            assert len(pools["negative_comments"]) >= NOTES_MIN, q.id
    for qid, table in data.get("numbers", {}).items():
        q = questionnaire.question(qid)
        low, high = table["range"]
        assert (q.minimum or 0) <= low <= high <= (q.maximum or high), qid


def test_no_pools_for_unknown_questions() -> None:
    for template_id in TEMPLATES:
        data = _load(template_id)
        known = set(_text_question_ids(template_id))
        why = _why_ids(template_id)
        questionnaire = builtin_template(template_id)
        commented = {q.id for q in questionnaire.questions if q.comment != "none"}
        assert set(data.get("questions", {})) <= known, template_id
        assert set(data.get("comments", {})) <= commented, template_id
        for qid, table in data.get("questions", {}).items():
            expected = {"effective", "not_effective"} if qid in why else {"answers"}
            assert set(table) == expected, (template_id, qid)


@pytest.mark.parametrize("template_id", [t for t in TEMPLATES if t != "swot"])
def test_rating_tendencies(template_id: str) -> None:
    ratings = _load(template_id)["ratings"]
    with (ROOT / "examples" / "partners.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    partnerships = {row["partnership"] for row in rows}
    sectors = {row["sector"] for row in rows}
    tendency = ratings["tendency"]
    assert partnerships <= set(tendency)
    assert len({tendency[p] for p in partnerships}) == len(partnerships), "partnerships alike"
    assert sectors <= set(ratings["by_sector"])
    for value in [*tendency.values(), *ratings["by_sector"].values()]:
        assert isinstance(value, int | float)
        assert -1.0 <= value <= 1.0


def test_answers_are_distinct_short_strings() -> None:
    for template_id, name, answers in _all_pools():
        assert isinstance(answers, list), (template_id, name)
        seen: set[str] = set()
        for answer in answers:
            assert isinstance(answer, str), (template_id, name, answer)
            assert answer.strip(), (template_id, name)
            assert len(answer) <= MAX_CHARS, (template_id, name, answer[:60])
            assert answer not in seen, (template_id, name, answer)
            seen.add(answer)


def _seed_lines() -> list[str]:
    """Lowercased bullet lines of every seed (markup stripped), longer than 25 characters."""
    lines: list[str] = []
    for path in sorted(SEEDS.glob("0*.txt")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line.startswith(("-", "·")):
                continue
            line = re.sub(r"^[-·\s✓×]+", "", line).replace("**", "").strip().lower()
            if len(line) > 25:
                lines.append(line)
    return lines


def test_answers_do_not_copy_the_seed() -> None:
    if not SEEDS.is_dir() or not list(SEEDS.glob("0*.txt")):
        pytest.skip("seed documents not available")
    lines = _seed_lines()
    assert lines
    for template_id, name, answers in _all_pools():
        for answer in answers:
            lowered = answer.strip().lower()
            for line in lines:
                assert line not in lowered, (template_id, name, answer)
