"""A themes file a coordinator can edit, and re-theming that keeps every manual move.

The file is TOML. Each `[[theme]]` lists its answers by a stable key, with the
answer's text as a comment beside it:

    [[theme]]
    id = "lack-of-resources"
    label = "Lack of resources"
    description = "..."
    answers = [
      "a3f9c21",  # no money, no staff
    ]
    also = []     # answers whose main theme is elsewhere but that touch this one

Rename a theme by editing its label; merge two by moving the keys and deleting a
block; split one by adding a block; move an answer by moving its line. Keys listed
under `[unthemed]` stay unthemed. Answers the file does not list (new ones) are
themed against the file's themes, and what is left is clustered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .codebook import CodebookError, CodebookTheme, _parse_toml
from .embed import Embedder, default_embedder
from .engine import theme_answers
from .quotes import MAX_QUOTES, pick, quote_of
from .represent import Draft, centre_of, describe
from .segment import split_points
from .themed import OTHER_ID, OTHER_LABEL, Theme, ThemedQuestion, slug

FORMAT = "partnerpulse-themes/1"


def answer_keys(answers: Sequence[str]) -> list[str]:
    """A stable key per answer: a hash of its text, with a suffix for repeats."""
    keys: list[str] = []
    seen: dict[str, int] = {}
    for text in answers:
        norm = " ".join((text or "").lower().split())
        base = "a" + hashlib.sha1(norm.encode()).hexdigest()[:8]
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return keys


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _comment(text: str) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= 100 else flat[:97] + "..."


def _key_list(name: str, indexes: Sequence[int], keys: Sequence[str],
              answers: Sequence[str]) -> list[str]:
    if not indexes:
        return [f"{name} = []"]
    lines = [f"{name} = ["]
    lines += [f"  {_q(keys[i])},  # {_comment(answers[i])}" for i in indexes]
    return [*lines, "]"]


def export_themes_toml(
    themed: ThemedQuestion, answers: Sequence[str], keys: Sequence[str] | None = None
) -> str:
    """The themes of a question as an editable TOML file; `keys` default to text hashes."""
    keys = list(keys) if keys is not None else answer_keys(answers)
    out = [
        "# PartnerPulse themes file. Edit labels, move answer lines between themes,",
        "# merge themes (move the lines, delete a block) or split them (add a block).",
        "# Each answer is named by its key; the comment beside it is its text.",
        f"format = {_q(FORMAT)}",
        "",
    ]
    for theme in themed.themes:
        if theme.id == OTHER_ID:  # its answers are the [unthemed] ones below
            continue
        main = [i for i in theme.answer_indexes if themed.assignments[i][:1] == [theme.id]]
        also = [i for i in theme.answer_indexes if i not in set(main)]
        out += ["[[theme]]", f"id = {_q(theme.id)}", f"label = {_q(theme.label)}",
                f"description = {_q(theme.description)}",
                f"from_codebook = {'true' if theme.from_codebook else 'false'}"]
        out += _key_list("answers", main, keys, answers)
        out += _key_list("also", also, keys, answers)
        out.append("")
    loose = [i for i, a in enumerate(themed.assignments)
             if a in ([], [OTHER_ID]) and split_points(answers[i])]
    out += ["[unthemed]", *_key_list("answers", loose, keys, answers), ""]
    return "\n".join(out)


def _read(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    data = _parse_toml(text, "<themes file>")
    themes = data.get("theme", [])
    if not isinstance(themes, list):
        raise CodebookError("<themes file>: 'theme' must be [[theme]] tables")
    for n, table in enumerate(themes, start=1):
        if not isinstance(table, dict) or not isinstance(table.get("label"), str):
            raise CodebookError(f"<themes file>: theme {n} needs a 'label' string")
        for name in ("answers", "also"):
            value = table.get(name, [])
            if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
                raise CodebookError(f"<themes file>: theme {n}: {name!r} must list answer keys")
    unthemed = data.get("unthemed", {}).get("answers", [])
    return themes, [str(k) for k in unthemed]


def apply_themes_toml(
    text: str,
    answers: Sequence[str],
    keys: Sequence[str] | None = None,
    seed: int = 0,
    embedder: Embedder | None = None,
) -> ThemedQuestion:
    """Re-theme answers keeping every decision in an edited themes file."""
    embedder = embedder or default_embedder()
    keys = list(keys) if keys is not None else answer_keys(answers)
    where = {k: i for i, k in enumerate(keys)}
    tables, unthemed_keys = _read(text)
    taken: set[str] = set()
    ids: list[str] = []
    labels: list[str] = []
    descriptions: list[str] = []
    assigned: dict[int, list[str]] = {}
    for table in tables:
        label = table["label"].strip() or "Untitled"
        wanted = table.get("id")
        tid = wanted if isinstance(wanted, str) and wanted and wanted not in taken else None
        if tid is None:
            tid = slug(label, taken)
        else:
            taken.add(tid)
        ids.append(tid)
        labels.append(label)
        descriptions.append(str(table.get("description", "")))
        for name in ("answers", "also"):
            for key in table.get(name, []):
                i = where.get(key)
                if i is None or tid in assigned.get(i, []):
                    continue
                slot = assigned.setdefault(i, [])
                # A key listed as a main answer goes first unless it already has a main.
                slot.insert(0 if name == "answers" and not slot else len(slot), tid)
    fixed_unthemed = {where[k] for k in unthemed_keys if k in where}
    fresh = [i for i in range(len(answers))
             if i not in assigned and i not in fixed_unthemed and split_points(answers[i])]
    members: dict[str, list[int]] = {tid: [] for tid in ids}
    for i, tids in assigned.items():
        for tid in tids:
            members[tid].append(i)
    codebook = [
        CodebookTheme(labels[n], descriptions[n], tuple(answers[i] for i in members[tid][:8]))
        for n, tid in enumerate(ids)
    ]
    new_themes: list[Theme] = []
    sub_themes: list[Theme] = []
    unthemed = sum(len(split_points(answers[i])) for i in fixed_unthemed)
    if fresh:
        sub = theme_answers([answers[i] for i in fresh], codebook, seed=seed, embedder=embedder)
        by_label = {labels[n].lower(): ids[n] for n in range(len(ids))}
        rename: dict[str, str] = {}
        for theme in sub.themes:
            if theme.from_codebook:
                rename[theme.id] = by_label[theme.label.lower()]
            elif theme.id == OTHER_ID:
                rename[theme.id] = OTHER_ID
            else:
                rename[theme.id] = slug(theme.label, taken)
                new_themes.append(theme)
        for j, tids in enumerate(sub.assignments):
            assigned[fresh[j]] = [rename[t] for t in tids]
            for t in assigned[fresh[j]]:
                members.setdefault(t, []).append(fresh[j])
        unthemed += sub.unthemed
        sub_themes = [replace(t, id=rename[t.id]) for t in new_themes]
        for theme in new_themes:
            if theme.id == OTHER_ID:
                continue
            ids.append(rename[theme.id])
            labels.append(theme.label)
            descriptions.append("")
    assignments = [assigned.get(i, []) for i in range(len(answers))]
    for i, got in enumerate(assignments):  # what no theme holds: "Other points"
        if (not got or got == [OTHER_ID]) and split_points(answers[i]):
            assignments[i] = [OTHER_ID]
            members.setdefault(OTHER_ID, []).append(i)
    if OTHER_ID in members:
        ids.append(OTHER_ID)
        labels.append(OTHER_LABEL)
        descriptions.append("")
    found_points = {t.id: t.points for t in sub_themes}
    themes = []
    for n, tid in enumerate(ids):
        idx = sorted(set(members.get(tid, [])))
        if not idx:
            continue
        main = [i for i in idx if assignments[i][:1] == [tid]]
        quotes, said = _quotes_and_points(labels[n], main, answers, embedder)
        if tid == OTHER_ID:
            said = ()
        from_cb = n < len(tables) and bool(tables[n].get("from_codebook", False))
        themes.append(Theme(tid, labels[n], descriptions[n], len(idx), quotes, tuple(idx),
                            from_cb, found_points.get(tid, said)))
    themes.sort(key=lambda t: (t.id == OTHER_ID, -t.count))
    non_answers = sum(1 for a in answers if not split_points(a))
    points = sum(len(split_points(a)) for a in answers)
    return ThemedQuestion(themes, assignments, unthemed, non_answers, points,
                          model_note=str(getattr(embedder, "fallback_note", "") or ""))


def _quotes_and_points(label: str, main: list[int], answers: Sequence[str],
                       embedder: Embedder) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Quotes from the answers whose main theme this is, nearest its middle first, and
    points drawn from them."""
    if not main:
        return (), ()
    texts = [answers[i].strip() for i in main]
    vecs = embedder.embed(texts)
    centre = centre_of(vecs)
    typical = vecs @ centre
    quotes = pick([(float(typical[k]), i, quote_of(answers[i], split_points(answers[i])))
                   for k, i in enumerate(main)], MAX_QUOTES)
    pieces = [(p, i) for i in main for p in split_points(answers[i])]
    draft = Draft([p for p, _ in pieces], [i for _, i in pieces], centre, label)
    return quotes, describe([draft], embedder)[0].points
