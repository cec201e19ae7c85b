-- Migration: drop legacy code
-- Revision: g7 (revises f6)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- DESTRUCTIVE (line 26): drops column "users"."legacy_code" and the data in it
-- File: migrations/versions/g7_drop_legacy_code.py

-- Pre-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass('"users"') AND a.attname = 'legacy_code' AND a.attnum > 0 AND NOT a.attisdropped)) THEN
        RAISE EXCEPTION 'pre-migration validation failed: column "users"."legacy_code" exists (expected present)';
    END IF;
END $alembic_safe$;

BEGIN;

-- Running upgrade f6 -> g7

ALTER TABLE users DROP COLUMN legacy_code;

UPDATE alembic_version SET version_num='g7' WHERE alembic_version.version_num = 'f6';

COMMIT;

-- Post-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass('"users"') AND a.attname = 'legacy_code' AND a.attnum > 0 AND NOT a.attisdropped)) THEN
        RAISE EXCEPTION 'post-migration validation failed: column "users"."legacy_code" does not exist (expected absent)';
    END IF;
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass('"users"') AND a.attname = 'phone' AND a.attnum > 0 AND NOT a.attisdropped)) THEN
        RAISE EXCEPTION 'post-migration validation failed: column "users"."phone" exists (expected present)';
    END IF;
END $alembic_safe$;
