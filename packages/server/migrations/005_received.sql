-- When the server received each entry, as the machine saw it (LogEntry.receivedAt, ISO 8601 from
-- the server's clock, e.g. 2026-07-15T01:00:00.123Z): rules that depend on time count an event at
-- its claimed `at` only within the config's offlineGraceHours before this (docs/config.md, "Time
-- and the offline grace"). Text, not timestamptz, so a replay reads back exactly the string the
-- append was checked with. Null for entries appended before this migration: their `at` counts as
-- it did (the `received_at` column's default, the insert time, was never part of the check).
alter table log_entry add column received text;
