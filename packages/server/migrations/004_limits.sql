-- Abuse limits (docs/server.md, "Abuse limits"): counters in the database, so every server
-- process on one PostgreSQL shares them. One row per thing counted and fixed window; `key` is a
-- keyed hash (HMAC with the server's secret) of the address, subject or topic, never the value
-- itself. Rows whose window has ended are deleted as new ones come.
create table rate_counter (
  bucket     text        not null,   -- what is counted: resident-address, resident-subject, follow-address, follow-topic
  key        text        not null,   -- HMAC of the address / subject / topic
  expires_at timestamptz not null,   -- the end of the fixed window this row counts
  hits       integer     not null default 0,
  primary key (bucket, key, expires_at)
);
create index rate_counter_expires on rate_counter (expires_at);
