/**
 * The outcomes board's data without a server: a topic snapshot mapped to the same
 * `TopicSummary` the server's index answers (`GET /programmes/{p}/topics`), and the index's
 * filters and paging over those summaries. Pure functions (no DOM, no clock: `now` is passed in),
 * so the board shows the same thing with the local transport as with a city's server.
 */
import { addDays, isOverdue, personalFieldNames, stateName, toMillis, type FormField, type LogEntry, type TopicSnapshot, type WorkflowConfig } from '@consult-kit/machine';
import type { TopicIndexPage, TopicIndexQuery, TopicSummary } from '@consult-kit/store';

/** The form field that holds a topic's category: the one with role `category`, else the one named `category`; never a personal field. */
export function categoryField(config: WorkflowConfig): FormField | undefined {
  const fields = config.form.pages.flatMap((page) => page.fields).filter((f) => !f.personal);
  return fields.find((f) => (f.role as string | undefined) === 'category') ?? fields.find((f) => f.name === 'category');
}

/** The title or description, unless the config marks its field personal (then the index shows nothing of it). */
function shareable(config: WorkflowConfig, role: 'title' | 'description', value: unknown): string {
  const field = config.form.pages.flatMap((page) => page.fields).find((f) => f.role === role);
  if (field && personalFieldNames(config).includes(field.name)) return '';
  return typeof value === 'string' ? value : '';
}

/**
 * One topic as the public index shows it: status, screening decision, meeting, measures,
 * feedback, rating. No personal data: no `by` of anyone, no participants, no personal field.
 * The same mapping as the reference server's (packages/server/src/topic-index.ts; a Node test
 * checks they agree on every example config).
 */
export function summarizeTopic(snapshot: TopicSnapshot, now: string | number, lastSeq = 0): TopicSummary {
  const ctx = snapshot.context;
  const config = ctx.config;
  const state = stateName(snapshot);
  const field = categoryField(config);
  const category = field ? ctx.values[field.name] : undefined;
  const summary: TopicSummary = {
    topicId: ctx.topicId,
    status: state.split('.')[0]!,
    state,
    level: ctx.level,
    source: ctx.source ?? 'resident',
    ...(typeof category === 'string' && category !== '' ? { category } : {}),
    title: shareable(config, 'title', ctx.title),
    description: shareable(config, 'description', ctx.description),
    submittedAt: ctx.submittedAt ?? '',
    updatedAt: ctx.updatedAt ?? ctx.submittedAt ?? '',
    lastSeq,
    measures: ctx.measures.map((m) => ({
      id: m.id,
      text: m.text,
      party: m.party,
      due: m.due,
      status: m.status,
      ...(m.reason ? { reason: m.reason } : {}),
      ...(m.result ? { result: m.result } : {}),
      overdue: isOverdue(m, now),
    })),
    overdue: false,
  };
  summary.overdue = summary.measures.some((m) => m.overdue);

  const screening = ctx.screening;
  const escalation = ctx.escalations.at(-1);
  if (screening) {
    const { decision, at, reason, into, channel } = screening;
    summary.screening = { decision, at, ...(reason ? { reason } : {}), ...(into ? { into } : {}), ...(channel ? { channel } : {}) };
  } else if (escalation) {
    summary.screening = { decision: 'escalated', at: escalation.at, level: escalation.to, ...(escalation.reason ? { reason: escalation.reason } : {}) };
  }

  const meeting = ctx.meetings.at(-1);
  if (meeting) summary.meeting = { format: meeting.format, start: meeting.start, place: meeting.place, rounds: ctx.meetings.length };

  const feedback = ctx.feedback.at(-1);
  if (feedback) summary.feedback = { text: feedback.text, at: feedback.at };

  const round = ctx.evaluations.at(-1);
  if (round) {
    const open = !round.closedAt;
    const stars = round.ratings.map((r) => r.stars);
    const average = open ? (stars.length > 0 ? stars.reduce((a, b) => a + b, 0) / stars.length : null) : (round.average ?? null);
    const days = config.step.evaluation?.windowDays;
    summary.rating = { average, count: stars.length, open, ...(open && days !== undefined ? { windowEnd: addDays(round.openedAt, days) } : {}) };
  }
  return summary;
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
  if (query.overdue && !t.overdue) return false;
  const q = query.q?.trim();
  if (q && !searchText(`${t.title}\n${t.description}`).includes(searchText(q))) return false;
  return true;
}

/** Text as the index compares it: NFKC, lower case (as the server's search column). */
export function searchText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
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
