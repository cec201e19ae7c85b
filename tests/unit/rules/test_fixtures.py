"""Every rule against its annotated fixture revisions (ruff mdtest style).

A fixture is a revision file, or a folder of revision files that form a small history
(linted together, parents first); each line that must produce a finding ends with
``# <severity>: [rule-id, ...]``.  The test compares the exact set of (file, line,
severity, rule) of the unsuppressed findings with the annotations: a missing finding and
an extra one (from any rule) both fail.  Every rule has a ``bad_*``, an ``ok_*`` and an
``exempt_*`` fixture, except the few that only fire with a live database or on a file
that cannot be imported (tested in tests/integration/test_check.py).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from alembic.script import Script
from alembic.script.revision import RevisionMap

from alembic_safe.config import Settings
from alembic_safe.rules import REGISTRY, lint_scripts

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"(?<![\w-])(error|warning|info):\s*\[([^\]]+)\]")
NOT_OFFLINE = {"drop-index-used-by-constraint", "import-error"}
"""Rules that need a live database or an unimportable file: see the integration tests."""


def load_script(path: Path) -> Script:
    name = f"alembic_safe_fixture_{path.parent.name.replace('-', '_')}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return Script(module, module.revision, str(path))


def load_history(path: Path) -> list[Script]:
    """The revisions of a fixture, parents first (one file, or every file of a folder)."""
    if path.is_file():
        return [load_script(path)]
    scripts = [load_script(p) for p in sorted(path.glob("*.py"))]
    revision_map = RevisionMap(lambda: scripts)
    walked = revision_map.iterate_revisions("heads", "base", inclusive=True)
    order = [str(r.revision) for r in walked]
    return sorted(scripts, key=lambda s: -order.index(str(s.revision)))


def _files(path: Path) -> list[Path]:
    return [path] if path.is_file() else sorted(path.glob("*.py"))


def expected(path: Path) -> set[tuple[str, int, str, str]]:
    found = set()
    for file in _files(path):
        for number, line in enumerate(file.read_text().splitlines(), start=1):
            for severity, ids in EXPECT.findall(line):
                for rule in ids.split(","):
                    found.add((file.name, number, severity, rule.strip()))
    return found


def actual(path: Path, settings: Settings | None = None) -> set[tuple[str, int, str, str]]:
    findings = lint_scripts(load_history(path), settings or Settings())
    return {
        (Path(f.path).name, f.line, f.severity.value, f.rule)
        for f in findings
        if f.suppressed is None
    }


CASES = sorted([*FIXTURES.glob("*/*.py"), *(p for p in FIXTURES.glob("*/*") if p.is_dir())])


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_fixture_findings_match_annotations(path: Path) -> None:
    assert actual(path) == expected(path)


def test_every_rule_has_bad_ok_and_exempt_fixtures() -> None:
    missing = []
    for rule_id in REGISTRY:
        if rule_id in NOT_OFFLINE:
            continue
        names = [p.stem for p in (FIXTURES / rule_id).glob("*") if p.suffix == ".py" or p.is_dir()]
        for prefix in ("bad_", "ok_", "exempt_"):
            if not any(n.startswith(prefix) for n in names):
                missing.append(f"{rule_id}: no {prefix}*.py")
    assert missing == []


def test_bad_fixtures_trigger_their_own_rule() -> None:
    for path in FIXTURES.glob("*/bad_*"):
        if path.suffix == ".py" or path.is_dir():
            assert path.parent.name in {rule for *_, rule in expected(path)}, path


def test_fixture_folders_name_registered_rules() -> None:
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} <= set(REGISTRY)


def test_rules_that_read_some_statements_miss_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dispatch by statement class (``StatementRule.nodes``) finds what a full walk finds."""
    from alembic_safe.rules.base import StatementRule

    dispatched = {p: actual(p) for p in CASES}
    for rule in REGISTRY.values():
        if isinstance(rule, StatementRule) and rule.nodes is not None:
            monkeypatch.setattr(type(rule), "nodes", None)
    assert {p: actual(p) for p in CASES} == dispatched
