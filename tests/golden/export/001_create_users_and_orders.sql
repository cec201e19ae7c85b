-- Migration: create users and orders
-- Revision: a1 (revises base)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- File: migrations/versions/a1_create_users_and_orders.py

-- Pre-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (to_regclass('"users"') IS NULL) THEN
        RAISE EXCEPTION 'pre-migration validation failed: the name "users" is free (expected no relation with this name)';
    END IF;
    IF NOT (to_regclass('"orders"') IS NULL) THEN
        RAISE EXCEPTION 'pre-migration validation failed: the name "orders" is free (expected no relation with this name)';
    END IF;
END $alembic_safe$;

BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> a1

CREATE TABLE users (
    id SERIAL NOT NULL, 
    email VARCHAR(200) NOT NULL, 
    legacy_code VARCHAR(10), 
    PRIMARY KEY (id)
);

CREATE TABLE orders (
    id SERIAL NOT NULL, 
    user_id INTEGER NOT NULL, 
    total NUMERIC(10, 2) DEFAULT '0' NOT NULL, 
    PRIMARY KEY (id)
);

INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING alembic_version.version_num;

COMMIT;

-- Post-migration validation
DO $alembic_safe$
BEGIN
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"users"') AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))) THEN
        RAISE EXCEPTION 'post-migration validation failed: table "users" exists (expected present)';
    END IF;
    IF NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"orders"') AND c.relkind IN ('r', 'p', 'f', 'v', 'm'))) THEN
        RAISE EXCEPTION 'post-migration validation failed: table "orders" exists (expected present)';
    END IF;
END $alembic_safe$;
