"""``docs/rules/<id>.md`` generated from the rule docstrings.

``python -m alembic_safe.rules.docs [DIR]`` (default ``docs/rules``) rewrites the pages and
the index; a unit test fails when a committed page differs from what this renders.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic_safe.rules import REGISTRY
from alembic_safe.rules.base import Rule

HEADER = "<!-- Generated from the rule's docstring by `python -m alembic_safe.rules.docs`; edit the docstring, not this file. -->"


def render_page(rule: Rule) -> str:
    facts = [
        f"- **Severity:** {rule.severity.value}",
        f"- **Data-loss risk:** {'yes (the guarded upgrade asks for confirmation)' if rule.destructive else 'no'}",
        f"- **Checks:** {' and '.join(f'`{d}()`' for d in rule.directions)}",
        f"- **Small tables (with `--url`):** {'reported as info' if rule.size_sensitive else 'no change'}",
        f"- **Suppress:** `# alembic-safe: ignore[{rule.id}] <reason>`",
        f"- **Since:** {rule.since}",
    ]
    return f"{HEADER}\n\n# {rule.id}\n\n" + "\n".join(facts) + f"\n\n{rule.doc()}\n"


def render_index() -> str:
    lines = [
        HEADER,
        "",
        "# Rules",
        "",
        "| id | severity | data loss | what it flags |",
        "| --- | --- | --- | --- |",
    ]
    for rule_id in sorted(REGISTRY):
        rule = REGISTRY[rule_id]
        what = rule.doc_sections()["What it does"].split("\n\n")[0].replace("\n", " ")
        loss = "yes" if rule.destructive else ""
        lines.append(f"| [{rule_id}]({rule_id}.md) | {rule.severity.value} | {loss} | {what} |")
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """File name -> content of every generated page."""
    result = {f"{rule_id}.md": render_page(rule) for rule_id, rule in REGISTRY.items()}
    result["README.md"] = render_index()
    return result


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in sorted(pages().items()):
        path = directory / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintenance script
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")
    for written in write(target):
        sys.stdout.write(f"wrote {written}\n")
