"""Every rule against its annotated fixture revisions (ruff mdtest style).

A fixture is a revision file; each line that must produce a finding ends with
``# <severity>: [rule-id, ...]``.  The test compares the exact set of (line, severity,
rule) of the unsuppressed findings with the annotations: a missing finding and an extra
one (from any rule) both fail.  Every rule has a ``bad_*``, an ``ok_*`` and an
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


def expected(path: Path) -> set[tuple[int, str, str]]:
    found = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        for severity, ids in EXPECT.findall(line):
            for rule in ids.split(","):
                found.add((number, severity, rule.strip()))
    return found


def actual(path: Path, settings: Settings | None = None) -> set[tuple[int, str, str]]:
    findings = lint_scripts([load_script(path)], settings or Settings())
    return {(f.line, f.severity.value, f.rule) for f in findings if f.suppressed is None}


CASES = sorted(FIXTURES.glob("*/*.py"))


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_fixture_findings_match_annotations(path: Path) -> None:
    assert actual(path) == expected(path)


def test_every_rule_has_bad_ok_and_exempt_fixtures() -> None:
    missing = []
    for rule_id in REGISTRY:
        if rule_id in NOT_OFFLINE:
            continue
        names = [p.stem for p in (FIXTURES / rule_id).glob("*.py")]
        for prefix in ("bad_", "ok_", "exempt_"):
            if not any(n.startswith(prefix) for n in names):
                missing.append(f"{rule_id}: no {prefix}*.py")
    assert missing == []


def test_bad_fixtures_trigger_their_own_rule() -> None:
    for path in FIXTURES.glob("*/bad_*.py"):
        assert path.parent.name in {rule for _, _, rule in expected(path)}, path


def test_fixture_folders_name_registered_rules() -> None:
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} <= set(REGISTRY)
