"""Configuration: one TOML file, every key documented in config.example.toml."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from surveys.errors import ConfigError

TOKEN_ENV = "PARTNERPULSE_TOKEN"
TELEGRAM_BASE_URL = "https://api.telegram.org/bot"


@dataclass(frozen=True)
class TelegramConfig:
    """How to reach Telegram."""

    token: str = ""
    base_url: str = TELEGRAM_BASE_URL
    base_file_url: str = ""
    bot_username: str = ""


@dataclass(frozen=True)
class DatabaseConfig:
    """Where the SQLite file lives."""

    path: str = "partnerpulse.db"


@dataclass(frozen=True)
class CoordinatorsConfig:
    """Who may run rounds: every round, or (`partnerships`) only some partnerships' rounds."""

    telegram_ids: list[int] = field(default_factory=list)
    # Telegram user id (as text, a TOML key) -> the partnerships they coordinate.
    partnerships: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ScheduleConfig:
    """Time zone, quiet hours and the digest's time."""

    timezone: str = "Europe/London"
    quiet_hours: str = "20:00-08:00"
    quiet_weekends: bool = False
    digest: str = "Mon 09:00"


@dataclass(frozen=True)
class SendingConfig:
    """Telegram's sending limits, as the sender keeps to them."""

    messages_per_second: float = 30.0
    per_chat_interval: float = 1.0
    max_attempts: int = 8
    backoff_base: float = 1.0


@dataclass(frozen=True)
class AnswersConfig:
    """Limits on what partners send."""

    max_text_length: int = 4000


@dataclass(frozen=True)
class InvitationsConfig:
    """Invite links."""

    valid_days: int = 30


@dataclass(frozen=True)
class ReportsConfig:
    """Reports and anonymity."""

    min_group_size: int = 3


@dataclass(frozen=True)
class Config:
    """The whole configuration."""

    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    coordinators: CoordinatorsConfig = field(default_factory=CoordinatorsConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    sending: SendingConfig = field(default_factory=SendingConfig)
    answers: AnswersConfig = field(default_factory=AnswersConfig)
    invitations: InvitationsConfig = field(default_factory=InvitationsConfig)
    reports: ReportsConfig = field(default_factory=ReportsConfig)
    source: str = ""

    @property
    def zone(self) -> ZoneInfo:
        """The schedule's time zone."""
        return ZoneInfo(self.schedule.timezone)


_SECTION_TYPES: dict[str, Any] = {
    "telegram": TelegramConfig, "database": DatabaseConfig, "coordinators": CoordinatorsConfig,
    "schedule": ScheduleConfig, "sending": SendingConfig, "answers": AnswersConfig,
    "invitations": InvitationsConfig, "reports": ReportsConfig,
}
_QUIET = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
_DIGEST = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([01]\d|2[0-3]):([0-5]\d)$")


def load_config(path: str | Path | None, *, environ: dict[str, str] | None = None) -> Config:
    """Read a config file (None: defaults only); the environment's token wins over the file's."""
    env = os.environ if environ is None else environ
    data: dict[str, Any] = {}
    source = ""
    if path is not None:
        source = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such configuration file") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    config = _build(data, source)
    token = env.get(TOKEN_ENV)
    if token:
        config = _replace_section(config, "telegram", token=token.strip())
    return config


def _build(data: dict[str, Any], source: str) -> Config:
    where = f"{source}: " if source else ""
    sections: dict[str, Any] = {}
    for name, table in data.items():
        if name not in _SECTION_TYPES:
            known = ", ".join(f"[{s}]" for s in _SECTION_TYPES)
            raise ConfigError(f"{where}unknown section [{name}]; known sections: {known}")
        if not isinstance(table, dict):
            raise ConfigError(f"{where}[{name}] must be a table")
        sections[name] = _section(name, table, where)
    config = Config(**sections, source=source)
    _check_values(config, where)
    return config


def _section(name: str, table: dict[str, Any], where: str) -> Any:
    cls = _SECTION_TYPES[name]
    defaults = cls()
    allowed = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in allowed:
            raise ConfigError(f"{where}unknown key [{name}] {key}; known keys: "
                              f"{', '.join(allowed)}")
        expected = getattr(defaults, key)
        if not _same_type(expected, value):
            raise ConfigError(f"{where}[{name}] {key} must be {_type_name(expected)}, "
                              f"not {value!r}")
        values[key] = float(value) if isinstance(expected, float) else value
    return cls(**values)


def _same_type(expected: object, value: object) -> bool:
    if isinstance(expected, bool):
        return isinstance(value, bool)
    if isinstance(expected, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(expected, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(expected, list):
        return isinstance(value, list) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value)
    return isinstance(value, type(expected))


def _type_name(expected: object) -> str:
    if isinstance(expected, bool):
        return "true or false"
    if isinstance(expected, float | int):
        return "a number"
    if isinstance(expected, list):
        return "a list of Telegram user ids (numbers)"
    return "text"


def _check_values(config: Config, where: str) -> None:
    try:
        ZoneInfo(config.schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}[schedule] timezone {config.schedule.timezone!r} is not a "
                          "known time zone (e.g. Europe/London)") from None
    if config.schedule.quiet_hours and not _QUIET.match(config.schedule.quiet_hours):
        raise ConfigError(f"{where}[schedule] quiet_hours must look like \"20:00-08:00\" "
                          "(or \"\" for none)")
    if not _DIGEST.match(config.schedule.digest):
        raise ConfigError(f"{where}[schedule] digest must look like \"Mon 09:00\"")
    for key, names in config.coordinators.partnerships.items():
        if not key.isdigit() or int(key) <= 0 or not isinstance(names, list) or not names \
                or not all(isinstance(n, str) and n.strip() for n in names):
            raise ConfigError(f"{where}[coordinators.partnerships] {key} must be a Telegram user "
                              "id set to a list of partnership names, e.g. "
                              "\"123456789\" = [\"Fareham Community Partnership\"]")
    if any(uid <= 0 for uid in config.coordinators.telegram_ids):
        raise ConfigError(f"{where}[coordinators] telegram_ids are people's Telegram user ids "
                          "(positive numbers); a group's id is not one")
    checks = [
        (config.sending.messages_per_second > 0, "[sending] messages_per_second must be above 0"),
        (config.sending.per_chat_interval > 0,
         "[sending] per_chat_interval must be above 0: Telegram lets a bot send about one "
         "message a second to a chat (1.0 is right)"),
        (config.sending.max_attempts >= 1, "[sending] max_attempts must be at least 1"),
        (config.sending.backoff_base > 0, "[sending] backoff_base must be above 0"),
        (config.answers.max_text_length >= 1, "[answers] max_text_length must be at least 1"),
        (config.invitations.valid_days >= 1, "[invitations] valid_days must be at least 1"),
        (config.reports.min_group_size >= 1, "[reports] min_group_size must be at least 1"),
        (config.database.path.strip() != "", "[database] path must not be empty"),
    ]
    for ok, message in checks:
        if not ok:
            raise ConfigError(where + message)


def _replace_section(config: Config, name: str, **changes: Any) -> Config:
    return replace(config, **{name: replace(getattr(config, name), **changes)})


def parse_quiet_hours(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """"20:00-08:00" → ((20, 0), (8, 0)); "" → None."""
    found = _QUIET.match(text)
    if not found:
        return None
    a, b, c, d = (int(x) for x in found.groups())
    return (a, b), (c, d)


def parse_digest_time(text: str) -> tuple[int, int, int]:
    """"Mon 09:00" → (weekday 0-6, hour, minute)."""
    found = _DIGEST.match(text)
    if not found:
        raise ConfigError(f"digest time {text!r} must look like \"Mon 09:00\"")
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    return days.index(found.group(1)), int(found.group(2)), int(found.group(3))
