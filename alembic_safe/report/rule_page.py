"""``alembic-safe rule ID``: a rule's page (the same text as ``docs/rules/<id>.md``)."""

from __future__ import annotations

import difflib

from alembic_safe.errors import UsageError
from alembic_safe.rules import REGISTRY
from alembic_safe.rules.docs import render_page


def rule_command(rule_id: str) -> str:
    """The command that prints a rule's page, as findings name it."""
    return f"alembic-safe rule {rule_id}"


def page(rule_id: str) -> str:
    """The markdown page of ``rule_id``, or a usage error naming the closest id."""
    rule = REGISTRY.get(rule_id)
    if rule is None:
        guess = difflib.get_close_matches(rule_id, sorted(REGISTRY), n=1)
        raise UsageError(
            f"There is no rule {rule_id!r}.",
            hint=(f"Did you mean {guess[0]!r}? " if guess else "")
            + "List every rule with: alembic-safe rule --all",
        )
    lines = render_page(rule).splitlines()
    while lines and (lines[0].startswith("<!--") or not lines[0].strip()):
        lines.pop(0)  # the "generated from the docstring" note is for the repository's copy
    return "\n".join(lines)


def listing() -> str:
    """One line per rule: id, severity and what it flags."""
    width = max(len(rule_id) for rule_id in REGISTRY)
    lines = []
    for rule_id in sorted(REGISTRY):
        rule = REGISTRY[rule_id]
        what = rule.doc_sections().get("What it does", "").split("\n\n")[0]
        lines.append(f"{rule_id:<{width}}  {rule.severity.value:<7}  {' '.join(what.split())}")
    return "\n".join(lines)
