"""The autogenerate rewrite, on hand-built directives (what compare_metadata produces)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import render
from alembic.autogenerate.api import AutogenContext
from alembic.operations import ops
from alembic.runtime.migration import MigrationContext

from alembic_safe import rewrite
from alembic_safe.config import Settings
from alembic_safe.errors import UnsafeMigrationError
from alembic_safe.operations.ops import (
    AddForeignKeyNotValidOp,
    AddNotNullOp,
    AddUniqueConstraintConcurrentlyOp,
    BackfillOp,
    CreateIndexConcurrentlyOp,
    DropIndexConcurrentlyOp,
    ValidateConstraintOp,
)

OPTS = {
    "alembic_module_prefix": "op.",
    "sqlalchemy_module_prefix": "sa.",
    "user_module_prefix": None,
}


def new_table(name: str = "user_phones", *columns: sa.Column[Any]) -> ops.CreateTableOp:
    return ops.CreateTableOp(
        name,
        [sa.Column("id", sa.Integer, primary_key=True), *columns],
    )


def generated(upgrade: list[Any], downgrade: list[Any] | None = None, message: str = "m") -> Any:
    up = ops.UpgradeOps(upgrade)
    down = ops.DowngradeOps(downgrade) if downgrade is not None else up.reverse()
    return ops.MigrationScript("abc123", up, down, message=message)


def run(script: Any, settings: Settings | None = None, user_hook: Any = None) -> dict[str, Any]:
    template_args: dict[str, Any] = {}
    context = MigrationContext.configure(
        dialect_name="postgresql", opts={"template_args": template_args, **OPTS}
    )
    hook = rewrite.process_revision_directives(settings or Settings(), user_hook)
    hook(context, ("head",), [script])
    return template_args


def source(script: Any) -> tuple[str, str]:
    context = MigrationContext.configure(dialect_name="postgresql", opts=dict(OPTS))
    autogen = AutogenContext(context, autogenerate=False)
    args: dict[str, Any] = {}
    render._render_python_into_templatevars(autogen, script, args)
    for body in (args["upgrades"], args["downgrades"]):
        compile("def f():\n    " + body, "<generated>", "exec")
    return args["upgrades"], args["downgrades"]


def flat(container: ops.OpContainer) -> list[Any]:
    result = []
    for op in container.ops:
        result.extend(flat(op) if isinstance(op, ops.OpContainer) else [op])
    return result


def test_index_on_an_existing_table_becomes_concurrent() -> None:
    script = generated(
        [ops.ModifyTableOps("users", [ops.CreateIndexOp("ix_users_name", "users", ["name"])])]
    )
    run(script)
    upgrade, downgrade = source(script)
    assert "op.create_index_concurrently('ix_users_name', 'users', ['name'])" in upgrade
    assert "op.drop_index_concurrently('ix_users_name', 'users')" in downgrade
    assert [type(o) for o in flat(script.upgrade_ops)] == [CreateIndexConcurrentlyOp]
    assert [type(o) for o in flat(script.downgrade_ops)] == [DropIndexConcurrentlyOp]


def test_operations_on_a_table_created_in_the_revision_stay_as_they_are() -> None:
    script = generated(
        [
            new_table("user_phones", sa.Column("number", sa.Text)),
            ops.ModifyTableOps(
                "user_phones",
                [
                    ops.CreateIndexOp("ix_user_phones_number", "user_phones", ["number"]),
                    ops.AlterColumnOp("user_phones", "number", modify_nullable=False),
                ],
            ),
        ]
    )
    run(script)
    kinds = [type(o) for o in flat(script.upgrade_ops)]
    assert kinds == [ops.CreateTableOp, ops.CreateIndexOp, ops.AlterColumnOp]
    assert [type(o) for o in flat(script.downgrade_ops)] == [
        ops.AlterColumnOp,
        ops.DropIndexOp,
        ops.DropTableOp,
    ]


def test_unnamed_foreign_key_gets_postgres_name_in_both_directions() -> None:
    fk = ops.CreateForeignKeyOp(None, "orders", "users", ["user_id"], ["id"])
    script = generated([ops.ModifyTableOps("orders", [fk])])
    run(script)
    upgrade, downgrade = source(script)
    assert [type(o) for o in flat(script.upgrade_ops)] == [
        AddForeignKeyNotValidOp,
        ValidateConstraintOp,
    ]
    assert (
        "op.add_foreign_key_not_valid('orders_user_id_fkey', 'orders', 'users', ['user_id'], ['id'])"
        in upgrade
    )
    assert "op.validate_constraint('orders_user_id_fkey', 'orders')" in upgrade
    assert "op.drop_constraint('orders_user_id_fkey', 'orders', type_='foreignkey')" in downgrade


def test_unique_constraint_becomes_a_concurrent_unique_index() -> None:
    uq = ops.CreateUniqueConstraintOp(None, "users", ["email", "tenant_id"])
    script = generated([ops.ModifyTableOps("users", [uq])])
    run(script)
    upgrade, downgrade = source(script)
    (op,) = flat(script.upgrade_ops)
    assert isinstance(op, AddUniqueConstraintConcurrentlyOp)
    assert (
        "op.add_unique_constraint_concurrently('users_email_tenant_id_key', 'users', "
        "['email', 'tenant_id'])"
    ) in upgrade
    assert "op.drop_constraint('users_email_tenant_id_key', 'users', type_='unique')" in downgrade


def test_check_constraint_becomes_not_valid_and_validate() -> None:
    ck = ops.CreateCheckConstraintOp("ck_orders_total", "orders", "total >= 0")
    script = generated([ops.ModifyTableOps("orders", [ck])])
    run(script)
    upgrade, _ = source(script)
    assert "op.add_check_constraint_not_valid('ck_orders_total', 'orders', 'total >= 0')" in upgrade
    assert "op.validate_constraint('ck_orders_total', 'orders')" in upgrade


def test_not_null_on_an_existing_column() -> None:
    only = ops.AlterColumnOp(
        "users", "email", existing_type=sa.Text(), existing_nullable=True, modify_nullable=False
    )
    with_type = ops.AlterColumnOp(
        "users",
        "name",
        existing_type=sa.String(50),
        modify_type=sa.String(100),
        existing_nullable=True,
        modify_nullable=False,
    )
    script = generated([ops.ModifyTableOps("users", [only, with_type])])
    run(script)
    upgrade, downgrade = source(script)
    ops_ = flat(script.upgrade_ops)
    assert [type(o) for o in ops_] == [AddNotNullOp, ops.AlterColumnOp, AddNotNullOp]
    assert ops_[1].modify_nullable is None and ops_[1].modify_type is not None
    assert "op.add_not_null('users', 'email')" in upgrade
    assert "op.add_not_null('users', 'name')" in upgrade
    assert "nullable=True" in downgrade  # Alembic's own reverse: DROP NOT NULL, instant


def test_grants_for_new_tables_and_their_serial_sequence() -> None:
    identity = ops.CreateTableOp(
        "events", [sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True)]
    )
    script = generated([new_table("user_phones"), identity])
    run(script, Settings(app_role="app_user"))
    upgrade, downgrade = source(script)
    assert upgrade.index("op.create_table('user_phones'") < upgrade.index(
        "op.execute('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE user_phones TO app_user')"
    )
    assert "op.execute('GRANT USAGE, SELECT ON SEQUENCE user_phones_id_seq TO app_user')" in upgrade
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE events TO app_user" in upgrade
    assert "ON SEQUENCE events" not in upgrade  # identity columns need no sequence grant
    revoke = (
        "op.execute('REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLE user_phones FROM app_user')"
    )
    assert downgrade.index(revoke) < downgrade.index("op.drop_table('user_phones')")
    assert "REVOKE USAGE, SELECT ON SEQUENCE user_phones_id_seq FROM app_user" in downgrade


def test_grant_statements_quote_and_qualify() -> None:
    grants, revokes = rewrite.grant_statements(
        ops.CreateTableOp("Phones", [sa.Column("id", sa.Integer, primary_key=True)], schema="app"),
        "App Role",
    )
    assert grants == [
        'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE app."Phones" TO "App Role"',
        'GRANT USAGE, SELECT ON SEQUENCE app."Phones_id_seq" TO "App Role"',
    ]
    assert revokes[0] == 'REVOKE USAGE, SELECT ON SEQUENCE app."Phones_id_seq" FROM "App Role"'


def test_without_app_role_a_task_reminds_of_the_grants() -> None:
    script = generated([new_table("user_phones")])
    fields = run(script)
    assert "GRANT" not in source(script)[0]
    assert fields["tasks"].startswith("- [ ] grant the application's role access to user_phones")


def test_empty_downgrade_is_repaired() -> None:
    add = ops.AddColumnOp("users", sa.Column("phone", sa.Text()))
    script = generated([ops.ModifyTableOps("users", [add])], downgrade=[])
    run(script)
    _, downgrade = source(script)
    assert "op.drop_column('users', 'phone')" in downgrade


@pytest.mark.parametrize(
    ("upgrade", "message"),
    [
        ([ops.ExecuteSQLOp("UPDATE users SET a = 1")], "  Cannot reverse:\n    execute\n"),
        (
            [BackfillOp("users", values={"a": "1"})],
            "leave nothing to reverse automatically (backfill)",
        ),
    ],
)
def test_irreversible_upgrade_with_empty_downgrade_is_refused(
    upgrade: list[Any], message: str
) -> None:
    script = generated(upgrade, downgrade=[])
    with pytest.raises(UnsafeMigrationError, match="refused to write the revision") as info:
        run(script)
    assert message in info.value.format_message()


def test_user_hook_runs_first_and_its_operations_are_rewritten() -> None:
    def user_hook(context: Any, revision: Any, directives: list[Any]) -> None:
        index = ops.CreateIndexOp("ix_users_email", "users", ["email"])
        directives[0].upgrade_ops.ops.append(index)
        directives[0].downgrade_ops.ops.insert(0, index.reverse())

    script = generated([])
    run(script, user_hook=user_hook)
    assert [type(o) for o in flat(script.upgrade_ops)] == [CreateIndexConcurrentlyOp]


def test_template_fields() -> None:
    script = generated(
        [
            new_table("user_phones"),
            ops.ModifyTableOps(
                "users",
                [
                    ops.AddColumnOp("users", sa.Column("phone", sa.Text())),
                    ops.CreateIndexOp("ix_users_phone", "users", ["phone"]),
                ],
            ),
        ],
        message="phones for users (PROJ-7)",
    )
    fields = run(script)
    assert fields["ticket"] == " PROJ-7"
    assert fields["preconditions"].split("\n    ") == [
        "op.require_table('user_phones', exists=False)",
        "op.require_table('users')",
        "op.require_column('users', 'phone', exists=False)",
    ]
    assert fields["verify"].split("\n    ") == [
        "op.require_table('user_phones')",
        "op.require_column('users', 'phone')",
        "op.require_index('ix_users_phone')",
    ]
    impact = fields["impact"].splitlines()
    assert (
        impact[0] == " 3 step(s) on user_phones, users, 1 of them outside the migration transaction"
    )
    assert impact[3].startswith("- users: create_index_concurrently (SHARE UPDATE EXCLUSIVE")
    assert fields["risks"].startswith("\n- not atomic: create_index_concurrently commit")


def test_empty_revision_keeps_the_template_defaults() -> None:
    fields = run(generated([], downgrade=[]))
    assert "preconditions" not in fields and "impact" not in fields


def test_render_as_batch_runs_safe_operations_after_the_batch_block() -> None:
    script = generated(
        [
            ops.ModifyTableOps(
                "users",
                [
                    ops.AddColumnOp("users", sa.Column("phone", sa.Text())),
                    ops.CreateIndexOp("ix_users_phone", "users", ["phone"]),
                ],
            )
        ]
    )
    context = MigrationContext.configure(
        dialect_name="postgresql", opts={"template_args": {}, "render_as_batch": True, **OPTS}
    )
    rewrite.process_revision_directives()(context, ("head",), [script])
    container, index = script.upgrade_ops.ops
    assert isinstance(container, ops.ModifyTableOps)
    assert [type(o) for o in container.ops] == [ops.AddColumnOp]
    assert isinstance(index, CreateIndexConcurrentlyOp)
    index_drop, container = script.downgrade_ops.ops
    assert isinstance(index_drop, DropIndexConcurrentlyOp)
    assert [type(o) for o in container.ops] == [ops.DropColumnOp]


# ----------------------------------------------------------------------------- volatile defaults


def run_with_model(script: Any, metadata: sa.MetaData) -> None:
    context = MigrationContext.configure(
        dialect_name="postgresql", opts={"target_metadata": metadata, **OPTS}
    )
    rewrite.process_revision_directives(Settings())(context, ("head",), [script])


def items_model() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table("items", metadata, sa.Column("item_id", sa.Integer, primary_key=True))
    return metadata


def test_volatile_default_becomes_add_default_backfill_not_null() -> None:
    column = sa.Column(
        "token", sa.Uuid(), nullable=False, server_default=sa.text("gen_random_uuid()")
    )
    script = generated([ops.ModifyTableOps("items", [ops.AddColumnOp("items", column)])])
    run_with_model(script, items_model())
    upgrade, downgrade = source(script)
    assert [line.strip() for line in upgrade.splitlines()] == [
        "# ### commands auto generated by Alembic - please adjust! ###",
        "op.add_column('items', sa.Column('token', sa.Uuid(), nullable=True))",
        "op.alter_column('items', 'token',",
        "existing_type=sa.Uuid(),",
        "server_default=sa.text('gen_random_uuid()'),",
        "existing_nullable=True)",
        "op.backfill('items', set={'token': 'gen_random_uuid()'}, where='token IS NULL', key='item_id')",
        "op.add_not_null('items', 'token')",
        "# ### end Alembic commands ###",
    ]
    assert "op.drop_column('items', 'token')" in downgrade


@pytest.mark.parametrize(
    "default",
    [sa.text("now()"), sa.text("'en'"), "en", sa.text("lower('X')")],
)
def test_stable_and_constant_defaults_stay_as_they_are(default: Any) -> None:
    column = sa.Column("locale", sa.Text(), server_default=default)
    script = generated([ops.ModifyTableOps("items", [ops.AddColumnOp("items", column)])])
    run_with_model(script, items_model())
    assert [type(op) for op in flat(script.upgrade_ops)] == [ops.AddColumnOp]
    assert flat(script.upgrade_ops)[0].column.server_default is not None


def test_volatile_default_on_a_new_table_stays() -> None:
    column = sa.Column("token", sa.Uuid(), server_default=sa.text("gen_random_uuid()"))
    script = generated([new_table("fresh", column)])
    run_with_model(script, items_model())
    assert [type(op) for op in flat(script.upgrade_ops)] == [ops.CreateTableOp]


# ----------------------------------------------------------------------------- type changes


def alter_type(new: Any, old: Any, **kw: Any) -> ops.AlterColumnOp:
    return ops.AlterColumnOp(
        "items", "n", existing_type=old, modify_type=new, existing_nullable=False, **kw
    )


def test_rewriting_type_change_becomes_the_online_change_both_ways() -> None:
    script = generated([ops.ModifyTableOps("items", [alter_type(sa.BigInteger(), sa.INTEGER())])])
    run(script)
    upgrade, downgrade = source(script)
    assert (
        "op.alter_column_type_online('items', 'n', sa.BigInteger(), "
        "existing_type=sa.INTEGER(), existing_nullable=False)"
    ) in upgrade
    assert (
        "op.alter_column_type_online('items', 'n', sa.INTEGER(), "
        "existing_type=sa.BigInteger(), existing_nullable=False)"
    ) in downgrade
    assert "op.alter_column(" not in upgrade


def test_type_change_with_not_null_keeps_both() -> None:
    op = alter_type(sa.BigInteger(), sa.INTEGER(), modify_nullable=False)
    op.existing_nullable = True
    script = generated([ops.ModifyTableOps("items", [op])])
    run(script)
    names = [type(o).__name__ for o in flat(script.upgrade_ops)]
    assert names == ["AlterColumnTypeOnlineOp", "AddNotNullOp"]


@pytest.mark.parametrize(
    ("new", "old"),
    [
        (sa.String(50), sa.String(20)),
        (sa.Text(), sa.String(20)),
        (sa.Numeric(12, 2), sa.Numeric(10, 2)),
    ],
)
def test_metadata_only_type_changes_stay_alter_column(new: Any, old: Any) -> None:
    script = generated([ops.ModifyTableOps("items", [alter_type(new, old)])])
    run(script)
    assert [type(o) for o in flat(script.upgrade_ops)] == [ops.AlterColumnOp]
