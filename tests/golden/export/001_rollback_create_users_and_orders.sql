-- Rollback Migration: create users and orders
-- Revision: a1 (revises base)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- DESTRUCTIVE (line 38): drops table "orders" and every row in it
-- DESTRUCTIVE (line 39): drops table "users" and every row in it
-- File: migrations/versions/a1_create_users_and_orders.py

-- Pre-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"orders"') AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))) THEN
        RAISE EXCEPTION 'pre-migration validation failed: table "orders" exists (expected present)';
    END IF;
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"users"') AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))) THEN
        RAISE EXCEPTION 'pre-migration validation failed: table "users" exists (expected present)';
    END IF;
END $alembic_safe$;

BEGIN;

-- Running downgrade a1 -> 

DROP TABLE orders;

DROP TABLE users;

DELETE FROM alembic_version WHERE alembic_version.version_num = 'a1';

COMMIT;

-- Post-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"orders"') AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))) THEN
        RAISE EXCEPTION 'post-migration validation failed: table "orders" does not exist (expected absent)';
    END IF;
    IF NOT (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"users"') AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))) THEN
        RAISE EXCEPTION 'post-migration validation failed: table "users" does not exist (expected absent)';
    END IF;
END $alembic_safe$;

-- The forward script created the version table; back at base, remove it.
DROP TABLE IF EXISTS alembic_version;
