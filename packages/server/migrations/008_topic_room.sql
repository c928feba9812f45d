-- Issue 20: topics belong to a consultation room (`TopicSummary.room`, the room the topic is in
-- now; escalation moves it). The index keeps it as a column, filtered like level and category
-- (`GET /programmes/{p}/topics?room=`), and the bucket counts are kept by room too.
-- Runs unchanged on PostgreSQL and on PGlite.

alter table topic_index add column room text not null default '';   -- the room's id ('' for none)
create index topic_index_room on topic_index (programme_id, room, submitted_seq);

alter table topic_index_count add column room text not null default '';
alter table topic_index_count drop constraint topic_index_count_pkey;
alter table topic_index_count add primary key (programme_id, status, level, source, category, room);

-- The rows written before this migration hold no room: forget the config they were built with,
-- so the next catch-up rebuilds them from the log (the designed path of a new config; the
-- watermark stays, so no notice is sent twice).
update topic_index_state set config_etag = null;
