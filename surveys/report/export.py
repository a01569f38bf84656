"""Raw answers, one row per respondent and question, in the form the round's anonymity allows."""

from __future__ import annotations

from typing import Any

from surveys.report.data import RoundData
from surveys.report.privacy import merge_small_groups, other_label

HIDDEN_SECTOR = "Not shown (small group)"


def answer_text(value: Any) -> str:
    """An answer as one cell of text."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def shown_sectors(data: RoundData) -> dict[int, str]:
    """The sector to print per respondent: small sectors merged (or hidden) in private rounds."""
    sectors = {i: r.sector for i, r in enumerate(data.respondents)}
    if not data.private:
        return sectors
    members: dict[str, set[str]] = {}
    for i, s in sectors.items():
        members.setdefault(s, set()).add(str(i))
    kept, _ = merge_small_groups(members, data.min_group_size, "sector",
                                 prefer=[g for m in data.merges for g in m.joined])
    out = {}
    for i, s in sectors.items():
        if s in kept:
            out[i] = s
        elif str(i) in kept.get(other_label(data.min_group_size), set()):
            out[i] = other_label(data.min_group_size)
        else:
            out[i] = HIDDEN_SECTOR
    return out


def raw_columns(data: RoundData) -> list[str]:
    """The columns of the raw answers for this round's anonymity (no respondent code in a
    confidential or anonymous round: see raw_rows)."""
    who = ["respondent", "organisation", "sector", "partnerships"] if not data.private else [
        _private_group(data)]
    return [*who, "section", "question_id", "question", "answer", "comment", "skipped"]


def _private_group(data: RoundData) -> str:
    """What a private round's answer rows say of who gave them: the sector, or for an
    observation round the partnership observed (the observer's sector could name them)."""
    return "partnership" if any(r.record for r in data.respondents) else "sector"


UNLINKED_NOTE = ("In the answers sheet and export each answer stands on its own, sorted by "
                 "question and answer, with no respondent code: one person's answers cannot "
                 "be put together across questions.")


def raw_rows(data: RoundData) -> list[dict[str, Any]]:
    """One row per respondent and answered question. In a confidential or anonymous round no
    row carries a respondent code and rows are sorted by question, then sector and answer, so
    nothing joins one person's answers across questions (a sector shown is never a group
    smaller than the minimum)."""
    sectors = shown_sectors(data)
    order = {q.id: n for n, q in enumerate(data.questionnaire.questions)}
    # Worked out once: asked for each respondent it read every respondent again, which at
    # 10,000 answers was 10^8 steps and most of the time the report took to render.
    group = _private_group(data) if data.private else ""
    rows: list[dict[str, Any]] = []
    for i, r in enumerate(data.respondents):
        if data.private and r.record:
            who: dict[str, Any] = {"partnership": "; ".join(r.partnerships)}
        elif data.private:
            who = {group: sectors[i]}
        else:
            who = {"respondent": r.name or r.label, "organisation": r.organisation or "",
                   "sector": r.sector, "partnerships": "; ".join(r.partnerships)}
        for section in data.questionnaire.sections:
            for q in section.questions:
                given = r.answers.get(q.id)
                if given is None:
                    continue
                rows.append({**who, "section": section.title, "question_id": q.id,
                             "question": q.prompt, "answer": answer_text(given.value),
                             "comment": given.comment or "", "skipped": given.skipped})
    if data.private:
        rows.sort(key=lambda row: (order[row["question_id"]], row[group], row["answer"],
                                   row["comment"], row["skipped"]))
    return rows
