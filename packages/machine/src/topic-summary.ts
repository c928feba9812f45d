/**
 * A topic as the public topic index shows it (`TopicSummary` of docs/api/openapi.yaml): one pure
 * mapping from a topic's snapshot, shared by the city server's index (`GET …/topics`) and the
 * outcomes board without a server, so both show the same thing. No personal data: only the title,
 * description and category fields (and those only when the config does not mark them personal),
 * no `by` of anyone, no meeting participants.
 */
import type { FormField, WorkflowConfig } from './config/config.types.js';
import { categoryField } from './config/category-field.js';
import { personalFieldNames } from './log/redact.js';
import { stateName } from './log/replay.js';
import { toMillis } from './time.js';
import type { TopicSnapshot } from './topic.machine.js';
import { selectRatingRounds } from './consultation.selectors.js';
import type { RatingKind } from './rules/topic-rules.js';

export { categoryField };

/** One measure as the index shows it. */
export interface MeasureSummary {
  id: string;
  text: string;
  party: string;
  due: string;
  status: string;
  reason?: string;
  result?: string;
  /** Past its due date and neither implemented nor declined, at the time of the request. */
  overdue: boolean;
}

/** One topic in the index (`TopicSummary` of docs/api/openapi.yaml). No personal data. */
export interface TopicSummary {
  topicId: string;
  /** The top state: screening, rejected, merged, redirected, withdrawn, research, meeting, handling, evaluation, closed, unresolved. */
  status: string;
  /** The dotted state (`meeting.inSession.briefing`). */
  state: string;
  level: string;
  source: string;
  category?: string;
  /** The room (`rooms.list[].id`) the topic is in now; absent when it is in none. */
  room?: string;
  title: string;
  description: string;
  submittedAt: string;
  updatedAt: string;
  lastSeq: number;
  screening?: { decision: string; at: string; reason?: string; into?: string; channel?: string; level?: string };
  meeting?: { format: string; start: string; place: string; rounds: number };
  measures: MeasureSummary[];
  feedback?: { text: string; at: string };
  /** The latest evaluation round: its average, the ratings counted (`count`) and from whom by kind (`byKind`, never names; absent in an index row built before it was kept). */
  rating?: { average: number | null; count: number; byKind?: Record<RatingKind, number>; open: boolean; windowEnd?: string };
  overdue: boolean;
}

const SETTLED = new Set(['implemented', 'declined']);

/** The name of the form field with this role, if the form has one. */
function fieldWithRole(config: WorkflowConfig, role: 'title' | 'description'): FormField | undefined {
  return config.form.pages.flatMap((page) => page.fields).find((f) => f.role === role);
}

/** A text the index may show: the field's value unless the config marks the field personal. */
function shareableText(config: WorkflowConfig, role: 'title' | 'description', text: string): string {
  const field = fieldWithRole(config, role);
  if (field && personalFieldNames(config).includes(field.name)) return '';
  return typeof text === 'string' ? text : '';
}

/** Whether an ISO due date is before `now` (epoch ms). */
function dueBefore(due: string, now: number): boolean {
  const ms = toMillis(due);
  return Number.isFinite(ms) && now > ms;
}

/**
 * A topic's summary for the index: pure, from its snapshot; `lastSeq` is the seq of its last
 * entry; `now` (ISO or epoch ms) decides what is overdue.
 */
export function summarizeTopic(snapshot: TopicSnapshot, lastSeq: number, now: string | number): TopicSummary {
  const ctx = snapshot.context;
  const { config } = ctx;
  const nowMs = typeof now === 'number' ? now : toMillis(now);
  const state = stateName(snapshot);
  const summary: TopicSummary = {
    topicId: ctx.topicId,
    status: state.split('.')[0]!,
    state,
    level: ctx.level,
    source: ctx.source ?? 'resident',
    title: shareableText(config, 'title', ctx.title),
    description: shareableText(config, 'description', ctx.description),
    submittedAt: ctx.submittedAt ?? '',
    updatedAt: ctx.updatedAt ?? ctx.submittedAt ?? '',
    lastSeq,
    measures: [],
    overdue: false,
  };
  const category = categoryField(config);
  const value = category ? ctx.values[category.name] : undefined;
  if (typeof value === 'string' && value !== '') summary.category = value;
  if (ctx.room !== undefined) summary.room = ctx.room;

  const escalation = ctx.escalations.at(-1);
  if (ctx.screening) {
    const { decision, at, reason, into, channel } = ctx.screening;
    summary.screening = { decision, at, ...(reason ? { reason } : {}), ...(into ? { into } : {}), ...(channel ? { channel } : {}) };
  } else if (escalation) {
    summary.screening = { decision: 'escalated', at: escalation.at, level: escalation.to, ...(escalation.reason ? { reason: escalation.reason } : {}) };
  }

  const meeting = ctx.meetings.at(-1);
  if (meeting) summary.meeting = { format: meeting.format, start: meeting.start, place: meeting.place, rounds: ctx.meetings.length };

  summary.measures = ctx.measures.map((m) => ({
    id: m.id,
    text: m.text,
    party: m.party,
    due: m.due,
    status: m.status,
    ...(m.reason ? { reason: m.reason } : {}),
    ...(m.result ? { result: m.result } : {}),
    overdue: !SETTLED.has(m.status) && dueBefore(m.due, nowMs),
  }));
  summary.overdue = summary.measures.some((m) => m.overdue);

  const feedback = ctx.feedback.at(-1);
  if (feedback) summary.feedback = { text: feedback.text, at: feedback.at };

  const round = ctx.evaluations.at(-1);
  if (round) {
    const open = !round.closedAt;
    const average = open ? (round.ratings.length ? round.ratings.reduce((s, r) => s + r.stars, 0) / round.ratings.length : null) : (round.average ?? null);
    const step = config.step.evaluation;
    const windowEnd = open && step ? new Date(toMillis(round.openedAt) + step.windowDays * 86_400_000).toISOString() : undefined;
    const tally = selectRatingRounds(snapshot).at(-1)!;
    summary.rating = { average, count: round.ratings.length, byKind: tally.byKind, open, ...(windowEnd ? { windowEnd } : {}) };
  }
  return summary;
}

/** The summary with its overdue flags for another time (epoch ms). Pure. */
export function withOverdue(summary: TopicSummary, now: number): TopicSummary {
  const measures = summary.measures.map((m) => ({ ...m, overdue: !SETTLED.has(m.status) && dueBefore(m.due, now) }));
  return { ...summary, measures, overdue: measures.some((m) => m.overdue) };
}

/** The earliest due date (epoch ms) of a measure still open, or null: `overdue` is `open_due_ms < now`. */
export function openDueMs(summary: TopicSummary): number | null {
  let earliest: number | null = null;
  for (const m of summary.measures) {
    if (SETTLED.has(m.status)) continue;
    const ms = toMillis(m.due);
    if (Number.isFinite(ms) && (earliest === null || ms < earliest)) earliest = ms;
  }
  return earliest;
}

/** Text as the search column holds it and `q` is compared: NFKC, lower case. */
export function searchText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
