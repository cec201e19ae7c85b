"""``alembic_safe.run_migrations()``: the one call at the end of ``env.py``.

Online, ``upgrade``, ``downgrade`` and ``stamp`` run through the guard
(:class:`~alembic_safe.guard.runner.OnlineGuard`); other commands (``current``,
``check``, ``revision --autogenerate``) run as Alembic would run them, with the
autogenerate rewriter for ``revision``.  Offline (``--sql``) prints the reviewed SQL script
(:class:`~alembic_safe.docs.sqlscript.OfflineScript`).

Async projects need no other call: an ``AsyncEngine`` or ``AsyncConnection`` given as
``connectable=``, or an async URL (``postgresql+asyncpg://``,
``postgresql+psycopg_async://``), runs the guard on the synchronous connection that
SQLAlchemy's ``run_sync()`` hands out, in an event loop of its own.

Under the ``alembic`` command, an alembic-safe error prints Alembic's ``FAILED: ...``
line and ends the process with the error's own exit code (1 for a refusal or a failed
revision, 2 for a configuration error) instead of Alembic's 255.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from alembic.runtime.environment import EnvironmentContext
from alembic.util import msg
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from alembic_safe.config import load_settings
from alembic_safe.errors import AlembicSafeError, ConfigError
from alembic_safe.guard.runner import OnlineGuard
from alembic_safe.pg.connection import connection_error, engine_for, parse_url, resolve_url

_GUARDED_COMMANDS = {"upgrade", "downgrade", "do_stamp"}
log = logging.getLogger("alembic_safe")

Connectable = Engine | Connection | AsyncEngine | AsyncConnection


def run_migrations(
    context: EnvironmentContext | None = None,
    target_metadata: Any = None,
    *,
    connectable: Connectable | None = None,
    url: str | None = None,
    **configure_kwargs: Any,
) -> None:
    """Run the migrations of the current Alembic command, guarded.

    Call it at the end of ``env.py`` in place of the ``if context.is_offline_mode(): ...``
    block; keyword arguments go to ``context.configure()`` unchanged::

        import alembic_safe
        alembic_safe.run_migrations(context, target_metadata)

    :param context: ``alembic.context`` (the default).
    :param target_metadata: the ``MetaData`` for autogenerate.
    :param connectable: an Engine or Connection to use instead of ``sqlalchemy.url``
     (``config.attributes["connection"]`` is honoured too); an ``AsyncEngine`` or
     ``AsyncConnection`` runs through ``run_sync()``.
    :param url: a database URL to use instead of ``sqlalchemy.url`` / ``DATABASE_URL``.
    """
    environment = _environment(context)
    try:
        _run(environment, target_metadata, connectable, url, configure_kwargs)
    except AlembicSafeError as exc:
        _exit_like_alembic(environment, exc)
        raise


def _run(
    environment: EnvironmentContext,
    target_metadata: Any,
    connectable: Connectable | None,
    url: str | None,
    configure_kwargs: dict[str, Any],
) -> None:
    settings = load_settings(environment.config, environment.get_x_argument())
    configure_kwargs["target_metadata"] = target_metadata
    _version_table_schema(configure_kwargs, settings.version_table_schema)
    configure_kwargs = _exclude_history_table(configure_kwargs, settings.history_table)
    if environment.is_offline_mode():
        from alembic_safe.docs.sqlscript import OfflineScript

        target = url or environment.config.get_main_option("sqlalchemy.url")
        OfflineScript(environment, settings).run(target or None, configure_kwargs)
        return
    given = connectable or environment.config.attributes.get("connection")

    def on(conn: Connection) -> None:
        _run_online(environment, conn, settings, configure_kwargs)

    if isinstance(given, AsyncConnection):
        async_connection = given
        _run_async(lambda: async_connection.run_sync(on), given_connection=True)
    elif isinstance(given, AsyncEngine):
        async_engine = given
        _run_async(lambda: _on_async_engine(async_engine, on, dispose=False))
    elif given is None and is_async_url(resolved := resolve_url(environment.config, url)):
        _run_async(lambda: _on_async_engine(_async_engine(resolved), on, dispose=True))
    else:
        with _connected(environment, given, url) as conn:
            on(conn)


def _run_online(
    environment: EnvironmentContext,
    conn: Connection,
    settings: Any,
    configure_kwargs: dict[str, Any],
) -> None:
    original_fn = environment.context_opts.get("fn")
    name = getattr(original_fn, "__name__", "") if callable(original_fn) else ""
    if name in _GUARDED_COMMANDS and callable(original_fn):
        OnlineGuard(environment, conn, settings, original_fn).run(configure_kwargs)
        return
    # current, check, revision --autogenerate, ...: nothing to guard
    if name == "retrieve_migrations":  # revision: write the safe forms
        from alembic_safe import rewrite

        configure_kwargs = rewrite.configure_kwargs(configure_kwargs, settings)
    environment.configure(connection=conn, **configure_kwargs)
    with environment.begin_transaction():
        environment.run_migrations()


# ---------------------------------------------------------------------- async engines


def is_async_url(url: str) -> bool:
    """Whether ``url`` names an async driver (``postgresql+asyncpg``, ``+psycopg_async``)."""
    try:
        dialect = parse_url(url).get_dialect()
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ImportError):
        return False  # engine_for() reports it in plain words
    return bool(getattr(dialect, "is_async", False))


def _async_engine(url: str) -> AsyncEngine:
    from sqlalchemy import pool
    from sqlalchemy.ext.asyncio import create_async_engine

    parsed = parse_url(url)
    try:
        return create_async_engine(parsed, poolclass=pool.NullPool)
    except (ImportError, sa_exc.NoSuchModuleError) as exc:
        raise ConfigError(
            f"The database driver of the URL cannot be loaded ({parsed.drivername}): {exc}",
            hint="Install the driver (pip install asyncpg), or use a postgresql+psycopg:// URL.",
        ) from None


async def _on_async_engine(
    engine: AsyncEngine, fn: Callable[[Connection], None], *, dispose: bool
) -> None:
    try:
        try:
            connection = await engine.connect()
        except sa_exc.DBAPIError as exc:
            raise connection_error(exc, engine.url) from None
        except OSError as exc:  # asyncpg raises the socket's error as it is
            raise ConfigError(
                f"Cannot connect to {engine.url.render_as_string(hide_password=True)}: {exc}",
                hint="Check that the server runs and that host and port are right. "
                "Nothing was applied.",
            ) from None
        try:
            await connection.run_sync(fn)
        finally:
            await connection.close()
    finally:
        if dispose:
            await engine.dispose()


def _run_async(
    make: Callable[[], Coroutine[Any, Any, Any]], *, given_connection: bool = False
) -> None:
    """Run a coroutine to the end: in a new event loop, or in a thread when one runs here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(make())
        return
    if given_connection:
        raise ConfigError(
            "alembic_safe.run_migrations() got an AsyncConnection while an event loop is "
            "running, so it cannot wait for it.",
            hint="Call it inside run_sync with the synchronous connection: "
            "await connection.run_sync(lambda conn: alembic_safe.run_migrations(context, "
            "target_metadata, connectable=conn))",
        )
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="alembic-safe") as pool:
        pool.submit(asyncio.run, make()).result()


# ---------------------------------------------------------------------- errors and exits


def _exit_like_alembic(environment: EnvironmentContext, exc: AlembicSafeError) -> None:
    """Under the ``alembic`` command: print ``FAILED: ...`` and exit with our code.

    Alembic would print the same line and exit 255 for every error; from Python
    (``alembic.command.upgrade(...)``, no command line) the error propagates unchanged.
    """
    options = environment.config.cmd_opts
    if options is None or getattr(options, "raiseerr", False):
        return
    if getattr(options, "cmd", None) is None:
        return  # a Namespace that is not Alembic's command line (a rehearsal's -x arguments)
    message = str(exc)
    log.error(message)
    msg(f"FAILED: {message}", quiet=bool(environment.config.messaging_opts.get("quiet")))
    raise SystemExit(exc.exit_code) from None


def _environment(context: Any) -> EnvironmentContext:
    """The EnvironmentContext behind ``alembic.context`` (a module-level proxy to it)."""
    if context is None:
        from alembic import context as alembic_context

        context = alembic_context
    if isinstance(context, EnvironmentContext):
        return context
    environment = getattr(context, "_proxy", None)
    if not isinstance(environment, EnvironmentContext):
        raise ConfigError(
            "alembic_safe.run_migrations() must be called from env.py while Alembic runs it.",
            hint="Call it as alembic_safe.run_migrations(context, target_metadata) in env.py.",
        )
    return environment


def _version_table_schema(kwargs: dict[str, Any], configured: str) -> None:
    """The ``version_table_schema`` setting stands for the configure() argument."""
    given = kwargs.get("version_table_schema")
    if configured and given and given != configured:
        raise ConfigError(
            f"env.py passes version_table_schema={given!r}, but the version_table_schema "
            f"setting says {configured!r}.",
            hint="Keep one of them (the history table lives beside the version table).",
        )
    if configured and not given:
        kwargs["version_table_schema"] = configured


def _exclude_history_table(kwargs: dict[str, Any], table: str) -> dict[str, Any]:
    """Keep our history table out of autogenerate comparisons."""
    user_include = kwargs.get("include_object")

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
    ) -> bool:
        if type_ == "table" and name == table:
            return False
        return user_include(obj, name, type_, reflected, compare_to) if user_include else True

    return {**kwargs, "include_object": include_object}


class _connected:
    """Context manager: a Connection from what the user gave, or from the URL."""

    def __init__(self, context: EnvironmentContext, given: Any, url: str | None) -> None:
        self.context = context
        self.given = given
        self.url = url
        self.engine: Engine | None = None
        self.connection: Connection | None = None

    def __enter__(self) -> Connection:
        if isinstance(self.given, Connection):
            return self.given
        if isinstance(self.given, Engine):
            self.engine = self.given
        else:
            self.engine = engine_for(resolve_url(self.context.config, self.url))
        try:
            self.connection = self.engine.connect()
        except sa_exc.DBAPIError as exc:
            raise connection_error(exc, self.engine.url) from None
        return self.connection

    def __exit__(self, *exc_info: object) -> None:
        if self.connection is not None:
            self.connection.close()
        if self.engine is not None and not isinstance(self.given, Engine):
            self.engine.dispose()
