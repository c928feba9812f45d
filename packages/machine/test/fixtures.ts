/**
 * Test fixtures: the example configs, form values that satisfy a config's intake form, and
 * the sample events a person could send in any state (valid and invalid), with a clock that
 * only moves forward.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflowConfig } from '../src/config/parse-config.js';
import { evaluateCondition } from '../src/config/condition.js';
import type { FormField, WorkflowConfig } from '../src/config/config.types.js';
import type { MeasureInput, Participant, TopicContext, TopicEvent } from '../src/consultation.types.js';
import { addDays, toMillis } from '../src/time.js';
import { formFields, ratingWindowEnd } from '../src/rules/topic-rules.js';
import { applyEvent, newTopic, stateName } from '../src/log/replay.js';
import type { EventRefusal } from '../src/log/log.types.js';
import type { TopicSnapshot } from '../src/topic.machine.js';

export const EXAMPLES_DIR = join(import.meta.dirname, '../../../examples/configs');

export interface Example {
  name: string;
  raw: unknown;
  config: WorkflowConfig;
}

export function loadExamples(): Example[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const raw: unknown = JSON.parse(readFileSync(join(EXAMPLES_DIR, f), 'utf8'));
      const parsed = parseWorkflowConfig(raw);
      if (!parsed.ok) throw new Error(`${f} is invalid: ${JSON.stringify(parsed.errors)}`);
      return { name: f.replace(/\.json$/, ''), raw, config: parsed.config };
    });
}

export function example(name: string): WorkflowConfig {
  const found = loadExamples().find((e) => e.name === name);
  if (!found) throw new Error(`no example ${name}`);
  return found.config;
}

export const T0 = '2026-03-01T01:00:00.000Z';

/** The next event time after a topic's last one. */
export function nextAt(ctx: Pick<TopicContext, 'updatedAt'>, hours = 1): string {
  return addDays(ctx.updatedAt ?? T0, hours / 24);
}

function sampleValue(field: FormField, config: WorkflowConfig, values: Record<string, unknown>): unknown {
  switch (field.type) {
    case 'number':
      return typeof field.min === 'number' ? field.min : 12;
    case 'select':
    case 'radio': {
      // Choose an option that keeps the topic in scope (no redirect channel claims it).
      const channels = config.step.screening?.channels ?? [];
      const inScope = field.options?.find(
        (o) => !channels.some((c) => c.when && evaluateCondition(c.when, { ...values, [field.name]: o.value })),
      );
      return (inScope ?? field.options?.[0])?.value;
    }
    case 'checkbox':
      return field.options ? [field.options[0]!.value] : true;
    case 'date':
      return typeof field.min === 'string' ? field.min : '2026-02-20';
    case 'tel':
      return '13800138000';
    case 'email':
      return 'resident@example.org';
    case 'location':
      return '3号楼东侧 East of building 3';
    case 'file':
      return [{ name: 'photo.jpg', type: 'image/jpeg', size: 1000 }];
    case 'consent':
      return true;
    case 'textarea':
      return '三号楼住了很多老人，上下楼很难，希望加装电梯。Many older residents live in building 3 and stairs are hard.';
    default:
      return field.role === 'title' ? '3号楼加装电梯 Lift for building 3' : '张三 Zhang San';
  }
}

/** Intake values that satisfy every visible field of the form (required or not). */
export function validValues(config: WorkflowConfig, anonymous = false): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (let pass = 0; pass < 3; pass += 1) {
    for (const field of formFields(config)) {
      if (anonymous && field.personal) continue;
      const visible = !field.visibleWhen || evaluateCondition(field.visibleWhen, values);
      if (visible && !(field.name in values)) values[field.name] = sampleValue(field, config, values);
      if (!visible) delete values[field.name];
    }
  }
  return values;
}

/** A value of a select/radio field that puts the topic in a redirect channel, if the config has one. */
export function outOfScopeValues(config: WorkflowConfig): Record<string, unknown> | undefined {
  const base = validValues(config);
  for (const field of formFields(config)) {
    for (const option of field.options ?? []) {
      const values = { ...base, [field.name]: option.value };
      if (config.step.screening?.channels.some((c) => c.when && evaluateCondition(c.when, values))) return values;
    }
  }
  return undefined;
}

export const CONVENERS: Participant[] = [
  { name: '李书记 Secretary Li', role: 'convener', organisation: '社区党委 Community Party committee' },
  { name: '王委员 Member Wang', role: 'member', organisation: '区政协 District CPPCC' },
  { name: '赵主任 Director Zhao', role: 'convener' },
];

export const PARTICIPANTS: Participant[] = [
  { name: '陈阿姨 Auntie Chen', role: 'representative' },
  { name: '住建局 Housing bureau', role: 'department' },
  { name: '燃气公司 Gas company', role: 'stakeholder' },
];

const staff = { role: 'convener' as const, id: 'convener-1' };
const dept = { role: 'department' as const, id: 'dept-1' };

/**
 * The n-th rater the config's `raters` admit on a topic, each a different person: residents the
 * portal verified (`portal:…`) where the community may rate, else holders of a follow code
 * (`follow:…`, which the `submitter` rule admits).
 */
export function raterId(ctx: TopicContext, n: number): string {
  const raters = ctx.config.step.evaluation?.raters ?? ['submitter'];
  return raters.includes('community') ? `portal:rater-${n}` : `follow:${n.toString(16).padStart(16, '0')}`;
}

/** The sample events a person could send a topic in any state: valid and invalid. */
export function sampleEvents(ctx: TopicContext, options: { measures?: number; raters?: number } = {}): TopicEvent[] {
  const { config } = ctx;
  const at = nextAt(ctx);
  const channel = config.step.screening?.channels[0];
  const escalateTo = config.step.screening?.escalation.levels[0];
  const meeting = config.step.meeting;
  const measures: MeasureInput[] = Array.from({ length: options.measures ?? 1 }, (_, i) => ({
    text: `措施 ${i + 1}: 加装电梯 Measure ${i + 1}`,
    party: config.step.handling.parties[0]?.id ?? 'residents-committee',
  }));
  const scheduled = ctx.meetings.at(-1)?.start;
  const startAt = scheduled && toMillis(scheduled) > toMillis(at) ? scheduled : at;
  const record = {
    time: at,
    place: '社区议事室 Community room',
    topic: ctx.title || 'topic',
    effect: '达成共识 Consensus reached',
  };
  const events: TopicEvent[] = [
    { type: 'topic.submit', values: validValues(config), source: 'resident', by: { role: 'resident', id: 'r1' }, at },
    { type: 'topic.submit', values: validValues(config), source: 'resident', by: { role: 'department', id: 'd1' }, at },
    { type: 'screening.accept', by: staff, at },
    { type: 'screening.reject', reason: '属于个人诉求 A personal matter', by: staff, at },
    { type: 'screening.reject', reason: '  ', by: staff, at },
    { type: 'screening.merge', into: 'topic-elsewhere', by: staff, at },
    { type: 'topic.withdraw', reason: '问题已自行解决 Solved it ourselves', by: { role: 'resident', id: 'r1' }, at },
    { type: 'topic.withdraw', reason: 'x'.repeat(2001), by: { role: 'resident', id: 'r1' }, at },
    { type: 'research.complete', findings: '走访了三十户居民，其中二十五户支持加装电梯。Visited 30 households; 25 support a lift.', by: staff, at },
    { type: 'research.complete', findings: 'ok', by: staff, at },
    {
      type: 'meeting.schedule',
      format: meeting.formats[0]!.id,
      start: addDays(at, 7),
      place: '社区议事室 Community room',
      conveners: CONVENERS.slice(0, meeting.conveners),
      participants: PARTICIPANTS,
      by: staff,
      at,
    },
    {
      type: 'meeting.schedule',
      format: meeting.formats[0]!.id,
      start: addDays(at, 7),
      place: 'room',
      conveners: CONVENERS.slice(0, meeting.conveners - 1),
      participants: PARTICIPANTS,
      by: staff,
      at,
    },
    // A meeting starts at its scheduled time, not before (meeting-not-yet).
    { type: 'meeting.start', by: staff, at: startAt },
    { type: 'meeting.advance', by: staff, at },
    { type: 'meeting.record', ...record, measures, consensus: 'full', by: staff, at },
    { type: 'meeting.record', ...record, measures: [], consensus: 'none', by: staff, at },
    { type: 'meeting.record', ...record, place: '', measures, consensus: 'partial', by: staff, at },
    { type: 'feedback.publish', text: '电梯已经安装完成并通过验收，欢迎居民监督。The lift is installed and inspected.', by: staff, at },
    { type: 'evaluation.close', by: staff, at },
  ];
  const windowEnd = ratingWindowEnd(ctx);
  if (windowEnd) events.push({ type: 'evaluation.close', by: staff, at: addDays(windowEnd, 1 / 24) });
  if (channel) events.push({ type: 'screening.redirect', channel: channel.id, by: staff, at });
  if (escalateTo) events.push({ type: 'screening.escalate', level: escalateTo, by: staff, at });
  for (const m of ctx.measures) {
    events.push(
      { type: 'measure.adopt', measureId: m.id, by: dept, at },
      { type: 'measure.decline', measureId: m.id, reason: '资金不足 No budget this year', by: dept, at },
      { type: 'measure.decline', measureId: m.id, reason: '', by: dept, at },
      { type: 'measure.progress', measureId: m.id, note: '已完成设计 Design done', by: dept, at },
      { type: 'measure.implement', measureId: m.id, result: '已安装 Installed', by: dept, at },
    );
  }
  const scale = config.step.evaluation?.scale ?? 5;
  const rated = ctx.evaluations.at(-1)?.ratings.length ?? 0;
  for (let i = 0; i < (options.raters ?? 1); i += 1) {
    const n = 2 * (rated + i);
    events.push(
      { type: 'rating.submit', stars: scale, by: { role: 'resident', id: raterId(ctx, n) }, at },
      { type: 'rating.submit', stars: 1, by: { role: 'resident', id: raterId(ctx, n + 1) }, at },
    );
  }
  events.push({ type: 'rating.submit', stars: scale + 1, by: { role: 'resident', id: raterId(ctx, 999) }, at });
  // Refused whatever the state: a rating from nobody, and one from someone the config does not admit.
  events.push({ type: 'rating.submit', stars: scale, by: { role: 'resident' }, at });
  events.push({ type: 'rating.submit', stars: scale, by: { role: 'resident', id: 'someone-else' }, at });
  return events;
}

/**
 * A topic driven by pure transitions, for rule tests: `send` applies an event or returns its
 * refusal; `to` walks the happy path until the topic reaches a state.
 */
export class TestTopic {
  snapshot: TopicSnapshot;
  readonly config: WorkflowConfig;
  constructor(config: WorkflowConfig, topicId = 't1') {
    this.config = config;
    this.snapshot = newTopic(config, topicId);
  }
  get ctx(): TopicContext {
    return this.snapshot.context;
  }
  get state(): string {
    return stateName(this.snapshot);
  }
  /** The sample event of this type (the first one, or the one `pick` chooses), with changes. */
  event<K extends TopicEvent['type']>(
    type: K,
    changes: Partial<Extract<TopicEvent, { type: K }>> = {},
    pick = 0,
  ): Extract<TopicEvent, { type: K }> {
    const found = sampleEvents(this.ctx, { measures: 2 }).filter((e) => e.type === type)[pick];
    if (!found) throw new Error(`no sample ${type} in ${this.state}`);
    return { ...found, ...changes } as Extract<TopicEvent, { type: K }>;
  }
  /** Applies an event; returns the refusal, or null when it was applied. */
  send(event: TopicEvent): EventRefusal | null {
    const result = applyEvent(this.config, this.snapshot, event);
    if (!result.ok) return result.refusal;
    this.snapshot = result.snapshot;
    return null;
  }
  /** Applies an event that must be allowed. */
  ok(event: TopicEvent): this {
    const refusal = this.send(event);
    if (refusal) throw new Error(`${event.type} refused in ${this.state}: ${refusal.code} ${refusal.message}`);
    return this;
  }
  /** Walks the happy path (valid sample events) until the state starts with `target`. */
  to(target: string): this {
    const path: Array<TopicEvent['type']> = [
      'topic.submit',
      'screening.accept',
      'research.complete',
      'meeting.start',
      'meeting.schedule',
      'meeting.advance',
      'meeting.record',
      'measure.adopt',
      'measure.implement',
      'feedback.publish',
      'evaluation.close',
      'rating.submit',
    ];
    for (let guard = 0; guard < 40 && !this.state.startsWith(target); guard += 1) {
      const next = sampleEvents(this.ctx, { measures: 2 })
        .filter((e) => path.includes(e.type))
        .sort((a, b) => path.indexOf(a.type) - path.indexOf(b.type))
        .find((e) => applyEvent(this.config, this.snapshot, e).ok);
      if (!next) throw new Error(`stuck in ${this.state} on the way to ${target}`);
      this.ok(next);
    }
    if (!this.state.startsWith(target)) throw new Error(`did not reach ${target}: ${this.state}`);
    return this;
  }
}

export { prng } from './prng.js';
