"""The revision record: each revision's functions run once per command, and the consumers agree.

A revision that appends a line to a file whenever one of its functions runs proves how
often ``doc``, ``check``, ``export`` and ``plan`` run the user's code.  The agreement tests
give the same revisions to the guard's confirmation, the linter and the impact page, and
check that they tell the same story.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from alembic_safe import cli
from alembic_safe.analysis import backup_policy, volatility
from alembic_safe.capture.project import Project as AlembicProject
from alembic_safe.commands import config_from
from alembic_safe.config import Settings
from alembic_safe.docs.model import build
from alembic_safe.docs.sqlscript import order
from alembic_safe.record import RecordBook
from tests.support import Project

COUNTING = """
with open({log!r}, "a") as _log:
    _log.write("{rev} {function}\\n")
"""


def counting(log: Path, rev: str, function: str, body: str) -> str:
    return COUNTING.format(log=str(log), rev=rev, function=function) + body


@pytest.fixture
def counted(tmp_path: Path) -> tuple[Project, Path]:
    """Four revisions whose upgrade() and downgrade() log every run."""
    project = Project.create(tmp_path / "app")
    log = tmp_path / "runs.log"
    bodies = {
        "a1": (
            'op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))',
            'op.drop_table("users")',
        ),
        "b2": (
            'op.add_column("users", sa.Column("email", sa.String(200)))',
            'op.drop_column("users", "email")',
        ),
        "c3": (
            'op.create_index("ix_users_email", "users", ["email"])',
            'op.drop_index("ix_users_email", table_name="users")',
        ),
        "d4": (
            'op.execute("UPDATE users SET email = lower(email) WHERE email <> lower(email)")',
            "pass",
        ),
    }
    for rev, (up, down) in bodies.items():
        project.add(
            rev,
            counting(log, rev, "upgrade", up),
            counting(log, rev, "downgrade", down),
            extra='irreversible = "lower-cased emails cannot be restored"\n' if rev == "d4" else "",
        )
    return project, log


def runs(log: Path) -> Counter[str]:
    return Counter(log.read_text().splitlines()) if log.exists() else Counter()


@pytest.mark.parametrize(
    "command",
    [
        ["doc"],
        ["check"],
        ["plan"],
        ["export", "sql-out"],
    ],
)
def test_each_command_runs_every_function_at_most_once(
    counted: tuple[Project, Path],
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project, log = counted
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("ALEMBIC_SAFE_JOBS", "1")
    code = cli.main(command)
    out = capsys.readouterr()
    assert code in (0, 1), out.err
    counts = runs(log)
    assert counts, "the revisions never ran"
    assert {key for key, seen in counts.items() if seen > 1} == set(), counts
    assert set(counts) == {
        f"{r} {f}" for r in ("a1", "b2", "c3", "d4") for f in ("upgrade", "downgrade")
    }


def test_the_record_captures_each_direction_once_whoever_asks(
    counted: tuple[Project, Path],
) -> None:
    project, log = counted
    loaded = AlembicProject.load(config_from(project.ini))
    book = RecordBook.of(loaded)
    scripts = loaded.all_revisions()
    book.lint(scripts, parallel=False)
    docs = build(loaded, order(book, scripts), stats=None)
    for doc in docs:
        assert doc.impact.downtime is not None
        assert doc.preconditions is not None
        assert doc.record.reversibility.ok
        doc.record.destructions("downgrade")
    assert max(runs(log).values()) == 1
    assert all(book.get(s).captured == ("upgrade", "downgrade") for s in scripts)


# --------------------------------------------------------------------------- agreement


def judged(project: Project, rev: str) -> dict[str, object]:
    """What the linter, the guard's confirmation and the page say about one revision."""
    loaded = AlembicProject.load(config_from(project.ini))
    book = RecordBook.of(loaded)
    scripts = loaded.all_revisions()
    book.lint(scripts, parallel=False)
    record = next(book.get(s) for s in scripts if s.revision == rev)
    doc = next(d for d in build(loaded, order(book, scripts), stats=None) if d.revision == rev)
    findings = record.findings or []
    return {
        "destructive findings": sorted(f.rule for f in findings if f.destructive),
        "rules": sorted(f.rule for f in findings),
        "confirm": [d.reason for d in record.destructions("upgrade")],
        "page destroys": [d.reason for d in doc.destroys],
        "downtime": doc.impact.downtime.value,
        "costs": [c.what for _, c in doc.impact.costs],
        "backup": backup_policy.decide(
            Settings(backup="destructive"), [record.pending("upgrade")]
        ).due,
    }


def test_uuidv7_default_is_volatile_for_the_linter_and_the_page(tmp_path: Path) -> None:
    assert "uuidv7" in volatility.VOLATILE
    project = Project.create(tmp_path / "app")
    project.add("a1", 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))')
    project.add(
        "b2",
        'op.add_column("t", sa.Column("u", sa.Uuid, server_default=sa.text("uuidv7()")))',
        'op.drop_column("t", "u")',
    )
    facts = judged(project, "b2")
    assert "add-column-volatile-default" in facts["rules"]
    assert facts["downtime"] == "yes"
    assert any("volatile default (uuidv7())" in str(c) for c in facts["costs"])  # type: ignore[attr-defined]


def test_drop_index_cascade_is_destructive_for_the_guard_the_linter_and_the_page(
    tmp_path: Path,
) -> None:
    project = Project.create(tmp_path / "app")
    project.add("a1", 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))')
    project.add(
        "b2",
        'op.execute("DROP INDEX ux_users_email CASCADE")',
        'op.execute("CREATE UNIQUE INDEX ux_users_email ON t (id)")',
    )
    facts = judged(project, "b2")
    assert facts["destructive findings"] == ["destructive-statement"]
    assert len(facts["confirm"]) == 1 and "CASCADE" in str(facts["confirm"])
    assert facts["page destroys"] == facts["confirm"]
    assert facts["backup"] is True


def test_drop_column_and_narrowing_agree_everywhere(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "app")
    project.add(
        "a1",
        'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), '
        'sa.Column("name", sa.String(100)), sa.Column("old", sa.Text))',
    )
    project.add(
        "b2",
        'op.drop_column("t", "old")\n'
        'op.alter_column("t", "name", type_=sa.String(50), existing_type=sa.String(100))',
        'op.alter_column("t", "name", type_=sa.String(100), existing_type=sa.String(50))\n'
        'op.add_column("t", sa.Column("old", sa.Text))',
    )
    facts = judged(project, "b2")
    assert facts["destructive findings"] == ["drop-column", "narrow-column-type"]
    assert len(facts["confirm"]) == 2
    assert facts["page destroys"] == facts["confirm"]


def test_backup_policy_counts_incomplete_plans_for_the_guard_and_the_page(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "app")
    project.add("a1", 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))')
    project.add(
        "b2",
        'rows = op.get_bind().execute(sa.text("SELECT id FROM t")).fetchall()\n'
        'op.execute("UPDATE t SET id = id WHERE false")',
    )
    facts = judged(project, "b2")
    assert facts["confirm"] == []
    assert facts["backup"] is True  # backup = destructive, but what b2 does is not known
