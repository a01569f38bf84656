"""Questionnaire templates: the built-ins shipped as TOML, and the loader."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from surveys.errors import NotFound
from surveys.model import Questionnaire
from surveys.templates.dump import questionnaire_to_dict
from surveys.templates.loader import load_template, parse_template, questionnaire_from_dict

__all__ = [
    "builtin_ids",
    "builtin_source",
    "builtin_template",
    "load_template",
    "parse_template",
    "questionnaire_from_dict",
    "questionnaire_to_dict",
    "resolve_template",
]


def _builtin_dir() -> resources.abc.Traversable:
    return resources.files("surveys.templates") / "builtin"


def builtin_ids() -> list[str]:
    """Ids of the templates shipped with PartnerPulse, sorted."""
    return sorted(p.name[:-5] for p in _builtin_dir().iterdir() if p.name.endswith(".toml"))


def builtin_source(template_id: str) -> str:
    """The TOML text of a built-in template."""
    entry = _builtin_dir() / f"{template_id}.toml"
    if not entry.is_file():
        known = ", ".join(builtin_ids())
        raise NotFound(f"No built-in template {template_id!r}. Built-ins: {known}.")
    return entry.read_text(encoding="utf-8")


def builtin_template(template_id: str) -> Questionnaire:
    """Load a built-in template by id."""
    return parse_template(builtin_source(template_id), source=f"{template_id}.toml")


def resolve_template(id_or_path: str) -> Questionnaire:
    """A built-in id, or the path of a TOML file a coordinator edited."""
    if id_or_path in builtin_ids():
        return builtin_template(id_or_path)
    path = Path(id_or_path)
    if path.suffix == ".toml" or path.exists():
        return load_template(path)
    known = ", ".join(builtin_ids())
    raise NotFound(f"No template {id_or_path!r}: give a built-in id ({known}) or a .toml file.")
