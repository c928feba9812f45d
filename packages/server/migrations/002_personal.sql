-- Personal data apart from the log (docs/privacy.md): the shareable log entry keeps a redaction
-- marker where a personal value was, the values themselves live in `personal_value`, keyed to the
-- entry. Follow codes (only their hashes), the server's secret, failed code lookups (for the
-- limiter) and erasures. Runs unchanged on PostgreSQL and on PGlite.

-- The JSON Pointers redaction took out of the entry (LogEntry.redacted); null when nothing.
alter table log_entry add column redacted json;

-- The config's entity tag the programme's stored log was last redacted under: a log written
-- before this migration (or under a config that marked fewer fields personal) is redacted at
-- start-up (see redact-stored.ts) and the tag set; appends redact as they go.
alter table programme add column redacted_etag text;

create table personal_value (
  programme_id text not null,
  entry_id     text not null,                 -- log_entry.id
  topic_id     text not null,
  subject_id   text,                          -- by.id of the entry's sender (erasure by subject)
  vals         json not null,                 -- { "<JSON Pointer into the entry>": value }
  stored_at    timestamptz not null default now(),
  primary key (programme_id, entry_id),
  foreign key (programme_id, entry_id) references log_entry (programme_id, id)
);
create index personal_value_topic on personal_value (programme_id, topic_id);
create index personal_value_subject on personal_value (programme_id, subject_id);

-- Secrets the server derives things from (the follow codes' HMAC key), made once and shared by
-- every process on the database; CONSULT_FOLLOW_SECRET overrides it.
create table server_secret (
  name       text primary key,
  value      text not null,
  created_at timestamptz not null default now()
);

-- One follow code per topic: only the SHA-256 (hex) of the normalised code is kept.
create table follow_code (
  programme_id text not null references programme (id),
  topic_id     text not null,
  code_hash    text not null,
  created_at   timestamptz not null default now(),
  revoked_at   timestamptz,
  primary key (programme_id, topic_id),
  unique (programme_id, code_hash)
);

-- Failed follow-code lookups per client (a keyed hash of its address, never the address), for
-- the limiter; rows older than the window are deleted as new ones come.
create table follow_failure (
  client text        not null,
  at     timestamptz not null default now()
);
create index follow_failure_client on follow_failure (client, at);

-- Erasures (PIPL Art. 47, GDPR Art. 17): what was erased, when and by whom — never the values.
create table erasure (
  programme_id text        not null references programme (id),
  id           text        not null,
  at           timestamptz not null default now(),
  by_id        text        not null,          -- the admin token's subject
  kind         text        not null check (kind in ('topic', 'subject', 'value')),
  target_hash  text,                          -- SHA-256 of "topic:<id>" / "subject:<id>"; null for a value
  topic_ids    json        not null,          -- the topics whose entries lost personal values
  entries      integer     not null,          -- how many entries lost personal values
  primary key (programme_id, id)
);
create index erasure_target on erasure (programme_id, target_hash);
