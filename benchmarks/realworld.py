"""alembic-safe check on the real-world histories of ``tests/realworld``, against the pipeline.

For each vendored history (``tests/realworld/<project>``) this runs the installed command
``alembic-safe check --format json`` (``python -m alembic_safe`` with this checkout first on
PYTHONPATH) and prints:

1. Capture: revision files, loaded, captured in full, captured past database reads (capture
   went on with empty answers), stopped early (the ``capture-incomplete`` findings grouped by
   cause, upgrade and downgrade apart), import failures, and whether standard output was one
   parseable JSON array.
2. Findings by rule id and severity.
3. Speed: wall time of ``alembic-safe check`` against ``alembic upgrade base:heads --sql |
   squawk`` (the way an Alembic user feeds squawk), the two run in turn A B A B in the same
   process, with the median of the pair-by-pair ratios; and where the pipeline stops early, at
   which revision and why.
4. With ``--profile``: the largest history under cProfile in one process (``ALEMBIC_SAFE_JOBS=1``:
   the pool's workers do exactly this work, each on its share of the revisions), with the
   time split into imports, loading, capture (Alembic rendering, SQL parsing) and rules, then
   the top entries by cumulative time.

Every command runs with Python's bytecode cache on (``PYTHONPYCACHEPREFIX`` in a temporary
directory, after a warm-up), as installed packages run, whatever ``PYTHONDONTWRITEBYTECODE``
says in the calling shell.

Usage: python benchmarks/realworld.py [--runs 3] [--only polar,indico] [--profile] [--top 30]
       [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
REALWORLD = REPO / "tests" / "realworld"
CHECK = [sys.executable, "-m", "alembic_safe", "check", "--format", "json"]


def histories() -> list[Path]:
    """Every vendored history: a folder of tests/realworld with an alembic.ini."""
    return sorted(p.parent for p in REALWORLD.glob("*/alembic.ini"))


PYCACHE = Path(tempfile.gettempdir()) / "alembic-safe-bench-pycache"


def environment() -> dict[str, str]:
    """This checkout first on PYTHONPATH, bytecode cached outside the tree, no database URL."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def revision_files(project: Path) -> list[Path]:
    return sorted((project / "migrations" / "versions").glob("*.py"))


# --------------------------------------------------------------------------- the check run


@dataclass
class CheckRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    findings: list[dict[str, Any]] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)
    """Lines on standard output before the JSON array (a revision's own print())."""
    parse_error: str | None = None


def run_check(project: Path, *extra: str) -> CheckRun:
    start = time.perf_counter()
    done = subprocess.run(
        [*CHECK, *extra],
        cwd=project,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    run = CheckRun(done.returncode, done.stdout, done.stderr, time.perf_counter() - start)
    try:
        run.findings = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        run.parse_error = f"{exc.msg} at line {exc.lineno}"
        lines = done.stdout.splitlines()
        start_line = next((i for i, line in enumerate(lines) if line.startswith("[")), None)
        if start_line is not None:
            run.noise = lines[:start_line]
            run.findings = json.loads("\n".join(lines[start_line:]))
    return run


_LINE = re.compile(r"\bline \d+(: )?")
_PARTLY = re.compile(
    r"^(?P<direction>upgrade|downgrade)\(\) was only partly checked: (?P<detail>.*)$", re.S
)
_READ_CAUSES = ("read rows", "inspected the schema", "used an ORM session", "used the connection's")


def is_stop(message: str) -> bool:
    """A capture-incomplete finding about where capture stopped (not a read it went past)."""
    return "offline the answer is empty" not in message


def cause(message: str) -> str:
    """A capture-incomplete message reduced to its cause (no line, no statement text)."""
    match = _PARTLY.match(message)
    if not match:
        return message.split("\n", maxsplit=1)[0][:100]
    detail = _LINE.sub("", match["detail"])
    kind = "stopped" if is_stop(message) else "went past"
    for word in ("needs a database: ", "capture stopped: "):
        detail = detail.removeprefix(word)
    if detail.startswith("depends on the answer guessed at"):
        return f"{kind}: depends on the answer of an earlier read"
    for read in _READ_CAUSES:
        if detail.startswith(read):
            what = detail.split(" (", 1)[1].split(" ", 1)[0] if " (" in detail else ""
            return f"{kind}: {read}" + (f" ({what.rstrip('),;')})" if what else "")
    first = detail.split("\n", maxsplit=1)[0]
    if not first.startswith(("NameError", "AttributeError")):  # there the name is the cause
        first = re.sub(r"'[\w.]+'", "'…'", first)
    return f"{kind}: {first[:110]}"


@dataclass
class Capture:
    files: int
    load_failures: list[tuple[str, str]]
    partial: dict[str, set[str]]
    """direction -> revisions with at least one capture-incomplete finding"""
    stopped: dict[str, set[str]]
    """direction -> revisions where capture stopped before the end of the function"""
    causes: dict[tuple[str, str], list[str]]
    """(direction, cause) -> "file:line" of each revision"""

    @property
    def loaded(self) -> int:
        return self.files - len(self.load_failures)

    @property
    def part(self) -> int:
        return len(self.partial["upgrade"] | self.partial["downgrade"])

    @property
    def stop(self) -> int:
        return len(self.stopped["upgrade"] | self.stopped["downgrade"])

    @property
    def past_reads(self) -> int:
        """Captured to the end of both functions, with guessed answers to database reads."""
        return self.part - self.stop

    @property
    def full(self) -> int:
        return self.loaded - self.part


def capture_summary(project: Path, run: CheckRun) -> Capture:
    failures = [
        (Path(f["path"]).name, f["message"]) for f in run.findings if f["rule"] == "import-error"
    ]
    partial: dict[str, set[str]] = {"upgrade": set(), "downgrade": set()}
    stopped: dict[str, set[str]] = {"upgrade": set(), "downgrade": set()}
    causes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in run.findings:
        if f["rule"] != "capture-incomplete":
            continue
        direction = f.get("direction") or "upgrade"
        partial.setdefault(direction, set()).add(f["revision"])
        if is_stop(f["message"]):
            stopped.setdefault(direction, set()).add(f["revision"])
        causes[(direction, cause(f["message"]))].append(f"{Path(f['path']).name}:{f['line']}")
    return Capture(len(revision_files(project)), failures, partial, stopped, dict(causes))


# --------------------------------------------------------------------------- the pipeline


@dataclass
class Pipeline:
    seconds: float
    rendered: int
    squawk_findings: int | None
    stopped_at: str | None
    """The revision being rendered when ``alembic upgrade --sql`` failed, or None."""
    reason: str | None
    last_ok: str | None
    """The last revision the pipeline rendered whole."""


_RUNNING = re.compile(r"^-- Running upgrade (?:(\S+) )?-> (\S+)", re.M)


def pipeline_command(workdir: Path) -> str:
    squawk = shutil.which("squawk")
    if squawk is None:
        sys.exit("squawk is not installed: pip install squawk-cli")
    return (
        f"{sys.executable} -m alembic upgrade base:heads --sql 2>{workdir / 'alembic.err'} "
        f"| tee {workdir / 'upgrade.sql'} | {squawk} --reporter json > {workdir / 'squawk.json'}"
    )


def run_pipeline(project: Path, workdir: Path) -> Pipeline:
    start = time.perf_counter()
    subprocess.run(
        pipeline_command(workdir), shell=True, cwd=project, env=environment(), check=False
    )
    seconds = time.perf_counter() - start
    sql = (workdir / "upgrade.sql").read_text(errors="replace")
    errors = (workdir / "alembic.err").read_text(errors="replace").strip().splitlines()
    rendered = _RUNNING.findall(sql)
    failed = bool(errors) and "Traceback" in "\n".join(errors)
    try:
        squawk_findings: int | None = len(json.loads((workdir / "squawk.json").read_text() or "[]"))
    except json.JSONDecodeError:
        squawk_findings = None
    stopped_at = reason = None
    done = [target for _source, target in rendered]
    if failed:
        reason = errors[-1][:200]
        stopped_at = done.pop() if done else "(loading the revision files)"
    return Pipeline(
        seconds, len(done), squawk_findings, stopped_at, reason, done[-1] if done else None
    )


def revision_file(project: Path, revision: str) -> str:
    for path in revision_files(project):
        if re.search(
            rf"^revision\s*(?::[^=]*)?=\s*['\"]{re.escape(revision)}['\"]",
            path.read_text(errors="replace"),
            re.M,
        ):
            return path.name
    return "?"


# --------------------------------------------------------------------------- timing


@dataclass
class Timing:
    check: list[float]
    pipeline: list[float]
    same_range: list[float]
    """check on only the revisions the pipeline rendered (``check base:<last rendered>``)"""

    @property
    def ratios(self) -> list[float]:
        return [a / b for a, b in zip(self.check, self.pipeline, strict=True)]

    @property
    def same_range_ratios(self) -> list[float]:
        return [a / b for a, b in zip(self.same_range, self.pipeline, strict=True)]


def timing(project: Path, runs: int, workdir: Path, last_ok: str | None) -> Timing:
    run_check(project)  # warm-up: file system cache, .pyc files
    run_pipeline(project, workdir)
    check, pipeline, same = [], [], []
    for _ in range(runs):
        check.append(run_check(project).seconds)
        pipeline.append(run_pipeline(project, workdir).seconds)
        if last_ok:
            same.append(run_check(project, f"base:{last_ok}").seconds)
    return Timing(check, pipeline, same)


# --------------------------------------------------------------------------- profile


_PROFILED = """
import contextlib, cProfile, importlib, io, sys
profiler = cProfile.Profile()
with contextlib.redirect_stdout(io.StringIO()):
    profiler.enable()
    cli = importlib.import_module("alembic_safe.cli")
    cli.main(["check", "--format", "json"])
    profiler.disable()
profiler.dump_stats(sys.argv[1])
"""

_PHASES = (
    ("imports (modules, before the project is loaded)", "cli.py:1", "(<module>)"),
    ("loading the project (Alembic imports every revision file)", "project.py:", "(load)"),
    ("capture (upgrade and downgrade of every revision)", "recorder.py:", "(capture)"),
    ("  of which Alembic operations (building and compiling DDL)", "base.py:", "(invoke)"),
    ("  of which SQL parsing (pglast)", "sqlparse.py:", "(parse)"),
)


def profile(project: Path, top: int) -> list[str]:
    """cProfile of one check run in one process (imports included): phases, then the top."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "check.prof"
        # in-process: the console script ends check with os._exit, before cProfile could write;
        # one process: the pool's workers do this same work, split between them
        command = [sys.executable, "-c", _PROFILED, str(out)]
        env = {**environment(), "ALEMBIC_SAFE_JOBS": "1"}
        subprocess.run(command, cwd=project, env=env, capture_output=True, check=True)
        stats = pstats.Stats(str(out))
        table = stats.stats  # type: ignore[attr-defined]
        total = max(ct for (_cc, _nc, _tt, ct, _c) in table.values())
        rows = []
        cumulative: dict[str, float] = {}
        for func, (_cc, nc, _tt, ct, _callers) in table.items():
            filename, line, name = func
            where = f"{short(filename)}:{line}({name})"
            rows.append((ct, nc, where))
            key = f"{Path(filename).name}:{line}({name})"
            cumulative[key] = max(cumulative.get(key, 0.0), ct)
        lines = [f"  {total:.2f} s under the profiler (one process, ALEMBIC_SAFE_JOBS=1)"]
        for label, file_line, name in _PHASES:
            value = _phase(cumulative, file_line, name)
            lines.append(f"  {value:7.2f}  {100 * value / total:5.1f}%  {label}")
        rules = _phase(cumulative, "__init__.py:", "(lint_scripts)") - _phase(
            cumulative, "recorder.py:", "(capture)"
        )
        lines.append(f"  {rules:7.2f}  {100 * rules / total:5.1f}%  rules and suppressions")
        rows.sort(reverse=True)
        lines.append("  top entries: cumulative s, share, calls, function")
        for ct, nc, where in rows[:top]:
            lines.append(f"  {ct:7.2f}  {100 * ct / total:5.1f}%  {nc:>8}  {where}")
        return lines


def _phase(cumulative: dict[str, float], file_line: str, name: str) -> float:
    """The largest cumulative time of a function named ``name`` in a file (``x.py:``)."""
    found = [
        ct for key, ct in cumulative.items() if key.startswith(file_line) and key.endswith(name)
    ]
    return max(found, default=0.0)


def short(filename: str) -> str:
    for marker in ("site-packages/", "alembic_safe/", "lib/python3"):
        if marker in filename:
            return (
                filename.split(marker, 1)[1]
                if marker != "alembic_safe/"
                else ("alembic_safe/" + filename.split(marker, 1)[1])
            )
    return filename if filename.startswith("~") else Path(filename).name


# --------------------------------------------------------------------------- report


def report(project: Path, runs: int, workdir: Path) -> dict[str, Any]:
    run = run_check(project)
    cap = capture_summary(project, run)
    print(f"\n=== {project.name}: {cap.files} revision files")
    print(
        f"  check exit code {run.returncode}; stdout "
        + (
            "is one JSON array"
            if run.parse_error is None
            else f"is NOT valid JSON ({run.parse_error}): {len(run.noise)} line(s) before the array, "
            f"first: {run.noise[0][:80]!r}"
            if run.noise
            else f"is NOT valid JSON ({run.parse_error})"
        )
    )
    print(
        f"  loaded {cap.loaded}, captured in full {cap.full}, past database reads "
        f"{cap.past_reads}, stopped early {cap.stop} (upgrade {len(cap.stopped['upgrade'])}, "
        f"downgrade {len(cap.stopped['downgrade'])}), import failures {len(cap.load_failures)}"
    )
    for name, message in cap.load_failures:
        print(f"    import failure {name}: {message[:150]}")
    for (direction, why), places in sorted(cap.causes.items(), key=lambda kv: -len(kv[1])):
        sample = ", ".join(places[:3]) + (" ..." if len(places) > 3 else "")
        print(f"    {direction:<9} {len(places):>3}  {why}  [{sample}]")
    by_rule = Counter((f["rule"], f["severity"]) for f in run.findings)
    print(f"  findings: {len(run.findings)}")
    for (rule, severity), count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"    {count:>4}  {severity:<7}  {rule}")
    pipe = run_pipeline(project, workdir)
    if pipe.stopped_at:
        where = (
            pipe.stopped_at
            if pipe.stopped_at.startswith("(")
            else f"{pipe.stopped_at} ({revision_file(project, pipe.stopped_at)})"
        )
        print(
            f"  pipeline: rendered {pipe.rendered} of {cap.files} revisions, then stopped at "
            f"{where}: {pipe.reason}"
        )
    else:
        print(f"  pipeline: rendered all {pipe.rendered} revisions")
    print(f"  squawk findings on what was rendered: {pipe.squawk_findings}")
    t = timing(project, runs, workdir, pipe.last_ok)
    print(
        f"  wall time over {runs} runs, in turn: check median {statistics.median(t.check):.2f} s "
        f"[{min(t.check):.2f}-{max(t.check):.2f}], pipeline median "
        f"{statistics.median(t.pipeline):.2f} s [{min(t.pipeline):.2f}-{max(t.pipeline):.2f}], "
        f"ratio check/pipeline median {statistics.median(t.ratios):.2f} "
        f"[{min(t.ratios):.2f}-{max(t.ratios):.2f}]"
    )
    if t.same_range:
        print(
            f"  check base:{pipe.last_ok} (only what the pipeline rendered): median "
            f"{statistics.median(t.same_range):.2f} s, ratio to the pipeline median "
            f"{statistics.median(t.same_range_ratios):.2f} "
            f"[{min(t.same_range_ratios):.2f}-{max(t.same_range_ratios):.2f}]"
        )
    return {
        "project": project.name,
        "files": cap.files,
        "loaded": cap.loaded,
        "full": cap.full,
        "part": cap.part,
        "past_reads": cap.past_reads,
        "stopped": cap.stop,
        "stopped_upgrade": len(cap.stopped["upgrade"]),
        "stopped_downgrade": len(cap.stopped["downgrade"]),
        "import_failures": [name for name, _ in cap.load_failures],
        "causes": {f"{d}: {c}": w for (d, c), w in cap.causes.items()},
        "exit_code": run.returncode,
        "stdout_noise_lines": len(run.noise),
        "findings": len(run.findings),
        "by_rule": {f"{r} ({s})": n for (r, s), n in by_rule.items()},
        "pipeline_rendered": pipe.rendered,
        "pipeline_stopped_at": pipe.stopped_at,
        "pipeline_reason": pipe.reason,
        "squawk_findings": pipe.squawk_findings,
        "check_seconds": t.check,
        "pipeline_seconds": t.pipeline,
        "ratio_median": statistics.median(t.ratios),
        "same_range_seconds": t.same_range,
        "same_range_ratio_median": (
            statistics.median(t.same_range_ratios) if t.same_range else None
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command")
    parser.add_argument("--only", help="comma-separated project names")
    parser.add_argument("--profile", action="store_true", help="profile the largest history")
    parser.add_argument("--top", type=int, default=30, help="profile entries to print")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    chosen = histories()
    if args.only:
        wanted = set(args.only.split(","))
        chosen = [p for p in chosen if p.name in wanted]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for project in chosen:
            results.append(report(project, args.runs, Path(tmp)))
    print("\n=== summary")
    print(
        f"  {'history':<10} {'files':>5} {'loaded':>6} {'full':>5} {'reads':>5} {'stop':>5} "
        f"{'fail':>4} {'findings':>8} {'check s':>8} {'pipe s':>7} {'ratio':>6}  "
        "pipeline stopped at"
    )
    for r in results:
        print(
            f"  {r['project']:<10} {r['files']:>5} {r['loaded']:>6} {r['full']:>5} "
            f"{r['past_reads']:>5} {r['stopped']:>5} {len(r['import_failures']):>4} "
            f"{r['findings']:>8} "
            f"{statistics.median(r['check_seconds']):>8.2f} "
            f"{statistics.median(r['pipeline_seconds']):>7.2f} {r['ratio_median']:>6.2f}  "
            f"{r['pipeline_rendered']} rendered, {r['pipeline_stopped_at'] or '-'}"
        )
    keys = ("files", "loaded", "full", "past_reads", "stopped", "findings")
    total = {k: sum(r[k] for r in results) for k in keys}
    print(
        f"  {'total':<10} {total['files']:>5} {total['loaded']:>6} {total['full']:>5} "
        f"{total['past_reads']:>5} {total['stopped']:>5} "
        f"{sum(len(r['import_failures']) for r in results):>4} {total['findings']:>8}"
    )
    if args.profile and chosen:
        largest = max(chosen, key=lambda p: len(revision_files(p)))
        print(
            f"\n=== profile of alembic-safe check on {largest.name} "
            f"({len(revision_files(largest))} revisions)"
        )
        print("\n".join(profile(largest, args.top)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
