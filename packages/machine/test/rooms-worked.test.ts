/**
 * A hand-worked example of rooms, star grades, performance files and trends: a small programme
 * (two community rooms under one street room), six topics over two years driven through the real
 * machine (`applyEvent`), and every number the selectors give checked against the arithmetic in
 * the comments.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowConfig } from '../src/config/parse-config.js';
import type { WorkflowConfig } from '../src/config/config.types.js';
import type { EventActor, Participant, TopicEvent } from '../src/consultation.types.js';
import { applyEvent, newTopic, stateName } from '../src/log/replay.js';
import type { TopicSnapshot } from '../src/topic.machine.js';
import { summarizeTopic } from '../src/topic-summary.js';
import { gradeRoom, selectRoomFigures, selectRoomGrades } from '../src/rooms/figures.js';
import { selectPerformanceFiles } from '../src/rooms/performance.js';
import { selectTrends } from '../src/rooms/trends.js';
import { periodOf, periodsBetween } from '../src/rooms/periods.js';
import { intakeUrlFor, roomForEscalation } from '../src/rooms/rooms.js';

const text = (zh: string, en = zh) => ({ 'zh-CN': zh, en });
const person = (id: string, name: string) => ({ id, name });

export const RAW = {
  id: 'worked-example',
  version: '1.0.0',
  title: text('有事好商量'),
  level: 'community',
  steps: [
    { type: 'intake' },
    { type: 'screening', escalation: { levels: ['street'] } },
    { type: 'research' },
    { type: 'meeting' },
    { type: 'handling' },
    { type: 'evaluation', raters: ['submitter'], minRatings: 1 },
  ],
  form: {
    pages: [
      {
        id: 'topic',
        title: text('议题'),
        fields: [
          { name: 'title', type: 'text', role: 'title', label: text('议题名称') },
          { name: 'category', type: 'select', label: text('类别'), options: [{ value: 'lift', label: text('电梯') }, { value: 'waste', label: text('垃圾分类') }] },
        ],
      },
    ],
  },
  permissions: { 'rating.submit': ['resident', 'member'] },
  rooms: {
    list: [
      { id: 'lift-room', name: text('电梯议事室'), level: 'community', place: text('一楼'), parent: 'street-room', categories: ['lift'],
        conveners: [person('c-1', '张丽'), person('c-2', '李强')], members: [person('m-1', '王芳'), person('m-2', '刘洋')] },
      { id: 'waste-room', name: text('垃圾分类议事室'), level: 'community', place: text('二楼'), parent: 'street-room', categories: ['waste'],
        conveners: [person('c-3', '陈静'), person('c-4', '杨帆')], members: [person('m-3', '黄磊')] },
      { id: 'street-room', name: text('街道议事室'), level: 'street', place: text('街道办'),
        conveners: [person('c-5', '周涛'), person('c-6', '吴敏')] },
    ],
  },
};

export function workedConfig(): WorkflowConfig {
  const parsed = parseWorkflowConfig(structuredClone(RAW));
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
  return parsed.config;
}

const config = workedConfig();
const NOW = '2026-06-15T12:00:00+08:00';
const resident = (id: string): EventActor => ({ role: 'resident', id });
const convener = (id: string, name: string): EventActor => ({ role: 'convener', id, name });
const C1 = convener('c-1', '张丽');
const FINDINGS = 'Walked every stairwell and asked the households what they need.';

/** The topic after these events, each asserted to be accepted (loosely typed: the log is written by hand). */
function run(topicId: string, events: ReadonlyArray<{ type: string; at: string } & Record<string, unknown>>): TopicSnapshot {
  let snapshot = newTopic(config, topicId);
  for (const event of events) {
    const result = applyEvent(config, snapshot, event as unknown as TopicEvent);
    assert.ok(result.ok, `${topicId} ${event.type}: ${JSON.stringify(!result.ok && result.refusal)}`);
    snapshot = result.snapshot;
  }
  return snapshot;
}

const p = (id: string, name: string, role: Participant['role']): Participant => ({ id, name, role });
/** A meeting on `day` (10:00 +08:00), held through the four default agenda stages and recorded. */
function meeting(day: string, conveners: Participant[], participants: Participant[], measures: Array<{ id: string; due: string; proposedBy?: string }>) {
  const at = `${day}T10:00:00+08:00`;
  return [
    { type: 'meeting.schedule', by: C1, at: `${day}T08:00:00+08:00`, format: 'room', start: at, place: '一楼', conveners, participants },
    { type: 'meeting.start', by: C1, at },
    { type: 'meeting.advance', by: C1, at },
    { type: 'meeting.advance', by: C1, at },
    { type: 'meeting.advance', by: C1, at },
    {
      type: 'meeting.record', by: C1, at: `${day}T12:00:00+08:00`, time: at, place: '一楼', topic: '议题', effect: '达成共识', consensus: 'full',
      measures: measures.map((m) => ({ ...m, text: `措施 ${m.id}`, party: '物业' })),
    },
  ] as const;
}
const on = (day: string, hour = 9) => `${day}T${String(hour).padStart(2, '0')}:00:00+08:00`;
const LIFT = { title: '加装电梯', category: 'lift' };
const WASTE = { title: '垃圾分类', category: 'waste' };
const C1P = p('c-1', '张丽', 'convener');
const C2P = p('c-2', '李强', 'convener');

const topics: TopicSnapshot[] = [
  // T1 — lift-room by its category: researched, met, two measures (one on time, one late), rated 5, closed.
  run('t1', [
    { type: 'topic.submit', by: resident('r-1'), at: on('2025-03-01'), source: 'resident', values: LIFT },
    { type: 'screening.accept', by: C1, at: on('2025-03-02') },
    { type: 'research.complete', by: { role: 'member', id: 'm-1', name: '王芳' }, at: on('2025-03-05'), findings: FINDINGS },
    ...meeting('2025-03-10', [C1P, C2P], [p('m-1', '王芳', 'member'), p('m-2', '刘洋', 'member'), p('r-1', '居民', 'resident')], [
      { id: 'M1', due: '2025-04-30', proposedBy: 'm-1' },
      { id: 'M2', due: '2025-05-31', proposedBy: 'm-2' },
    ]),
    { type: 'measure.adopt', by: C1, at: on('2025-03-11'), measureId: 'M1' },
    { type: 'measure.adopt', by: C1, at: on('2025-03-11'), measureId: 'M2' },
    { type: 'measure.progress', by: C1, at: on('2025-04-01'), measureId: 'M1', note: '已进场施工' },
    { type: 'measure.implement', by: C1, at: on('2025-04-20'), measureId: 'M1', result: '完成' },
    { type: 'measure.implement', by: C1, at: on('2025-06-10'), measureId: 'M2', result: '完成' },
    { type: 'rating.submit', by: resident('r-1'), at: on('2025-06-12'), stars: 5 },
    { type: 'evaluation.close', by: C1, at: on('2025-06-13') },
  ]),
  // T2 — waste-room by its category: one measure on time, rated 4, closed.
  run('t2', [
    { type: 'topic.submit', by: resident('r-2'), at: on('2025-05-01'), source: 'resident', values: WASTE },
    { type: 'screening.accept', by: C1, at: on('2025-05-02') },
    { type: 'research.complete', by: { role: 'member', id: 'm-3', name: '黄磊' }, at: on('2025-05-03'), findings: FINDINGS },
    ...meeting('2025-05-20', [p('c-3', '陈静', 'convener'), p('c-4', '杨帆', 'convener')], [p('m-3', '黄磊', 'member')], [{ id: 'M3', due: '2025-07-01' }]),
    { type: 'measure.adopt', by: C1, at: on('2025-05-21'), measureId: 'M3' },
    { type: 'measure.implement', by: C1, at: on('2025-06-25'), measureId: 'M3', result: '完成' },
    { type: 'rating.submit', by: resident('r-2'), at: on('2025-06-28'), stars: 4 },
    { type: 'evaluation.close', by: C1, at: on('2025-06-29') },
  ]),
  // T3 — raised in lift-room by its QR code (the room wins over the waste category); its measure is overdue.
  run('t3', [
    { type: 'topic.submit', by: resident('r-3'), at: on('2025-11-01'), source: 'resident', values: WASTE, room: 'lift-room' },
    { type: 'screening.accept', by: C1, at: on('2025-11-02') },
    { type: 'research.complete', by: convener('c-2', '李强'), at: on('2025-11-05'), findings: FINDINGS },
    ...meeting('2025-11-20', [C1P, C2P], [p('m-1', '王芳', 'member')], [{ id: 'M4', due: '2026-01-31', proposedBy: 'c-2' }]),
    { type: 'measure.adopt', by: C1, at: on('2025-11-21'), measureId: 'M4' },
  ]),
  // T4 — waste-room, escalated to the street level: it moves to street-room (the parent).
  run('t4', [
    { type: 'topic.submit', by: resident('r-4'), at: on('2026-01-10'), source: 'resident', values: WASTE },
    { type: 'screening.escalate', by: convener('c-3', '陈静'), at: on('2026-01-12'), level: 'street', reason: '涉及多个小区' },
  ]),
  // T5 — recommended by a council member no room names (m-9), who researches it, attends, suggests the measure and rates 3.
  run('t5', [
    { type: 'topic.submit', by: { role: 'member', id: 'm-9', name: '赵六' }, at: on('2026-02-01'), source: 'member', values: LIFT },
    { type: 'screening.accept', by: C1, at: on('2026-02-02') },
    { type: 'research.complete', by: { role: 'member', id: 'm-9', name: '赵六' }, at: on('2026-02-05'), findings: FINDINGS },
    ...meeting('2026-03-01', [C1P, C2P], [p('m-9', '赵六', 'member'), p('m-2', '刘洋', 'member')], [{ id: 'M5', due: '2026-03-31', proposedBy: 'm-9' }]),
    { type: 'measure.adopt', by: C1, at: on('2026-03-02'), measureId: 'M5' },
    { type: 'measure.implement', by: C1, at: on('2026-03-20'), measureId: 'M5', result: '完成' },
    { type: 'rating.submit', by: { role: 'member', id: 'm-9', name: '赵六' }, at: on('2026-03-25'), stars: 3 },
    { type: 'evaluation.close', by: C1, at: on('2026-03-27') },
  ]),
  // T6 — lift-room, rejected at screening: raised, never solved.
  run('t6', [
    { type: 'topic.submit', by: resident('r-6'), at: on('2026-05-01'), source: 'resident', values: LIFT },
    { type: 'screening.reject', by: C1, at: on('2026-05-02'), reason: '属于物业合同纠纷' },
  ]),
];
const [t1, t2, t3, t4, t5, t6] = topics as [TopicSnapshot, TopicSnapshot, TopicSnapshot, TopicSnapshot, TopicSnapshot, TopicSnapshot];
const Y2025 = periodOf('2025-01-01', 'year');
const Y2026 = periodOf('2026-01-01', 'year');

describe('topics in rooms (hand-worked)', () => {
  it('puts each topic in its room, moves the escalated one to the parent room, and the index shows it', () => {
    assert.deepEqual(topics.map((t) => t.context.room), ['lift-room', 'waste-room', 'lift-room', 'street-room', 'lift-room', 'lift-room']);
    assert.deepEqual(topics.map((t) => stateName(t).split('.')[0]), ['closed', 'closed', 'handling', 'screening', 'closed', 'rejected']);
    assert.equal(t4.context.level, 'street');
    assert.deepEqual(
      { ...t4.context.escalations[0], at: undefined, by: undefined },
      { from: 'community', to: 'street', fromRoom: 'waste-room', toRoom: 'street-room', at: undefined, by: undefined, reason: '涉及多个小区' },
    );
    assert.equal(summarizeTopic(t4, 2, NOW).room, 'street-room');
    assert.equal(t1.context.measures.find((m) => m.id === 'M1')!.proposedBy, 'm-1');
    assert.equal(roomForEscalation(config, 'lift-room', 'street')!.id, 'street-room');
    assert.equal(intakeUrlFor(config, 'lift-room', 'resident'), '?programme=worked-example&room=lift-room&source=resident#raise');
  });

  it('refuses an unknown room, a level the room is not at, and a measure credited to someone absent', () => {
    const draft = newTopic(config, 'tx');
    const submit = { type: 'topic.submit', by: resident('r-9'), at: on('2026-06-01'), source: 'resident', values: LIFT } as const;
    const refused = (event: object) => {
      const result = applyEvent(config, draft, event as TopicEvent);
      return result.ok ? null : [result.refusal.code, result.refusal.field];
    };
    assert.deepEqual(refused({ ...submit, room: 'no-such-room' }), ['unknown-room', 'room']);
    assert.deepEqual(refused({ ...submit, room: 'street-room', level: 'community' }), ['room-level-mismatch', 'level']);
    assert.equal(refused({ ...submit, room: 'street-room', level: 'street' }), null);
    assert.deepEqual(refused({ ...submit, level: 'street' }), ['wrong-level', 'level']);
    // Raised in the street room by its code, the topic is at the street level.
    const street = applyEvent(config, draft, { ...submit, room: 'street-room' } as TopicEvent);
    assert.ok(street.ok && street.snapshot.context.level === 'street' && street.snapshot.context.room === 'street-room');
    assert.throws(
      () => run('ty', [
        { type: 'topic.submit', by: resident('r-9'), at: on('2026-06-01'), source: 'resident', values: LIFT },
        { type: 'screening.accept', by: C1, at: on('2026-06-01', 10) },
        { type: 'research.complete', by: C1, at: on('2026-06-01', 11), findings: FINDINGS },
        ...meeting('2026-06-02', [C1P, C2P], [], [{ id: 'X', due: '2026-07-01', proposedBy: 'm-1' }]),
      ]),
      /unknown-proposer/,
    );
  });
});

describe('room figures and star grades (hand-worked)', () => {
  it('lift-room in 2025', () => {
    const f = selectRoomFigures(topics, config, 'lift-room', Y2025, NOW);
    assert.deepEqual(f, {
      room: 'lift-room',
      period: Y2025,
      topicsRaised: 2, // T1 (03-01), T3 (11-01)
      topicsSolved: 1, // T1 closed 2025-06-13; T3 is still in handling
      solvedShare: 0.5, // 1 ÷ 2
      sessionsHeld: 2, // T1's meeting (03-10), T3's (11-20)
      participants: 8, // T1: 2 conveners + 3 participants; T3: 2 + 1
      measuresDue: 2, // M1 (due 04-30), M2 (due 05-31); M4 is due in 2026
      measuresOnTime: 1, // M1 implemented 04-20; M2 on 06-10, late
      onTimeShare: 0.5,
      ratings: 1, // T1: 5 stars
      averageSatisfaction: 5,
      members: 4, // c-1, c-2, m-1, m-2
      membersAttending: 4, // all four at T1's meeting
      memberParticipation: 1,
    });
    // sessionsHeld 2 → 2★ (1, 2 reached; 4 not); solvedShare 0.5 → 2★ (0.2, 0.4); onTimeShare 0.5 → 2★;
    // averageSatisfaction 5 → 5★; memberParticipation 1 → 5★. Minimum: 2★.
    const grade = gradeRoom(f, config.grading);
    assert.deepEqual(grade.criteria.map((c) => [c.figure, c.value, c.stars, c.next]), [
      ['sessionsHeld', 2, 2, 4],
      ['solvedShare', 0.5, 2, 0.6],
      ['onTimeShare', 0.5, 2, 0.6],
      ['averageSatisfaction', 5, 5, null],
      ['memberParticipation', 1, 5, null],
    ]);
    assert.equal(grade.stars, 2);
    assert.equal(gradeRoom(f, { ...config.grading, combine: 'average' }).stars, 3); // ⌊(2+2+2+5+5) ÷ 5⌋ = ⌊3.2⌋
  });

  it('lift-room in 2026 (to now)', () => {
    const f = selectRoomFigures(topics, config, 'lift-room', Y2026, NOW);
    assert.deepEqual(
      [f.topicsRaised, f.topicsSolved, f.sessionsHeld, f.participants, f.measuresDue, f.measuresOnTime, f.ratings, f.averageSatisfaction, f.membersAttending, f.memberParticipation],
      // T5, T6 raised; T5 solved; T5's meeting with 2 + 2 people; M4 (due 01-31, never implemented, passed) and
      // M5 (on time) due; T5 rated 3; c-1, c-2, m-2 attended (m-9 is no member of the room): 3 ÷ 4.
      [2, 1, 1, 4, 2, 1, 1, 3, 3, 0.75],
    );
    // sessions 1 → 1★, solved 0.5 → 2★, on time 0.5 → 2★, satisfaction 3 → 3★, participation 0.75 → 3★: 1★.
    assert.deepEqual(gradeRoom(f, config.grading).criteria.map((c) => c.stars), [1, 2, 2, 3, 3]);
  });

  it('the grade history, the other rooms and the whole programme', () => {
    const history = selectRoomGrades(topics, config, 'lift-room', NOW);
    assert.deepEqual(history.map((r) => [r.period.key, r.grade.stars, r.final]), [['2025', 2, true], ['2026', 1, false]]);
    // waste-room 2025: T2 alone — 1 session (1★), all solved, on time (5★), 4 stars (4★), 3 of 3 members (5★): 1★.
    // 2026: T4 left for street-room, nothing raised: nothing to measure, 0★.
    const waste = selectRoomGrades(topics, config, 'waste-room', NOW);
    assert.deepEqual(waste.map((r) => [r.period.key, r.grade.criteria.map((c) => c.stars), r.grade.stars]), [['2025', [1, 5, 5, 4, 5], 1], ['2026', [0, 0, 0, 0, 0], 0]]);
    assert.deepEqual(selectRoomGrades(topics, config, 'street-room', NOW).map((r) => [r.period.key, r.figures.topicsRaised, r.figures.members]), [['2026', 1, 2]]);
    const all = selectRoomFigures(topics, config, null, Y2025, NOW);
    // T1–T3; T1, T2 solved; 3 meetings with 5 + 3 + 3 people; M1–M3 due, M1 and M3 on time; ratings 5 and 4;
    // the 9 people the rooms name, 7 of them at a meeting (c-5, c-6 were not).
    assert.deepEqual(
      [all.topicsRaised, all.topicsSolved, all.sessionsHeld, all.participants, all.measuresDue, all.measuresOnTime, all.ratings, all.averageSatisfaction, all.members, all.membersAttending],
      [3, 2, 3, 11, 3, 2, 2, 4.5, 9, 7],
    );
    // Seen from the middle of 2025, T1 was not yet solved and M2 not yet due.
    const early = selectRoomFigures(topics, config, 'lift-room', Y2025, '2025-05-15T00:00:00+08:00');
    assert.deepEqual([early.topicsRaised, early.topicsSolved, early.measuresDue, early.measuresOnTime, early.ratings], [1, 0, 1, 1, 0]);
  });
});

describe('performance files (hand-worked)', () => {
  const row = (files: ReturnType<typeof selectPerformanceFiles>) =>
    Object.fromEntries(files.map((f) => [f.person.id, [f.counts.topicsRecommended, f.counts.researchVisits, f.counts.meetingsConvened, f.counts.meetingsAttended, f.counts.consultations, f.counts.suggestionsMade, f.counts.measuresFollowed, f.met]]));

  it('2025: what each did, against the three default targets', () => {
    const files = selectPerformanceFiles(topics, config, 2025, NOW);
    // Room-named people in the rooms' order, then m-9, whom only the log shows.
    assert.deepEqual(files.map((f) => f.person.id), ['c-1', 'c-2', 'm-1', 'm-2', 'c-3', 'c-4', 'm-3', 'c-5', 'c-6', 'm-9']);
    //                 recommended research convened attended consultations suggestions followed met
    assert.deepEqual(row(files), {
      'c-1': [0, 0, 2, 0, 2, 0, 1, 1], // convened T1, T3; noted progress on M1; meets "consultation"
      'c-2': [0, 1, 2, 0, 2, 1, 0, 2], // researched T3; convened T1, T3; suggested M4
      'm-1': [0, 1, 0, 2, 2, 1, 0, 2], // researched T1; attended T1, T3; suggested M1
      'm-2': [0, 0, 0, 1, 1, 1, 0, 1], // attended T1; suggested M2
      'c-3': [0, 0, 1, 0, 1, 0, 0, 1],
      'c-4': [0, 0, 1, 0, 1, 0, 0, 1],
      'm-3': [0, 1, 0, 1, 1, 0, 0, 2],
      'c-5': [0, 0, 0, 0, 0, 0, 0, 0],
      'c-6': [0, 0, 0, 0, 0, 0, 0, 0],
      'm-9': [0, 0, 0, 0, 0, 0, 0, 0],
    });
    const c2 = files.find((f) => f.person.id === 'c-2')!;
    assert.deepEqual(c2.person, { id: 'c-2', name: '李强', role: 'convener', rooms: ['lift-room'] });
    assert.deepEqual(c2.targets.map((t) => [t.id, t.figure, t.target, t.value, t.met]), [
      ['proposal', 'topicsRecommended', 1, 0, false],
      ['research', 'researchVisits', 1, 1, true],
      ['consultation', 'consultations', 1, 2, true],
    ]);
    assert.equal(c2.of, 3);
  });

  it('2026: the member no room names recommended, researched, attended and suggested', () => {
    const files = selectPerformanceFiles(topics, config, 2026, NOW);
    const m9 = files.find((f) => f.person.id === 'm-9')!;
    assert.deepEqual(m9.person, { id: 'm-9', name: '赵六', role: 'member', rooms: [] });
    assert.equal(m9.counts.topicsRaised, 1);
    assert.deepEqual(row(files)['m-9'], [1, 1, 0, 1, 1, 1, 0, 3]);
    assert.deepEqual(row(files)['c-1'], [0, 0, 1, 0, 1, 0, 0, 1]); // convened T5
    assert.deepEqual(row(files)['c-3'], [0, 0, 0, 0, 0, 0, 0, 0]); // escalating T4 is no consultation
    assert.ok(!files.some((f) => f.person.id.startsWith('r-')), 'residents have no performance file');
  });
});

describe('trends (hand-worked)', () => {
  it('month by month, from the first month with anything in it to now', () => {
    const { months } = selectTrends(topics, config, { now: NOW });
    assert.deepEqual(months.map((m) => m.month), periodsBetween('2025-03-01', '2026-06-01', 'month').map((p) => p.key));
    const by = Object.fromEntries(months.map((m) => [m.month, [m.raisedTotal, m.solved, m.ratings, m.averageSatisfaction, m.measuresDue, m.onTime, m.late]]));
    assert.deepEqual(by['2025-03'], [1, 0, 0, null, 0, 0, 0]); // T1 raised
    assert.deepEqual(by['2025-04'], [0, 0, 0, null, 1, 1, 0]); // M1 due 04-30, done 04-20
    assert.deepEqual(by['2025-05'], [1, 0, 0, null, 1, 0, 1]); // T2 raised; M2 due 05-31, done 06-10: late
    assert.deepEqual(by['2025-06'], [0, 2, 2, 4.5, 0, 0, 0]); // T1, T2 closed; rated 5 and 4
    assert.deepEqual(by['2025-07'], [0, 0, 0, null, 1, 1, 0]); // M3
    assert.deepEqual(by['2026-01'], [1, 0, 0, null, 1, 0, 1]); // T4 raised; M4 overdue
    assert.deepEqual(by['2026-03'], [0, 1, 1, 3, 1, 1, 0]); // T5 closed and rated 3; M5 on time
    assert.deepEqual(by['2026-06'], [0, 0, 0, null, 0, 0, 0]);
    assert.deepEqual(months.find((m) => m.month === '2026-02')!.raised, { resident: 0, member: 1, government: 0, grid: 0, open311: 0 });
    const lift = selectTrends(topics, config, { room: 'lift-room', now: NOW });
    assert.equal(lift.months.reduce((n, m) => n + m.raisedTotal, 0), 4); // T1, T3, T5, T6
    assert.deepEqual(selectTrends([], config, { now: NOW }), { room: null, months: [] });
    void [t2, t3, t5, t6];
  });
});
