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


@pytest.mark.parametrize(
    ("argument", "accepted"),
    [
        ("lock_retries=2000000000", "0 to 1000"),
        ("lock_timeout=99999999999h", "0 (no timeout) or 1ms to 2147483647ms"),
        ("statement_timeout=25d", None),  # not a duration at all
        ("statement_timeout=2147483648", "2147483647ms"),
        ("lock_timeout=0.5ms", "0 (no timeout) or 1ms"),
        ("lock_timeout_max=" + "9" * 400 + "h", "2147483647ms"),
        ("lock_retry_delay=2h", "0 to 1h"),
        ("deploy_lock_wait=169h", "0 to 168h"),
        ("backup_jobs=0", "1 to 512"),
        ("backup_jobs=513", "1 to 512"),
        ("backup_keep=100001", "0 to 100000"),
        ("postgres_version=7", "0 (the server's version) or 9 to 99"),
    ],
)
def test_numbers_outside_their_range_are_refused_with_the_range(
    tmp_path: Path, argument: str, accepted: str | None
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(ini(tmp_path), [argument])
    message = raised.value.format_message()
    key = argument.split("=", 1)[0]
    assert key in message
    if accepted is None:
        assert "not a duration" in message
    else:
        assert "out of range" in message and accepted in message, message


@pytest.mark.parametrize(
    ("argument", "field", "value"),
    [
        ("lock_retries=1000", "lock_retries", 1000),
        ("lock_timeout=0", "lock_timeout", 0.0),
        ("lock_timeout=1ms", "lock_timeout", 0.001),
        ("statement_timeout=2147483647", "statement_timeout", 2147483.647),
        ("postgres_version=0", "postgres_version", 0),
        ("postgres_version=17", "postgres_version", 17),
        ("backup_jobs=512", "backup_jobs", 512),
    ],
)
def test_numbers_at_the_edge_of_their_range_are_accepted(
    tmp_path: Path, argument: str, field: str, value: object
) -> None:
    settings = load_settings(ini(tmp_path), [argument])
    assert getattr(settings, field) == value
    assert len(settings.lock_attempts()) == settings.lock_retries + 1


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("lock_timout", "lock_timeout"),
        ("backup_scop", "backup_scope"),
        ("confrim", "confirm"),
        ("statment_timeout", "statement_timeout"),
        ("Backup_Dir", None),  # ours in capitals: taken as ours
        ("backup-scope", None),  # ours with a dash: taken as ours
    ],
)
def test_x_key_close_to_ours_is_an_error_or_taken_as_ours(
    tmp_path: Path, key: str, meant: str | None
) -> None:
    if meant is None:
        settings = load_settings(
            ini(tmp_path), [f"{key}=tables" if "scope" in key else f"{key}=/b"]
        )
        assert settings.backup_scope == "tables" or settings.backup_dir == "/b"
        return
    with pytest.raises(ConfigError) as raised:
        load_settings(ini(tmp_path), [f"{key}=1s"])
    message = raised.value.format_message()
    assert f"-x {key}=" in message and f"Did you mean -x {meant}=" in message


@pytest.mark.parametrize("key", ["url", "tenant", "schema", "db", "dry_run", "sqlalchemy.url"])
def test_x_keys_of_env_py_pass_untouched(tmp_path: Path, key: str) -> None:
    assert load_settings(ini(tmp_path), [f"{key}=value"]) == Settings()
