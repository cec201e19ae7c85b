"""Findings about the linting itself: revisions that cannot be read, and suppressions.

These rules have no ``check``: the driver in :mod:`alembic_safe.rules` reports them while
it captures plans and applies suppressions.  They are declared here so that they have an
id, a severity, configuration and a documentation page like every other rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from alembic_safe.rules.base import Finding, Rule, RuleContext, Severity, register


class _Reported(Rule):
    size_sensitive = False

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()


@register
class ImportError_(_Reported):
    """## What it does
    Reports a revision file that fails to import (syntax error, missing module, an
    exception at import time). Every other revision is still checked: the history stays
    connected through the ids read from the file's text.

    ## Why is this bad?
    No rule can check the revision, and `alembic upgrade` fails on it too. `alembic-safe
    check` exits with status 2 while a revision cannot be loaded.

    ## What to do instead
    Fix the error the finding names (the line is given), for example a missing import:

    ```python
    import sqlalchemy as sa
    ```

    ## PostgreSQL versions
    All.
    """

    id = "import-error"
    severity = Severity.ERROR
    message = "the revision file cannot be imported: {reason}"
    suggestion = "fix the error at the line given; until then no rule can check this revision"


@register
class CaptureIncomplete(_Reported):
    """## What it does
    Reports what offline capture could not see in a revision, each at its line:

    - a database read that capture went past with an empty answer: the revision read
      rows (`op.get_bind().execute(...).fetchall()`, iteration, `scalar()`, `rowcount`),
      inspected the schema (`sa.inspect(conn).get_columns(...)`, `has_table`), or used an
      ORM session bound to `op.get_bind()` (its queries find nothing offline). The
      statements that follow are recorded and checked; what depends on the real answer
      (the loop over the rows, the branch on what the inspector found) is not;
    - where capture stopped: the code needs the real answer (`Table(...,
      autoload_with=conn)`, `.one()`, `rows[0]` on the empty answer, an ORM flush), uses
      a connection feature that has no offline answer ("used the connection's ..."), or
      the revision raised. The steps before that point were checked, those after not.

    One wording per cause: "read rows", "inspected the schema", "used an ORM session",
    "used the connection's <attribute>".

    ## Why is this bad?
    Nothing is wrong with the revision as such, but part of it was not checked, and a
    plan with guessed answers is not complete: the reviewed SQL script refuses it, and
    `backup = destructive` backs up before it because what it changes is not known.

    ## What to do instead
    Nothing, or keep reads out of schema revisions. For a data migration, let `op.backfill`
    do the batching:

    ```python
    op.backfill("users", set={"locale": "'en'"}, where="locale IS NULL", batch_size=10_000)
    ```

    Rehearsing on a copy of the database (`alembic-safe rehearse`) runs what cannot be
    captured offline.

    ## PostgreSQL versions
    All.
    """

    id = "capture-incomplete"
    severity = Severity.WARNING
    message = "{direction}() was only partly checked: {status}"
    suggestion = (
        "steps after this point were not checked; rehearse the revision on a copy of the database"
    )


@register
class UnusedIgnore(_Reported):
    """## What it does
    Reports an `# alembic-safe: ignore[rule-id]` comment (or an `alembic_safe_ignore`
    entry) that suppresses nothing: the rule does not fire there, or the id is unknown.

    ## Why is this bad?
    Stale suppressions hide the next real finding on that line, and a misspelled id
    suppresses nothing while looking like it does.

    ## What to do instead
    Remove the comment, or fix the rule id (`alembic-safe check` lists ids in its output
    and `docs/rules/` has one page per id):

    ```python
    op.drop_column("users", "legacy_flag")  # alembic-safe: ignore[drop-column] unmapped since v42
    ```

    ## PostgreSQL versions
    All.
    """

    id = "unused-ignore"
    severity = Severity.WARNING
    message = "{what}"
    suggestion = "remove the suppression, or fix the rule id"


@register
class IgnoreWithoutReason(_Reported):
    """## What it does
    Reports a suppression that gives no reason: `# alembic-safe: ignore[drop-column]` with
    nothing after it, or an `alembic_safe_ignore` entry with an empty reason.

    ## Why is this bad?
    The next reader cannot tell a deliberate decision from a silenced warning. The
    finding is still suppressed; this warning asks for the why.

    ## What to do instead
    Write the reason after the bracket:

    ```python
    op.drop_column("users", "legacy_flag")  # alembic-safe: ignore[drop-column] unmapped since v42 (ticket #512)
    ```

    ## PostgreSQL versions
    All.
    """

    id = "ignore-without-reason"
    severity = Severity.WARNING
    message = "the suppression of {rules} gives no reason"
    suggestion = "write why after the bracket: # alembic-safe: ignore[{first}] <reason>"
