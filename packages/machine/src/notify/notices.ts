/**
 * Notices and timers, derived from a topic's snapshot and the entry that changed it. Pure: no
 * clock, no I/O, so the server can rebuild every timer from the log after a restore and get the
 * same set (`topicTimers` reads the snapshot alone), and a notice's `key` is the same every time
 * the same entry or timer is looked at (the outbox is unique on key × recipient).
 */
import type { Locale, WorkflowConfig } from '../config/config.types.js';
import type { Meeting, TopicContext } from '../consultation.types.js';
import type { LogEntry } from '../log/log.types.js';
import { personalFieldNames } from '../log/redact.js';
import { eventTime, formFields, openEvaluation, ratingWindowEnd } from '../rules/topic-rules.js';
import { toMillis } from '../time.js';
import type { TopicSnapshot } from '../topic.machine.js';
import { noticeRule } from './notify-defaults.js';
import { fillTemplate } from './template.js';
import type { NoticeIntent, NoticeMeeting, NoticeTrigger, RenderedNotice, TimerKind, TopicTimer } from './notify.types.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const OPEN_MEASURE = new Set(['proposed', 'adopted', 'inProgress']);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The topic's title as a notice may carry it: '' when the config marks the title field personal. */
function shareableTitle(ctx: TopicContext): string {
  const field = formFields(ctx.config).find((f) => f.role === 'title');
  if (field && personalFieldNames(ctx.config).includes(field.name)) return '';
  return typeof ctx.title === 'string' ? ctx.title : '';
}

/** Whether a trigger's notice is sent at all in this programme (notifications on, someone to tell). */
function sends(config: WorkflowConfig, trigger: NoticeTrigger): boolean {
  return config.notifications.enabled && noticeRule(config, trigger).to.length > 0;
}

/** The ids of a meeting's conveners and participants that have one (never their names). */
function participantIds(meeting: Meeting): string[] {
  const ids: string[] = [];
  for (const p of [...meeting.conveners, ...meeting.participants]) {
    if (typeof p?.id === 'string' && p.id !== '' && !ids.includes(p.id)) ids.push(p.id);
  }
  return ids;
}

function noticeMeeting(meeting: Meeting): NoticeMeeting {
  return { round: meeting.round, start: meeting.start, place: meeting.place, format: meeting.format, sequence: meeting.moves ?? 0 };
}

function meetingVars(meeting: Meeting): Record<string, string> {
  return { start: meeting.start, place: typeof meeting.place === 'string' ? meeting.place : '', format: meeting.format };
}

function make(
  ctx: TopicContext,
  trigger: NoticeTrigger,
  key: string,
  at: string,
  vars: Record<string, string>,
  extra: Partial<Pick<NoticeIntent, 'party' | 'participantIds' | 'meeting'>> = {},
): NoticeIntent {
  return {
    key,
    trigger,
    topicId: ctx.topicId,
    to: [...noticeRule(ctx.config, trigger).to],
    vars: { title: shareableTitle(ctx), topicId: ctx.topicId, ...vars },
    ...extra,
    at,
  };
}

/**
 * The notices an accepted entry causes: `topic.accepted`, `topic.rejected` (with the reason),
 * `meeting.scheduled` or `meeting.moved` (a second `meeting.schedule` in the same round, with
 * `previousStart`), one `measure.assigned` per measure a `meeting.record` agreed (to its party),
 * `feedback.published`, and `rating.opened` whenever an evaluation round opens (after feedback, or
 * when the last measure settles in a programme without a feedback step). None when the config
 * turns notifications off or a rule's `to` is empty. The config is `after.context.config`.
 *
 * @param before The topic before the entry (`undefined` for the entry that raised it).
 * @param after The topic after the entry was applied.
 * @param entry The accepted entry.
 */
export function noticesForEntry(before: TopicSnapshot | undefined, after: TopicSnapshot, entry: LogEntry): NoticeIntent[] {
  const ctx = after.context;
  const { config } = ctx;
  if (!config.notifications.enabled) return [];
  const prev = before?.context;
  const at = eventTime(config, { at: entry.at, ...(entry.receivedAt !== undefined ? { receivedAt: entry.receivedAt } : {}) });
  const out: NoticeIntent[] = [];
  const push = (trigger: NoticeTrigger, vars: Record<string, string>, extra?: Parameters<typeof make>[5], suffix = '') => {
    if (sends(config, trigger)) out.push(make(ctx, trigger, `${entry.id}:${trigger}${suffix}`, at, vars, extra));
  };
  switch (entry.event.type) {
    case 'screening.accept':
      if (ctx.screening?.decision === 'accepted') push('topic.accepted', {});
      break;
    case 'screening.reject':
      if (ctx.screening?.decision === 'rejected') push('topic.rejected', { reason: ctx.screening.reason ?? '' });
      break;
    case 'meeting.schedule': {
      const meeting = ctx.meetings.at(-1);
      if (!meeting) break;
      const previous = prev?.meetings.find((m) => m.round === meeting.round);
      const extra = { participantIds: participantIds(meeting), meeting: noticeMeeting(meeting) };
      if (previous && !previous.startedAt) push('meeting.moved', { ...meetingVars(meeting), previousStart: previous.start }, extra);
      else push('meeting.scheduled', meetingVars(meeting), extra);
      break;
    }
    case 'meeting.record': {
      const ids = ctx.meetings.at(-1)?.record?.measureIds ?? [];
      for (const id of ids) {
        const m = ctx.measures.find((x) => x.id === id);
        if (m) push('measure.assigned', { measure: m.text, party: m.party, due: m.due }, { party: m.party }, `:${m.id}`);
      }
      break;
    }
    case 'feedback.publish': {
      const feedback = ctx.feedback.at(-1);
      if (feedback && ctx.feedback.length > (prev?.feedback.length ?? 0)) push('feedback.published', { feedback: feedback.text });
      break;
    }
    default:
      break;
  }
  if (ctx.evaluations.length > (prev?.evaluations.length ?? 0)) {
    const closesAt = ratingWindowEnd(ctx);
    if (closesAt) push('rating.opened', { closesAt });
  }
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The moments the server's clock must act on for a topic, from its snapshot alone:
 * per open measure (proposed, adopted, in progress) `measure.dueSoon` at due − `dueSoonDays`
 * (when > 0) and `measure.overdue` at its due date (a date alone: the end of that day, UTC);
 * for a scheduled meeting not yet started `meeting.reminder` at start − `meetingReminderHours`
 * (when > 0); for an open evaluation round `rating.closing` at the window's end −
 * `ratingClosingHours` (when > 0) and `evaluation.end` at the window's end. `evaluation.end` is
 * there even when notifications are off (the server closes the evaluation at it); the others only
 * when their trigger sends. A key changes when its moment does (a moved meeting, a changed due
 * date, a measure sent back by a poor rating, a new round).
 */
export function topicTimers(snapshot: TopicSnapshot): TopicTimer[] {
  const ctx = snapshot.context;
  const { config, topicId } = ctx;
  const n = config.notifications;
  const timers: TopicTimer[] = [];
  const add = (kind: TimerKind, key: string, atMs: number, extra: Pick<TopicTimer, 'measureId' | 'round'>) => {
    if (Number.isFinite(atMs)) timers.push({ key: `${topicId}:${kind}:${key}`, kind, topicId, at: iso(atMs), ...extra });
  };
  for (const m of ctx.measures) {
    if (!OPEN_MEASURE.has(m.status)) continue;
    const due = toMillis(m.due);
    const key = `${m.id}:${m.due}${m.reopened > 0 ? `:r${m.reopened}` : ''}`;
    if (n.dueSoonDays > 0 && sends(config, 'measure.dueSoon')) add('measure.dueSoon', key, due - n.dueSoonDays * DAY_MS, { measureId: m.id });
    if (sends(config, 'measure.overdue')) add('measure.overdue', key, due, { measureId: m.id });
  }
  const meeting = ctx.meetings.at(-1);
  if (meeting && !meeting.startedAt && !meeting.record && snapshot.matches({ meeting: 'scheduled' } as never)) {
    if (n.meetingReminderHours > 0 && sends(config, 'meeting.reminder')) {
      add('meeting.reminder', `${meeting.round}:${meeting.start}`, toMillis(meeting.start) - n.meetingReminderHours * HOUR_MS, { round: meeting.round });
    }
  }
  const end = ratingWindowEnd(ctx);
  if (openEvaluation(ctx) && end) {
    const round = ctx.evaluations.length;
    if (n.ratingClosingHours > 0 && sends(config, 'rating.closing')) {
      add('rating.closing', String(round), toMillis(end) - n.ratingClosingHours * HOUR_MS, { round });
    }
    // Ratings still count at the window's last millisecond (rating.submit), so the clock closes it just after.
    add('evaluation.end', String(round), toMillis(end) + 1, { round });
  }
  return timers;
}

/**
 * The notices a fired timer sends, or `[]` when its moment no longer applies (the measure was
 * settled or its due date changed, the meeting started or moved, the round closed) — that is,
 * when `topicTimers(snapshot)` no longer holds the timer's key — and for `evaluation.end`, which
 * acts instead (the server appends `evaluation.close` as `SYSTEM_ACTOR`). `daysLeft` is rounded
 * up, `daysOverdue` down and at least 1, both counted from `timer.at` to the due date.
 */
export function noticesForTimer(snapshot: TopicSnapshot, timer: TopicTimer): NoticeIntent[] {
  const ctx = snapshot.context;
  if (timer.kind === 'evaluation.end') return [];
  if (!topicTimers(snapshot).some((t) => t.key === timer.key)) return [];
  const atMs = toMillis(timer.at);
  switch (timer.kind) {
    case 'measure.dueSoon':
    case 'measure.overdue': {
      const m = ctx.measures.find((x) => x.id === timer.measureId);
      if (!m) return [];
      const due = toMillis(m.due);
      const vars: Record<string, string> = { measure: m.text, party: m.party, due: m.due };
      if (timer.kind === 'measure.dueSoon') vars.daysLeft = String(Math.max(0, Math.ceil((due - atMs) / DAY_MS)));
      else vars.daysOverdue = String(Math.max(1, Math.floor((atMs - due) / DAY_MS)));
      return [make(ctx, timer.kind, timer.key, timer.at, vars, { party: m.party })];
    }
    case 'meeting.reminder': {
      const meeting = ctx.meetings.at(-1);
      if (!meeting) return [];
      return [
        make(ctx, 'meeting.reminder', timer.key, timer.at, meetingVars(meeting), {
          participantIds: participantIds(meeting),
          meeting: noticeMeeting(meeting),
        }),
      ];
    }
    case 'rating.closing': {
      const closesAt = ratingWindowEnd(ctx);
      return closesAt ? [make(ctx, 'rating.closing', timer.key, timer.at, { closesAt })] : [];
    }
  }
}

/** The variables that count days: written with their unit and plural in the notice's language ("1 day", "3 days", "3 天"). */
const DAY_COUNT_VARIABLES = new Set(['daysLeft', 'daysOverdue']);

function formatDays(value: string, locale: Locale): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  if (locale === 'zh-CN') return `${n} 天`;
  return new Intl.PluralRules('en').select(n) === 'one' ? `${n} day` : `${n} days`;
}

/** The variables rendered as times, in the notice's language and time zone. */
const TIME_VARIABLES = new Set(['start', 'previousStart', 'due', 'closesAt']);

function formatTime(value: string, locale: Locale, timeZone: string): string {
  const ms = toMillis(value);
  if (!Number.isFinite(ms)) return value;
  // A date alone is a calendar day, not a moment: shown as that day wherever the reader is.
  if (DATE_ONLY.test(value)) {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.parse(`${value}T12:00:00Z`));
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(ms);
}

/**
 * A notice's subject and text in one language: the trigger's rule (`noticeRule`) with the
 * intent's variables put in; `programme` is the config's title; times (`start`, `previousStart`,
 * `due`, `closesAt`) are written with `Intl.DateTimeFormat` in the language and `timeZone`
 * (day counts `daysLeft`, `daysOverdue` with their unit: "1 day", "3 days", "3 天")
 * (default Asia/Shanghai; a date-only due is shown as that date); the meeting format by its label;
 * a measure's party by the handling step's label when the party is a configured id.
 */
export function renderNotice(
  config: WorkflowConfig,
  intent: NoticeIntent,
  locale: Locale,
  options: { timeZone?: string } = {},
): RenderedNotice {
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const rule = noticeRule(config, intent.trigger);
  const values: Record<string, string> = { programme: config.title[locale] ?? '' };
  for (const [name, raw] of Object.entries(intent.vars)) {
    values[name] = TIME_VARIABLES.has(name) ? formatTime(raw, locale, timeZone) : DAY_COUNT_VARIABLES.has(name) ? formatDays(raw, locale) : raw;
  }
  if (intent.vars.format !== undefined) {
    const format = config.step.meeting.formats.find((f) => f.id === intent.vars.format);
    if (format) values.format = format.label[locale];
  }
  if (intent.vars.party !== undefined) {
    const party = config.step.handling.parties.find((p) => p.id === intent.vars.party);
    if (party) values.party = party.label[locale];
  }
  return { subject: fillTemplate(rule.subject[locale], values), text: fillTemplate(rule.text[locale], values) };
}
