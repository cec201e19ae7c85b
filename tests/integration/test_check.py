"""``alembic-safe check`` end to end: stock projects, exit codes, formats, baseline, --url."""

from __future__ import annotations

import json

from tests.support import Database, Project, output

UNSAFE_INDEX = 'op.create_index("ix_users_email", "users", ["email"])'
DROP_INDEX = 'op.drop_index("ix_users_email", table_name="users")'


def _users(project: Project) -> None:
    project.add(
        "r1",
        'op.create_table("users", sa.Column("id", sa.BigInteger, primary_key=True), '
        'sa.Column("email", sa.String(50)))',
        'op.drop_table("users")',
    )


def test_clean_history_exits_zero(stock_project: Project) -> None:
    _users(stock_project)
    result = stock_project.alembic_safe("check")
    assert result.returncode == 0, output(result)
    assert "Checked 1 revision(s): no findings." in result.stdout


def test_unsafe_revision_exits_one_with_the_fix(stock_project: Project) -> None:
    _users(stock_project)
    path = stock_project.add("r2", UNSAFE_INDEX, DROP_INDEX)
    result = stock_project.alembic_safe("check")
    assert result.returncode == 1, output(result)
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"migrations/versions/{path.name}:23: error[create-index-non-concurrently] "
        "revision r2 (upgrade)"
    )
    assert lines[1] == (
        '  CREATE INDEX on "users" blocks writes to "users" until the index is built'
    )
    assert (
        lines[2] == '  Instead: op.create_index_concurrently("ix_users_email", "users", ["email"])'
    )
    assert lines[3] == "  See: alembic-safe rule create-index-non-concurrently"


def test_fail_on_warning_and_range(stock_project: Project) -> None:
    _users(stock_project)
    stock_project.add("r2", DROP_INDEX.replace("ix_users_email", "ix_other"), "pass")
    assert stock_project.alembic_safe("check").returncode == 1  # missing-downgrade is an error
    stock_project.add(
        "r3",
        'op.execute("LOCK TABLE users IN SHARE MODE")',
        "pass",
        extra='irreversible = "nothing to undo"',
    )
    only_warning = stock_project.alembic_safe("check", "r2:r3", "--format", "json")
    found = {(f["revision"], f["rule"], f["severity"]) for f in json.loads(only_warning.stdout)}
    assert ("r3", "lock-table", "warning") in found
    assert stock_project.alembic_safe("check", "r3").returncode == 0
    assert stock_project.alembic_safe("check", "r3", "--fail-on", "warning").returncode == 1


def test_github_annotations(stock_project: Project) -> None:
    _users(stock_project)
    path = stock_project.add("r2", UNSAFE_INDEX, DROP_INDEX)
    result = stock_project.alembic_safe("check", "--format", "github")
    assert result.returncode == 1
    assert result.stdout.startswith(
        f"::error file=migrations/versions/{path.name},line=23,"
        "title=create-index-non-concurrently::CREATE INDEX on"
    )
    assert "%0AInstead: op.create_index_concurrently(" in result.stdout


def test_broken_revision_is_reported_and_the_rest_still_checked(stock_project: Project) -> None:
    _users(stock_project)
    stock_project.add("r2", UNSAFE_INDEX, DROP_INDEX, extra="import no_such_module_here")
    stock_project.add(
        "r3",
        'op.drop_column("users", "email")',
        'op.add_column("users", sa.Column("email", sa.String(50)))',
    )
    result = stock_project.alembic_safe("check", "--format", "json")
    assert result.returncode == 2, output(result)
    found = {(f["revision"], f["rule"]) for f in json.loads(result.stdout)}
    assert ("r2", "import-error") in found
    assert ("r3", "drop-column") in found
    assert "Traceback" not in output(result)


def test_baseline_records_history_so_only_new_findings_fail(stock_project: Project) -> None:
    _users(stock_project)
    stock_project.add("r2", UNSAFE_INDEX, DROP_INDEX)
    missing = stock_project.alembic_safe("check", "--baseline", "lint-baseline.json")
    assert missing.returncode == 2
    assert "--write-baseline lint-baseline.json" in missing.stderr
    written = stock_project.alembic_safe("check", "--write-baseline", "lint-baseline.json")
    assert written.returncode == 0, output(written)
    assert json.loads((stock_project.root / "lint-baseline.json").read_text())["findings"]
    # lines move (a comment is added above the op): the baseline still matches
    path = next(stock_project.versions.glob("r2_*.py"))
    path.write_text(path.read_text().replace("def upgrade():", "def upgrade():\n    # reviewed"))
    clean = stock_project.alembic_safe("check", "--baseline", "lint-baseline.json")
    assert clean.returncode == 0, output(clean)
    assert "(1 suppressed)" in clean.stdout
    stock_project.add(
        "r3",
        'op.drop_column("users", "email")',
        'op.add_column("users", sa.Column("email", sa.String(50)))',
    )
    new = stock_project.alembic_safe("check", "--baseline", "lint-baseline.json")
    assert new.returncode == 1
    assert "drop-column" in new.stdout and "create-index-non-concurrently" not in new.stdout


def test_config_ignore_severity_and_unknown_rule(stock_project: Project) -> None:
    _users(stock_project)
    stock_project.add("r2", UNSAFE_INDEX, DROP_INDEX)
    ini = stock_project.ini
    original = ini.read_text()
    ini.write_text(
        original + "\n[alembic_safe]\nrules.severity = create-index-non-concurrently:warning\n"
    )
    assert stock_project.alembic_safe("check").returncode == 0
    ini.write_text(original + "\n[alembic_safe]\nrules.ignore = create-index-non-concurently\n")
    typo = stock_project.alembic_safe("check")
    assert typo.returncode == 2
    assert "Did you mean 'create-index-non-concurrently'?" in typo.stderr


def test_url_adds_sizes_and_small_tables_become_info(
    stock_project: Project, database: Database
) -> None:
    database.execute("CREATE TABLE users (id bigint PRIMARY KEY, email varchar(50))")
    database.execute("INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 20000) g")
    database.execute("CREATE TABLE tiny (id int, email text)")
    database.execute("INSERT INTO tiny VALUES (1, 'a')")
    database.execute("ANALYZE users")
    database.execute("ANALYZE tiny")
    stock_project.add(
        "r1",
        UNSAFE_INDEX + '\nop.create_index("ix_tiny", "tiny", ["email"])',
        'op.drop_index("ix_tiny", table_name="tiny")\n' + DROP_INDEX,
        down=None,
    )
    result = stock_project.alembic_safe("check", "--format", "json", "--url", database.url)
    assert result.returncode == 1, output(result)
    by_table = {f["message"].split(":")[0]: f for f in json.loads(result.stdout)}
    assert by_table["users"]["severity"] == "error"
    assert by_table["users"]["message"].startswith("users: ~20k rows, ")
    assert "MB" in by_table["users"]["message"]
    assert by_table["tiny"]["severity"] == "info"
    assert "small table" in by_table["tiny"]["message"]


def test_url_classifies_type_changes_from_the_live_column(
    stock_project: Project, database: Database
) -> None:
    database.execute("CREATE TABLE items (id int, code varchar(50), qty int)")
    stock_project.add(
        "r1",
        'op.alter_column("items", "code", type_=sa.String(100))\n'
        'op.alter_column("items", "qty", type_=sa.SmallInteger())',
        'op.alter_column("items", "qty", type_=sa.Integer())\n'
        'op.alter_column("items", "code", type_=sa.String(50))',
        down=None,
    )
    offline = json.loads(stock_project.alembic_safe("check", "--format", "json").stdout)
    assert {(f["rule"], f["severity"]) for f in offline} == {("alter-column-type", "warning")}
    live = json.loads(
        stock_project.alembic_safe("check", "--format", "json", "--url", database.url).stdout
    )
    assert [(f["rule"], f["line"]) for f in live] == [("narrow-column-type", 24)]
    assert "integer -> int2" in live[0]["message"] or "int4 -> int2" in live[0]["message"]


def test_url_knows_a_validated_not_null_check(stock_project: Project, database: Database) -> None:
    database.execute("CREATE TABLE accounts (id int, email text)")
    database.execute(
        "ALTER TABLE accounts ADD CONSTRAINT accounts_email_nn CHECK (email IS NOT NULL)"
    )
    stock_project.add(
        "r1",
        'op.alter_column("accounts", "email", nullable=False)',
        'op.alter_column("accounts", "email", nullable=True)',
        down=None,
    )
    offline = stock_project.alembic_safe("check")
    assert offline.returncode == 1 and "set-not-null" in offline.stdout
    live = stock_project.alembic_safe("check", "--url", database.url)
    assert live.returncode == 0, output(live)


def test_url_names_dependents_of_drops(stock_project: Project, database: Database) -> None:
    database.execute("CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE)")
    database.execute("CREATE VIEW user_emails AS SELECT email FROM users")
    database.execute("CREATE TABLE orders (id int, user_id int REFERENCES users (id))")
    stock_project.add(
        "r1",
        'op.drop_column("users", "email")\nop.drop_index("users_email_key", table_name="users")',
        "pass",
        down=None,
        extra='irreversible = "test"',
    )
    result = stock_project.alembic_safe("check", "--format", "json", "--url", database.url)
    found = {f["rule"]: f["message"] for f in json.loads(result.stdout)}
    assert "view user_emails" in found["drop-column"]
    assert "fails without CASCADE" in found["drop-column"]
    assert "users_email_key" in found["drop-index-used-by-constraint"]


def test_url_that_cannot_connect_exits_two(stock_project: Project) -> None:
    _users(stock_project)
    result = stock_project.alembic_safe(
        "check", "--url", "postgresql://nobody:secret-pw@127.0.0.1:1/none"
    )
    assert result.returncode == 2, output(result)
    assert "secret-pw" not in output(result)
    assert "Traceback" not in output(result)
