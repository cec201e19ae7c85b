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

PG_MAX_MS = 2_147_483_647
"""The largest ``lock_timeout`` / ``statement_timeout`` PostgreSQL accepts (INT_MAX ms, ~24.8 days)."""


@dataclass(frozen=True)
class Bound:
    """The range a numeric setting accepts, and why, for the error message."""

    low: float
    high: float
    why: str
    zero: str = ""
    """What 0 means when it lies outside ``low``..``high`` but is accepted (``disables it``)."""

    def allows(self, value: float) -> bool:
        return (value == 0 and bool(self.zero)) or self.low <= value <= self.high


_PG_TIMEOUT_KEYS = {"lock_timeout", "lock_timeout_max", "statement_timeout"}
_PG_TIMEOUT = Bound(0.001, PG_MAX_MS / 1000, "what PostgreSQL accepts", zero="no timeout")
BOUNDS: dict[str, Bound] = {
    "lock_timeout": _PG_TIMEOUT,
    "lock_timeout_max": _PG_TIMEOUT,
    "statement_timeout": _PG_TIMEOUT,
    "lock_retry_delay": Bound(0, 3600, "a sleep between two attempts"),
    "deploy_lock_wait": Bound(0, 7 * 86400, "a wait for another deployer"),
    "lock_retries": Bound(
        0, 1000, "each retry waits up to lock_timeout_max, then sleeps up to 30 s"
    ),
    "backup_keep": Bound(0, 100_000, "a number of backups (0 keeps all)"),
    "backup_jobs": Bound(1, 512, "pg_dump and pg_restore run 1 to 512 jobs"),
    "postgres_version": Bound(9, 99, "a PostgreSQL major version", zero="the server's version"),
    "lock_attempt_timeout": Bound(
        0.001, 60, "one short attempt at a lock, after the blockers cleared"
    ),
    "lock_wait_budget": Bound(0, 7 * 86400, "a wait outside the lock queue for blocking sessions"),
    "lock_wait_cancel_after": Bound(
        0, 7 * 86400, "the age of a blocking query before it is cancelled"
    ),
    "backfill_batch_time": Bound(0.001, 3600, "the target duration of one backfill batch"),
}
"""Every numeric setting's range; one table for the check, the message and the docs."""


def _range_text(key: str, bound: Bound) -> str:
    def shown(value: float) -> str:
        if value == 0:
            return "0"
        if key in _DURATIONS:
            if value >= 3600 and value % 3600 == 0:
                return f"{value / 3600:g}h"
            if value >= 1 and value == int(value):
                return f"{value:g}s"
            return f"{round(value * 1000)}ms"
        return f"{value:g}"

    zero = f"0 ({bound.zero}) or " if bound.zero and bound.low > 0 else ""
    high = shown(bound.high)
    if key in _PG_TIMEOUT_KEYS:
        high = f"{PG_MAX_MS}ms, about 24.8 days"
    return f"{zero}{shown(bound.low)} to {high} ({bound.why})"


def _bounded(key: str, name: str, value: float, raw: object, source: str) -> float:
    bound = BOUNDS.get(name)
    if bound is None or bound.allows(value):
        return value
    raise ConfigError(
        f"{key} = {raw!r} in {source} is out of range.",
        hint=f"{key} accepts {_range_text(name, bound)}.",
    )


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
        return name, _bounded(key, name, seconds, value, source)
    if name in _INTS:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ConfigError(f"{key} = {value!r} in {source} is not a whole number") from None
        if number < 0:
            raise ConfigError(f"{key} must not be negative (got {value!r})")
        return name, int(_bounded(key, name, number, value, source))
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
X_SIMILARITY = 0.8
"""How close (difflib ratio) a foreign ``-x`` key may come to one of ours before it is an error."""


def _x_key(key: str) -> str | None:
    """The setting an ``-x`` key names: ours as written, ours in another spelling, or None.

    ``-x`` is shared with ``env.py`` (``context.get_x_argument()``), so keys we do not own
    pass untouched (``-x url=...``, ``-x tenant=acme``).  A key that is ours with ``-`` for
    ``_`` or in capitals means ours; a key that comes close to one of ours (a typo such as
    ``lock_timout``) is an error, because ignoring it would silently turn a guard off.
    """
    if key in _X_OWNED:
        return key
    normal = key.strip().lower().replace("-", "_")
    if normal in _X_OWNED:
        return normal
    close = difflib.get_close_matches(normal, sorted(_X_OWNED), n=1, cutoff=X_SIMILARITY)
    if close:
        raise ConfigError(
            f"-x {key}=... is not an alembic-safe setting, and it is close to {close[0]!r}.",
            hint=f"Did you mean -x {close[0]}=...? Keys that are not close to one of ours "
            "pass to env.py untouched (context.get_x_argument()).",
        )
    return None


def _read_ini(config: Config, ini: Path) -> dict[str, str]:
    """Our section of alembic.ini; a file configparser cannot read is a :class:`ConfigError`.

    ``alembic`` itself stops on such a file with a configparser traceback before ``env.py``
    runs; every ``alembic-safe`` command reads the file here first and says what is wrong.
    The main section (``[alembic]``, or ``-n NAME``) is read in full too, so a bad ``%(name)s`` there is named.
    """
    try:
        parser = config.file_config
        main = config.config_ini_section
        for key in parser.options(main) if parser.has_section(main) else ():
            config.get_main_option(key)
        return dict(config.get_section(INI_SECTION) or {})
    except (configparser.Error, ValueError) as exc:
        detail = " ".join(str(exc).split())
        raise ConfigError(
            f"{ini} cannot be read: {detail}",
            hint="Fix the line it names (every line belongs to a [section]; a % is written "
            "%% unless it starts %(here)s); nothing was run.",
        ) from None


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
            section = _read_ini(config, ini)
            for key, value in section.items():
                if key in {"here", "author"}:
                    continue  # "here" is Alembic's interpolation default; author is for templates
                name, typed = _coerce(key, value, f"[{INI_SECTION}] of {ini}")
                values[name] = typed
    confirm: list[str] = list(values.get("confirm", ()))
    for raw_key, value in parse_x_arguments(x_args):
        owned = _x_key(raw_key)
        if owned is None:
            continue  # env.py's own key
        key = owned
        if key == "confirm":
            confirm.extend(_split_list(value))
        elif key == "backup" and value == "skip":
            values["skip_backup"] = True
        else:
            name, typed = _coerce(key, value, "-x")
            values[name] = typed
    values["confirm"] = tuple(confirm)
    return replace(Settings(), **values)
