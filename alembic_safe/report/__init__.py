"""How ``alembic-safe check`` shows its findings: every output format and the colours.

:mod:`~alembic_safe.report.formats` maps a ``--format`` name to its renderer (text, json
and github live in :mod:`alembic_safe.lint`; :mod:`~alembic_safe.report.sarif` and
:mod:`~alembic_safe.report.markdown` here), :mod:`~alembic_safe.report.style` decides when
text is coloured, and :mod:`~alembic_safe.report.rule_page` prints a rule's page
(``alembic-safe rule ID``).
"""
