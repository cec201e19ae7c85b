"""``alembic_safe.run_migrations()``: the one call at the end of ``env.py``.

Online, ``upgrade``, ``downgrade`` and ``stamp`` run through the guard
(:class:`~alembic_safe.guard.runner.OnlineGuard`); other commands (``current``,
``check``, ``revision --autogenerate``) run as Alembic would run them, with the
autogenerate rewriter for ``revision``.  Offline (``--sql``) prints the reviewed SQL script
(:class:`~alembic_safe.docs.sqlscript.OfflineScript`).
"""

from __future__ import annotations

from typing import Any

from alembic.runtime.environment import EnvironmentContext
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine

from alembic_safe.config import load_settings
from alembic_safe.errors import ConfigError
from alembic_safe.guard.runner import OnlineGuard
from alembic_safe.pg.connection import connection_error, engine_for, resolve_url

_GUARDED_COMMANDS = {"upgrade", "downgrade", "do_stamp"}


def run_migrations(
    context: EnvironmentContext | None = None,
    target_metadata: Any = None,
    *,
    connectable: Engine | Connection | None = None,
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
     (``config.attributes["connection"]`` is honoured too).
    :param url: a database URL to use instead of ``sqlalchemy.url`` / ``DATABASE_URL``.
    """
    environment = _environment(context)
    settings = load_settings(environment.config, environment.get_x_argument())
    configure_kwargs["target_metadata"] = target_metadata
    configure_kwargs = _exclude_history_table(configure_kwargs, settings.history_table)
    if environment.is_offline_mode():
        from alembic_safe.docs.sqlscript import OfflineScript

        target = url or environment.config.get_main_option("sqlalchemy.url")
        OfflineScript(environment, settings).run(target or None, configure_kwargs)
        return
    original_fn = environment.context_opts.get("fn")
    name = getattr(original_fn, "__name__", "") if callable(original_fn) else ""
    connection = connectable or environment.config.attributes.get("connection")
    with _connected(environment, connection, url) as conn:
        if name in _GUARDED_COMMANDS and callable(original_fn):
            OnlineGuard(environment, conn, settings, original_fn).run(configure_kwargs)
        else:  # current, check, revision --autogenerate, ...: nothing to guard
            if name == "retrieve_migrations":  # revision: write the safe forms
                from alembic_safe import rewrite

                configure_kwargs = rewrite.configure_kwargs(configure_kwargs, settings)
            environment.configure(connection=conn, **configure_kwargs)
            with environment.begin_transaction():
                environment.run_migrations()


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
