/**
 * The outcomes board's data without a server: a topic snapshot mapped to the same
 * `TopicSummary` the server's index answers (`GET /programmes/{p}/topics`), and the index's
 * filters and paging over those summaries. Pure functions (no DOM, no clock: `now` is passed in),
 * so the board shows the same thing with the local transport as with a city's server.
 */
import { searchText, summarizeTopic as summarize, toMillis, type LogEntry, type TopicSnapshot } from '@consult-kit/machine/core';
import type { TopicIndexPage, TopicIndexQuery, TopicSummary } from '@consult-kit/store';

/**
 * One topic as the public index shows it: the machine's `summarizeTopic`, the very mapping the
 * reference server's index uses, so the board shows the same with the local transport as with a
 * city's server.
 */
export function summarizeTopic(snapshot: TopicSnapshot, now: string | number, lastSeq = 0): TopicSummary {
  return summarize(snapshot, lastSeq, now);
}

/** The highest `seq` of each topic in a log. */
export function lastSeqs(log: readonly LogEntry[]): Map<string, number> {
  const seqs = new Map<string, number>();
  for (const e of log) if (e.seq > (seqs.get(e.topicId) ?? 0)) seqs.set(e.topicId, e.seq);
  return seqs;
}

/** The `seq` of each topic's first entry (its submission) in a log: the server's "newest first" order. */
export function firstSeqs(log: readonly LogEntry[]): Map<string, number> {
  const seqs = new Map<string, number>();
  for (const e of log) if (e.seq > 0 && !(e.seq >= (seqs.get(e.topicId) ?? Infinity))) seqs.set(e.topicId, e.seq);
  return seqs;
}

/** Every submitted topic as a summary (drafts are not in the index). */
export function summarizeTopics(
  topics: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>,
  now: string | number,
  seqs: ReadonlyMap<string, number> = new Map(),
): TopicSummary[] {
  const list: Iterable<TopicSnapshot> = topics instanceof Map ? (topics as ReadonlyMap<string, TopicSnapshot>).values() : (topics as Iterable<TopicSnapshot>);
  const out: TopicSummary[] = [];
  for (const t of list) if (t.context.submittedAt) out.push(summarizeTopic(t, now, seqs.get(t.context.topicId) ?? 0));
  return out;
}

/** Whether a summary matches the index's filters (not the paging). */
export function matchesQuery(t: TopicSummary, query: TopicIndexQuery): boolean {
  if (query.status && t.status !== query.status) return false;
  if (query.level && t.level !== query.level) return false;
  if (query.source && t.source !== query.source) return false;
  if (query.category && t.category !== query.category) return false;
  if (query.room && t.room !== query.room) return false;
  if (query.overdue && !t.overdue) return false;
  const q = query.q?.trim();
  if (q && !searchText(`${t.title}\n${t.description}`).includes(searchText(q))) return false;
  return true;
}

/**
 * Newest topic first, as the server's index: by the seq of the submission when the log gives it
 * (`submittedSeq`; a topic not yet confirmed by a server counts as the newest), then by when it
 * was raised, then by id — a stable order for paging.
 */
function newestFirst(submittedSeq: ReadonlyMap<string, number> | undefined) {
  const seq = (t: TopicSummary) => submittedSeq?.get(t.topicId) ?? Infinity;
  return (a: TopicSummary, b: TopicSummary): number =>
    (submittedSeq ? seq(b) - seq(a) || 0 : 0) ||
    toMillis(b.submittedAt) - toMillis(a.submittedAt) ||
    (a.topicId < b.topicId ? -1 : a.topicId > b.topicId ? 1 : 0);
}

/**
 * One page of the index over summaries held here, as the server would answer it: filtered,
 * newest topic first, `limit` per page; the cursor is the position after the page.
 */
export function pageOfSummaries(summaries: readonly TopicSummary[], query: TopicIndexQuery, submittedSeq?: ReadonlyMap<string, number>): TopicIndexPage {
  const matching = summaries.filter((t) => matchesQuery(t, query)).sort(newestFirst(submittedSeq));
  const limit = query.limit && query.limit > 0 ? Math.floor(query.limit) : 20;
  const start = Math.max(0, Number.parseInt(query.cursor ?? '', 10) || 0);
  const items = matching.slice(start, start + limit);
  const end = start + items.length;
  return { items, total: matching.length, cursor: String(end), more: end < matching.length };
}
