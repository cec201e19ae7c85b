"""The ledger of a revision that stops part-way: states, interrupts, what a re-run may skip."""

from __future__ import annotations

from typing import Any

import pytest

from alembic_safe.guard import partial
from alembic_safe.guard.partial import COMMITTED, EARLIER, PARTLY, ROLLED_BACK, StepRun


def _step(number: int, **state: Any) -> StepRun:
    step = StepRun(number, f"op{number}", number * 10, f"d{number}")
    for key, value in state.items():
        setattr(step, key, value)
    return step


@pytest.mark.parametrize(
    ("flags", "stopped"),
    [
        ({"finished": True}, COMMITTED),  # nothing left open: committed (or did nothing)
        ({"finished": True, "open_work": True}, ROLLED_BACK),  # its transaction was lost
        ({"finished": True, "open_work": True, "committed_work": True}, PARTLY),
        ({"committed_work": True}, PARTLY),  # a build or backfill stopped while it ran
        ({"open_work": True}, ROLLED_BACK),  # failed inside the transaction
        ({}, ROLLED_BACK),  # failed before it changed anything
        ({"state": EARLIER}, EARLIER),  # skipped: an earlier run committed it
    ],
)
def test_state_of_an_operation_when_the_run_stops(flags: dict[str, Any], stopped: str) -> None:
    assert partial.state_if_stopped(_step(1, **flags)) == stopped


def test_interrupts_are_found_behind_the_errors_cleanup_code_raises() -> None:
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("Can't reconnect")  # noqa: B904 - the implicit context is the point
    except RuntimeError as exc:
        wrapped = exc
    assert partial.interrupted(wrapped)
    assert partial.interrupted(KeyboardInterrupt())
    assert not partial.interrupted(ValueError("plain failure"))


def test_resume_keeps_only_committed_operations() -> None:
    progress = {
        "steps": [
            {"number": 1, "name": "add_column", "state": COMMITTED, "digest": "a"},
            {"number": 2, "name": "create_index_concurrently", "state": PARTLY, "digest": "b"},
            {"number": 3, "name": "execute", "state": ROLLED_BACK, "digest": "c"},
        ]
    }
    resume = partial.Resume.from_history(7, "2026-01-01", "interrupted", progress)
    assert resume is not None and sorted(resume.committed) == [1] and not resume.raw
    nothing = {"steps": [{"number": 1, "name": "execute", "state": ROLLED_BACK}]}
    assert partial.Resume.from_history(8, "2026-01-01", "failed", nothing) is None
    assert partial.Resume.from_history(9, "2026-01-01", "abandoned", None) is None


def test_summary_groups_operations_by_what_happened_to_them() -> None:
    steps = [_step(1, state=COMMITTED), _step(2, state=PARTLY), _step(3, state=ROLLED_BACK)]
    titles = [title for title, _ in partial.summary(steps)]
    assert titles == [
        "Committed",
        "Stopped part-way outside the transaction (what it did so far stays)",
        "Rolled back",
    ]
    assert partial.summary(steps)[0][1] == "step 1 op1 (line 10)"
