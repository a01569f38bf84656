"""A Questionnaire back to its template form (a dict fit for JSON), as frozen in a round."""

from __future__ import annotations

from typing import Any

from surveys.model import DEFAULT_COMMENT_PROMPT, Kind, Question, Questionnaire


def questionnaire_to_dict(q: Questionnaire) -> dict[str, Any]:
    """The template form of a questionnaire, fit for JSON and for `questionnaire_from_dict`."""
    return {
        "id": q.id,
        "title": q.title,
        "introduction": q.introduction,
        "estimated_minutes": q.estimated_minutes,
        "source": q.source,
        "layout": q.layout,
        "scales": {name: {"points": list(points)} for name, points in q.scales.items()},
        "sections": [
            {"id": s.id, "title": s.title, "intro": s.intro,
             "questions": [_question_to_dict(x) for x in s.questions]}
            for s in q.sections
        ],
    }


def _question_to_dict(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {"id": q.id, "kind": q.kind.value, "prompt": q.prompt}
    if q.kind is Kind.SCALE:
        if q.scale_name:
            out["scale"] = q.scale_name
        else:
            out["points"] = list(q.options)
        out["dont_know"] = q.dont_know
        if q.positive is not None:
            out["positive"] = q.positive
    if q.kind in (Kind.CHOICE, Kind.MULTI):
        out["options"] = list(q.options)
    if q.kind is Kind.MULTI:
        out["min_choices"] = q.min_choices
        if q.max_choices is not None:
            out["max_choices"] = q.max_choices
    if q.kind is Kind.NUMBER:
        out["integer"] = q.integer
        out.update({k: v for k, v in (("min", q.minimum), ("max", q.maximum)) if v is not None})
        if q.unit:
            out["unit"] = q.unit
    if q.max_length is not None:
        out["max_length"] = q.max_length
    if q.comment != "none":
        out["comment"] = q.comment
    if q.comment_prompt != DEFAULT_COMMENT_PROMPT:
        out["comment_prompt"] = q.comment_prompt
    for key in ("optional",):
        if getattr(q, key):
            out[key] = True
    for key in ("help", "tag", "short"):
        if getattr(q, key):
            out[key] = getattr(q, key)
    if q.show_if is not None:
        out["show_if"] = {"question": q.show_if.question, "in": list(q.show_if.values)}
    if q.codebook:
        out["theme"] = [
            {"label": c.label, "description": c.description, "examples": list(c.examples)}
            for c in q.codebook
        ]
    return out
