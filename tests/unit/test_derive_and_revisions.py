"""Derived preconditions and post-checks; docstring headers; reversibility."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.config import Config

from alembic_safe import checks
from alembic_safe.analysis import derive
from alembic_safe.analysis.reversibility import reversibility
from alembic_safe.capture.header import parse_header
from alembic_safe.capture.project import Project as AlembicProject
from alembic_safe.record import RecordBook
from tests.support import Project


@pytest.fixture
def files(tmp_path: Path) -> Project:
    return Project.create(tmp_path / "app")


def plan_of(files: Project, rev: str) -> tuple[list[str], list[str]]:
    project = AlembicProject.load(Config(str(files.ini)))
    pre, post = derive.derive(RecordBook.of(project).plan(project.revisions(rev)[0], "upgrade"))
    return [c.description for c in pre], [c.description for c in post]


def test_add_column_and_index_on_existing_table(files: Project) -> None:
    files.add(
        "r1",
        """
op.add_column("users", sa.Column("email", sa.Text()))
op.create_index("ix_users_email", "users", ["email"])
op.create_foreign_key("fk_users_org", "users", "orgs", ["org_id"], ["id"])
""",
        "pass",
    )
    pre, post = plan_of(files, "r1")
    assert pre == [
        'table "users" exists',
        'column "users"."email" does not exist',
        'the name "ix_users_email" is free',
        'table "orgs" exists',
        'constraint "fk_users_org" on "users" does not exist',
    ]
    assert post == [
        'column "users"."email" exists',
        'index "ix_users_email" exists',
        'constraint "fk_users_org" on "users" exists',
    ]


def test_a_foreign_key_between_schemas_is_checked_in_both(files: Project) -> None:
    files.add(
        "r1",
        """
op.create_foreign_key("fk_events_user", "events", "users", ["user_id"], ["id"],
                      source_schema="audit", referent_schema="sales")
""",
        "pass",
    )
    pre, post = plan_of(files, "r1")
    assert pre == [
        'table "audit.events" exists',
        'table "sales.users" exists',
        'constraint "fk_events_user" on "audit.events" does not exist',
    ]
    assert post == ['constraint "fk_events_user" on "audit.events" exists']


def test_objects_created_in_the_same_revision_are_not_checked_before(files: Project) -> None:
    files.add(
        "r1",
        """
op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))
op.add_column("users", sa.Column("email", sa.Text()))
op.create_index("ix_users_email", "users", ["email"], if_not_exists=True)
op.drop_column("users", "email")
""",
        "pass",
    )
    pre, post = plan_of(files, "r1")
    assert pre == ['the name "users" is free']
    assert post == [
        'table "users" exists',
        'column "users"."email" does not exist',
        'index "ix_users_email" exists',
    ]


def test_rename_and_nullability(files: Project) -> None:
    files.add(
        "r1",
        """
op.rename_table("people", "persons")
op.alter_column("persons", "name", new_column_name="full_name", nullable=False, schema=None)
""",
        "pass",
    )
    pre, post = plan_of(files, "r1")
    assert pre == ['table "people" exists', 'the name "persons" is free']
    assert 'column "persons"."full_name" is NOT NULL' in post
    assert 'table "people" does not exist' in post


def test_do_block_quotes_names_and_messages() -> None:
    check = checks.column_exists("sch", "we'ird", 'col"x')
    block = checks.render_do_block([check], "Pre-migration validation")
    assert "to_regclass('\"sch\".\"we''ird\"')" in block
    assert "a.attname = 'col\"x'" in block
    assert block.startswith("-- Pre-migration validation\nDO $alembic_safe$") and block.endswith(
        "END $alembic_safe$;"
    )


def test_header_fields_from_the_template_docstring() -> None:
    header = parse_header(
        """add phone

        Purpose: SMS notifications
        Ticket: #123
        Author: Dean
        Risks: low - nullable column
          no data migration
        Post-migration tasks:
        - [ ] Update UserService
        - [x] Update the API docs

        Revision ID: abc
        Revises: def
        """
    )
    assert header.title == "add phone"
    assert header.get("purpose") == "SMS notifications"
    assert header.get("ticket") == "#123"
    assert header.get("risks") == "low - nullable column\nno data migration"
    assert header.tasks == ["Update UserService", "Update the API docs"]
    assert parse_header("just a message").get("purpose") == "just a message"


@pytest.mark.parametrize(
    ("upgrade", "downgrade", "extra", "ok", "problem"),
    [
        (
            'op.add_column("t", sa.Column("c", sa.Integer))',
            'op.drop_column("t", "c")',
            "",
            True,
            "",
        ),
        (
            'op.add_column("t", sa.Column("c", sa.Integer))',
            "pass",
            "",
            False,
            "empty downgrade() (pass)",
        ),
        (
            'op.add_column("t", sa.Column("c", sa.Integer))',
            '"""doc only"""',
            "",
            False,
            "only docstring",
        ),
        (
            'op.add_column("t", sa.Column("c", sa.Integer))',
            "raise NotImplementedError",
            "",
            False,
            "NotImplementedError",
        ),
        (
            'op.add_column("t", sa.Column("c", sa.Integer))',
            "return",
            "",
            False,
            "emits no operations",
        ),
        (
            'op.add_column("t", sa.Column("c", sa.Integer))',
            "pass",
            'irreversible = "data is gone"',
            True,
            "",
        ),
        (
            'op.add_column("t", sa.Column("c", sa.Integer))',
            "pass",
            "irreversible = 1",
            False,
            "not a reason",
        ),
        ("pass", "pass", "", True, ""),
    ],
)
def test_reversibility(
    files: Project, upgrade: str, downgrade: str, extra: str, ok: bool, problem: str
) -> None:
    files.add("r1", upgrade, downgrade, extra=extra)
    project = AlembicProject.load(Config(str(files.ini)))
    script = project.revisions()[0]
    result = reversibility(
        script,
        RecordBook.of(project).plan(script, "upgrade"),
        RecordBook.of(project).plan(script, "downgrade"),
    )
    assert result.ok is ok
    assert problem in result.problem
