-- Migration: add phone number to users
-- Revision: b2 (revises a1)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- File: migrations/versions/b2_add_phone_number_to_users.py

-- Pre-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"users"') AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))) THEN
        RAISE EXCEPTION 'pre-migration validation failed: table "users" exists (expected present)';
    END IF;
    IF NOT (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass('"users"') AND a.attname = 'phone' AND a.attnum > 0 AND NOT a.attisdropped)) THEN
        RAISE EXCEPTION 'pre-migration validation failed: column "users"."phone" does not exist (expected absent)';
    END IF;
    IF NOT (to_regclass('"ix_users_phone"') IS NULL) THEN
        RAISE EXCEPTION 'pre-migration validation failed: the name "ix_users_phone" is free (expected no relation with this name)';
    END IF;
END $alembic_safe$;

BEGIN;

-- Running upgrade a1 -> b2

ALTER TABLE users ADD COLUMN phone VARCHAR(20);

COMMIT;

CREATE INDEX CONCURRENTLY ix_users_phone ON users (phone);

BEGIN;

UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';

COMMIT;

-- Post-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass('"users"') AND a.attname = 'phone' AND a.attnum > 0 AND NOT a.attisdropped)) THEN
        RAISE EXCEPTION 'post-migration validation failed: column "users"."phone" exists (expected present)';
    END IF;
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"ix_users_phone"') AND c.relkind IN ('i', 'I'))) THEN
        RAISE EXCEPTION 'post-migration validation failed: index "ix_users_phone" exists (expected present)';
    END IF;
END $alembic_safe$;
