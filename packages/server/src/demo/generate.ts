/**
 * A year of a programme's history, made up but lawful: for each room, topics raised from every
 * source the programme takes, screened (some rejected, redirected, merged, escalated to the
 * parent room), researched, consulted on in meetings with the room's conveners and members,
 * their measures adopted, progressed and implemented (mostly on time, some late, some still
 * open), fed back, rated and closed — each event applied with the machine (`applyEvent`), and
 * only what it accepts kept. Deterministic: the same config and clock give the same log.
 *
 * Rooms differ on purpose (a "quality" per room: how often it meets, how many members come,
 * how often measures are on time, how residents rate), so their star grades differ; topics are
 * raised more in spring and summer than in winter, so the trends show seasons.
 */
import {
  applyEvent,
  categoryField,
  evaluateCondition,
  newTopic,
  ratingWindowEnd,
  roomForEscalation,
  type FormField,
  type LogEntry,
  type Participant,
  type RoomConfig,
  type RoomPerson,
  type SourceId,
  type TopicEvent,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine';
import { dice, seedOf, type Dice } from './prng.js';
import { COMMENTS, placesFor, REJECT_REASONS, SCENARIOS, SURNAMES, type Scenario } from './scenarios.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** How a room works, 0 (hardly) to 1 (very well), by its place in the config's list. */
const QUALITIES = [0.96, 0.3, 0.75, 0.5, 0.88, 0.2];

/** How much more or less is raised in each month (January first): busier in spring and the rainy summer. */
const SEASON = [0.5, 0.4, 1.0, 1.2, 1.1, 1.4, 1.5, 1.1, 1.0, 1.1, 0.8, 0.6];

/** What the generator made for one programme. */
export interface DemoHistory {
  /** Full entries (personal values still in), in the order to store them; `seq` 1, 2, 3… */
  entries: LogEntry[];
  /** Topic ids by room id. */
  topicsByRoom: Map<string, string[]>;
  /** Events the machine refused (and that were left out); a bug in the generator if not 0. */
  refused: number;
  /** What each refusal was (event, state, code). */
  refusals: string[];
}

/** One programme's year up to `now` (one room, `null`, when the programme has no rooms). */
export function generateHistory(config: WorkflowConfig, now: Date): DemoHistory {
  const nowMs = now.getTime();
  const entries: Array<LogEntry & { order: number }> = [];
  const topicsByRoom = new Map<string, string[]>();
  let refused = 0;
  const refusals: string[] = [];
  let order = 0;
  const rooms = config.rooms?.list ?? [];
  const roomList: Array<RoomConfig | null> = rooms.length > 0 ? rooms : [null];
  roomList.forEach((room, index) => {
    const roomId = room?.id ?? '';
    const d = dice(seedOf(`${config.id}/${roomId}`));
    const quality = QUALITIES[index % QUALITIES.length]!;
    const count = Math.max(15, Math.min(40, Math.round(14 + 26 * quality + d.int(-2, 2))));
    const ids: string[] = [];
    topicsByRoom.set(roomId, ids);
    const starts = submitTimes(d, count, nowMs);
    const accepted: string[] = [];
    starts.forEach((start, n) => {
      const topicId = `demo-${roomId || config.id}-${String(n + 1).padStart(2, '0')}`;
      const story = new Story(config, topicId, start, nowMs, (entry) => entries.push({ ...entry, order: order++ }));
      tell(story, d, config, room, quality, accepted);
      refused += story.refused;
      refusals.push(...story.refusals);
      if (story.snapshot.context.submittedAt) {
        ids.push(topicId);
        // Moved up by escalation: it counts for the parent room now.
        const now = story.snapshot.context.room;
        if (now && now !== roomId) {
          if (!topicsByRoom.has(now)) topicsByRoom.set(now, []);
          topicsByRoom.get(now)!.push(topicId);
          ids.pop();
        }
        if (story.snapshot.context.screening?.decision === 'accepted') accepted.push(topicId);
      }
    });
  });
  // One log for the programme, in time order (each topic's own events keep theirs).
  entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.order - b.order);
  return {
    entries: entries.map(({ order: _order, ...entry }, i) => ({ ...entry, seq: i + 1 })),
    topicsByRoom,
    refused,
    refusals,
  };
}

/** `count` submission times over the year before `now`, weighted by season, oldest first. */
function submitTimes(d: Dice, count: number, nowMs: number): number[] {
  const from = nowMs - 365 * DAY;
  const times: number[] = [];
  while (times.length < count) {
    const t = from + d() * 360 * DAY;
    const month = new Date(t).getUTCMonth();
    if (d() * 1.5 < SEASON[month]!) times.push(Math.floor(t / HOUR) * HOUR + d.int(0, 59) * 60_000);
  }
  return times.sort((a, b) => a - b);
}

/** One topic's events as they are applied: each checked by the machine, time always moving on. */
class Story {
  snapshot: TopicSnapshot;
  refused = 0;
  readonly refusals: string[] = [];
  /** Stopped: the next event would lie after `now`, or one was refused. */
  stopped = false;
  private t: number;
  private n = 0;
  constructor(
    private readonly config: WorkflowConfig,
    readonly topicId: string,
    start: number,
    private readonly nowMs: number,
    private readonly emit: (entry: LogEntry) => void,
  ) {
    this.snapshot = newTopic(config, topicId);
    this.t = start;
  }
  /** The story's clock. */
  get time(): number {
    return this.t;
  }
  /** Moves the clock on by at least a minute (to `at`, when later). */
  at(ms: number): number {
    this.t = Math.max(ms, this.t + 60_000);
    return this.t;
  }
  /** Applies an event at the story's time; false (and the story stops) when refused or in the future. */
  send(event: Omit<TopicEvent, 'at'> & { at?: string }): boolean {
    if (this.stopped) return false;
    if (this.t > this.nowMs) {
      this.stopped = true;
      return false;
    }
    const at = new Date(this.t).toISOString();
    const full = { ...event, at, receivedAt: at } as TopicEvent;
    const result = applyEvent(this.config, this.snapshot, full);
    if (!result.ok) {
      this.refused++;
      this.refusals.push(`${result.refusal.eventType} in ${result.refusal.state}: ${result.refusal.code}`);
      this.stopped = true;
      return false;
    }
    this.snapshot = result.snapshot;
    const { by, at: _at, receivedAt: _received, ...body } = full as TopicEvent & Record<string, unknown>;
    this.n++;
    this.emit({ id: `${this.topicId}.${String(this.n).padStart(3, '0')}`, topicId: this.topicId, seq: 0, event: body as LogEntry['event'], by, at, receivedAt: at });
    return true;
  }
  get state(): string {
    return JSON.stringify(this.snapshot.value);
  }
}

/** Whether a room's member takes part at all (the same answer for every meeting): most do in a room that works well. */
function engaged(room: RoomConfig | null, member: RoomPerson, quality: number): boolean {
  return (seedOf(`${room?.id ?? ''}/${member.id}`) % 1000) / 1000 < quality;
}

const person = (p: RoomPerson): Participant => ({ name: p.name, role: p.role, id: p.id });
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** A time of day in China (UTC+8) on the day of `ms`: `hour` local. */
const localHour = (ms: number, hour: number) => Math.floor((ms + 8 * HOUR) / DAY) * DAY + (hour - 8) * HOUR;

function fit(text: string, min = 0, max = Infinity, pad = '。相关情况请协商时进一步说明'): string {
  let out = text;
  while (out.length < min) out += pad;
  return out.length > max ? out.slice(0, max) : out;
}

function residentName(d: Dice): string {
  return `演示居民${d.pick(SURNAMES)}某`;
}

/** The form's values for a scenario: every required field, and some optional ones, as the form allows. */
function formValues(config: WorkflowConfig, d: Dice, scenario: Scenario, place: string, submitted: number, redirectTo?: { field: string; value: unknown }): Record<string, unknown> {
  const fields = config.form.pages.flatMap((p) => p.fields);
  const category = categoryField(config);
  const channels = config.step.screening?.channels ?? [];
  const values: Record<string, unknown> = {};
  const title = scenario.title.replace('{p}', place);
  const description = scenario.description.replaceAll('{p}', place);
  const valueOf = (field: FormField): unknown => {
    if (redirectTo && field.name === redirectTo.field) return redirectTo.value;
    switch (field.type) {
      case 'text':
        if (field.role === 'title') return fit(title, field.minLength, field.maxLength, '的问题');
        if (field.personal) return fit(residentName(d), field.minLength, field.maxLength);
        return fit(place, field.minLength, field.maxLength);
      case 'textarea':
        if (field.role === 'description') return fit(description, field.minLength, field.maxLength);
        return field.required || d.chance(0.4) ? fit(scenario.measures[0]!.text, field.minLength, field.maxLength) : undefined;
      case 'select':
      case 'radio': {
        const options = (field.options ?? []).map((o) => o.value);
        if (field === category || field.name === category?.name) return scenario.categories.find((c) => options.includes(c)) ?? options.at(-1);
        // An option that keeps the topic in scope (no redirect channel claims it).
        const inScope = options.filter((o) => !channels.some((c) => c.when && evaluateCondition(c.when, { ...values, [field.name]: o })));
        return inScope.length > 0 ? (field.name === 'contactWanted' ? d.pick(inScope) : inScope[0]) : options[0];
      }
      case 'checkbox':
        return field.options && field.options.length > 0 ? [field.options[0]!.value] : true;
      case 'location':
        return field.required || d.chance(0.5) ? `${place}（演示地址）` : undefined;
      case 'date':
        return d.chance(0.5) || field.required ? isoDate(submitted - d.int(3, 60) * DAY) : undefined;
      case 'number': {
        const min = typeof field.min === 'number' ? field.min : 1;
        const max = typeof field.max === 'number' ? field.max : 500;
        return field.required || d.chance(0.6) ? Math.min(max, Math.max(min, d.int(12, 240))) : undefined;
      }
      case 'tel':
        return field.required || d.chance(0.5) ? `1390000${String(d.int(0, 9999)).padStart(4, '0')}` : undefined;
      case 'email':
        return field.required || d.chance(0.2) ? `demo-resident-${d.int(1, 999)}@example.org` : undefined;
      case 'consent':
        return true;
      default:
        return undefined;
    }
  };
  for (let pass = 0; pass < 3; pass++) {
    for (const field of fields) {
      const visible = !field.visibleWhen || evaluateCondition(field.visibleWhen, values);
      if (!visible) {
        delete values[field.name];
        continue;
      }
      if (field.name in values) continue;
      const value = valueOf(field);
      if (value !== undefined) values[field.name] = value;
    }
  }
  return values;
}

/** A redirect the config offers: a channel and, when it is meant for certain answers, the answer that calls for it. */
function redirectFor(config: WorkflowConfig, d: Dice): { channel: string; values?: { field: string; value: unknown } } | undefined {
  const channels = config.step.screening?.channels ?? [];
  if (channels.length === 0) return undefined;
  const channel = d.pick(channels);
  const when = channel.when as { field?: string; equals?: unknown } | undefined;
  if (!when) return { channel: channel.id };
  if (typeof when.field === 'string' && when.equals !== undefined) return { channel: channel.id, values: { field: when.field, value: when.equals } };
  return undefined;
}

function sourceActor(source: SourceId, room: RoomConfig | null, d: Dice, n: number): TopicEvent['by'] {
  switch (source) {
    case 'member': {
      const members = room?.members.filter((m) => m.role === 'member') ?? [];
      return members.length > 0 ? { role: 'member', id: d.pick(members).id } : { role: 'admin', id: 'demo-admin' };
    }
    case 'government':
      return room ? { role: 'convener', id: room.conveners[0]!.id } : { role: 'admin', id: 'demo-admin' };
    case 'grid':
      return { role: 'grid', id: `grid-${room?.id ?? 'demo'}-${(n % 3) + 1}` };
    default:
      return { role: 'resident', id: `portal:demo-${room?.id ?? 'resident'}-${n}` };
  }
}

const SOURCE_WEIGHTS: Record<string, number> = { resident: 5, member: 2, government: 1.5, grid: 1.5 };

function pickSource(config: WorkflowConfig, d: Dice): SourceId {
  const sources = config.step.intake.sources.map((s) => s.id);
  const total = sources.reduce((n, s) => n + (SOURCE_WEIGHTS[s] ?? 1), 0);
  let r = d() * total;
  for (const s of sources) {
    r -= SOURCE_WEIGHTS[s] ?? 1;
    if (r <= 0) return s;
  }
  return sources[0]!;
}

function scenariosFor(room: RoomConfig | null, config: WorkflowConfig): Scenario[] {
  const level = room?.level ?? config.level;
  const setting = level === 'village' || level === 'town' ? 'village' : 'urban';
  const field = categoryField(config);
  const options = new Set((field?.options ?? []).map((o) => o.value));
  const handles = room && room.categories.length > 0 ? new Set(room.categories) : undefined;
  const fitting = SCENARIOS.filter(
    (s) => (s.setting === setting || s.setting === 'any') && s.categories[0] !== 'dispute' && (!handles || s.categories.some((c) => handles.has(c) && options.has(c))),
  );
  return fitting.length > 0 ? fitting : SCENARIOS.filter((s) => s.setting === setting || s.setting === 'any');
}

/** Tells one topic's story (see the module's comment). */
function tell(story: Story, d: Dice, config: WorkflowConfig, startRoom: RoomConfig | null, quality: number, accepted: readonly string[]): void {
  const level = startRoom?.level ?? config.level;
  const setting = level === 'village' || level === 'town' ? 'village' : 'urban';
  const scenario = d.pick(scenariosFor(startRoom, config));
  const place = d.pick(placesFor(setting));
  const n = d.int(1, 9999);
  const source = pickSource(config, d);
  const roll = d();
  // Rooms that work well take up more of what is raised with them.
  const out = 1.4 - quality;
  // What screening will decide, so an out-of-scope topic carries the answers that make it one.
  const decision =
    roll < 0.06 * out ? 'reject' : roll < 0.11 * out ? 'redirect' : roll < 0.14 * out && accepted.length > 0 ? 'merge' : roll < 0.14 * out + 0.07 && startRoom?.parent ? 'escalate' : 'accept';
  const redirect = decision === 'redirect' ? redirectFor(config, d) : undefined;
  const values = formValues(config, d, scenario, place, story.time, redirect?.values);
  const submit: Record<string, unknown> = { type: 'topic.submit', values, source, by: sourceActor(source, startRoom, d, n) };
  if (startRoom) submit.room = startRoom.id;
  if (!story.send(submit as never)) return;

  let room = startRoom;
  const staff = (r: RoomConfig | null, second = false): TopicEvent['by'] =>
    r ? { role: 'convener', id: r.conveners[second && r.conveners.length > 1 ? 1 : 0]!.id } : { role: 'admin', id: 'demo-admin' };
  story.at(story.time + d.int(1, 4) * DAY + d.int(1, 6) * HOUR);
  switch (decision) {
    case 'reject':
      story.send({ type: 'screening.reject', reason: d.pick(REJECT_REASONS), by: staff(room) } as never);
      return;
    case 'redirect':
      if (redirect) {
        story.send({ type: 'screening.redirect', channel: redirect.channel, reason: '该事项有专门的办理渠道，已告知反映人。', by: staff(room) } as never);
        return;
      }
      break;
    case 'merge':
      story.send({ type: 'screening.merge', into: d.pick(accepted.slice(-5)), by: staff(room) } as never);
      return;
    case 'escalate': {
      const parent = config.rooms?.list.find((r) => r.id === room?.parent);
      const levels = config.step.screening?.escalation.levels ?? [];
      if (parent && levels.includes(parent.level) && roomForEscalation(config, room?.id, parent.level)?.id === parent.id) {
        if (!story.send({ type: 'screening.escalate', level: parent.level, reason: '涉及多个社区和部门，需要提交上一级协商议事室统筹协商。', by: staff(room) } as never)) return;
        room = parent;
        story.at(story.time + d.int(2, 6) * DAY);
      }
      break;
    }
  }
  if (!story.send({ type: 'screening.accept', by: staff(room) } as never)) return;
  // A room that works poorly lets some topics lie.
  if (d.chance((1 - quality) * 0.5)) return;

  const members = room?.members ?? [];
  if (config.step.research) {
    story.at(story.time + d.int(2, 4 + Math.round(10 * (1 - quality))) * DAY);
    const researcher = members.length > 0 && d.chance(0.75) ? { role: members[0]!.role, id: d.pick(members).id } : staff(room, true);
    const min = config.step.research.minFindingsLength ?? 1;
    const findings = fit(scenario.findings, min, 4000, '调研情况已整理成书面材料，提交议事会参考。');
    if (!story.send({ type: 'research.complete', findings, by: researcher } as never)) return;
  }

  const meetingStep = config.step.meeting;
  const parties = config.step.handling.parties;
  const maxRounds = meetingStep.maxRounds ?? 3;
  for (let round = 1; round <= maxRounds; round++) {
    story.at(story.time + d.int(1, 3) * DAY);
    const startMs = localHour(story.time + d.int(4, 10) * DAY, d.pick([9, 14, 15, 19]));
    const attending = members.filter((m) => d.chance(engaged(room, m, quality) ? 0.75 : 0.01)).map(person);
    const residents: Participant[] = Array.from({ length: d.int(3, 7) }, () => ({ name: residentName(d), role: d.chance(0.6) ? 'representative' : 'resident' }));
    const measureParties = scenario.measures.map((m) => parties.find((p) => m.parties.includes(p.id)) ?? d.pick(parties));
    const departments: Participant[] = [...new Set(measureParties)].map((p) => ({ name: p.label['zh-CN'] ?? p.id, role: 'department', organisation: p.label['zh-CN'] ?? p.id }));
    const participants = [...attending, ...residents, ...departments];
    const conveners = (room?.conveners ?? []).slice(0, Math.max(meetingStep.conveners, 2)).map(person);
    while (conveners.length < meetingStep.conveners) conveners.push({ name: `召集人${conveners.length + 1}`, role: 'convener' });
    const placeText = room ? room.place['zh-CN'] ?? Object.values(room.place)[0] ?? place : place;
    const format = d.pick(meetingStep.formats).id;
    if (!story.send({ type: 'meeting.schedule', format, start: new Date(startMs).toISOString(), place: placeText, conveners, participants, by: staff(room) } as never)) return;
    story.at(startMs);
    if (!story.send({ type: 'meeting.start', by: staff(room) } as never)) return;
    const consensus = round < maxRounds && d.chance(0.12) ? 'none' : d.chance(0.82) ? 'full' : 'partial';
    const count = consensus === 'none' ? 0 : d.int(1, scenario.measures.length);
    const deadline = config.step.handling.deadlineDays ?? 30;
    const proposers = [...attending, ...conveners.slice(1)].filter((p) => p.id);
    const recordAt = () => story.time + 20 * 60_000;
    const measures = scenario.measures.slice(0, count).map((m, i) => ({
      id: `m${round}-${i + 1}`,
      text: m.text,
      party: measureParties[i]!.id,
      due: isoDate(story.time + Math.max(7, Math.round(deadline * (0.3 + 0.8 * (1 - quality) + d() * 0.3))) * DAY),
      ...(proposers.length > 0 && d.chance(0.55) ? { proposedBy: d.pick(proposers).id! } : {}),
    }));
    const record = {
      type: 'meeting.record',
      time: new Date(startMs).toISOString(),
      place: placeText,
      topic: String(values[config.form.pages.flatMap((p) => p.fields).find((f) => f.role === 'title')?.name ?? 'title'] ?? scenario.title),
      measures,
      effect: consensus === 'none' ? '各方意见分歧较大，未能达成共识，会后继续做工作，择期再议。' : scenario.effect,
      consensus,
      by: staff(room),
    };
    // Through the agenda's stages until the record is taken.
    let recorded = false;
    for (let stage = 0; stage < 8 && !recorded; stage++) {
      story.at(recordAt());
      const probe = applyEvent(config, story.snapshot, { ...record, at: new Date(story.time).toISOString(), receivedAt: new Date(story.time).toISOString() } as never);
      if (probe.ok) recorded = story.send(record as never);
      else if (!story.send({ type: 'meeting.advance', by: staff(room) } as never)) return;
    }
    if (!recorded) return;
    if (consensus !== 'none') break;
  }
  if (story.snapshot.context.measures.length === 0) return;
  handle(story, d, config, room, quality, 1, scenario);
}

/** Handling, feedback and evaluation; a poor rating sends it back (`pass` 2) once. */
function handle(story: Story, d: Dice, config: WorkflowConfig, room: RoomConfig | null, quality: number, pass: number, scenario: Scenario): void {
  const staff: TopicEvent['by'] = room ? { role: 'convener', id: room.conveners[0]!.id } : { role: 'admin', id: 'demo-admin' };
  type Step = { at: number; event: Record<string, unknown> };
  const steps: Step[] = [];
  const open = story.snapshot.context.measures.filter((m) => m.status === 'proposed' || m.status === 'adopted' || m.status === 'inProgress');
  const base = story.time;
  let declined = false;
  for (const m of open) {
    const dept: TopicEvent['by'] = { role: 'department', id: m.party };
    let t = base;
    if (m.status === 'proposed') {
      if (!declined && open.length > 1 && d.chance(0.08)) {
        declined = true;
        steps.push({ at: t + d.int(1, 3) * DAY, event: { type: 'measure.decline', measureId: m.id, reason: '经测算今年没有专项资金，已列入明年计划。', by: dept } });
        continue;
      }
      t += d.int(1, 3) * DAY;
      steps.push({ at: t, event: { type: 'measure.adopt', measureId: m.id, by: dept } });
    }
    // A room that works poorly lets some measures lie, past their deadline.
    if (d.chance((1 - quality) * 0.35)) continue;
    const due = Date.parse(`${m.due.slice(0, 10)}T10:00:00Z`);
    const onTime = d.chance(pass > 1 ? 0.8 : 0.3 + 0.65 * quality);
    const done = onTime ? Math.max(t + HOUR, Math.min(due - HOUR, Math.max(t + DAY, due - d.int(0, 8) * DAY))) : Math.max(t + 2 * DAY, due + d.int(3, 30) * DAY);
    if (done - t > 6 * DAY) steps.push({ at: t + Math.round((done - t) / 2), event: { type: 'measure.progress', measureId: m.id, note: pass > 1 ? '根据居民意见整改，正在施工。' : '方案已确定，正在组织实施。', by: dept } });
    steps.push({ at: done, event: { type: 'measure.implement', measureId: m.id, result: pass > 1 ? '已按居民意见整改到位。' : '已按协商意见落实到位。', by: dept } });
  }
  for (const step of steps.sort((a, b) => a.at - b.at)) {
    story.at(step.at);
    if (!story.send(step.event as never)) return;
  }
  if (!story.snapshot.context.measures.every((m) => m.status === 'implemented' || m.status === 'declined')) return;

  const feedbackStep = config.step.feedback;
  if (!feedbackStep) return;
  story.at(story.time + d.int(2, 6) * DAY);
  const text = fit(pass > 1 ? `整改情况：${scenario.feedback}` : scenario.feedback, feedbackStep.minLength ?? 1, 4000, '欢迎居民继续监督。');
  if (!story.send({ type: 'feedback.publish', text, by: staff } as never)) return;

  const evaluation = config.step.evaluation;
  if (!evaluation) return;
  const end = Date.parse(ratingWindowEnd(story.snapshot.context) ?? new Date(story.time + 14 * DAY).toISOString());
  const scale = evaluation.scale;
  const poor = pass === 1 && d.chance(0.1 + (1 - quality) * 0.3);
  const count = Math.max(2, Math.round(evaluation.minRatings * (0.4 + quality * 0.6 + d() * 0.5)));
  const opened = story.time;
  for (let i = 0; i < count; i++) {
    story.at(opened + ((i + 1) / (count + 1)) * (end - opened) * 0.8);
    const high = poor ? d.chance(0.2) : d.chance(0.55 + 0.4 * quality);
    const stars = high ? (d.chance(0.45 + 0.5 * quality) ? scale : Math.max(1, scale - 1)) : poor ? (scale <= 3 ? 1 : 2) : Math.max(1, scale - (d.chance(0.5) ? 1 : 2));
    const tone = stars >= scale - 1 && stars > 2 ? COMMENTS.high : stars <= 2 ? COMMENTS.low : COMMENTS.mid;
    const rating: Record<string, unknown> = { type: 'rating.submit', stars, by: { role: 'resident', id: `portal:demo-${story.topicId}-${pass}-${i + 1}` } };
    if (d.chance(0.4)) rating.comment = d.pick(tone);
    if (!story.send(rating as never)) return;
  }
  const ratings = story.snapshot.context.evaluations.at(-1)?.ratings.length ?? 0;
  story.at(ratings >= evaluation.minRatings ? story.time + d.int(1, 2) * DAY : end + 2 * HOUR);
  if (!story.send({ type: 'evaluation.close', by: staff } as never)) return;
  // Below the threshold the machine reopened the handling: work on it, and ask again.
  if (story.snapshot.status === 'active' && pass === 1) {
    story.at(story.time + d.int(3, 10) * DAY);
    handle(story, d, config, room, Math.max(quality, 0.7), 2, scenario);
  }
}
