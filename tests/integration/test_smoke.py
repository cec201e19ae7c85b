"""The throwaway server, a project from the template pack, one guarded upgrade."""

from tests.support import Project, output


def test_guarded_upgrade_applies_and_records_history(project: Project) -> None:
    project.add(
        "r1",
        'op.create_table("accounts", sa.Column("id", sa.BigInteger, primary_key=True))',
        'op.drop_table("accounts")',
    )
    result = project.alembic("upgrade", "head")
    assert result.returncode == 0, output(result)
    assert project.database is not None
    assert project.database.version() == ["r1"]
    history = project.database.history()
    assert [(h["revision"], h["direction"], h["outcome"]) for h in history] == [
        ("r1", "upgrade", "applied")
    ]
