-- Rollback Migration: add phone number to users
-- Revision: b2 (revises a1)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- DESTRUCTIVE (line 31): drops column "users"."phone" and the data in it
-- File: migrations/versions/b2_add_phone_number_to_users.py

-- Pre-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"ix_users_phone"') AND c.relkind IN ('i', 'I'))) THEN
        RAISE EXCEPTION 'pre-migration validation failed: index "ix_users_phone" exists (expected present)';
    END IF;
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass('"users"') AND a.attname = 'phone' AND a.attnum > 0 AND NOT a.attisdropped)) THEN
        RAISE EXCEPTION 'pre-migration validation failed: column "users"."phone" exists (expected present)';
    END IF;
END $alembic_safe$;

BEGIN;

-- Running downgrade b2 -> a1

COMMIT;

DROP INDEX CONCURRENTLY ix_users_phone;

BEGIN;

ALTER TABLE users DROP COLUMN phone;

UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b2';

COMMIT;

-- Post-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"ix_users_phone"') AND c.relkind IN ('i', 'I'))) THEN
        RAISE EXCEPTION 'post-migration validation failed: index "ix_users_phone" does not exist (expected absent)';
    END IF;
    IF NOT (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass('"users"') AND a.attname = 'phone' AND a.attnum > 0 AND NOT a.attisdropped)) THEN
        RAISE EXCEPTION 'post-migration validation failed: column "users"."phone" does not exist (expected absent)';
    END IF;
END $alembic_safe$;
