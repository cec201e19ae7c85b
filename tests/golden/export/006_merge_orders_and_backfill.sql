-- Migration: merge orders and backfill
-- Revision: f6 (revises d4, e5)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- File: migrations/versions/f6_merge_orders_and_backfill.py

BEGIN;

-- Running upgrade d4, e5 -> f6

DELETE FROM alembic_version WHERE alembic_version.version_num = 'd4';

UPDATE alembic_version SET version_num='f6' WHERE alembic_version.version_num = 'e5';

COMMIT;
