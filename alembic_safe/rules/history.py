"""History rules: facts about the revision graph rather than one revision's plan."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from alembic.script import Script

from alembic_safe.rules.base import Finding, Rule, RuleContext, Severity, register

_DOWN_REVISION = re.compile(r"^down_revision\b", re.M)


def unintended_heads(scripts: Sequence[Script]) -> list[Script]:
    """The heads among ``scripts`` when there are several that no branch label separates.

    A head is a revision nothing revises (Alembic's own graph, so a range that stops
    before the real heads has none). Heads on named branches (``branch_labels``, which
    descendants inherit) with no label in common are a deliberate multi-branch history.
    """
    heads = [s for s in scripts if s.is_head]
    if len(heads) < 2:
        return []
    labels = [set(s.branch_labels or ()) for s in heads]
    separate = all(labels) and all(
        not (labels[i] & labels[j]) for i in range(len(labels)) for j in range(i + 1, len(labels))
    )
    return [] if separate else heads


def down_revision_line(path: str) -> int:
    """The line of ``down_revision =`` in a revision file (where the fork is), else 1."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 1
    match = _DOWN_REVISION.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


@register
class MultipleHeads(Rule):
    """## What it does
    Reports a history with more than one head: two revisions that revise the same parent
    (typically two branches merged in git, each with its own new revision), so nothing
    revises either of them. Reported on each head, at its `down_revision` line.

    ## Why is this bad?
    `alembic upgrade head` fails with "Multiple head revisions are present for given
    argument 'head'", so the deploy stops before anything runs; `alembic upgrade heads`
    runs both branches in an order nobody chose, and a revision of one branch may depend
    on a table the other creates.

    ## What to do instead
    Merge the heads with a revision of their own (Alembic writes it), after checking the
    two branches do not conflict:

    ```
    alembic merge -m "merge heads" 3f2a1b 9c8d7e
    ```

    ## Exemptions
    Heads on separate named branches (`branch_labels`) that share no label: a deliberate
    multi-branch history.

    ## PostgreSQL versions
    All.
    """

    id = "multiple-heads"
    severity = Severity.ERROR
    size_sensitive = False
    message = 'the history has {count} heads ({heads}): "alembic upgrade head" fails with "Multiple head revisions are present"'
    suggestion = 'alembic merge -m "merge heads" {heads_args}'

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        heads = ctx.heads
        if ctx.revision not in {h.revision for h in heads}:
            return
        names = [str(h.revision) for h in heads]
        yield ctx.report(
            self,
            None,
            count=len(names),
            heads=", ".join(names),
            heads_args=" ".join(names),
            subject="heads",
            line=down_revision_line(ctx.plan.path),
        )
