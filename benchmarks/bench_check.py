"""alembic-safe check against squawk: what each finds on the corpus, and how fast each is.

1. Findings.  Every revision of ``tests/corpus`` (a stock Alembic project) is rendered
   to SQL with ``alembic upgrade <parent>:<rev> --sql`` and linted by squawk; its rules
   are mapped to ours and compared with ``tests/corpus/expected.json`` (the reviewed
   findings per revision, which ``alembic-safe check`` is tested to reproduce exactly).
   Printed: per revision what each tool reports, recall per tool, and squawk's findings
   on revisions where nothing is expected (false positives) by rule.

2. Speed.  A generated history of N revisions (default 1,000), timed in the same run:
   ``alembic-safe check`` versus the pipeline ``alembic upgrade base:head --sql | squawk``
   (the way an Alembic user feeds squawk).  Wall time of each process, the two run in turn
   R times after a warm-up, with bytecode caching on (as installed packages run); medians
   and the median of the pair-by-pair ratios.

Usage: python benchmarks/bench_check.py [--revisions 1000] [--runs 3] [--skip-corpus]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus"
sys.path.insert(0, str(REPO))

# squawk rule -> the alembic-safe rule(s) that flag the same hazard
SQUAWK_TO_OURS: dict[str, set[str]] = {
    "require-concurrent-index-creation": {"create-index-non-concurrently"},
    "require-concurrent-index-deletion": {"drop-index-non-concurrently"},
    "require-concurrent-reindex": {"reindex-non-concurrently"},
    "ban-concurrent-index-creation-in-transaction": {"concurrently-in-transaction"},
    "disallowed-unique-constraint": {"add-unique-constraint"},
    "adding-serial-primary-key-field": {"add-primary-key", "add-column-volatile-default"},
    "adding-foreign-key-constraint": {"add-foreign-key-validated"},
    "constraint-missing-not-valid": {
        "add-foreign-key-validated",
        "add-check-constraint-validated",
        "validate-in-same-transaction",
    },
    "adding-not-nullable-field": {"set-not-null"},
    "adding-required-field": {"add-column-not-null-no-default"},
    "adding-field-with-default": {"add-column-volatile-default"},
    "changing-column-type": {"alter-column-type", "narrow-column-type"},
    "ban-drop-table": {"drop-table"},
    "ban-drop-column": {"drop-column"},
    "ban-truncate-cascade": {"truncate-table"},
    "ban-drop-schema": {"destructive-statement"},
    "ban-drop-sequence": {"destructive-statement"},
    "renaming-table": {"rename-table"},
    "renaming-column": {"rename-column"},
    "prefer-repack": {"vacuum-full", "cluster-table"},
}
HYGIENE = {
    "prefer-identity",
    "prefer-robust-stmts",
    "require-lock-timeout",
    "require-statement-timeout",
    "require-timeout-settings",
    "prefer-bigint-over-int",
    "prefer-bigint-over-smallint",
    "prefer-text-field",
    "prefer-timestamp-tz",
}
"""squawk style rules with no alembic-safe counterpart (the guard sets the timeouts)."""
NOT_HAZARDS = {"capture-incomplete"}
"""Expected findings that are notes about the check itself, not migration hazards."""
PG_URL = "postgresql://bench@localhost/bench"


def squawk_path() -> str:
    found = shutil.which("squawk")
    if not found:
        sys.exit("squawk is not installed: pip install squawk-cli")
    return found


# --------------------------------------------------------------------------- part 1


def corpus_sql() -> dict[str, str | None]:
    """Offline SQL of each corpus revision alone (None when alembic cannot render it)."""
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    sql: dict[str, str | None] = {}
    base = Config(str(CORPUS / "alembic.ini"))
    scripts = ScriptDirectory.from_config(base)
    for script in reversed(list(scripts.walk_revisions())):
        parents = script.down_revision
        parent = parents[0] if isinstance(parents, tuple) else parents
        buffer = io.StringIO()
        config = Config(str(CORPUS / "alembic.ini"), output_buffer=buffer)
        config.set_main_option("sqlalchemy.url", PG_URL)
        target = f"{parent}:{script.revision}" if parent else script.revision
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                command.upgrade(config, target, sql=True)
            sql[script.revision] = own_segment(buffer.getvalue(), script.revision)
        except Exception as exc:  # alembic itself cannot render this revision offline
            sql[script.revision] = None
            print(f"  alembic upgrade {target} --sql fails: {type(exc).__name__}: {exc}"[:160])
    return sql


def own_segment(sql: str, revision: str) -> str:
    """The part of ``alembic upgrade A:B --sql`` output that belongs to ``revision``.

    A range also renders the revisions it needs that are not ancestors of A (the other
    parent of a merge, ``depends_on`` targets); keep the revision's own block, inside the
    migration transaction as Alembic runs it.
    """
    blocks = sql.split("-- Running upgrade ")
    for block in blocks[1:]:
        header = block.splitlines()[0]
        if header.rstrip().endswith(f"-> {revision}"):
            body = block.split("\n", 1)[1] if "\n" in block else ""
            return f"BEGIN;\n{body.rstrip().removesuffix('COMMIT;')}\nCOMMIT;\n"
    return sql


def run_squawk(sql: dict[str, str | None]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rev, text in sql.items():
            if text is None:
                continue
            path = Path(tmp) / f"{rev}.sql"
            path.write_text(text)
            result = subprocess.run(
                [squawk_path(), "--reporter", "json", "--pg-version", "15", str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            items = json.loads(result.stdout or "[]")
            found[rev] = sorted(i["rule_name"] for i in items)
    return found


def run_ours() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(active, suppressed) rule ids per revision from ``alembic-safe check`` on the corpus."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    result = subprocess.run(
        [sys.executable, "-m", "alembic_safe", "check", "--format", "json"],
        cwd=CORPUS,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    active: dict[str, set[str]] = {}
    suppressed: dict[str, set[str]] = {}
    for f in json.loads(result.stdout):
        target = active if f["suppressed"] is None else suppressed
        target.setdefault(f["revision"], set()).add(f["rule"])
    return active, suppressed


def compare(
    expected: dict[str, list[str]], squawk: dict[str, list[str]], sql: dict[str, str | None]
) -> None:
    hazards = {
        rev: [e.split(":")[1] for e in items if e.split(":")[1] not in NOT_HAZARDS]
        for rev, items in expected.items()
    }
    ours, ours_suppressed = run_ours()
    total = sum(len(v) for v in hazards.values())
    our_hits = sum(1 for rev, items in hazards.items() for r in items if r in ours.get(rev, set()))
    our_extra = sum(
        1
        for rev, rules in ours.items()
        for r in rules
        if r not in NOT_HAZARDS and r not in hazards.get(rev, [])
    )
    squawk_hits = 0
    fp_by_rule: Counter[str] = Counter()
    hygiene: Counter[str] = Counter()
    print(f"\n{'rev':<6} {'expected hazards (tests/corpus/expected.json)':<62} squawk")
    for rev in sorted(expected):
        wanted = hazards[rev]
        theirs = [r for r in squawk.get(rev, []) if r not in HYGIENE]
        hygiene.update(r for r in squawk.get(rev, []) if r in HYGIENE)
        covered: set[str] = set().union(*(SQUAWK_TO_OURS.get(r, set()) for r in theirs))
        squawk_hits += sum(1 for r in wanted if r in covered)
        if not wanted:  # a safe revision, or one whose finding is suppressed with a reason
            accepted = ours_suppressed.get(rev, set())
            fp_by_rule.update(r for r in theirs if not SQUAWK_TO_OURS.get(r, set()) & accepted)
        shown = ", ".join(sorted(set(theirs))) or (
            "(no SQL: alembic --sql fails)" if sql.get(rev) is None else "-"
        )
        missed = set(wanted) - covered
        mark = f"  misses: {', '.join(sorted(missed))}" if missed else ""
        print(f"{rev:<6} {', '.join(wanted) or '-':<62} {shown}{mark}")
    safe = sum(1 for v in hazards.values() if not v)
    print(
        f"\nHazards expected in the corpus: {total} in {len(hazards) - safe} revisions "
        f"({safe} revisions have none)"
    )
    print(
        f"  alembic-safe recall: {our_hits}/{total} = {100 * our_hits / total:.0f}%; "
        f"findings beyond the expectations: {our_extra}"
    )
    print(f"  squawk recall:       {squawk_hits}/{total} = {100 * squawk_hits / total:.0f}%")
    fp = sum(fp_by_rule.values())
    print(
        f"  squawk hazard findings on revisions with none expected (false positives): {fp}"
        + (f" ({', '.join(f'{r} x{n}' for r, n in fp_by_rule.most_common())})" if fp else "")
    )
    print(
        f"  squawk hygiene findings (timeouts, IF NOT EXISTS...; no alembic-safe counterpart): "
        f"{sum(hygiene.values())}"
    )


# --------------------------------------------------------------------------- part 2

ENV_TEMPLATE = (CORPUS / "migrations" / "env.py").read_text()


def generate_history(root: Path, count: int) -> None:
    """A stock Alembic project with ``count`` revisions of everyday schema changes."""
    (root / "migrations" / "versions").mkdir(parents=True)
    ini = (
        (CORPUS / "alembic.ini")
        .read_text()
        .replace(
            "sqlalchemy.url = driver://user:pass@localhost/dbname", f"sqlalchemy.url = {PG_URL}"
        )
    )
    (root / "alembic.ini").write_text(ini)
    (root / "migrations" / "env.py").write_text(ENV_TEMPLATE)
    shutil.copy(CORPUS / "migrations" / "script.py.mako", root / "migrations" / "script.py.mako")
    previous = None
    for i in range(count):
        rev = f"{i:012x}"
        table = f"t{i // 10}"
        kind = i % 10
        if kind == 0:
            up = (
                f'op.create_table("{table}", sa.Column("id", sa.BigInteger(), primary_key=True), '
                f'sa.Column("name", sa.String(50)))'
            )
            down = f'op.drop_table("{table}")'
        elif kind in (1, 4, 7):
            up = f'op.add_column("{table}", sa.Column("c{kind}", sa.Text(), nullable=True))'
            down = f'op.drop_column("{table}", "c{kind}")'
        elif kind == 2:
            up = f'op.create_index("ix_{table}_name", "{table}", ["name"])'
            down = f'op.drop_index("ix_{table}_name", table_name="{table}")'
        elif kind == 3:
            up = (
                f'op.alter_column("{table}", "name", type_=sa.String(100), '
                "existing_type=sa.String(50))"
            )
            down = (
                f'op.alter_column("{table}", "name", type_=sa.String(50), '
                "existing_type=sa.String(100))"
            )
        elif kind == 5:
            up = f'op.execute("UPDATE {table} SET c4 = name WHERE c4 IS NULL")'
            down = "pass"
        elif kind == 6:
            up = f'op.alter_column("{table}", "c1", nullable=False)'
            down = f'op.alter_column("{table}", "c1", nullable=True)'
        elif kind == 8:
            up = f'op.create_foreign_key("fk_{table}", "{table}", "t0", ["id"], ["id"])'
            down = f'op.drop_constraint("fk_{table}", "{table}", type_="foreignkey")'
        else:
            up = f'op.alter_column("{table}", "c7", new_column_name="c9")'
            down = f'op.alter_column("{table}", "c9", new_column_name="c7")'
        text = textwrap.dedent(f'''\
            """revision {i}"""
            from alembic import op
            import sqlalchemy as sa

            revision = {rev!r}
            down_revision = {previous!r}
            branch_labels = None
            depends_on = None


            def upgrade():
                {up}


            def downgrade():
                {down}
            ''')
        (root / "migrations" / "versions" / f"{rev}_r{i}.py").write_text(text)
        previous = rev


def timed(
    command: str, cwd: Path, env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    result = subprocess.run(
        command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    return time.perf_counter() - start, result


def speed(count: int, runs: int) -> None:
    """``check`` and the pipeline in turn (A B A B ...), after a warm-up; medians and ratios."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed packages run: bytecode cached
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "history"
        root.mkdir()
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        generate_history(root, count)
        ours_cmd = f"{sys.executable} -m alembic_safe check --format json > ours.json"
        theirs_cmd = (
            f"{sys.executable} -m alembic upgrade base:head --sql 2>/dev/null | "
            f"{squawk_path()} --reporter json > squawk.json"
        )
        timed(ours_cmd, root, env)  # warm-up: bytecode, file system cache
        timed(theirs_cmd, root, env)
        ours_times, theirs_times = [], []
        for _ in range(runs):
            seconds, result = timed(ours_cmd, root, env)
            assert result.returncode in (0, 1), result.stderr[-2000:]
            ours_times.append(seconds)
            seconds, result = timed(theirs_cmd, root, env)
            theirs_times.append(seconds)
        ratios = [a / b for a, b in zip(ours_times, theirs_times, strict=True)]
        found = json.loads((root / "ours.json").read_text())
        squawk_found = json.loads((root / "squawk.json").read_text() or "[]")
        print(
            f"\nGenerated history: {count} revisions ({runs} pairs in turn, wall time per process)"
        )
        print(
            f"  alembic-safe check (upgrade + downgrade plans, {len(found)} findings): "
            f"median {statistics.median(ours_times):.2f} s [{min(ours_times):.2f}-{max(ours_times):.2f}]"
        )
        print(
            f"  alembic upgrade base:head --sql | squawk ({len(squawk_found)} findings): "
            f"median {statistics.median(theirs_times):.2f} s "
            f"[{min(theirs_times):.2f}-{max(theirs_times):.2f}]"
        )
        print(
            f"  ratio alembic-safe / pipeline, pair by pair: median {statistics.median(ratios):.2f} "
            f"[{min(ratios):.2f}-{max(ratios):.2f}] (target <= 1.0)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-corpus", action="store_true")
    args = parser.parse_args()
    if not args.skip_corpus:
        print("Corpus: tests/corpus (stock Alembic project)")
        expected = json.loads((CORPUS / "expected.json").read_text())
        sql = corpus_sql()
        compare(expected, run_squawk(sql), sql)
    speed(args.revisions, args.runs)


if __name__ == "__main__":
    main()
