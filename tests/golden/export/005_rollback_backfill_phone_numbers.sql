-- Rollback Migration: backfill phone numbers
-- Revision: e5 (revises c3)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- Irreversible: the backfilled values cannot be told apart from real ones
-- File: migrations/versions/e5_backfill_phone_numbers.py

BEGIN;

-- Running downgrade e5 -> c3

DELETE FROM alembic_version WHERE alembic_version.version_num = 'e5';

COMMIT;
