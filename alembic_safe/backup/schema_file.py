"""The schema file for fresh installs: a normalized ``pg_dump --schema-only``.

The manual checklist says "Update schema.sql with changes (for fresh installs)".  With
``schema_file`` set, the guarded upgrade writes it after a run that applied revisions, and
``alembic-safe doc --schema --url URL`` writes it on demand.  The dump leaves out owners,
privileges, the version table and the history table, and the lines that change from one
run or machine to the next (server and pg_dump versions, ``\\restrict`` keys), so the file
changes only when the schema does and can be committed and diffed.

A fresh install loads it and then stamps the version table::

    psql -v ON_ERROR_STOP=1 -f schema.sql && alembic stamp head

``pg_dump`` comes from the same search as the throwaway server's programs
(:func:`alembic_safe._pgbin.find_programs`), with a major version at least the server's.
The password goes to pg_dump in its environment, never on its command line.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from alembic.config import Config
from sqlalchemy.engine import Connection

from alembic_safe._pgbin import find_programs
from alembic_safe.config import Settings
from alembic_safe.errors import ConfigError, SchemaFileError
from alembic_safe.pg import children, client

_UNSTABLE = re.compile(
    r"^(-- Dumped from database version .*|-- Dumped by pg_dump version .*|\\(un)?restrict .*)$"
)


def normalize(dump: str) -> str:
    """Drop the lines of a dump that differ between runs; squeeze blank runs."""
    lines = [line for line in dump.splitlines() if not _UNSTABLE.match(line)]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"


def path_for(config: Config, settings: Settings) -> Path | None:
    """The configured schema file, relative to the config file's directory; None if unset."""
    if not settings.schema_file:
        return None
    path = Path(settings.schema_file)
    if path.is_absolute():
        return path
    name = config.config_file_name or getattr(config, "toml_file_name", None)
    root = Path(name).resolve().parent if name else Path.cwd()
    return root / path


def dump(connection: Connection, settings: Settings) -> str:
    """The normalized schema-only dump of the database behind ``connection``."""
    version = connection.dialect.server_version_info or (0,)
    major = int(version[0]) if isinstance(version[0], int) else 0
    programs, checked = find_programs(
        ("pg_dump",), explicit=settings.pg_bindir or None, min_major=major
    )
    if programs is None:
        raise ConfigError(
            f"Could not find pg_dump {major} or newer, which is needed to write the schema file.",
            context=[("Checked", "\n".join(checked) or "(nothing)")],
            hint="To fix this, either install the PostgreSQL client programs of the server's "
            "version (Debian/Ubuntu: apt-get install postgresql-client), or set pg_bindir.",
        )
    url = connection.engine.url
    command = [
        str(programs["pg_dump"].path),
        "--schema-only",
        "--no-owner",
        "--no-privileges",
        f"--exclude-table={settings.history_table}",
        "--exclude-table=alembic_version",
    ]
    try:
        with client.libpq_environment(client.PgTarget.from_url(url)) as child:
            out = subprocess.run(
                command,
                capture_output=True,
                text=True,
                env=child.env,
                pass_fds=child.pass_fds,
                preexec_fn=children.die_with_parent(),
                timeout=600,
                check=False,
            )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SchemaFileError(f"pg_dump could not run: {exc}") from None
    if out.returncode != 0:
        detail = " ".join(out.stderr.strip().splitlines()[:3])
        if url.password:
            detail = detail.replace(str(url.password), "***")
        raise SchemaFileError(
            f"pg_dump --schema-only failed (exit {out.returncode}): {detail}",
            hint="Check that the role may read the schema (pg_dump needs SELECT on sequences "
            "and access to every schema).",
        )
    return normalize(out.stdout)


def write(config: Config, settings: Settings, connection: Connection) -> Path:
    """Write the schema file; it is left untouched when the schema did not change."""
    target = path_for(config, settings)
    if target is None:
        raise ConfigError(
            "No schema file is configured.",
            hint="Set schema_file = schema.sql in [alembic_safe] of alembic.ini "
            "(or [tool.alembic-safe] of pyproject.toml).",
        )
    content = dump(connection, settings)
    if target.exists() and target.read_text(encoding="utf-8") == content:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(content)
    return target
