"""The configuration file: defaults, the example, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import TOKEN_ENV, load_config, parse_digest_time, parse_quiet_hours
from surveys.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file() -> None:
    config = load_config(None, environ={})
    assert config.database.path == "partnerpulse.db"
    assert config.schedule.timezone == "Europe/London"
    assert config.telegram.base_url == "https://api.telegram.org/bot"
    assert config.reports.min_group_size == 3


def test_example_file_loads_and_documents_every_key() -> None:
    text = (ROOT / "config.example.toml").read_text()
    config = load_config(ROOT / "config.example.toml", environ={})
    for section in ("telegram", "database", "coordinators", "schedule", "sending", "answers",
                    "invitations", "reports"):
        table = getattr(config, section)
        for key in vars(table):
            assert f"\n{key} = " in text, f"[{section}] {key} is not in config.example.toml"


def test_environment_token_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[telegram]\ntoken = "from-file"\n')
    assert load_config(path, environ={}).telegram.token == "from-file"
    assert load_config(path, environ={TOKEN_ENV: "from-env"}).telegram.token == "from-env"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[telegram]\ntokn = "x"\n', "[telegram] tokn"),
        ("[databse]\npath = 'x'\n", "[databse]"),
        ("[coordinators]\ntelegram_ids = 'me'\n", "[coordinators] telegram_ids"),
        ("[coordinators]\ntelegram_ids = ['12']\n", "[coordinators] telegram_ids"),
        ("[reports]\nmin_group_size = 'three'\n", "[reports] min_group_size"),
        ("[schedule]\nquiet_weekends = 1\n", "[schedule] quiet_weekends"),
        ("[schedule]\ntimezone = 'Mars/Olympus'\n", "[schedule] timezone"),
        ("[schedule]\ndigest = 'Monday 9am'\n", "[schedule] digest"),
        ("[schedule]\nquiet_hours = '8pm-8am'\n", "[schedule] quiet_hours"),
        ("[reports]\nmin_group_size = 0\n", "[reports] min_group_size"),
    ],
)
def test_a_wrong_key_or_type_is_named(tmp_path: Path, text: str, named: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), environ={})
    assert named in str(caught.value)
    assert str(tmp_path / "config.toml") in str(caught.value)


def test_malformed_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[telegram\n"), environ={})
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "missing.toml", environ={})


def test_floats_accept_whole_numbers(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[sending]\nmessages_per_second = 20\n"), environ={})
    assert config.sending.messages_per_second == 20.0


def test_schedule_parsers() -> None:
    assert parse_quiet_hours("20:00-08:00") == ((20, 0), (8, 0))
    assert parse_quiet_hours("") is None
    assert parse_digest_time("Mon 09:00") == (0, 9, 0)
    assert parse_digest_time("Sun 18:30") == (6, 18, 30)


def test_a_zero_per_chat_interval_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="per_chat_interval must be above 0"):
        load_config(write(tmp_path, "[sending]\nper_chat_interval = 0\n"), environ={})
