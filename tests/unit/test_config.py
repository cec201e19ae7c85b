"""Settings from pyproject.toml, alembic.ini and -x, validated."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.config import Config

from alembic_safe.config import Settings, load_settings, parse_duration
from alembic_safe.errors import ConfigError


def ini(tmp_path: Path, section: str = "") -> Config:
    path = tmp_path / "alembic.ini"
    path.write_text(f"[alembic]\nscript_location = %(here)s/m\n\n[alembic_safe]\n{section}\n")
    return Config(str(path))


def test_defaults_bound_lock_waits() -> None:
    settings = Settings()
    attempts = settings.lock_attempts()
    assert len(attempts) == settings.lock_retries + 1
    assert max(t for t, _ in attempts) <= settings.lock_timeout_max
    assert [t for t, _ in attempts][:3] == [1.0, 2.0, 4.0]
    assert settings.backup == "auto" and settings.backup_keep == 5 and settings.backup_dir == ""


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("500ms", 0.5), ("2s", 2.0), ("5min", 300.0), ("1h", 3600.0), ("1500", 1.5), (250, 0.25)],
)
def test_parse_duration(text: object, seconds: float) -> None:
    assert parse_duration("x", text) == seconds


def test_ini_pyproject_and_x_precedence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.alembic-safe]\nlock_timeout = "3s"\nlock_retries = 9\n'
        '[tool.alembic-safe.rules]\nignore = ["rename-table"]\nseverity = {drop-column = "warning"}\n'
    )
    config = ini(tmp_path, "lock_retries = 7\nbackup_dir = %(here)s/bk")
    settings = load_settings(
        config, ["lock_timeout=250ms", "confirm=abc", "confirm=def", "url=ignored"]
    )
    assert settings.lock_timeout == 0.25
    assert settings.lock_retries == 7
    assert settings.rules_ignore == ("rename-table",)
    assert settings.rules_severity == {"drop-column": "warning"}
    assert settings.confirm == ("abc", "def")
    assert settings.backup_dir == f"{tmp_path}/bk"


def test_backup_skip_is_an_x_option_only(tmp_path: Path) -> None:
    assert load_settings(ini(tmp_path), ["backup=skip"]).skip_backup is True


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("lock_timout = 1s", "Did you mean 'lock_timeout'"),
        ("lock_timeout = soon", "not a duration"),
        ("backup = sometimes", "Use one of: auto, always, destructive, never"),
        ("lock_retries = -1", "must not be negative"),
        ("rules.severity = drop-column", "is not RULE:LEVEL"),
        ("rules.severity = drop-column:loud", "Use one of: error, warning, info, off"),
    ],
)
def test_bad_settings_are_explained(tmp_path: Path, section: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(ini(tmp_path, section))
    assert message in raised.value.format_message()


def test_x_argument_without_value(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="has no value"):
        load_settings(ini(tmp_path), ["confirm"])
