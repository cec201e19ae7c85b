"""Impact documents and the migration log, on a sample history, with and without a database."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from alembic_safe import cli
from tests.integration import docs_sample
from tests.support import Project, output


def run_doc(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main(["-c", str(project.ini), "doc", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def docs_dir(project: Project) -> Path:
    return project.root / "docs" / "migrations"


def test_pages_and_log_match_golden_files_without_a_database(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    code, out = run_doc(project, capsys)
    assert code == 0, out
    assert "8 file(s) written, 0 unchanged" in out
    docs_sample.compare(docs_dir(project), docs_sample.GOLDEN / "docs")
    index = (docs_dir(project) / "c3_unique_index_on_email.md").read_text()
    assert "- **error** `create-index-non-concurrently` (line 23):" in index
    assert "- **Downtime required:** yes" in index
    dropped = (docs_dir(project) / "g7_drop_legacy_code.md").read_text()
    assert "Suppressed in the revision" in dropped
    assert (
        "`drop-column` (line 26): drops column" in dropped and "Reason: unused since v42" in dropped
    )


def test_pages_use_live_row_estimates_with_a_url(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    result = project.alembic("upgrade", "f6")
    assert result.returncode == 0, output(result)
    assert project.database is not None
    project.database.execute(
        "INSERT INTO users (email) SELECT 'u' || g || '@example.com' FROM generate_series(1, 120) g;"
        "INSERT INTO orders (user_id, total) SELECT 1 + g % 120, g FROM generate_series(1, 450) g;"
        "ANALYZE users; ANALYZE orders"
    )
    code, out = run_doc(project, capsys, "--url", project.database.url)
    assert code == 0, out
    page = (docs_dir(project) / "g7_drop_legacy_code.md").read_text()
    assert '| `users` | drop column "legacy_code" | ~120 |' in page
    assert "[x] Impact analysis completed" in page
    docs_sample.compare(docs_dir(project), docs_sample.GOLDEN / "docs_with_url", sizes=True)


def test_second_run_changes_nothing(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    docs_sample.build(project)
    assert run_doc(project, capsys)[0] == 0
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in docs_dir(project).iterdir()}
    code, out = run_doc(project, capsys)
    assert code == 0, out
    assert "0 file(s) written, 8 unchanged" in out
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in docs_dir(project).iterdir()}
    assert after == before
    # another process, another hash seed: the same bytes (nothing depends on set order)
    for seed in ("1", "2"):
        out_dir = project.root / f"seed{seed}"
        result = project.alembic_safe("doc", "--out", str(out_dir), PYTHONHASHSEED=seed)
        assert result.returncode == 0, output(result)
        assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == {
            name: content for name, (content, _) in before.items()
        }


def test_notes_survive_regeneration_and_a_new_title(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    assert run_doc(project, capsys)[0] == 0
    page = docs_dir(project) / "b2_add_phone_number_to_users.md"
    notes = "Roll out after the mobile release.\n\n- ask #dba before Friday"
    text = page.read_text()
    default = text.split("<!-- alembic-safe:notes:begin -->\n")[1].split("\n<!--")[0]
    page.write_text(text.replace(default, notes))
    log = docs_dir(project) / "README.md"
    log.write_text(log.read_text().replace(default, "Freeze during Black Friday."))

    revision = project.versions / "b2_add_phone_number_to_users.py"
    revision.write_text(
        revision.read_text().replace('"""add phone number to users', '"""add phone numbers')
    )
    code, out = run_doc(project, capsys)
    assert code == 0, out
    assert not page.exists()
    moved = docs_dir(project) / "b2_add_phone_numbers.md"
    assert f"removed {page}" in out
    new_text = moved.read_text()
    assert "# Migration: add phone numbers" in new_text
    assert (
        f"<!-- alembic-safe:notes:begin -->\n{notes}\n<!-- alembic-safe:notes:end -->" in new_text
    )
    assert "Freeze during Black Friday." in log.read_text()
    assert "[add phone numbers](b2_add_phone_numbers.md)" in log.read_text()


def test_damaged_notes_markers_stop_before_overwriting(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    assert run_doc(project, capsys)[0] == 0
    page = docs_dir(project) / "c3_unique_index_on_email.md"
    damaged = page.read_text().replace("<!-- alembic-safe:notes:end -->", "my notes")
    page.write_text(damaged)
    code, out = run_doc(project, capsys)
    assert code == 2
    assert "has lost its Notes markers" in out and "Put both markers back" in out
    assert "Traceback" not in out
    assert page.read_text() == damaged


def test_a_page_written_by_hand_is_not_overwritten(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    docs_dir(project).mkdir(parents=True)
    readme = docs_dir(project) / "README.md"
    readme.write_text("# Our migrations\n")
    code, out = run_doc(project, capsys)
    assert code == 2
    assert "is not a migration log written by alembic-safe" in out
    assert readme.read_text() == "# Our migrations\n"


def test_a_revision_that_does_not_import_is_an_error_entry(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    broken = project.versions / "e5_backfill_phone_numbers.py"
    broken.write_text(broken.read_text().replace("import alembic_safe", "import no_such_module"))
    code, out = run_doc(project, capsys)
    assert code == 2
    assert "Traceback" not in out
    assert "error: cannot be imported:" in out and "No module named 'no_such_module'" in out
    log = (docs_dir(project) / "README.md").read_text()
    assert "| 5 | `e5` | 2026-01-01 00:00:00 | ⚠ cannot be imported: line" in log
    assert "## Revision files that cannot be loaded" in log
    assert "classDef error" in log
    error_page = (docs_dir(project) / "e5_backfill_phone_numbers.md").read_text()
    assert "cannot be documented" in error_page and "no_such_module" in error_page
    assert "[backfill phone numbers](e5_backfill_phone_numbers.md)" in log
    assert 'r5["e5: backfill phone numbers (cannot be imported)"]' in log
    assert (docs_dir(project) / "g7_drop_legacy_code.md").is_file()


def test_alembic_revision_writes_the_page_through_the_post_write_hook(project: Project) -> None:
    result = project.alembic("revision", "-m", "add phone number to users")
    assert result.returncode == 0, output(result)
    assert "Running post write hook 'alembic_safe_doc'" in output(result)
    (revision_file,) = project.versions.glob("*_add_phone_number_to_users.py")
    revision = revision_file.name.split("_", 1)[0]
    page = docs_dir(project) / f"{revision}_add_phone_number_to_users.md"
    assert page.read_text().startswith(f"<!-- alembic-safe:page revision={revision} -->")
    log = (docs_dir(project) / "README.md").read_text()
    assert f"[add phone number to users]({page.name})" in log

    merge = project.alembic("revision", "-m", "second head", "--head", "base")
    assert merge.returncode == 0, output(merge)
    merged = project.alembic("merge", "heads", "-m", "merge heads")
    assert merged.returncode == 0, output(merged)
    (merge_file,) = project.versions.glob("*_merge_heads.py")
    merge_page = docs_dir(project) / f"{merge_file.stem}.md"
    assert "merges" in merge_page.read_text()
    assert "merge of" in (docs_dir(project) / "README.md").read_text()


def test_the_hook_runs_as_a_module_for_other_templates(stock_project: Project) -> None:
    ini = stock_project.ini
    text = ini.read_text()
    text = text.replace(
        "[post_write_hooks]",
        "[post_write_hooks]\nhooks = pages\npages.type = module\npages.module = alembic_safe.hooks\n",
        1,
    )
    ini.write_text(text)
    result = stock_project.alembic("revision", "-m", "first")
    assert result.returncode == 0, output(result)
    (page,) = (stock_project.root / "docs" / "migrations").glob("*_first.md")
    assert "# Migration: first" in page.read_text()
    assert "env.py does not run the alembic-safe guard" in page.read_text()


def test_schema_option_writes_a_normalized_schema_file(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    ini = project.ini.read_text().replace(
        "docs_dir = docs/migrations", "docs_dir = docs/migrations\nschema_file = db/schema.sql"
    )
    project.ini.write_text(ini)
    result = project.alembic("-x", "confirm=g7", "upgrade", "heads")
    assert result.returncode == 0, output(result)
    schema = project.root / "db" / "schema.sql"
    after_upgrade = schema.read_text()
    assert "schema file db/schema.sql is up to date" in output(result)
    assert "CREATE TABLE public.users" in after_upgrade
    assert "legacy_code" not in after_upgrade
    assert "alembic_version" not in after_upgrade and "alembic_safe_history" not in after_upgrade
    assert "Dumped from database version" not in after_upgrade and "\\restrict" not in after_upgrade
    schema.unlink()
    assert project.database is not None
    code, out = run_doc(project, capsys, "--schema", "--url", project.database.url)
    assert code == 0, out
    assert schema.read_text() == after_upgrade
    assert project.database.url.split("@")[0].split(":")[-1] not in out  # no password


def test_schema_option_without_schema_file_is_a_config_error(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    assert project.database is not None
    code, out = run_doc(project, capsys, "--schema", "--url", project.database.url)
    assert code == 2
    assert "No schema file is configured" in out and "schema_file = schema.sql" in out
    assert not docs_dir(project).exists()


def test_unreachable_database_is_a_clear_error(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    code, out = run_doc(
        project, capsys, "--url", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    )
    assert code == 2
    assert "Cannot connect" in out and "secret" not in out
    assert not docs_dir(project).exists()


def test_a_generated_page_renders_as_html(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    assert run_doc(project, capsys)[0] == 0
    page = (docs_dir(project) / "b2_add_phone_number_to_users.md").read_text()
    html = MarkdownIt("commonmark").enable("table").render(page)
    assert "<h1>Migration: add phone number to users</h1>" in html
    assert "<table>" in html and "<th>Table</th>" in html
    assert "<details>" in html
    assert "<summary>Forward SQL (<code>002_add_phone_number_to_users.sql</code>)</summary>" in html
    assert '<pre><code class="language-sql">-- Migration: add phone number to users' in html
    assert "<li>[x] Rollback script created" in html


def test_the_rollback_command_of_a_merge_page_undoes_just_the_merge(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    docs_sample.build(project)
    assert run_doc(project, capsys)[0] == 0
    page = (docs_dir(project) / "f6_merge_orders_and_backfill.md").read_text()
    command = page.split("**Rollback available:** yes — `alembic ")[1].split("`")[0]
    assert command == "downgrade d4"
    assert project.alembic("upgrade", "f6").returncode == 0
    result = project.alembic(*command.split())
    assert result.returncode == 0, output(result)
    assert project.database is not None
    assert project.database.version() == ["d4", "e5"]


def test_revisions_that_fail_offline_still_get_honest_pages(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add("a1", 'op.create_table("t", sa.Column("id", sa.Integer))', 'op.drop_table("t")')
    project.add("b2", 'raise RuntimeError("boom")', "pass", message="raises")
    project.add(
        "c3",
        'op.add_column("t", sa.Column("x", sa.Integer))',
        "raise NotImplementedError()",
        message="no way back",
    )
    project.add(
        "d4",
        """
        n = op.get_bind().execute(sa.text("SELECT count(*) FROM t")).scalar()
        op.execute("UPDATE t SET x = 1")
        """,
        "pass",
        message="reads rows <now> | fast",
        extra='irreversible = "recomputed"\n',
    )
    code, out = run_doc(project, capsys)
    assert code == 0, out
    assert "warning: no offline SQL for b2 upgrade: line 23: RuntimeError: boom" in out
    raises = (docs_dir(project) / "b2_raises.md").read_text()
    assert "- **Downtime required:** unknown" in raises
    assert "capture stopped: line 23: RuntimeError: boom" in raises
    assert "Forward SQL cannot be rendered offline: line 23: RuntimeError: boom" in raises
    no_way_back = (docs_dir(project) / "c3_no_way_back.md").read_text()
    assert "**Rollback available:** no — the revision has a downgrade() that raises" in no_way_back
    assert "[ ] Rollback script created — no (downgrade() does not reverse it)" in no_way_back
    reads = (docs_dir(project) / "d4_reads_rows_now_fast.md").read_text()
    assert "# Migration: reads rows &lt;now> | fast" in reads
    assert "needs a database: line 24: read rows (scalar() of SELECT count(*) FROM t)" in reads
    assert "| `t` |" in reads  # capture goes on past the read: the UPDATE after it is seen
    log = (docs_dir(project) / "README.md").read_text()
    assert "| reads rows &lt;now> \\| fast |" in log


def test_the_hook_prints_the_linter_findings_of_the_written_revision(project: Project) -> None:
    path = project.add("r1", 'op.drop_column("users", "email")', "pass")
    result = project.run_module("alembic_safe.hooks", str(path))
    text = output(result)
    assert result.returncode == 0, text
    assert "error[drop-column]" in text and "error[missing-downgrade]" in text
    assert "See: alembic-safe rule drop-column" in text


def test_markers_and_links_written_in_a_revision_stay_text_across_runs(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    begin, end = "<!-- alembic-safe:notes:begin -->", "<!-- alembic-safe:notes:end -->"
    project.add(
        "m1",
        f'op.execute(TRAP)\nop.execute("SELECT 1 -- {end}")',
        'op.execute("SELECT 2")',
        message=f"see [x](javascript:alert(1)) ![p](https://t.example/p.gif) [r][1] {begin}",
        extra=f"# [1]: javascript:alert(2)\nTRAP = \"SELECT '\\n{begin}\\n{end}\\n' AS trap\"",
    )
    assert run_doc(project, capsys)[0] == 0
    (page,) = docs_dir(project).glob("m1_*.md")
    text = page.read_text()
    assert f"\n{begin}\n{end}\n" in text  # the SQL's marker lines, inside the SQL code block
    page.write_text(text.replace("_Written by people", "Ship on Tuesday. _Written by people"))

    code, out = run_doc(project, capsys)

    assert code == 0, out
    again = page.read_text()
    assert "Ship on Tuesday." in again.split("## Notes", 1)[1]
    assert again.count("Ship on Tuesday.") == 1
    for markdown in (again, (docs_dir(project) / "README.md").read_text()):
        html = MarkdownIt("commonmark").enable("table").render(markdown)
        assert 'href="javascript' not in html and "<img" not in html
        assert html.count("<a ") == html.count('<a href="m1_')  # links to the page only
        assert "[x](javascript:alert(1))" in html  # shown as the words it is
