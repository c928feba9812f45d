-- Time and notifications (docs/server.md, "Notifications"). Runs unchanged on PostgreSQL and on
-- PGlite. Times the server's clock compares are epoch milliseconds (bigint), so a test's
-- controllable clock and the database agree without the database's now().

-- The job queue: one row per moment the server's clock must act on (a measure due soon or
-- overdue, a meeting reminder, a rating window closing or ending), derived from the log by the
-- machine's `topicTimers` whenever a topic's entries are indexed. Nothing here is the source of
-- truth: deleting the pending rows and replaying the log gives the same schedule. A row is taken
-- by one process at a time (`for update skip locked`, then a lease), done once, and kept as done
-- so the same moment is never acted on twice.
create table timer_job (
  programme_id  text   not null references programme (id),
  key           text   not null,              -- TopicTimer.key: stable for the same moment
  topic_id      text   not null,
  kind          text   not null,              -- TimerKind
  run_at_ms     bigint not null,              -- when it fires (epoch ms)
  timer         json   not null,              -- the TopicTimer
  state         text   not null default 'pending' check (state in ('pending', 'done', 'cancelled')),
  lease_until_ms bigint,                      -- a process working on it until then
  attempts      integer not null default 0,
  last_error    text,
  done_at_ms    bigint,
  primary key (programme_id, key)
);
create index timer_job_due on timer_job (run_at_ms) where state = 'pending';
create index timer_job_topic on timer_job (programme_id, topic_id);

-- How far the scheduler has derived event notices from the log, per programme: entries after
-- this seq have not yet been looked at for notices (a rebuild of the index does not notify again).
create table notice_state (
  programme_id text   primary key references programme (id),
  noticed_seq  bigint not null default 0
);

-- The outbox: one row per notice × channel × recipient, written in the same transaction that
-- derived it, unique on `id` (a hash of the notice's key, the channel, the endpoint and the
-- recipient), so a notice is never queued twice. Delivered by whichever process leases it,
-- retried with backoff, dead-lettered after the last attempt, replayable by an operator.
create table notice_outbox (
  id            text   primary key,           -- also the webhook-id / Message-ID: stable across retries
  programme_id  text   not null references programme (id),
  topic_id      text   not null,
  notice_key    text   not null,              -- NoticeIntent.key
  trigger       text   not null,              -- NoticeTrigger
  audience      text   not null,              -- Audience
  channel       text   not null check (channel in ('webhook', 'email')),
  target        text   not null,              -- the webhook endpoint's id, or 'smtp'
  recipient     json   not null,              -- who (personal: an address) — erased with the topic
  payload       json   not null,              -- what is sent (webhook body / e-mail parts)
  state         text   not null default 'pending' check (state in ('pending', 'sent', 'dead', 'erased')),
  attempts      integer not null default 0,
  next_at_ms    bigint not null,              -- when it may be tried (next)
  lease_until_ms bigint,
  last_error    text,                         -- the last failure, without personal data
  created_ms    bigint not null,
  sent_ms       bigint
);
create index notice_outbox_due on notice_outbox (next_at_ms) where state = 'pending';
create index notice_outbox_dead on notice_outbox (programme_id, state, created_ms);
create index notice_outbox_topic on notice_outbox (programme_id, topic_id);

-- Residents who asked to be told about one topic (opt-in on "my topics", with its follow code):
-- an e-mail address or a phone number for that topic only. Personal data: erased with the
-- topic's personal values (personal.ts). `token_hash` is the SHA-256 of the one-click
-- unsubscribe token that every message carries.
create table notice_subscription (
  id            text   primary key,
  programme_id  text   not null references programme (id),
  topic_id      text   not null,
  channel       text   not null check (channel in ('email', 'sms')),
  address       text   not null,
  locale        text   not null,
  token_hash    text   not null unique,
  created_ms    bigint not null,
  unsubscribed_ms bigint,
  unique (programme_id, topic_id, channel, address)
);
create index notice_subscription_topic on notice_subscription (programme_id, topic_id);

-- The overdue mark the clock sets on a topic's index row when one of its measures passes its due
-- date while open (the supervisor's list reads it); the next index write of the topic recomputes it.
alter table topic_index add column overdue_since_ms bigint;
create index topic_index_overdue on topic_index (programme_id, overdue_since_ms) where overdue_since_ms is not null;
