"""Theming of a round's text questions and comment sets, honouring applied themes files."""

from __future__ import annotations

import re
from dataclasses import dataclass

from surveys.model import CodebookEntry, Kind, Question
from surveys.report.data import RoundData
from surveys.themes import (
    CodebookTheme,
    Embedder,
    ThemedQuestion,
    apply_themes_toml,
    builtin_codebook,
    default_embedder,
    export_themes_toml,
    theme_answers,
)

COMMENT_SUFFIX = ".comment"
SIDE_MARK = "|"
_MARKER = re.compile(r"^# =+ question: (\S+) =+\s*$", re.MULTILINE)


@dataclass(frozen=True)
class TextSet:
    """The texts of one question (or of its comments), with the respondent of each."""

    key: str
    question: Question
    texts: tuple[str, ...]
    owners: tuple[int, ...]

    @property
    def is_comment(self) -> bool:
        """Whether these are the comments after a rating rather than a text question."""
        return self.key.endswith(COMMENT_SUFFIX)


def text_sets(data: RoundData) -> dict[str, TextSet]:
    """Every text question and every comment set of the round, by key, in questionnaire order."""
    out: dict[str, TextSet] = {}
    for q in data.questionnaire.questions:
        if q.kind is Kind.TEXT:
            pairs = [(i, r.answers[q.id].value) for i, r in enumerate(data.respondents)
                     if q.id in r.answers and isinstance(r.answers[q.id].value, str)
                     and r.answers[q.id].value.strip()]
            out[q.id] = TextSet(q.id, q, tuple(t for _, t in pairs), tuple(i for i, _ in pairs))
        if q.comment != "none":
            pairs = [(i, r.answers[q.id].comment or "") for i, r in enumerate(data.respondents)
                     if q.id in r.answers and (r.answers[q.id].comment or "").strip()]
            key = q.id + COMMENT_SUFFIX
            out[key] = TextSet(key, q, tuple(t for _, t in pairs), tuple(i for i, _ in pairs))
    return out


def _entry(e: CodebookEntry) -> CodebookTheme:
    return CodebookTheme(e.label, e.description, tuple(e.examples))


def codebook_for(data: RoundData, ts: TextSet) -> list[CodebookTheme]:
    """The built-in codebook of the template's question plus the question's own entries."""
    found = list(builtin_codebook(data.questionnaire.id, ts.question.id))
    labels = {t.label.lower() for t in found}
    found += [_entry(e) for e in ts.question.codebook if e.label.lower() not in labels]
    return found


def theme_set(data: RoundData, ts: TextSet, embedder: Embedder | None = None) -> ThemedQuestion:
    """Theme one set: from its applied themes file when there is one, else afresh."""
    embedder = embedder or default_embedder()
    stored = data.themes_files.get(ts.key.split(SIDE_MARK)[0])
    if stored is not None:  # a side keeps the coordinator's themes of its whole set
        return apply_themes_toml(stored, list(ts.texts), embedder=embedder)
    return theme_answers(list(ts.texts), codebook_for(data, ts), embedder=embedder,
                         question=ts.question.prompt)


def rating_sides(data: RoundData, q: Question) -> list[tuple[str, str, set[int]]]:
    """The sides of a rating, as (side, its points joined, respondents who gave one of
    them): the first `positive` points are the good side, the rest the bad; "Don't know"
    and skips are on neither."""
    positive = q.positive if q.positive is not None else (len(q.options) + 1) // 2
    out = []
    for side, points in (("good", q.options[:positive]), ("bad", q.options[positive:])):
        who = {i for i, r in enumerate(data.respondents)
               if q.id in r.answers and not r.answers[q.id].skipped
               and r.answers[q.id].value in points}
        label = " / ".join(p if n == 0 else p[:1].lower() + p[1:] for n, p in enumerate(points))
        out.append((side, label, who))
    return out


def split_questions(data: RoundData) -> dict[str, Question]:
    """Text sets themed a side at a time, by key, with the rating that splits them: the
    "why" after an effectiveness rating, and the comments on a self-assessment's ratings."""
    qs = data.questionnaire.questions
    out: dict[str, Question] = {}
    for n, q in enumerate(qs):
        if q.tag == "effectiveness" and q.kind is Kind.SCALE:
            why = next((x for x in qs[n + 1:n + 3] if x.tag == "why" and x.kind is Kind.TEXT),
                       None)
            out[why.id if why is not None else q.id + COMMENT_SUFFIX] = q
        elif (data.questionnaire.layout == "areas" and q.kind is Kind.SCALE
              and q.comment != "none"):
            out[q.id + COMMENT_SUFFIX] = q
    return out


def side_key(key: str, side: str) -> str:
    """The key of one side of a split text set."""
    return f"{key}{SIDE_MARK}{side}"


def side_sets(data: RoundData, sets: dict[str, TextSet]) -> dict[str, TextSet]:
    """Each side of every split text set, as a text set of its own."""
    out: dict[str, TextSet] = {}
    for key, rating in split_questions(data).items():
        ts = sets.get(key)
        if ts is None:
            continue
        for side, _, who in rating_sides(data, rating):
            keep = [n for n, owner in enumerate(ts.owners) if owner in who]
            out[side_key(key, side)] = TextSet(
                side_key(key, side), ts.question, tuple(ts.texts[n] for n in keep),
                tuple(ts.owners[n] for n in keep))
    return out


def theme_round(data: RoundData, embedder: Embedder | None = None) -> dict[str, ThemedQuestion]:
    """Themes of every non-empty text set of the round, by key; a split set is themed a
    side at a time (so a side's themes, points and quotes come from that side alone)."""
    sets = text_sets(data)
    sides = side_sets(data, sets)
    split = {key.split(SIDE_MARK)[0] for key in sides}
    wanted = {**{k: ts for k, ts in sets.items() if k not in split}, **sides}
    return {key: theme_set(data, ts, embedder) for key, ts in wanted.items() if ts.texts}


def export_round_themes(data: RoundData, question: str | None = None,
                        embedder: Embedder | None = None) -> str:
    """An editable themes file of the round: one question's, or all with a marker line each."""
    sets = text_sets(data)
    if question is not None:
        if question not in sets:
            known = ", ".join(sets) or "none"
            raise KeyError(f"No text question or comment set {question!r} (known: {known}).")
        ts = sets[question]
        return export_themes_toml(theme_set(data, ts, embedder), list(ts.texts))
    parts = []
    for key, ts in sets.items():
        if ts.texts:
            body = export_themes_toml(theme_set(data, ts, embedder), list(ts.texts))
            parts.append(f"# ===== question: {key} =====\n{body}")
    return "\n".join(parts)


def split_themes_file(text: str, question: str | None = None) -> dict[str, str]:
    """The per-question parts of a themes file (a single-question file needs `question`)."""
    marks = list(_MARKER.finditer(text))
    if not marks:
        if question is None:
            raise KeyError("The themes file names no question: pass --question ID.")
        return {question: text}
    out = {}
    for n, m in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
        out[m.group(1)] = text[m.end():end].strip() + "\n"
    if question is not None:
        return {question: out[question]} if question in out else {}
    return out
