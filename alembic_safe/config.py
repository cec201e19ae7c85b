"""Settings: ``[tool.alembic-safe]`` in pyproject.toml, ``[alembic_safe]`` in alembic.ini, ``-x``.

Precedence, lowest first: built-in defaults, pyproject.toml, alembic.ini, ``-x key=value``.
Every key is validated; an unknown key is an error that names the closest known one, so
a typo never silently turns a guard off.
"""

from __future__ import annotations

import configparser
import difflib
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from alembic.config import Config

from alembic_safe.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

INI_SECTION = "alembic_safe"
TOML_TABLE = "alembic-safe"

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|min|h)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "sec": 1.0, "min": 60.0, "h": 3600.0}


def parse_duration(key: str, value: object) -> float:
    """Return seconds for ``500ms``, ``2s``, ``5min``, ``1h`` or a bare number of milliseconds.

    A bare number means milliseconds, as PostgreSQL's own ``lock_timeout`` does; ``0``
    disables the timeout.
    """
    if isinstance(value, bool):
        raise ConfigError(f"{key} = {value!r} is not a duration", hint=_DURATION_HINT)
    if isinstance(value, (int, float)):
        return float(value) / 1000.0
    match = _DURATION.match(str(value))
    if not match:
        raise ConfigError(f"{key} = {value!r} is not a duration", hint=_DURATION_HINT)
    number, unit = match.groups()
    return float(number) * _UNIT_SECONDS[unit] if unit else float(number) / 1000.0


_DURATION_HINT = "Write it as 500ms, 2s, 5min or 1h (a bare number means milliseconds)."


def format_duration(seconds: float) -> str:
    """Render seconds as a PostgreSQL setting value (``'1500ms'``)."""
    return f"{round(seconds * 1000)}ms"


@dataclass(frozen=True)
class Settings:
    """Every alembic-safe setting, with the safe choice as its default."""

    lock_timeout: float = 1.0
    """Seconds a DDL statement may wait for a lock on its first attempt."""
    lock_timeout_max: float = 5.0
    """Upper bound for the growing lock timeout of later attempts."""
    lock_retries: int = 5
    """Attempts after the first when a lock timeout rolls a revision back."""
    lock_retry_delay: float = 2.0
    """Sleep before the first retry; doubles each time, capped at 30 s."""
    statement_timeout: float = 300.0
    """Seconds any single statement may run."""
    deploy_lock_wait: float = 900.0
    """Seconds to wait for another deployer's migration lock before giving up."""
    lock_attempt_timeout: float = 0.02
    """``lock_timeout`` of each attempt to take a lock that blocks the application's
    reads or writes, once no session holds or waits for a conflicting lock
    (:mod:`alembic_safe.lockwait`): the longest the application can queue behind it."""
    lock_wait_budget: float = 120.0
    """Seconds to wait, outside the lock queue, for the sessions blocking such a lock."""
    lock_wait_cancel_after: float = 0.0
    """Cancel blocking queries running longer than this while waiting (0: never)."""
    lock_wait_terminate_idle: bool = False
    """Also terminate blocking sessions idle in a transaction for longer than
    ``lock_wait_cancel_after`` (a cancel cannot end an idle transaction)."""
    lock_wait_cancel_any_role: bool = False
    """Cancel (or terminate) sessions of other roles too; by default only the migration's own role."""
    backfill_batch_time: float = 0.02
    """Target duration of one ``op.backfill`` batch: batch sizes adapt to it."""
    backup: str = "auto"
    """When the guard dumps: see :mod:`alembic_safe.analysis.backup_policy`."""
    backup_dir: str = ""
    """Empty: the per-user state directory (:func:`alembic_safe.backup.store.default_directory`)."""
    backup_scope: str = "full"
    backup_keep: int = 5
    """Newest backups kept per database (0 keeps every one)."""
    backup_format: str = "custom"
    backup_jobs: int = 1
    pg_bindir: str = ""
    docs_dir: str = "docs/migrations"
    schema_file: str = ""
    postgres_version: int = 0
    app_role: str = ""
    history_table: str = "alembic_safe_history"
    baseline: str = ""
    """The baseline file ``alembic-safe check`` reads by default (relative to alembic.ini)."""
    version_table_schema: str = ""
    """The schema of the version and history tables when env.py does not pass
    ``version_table_schema=`` (it is passed to ``context.configure()``); read by
    ``alembic-safe history`` as well."""
    rules_ignore: tuple[str, ...] = ()
    rules_severity: Mapping[str, str] = field(default_factory=dict)
    confirm: tuple[str, ...] = ()
    """Revisions whose destructive steps are confirmed (``-x confirm=REV``, repeatable)."""
    skip_backup: bool = False
    """``-x backup=skip``: skip the backup of this run (logged in the history table)."""

    def lock_attempts(self) -> list[tuple[float, float]]:
        """(lock_timeout, sleep before the next attempt) for each attempt, GitLab style.

        Timeouts double from ``lock_timeout`` up to ``lock_timeout_max`` so the queue behind a
        waiting ACCESS EXCLUSIVE request never stalls traffic for longer than that; sleeps
        double from ``lock_retry_delay`` up to 30 s.
        """
        attempts = []
        timeout, delay = self.lock_timeout, self.lock_retry_delay
        for _ in range(self.lock_retries + 1):
            attempts.append((timeout, delay))
            timeout = min(timeout * 2, max(self.lock_timeout_max, self.lock_timeout))
            delay = min(delay * 2, 30.0)
        return attempts


_CHOICES = {
    "backup": ("auto", "always", "destructive", "never"),
    "backup_scope": ("full", "tables", "schema"),
    "backup_format": ("custom", "directory"),
}
_DURATIONS = {
    "lock_timeout",
    "lock_timeout_max",
    "lock_retry_delay",
    "statement_timeout",
    "deploy_lock_wait",
    "lock_attempt_timeout",
    "lock_wait_budget",
    "lock_wait_cancel_after",
    "backfill_batch_time",
}
_POSITIVE = {
    "lock_attempt_timeout": "0 would let a lock request wait, and queue the application "
    "behind it, without limit; a few tens of milliseconds (20ms) is the intended range.",
    "backfill_batch_time": "Batches are sized to last about this long; 20ms is a good start.",
}
_INTS = {"lock_retries", "backup_keep", "backup_jobs", "postgres_version"}
_BOOLS = {"lock_wait_terminate_idle", "lock_wait_cancel_any_role"}
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}
_ALIASES = {"rules.ignore": "rules_ignore", "rules.severity": "rules_severity"}
_SEVERITIES = ("error", "warning", "info", "off")
KNOWN_KEYS = tuple(
    sorted(
        {f.name for f in fields(Settings)} - {"rules_ignore", "rules_severity", "skip_backup"}
        | set(_ALIASES)
    )
)


def _split_list(value: object) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(part.strip() for part in re.split(r"[,\s]+", str(value)) if part.strip())


def _parse_severity(value: object) -> dict[str, str]:
    if isinstance(value, Mapping):
        pairs = [(str(k), str(v)) for k, v in value.items()]
    else:
        pairs = []
        for item in _split_list(value):
            rule, sep, level = item.partition(":")
            if not sep:
                raise ConfigError(
                    f"rules.severity entry {item!r} is not RULE:LEVEL",
                    hint="Write it as rules.severity = drop-column:warning, rename-table:info",
                )
            pairs.append((rule.strip(), level.strip()))
    for rule, level in pairs:
        if level not in _SEVERITIES:
            raise ConfigError(
                f"rules.severity for {rule!r} is {level!r}",
                hint=f"Use one of: {', '.join(_SEVERITIES)}.",
            )
    return dict(pairs)


def _coerce(key: str, value: object, source: str) -> tuple[str, Any]:
    """Validate one raw setting; return (field name, typed value)."""
    name = _ALIASES.get(key, key.replace("-", "_"))
    known = {f.name for f in fields(Settings)}
    if name not in known or (name in {"skip_backup", "confirm"} and source != "-x"):
        guess = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
        raise ConfigError(
            f"Unknown alembic-safe setting {key!r} in {source}",
            hint=(f"Did you mean {guess[0]!r}? " if guess else "")
            + f"Known settings: {', '.join(KNOWN_KEYS)}.",
        )
    if name in _DURATIONS:
        seconds = parse_duration(key, value)
        if seconds < 0:
            raise ConfigError(f"{key} must not be negative (got {value!r})")
        if seconds == 0 and name in _POSITIVE:
            raise ConfigError(
                f"{key} must be more than 0 (got {value!r}) in {source}",
                hint=_POSITIVE[name],
            )
        return name, seconds
    if name in _INTS:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ConfigError(f"{key} = {value!r} in {source} is not a whole number") from None
        if number < 0:
            raise ConfigError(f"{key} must not be negative (got {value!r})")
        return name, number
    if name in _BOOLS:
        if isinstance(value, bool):
            return name, value
        word = str(value).strip().lower()
        if word not in _TRUE | _FALSE:
            raise ConfigError(
                f"{key} = {value!r} in {source} is not true or false",
                hint="Write it as true or false (yes/no, on/off and 1/0 work too).",
            )
        return name, word in _TRUE
    if name in _CHOICES:
        text = str(value).strip()
        if text not in _CHOICES[name]:
            raise ConfigError(
                f"{key} = {text!r} in {source} is not valid",
                hint=f"Use one of: {', '.join(_CHOICES[name])}.",
            )
        return name, text
    if name in {"rules_ignore", "confirm"}:
        return name, _split_list(value)
    if name == "rules_severity":
        return name, _parse_severity(value)
    return name, str(value).strip()


def _find_pyproject(config: Config) -> Path | None:
    toml_name = getattr(config, "toml_file_name", None)
    candidates: list[Path] = []
    if toml_name:
        candidates.append(Path(toml_name))
    if config.config_file_name:
        candidates.append(Path(config.config_file_name).resolve().parent / "pyproject.toml")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def _flatten_toml(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping) and full != "rules.severity":
            flat.update(_flatten_toml(value, prefix=f"{full}."))
        else:
            flat[full] = value
    return flat


def read_pyproject(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}") from None
    table = data.get("tool", {}).get(TOML_TABLE, {})
    return _flatten_toml(table)


def parse_x_arguments(x_args: Iterable[str]) -> list[tuple[str, str]]:
    """Split ``-x key=value`` strings; keys we do not own (``url``, user keys) are kept."""
    pairs = []
    for item in x_args:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(
                f"-x {item!r} has no value",
                hint="Write it as -x key=value, for example -x confirm=ae1027a6acf.",
            )
        pairs.append((key.strip(), value.strip()))
    return pairs


_X_OWNED = set(KNOWN_KEYS) | {"confirm", "backup"}


def load_settings(config: Config | None, x_args: Iterable[str] = ()) -> Settings:
    """Build :class:`Settings` from an Alembic ``Config`` and ``-x`` arguments."""
    values: dict[str, Any] = {}
    if config is not None:
        pyproject = _find_pyproject(config)
        if pyproject is not None:
            for key, value in read_pyproject(pyproject).items():
                name, typed = _coerce(key, value, f"[tool.{TOML_TABLE}] of {pyproject}")
                values[name] = typed
        if config.config_file_name and Path(config.config_file_name).is_file():
            ini = Path(config.config_file_name)
            try:
                section = config.get_section(INI_SECTION) or {}
            except (configparser.Error, ValueError) as exc:
                raise ConfigError(f"Cannot read [{INI_SECTION}] of {ini}: {exc}") from None
            for key, value in section.items():
                if key in {"here", "author"}:
                    continue  # "here" is Alembic's interpolation default; author is for templates
                name, typed = _coerce(key, value, f"[{INI_SECTION}] of {ini}")
                values[name] = typed
    confirm: list[str] = list(values.get("confirm", ()))
    for key, value in parse_x_arguments(x_args):
        if key == "confirm":
            confirm.extend(_split_list(value))
        elif key == "backup" and value == "skip":
            values["skip_backup"] = True
        elif key in _X_OWNED:
            name, typed = _coerce(key, value, "-x")
            values[name] = typed
    values["confirm"] = tuple(confirm)
    return replace(Settings(), **values)
