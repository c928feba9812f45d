-- Versioned configs (issue 19, point 6): every config a programme ever had is kept, numbered 1,
-- 2, 3…; the `programme` row keeps pointing at the latest (its `config`, `etag` and now
-- `version`). Each topic records the version it started under (in the transaction that appended
-- its first entry) and is replayed with that version's config ever after; new topics take the
-- latest. Runs unchanged on PostgreSQL and on PGlite.

create table config_version (
  programme_id text        not null references programme (id),
  version      integer     not null check (version > 0),
  config       text        not null,           -- the workflow JSON exactly as published
  etag         text        not null,           -- "sha256-…" of config
  published_at timestamptz not null default now(),
  published_by text,                           -- the publishing actor's id (null: seeded from a file)
  primary key (programme_id, version)
);

-- Every programme so far has one version: the config it holds now.
insert into config_version (programme_id, version, config, etag, published_at)
select id, 1, config, etag, updated_at from programme;

alter table programme add column version integer not null default 1;

-- The version each topic started under. Topics already in a log were replayed with the one
-- config their programme held, which is now its version 1.
create table topic_version (
  programme_id text    not null,
  topic_id     text    not null,
  version      integer not null,
  primary key (programme_id, topic_id),
  foreign key (programme_id, version) references config_version (programme_id, version)
);

insert into topic_version (programme_id, topic_id, version)
select distinct programme_id, topic_id, 1 from log_entry;
