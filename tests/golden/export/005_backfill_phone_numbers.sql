-- Migration: backfill phone numbers
-- Revision: e5 (revises c3)
-- Author: tests
-- Ticket/Issue: #1
-- Date: 2026-01-01 00:00:00
-- Irreversible: the backfilled values cannot be told apart from real ones
-- File: migrations/versions/e5_backfill_phone_numbers.py

BEGIN;

-- Running upgrade c3 -> e5

UPDATE users SET phone = 'unknown' WHERE phone IS NULL;

INSERT INTO alembic_version (version_num) VALUES ('e5') RETURNING alembic_version.version_num;

COMMIT;
