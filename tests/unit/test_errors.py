"""errors.chain: the one walk of an exception's causes that SQLSTATEs, interrupts and cleanups use."""

from __future__ import annotations

import pytest
from sqlalchemy import exc as sa_exc

from alembic_safe.errors import chain
from alembic_safe.guard.partial import interrupted
from alembic_safe.operations import cleaned_up
from alembic_safe.operations._session import note_cleanup
from alembic_safe.pg.connection import sqlstate


def raised_from_handling(first: BaseException, then: BaseException) -> BaseException:
    """``then``, raised while ``first`` was being handled (``then.__context__ is first``)."""
    try:
        try:
            raise first
        except BaseException:
            raise then  # noqa: B904 - the implicit context is what this builds
    except BaseException as caught:
        return caught


def test_chain_follows_cause_before_context_and_stops_on_a_cycle() -> None:
    inner, outer = ValueError("inner"), RuntimeError("outer")
    outer.__cause__ = inner
    inner.__context__ = outer  # a cycle, as cleanup code can build
    assert list(chain(outer)) == [outer, inner]


def test_an_interrupt_behind_a_pending_rollback_is_an_interrupt_with_its_cleanup() -> None:
    interrupt = KeyboardInterrupt()
    note_cleanup(interrupt, "public.ix_items_h1")
    error = raised_from_handling(interrupt, sa_exc.PendingRollbackError("rolled back"))
    assert error.__context__ is interrupt
    assert interrupted(error)
    assert cleaned_up(error) == ["public.ix_items_h1"]
    assert not interrupted(ValueError("no interrupt"))
    assert cleaned_up(ValueError("nothing cleaned")) == []


@pytest.mark.parametrize("attribute", ["sqlstate", "pgcode"])
def test_sqlstate_is_found_on_a_cause(attribute: str) -> None:
    driver_error = Exception("lock timeout")
    setattr(driver_error, attribute, "55P03")
    wrapped = RuntimeError("the migration failed")
    wrapped.__cause__ = driver_error
    assert sqlstate(wrapped) == "55P03"
    assert sqlstate(RuntimeError("no database error")) is None
