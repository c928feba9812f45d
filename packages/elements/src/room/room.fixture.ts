/**
 * Test and story data for `<consult-room>` and `<consult-performance-file>`, made the real way: a
 * year and a half of the Qingmingqiao Community Consultation Room (清名桥社区协商议事室, the Wuxi
 * example) driven through the lifecycle by the machine's own pure transitions, then read by the
 * machine's selectors (`selectRoomGrades`, `selectTrends`, `selectPerformanceFiles`) exactly as
 * the server's `GET …/rooms/{room}` and `…/performance` compute them. Nothing is typed in by hand.
 *
 * What happens (now = 2026-06-01):
 * - 2025: three topics; two closed (one rated 5,4,5,4,5), one still in handling; 3 meetings; of
 *   the 3 measures due, 2 done on time and 1 late; every convener and two of the three members
 *   attended a meeting.
 * - 2026 (in progress): two topics raised, one closed and rated; 2 meetings; the one measure due
 *   was done on time.
 */
import {
  applyEvent,
  intakeUrlFor,
  newTopic,
  roomById,
  selectPerformanceFiles,
  selectRoomGrades,
  selectTrends,
  type MeasureInput,
  type Participant,
  type TopicEvent,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine/core';
import type { PerformanceData, RoomData, RoomSummary } from './room-client.js';

type Body = TopicEvent extends infer E ? (E extends TopicEvent ? Omit<E, 'by' | 'at'> : never) : never;

/**
 * A topic driven by the machine's pure transitions, each event an hour after the last unless told
 * (the browser tests' builder in packages/elements/test/programme.ts, kept here so this file needs
 * nothing outside src/).
 */
class Topic {
  snapshot: TopicSnapshot;
  private clock: number;
  constructor(
    readonly config: WorkflowConfig,
    id: string,
    start: string,
  ) {
    this.snapshot = newTopic(config, id);
    this.clock = Date.parse(start);
  }
  send(body: Body, by: TopicEvent['by'], hours = 1): this {
    this.clock += hours * 3600_000;
    const event = { ...body, by, at: new Date(this.clock).toISOString() } as TopicEvent;
    const result = applyEvent(this.config, this.snapshot, event);
    if (!result.ok) throw new Error(`${event.type}: ${result.refusal.code} ${result.refusal.message}`);
    this.snapshot = result.snapshot;
    return this;
  }
}

/** The time the room's figures are counted at. */
export const ROOM_NOW = '2026-06-01T00:00:00.000Z';
/** The room the fixture's topics belong to. */
export const ROOM_ID = 'qingmingqiao-shequ';

const SECRETARY = { id: 'c-qm-01', name: '钱美玲', role: 'convener' } as const satisfies Participant;
const COUNCILLOR = { id: 'c-qm-02', name: '顾永康', role: 'convener' } as const satisfies Participant;
const ENGINEER = { id: 'm-qm-01', name: '陆文华', role: 'member' } as const satisfies Participant;
const LAWYER = { id: 'm-qm-02', name: '沈佳', role: 'member' } as const satisfies Participant;
const REPRESENTATIVE = { name: '居民代表', role: 'representative' } as const satisfies Participant;
const DEPT = { role: 'department', id: 'dept-1' } as const;
/** Staff actions (screening, the meeting's agenda, feedback) are the first convener's. */
const STAFF = { role: 'convener', id: SECRETARY.id } as const;
const DAY = 24;

function submit(t: Topic, title: string, by: { role: 'resident' | 'member'; id: string }): Topic {
  return t.send(
    {
      type: 'topic.submit',
      source: by.role === 'member' ? 'member' : 'resident',
      room: ROOM_ID,
      values: { title, description: `${title}：居民反映多年，希望社区组织大家坐下来商量解决办法。`, category: 'other', name: '张阿姨', contactWanted: 'no', consent: true },
    },
    by,
  );
}

function meet(t: Topic, conveners: Participant[], participants: Participant[], measures: MeasureInput[]): Topic {
  t.send({ type: 'screening.accept' }, STAFF);
  t.send({ type: 'research.complete', findings: '走访了三十户居民，其中二十五户支持，已收集各方意见和现场照片。' }, { role: 'member', id: LAWYER.id });
  // Each event comes an hour after the last (updatedAt): scheduled at +1 h for +2 h, started then.
  const clock = Date.parse(t.snapshot.context.updatedAt ?? '');
  t.send({ type: 'meeting.schedule', format: 'room', start: new Date(clock + 2 * 3600_000).toISOString(), place: '社区议事室', conveners, participants }, STAFF);
  t.send({ type: 'meeting.start' }, STAFF).send({ type: 'meeting.advance' }, STAFF).send({ type: 'meeting.advance' }, STAFF).send({ type: 'meeting.advance' }, STAFF);
  return t.send({ type: 'meeting.record', time: new Date(clock + 5 * 3600_000).toISOString(), place: '社区议事室', topic: 'topic', effect: '达成共识', consensus: 'full', measures }, STAFF);
}

function close(t: Topic, stars: number[]): Topic {
  t.send({ type: 'feedback.publish', text: '各项措施已办理完毕，办理结果已在社区公示栏公开，欢迎居民监督评价。' }, STAFF);
  const submitter = t.snapshot.context.submittedBy?.id;
  stars.forEach((s, i) => t.send({ type: 'rating.submit', stars: s }, { role: 'resident', id: i === 0 && submitter ? submitter : `portal:rater-${i}` }));
  return t.send({ type: 'evaluation.close' }, STAFF);
}

/** The room's topics, replayed. */
export function roomTopics(config: WorkflowConfig): TopicSnapshot[] {
  const lift = submit(new Topic(config, 't-2025-lift', '2025-02-10T01:00:00.000Z'), '老旧小区加装电梯', { role: 'resident', id: 'r-lift' });
  meet(lift, [SECRETARY, COUNCILLOR], [ENGINEER, REPRESENTATIVE], [{ text: '成立加装电梯业主小组', party: 'residents-committee', due: '2025-03-31', proposedBy: ENGINEER.id }]);
  lift.send({ type: 'measure.adopt', measureId: 'm1-1' }, DEPT).send({ type: 'measure.implement', measureId: 'm1-1', result: '业主小组已成立' }, DEPT, 10 * DAY);
  close(lift, [5, 4, 5, 4, 5]);

  const lamps = submit(new Topic(config, 't-2025-lamps', '2025-05-12T01:00:00.000Z'), '楼道灯长期不亮', { role: 'member', id: LAWYER.id });
  meet(lamps, [SECRETARY, COUNCILLOR], [LAWYER], [{ text: '更换全部楼道灯', party: 'property-company', due: '2025-06-30', proposedBy: LAWYER.id }]);
  lamps.send({ type: 'measure.adopt', measureId: 'm1-1' }, DEPT).send({ type: 'measure.implement', measureId: 'm1-1', result: '已全部更换' }, DEPT, 20 * DAY);
  close(lamps, [4, 4, 3, 4, 4]);

  const waste = submit(new Topic(config, 't-2025-waste', '2025-09-08T01:00:00.000Z'), '垃圾投放点异味', { role: 'resident', id: 'r-waste' });
  meet(waste, [SECRETARY, COUNCILLOR], [ENGINEER], [{ text: '投放点加装除臭设备', party: 'property-company', due: '2025-10-31' }]);
  waste.send({ type: 'measure.adopt', measureId: 'm1-1' }, DEPT).send({ type: 'measure.progress', measureId: 'm1-1', note: '设备已采购' }, { role: 'convener', id: COUNCILLOR.id }, 5 * DAY);

  const meals = submit(new Topic(config, 't-2026-meals', '2026-03-02T01:00:00.000Z'), '老年助餐点', { role: 'resident', id: 'r-meals' });
  meet(meals, [SECRETARY, COUNCILLOR], [ENGINEER, REPRESENTATIVE], [{ text: '在社区食堂设老年助餐窗口', party: 'civil-affairs', due: '2026-04-30', proposedBy: ENGINEER.id }]);
  meals.send({ type: 'measure.adopt', measureId: 'm1-1' }, DEPT).send({ type: 'measure.implement', measureId: 'm1-1', result: '助餐窗口已开放' }, DEPT, 14 * DAY);
  close(meals, [5, 5, 4, 5, 4]);

  const parking = submit(new Topic(config, 't-2026-parking', '2026-04-20T01:00:00.000Z'), '小区停车难', { role: 'resident', id: 'r-parking' });
  meet(parking, [SECRETARY, COUNCILLOR], [ENGINEER, LAWYER], [{ text: '错时共享周边单位停车场', party: 'street-office', due: '2026-07-31', proposedBy: LAWYER.id }]);

  return [lift, lamps, waste, meals, parking].map((t) => t.snapshot);
}

/** `GET …/rooms/{room}` for the fixture's room, computed by the selectors over the replayed topics. */
export function roomData(config: WorkflowConfig, topics: readonly TopicSnapshot[] = roomTopics(config), now: string = ROOM_NOW): RoomData {
  return { room: roomSummary(config, ROOM_ID, topics, now), grades: selectRoomGrades(topics, config, ROOM_ID, now), trends: selectTrends(topics, config, { room: ROOM_ID, now }) };
}

/** One room as `GET …/rooms` lists it. */
export function roomSummary(config: WorkflowConfig, id: string, topics: readonly TopicSnapshot[], now: string = ROOM_NOW): RoomSummary {
  const room = roomById(config, id);
  if (!room) throw new Error(`no room ${id}`);
  const grades = selectRoomGrades(topics, config, id, now);
  return { ...room, intakeUrl: intakeUrlFor(config, id, 'resident'), topics: topics.filter((t) => t.context.room === id).length, grade: grades.at(-1)! };
}

/** `GET …/rooms`: every room of the config, its grade over the fixture's topics. */
export function roomList(config: WorkflowConfig, topics: readonly TopicSnapshot[] = roomTopics(config), now: string = ROOM_NOW): RoomSummary[] {
  return (config.rooms?.list ?? []).map((r) => roomSummary(config, r.id, topics, now));
}

/** `GET …/performance?year=` as an admin sees it (everyone's files). */
export function performanceData(config: WorkflowConfig, year: number, topics: readonly TopicSnapshot[] = roomTopics(config), now: string = ROOM_NOW): PerformanceData {
  return { year, files: selectPerformanceFiles(topics, config, year, now) };
}
