-- Migration: orders reference users
-- Revision: d4 (revises c3)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- File: migrations/versions/d4_orders_reference_users.py

-- Pre-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"orders"') AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))) THEN
        RAISE EXCEPTION 'pre-migration validation failed: table "orders" exists (expected present)';
    END IF;
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"users"') AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))) THEN
        RAISE EXCEPTION 'pre-migration validation failed: table "users" exists (expected present)';
    END IF;
    IF NOT (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conrelid = to_regclass('"orders"') AND k.conname = 'fk_orders_user')) THEN
        RAISE EXCEPTION 'pre-migration validation failed: constraint "fk_orders_user" on "orders" does not exist (expected absent)';
    END IF;
END $alembic_safe$;

BEGIN;

-- Running upgrade c3 -> d4

ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY(user_id) REFERENCES users (id);

UPDATE alembic_version SET version_num='d4' WHERE alembic_version.version_num = 'c3';

COMMIT;

-- Post-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conrelid = to_regclass('"orders"') AND k.conname = 'fk_orders_user')) THEN
        RAISE EXCEPTION 'post-migration validation failed: constraint "fk_orders_user" on "orders" exists (expected present)';
    END IF;
END $alembic_safe$;
