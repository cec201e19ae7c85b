"""docs/rules/ is generated from the rule docstrings and must not go stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from alembic_safe.rules import REGISTRY
from alembic_safe.rules.base import DOC_SECTIONS
from alembic_safe.rules.docs import pages

DOCS = Path(__file__).resolve().parents[3] / "docs" / "rules"


@pytest.mark.parametrize("name", sorted(pages()))
def test_committed_page_matches_the_docstring(name: str) -> None:
    path = DOCS / name
    assert path.is_file(), f"{path} is missing: run python -m alembic_safe.rules.docs"
    assert path.read_text(encoding="utf-8") == pages()[name], (
        f"{path} is stale: run python -m alembic_safe.rules.docs"
    )


def test_no_page_without_a_rule() -> None:
    stale = {p.name for p in DOCS.glob("*.md")} - set(pages())
    assert stale == set()


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_rule_doc_has_every_section_in_order(rule_id: str) -> None:
    sections = list(REGISTRY[rule_id].doc_sections())
    required = [s for s in sections if s in DOC_SECTIONS]
    assert required == list(DOC_SECTIONS)
    assert all(REGISTRY[rule_id].doc_sections()[s] for s in DOC_SECTIONS)


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_what_to_do_instead_shows_code(rule_id: str) -> None:
    assert "```" in REGISTRY[rule_id].doc_sections()["What to do instead"]
