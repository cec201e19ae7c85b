-- Migration: unique index on email
-- Revision: c3 (revises b2)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- File: migrations/versions/c3_unique_index_on_email.py

-- Pre-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"users"') AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))) THEN
        RAISE EXCEPTION 'pre-migration validation failed: table "users" exists (expected present)';
    END IF;
    IF NOT (to_regclass('"ix_users_email"') IS NULL) THEN
        RAISE EXCEPTION 'pre-migration validation failed: the name "ix_users_email" is free (expected no relation with this name)';
    END IF;
END $alembic_safe$;

BEGIN;

-- Running upgrade b2 -> c3

CREATE UNIQUE INDEX ix_users_email ON users (email);

UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'b2';

COMMIT;

-- Post-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"ix_users_email"') AND c.relkind IN ('i', 'I'))) THEN
        RAISE EXCEPTION 'post-migration validation failed: index "ix_users_email" exists (expected present)';
    END IF;
END $alembic_safe$;
