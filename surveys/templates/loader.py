"""Turn a template (TOML text, or the dict frozen in a round) into a Questionnaire.

Every problem is a TemplateError naming the file and, where it can be found, the line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from surveys.errors import TemplateError
from surveys.model import (
    DEFAULT_COMMENT_PROMPT,
    CodebookEntry,
    Kind,
    Question,
    Questionnaire,
    Section,
    ShowIf,
)

SHORT_MAX = 48
LAYOUTS = ("themes", "areas", "rag", "swot", "functions", "observation")
# A question is one Telegram message: at most 4,096 characters (its heading, progress line
# and instructions take the rest) and 100 buttons (four kept for Back, Skip, Done, Next).
MAX_PROMPT_CHARS = 3_500
MAX_ANSWER_BUTTONS = 96
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_TOP_KEYS = {"id", "title", "introduction", "estimated_minutes", "source", "layout", "scales",
             "sections"}
_SECTION_KEYS = {"id", "title", "intro", "questions"}
_QUESTION_KEYS = {"id", "kind", "prompt", "options", "scale", "points", "dont_know", "positive",
                  "comment", "comment_prompt", "optional", "help", "tag", "short", "show_if",
                  "min_choices", "max_choices", "min", "max", "integer", "unit", "max_length",
                  "theme"}
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def load_template(path: str | Path) -> Questionnaire:
    """Read and check a template file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read the file ({exc})", source=str(path)) from exc
    return parse_template(text, source=str(path))


def parse_template(text: str, *, source: str = "<template>") -> Questionnaire:
    """Parse TOML text into a Questionnaire, naming the line of any problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        message = _TOML_LINE.sub("", str(exc)).strip()
        raise TemplateError(
            f"not valid TOML: {message}", source=source, line=int(found.group(1)) if found else None
        ) from exc
    return _Builder(data, source, text).build()


def questionnaire_from_dict(data: Mapping[str, Any], *, source: str = "<round>") -> Questionnaire:
    """Rebuild a Questionnaire from `questionnaire_to_dict` output (as frozen in a round)."""
    return _Builder(data, source, "").build()


class _Builder:
    """Checks a parsed template and builds the model, locating errors in the source text."""

    def __init__(self, data: Mapping[str, Any], source: str, text: str) -> None:
        self.data = data
        self.source = source
        self.lines = text.splitlines()
        # How many tables (sections or questions) with each id have been met so far, so an
        # error is placed at the one being built, not at an earlier one with the same id.
        self._met: dict[str, int] = {}
        self._scale: str | None = None
        self._sections: set[str] = set()
        self._questions: dict[str, Question] = {}

    def _meet(self, item_id: str) -> None:
        self._met[item_id] = self._met.get(item_id, 0) + 1

    def fail(self, message: str, *, near_id: str | None = None,
             key: str | None = None) -> NoReturn:
        raise TemplateError(message, source=self.source, line=self._find_line(near_id, key))

    def _find_line(self, near_id: str | None, key: str | None) -> int | None:
        start = 0
        if near_id is None and self._scale is not None:
            header = re.compile(rf"^\s*\[\s*scales\s*\.\s*[\"']?{re.escape(self._scale)}\b")
            hits = [i for i, line in enumerate(self.lines) if header.match(line)]
            if hits:
                near_start = hits[0]
                for i in range(near_start + 1, len(self.lines)):
                    if key and re.match(rf"^\s*{re.escape(key)}\s*=", self.lines[i]):
                        return i + 1
                    if re.match(r"^\s*\[", self.lines[i]):
                        break
                return near_start + 1
        if near_id is not None:
            pattern = re.compile(rf"^\s*id\s*=\s*[\"']{re.escape(near_id)}[\"']")
            hits = [i for i, line in enumerate(self.lines) if pattern.match(line)]
            if not hits:
                return None
            start = hits[min(len(hits), max(self._met.get(near_id, 1), 1)) - 1]
        if key is None:
            return start + 1 if near_id is not None else None
        pattern = re.compile(rf"^\s*(\[+\s*)?[\w.]*\b{re.escape(key)}\b")
        for i in range(start, len(self.lines)):
            if pattern.match(self.lines[i]):
                return i + 1
            if near_id is not None and i > start and re.match(r"^\s*\[\[", self.lines[i]):
                break
        return start + 1 if near_id is not None else None

    def _check_keys(self, table: Mapping[str, Any], allowed: set[str], where: str,
                    near_id: str | None) -> None:
        for key in table:
            if key not in allowed:
                self.fail(f"unknown key {key!r} in {where}", near_id=near_id, key=key)

    def _str(self, table: Mapping[str, Any], key: str, where: str, near_id: str | None,
             *, required: bool = True, default: str = "") -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(f"{where} needs {key!r}", near_id=near_id)
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"{key!r} in {where} must be non-empty text", near_id=near_id, key=key)
        return value

    def build(self) -> Questionnaire:
        d = self.data
        if not isinstance(d, Mapping):
            self.fail("a template is a table of keys")
        self._check_keys(d, _TOP_KEYS, "the template", None)
        template_id = self._str(d, "id", "the template", None)
        if not _ID.match(template_id):
            self.fail(f"id {template_id!r} must be lower-case letters, digits and hyphens",
                      key="id")
        minutes = d.get("estimated_minutes", 10)
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 240:
            self.fail("'estimated_minutes' must be a whole number from 1 to 240",
                      key="estimated_minutes")
        layout = d.get("layout", "themes")
        if layout not in LAYOUTS:
            self.fail(f"'layout' must be one of {', '.join(LAYOUTS)}", key="layout")
        scales = self._scales(d.get("scales", {}))
        raw_sections = d.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.fail("the template needs at least one [[sections]] table")
        seen: set[str] = set()
        sections = tuple(self._section(s, scales, seen) for s in raw_sections)
        return Questionnaire(
            id=template_id,
            title=self._str(d, "title", "the template", None),
            introduction=self._str(d, "introduction", "the template", None, required=False),
            estimated_minutes=minutes,
            sections=sections,
            layout=layout,
            source=self._str(d, "source", "the template", None, required=False),
            scales={k: v[0] for k, v in scales.items()},
        )

    def _scales(self, raw: object) -> dict[str, tuple[tuple[str, ...], bool, int | None]]:
        if not isinstance(raw, Mapping):
            self.fail("'scales' must be a table of named scales", key="scales")
        out: dict[str, tuple[tuple[str, ...], bool, int | None]] = {}
        for name, table in raw.items():
            if not isinstance(table, Mapping):
                self.fail(f"scale {name!r} must be a table", key=f"scales.{name}")
            self._scale = str(name)
            self._check_keys(table, {"points", "dont_know", "positive"}, f"scale {name!r}", None)
            points = self._points(table.get("points"), f"scale {name!r}", None)
            dont_know = table.get("dont_know", False)
            if not isinstance(dont_know, bool):
                self.fail(f"scale {name!r}: 'dont_know' must be true or false", key="dont_know")
            out[name] = (points, dont_know,
                         self._positive(table.get("positive"), points, f"scale {name!r}", None))
            self._scale = None
        return out

    def _points(self, raw: object, where: str, near_id: str | None) -> tuple[str, ...]:
        if (not isinstance(raw, list) or len(raw) < 2
                or not all(isinstance(p, str) and p.strip() for p in raw)):
            self.fail(f"{where} needs 'points': a list of at least two labels", near_id=near_id,
                      key="points")
        if len(set(raw)) != len(raw):
            self.fail(f"{where} repeats a point", near_id=near_id, key="points")
        return tuple(raw)

    def _positive(self, raw: object, points: tuple[str, ...], where: str,
                  near_id: str | None) -> int | None:
        if raw is None:
            return None
        if not isinstance(raw, int) or isinstance(raw, bool) or not 0 < raw < len(points):
            self.fail(f"'positive' in {where} must be between 1 and {len(points) - 1}",
                      near_id=near_id, key="positive")
        return raw

    def _section(self, raw: object, scales: dict[str, Any], seen: set[str]) -> Section:
        if not isinstance(raw, Mapping):
            self.fail("each [[sections]] entry must be a table")
        section_id = self._str(raw, "id", "a section", None)
        self._meet(section_id)
        if not _ID.match(section_id):
            self.fail(f"section {section_id!r}: id must be lower-case letters, digits and hyphens",
                      near_id=section_id)
        if section_id in self._sections:
            self.fail(f"section {section_id!r} appears twice; section ids must be unique",
                      near_id=section_id)
        self._sections.add(section_id)
        self._check_keys(raw, _SECTION_KEYS, f"section {section_id!r}", section_id)
        questions = raw.get("questions")
        if not isinstance(questions, list) or not questions:
            self.fail(f"section {section_id!r} has no [[sections.questions]]", near_id=section_id)
        built = tuple(self._question(q, scales, seen) for q in questions)
        return Section(id=section_id, title=self._str(raw, "title", f"section {section_id!r}",
                                                       section_id),
                       intro=self._str(raw, "intro", "a section", section_id, required=False),
                       questions=built)

    def _question(self, raw: object, scales: dict[str, Any], seen: set[str]) -> Question:
        if not isinstance(raw, Mapping):
            self.fail("each question must be a table")
        qid = self._str(raw, "id", "a question", None)
        self._meet(qid)
        where = f"question {qid!r}"
        if not _ID.match(qid):
            self.fail(f"{where}: id must be lower-case letters, digits and hyphens", near_id=qid)
        if qid in seen:
            self.fail(f"{where} appears twice; question ids must be unique", near_id=qid)
        self._check_keys(raw, _QUESTION_KEYS, where, qid)
        try:
            kind = Kind(str(raw.get("kind")))
        except ValueError:
            kinds = ", ".join(k.value for k in Kind)
            self.fail(f"{where}: 'kind' must be one of {kinds}", near_id=qid, key="kind")
        fields: dict[str, Any] = {"id": qid, "kind": kind,
                                  "prompt": self._str(raw, "prompt", where, qid)}
        if kind is Kind.SCALE:
            fields.update(self._scale_fields(raw, scales, where, qid))
        elif kind in (Kind.CHOICE, Kind.MULTI):
            options = raw.get("options")
            if (not isinstance(options, list) or len(options) < 2
                    or not all(isinstance(o, str) and o.strip() for o in options)
                    or len(set(options)) != len(options)):
                self.fail(f"{where} needs 'options': at least two different labels",
                          near_id=qid, key="options")
            fields["options"] = tuple(options)
            if kind is Kind.MULTI:
                fields.update(self._multi_fields(raw, len(options), where, qid))
        elif kind is Kind.NUMBER:
            fields.update(self._number_fields(raw, where, qid))
        if kind is Kind.TEXT or "max_length" in raw:
            ml = raw.get("max_length")
            if ml is not None and (not isinstance(ml, int) or isinstance(ml, bool) or ml < 1):
                self.fail(f"{where}: 'max_length' must be a positive whole number",
                          near_id=qid, key="max_length")
            fields["max_length"] = ml
        comment = raw.get("comment", "none")
        if comment not in ("none", "optional", "required"):
            self.fail(f"{where}: 'comment' must be none, optional or required",
                      near_id=qid, key="comment")
        if comment != "none" and kind is Kind.TEXT:
            self.fail(f"{where}: a text question cannot ask for a comment as well",
                      near_id=qid, key="comment")
        fields["comment"] = comment
        fields["comment_prompt"] = self._str(raw, "comment_prompt", where, qid, required=False,
                                             default=DEFAULT_COMMENT_PROMPT)
        optional = raw.get("optional", False)
        if not isinstance(optional, bool):
            self.fail(f"{where}: 'optional' must be true or false", near_id=qid, key="optional")
        fields["optional"] = optional
        fields["help"] = self._str(raw, "help", where, qid, required=False)
        fields["tag"] = self._str(raw, "tag", where, qid, required=False)
        fields["short"] = self._short(raw, where, qid)
        if "show_if" in raw:
            fields["show_if"] = self._show_if(raw["show_if"], seen, where, qid)
        if "theme" in raw:
            fields["codebook"] = self._codebook(raw["theme"], where, qid)
        seen.add(qid)
        question = Question(**fields)
        self._fits_telegram(question, where, qid)
        self._questions[qid] = question
        return question

    def _fits_telegram(self, question: Question, where: str, qid: str) -> None:
        """A question is one Telegram message: text and buttons within Telegram's limits."""
        words = len(question.prompt) + len(question.help or "")
        if words > MAX_PROMPT_CHARS:
            self.fail(f"{where}: the prompt (with its help) is {words:,} characters; a "
                      f"question must fit one Telegram message (4,096 characters with its "
                      f"heading and instructions), so keep it to {MAX_PROMPT_CHARS:,}",
                      near_id=qid, key="prompt")
        buttons = len(question.options) + int(question.dont_know)
        if buttons > MAX_ANSWER_BUTTONS:
            self.fail(f"{where} has {buttons} answer buttons; Telegram shows at most 100 "
                      f"buttons on a message and four are kept for Back, Skip, Done and "
                      f"Next, so give it at most {MAX_ANSWER_BUTTONS}",
                      near_id=qid, key="options" if question.kind is not Kind.SCALE
                      else "points")

    def _short(self, raw: Mapping[str, Any], where: str, qid: str) -> str:
        """The question's label in report tables and charts: one line, a few words."""
        short = self._str(raw, "short", where, qid, required=False)
        if short and ("\n" in short or len(short) > SHORT_MAX):
            self.fail(f"{where}: 'short' must be one line of at most {SHORT_MAX} characters "
                      f"(it labels the question in report tables); got {len(short)}",
                      near_id=qid, key="short")
        return short.strip()

    def _scale_fields(self, raw: Mapping[str, Any], scales: dict[str, Any], where: str,
                      qid: str) -> dict[str, Any]:
        name = raw.get("scale")
        if name is not None:
            if name not in scales:
                self.fail(f"{where}: no scale named {name!r} in [scales]", near_id=qid,
                          key="scale")
            points, dont_know, positive = scales[name]
        else:
            points = self._points(raw.get("points"), where, qid)
            dont_know, positive = False, None
        if "dont_know" in raw:
            dont_know = raw["dont_know"]
            if not isinstance(dont_know, bool):
                self.fail(f"{where}: 'dont_know' must be true or false", near_id=qid,
                          key="dont_know")
        if "positive" in raw:
            positive = self._positive(raw["positive"], points, where, qid)
        return {"options": points, "dont_know": dont_know, "positive": positive,
                "scale_name": name or ""}

    def _multi_fields(self, raw: Mapping[str, Any], n: int, where: str,
                      qid: str) -> dict[str, Any]:
        low, high = raw.get("min_choices", 1), raw.get("max_choices")
        if not isinstance(low, int) or isinstance(low, bool) or not 0 <= low <= n:
            self.fail(f"{where}: 'min_choices' must be from 0 to {n}", near_id=qid,
                      key="min_choices")
        if high is not None and (not isinstance(high, int) or isinstance(high, bool)
                                 or not max(low, 1) <= high <= n):
            self.fail(f"{where}: 'max_choices' must be from {max(low, 1)} to {n}",
                      near_id=qid, key="max_choices")
        return {"min_choices": low, "max_choices": high}

    def _number_fields(self, raw: Mapping[str, Any], where: str, qid: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, name in (("min", "minimum"), ("max", "maximum")):
            value = raw.get(key)
            if value is not None and (not isinstance(value, int | float)
                                      or isinstance(value, bool)):
                self.fail(f"{where}: {key!r} must be a number", near_id=qid, key=key)
            out[name] = value
        if (out["minimum"] is not None and out["maximum"] is not None
                and out["minimum"] > out["maximum"]):
            self.fail(f"{where}: 'min' is greater than 'max'", near_id=qid, key="min")
        integer = raw.get("integer", True)
        if not isinstance(integer, bool):
            self.fail(f"{where}: 'integer' must be true or false", near_id=qid, key="integer")
        out["integer"] = integer
        out["unit"] = self._str(raw, "unit", where, qid, required=False)
        return out

    def _show_if(self, raw: object, seen: set[str], where: str, qid: str) -> ShowIf:
        if not isinstance(raw, Mapping) or "question" not in raw:
            self.fail(f"{where}: 'show_if' needs question and equals (or in)", near_id=qid,
                      key="show_if")
        self._check_keys(raw, {"question", "equals", "in"}, f"{where} show_if", qid)
        target = raw["question"]
        if target not in seen:
            self.fail(f"{where}: show_if names {target!r}, which is not an earlier question",
                      near_id=qid, key="show_if")
        values = [raw["equals"]] if "equals" in raw else raw.get("in")
        if (not isinstance(values, list) or not values
                or not all(isinstance(v, str) for v in values)):
            self.fail(f"{where}: show_if needs 'equals' (text) or 'in' (a list of text)",
                      near_id=qid, key="show_if")
        earlier = self._questions.get(target)
        if earlier is not None and earlier.choices:
            wrong = [v for v in values if v not in earlier.choices]
            if wrong:
                self.fail(f"{where}: show_if value {wrong[0]!r} is not an answer {target!r} "
                          f"can have ({', '.join(earlier.choices)})", near_id=qid, key="show_if")
        return ShowIf(question=target, values=tuple(values))

    def _codebook(self, raw: object, where: str, qid: str) -> tuple[CodebookEntry, ...]:
        if not isinstance(raw, list):
            self.fail(f"{where}: themes must be [[sections.questions.theme]] tables",
                      near_id=qid, key="theme")
        out = []
        for i, entry in enumerate(raw, start=1):
            if not isinstance(entry, Mapping) or not isinstance(entry.get("label"), str):
                self.fail(f"{where}: theme {i} needs a 'label'", near_id=qid, key="theme")
            self._check_keys(entry, {"label", "description", "examples"}, f"{where} theme {i}",
                             qid)
            examples = entry.get("examples", [])
            if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
                self.fail(f"{where}: theme {entry['label']!r} examples must be a list of text",
                          near_id=qid, key="examples")
            out.append(CodebookEntry(entry["label"], str(entry.get("description", "")),
                                     tuple(examples)))
        return tuple(out)
