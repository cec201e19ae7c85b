-- Rollback Migration: drop legacy code
-- Revision: g7 (revises f6)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- File: migrations/versions/g7_drop_legacy_code.py

-- Pre-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"users"') AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))) THEN
        RAISE EXCEPTION 'pre-migration validation failed: table "users" exists (expected present)';
    END IF;
    IF NOT (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass('"users"') AND a.attname = 'legacy_code' AND a.attnum > 0 AND NOT a.attisdropped)) THEN
        RAISE EXCEPTION 'pre-migration validation failed: column "users"."legacy_code" does not exist (expected absent)';
    END IF;
END $alembic_safe$;

BEGIN;

-- Running downgrade g7 -> f6

ALTER TABLE users ADD COLUMN legacy_code VARCHAR(10);

UPDATE alembic_version SET version_num='f6' WHERE alembic_version.version_num = 'g7';

COMMIT;

-- Post-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass('"users"') AND a.attname = 'legacy_code' AND a.attnum > 0 AND NOT a.attisdropped)) THEN
        RAISE EXCEPTION 'post-migration validation failed: column "users"."legacy_code" exists (expected present)';
    END IF;
END $alembic_safe$;
