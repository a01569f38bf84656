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
    stored = data.themes_files.get(ts.key)
    if stored is not None:
        return apply_themes_toml(stored, list(ts.texts), embedder=embedder)
    return theme_answers(list(ts.texts), codebook_for(data, ts), embedder=embedder)


def theme_round(data: RoundData, embedder: Embedder | None = None) -> dict[str, ThemedQuestion]:
    """Themes of every non-empty text set of the round, by key."""
    return {key: theme_set(data, ts, embedder) for key, ts in text_sets(data).items()
            if ts.texts}


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
