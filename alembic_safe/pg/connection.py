"""Connecting to the database to migrate: the URL, the engine, and errors in plain words.

Every command and the env.py hook find the URL the same way (:func:`resolve_url`: an
explicit one, ``sqlalchemy.url``, then ``DATABASE_URL``), accept what hosting platforms
put in ``DATABASE_URL`` (``postgres://``, ``postgresql://``), and turn a failed connection
into a message without the password (:func:`connection_error`).
"""

from __future__ import annotations

import os
from typing import Any

from alembic.config import Config
from sqlalchemy import create_engine, pool
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url

from alembic_safe.errors import ConfigError, DatabaseUnavailable, chain

APPLICATION_NAME = "alembic-safe"
LOCK_SQLSTATES = {"55P03": "lock timeout", "40P01": "deadlock"}
"""SQLSTATEs of a lock that could not be taken; a retry may succeed."""
STATEMENT_TIMEOUT = "57014"
QUERY_CANCELED = STATEMENT_TIMEOUT
_DEFAULT_DRIVER = "postgresql+psycopg"


def resolve_url(config: Config | None, explicit: str | None = None) -> str:
    """The URL to use: ``explicit`` (``--url``), ``sqlalchemy.url``, then ``DATABASE_URL``."""
    found = (
        explicit
        or (config.get_main_option("sqlalchemy.url") if config is not None else None)
        or os.environ.get("DATABASE_URL", "")
    )
    if not found:
        raise ConfigError(
            "No database URL: --url is not given, sqlalchemy.url is empty and DATABASE_URL "
            "is not set.",
            hint="Set DATABASE_URL=postgresql+psycopg://user@host/db in the environment "
            "(keeps the password out of files and command lines), or sqlalchemy.url in "
            "alembic.ini, or pass --url.",
        )
    return found


def parse_url(url: str | URL) -> URL:
    """``url`` as a SQLAlchemy URL with a driver; ``postgres://`` means PostgreSQL."""
    if isinstance(url, URL):
        parsed = url
    else:
        try:
            parsed = make_url(url)
        except ValueError:  # a port that is not a number
            raise ConfigError(
                "The port of the database URL is not a number between 1 and 65535.",
                hint="Write it as postgresql+psycopg://user@host:5432/dbname.",
            ) from None
        except sa_exc.ArgumentError:
            raise ConfigError(
                "The database URL cannot be parsed.",
                hint="Write it as postgresql+psycopg://user@host:5432/dbname.",
            ) from None
    if parsed.drivername in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername=_DEFAULT_DRIVER)
    elif parsed.drivername.startswith("postgres+"):
        parsed = parsed.set(drivername="postgresql+" + parsed.drivername.split("+", 1)[1])
    if not parsed.drivername.startswith("postgresql"):
        raise ConfigError(
            f"The database URL is for {parsed.get_backend_name()!r}; alembic-safe works with "
            "PostgreSQL only.",
            hint="Use a postgresql+psycopg:// (or postgresql+psycopg2://, +asyncpg) URL.",
        )
    try:
        port = parsed.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        raise ConfigError(
            "The port of the database URL is not a number between 1 and 65535.",
            hint="Write it as postgresql+psycopg://user@host:5432/dbname.",
        )
    return parsed


def shown(url: str | URL) -> str:
    """The URL for messages: the password replaced by ``***``."""
    try:
        return parse_url(url).render_as_string(hide_password=True)
    except ConfigError:
        return "(the database URL)"


def engine_for(url: str | URL, **kwargs: Any) -> Engine:
    """An engine without a pool that names itself ``alembic-safe`` to the server."""
    parsed = parse_url(url)
    connect_args = dict(kwargs.pop("connect_args", {}))
    if "asyncpg" not in parsed.drivername:
        connect_args.setdefault("application_name", APPLICATION_NAME)
    try:
        return create_engine(parsed, poolclass=pool.NullPool, connect_args=connect_args, **kwargs)
    except (ImportError, sa_exc.NoSuchModuleError) as exc:
        raise ConfigError(
            f"The database driver of the URL cannot be loaded ({parsed.drivername}): {exc}",
            hint="Install the driver (pip install psycopg[binary]), or use a "
            "postgresql+psycopg:// URL.",
        ) from None


def connect(url: str | URL) -> Connection:
    """A connection to ``url``, or :class:`DatabaseUnavailable` that says why."""
    engine = engine_for(url)
    try:
        return engine.connect()
    except sa_exc.DBAPIError as exc:
        raise connection_error(exc, engine.url) from None


def connection_error(exc: sa_exc.DBAPIError, url: URL) -> DatabaseUnavailable:
    """A clear, password-free message for a failed connection."""
    reason = str(exc.orig).strip().splitlines()
    detail = " ".join(line.strip() for line in reason[:3]) or type(exc.orig).__name__
    if url.password:
        detail = detail.replace(str(url.password), "***")
    if "password authentication failed" in detail or "no password supplied" in detail:
        hint = "Check the user name and password (DATABASE_URL, ~/.pgpass or PGPASSWORD)."
    elif (
        "Connection refused" in detail
        or "could not translate host" in detail
        or "timeout" in detail
    ):
        hint = "Check that the server runs and that host and port are right."
    else:
        hint = "Check the URL and that the server accepts connections from here."
    return DatabaseUnavailable(
        f"Cannot connect to {url.render_as_string(hide_password=True)}: {detail}",
        hint=hint + " Nothing was applied.",
    )


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error anywhere in the exception chain."""
    for current in chain(exc):
        for candidate in (getattr(current, "orig", None), current):
            code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
            if code:
                return str(code)
    return None
