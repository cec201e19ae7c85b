-- Rollback Migration: merge orders and backfill
-- Revision: f6 (revises d4, e5)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- File: migrations/versions/f6_merge_orders_and_backfill.py

BEGIN;

-- Running downgrade f6 -> d4, e5

INSERT INTO alembic_version (version_num) VALUES ('d4') RETURNING alembic_version.version_num;

UPDATE alembic_version SET version_num='e5' WHERE alembic_version.version_num = 'f6';

COMMIT;
