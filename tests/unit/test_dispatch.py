"""Every operation alembic-safe owns is known to every question asked of operations.

Op-type knowledge dispatches on the op class (as Alembic's ``renderers.dispatch_for``
does): a new safe operation declares, next to its class, how autogenerate renders it,
which checks it implies and how a page describes it.  Forgetting one fails here.
"""

from __future__ import annotations

import pytest
from alembic.autogenerate import renderers

from alembic_safe.analysis.derive import derive_op
from alembic_safe.analysis.impact import describe_op
from alembic_safe.operations.ops import SAFE_OPERATIONS


def _registered(function: object, cls: type) -> bool:
    dispatch = function.dispatch  # type: ignore[attr-defined]
    return bool(dispatch(cls) is not dispatch(object))


@pytest.mark.parametrize("cls", SAFE_OPERATIONS, ids=lambda c: c.__name__)
def test_safe_operation_implies_checks(cls: type) -> None:
    assert _registered(derive_op, cls), f"register {cls.__name__} with analysis.derive.derive_op"


@pytest.mark.parametrize("cls", SAFE_OPERATIONS, ids=lambda c: c.__name__)
def test_safe_operation_is_described_on_the_page(cls: type) -> None:
    found = _registered(describe_op, cls)
    assert found, f"register {cls.__name__} with analysis.impact.describe_op"


@pytest.mark.parametrize("cls", SAFE_OPERATIONS, ids=lambda c: c.__name__)
def test_safe_operation_renders_in_autogenerate(cls: type) -> None:
    # its own renderer: one inherited from an Alembic op would write the unsafe form
    own = (cls, "default") in renderers._registry
    assert own, f"register a renderer for {cls.__name__} in operations/render.py"
