-- The event log of every programme, and the idempotency keys of appends.
-- Runs unchanged on PostgreSQL and on PGlite.

create table programme (
  id          text primary key,
  config      text not null,                  -- the workflow JSON exactly as the city wrote it
  etag        text not null,                  -- "sha256-…" of config, for If-None-Match
  last_seq    bigint not null default 0,      -- the append counter, locked (for update) per append
  updated_at  timestamptz not null default now()
);

create table log_entry (
  programme_id text   not null references programme (id),
  seq          bigint not null check (seq > 0),
  id           text   not null,               -- the client's entry id = Idempotency-Key
  topic_id     text   not null,
  event        json   not null,               -- as sent (json, not jsonb: kept verbatim, \u0000 allowed)
  by_actor     json   not null,
  at           text   not null,               -- as sent; never normalised
  fingerprint  text   not null,               -- SHA-256 (hex) of the canonical request body
  received_at  timestamptz not null default now(),
  primary key (programme_id, seq),
  unique (programme_id, id)                   -- one accepted entry per key: the last line of defence
);

-- Each append replays only the topics it touches.
create index log_entry_topic on log_entry (programme_id, topic_id, seq);

-- One row per Idempotency-Key: inserted 'in_flight' before the append (a second request with
-- the key then gets 409), made 'done' with the answer in the append's transaction, deleted
-- when the event is refused (a refused request binds nothing).
create table idempotency_key (
  programme_id text not null references programme (id),
  key          text not null,
  fingerprint  text not null,
  status       text not null check (status in ('in_flight', 'done')),
  owner        text not null,                 -- a random id of the request that holds the key
  seq          bigint,
  response     json,                          -- the first answer's body, replayed with 200
  started_at   timestamptz not null default now(),
  finished_at  timestamptz,
  primary key (programme_id, key),
  foreign key (programme_id, seq) references log_entry (programme_id, seq),
  check ((status = 'done') = (seq is not null and response is not null and finished_at is not null))
);
