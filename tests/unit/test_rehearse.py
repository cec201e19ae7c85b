"""The rehearsal's pieces that need no database: differences, lock lines, results, options."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from alembic_safe import cli, commands, rehearse
from alembic_safe.errors import UsageError
from alembic_safe.rehearse import report
from alembic_safe.rehearse.results import (
    RehearsalResult,
    RevisionResult,
    TableData,
    describe_round_trip,
    file_sha256,
    save,
)
from alembic_safe.rehearse.scratch import Source
from alembic_safe.rehearse.snapshot import Difference, diff, display_type
from alembic_safe.rehearse.trace import LockHold, StatementTrace, Trace, blocks, lock_mode


def _column(type_: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": type_,
        "nullable": True,
        "default": None,
        "identity": None,
        "generated": None,
        "collation": None,
    } | extra


def _snapshot() -> dict[str, Any]:
    return {
        "schemas": {"public": {}},
        "types": {"public.mood": {"kind": "enum", "values": ["happy", "sad"]}},
        "tables": {
            "public.users": {
                "kind": "table",
                "columns": {"id": _column("integer"), "name": _column("character varying(50)")},
            }
        },
        "indexes": {},
        "constraints": {},
        "sequences": {},
        "comments": {},
        "grants": {"table public.users": ["alembic_safe SELECT"]},
    }


# ---------------------------------------------------------------- differences


def test_diff_of_equal_snapshots_is_empty() -> None:
    assert diff(_snapshot(), copy.deepcopy(_snapshot())) == []


def test_diff_names_what_was_left_behind_changed_and_not_restored() -> None:
    before = _snapshot()
    after = copy.deepcopy(before)
    after["types"]["public.status"] = {"kind": "enum", "values": ["on"]}
    after["indexes"]["public.ix_users_email"] = {"table": "public.users", "definition": "x"}
    after["tables"]["public.users"]["columns"]["name"]["type"] = "character varying(100)"
    after["tables"]["public.users"]["columns"]["name"]["default"] = "'x'::text"
    after["types"]["public.mood"]["values"] = ["happy", "sad", "meh"]
    del after["tables"]["public.users"]["columns"]["id"]
    after["grants"]["table public.users"] = ["alembic_safe SELECT", "app INSERT"]

    found = diff(before, after)

    assert [str(d) for d in found] == [
        "type mood has values (happy, sad, meh), had (happy, sad)",
        "type status is new",
        "column users.id is gone",
        "column users.name is varchar(100), was varchar(50)",
        "column users.name has default 'x'::text, had none",
        "index ix_users_email is new",
        "grants on table users gained app INSERT",
    ]
    assert describe_round_trip("3f2a", found) == (
        "downgrade of 3f2a left behind: type mood has values (happy, sad, meh), had (happy, "
        "sad); type status; column users.name is varchar(100), was varchar(50); column "
        "users.name has default 'x'::text, had none; index ix_users_email; grants on table "
        "users gained app INSERT; did not restore: column users.id"
    )


def test_the_round_trip_summary_reads_like_the_example() -> None:
    differences = [
        Difference("added", "type", "mood"),
        Difference("added", "index", "ix_users_email"),
        Difference("changed", "column", "users.name", "is varchar(100), was varchar(50)"),
    ]
    assert describe_round_trip("3f2a", differences) == (
        "downgrade of 3f2a left behind: type mood; index ix_users_email; "
        "column users.name is varchar(100), was varchar(50)"
    )


def test_other_schemas_stay_qualified() -> None:
    before = _snapshot()
    after = copy.deepcopy(before)
    after["tables"]["app.orders"] = {"kind": "table", "columns": {}}
    assert [str(d) for d in diff(before, after)] == ["table app.orders is new"]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("character varying(50)", "varchar(50)"),
        ("character varying", "varchar"),
        ("character(3)", "char(3)"),
        ("timestamp with time zone", "timestamptz"),
        ("timestamp(3) without time zone", "timestamp(3)"),
        ("integer[]", "integer[]"),
    ],
)
def test_types_are_shown_as_people_write_them(written: str, shown: str) -> None:
    assert display_type(written) == shown


# ---------------------------------------------------------------- locks


@pytest.mark.parametrize(
    ("raw", "mode", "blocked"),
    [
        ("AccessExclusiveLock", "ACCESS EXCLUSIVE", "reads and writes"),
        ("ShareLock", "SHARE", "writes"),
        ("ShareRowExclusiveLock", "SHARE ROW EXCLUSIVE", "writes"),
        ("ExclusiveLock", "EXCLUSIVE", "writes"),
        ("ShareUpdateExclusiveLock", "SHARE UPDATE EXCLUSIVE", "schema changes and VACUUM"),
        ("RowExclusiveLock", "ROW EXCLUSIVE", None),
        ("AccessShareLock", "ACCESS SHARE", None),
    ],
)
def test_lock_modes_and_what_they_block(raw: str, mode: str, blocked: str | None) -> None:
    assert lock_mode(raw) == mode
    assert blocks(mode) == blocked


def test_lock_lines_read_like_the_examples() -> None:
    trace = Trace(
        holds=(
            LockHold("users", "SHARE", 1.23, 14),
            LockHold("orders", "ROW EXCLUSIVE", 3.0, 9),
            LockHold("users", "ACCESS EXCLUSIVE", 0.8, 15, rewrite=True),
            LockHold("items", "SHARE UPDATE EXCLUSIVE", 0.042, 20, in_transaction=False),
        )
    )
    assert trace.lines() == [
        "line 15: blocks reads and writes on users for 0.8 s (ACCESS EXCLUSIVE, rewrite)",
        "line 14: blocks writes on users for 1.2 s (SHARE)",
        "line 20: blocks schema changes and VACUUM on items for 42 ms "
        "(SHARE UPDATE EXCLUSIVE, outside a transaction)",
    ]


# ---------------------------------------------------------------- results


def _result(tmp_path: Path, status: str = "passed", source: str = "url") -> RevisionResult:
    path = tmp_path / "3f2a_add.py"
    path.write_text("revision = '3f2a'\n")
    return RevisionResult(
        revision="3f2a",
        path=str(path),
        sha256=file_sha256(path),
        title="add phone",
        status=status,
        stage=None if status != "failed" else "round-trip",
        differences=[Difference("added", "type", "mood")] if status == "failed" else [],
        data=[TableData("users", ("id", "name"), 3, 3, True)],
        upgrade_s=0.012,
        downgrade_s=0.008,
        reupgrade_s=0.011,
        trace=Trace(
            statements=(StatementTrace("ALTER TABLE users ADD x int", 14, 0.002, None, True),),
            holds=(LockHold("users", "ACCESS EXCLUSIVE", 0.01, 14),),
        ),
        source=source,
    )


def test_a_result_survives_json(tmp_path: Path) -> None:
    result = _result(tmp_path, "failed")
    value = json.loads(json.dumps(result.to_json()))
    again = RevisionResult.from_json(value)
    assert again.to_json() == result.to_json()
    assert value["summary"] == "downgrade of 3f2a left behind: type mood"
    assert value["round_trip_ok"] is False and value["data_ok"] is True
    assert value["lock_lines"] == [
        "line 14: blocks reads and writes on users for 10 ms (ACCESS EXCLUSIVE)"
    ]


def test_saved_results_speak_for_the_exact_file(tmp_path: Path) -> None:
    directory = tmp_path / "rehearsals"
    result = _result(tmp_path)
    saved = save(directory, result)
    assert saved.name == f"3f2a.{result.sha256}.json"
    assert rehearse.load(directory, result.path) is not None
    assert rehearse.rollback_tested(directory, result.path)
    assert rehearse.tested_on_copy(directory, result.path)

    Path(result.path).write_text("revision = '3f2a'\n# changed\n")
    assert rehearse.load(directory, result.path) is None
    assert not rehearse.tested_on_copy(directory, result.path)

    newer = _result(tmp_path, source="ephemeral")
    Path(newer.path).write_text("revision = '3f2a'\n# changed\n")
    newer.sha256 = file_sha256(newer.path)
    save(directory, newer)
    assert [p.name for p in directory.iterdir()] == [f"3f2a.{newer.sha256}.json"]
    assert rehearse.rollback_tested(directory, newer.path)
    assert not rehearse.tested_on_copy(directory, newer.path)  # an empty database is no copy


def test_a_failed_result_proves_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "rehearsals"
    result = _result(tmp_path, "failed")
    save(directory, result)
    assert rehearse.load(directory, result.path) is not None
    assert not rehearse.rollback_tested(directory, result.path)
    assert not rehearse.tested_on_copy(directory, result.path)


def test_the_text_report_has_a_row_per_revision(tmp_path: Path) -> None:
    run = RehearsalResult(source="a copy of x", source_kind="url")
    run.revisions = [_result(tmp_path), _result(tmp_path, "failed")]
    text = report.render_text(run)
    lines = text.splitlines()
    assert lines[2].split() == [
        "revision", "upgrade", "downgrade", "locks", "rewrites", "round", "trip", "data",
    ]  # fmt: skip
    assert lines[3].split() == [
        "3f2a", "12", "ms", "8", "ms", "ACCESS", "EXCLUSIVE", "users", "-", "ok", "ok",
    ]  # fmt: skip
    assert "downgrade of 3f2a left behind: type mood" in text
    assert text.endswith("FAILED: 1 of 2 revision(s) passed in 0.0 s.")
    assert json.loads(report.render_json(run))["exit_code"] == 1


def test_table_data_declared_losses_are_not_failures() -> None:
    lost = TableData("users", ("id",), 3, 3, False)
    assert (
        not lost.ok and lost.describe() == "users: 3 rows before, 3 after; other contents in (id)"
    )
    declared = TableData("users", ("id",), 3, 0, False, declared='the upgrade drops "users"')
    assert declared.ok and declared.describe().endswith('(expected: the upgrade drops "users")')


# ---------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("options", "phrase"),
    [
        ({"url": "postgresql://x/y", "ephemeral": True}, "--url and --ephemeral were both given"),
        ({"from_backup": "b.dump", "ephemeral": True}, "--from-backup and --ephemeral"),
        ({"copy": "full", "ephemeral": True}, "--copy applies to --url only"),
        ({"template": True, "from_backup": "b.dump"}, "--template applies to --url only"),
        ({"template": True, "url": "postgresql://x/y", "copy": "schema"}, "contradicts it"),
        ({}, "The rehearsal has no source database."),
    ],
)
def test_contradicting_sources_are_refused(options: dict[str, Any], phrase: str) -> None:
    arguments: dict[str, Any] = {
        "url": None,
        "copy": None,
        "template": False,
        "from_backup": None,
        "ephemeral": False,
    } | options
    with pytest.raises(UsageError) as raised:
        Source.from_options(**arguments)
    assert phrase in raised.value.format_message()
    assert raised.value.exit_code == 2
    assert raised.value.hint


def test_sources_say_what_they_copy_without_the_password() -> None:
    source = Source.from_options(
        url=None,
        copy=None,
        template=False,
        from_backup=None,
        ephemeral=False,
        fallback_url="postgresql://app:secret@db/shop",
    )
    assert (source.kind, source.copy) == ("url", "schema")
    assert source.describe() == "a copy of postgresql://app:***@db/shop (pg_dump (schema copy))"
    template = Source.from_options(
        url="postgresql://db/shop", copy=None, template=True, from_backup=None, ephemeral=False
    )
    assert template.copy == "full" and "TEMPLATE" in template.describe()


def test_the_command_refuses_two_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    commands.init("migrations")

    code = cli.main(["rehearse", "--ephemeral", "--from-backup", str(tmp_path / "x.dump")])

    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: --from-backup and --ephemeral were both given")
