/**
 * The domain's rules, as pure functions of a topic's context and an event. The machine's
 * guards call them, and replay uses the same functions to say *why* an event was refused.
 * Client-side checks are for the interface; the city's backend runs the same rules and is
 * the authority.
 */
import { LEVEL_RANK, type FormField, type RaterKind, type WorkflowConfig } from '../config/config.types.js';
import { SOURCE_ROLES } from '../config/defaults.js';
import { evaluateCondition } from '../config/condition.js';
import type { Measure, TopicContext, TopicEvent } from '../consultation.types.js';
import { addDays, effectiveTime, isIsoTime, toMillis } from '../time.js';
import { isRedacted } from '../log/redact.js';
import { SYSTEM_ACTOR } from '../notify/notify.types.js';
import { roomById } from '../rooms/rooms.js';

/** Why an event may not be applied. `code` is stable; `message` is English for logs and developers. */
export interface RuleViolation {
  code: string;
  message: string;
  /** The payload property at fault, when there is one. */
  field?: string;
}

type Check<E extends TopicEvent> = (ctx: TopicContext, event: E) => RuleViolation | null;
type Checks = { [K in TopicEvent['type']]: Check<Extract<TopicEvent, { type: K }>> };

const violation = (code: string, message: string, field?: string): RuleViolation =>
  field === undefined ? { code, message } : { code, message, field };

function blank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim().length === 0;
}

function requireText(value: unknown, field: string, what: string, minLength = 1): RuleViolation | null {
  if (blank(value)) return violation(`missing-${field}`, `${what} is required.`, field);
  if ((value as string).trim().length < minLength) {
    return violation(`short-${field}`, `${what} must have at least ${minLength} characters.`, field);
  }
  return null;
}

/**
 * Whether an event comes from the server's clock (`SYSTEM_ACTOR`: admin, id `system:clock`). The
 * server stamps `by` from the token, so only it can send as this actor.
 */
export function isSystemActor(by: { role?: unknown; id?: unknown } | undefined): boolean {
  return by?.role === SYSTEM_ACTOR.role && by.id === SYSTEM_ACTOR.id;
}

function first(...results: Array<RuleViolation | null>): RuleViolation | null {
  return results.find((r) => r !== null) ?? null;
}

const fieldLists = new WeakMap<WorkflowConfig, readonly FormField[]>();
const fieldMaps = new WeakMap<WorkflowConfig, ReadonlyMap<string, FormField>>();

/** All form fields, across pages (listed once per config: every intake check reads them). */
export function formFields(config: WorkflowConfig): readonly FormField[] {
  let fields = fieldLists.get(config);
  if (!fields) {
    fields = Object.freeze(config.form.pages.flatMap((p) => p.fields));
    fieldLists.set(config, fields);
  }
  return fields;
}

function fieldsByName(config: WorkflowConfig): ReadonlyMap<string, FormField> {
  let fields = fieldMaps.get(config);
  if (!fields) {
    fields = new Map(formFields(config).map((f) => [f.name, f]));
    fieldMaps.set(config, fields);
  }
  return fields;
}

function filled(value: unknown): boolean {
  if (isRedacted(value)) return true;
  if (value === undefined || value === null || value === false) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * Checks submitted intake values against the form: no unknown fields, every visible required
 * field filled, consent given, nothing personal in an anonymous submission, lengths, ranges
 * and patterns respected. Returns the first fault.
 */
export function checkIntakeValues(
  config: WorkflowConfig,
  values: Readonly<Record<string, unknown>>,
  anonymous: boolean,
): RuleViolation | null {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    return violation('invalid-values', 'The form values must be an object keyed by field name.', 'values');
  }
  const fields = fieldsByName(config);
  for (const name of Object.keys(values)) {
    const field = fields.get(name);
    if (!field) return violation('unknown-field', `The form has no field "${name}".`, `values.${name}`);
    if (anonymous && field.personal && filled(values[name])) {
      return violation(
        'personal-data-in-anonymous',
        `An anonymous topic must not carry personal data such as "${name}".`,
        `values.${name}`,
      );
    }
  }
  for (const field of fields.values()) {
    const value = values[field.name];
    const visible = !field.visibleWhen || evaluateCondition(field.visibleWhen, values);
    const exempt = anonymous && field.personal;
    if (visible && field.required && !exempt && !filled(value)) {
      return violation('missing-value', `"${field.name}" is required.`, `values.${field.name}`);
    }
    // A redacted value was checked in full when the server took it in.
    if (filled(value) && !isRedacted(value)) {
      const fault = checkFieldValue(field, value);
      if (fault) return fault;
    }
  }
  return null;
}

function checkFieldValue(field: FormField, value: unknown): RuleViolation | null {
  const at = `values.${field.name}`;
  const bad = (what: string) => violation('invalid-value', `"${field.name}" ${what}.`, at);
  switch (field.type) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return bad('must be a number');
      if (typeof field.min === 'number' && value < field.min) return bad(`must be at least ${field.min}`);
      if (typeof field.max === 'number' && value > field.max) return bad(`must be at most ${field.max}`);
      return null;
    }
    case 'consent':
      return value === true ? null : bad('must be true (consent given)');
    case 'select':
    case 'radio':
      return typeof value === 'string' && field.options?.some((o) => o.value === value)
        ? null
        : bad('must be one of its options');
    case 'checkbox':
      if (field.options) {
        return Array.isArray(value) && value.every((v) => field.options?.some((o) => o.value === v))
          ? null
          : bad('must be a list of its options');
      }
      return typeof value === 'boolean' ? null : bad('must be true or false');
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return bad('must be a date YYYY-MM-DD');
      if (typeof field.min === 'string' && value < field.min) return bad(`must be on or after ${field.min}`);
      if (typeof field.max === 'string' && value > field.max) return bad(`must be on or before ${field.max}`);
      return null;
    case 'file':
      return Array.isArray(value) && (!field.maxFiles || value.length <= field.maxFiles)
        ? null
        : bad(`must be a list of at most ${field.maxFiles ?? 'the allowed number of'} files`);
    case 'location':
      return typeof value === 'string' || (typeof value === 'object' && value !== null) ? null : bad('must be a place');
    default: {
      if (typeof value !== 'string') return bad('must be text');
      const length = [...value].length;
      if (field.minLength !== undefined && length < field.minLength) return bad(`must have at least ${field.minLength} characters`);
      if (field.maxLength !== undefined && length > field.maxLength) return bad(`must have at most ${field.maxLength} characters`);
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, 'u').test(value)) return bad('does not have the expected form');
      if (field.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return bad('must be an e-mail address');
      return null;
    }
  }
}

function findMeasure(ctx: TopicContext, id: unknown): Measure | undefined {
  return ctx.measures.find((m) => m.id === id);
}

function measureIn(
  ctx: TopicContext,
  id: unknown,
  statuses: ReadonlyArray<Measure['status']>,
  action: string,
): RuleViolation | null {
  const measure = findMeasure(ctx, id);
  if (!measure) return violation('unknown-measure', `There is no measure "${String(id)}" on this topic.`, 'measureId');
  if (!statuses.includes(measure.status)) {
    return violation(
      'measure-status',
      `Measure "${measure.id}" is ${measure.status}; only a measure that is ${statuses.join(' or ')} can be ${action}.`,
      'measureId',
    );
  }
  return null;
}

/** Whether every measure is implemented or declined (with its reason). */
export function allMeasuresSettled(ctx: TopicContext): boolean {
  return ctx.measures.every((m) => m.status === 'implemented' || m.status === 'declined');
}

/** The evaluation round now open, if any. */
export function openEvaluation(ctx: TopicContext) {
  const last = ctx.evaluations.at(-1);
  return last && !last.closedAt ? last : undefined;
}

/** When the rating window of the open evaluation ends (ISO). */
export function ratingWindowEnd(ctx: TopicContext): string | undefined {
  const round = openEvaluation(ctx);
  const step = ctx.config.step.evaluation;
  return round && step ? addDays(round.openedAt, step.windowDays) : undefined;
}

/**
 * The time an event counts at in this programme: its claimed `at`, or the time the server
 * received it when `at` lies outside the config's offline grace (see `effectiveTime`).
 */
export function eventTime(config: WorkflowConfig, event: Pick<TopicEvent, 'at' | 'receivedAt'>): string {
  return effectiveTime(event.at, event.receivedAt, config.offlineGraceHours);
}

/**
 * Whom a rating comes from, by kind (never by name): `submitter` (the `by.id` of the topic's
 * `topic.submit`), `follow-code` (the topic's follow code: `follow:…`, which only whoever raised
 * it was given), `community` (a resident the host portal verified: `portal:…`), `participant`
 * (an `id` among a meeting's conveners or participants), `staff-token` (any other signed-in
 * subject, e.g. a representative's token).
 */
export type RatingKind = 'submitter' | 'follow-code' | 'community' | 'participant' | 'staff-token';
export const RATING_KINDS: readonly RatingKind[] = ['submitter', 'follow-code', 'community', 'participant', 'staff-token'];

/** Whether `id` is listed (with its `id`) among the conveners or participants of a meeting of the topic. */
export function isParticipant(ctx: TopicContext, id: string): boolean {
  return ctx.meetings.some((m) => [...m.conveners, ...m.participants].some((p) => p?.id === id));
}

/** Whether `id` is the `by.id` of the topic's `topic.submit`. */
function isSubmitter(ctx: TopicContext, id: string): boolean {
  return ctx.submittedBy?.id !== undefined && ctx.submittedBy.id === id;
}

/** The kind of rater a `by.id` is on this topic. */
export function ratingKind(ctx: TopicContext, id: string): RatingKind {
  if (isSubmitter(ctx, id)) return 'submitter';
  if (id.startsWith('follow:')) return 'follow-code';
  if (id.startsWith('portal:')) return 'community';
  if (isParticipant(ctx, id)) return 'participant';
  return 'staff-token';
}

const RATER_TEST: Readonly<Record<RaterKind, (ctx: TopicContext, id: string) => boolean>> = {
  submitter: (ctx, id) => isSubmitter(ctx, id) || id.startsWith('follow:'),
  community: (_ctx, id) => id.startsWith('portal:'),
  participants: (ctx, id) => isParticipant(ctx, id),
};

const RATER_NAMES: Readonly<Record<RaterKind, string>> = {
  submitter: 'whoever raised the topic (their sign-in or the topic\'s follow code)',
  community: 'residents the portal verified',
  participants: 'the people listed at its meetings',
};

/** Whether the config's `raters` admit this `by.id` on this topic. */
export function mayRate(ctx: TopicContext, id: string): boolean {
  const raters = ctx.config.step.evaluation?.raters ?? ['submitter'];
  return raters.some((kind) => RATER_TEST[kind](ctx, id));
}

/** The average stars of a list of ratings, or null when there are none. */
export function averageStars(ratings: ReadonlyArray<{ stars: number }>): number | null {
  if (ratings.length === 0) return null;
  return ratings.reduce((sum, r) => sum + r.stars, 0) / ratings.length;
}

/** Whether closing the open evaluation now would send the topic back to handling. */
export function belowThreshold(ctx: TopicContext): boolean {
  const step = ctx.config.step.evaluation;
  const average = averageStars(openEvaluation(ctx)?.ratings ?? []);
  return step !== undefined && average !== null && average < step.reopenThreshold;
}

function checkRecord(ctx: TopicContext, e: Extract<TopicEvent, { type: 'meeting.record' }>): RuleViolation | null {
  const meeting = ctx.config.step.meeting;
  if (!['full', 'partial', 'none'].includes(e.consensus)) {
    return violation('invalid-consensus', 'consensus must be full, partial or none.', 'consensus');
  }
  const measures = Array.isArray(e.measures) ? e.measures : [];
  for (const have of meeting.fiveHaves) {
    const missing =
      have === 'time'
        ? !isIsoTime(e.time)
        : have === 'measures'
          ? e.consensus !== 'none' && measures.length === 0
          : blank(e[have]);
    if (missing) {
      return violation(
        'five-haves',
        `A meeting cannot be recorded without the five haves (五个有): "${have}" is missing.`,
        have,
      );
    }
  }
  if (e.measures !== undefined && !Array.isArray(e.measures)) {
    return violation('invalid-measures', 'measures must be a list.', 'measures');
  }
  const seen = new Set(ctx.measures.map((m) => m.id));
  for (const [i, m] of measures.entries()) {
    if (blank(m?.text) || blank(m?.party)) {
      return violation('invalid-measure', `Measure ${i + 1} needs its text and a responsible party.`, `measures.${i}`);
    }
    if (m.due !== undefined && !isIsoTime(m.due)) {
      return violation('invalid-measure', `Measure ${i + 1} has a due date that is not a date.`, `measures.${i}.due`);
    }
    if (m.proposedBy !== undefined && !attendees(ctx).has(m.proposedBy)) {
      return violation(
        'unknown-proposer',
        `Measure ${i + 1} is credited to "${String(m.proposedBy)}", who is not among the meeting's conveners and participants (by id).`,
        `measures.${i}.proposedBy`,
      );
    }
    const id = m.id ?? measureId(ctx, i);
    if (seen.has(id)) return violation('duplicate-measure', `Measure id "${id}" is already used.`, `measures.${i}.id`);
    seen.add(id);
  }
  return null;
}

/** The ids of the current meeting's conveners and participants. */
function attendees(ctx: TopicContext): Set<unknown> {
  const meeting = ctx.meetings.at(-1);
  return new Set([...(meeting?.conveners ?? []), ...(meeting?.participants ?? [])].map((p) => p?.id).filter((id) => typeof id === 'string' && id !== ''));
}

/** The id a measure without one gets: `m<round>-<n>`. */
export function measureId(ctx: TopicContext, index: number): string {
  return `m${Math.max(ctx.meetings.length, 1)}-${index + 1}`;
}

const CHECKS: Checks = {
  'topic.submit': (ctx, e) => {
    const intake = ctx.config.step.intake;
    if (!intake.sources.some((s) => s.id === e.source)) {
      return violation('unknown-source', `Topics cannot come from "${String(e.source)}" in this programme.`, 'source');
    }
    const roles: readonly string[] | null = SOURCE_ROLES[e.source];
    if (roles && !roles.includes(e.by.role)) {
      return violation('source-role', `A "${e.source}" topic must be raised by: ${roles.join(', ')}.`, 'source');
    }
    if (e.room !== undefined) {
      const room = roomById(ctx.config, e.room);
      if (!room) {
        return violation('unknown-room', `This programme has no room "${String(e.room)}"; use the id of one of its rooms (rooms.list), or raise the topic without a room.`, 'room');
      }
      if (e.level !== undefined && e.level !== room.level) {
        return violation('room-level-mismatch', `The room "${room.id}" is at the ${room.level} level, not ${String(e.level)}; leave level out or give ${room.level}.`, 'level');
      }
    } else if (e.level !== undefined && e.level !== ctx.config.level) {
      return violation('wrong-level', `This programme takes topics at the ${ctx.config.level} level.`, 'level');
    }
    if (e.anonymous && !intake.anonymous) {
      return violation('anonymous-not-allowed', 'This programme does not take anonymous topics.', 'anonymous');
    }
    if (e.anonymous && e.by.id !== undefined) {
      return violation('personal-data-in-anonymous', 'An anonymous topic must not carry who sent it.', 'by.id');
    }
    const fault = checkIntakeValues(ctx.config, e.values, e.anonymous === true);
    if (fault) return fault;
    const titleField = formFields(ctx.config).find((f) => f.role === 'title');
    if (titleField && blank(e.values[titleField.name])) {
      return violation('missing-title', 'A topic needs a title.', `values.${titleField.name}`);
    }
    return null;
  },
  'screening.accept': (ctx) => {
    const channel = ctx.config.step.screening?.channels.find((c) => c.when && evaluateCondition(c.when, ctx.values));
    return channel
      ? violation(
          'out-of-scope',
          `This matter belongs to "${channel.label.en}" (${channel.id}); it must be redirected there, not consulted.`,
        )
      : null;
  },
  'screening.reject': (_ctx, e) => requireText(e.reason, 'reason', 'A reason for rejecting'),
  'screening.merge': (ctx, e) =>
    blank(e.into)
      ? violation('missing-into', 'Name the topic to merge into.', 'into')
      : e.into === ctx.topicId
        ? violation('merge-into-self', 'A topic cannot be merged into itself.', 'into')
        : null,
  'screening.redirect': (ctx, e) =>
    ctx.config.step.screening?.channels.some((c) => c.id === e.channel)
      ? null
      : violation('unknown-channel', `There is no channel "${String(e.channel)}" to redirect to.`, 'channel'),
  'screening.escalate': (ctx, e) => {
    const levels = ctx.config.step.screening?.escalation.levels ?? [];
    if (!levels.includes(e.level)) {
      return violation('escalation-level', `Topics cannot be escalated to "${String(e.level)}" here.`, 'level');
    }
    if (LEVEL_RANK[e.level] <= LEVEL_RANK[ctx.level]) {
      return violation('escalation-level', `Escalation must raise the level above ${ctx.level}.`, 'level');
    }
    return null;
  },
  'research.complete': (ctx, e) =>
    requireText(e.findings, 'findings', 'Research findings', ctx.config.step.research?.minFindingsLength ?? 1),
  'meeting.schedule': (ctx, e) => {
    const meeting = ctx.config.step.meeting;
    if (!meeting.formats.some((f) => f.id === e.format)) {
      return violation('unknown-format', `"${String(e.format)}" is not a meeting format of this programme.`, 'format');
    }
    if (!isIsoTime(e.start)) return violation('invalid-start', 'The meeting needs a start time.', 'start');
    const place = requireText(e.place, 'place', 'The meeting place');
    if (place) return place;
    const conveners = Array.isArray(e.conveners) ? e.conveners.filter((c) => !blank(c?.name)) : [];
    if (conveners.length < meeting.conveners) {
      return violation(
        'conveners',
        `A meeting here needs ${meeting.conveners} convener(s) (召集人); ${conveners.length} given.`,
        'conveners',
      );
    }
    if (!Array.isArray(e.participants) || e.participants.some((p) => (blank(p?.name) && !isRedacted(p?.name)) || blank(p?.role))) {
      return violation('invalid-participants', 'Each participant needs a name and a role.', 'participants');
    }
    return null;
  },
  'topic.withdraw': (_ctx, e) =>
    e.reason !== undefined && (typeof e.reason !== 'string' || e.reason.length > 2000)
      ? violation('invalid-reason', 'A reason for withdrawing is a text of at most 2,000 characters.', 'reason')
      : null,
  'meeting.start': (ctx, e) => {
    // No meeting before its day: starting earlier than the tolerance allows needs a reschedule first.
    const meeting = ctx.meetings.at(-1);
    if (!meeting) return null;
    const tolerance = (ctx.config.step.meeting.earlyStartMinutes ?? 60) * 60_000;
    const start = toMillis(meeting.start);
    const time = eventTime(ctx.config, e);
    if (Number.isFinite(start) && toMillis(time) < start - tolerance) {
      return violation(
        'meeting-not-yet',
        `The meeting is scheduled to start at ${meeting.start}; it cannot be started at ${time}. Reschedule it (meeting.schedule with the new start) first.`,
      );
    }
    return null;
  },
  'meeting.advance': () => null,
  'meeting.record': checkRecord,
  'measure.adopt': (ctx, e) => measureIn(ctx, e.measureId, ['proposed'], 'adopted'),
  'measure.decline': (ctx, e) =>
    first(
      measureIn(ctx, e.measureId, ['proposed'], 'declined'),
      requireText(e.reason, 'reason', 'A reason for declining a measure'),
    ),
  'measure.progress': (ctx, e) =>
    first(
      measureIn(ctx, e.measureId, ['adopted', 'inProgress'], 'updated'),
      requireText(e.note, 'note', 'A progress note'),
    ),
  'measure.implement': (ctx, e) =>
    first(
      measureIn(ctx, e.measureId, ['adopted', 'inProgress'], 'implemented'),
      requireText(e.result, 'result', 'The result of implementing a measure'),
    ),
  'feedback.publish': (ctx, e) => {
    if (!allMeasuresSettled(ctx)) {
      return violation('measures-open', 'Feedback comes once every measure is implemented or declined with a reason.');
    }
    return requireText(e.text, 'text', 'The feedback', ctx.config.step.feedback?.minLength ?? 1);
  },
  'rating.submit': (ctx, e) => {
    const scale = ctx.config.step.evaluation?.scale ?? 5;
    if (!Number.isInteger(e.stars) || e.stars < 1 || e.stars > scale) {
      return violation('invalid-stars', `A rating is a whole number of stars from 1 to ${scale}.`, 'stars');
    }
    const end = ratingWindowEnd(ctx);
    if (end && toMillis(eventTime(ctx.config, e)) > toMillis(end)) {
      return violation('rating-window-closed', `Ratings closed at ${end}.`);
    }
    const id = e.by.id;
    if (typeof id !== 'string' || id.trim() === '') {
      return violation(
        'unverified-rater',
        'A rating must come from someone the programme can recognise — the topic\'s follow code, a portal sign-in or a token; a rating from nobody is not counted.',
        'by.id',
      );
    }
    if (!mayRate(ctx, id)) {
      const raters = ctx.config.step.evaluation?.raters ?? ['submitter'];
      return violation('not-eligible-rater', `Only ${raters.map((k) => RATER_NAMES[k]).join(', or ')} may rate this topic.`, 'by.id');
    }
    const round = openEvaluation(ctx);
    if (round?.ratings.some((r) => r.by.id === id)) {
      return violation('already-rated', 'Each person rates once per evaluation.');
    }
    return null;
  },
  'evaluation.close': (ctx, e) => {
    const step = ctx.config.step.evaluation;
    const round = openEvaluation(ctx);
    const end = ratingWindowEnd(ctx);
    // The server's clock closes a window only once it has ended, whatever the ratings.
    if (isSystemActor(e.by) && end && toMillis(eventTime(ctx.config, e)) < toMillis(end)) {
      return violation('evaluation-open', `The evaluation's window ends at ${end}; the clock closes it then, not before.`);
    }
    if (step && round && round.ratings.length < step.minRatings && end && toMillis(eventTime(ctx.config, e)) <= toMillis(end)) {
      return violation(
        'evaluation-open',
        `The evaluation needs ${step.minRatings} rating(s) or the end of its window (${end}) before it can close.`,
      );
    }
    return null;
  },
};

/**
 * The rule an event breaks in this topic, or null when the rules allow it. Checks the
 * sender's role and the time first, then the event's own rules. Whether the topic's current
 * state takes the event at all is the machine's business (see `explainRefusal`).
 */
export function checkEvent(ctx: TopicContext, event: TopicEvent): RuleViolation | null {
  if (!event || typeof event !== 'object' || !(event.type in CHECKS)) {
    return violation('unknown-event', `"${String(event?.type)}" is not an event of the consultation lifecycle.`);
  }
  if (!event.by || typeof event.by !== 'object' || typeof event.by.role !== 'string') {
    return violation('missing-by', 'Every event must say who sent it (by.role).', 'by');
  }
  if (!isIsoTime(event.at)) return violation('invalid-at', 'Every event needs its time (at, ISO 8601).', 'at');
  const allowed = ctx.config.permissions[event.type];
  // The server's clock closes rating windows whatever the programme's permissions say (and only that).
  const clockCloses = event.type === 'evaluation.close' && isSystemActor(event.by);
  if (!allowed.includes(event.by.role) && !clockCloses) {
    return violation(
      'role-not-permitted',
      `A ${event.by.role} may not send ${event.type}; allowed: ${allowed.join(', ')}.`,
      'by.role',
    );
  }
  try {
    return (CHECKS[event.type] as Check<TopicEvent>)(ctx, event);
  } catch {
    return violation('invalid-payload', `The ${event.type} event is malformed.`);
  }
}
