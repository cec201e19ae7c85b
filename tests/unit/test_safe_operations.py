"""The safe operations offline: exact SQL, plan capture, reverse() and autogenerate rendering."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import op as alembic_op
from alembic.autogenerate import render
from alembic.autogenerate.api import AutogenContext
from alembic.operations import Operations
from alembic.operations import ops as alembic_ops

from alembic_safe.capture.plan import op_name
from alembic_safe.operations import preconditions as pre
from alembic_safe.operations.ops import (
    SAFE_OPERATIONS,
    AddCheckConstraintNotValidOp,
    AddForeignKeyNotValidOp,
    AddNotNullOp,
    AddUniqueConstraintConcurrentlyOp,
    AlterColumnTypeOnlineOp,
    BackfillOp,
    CreateIndexConcurrentlyOp,
    DropIndexConcurrentlyOp,
    NoReverseOp,
    ValidateConstraintOp,
)
from tests.support import OfflineOps


@pytest.fixture
def ops() -> OfflineOps:
    return OfflineOps()


# ----------------------------------------------------------------------------- offline SQL


def test_create_index_concurrently_leaves_the_transaction(ops: OfflineOps) -> None:
    with ops.context.begin_transaction():
        ops.op.execute("SELECT 1")
        ops.op.create_index_concurrently("ix_users_email", "users", ["email"])
    assert ops.statements() == [
        "BEGIN",
        "SELECT 1",
        "COMMIT",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_users_email ON users (email)",
        "BEGIN",
        "COMMIT",
    ]


def test_create_index_concurrently_options(ops: OfflineOps) -> None:
    ops.op.create_index_concurrently(
        "ix_active",
        "users",
        ["email", sa.text("lower(name)")],
        unique=True,
        schema="app",
        if_not_exists=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
        postgresql_include=["id"],
    )
    assert ops.statements() == [
        "COMMIT",
        "CREATE UNIQUE INDEX CONCURRENTLY ix_active ON app.users (email, lower(name)) "
        "INCLUDE (id) WHERE deleted_at IS NULL",
        "BEGIN",
    ]


def test_drop_index_concurrently(ops: OfflineOps) -> None:
    ops.op.drop_index_concurrently("ix_users_email", "users", schema="app")
    ops.op.drop_index_concurrently("Ix Mixed", if_exists=False)
    assert ops.statements() == [
        "COMMIT",
        "DROP INDEX CONCURRENTLY IF EXISTS app.ix_users_email",
        "BEGIN",
        "COMMIT",
        'DROP INDEX CONCURRENTLY "Ix Mixed"',
        "BEGIN",
    ]


def test_foreign_key_and_check_not_valid_stay_in_the_transaction(ops: OfflineOps) -> None:
    ops.op.add_foreign_key_not_valid(
        "fk_orders_user_id_users",
        "orders",
        "users",
        ["user_id"],
        ["id"],
        ondelete="CASCADE",
        source_schema="shop",
        referent_schema="auth",
    )
    ops.op.add_check_constraint_not_valid("ck_orders_total", "orders", "total >= 0")
    ops.op.add_check_constraint_not_valid("ck_orders_qty", "orders", sa.column("qty") > 0)
    assert ops.statements() == [
        "ALTER TABLE shop.orders ADD CONSTRAINT fk_orders_user_id_users FOREIGN KEY(user_id) "
        "REFERENCES auth.users (id) ON DELETE CASCADE NOT VALID",
        "ALTER TABLE orders ADD CONSTRAINT ck_orders_total CHECK (total >= 0) NOT VALID",
        "ALTER TABLE orders ADD CONSTRAINT ck_orders_qty CHECK (qty > 0) NOT VALID",
    ]


def test_validate_constraint_runs_in_its_own_transaction(ops: OfflineOps) -> None:
    ops.op.validate_constraint("fk_orders_user_id_users", "orders", schema="shop")
    assert ops.statements() == [
        "COMMIT",
        "ALTER TABLE shop.orders VALIDATE CONSTRAINT fk_orders_user_id_users",
        "BEGIN",
    ]


def test_add_not_null_four_steps(ops: OfflineOps) -> None:
    ops.op.add_not_null("users", "email")
    assert ops.statements() == [
        "COMMIT",
        "ALTER TABLE users ADD CONSTRAINT users_email_not_null_check CHECK (email IS NOT NULL) NOT VALID",
        "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null_check",
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL",
        "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_not_null_check",
        "BEGIN",
    ]


def test_add_not_null_check_name_fits_postgres_limit(ops: OfflineOps) -> None:
    table, column = "t" * 40, "c" * 40
    ops.op.add_not_null(table, column)
    name = "t" * 24 + "_" + "c" * 23 + "_not_null_check"
    assert len(name) == 63
    assert ops.statements()[1].startswith(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK")


def test_add_unique_constraint_concurrently(ops: OfflineOps) -> None:
    ops.op.add_unique_constraint_concurrently(
        "uq_users_email", "users", ["email", "tenant_id"], deferrable=True, initially="DEFERRED"
    )
    assert ops.statements() == [
        "COMMIT",
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_users_email ON users (email, tenant_id)",
        "ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email "
        "DEFERRABLE INITIALLY DEFERRED",
        "BEGIN",
    ]


def test_backfill_renders_a_committing_do_block(ops: OfflineOps) -> None:
    ops.op.backfill("users", set={"locale": "'en'"}, where="locale IS NULL", batch_size=500)
    statements = ops.statements()
    assert statements[0] == "COMMIT"
    assert statements[-1] == "BEGIN"
    block = statements[1]
    assert block.startswith("DO $alembic_safe$\nDECLARE\n    alembic_safe_last users.id%TYPE;")
    assert (
        "WITH batch AS (SELECT id AS alembic_safe_key FROM users WHERE (alembic_safe_last IS "
        "NULL OR id > alembic_safe_last) AND (locale IS NULL) ORDER BY id LIMIT 500 FOR UPDATE), "
        "updated AS (UPDATE users SET locale = 'en' FROM batch "
        "WHERE users.id = batch.alembic_safe_key RETURNING users.id AS k)"
    ) in block
    assert "        COMMIT;\n" in block
    assert block.endswith("END $alembic_safe$")


def test_backfill_default_condition_skips_rows_already_done(ops: OfflineOps) -> None:
    ops.op.backfill(
        "orders",
        set={"total_cents": "round(total * 100)", "status": sa.literal("new")},
        key="order_id",
    )
    block = ops.statements()[1]
    assert (
        "AND ((total_cents, status) IS DISTINCT FROM (round(total * 100), 'new')) ORDER BY order_id"
    ) in block
    assert "alembic_safe_last orders.order_id%TYPE;" in block


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda op: op.backfill("users", set={}), "needs at least one column"),
        (lambda op: op.backfill("users", set={"a": "1"}, batch_size=0), "batch_size must be"),
        (
            lambda op: op.backfill("users", set={"a": 1}),
            "must be SQL strings or SQLAlchemy expressions",
        ),
        (
            lambda op: op.add_foreign_key_not_valid(None, "orders", "users", ["u"], ["id"]),
            "add_foreign_key_not_valid() needs a constraint name",
        ),
        (
            lambda op: op.add_check_constraint_not_valid("", "orders", "x > 0"),
            "add_check_constraint_not_valid() needs a constraint name",
        ),
        (
            lambda op: op.add_unique_constraint_concurrently(None, "users", ["email"]),
            "add_unique_constraint_concurrently() needs a constraint name",
        ),
    ],
)
def test_bad_arguments_say_what_to_do(ops: OfflineOps, call: object, message: str) -> None:
    with pytest.raises((ValueError, TypeError)) as info:
        call(ops.op)  # type: ignore[operator]
    assert message in str(info.value)


# ----------------------------------------------------------------------------- the model


def test_every_safe_operation_is_documented_on_op() -> None:
    for cls in SAFE_OPERATIONS:
        name = op_name(cls.__new__(cls))
        method = getattr(Operations, name)
        assert method.__doc__ and "e.g.::" in method.__doc__, name
        assert hasattr(alembic_op, name)


def test_op_names_in_the_plan() -> None:
    assert [op_name(cls.__new__(cls)) for cls in SAFE_OPERATIONS] == [
        "create_index_concurrently",
        "drop_index_concurrently",
        "add_foreign_key_not_valid",
        "add_check_constraint_not_valid",
        "validate_constraint",
        "add_not_null",
        "add_unique_constraint_concurrently",
        "backfill",
        "alter_column_type_online",
    ]


def test_reverse() -> None:
    create = CreateIndexConcurrentlyOp("ix", "users", ["email"], unique=True, schema="app")
    drop = create.reverse()
    assert isinstance(drop, DropIndexConcurrentlyOp)
    assert (drop.index_name, drop.table_name, drop.schema, drop.if_exists) == (
        "ix",
        "users",
        "app",
        True,
    )
    again = drop.reverse()
    assert isinstance(again, CreateIndexConcurrentlyOp)
    assert (again.columns, again.unique) == (["email"], True)
    with pytest.raises(ValueError, match="columns are unknown"):
        DropIndexConcurrentlyOp("ix", "users").reverse()

    fk = AddForeignKeyNotValidOp("fk", "orders", "users", ["user_id"], ["id"])
    assert isinstance(fk.reverse(), alembic_ops.DropConstraintOp)
    assert fk.reverse().constraint_name == "fk"
    ck = AddCheckConstraintNotValidOp("ck", "orders", "total > 0")
    assert isinstance(ck.reverse(), alembic_ops.DropConstraintOp)
    uq = AddUniqueConstraintConcurrentlyOp("uq", "users", ["email"])
    assert (uq.reverse().constraint_name, uq.reverse().constraint_type) == ("uq", "unique")

    nn = AddNotNullOp("users", "email").reverse()
    assert isinstance(nn, alembic_ops.AlterColumnOp)
    assert (nn.table_name, nn.column_name, nn.modify_nullable) == ("users", "email", True)

    assert isinstance(ValidateConstraintOp("fk", "orders").reverse(), NoReverseOp)
    assert isinstance(BackfillOp("users", values={"a": "1"}).reverse(), NoReverseOp)


def test_safe_forms_are_the_alembic_operations_for_consumers() -> None:
    """Derived preconditions and the plan's tables treat them like Alembic's own."""
    assert issubclass(CreateIndexConcurrentlyOp, alembic_ops.CreateIndexOp)
    assert issubclass(DropIndexConcurrentlyOp, alembic_ops.DropIndexOp)
    assert issubclass(AddForeignKeyNotValidOp, alembic_ops.CreateForeignKeyOp)
    assert issubclass(AddCheckConstraintNotValidOp, alembic_ops.CreateCheckConstraintOp)
    assert issubclass(AddUniqueConstraintConcurrentlyOp, alembic_ops.CreateUniqueConstraintOp)
    assert CreateIndexConcurrentlyOp("ix", "t", ["c"]).kw["postgresql_concurrently"] is True
    assert AddForeignKeyNotValidOp("f", "t", "u", ["c"], ["id"]).kw["postgresql_not_valid"]


# ----------------------------------------------------------------------------- rendering


@pytest.fixture
def autogen() -> AutogenContext:
    from alembic.runtime.migration import MigrationContext

    return AutogenContext(
        MigrationContext.configure(dialect_name="postgresql"),
        opts={
            "alembic_module_prefix": "op.",
            "sqlalchemy_module_prefix": "sa.",
            "user_module_prefix": None,
        },
    )


@pytest.mark.parametrize(
    ("operation", "source"),
    [
        (
            CreateIndexConcurrentlyOp("ix_users_email", "users", ["email"]),
            "op.create_index_concurrently('ix_users_email', 'users', ['email'])",
        ),
        (
            CreateIndexConcurrentlyOp(
                "ix_a", "users", ["email"], unique=True, schema="app", postgresql_using="gin"
            ),
            "op.create_index_concurrently('ix_a', 'users', ['email'], unique=True, "
            "schema='app', postgresql_using='gin')",
        ),
        (
            DropIndexConcurrentlyOp("ix_users_email", "users"),
            "op.drop_index_concurrently('ix_users_email', 'users')",
        ),
        (
            AddForeignKeyNotValidOp(
                "fk_o_u", "orders", "users", ["user_id"], ["id"], ondelete="CASCADE"
            ),
            "op.add_foreign_key_not_valid('fk_o_u', 'orders', 'users', ['user_id'], ['id'], "
            "ondelete='CASCADE')",
        ),
        (
            AddCheckConstraintNotValidOp("ck", "orders", "total >= 0"),
            "op.add_check_constraint_not_valid('ck', 'orders', 'total >= 0')",
        ),
        (
            ValidateConstraintOp("fk_o_u", "orders", schema="shop"),
            "op.validate_constraint('fk_o_u', 'orders', schema='shop')",
        ),
        (AddNotNullOp("users", "email"), "op.add_not_null('users', 'email')"),
        (
            AddUniqueConstraintConcurrentlyOp("uq_users_email", "users", ["email"]),
            "op.add_unique_constraint_concurrently('uq_users_email', 'users', ['email'])",
        ),
        (
            BackfillOp("users", values={"locale": "'en'"}, where="locale IS NULL", batch_size=50),
            "op.backfill('users', set={'locale': \"'en'\"}, where='locale IS NULL', batch_size=50)",
        ),
        (
            BackfillOp("users", values={"token": "gen_random_uuid()"}, batch_time=0.05),
            "op.backfill('users', set={'token': 'gen_random_uuid()'}, batch_time=0.05)",
        ),
        (NoReverseOp("nothing to undo"), "# nothing to undo"),
        (pre.RequireTableOp("users"), "op.require_table('users')"),
        (
            pre.RequireTableOp("user_phones", exists=False, schema="app"),
            "op.require_table('user_phones', exists=False, schema='app')",
        ),
        (
            pre.RequireColumnOp("users", "phone", nullable=True),
            "op.require_column('users', 'phone', nullable=True)",
        ),
        (pre.RequireIndexOp("ix", exists=False), "op.require_index('ix', exists=False)"),
        (
            pre.RequireConstraintOp("orders", "fk"),
            "op.require_constraint('orders', 'fk')",
        ),
        (
            pre.RequireSqlOp("SELECT count(*) FROM users", equals=0, message="empty"),
            "op.require_sql('SELECT count(*) FROM users', equals=0, message='empty')",
        ),
    ],
)
def test_autogenerate_rendering(
    autogen: AutogenContext, operation: alembic_ops.MigrateOperation, source: str
) -> None:
    assert render.render_op_text(autogen, operation) == source


def test_rendered_names_from_a_naming_convention_use_op_f(autogen: AutogenContext) -> None:
    from sqlalchemy.sql.elements import conv

    operation = CreateIndexConcurrentlyOp(conv("ix_users_email"), "users", ["email"])
    assert render.render_op_text(autogen, operation) == (
        "op.create_index_concurrently(op.f('ix_users_email'), 'users', ['email'])"
    )


def test_rendered_code_runs_and_emits_the_same_sql(autogen: AutogenContext) -> None:
    """What autogenerate writes calls the operation with the same arguments."""
    operation = AddForeignKeyNotValidOp(
        "fk_o_u", "orders", "users", ["user_id"], ["id"], ondelete="SET NULL"
    )
    source = render.render_op_text(autogen, operation)
    direct, rendered = OfflineOps(), OfflineOps()
    direct.op.invoke(operation)
    exec(source, {"op": rendered.op, "sa": sa})
    assert rendered.statements() == direct.statements()


# ----------------------------------------------------------------------------- batch sizes


@pytest.mark.parametrize(
    ("size", "rows", "seconds", "target", "expected"),
    [
        (1000, 1000, 0.010, 0.020, 2000),  # twice as fast as wanted: double
        (1000, 1000, 0.080, 0.020, 500),  # far too slow: halve, no more
        (1000, 1000, 0.025, 0.020, 800),
        (1000, 100, 0.001, 0.020, 2000),  # a short last batch still counts per row
        (1000, 1000, 0.010, 0.0, 1000),  # batch_time=0: fixed size
        (1, 1, 10.0, 0.020, 1),
        (90_000, 90_000, 0.001, 0.020, 100_000),
    ],
)
def test_next_batch_size_follows_the_target_time(
    size: int, rows: int, seconds: float, target: float, expected: int
) -> None:
    from alembic_safe.operations.toimpl import next_batch_size

    assert next_batch_size(size, rows, seconds, target) == expected


def test_backfill_refuses_a_negative_batch_time(ops: OfflineOps) -> None:
    with pytest.raises(ValueError, match="batch_time must not be negative"):
        ops.op.backfill("users", set={"a": "1"}, batch_time=-1)


# ----------------------------------------------------------------------------- type change


def test_alter_column_type_online_offline_script(ops: OfflineOps) -> None:
    ops.op.alter_column_type_online(
        "items", "n", sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=False
    )
    statements = ops.statements()
    assert statements[0] == "COMMIT" and statements[-1] == "BEGIN"
    assert statements[1] == "ALTER TABLE items ADD COLUMN IF NOT EXISTS n_new BIGINT"
    assert statements[2].startswith("CREATE OR REPLACE FUNCTION items_n_retype() RETURNS trigger")
    assert "NEW.n_new := CAST(NEW.n AS BIGINT);" in statements[2]
    assert statements[4] == (
        "CREATE TRIGGER items_n_retype BEFORE INSERT OR UPDATE ON items FOR EACH ROW "
        "EXECUTE FUNCTION items_n_retype()"
    )
    assert "(n_new IS DISTINCT FROM (CAST(n AS BIGINT)))" in statements[5]  # the DO backfill
    assert (
        "ALTER TABLE items ADD CONSTRAINT items_n_new_not_null_check CHECK (n_new IS NOT NULL) NOT VALID"
        in statements
    )
    assert "ALTER TABLE items ALTER COLUMN n_new SET NOT NULL" in statements
    assert "ALTER TABLE items RENAME COLUMN n_new TO n" in statements
    assert "-- ALTER TABLE items DROP COLUMN n (its values were copied to n_new, renamed next)" in (
        statements
    )


def test_alter_column_type_online_with_using_evaluates_it_over_the_new_row(ops: OfflineOps) -> None:
    ops.op.alter_column_type_online(
        "items", "code", sa.Integer(), existing_type=sa.Text(), using="nullif(code, '')::int"
    )
    function = ops.statements()[2]
    assert (
        "NEW.code_new := (SELECT nullif(code, '')::int FROM (SELECT NEW.*) AS items);" in function
    )


def test_alter_column_type_online_reverse_and_rendering(autogen: AutogenContext) -> None:
    forward = AlterColumnTypeOnlineOp(
        "items", "n", type_=sa.BigInteger(), existing_type=sa.Integer()
    )
    back = forward.reverse()
    assert isinstance(back.modify_type, sa.Integer) and isinstance(
        back.existing_type, sa.BigInteger
    )
    assert render.render_op_text(autogen, forward) == (
        "op.alter_column_type_online('items', 'n', sa.BigInteger(), existing_type=sa.Integer())"
    )
    with pytest.raises(ValueError, match="Pass existing_type="):
        AlterColumnTypeOnlineOp("items", "n", type_=sa.BigInteger()).reverse()
