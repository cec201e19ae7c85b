-- Rollback Migration: unique index on email
-- Revision: c3 (revises b2)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- File: migrations/versions/c3_unique_index_on_email.py

-- Pre-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"ix_users_email"') AND c.relkind IN ('i', 'I'))) THEN
        RAISE EXCEPTION 'pre-migration validation failed: index "ix_users_email" exists (expected present)';
    END IF;
END $alembic_safe$;

BEGIN;

-- Running downgrade c3 -> b2

DROP INDEX ix_users_email;

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'c3';

COMMIT;

-- Post-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"ix_users_email"') AND c.relkind IN ('i', 'I'))) THEN
        RAISE EXCEPTION 'post-migration validation failed: index "ix_users_email" does not exist (expected absent)';
    END IF;
END $alembic_safe$;
