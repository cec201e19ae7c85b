"""The alembic-safe command line: exit codes and messages, no database needed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from alembic_safe import commands
from alembic_safe.cli import main
from tests.support import Project


@pytest.fixture
def in_tmp(tmp_path: Path) -> Path:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(cwd)


def test_init_writes_the_template_pack_and_refuses_to_overwrite(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "migrations"]) == 0
    for name in (
        "alembic.ini",
        "migrations/env.py",
        "migrations/script.py.mako",
        "migrations/README",
    ):
        assert (in_tmp / name).is_file(), name
    assert (in_tmp / "migrations" / "versions").is_dir()
    ini = (in_tmp / "alembic.ini").read_text()
    assert "script_location = %(here)s/migrations" in ini and "[alembic_safe]" in ini
    assert (
        "alembic_safe.run_migrations(context, target_metadata"
        in (in_tmp / "migrations/env.py").read_text()
    )
    capsys.readouterr()
    (in_tmp / "migrations" / "env.py").write_text("# mine")
    assert main(["init", "migrations"]) == 2
    err = capsys.readouterr().err
    assert (
        "Refusing to overwrite existing files: alembic.ini, migrations/README, migrations/env.py"
        in err
    )
    assert (in_tmp / "migrations" / "env.py").read_text() == "# mine"


def test_alembic_ini_example_is_the_rendered_template() -> None:
    example = Path(__file__).resolve().parents[2] / "alembic.ini.example"
    assert example.read_text() == commands.render_ini("%(here)s/migrations")


def test_script_template_has_header_preconditions_downgrade_and_verify(in_tmp: Path) -> None:
    assert main(["init", "migrations"]) == 0
    mako = (in_tmp / "migrations" / "script.py.mako").read_text()
    for part in (
        "Purpose:",
        "Ticket:",
        "Author:",
        "Impact:",
        "Risks:",
        "Post-migration tasks:",
        "def preconditions()",
        "def upgrade()",
        "def downgrade()",
        "def verify()",
        "irreversible",
    ):
        assert part in mako, part


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main([]) == 2


def test_missing_config_is_explained(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan"]) == 2
    err = capsys.readouterr().err
    assert "No Alembic configuration at alembic.ini" in err and "alembic-safe init" in err


def test_plan_reports_broken_files_and_still_plans_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = Project.create(tmp_path / "app", stock=True)
    files.add("r1", 'op.drop_column("users", "email")', "pass")
    broken = files.add("r2", "pass", "pass", extra="import not_installed_anywhere")
    assert main(["-c", str(files.ini), "plan"]) == 2
    out = capsys.readouterr().out
    assert f"error: {broken}" in out and "not_installed_anywhere" in out
    assert "DESTRUCTIVE: drops column" in out
    assert "downgrade problem: has an empty downgrade() (pass)" in out


def test_history_without_a_url_is_a_usage_error(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["init", "migrations"]) == 0
    capsys.readouterr()
    assert main(["history"]) == 2
    assert "No database URL" in capsys.readouterr().err
