/**
 * The printable records' data, built with the machine (every event applied by `applyEntry`; a
 * refused event throws): a Wuxi room's topic from intake to closed, its meeting with conveners
 * and participants of every role (residents' names withheld, as the shareable log has them), its
 * measures with responsible party, deadline and who suggested them, then feedback, ratings and
 * the close; a second topic with two rounds. Sizes are parameters, so the print test can ask for a
 * LONG record (40 measures, 30 participants). Used by records.test.ts (Chromium), the print test's
 * page (print-records.test.ts) and the stories.
 */
import {
  applyEntry,
  redactEntry,
  selectRoomGrades,
  selectTrends,
  type LogEntry,
  type MeasureInput,
  type Participant,
  type TopicEvent,
  type TopicEventBody,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine/core';

export const ROOM = 'qingmingqiao-shequ';
export const NOW = '2026-12-20T02:00:00.000Z';
export const CONVENER = { role: 'convener' as const, id: 'c-qm-01', name: '钱美玲' };
export const DEPT = { role: 'department' as const, id: 'd-housing', name: '住建局王科长' };

export const CONVENERS: Participant[] = [
  { id: 'c-qm-01', name: '钱美玲', role: 'convener', organisation: '社区党委' },
  { id: 'c-qm-02', name: '顾永康', role: 'convener', organisation: '区政协' },
];

const PARTIES = ['residents-committee', 'street-office', 'housing-bureau', 'civil-affairs', 'property-company'];
const SURNAMES = ['陈', '张', '李', '王', '赵', '刘', '周', '吴', '郑', '孙'];

/** `n` participants: residents and representatives (withheld in the shareable log), a member, departments, a company, experts. */
export function participants(n: number): Participant[] {
  const fixed: Participant[] = [
    { id: 'm-qm-01', name: '沈委员', role: 'member', organisation: '区政协' },
    { name: '住建局', role: 'department' },
    { name: '物业公司', role: 'stakeholder', organisation: '清名桥物业' },
    { name: '赵工', role: 'expert' },
    { name: '陈阿姨', role: 'representative' },
  ];
  const out = fixed.slice(0, Math.min(n, fixed.length));
  for (let i = out.length; i < n; i += 1) {
    out.push({ name: `${SURNAMES[i % SURNAMES.length]}居民${i}`, role: i % 3 === 0 ? 'representative' : 'resident' });
  }
  return out;
}

/** `n` measures, each with a text long enough to wrap (a cut row would split it), a party and a deadline. */
export function measures(n: number, lang: 'zh-CN' | 'en' = 'zh-CN'): MeasureInput[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `m-${i + 1}`,
    text:
      lang === 'en'
        ? `Measure ${i + 1}: repaint the parking bays by building ${i + 1}, fit two lights and a ramp, and tell every household in the stairwell notice`
        : `措施${i + 1}：重新施划${i + 1}号楼旁的停车位，加装两盏路灯和一段无障碍坡道，并在楼道公告栏告知每一户居民`,
    party: PARTIES[i % PARTIES.length]!,
    due: `2026-${String(7 + (i % 5)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`,
    ...(i % 2 === 0 ? { proposedBy: i % 4 === 0 ? 'm-qm-01' : 'c-qm-02' } : {}),
  }));
}

/** A programme's log built event by event through the machine; `redacted` keeps the shareable entries (names withheld). */
export class RecordLog {
  readonly entries: LogEntry[] = [];
  readonly topics = new Map<string, TopicSnapshot>();
  private clock: number;

  constructor(
    readonly config: WorkflowConfig,
    start = '2026-05-04T01:00:00.000Z',
    readonly redacted = true,
  ) {
    this.clock = Date.parse(start);
  }

  at(minutes = 60): string {
    this.clock += minutes * 60_000;
    return new Date(this.clock).toISOString();
  }

  send(topicId: string, event: Omit<TopicEvent, 'at'> & { at?: string }): this {
    const { by, at, ...body } = { ...event, at: event.at ?? this.at() } as TopicEvent;
    const full: LogEntry = { id: `e${this.entries.length + 1}`, topicId, seq: this.entries.length + 1, event: body as TopicEventBody, by, at };
    const entry = this.redacted ? redactEntry(this.config, full).entry : full;
    const refusal = applyEntry(this.config, this.topics, entry);
    if (refusal) throw new Error(`${body.type} refused: ${refusal.code} ${refusal.message}`);
    this.entries.push(entry);
    return this;
  }

  get(topicId: string): TopicSnapshot {
    return this.topics.get(topicId)!;
  }

  /** Submitted in the room, accepted, researched. */
  open(topicId: string, title: string): this {
    this.send(topicId, {
      type: 'topic.submit',
      values: { title, description: `${title}：居民反映多年，希望社区组织大家坐下来商量解决办法。`, category: 'other', name: '张阿姨', contactWanted: 'no', consent: true },
      source: 'resident',
      room: ROOM,
      by: { role: 'resident', id: `r-${topicId}`, name: '张阿姨' },
    } as unknown as TopicEvent);
    this.send(topicId, { type: 'screening.accept', by: CONVENER } as TopicEvent);
    this.send(topicId, { type: 'research.complete', findings: '走访了三十户居民，其中二十五户支持，已收集各方意见和现场照片。', by: CONVENER } as TopicEvent);
    return this;
  }

  /** A round: scheduled, held through every agenda stage, recorded. */
  meet(topicId: string, people: Participant[], agreed: MeasureInput[], consensus: 'full' | 'partial' | 'none' = 'full', topic = '停车难与夜间照明'): this {
    this.send(topicId, {
      type: 'meeting.schedule',
      format: 'room',
      start: new Date(this.clock + 2 * 3600_000).toISOString(),
      place: '清名桥社区党群服务中心一楼议事室',
      conveners: CONVENERS,
      participants: people,
      by: CONVENER,
    } as TopicEvent);
    this.send(topicId, { type: 'meeting.start', by: CONVENER, at: this.at(120) } as TopicEvent);
    for (let i = 1; i < this.config.step.meeting.agenda.length; i += 1) this.send(topicId, { type: 'meeting.advance', by: CONVENER, at: this.at(20) } as TopicEvent);
    return this.send(topicId, {
      type: 'meeting.record',
      time: this.at(0),
      place: '清名桥社区党群服务中心一楼议事室',
      topic,
      measures: agreed,
      effect: consensus === 'none' ? '意见分歧较大，下次再议' : '与会各方同意分步实施，物业配合施工',
      consensus,
      by: CONVENER,
    } as TopicEvent);
  }

  /** Every measure implemented (the first on time, the rest as `late` says), feedback, five ratings, closed. */
  close(topicId: string, comment = '谢谢大家'): this {
    const ctx = this.get(topicId).context;
    for (const m of ctx.measures) {
      this.send(topicId, { type: 'measure.adopt', measureId: m.id, by: DEPT } as TopicEvent);
      this.send(topicId, { type: 'measure.progress', measureId: m.id, note: '已进场施工', by: DEPT } as TopicEvent);
      this.send(topicId, { type: 'measure.implement', measureId: m.id, result: '已完成并经居民代表验收', by: DEPT } as TopicEvent);
    }
    this.send(topicId, { type: 'feedback.publish', text: '各项措施已全部完成并经居民代表验收，欢迎大家继续监督。', by: CONVENER } as TopicEvent);
    [5, 4, 5, 4, 4].forEach((stars, i) =>
      this.send(topicId, { type: 'rating.submit', stars, ...(i === 0 ? { comment } : {}), by: { role: 'resident', id: `portal:r${i}` } } as TopicEvent),
    );
    return this.send(topicId, { type: 'evaluation.close', by: CONVENER } as TopicEvent);
  }
}

export interface RecordsData {
  log: RecordLog;
  /** The closed topic with one long round. */
  topicId: string;
  /** A topic with two rounds (the first without consensus). */
  twoRounds: string;
  /** `{ room, grades, trends }` as `GET …/rooms/{room}` answers. */
  room: { room: NonNullable<WorkflowConfig['rooms']>['list'][number] & { grade: ReturnType<typeof selectRoomGrades>[number] }; grades: ReturnType<typeof selectRoomGrades>; trends: ReturnType<typeof selectTrends> };
}

/** The whole story of the records, at the sizes asked for. */
export function recordsData(config: WorkflowConfig, size: { measures?: number; participants?: number; lang?: 'zh-CN' | 'en' } = {}): RecordsData {
  const log = new RecordLog(config);
  log.open('t-parking', '清名桥小区停车难').meet('t-parking', participants(size.participants ?? 9), measures(size.measures ?? 3, size.lang)).close('t-parking');
  log
    .open('t-lights', '背街小巷路灯不亮')
    .meet('t-lights', participants(6), [], 'none', '背街小巷路灯')
    .meet('t-lights', participants(7), [{ id: 'l-1', text: '更换十二盏路灯并每月巡查', party: 'street-office', due: '2026-08-30', proposedBy: 'm-qm-01' }], 'full', '背街小巷路灯');
  const grades = selectRoomGrades(log.topics.values(), config, ROOM, NOW);
  const trends = selectTrends(log.topics.values(), config, { room: ROOM, now: NOW });
  const room = config.rooms!.list.find((r) => r.id === ROOM)!;
  return { log, topicId: 't-parking', twoRounds: 't-lights', room: { room: { ...room, grade: grades.at(-1)! }, grades, trends } };
}
