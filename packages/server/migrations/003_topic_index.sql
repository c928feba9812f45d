-- The topic index: one row per topic, built from the server's own replay of the log
-- (packages/server/src/topic-index.ts), for `GET /programmes/{p}/topics`.
-- Runs unchanged on PostgreSQL and on PGlite. Nothing here is the source of truth: dropping
-- these rows and the watermark rebuilds the same index from the log.

-- Per programme: how far the index has replayed the log (a row lock serialises catch-ups across
-- processes) and which config it was built with (a new config rebuilds it).
create table topic_index_state (
  programme_id text   primary key references programme (id),
  indexed_seq  bigint not null default 0,     -- every entry with seq <= this is in the index
  config_etag  text                           -- programme.etag the rows were built with
);

create table topic_index (
  programme_id  text   not null references programme (id),
  topic_id      text   not null,
  status        text   not null,              -- the top state: screening, handling, closed…
  state         text   not null,              -- the dotted state: meeting.inSession.briefing
  level         text   not null,
  source        text   not null,
  category      text   not null default '',   -- the category field's value ('' for none)
  search        text   not null,              -- title + description, NFKC, lower case (strpos)
  submitted_seq bigint not null,              -- seq of its topic.submit: the sort and the cursor
  last_seq      bigint not null,
  open_due_ms   bigint,                       -- earliest due (epoch ms) of a measure still open
  summary       json   not null,              -- the TopicSummary (no personal data)
  primary key (programme_id, topic_id),
  unique (programme_id, submitted_seq)
);

-- Newest first, by each filter that narrows a board: a page is an index seek, page N as page 1.
create index topic_index_status on topic_index (programme_id, status, submitted_seq);
create index topic_index_level on topic_index (programme_id, level, submitted_seq);
create index topic_index_category on topic_index (programme_id, category, submitted_seq);
create index topic_index_due on topic_index (programme_id, open_due_ms);

-- How many topics each (status, level, source, category) holds: the `total` of a page filtered by
-- those columns is a sum over a few buckets, not a count over the programme's topics.
create table topic_index_count (
  programme_id text   not null references programme (id),
  status       text   not null,
  level        text   not null,
  source       text   not null,
  category     text   not null,
  n            bigint not null,
  primary key (programme_id, status, level, source, category)
);
