/**
 * Issue 17 in the machine: the notices a topic's entries cause and the timers its snapshot holds,
 * through a whole lifecycle written as a real log (explicit times, the server's receipts), the
 * timers the same from a replay of the log as from applying it entry by entry.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { noticesForTimer, topicTimers } from '../src/notify/notices.js';
import { SYSTEM_ACTOR, type TopicTimer } from '../src/notify/notify.types.js';
import { stateName } from '../src/log/replay.js';
import type { TopicEventBody } from '../src/consultation.types.js';
import { DEPT, Log, PERSONAL, RESIDENT, wuxi } from './notify-helpers.js';

const FINDINGS = '走访了三号楼全部24户，其中18户同意加装电梯，6户担心采光和费用，需要协商解决。';
const RECORD = { time: '2026-03-08T11:00:00.000Z', place: '幸福里社区议事室', topic: '加装电梯', effect: '达成共识' };
const MEASURES = [
  { id: 'm1', text: '申请加装电梯补贴', party: 'street-office', due: '2026-04-01' },
  { id: 'm2', text: '协调低楼层采光补偿', party: 'residents-committee', due: '2026-04-10T10:00:00.000Z' },
];

const keys = (timers: TopicTimer[]) => timers.map((t) => t.key).sort();

/** Every timer the topic holds now is the same whether it was applied entry by entry or replayed from the log. */
function sameFromReplay(log: Log): TopicTimer[] {
  const timers = topicTimers(log.snapshot);
  assert.deepEqual(topicTimers(log.replayed()), timers, `timers after ${log.entries.at(-1)?.event.type}`);
  return timers;
}

/** A Wuxi topic taken to its meeting being scheduled (and moved). */
function toMeeting(config = wuxi()): Log {
  const log = new Log(config).submit('2026-03-01T01:00:00.000Z');
  log.send('2026-03-01T02:00:00.000Z', { type: 'screening.accept' });
  log.send('2026-03-01T03:00:00.000Z', { type: 'research.complete', findings: FINDINGS });
  return log;
}

describe('notices an entry causes, from a replayed log', () => {
  it('topic.accepted and topic.rejected (with the reason) go to the resident, keyed by the entry', () => {
    const log = new Log(wuxi()).submit('2026-03-01T01:00:00.000Z');
    assert.deepEqual(log.notices, [], 'raising a topic tells nobody');
    const [accepted] = log.send('2026-03-01T02:00:00.000Z', { type: 'screening.accept' });
    assert.deepEqual(accepted, {
      key: 'e2:topic.accepted',
      trigger: 'topic.accepted',
      topicId: 't1',
      to: ['resident'],
      vars: { title: '3号楼加装电梯', topicId: 't1' },
      at: '2026-03-01T02:00:00.000Z',
    });
    const other = new Log(wuxi(), 't2').submit('2026-03-01T01:00:00.000Z');
    const [rejected] = other.send('2026-03-01T05:00:00.000Z', { type: 'screening.reject', reason: '属于个人诉求，请通过人民调解解决' });
    assert.equal(rejected!.key, 'e2:topic.rejected');
    assert.deepEqual(rejected!.vars, { title: '3号楼加装电梯', topicId: 't2', reason: '属于个人诉求，请通过人民调解解决' });
  });

  it('meeting.scheduled, then meeting.moved with the previous start and the calendar sequence; participants by id, never by name', () => {
    const log = toMeeting();
    const [scheduled] = log.schedule('2026-03-01T04:00:00.000Z', '2026-03-10T11:00:00.000Z');
    assert.equal(scheduled!.trigger, 'meeting.scheduled');
    assert.deepEqual(scheduled!.to, ['resident', 'participants']);
    assert.deepEqual(scheduled!.vars, { title: '3号楼加装电梯', topicId: 't1', start: '2026-03-10T11:00:00.000Z', place: '幸福里社区议事室', format: 'room' });
    assert.deepEqual(scheduled!.participantIds, ['staff:li', 'portal:chen', 'staff:liu']);
    assert.deepEqual(scheduled!.meeting, { round: 1, start: '2026-03-10T11:00:00.000Z', place: '幸福里社区议事室', format: 'room', sequence: 0 });

    const [moved] = log.schedule('2026-03-02T04:00:00.000Z', '2026-03-08T11:00:00.000Z', '3号楼前小广场');
    assert.equal(moved!.trigger, 'meeting.moved');
    assert.equal(moved!.key, 'e5:meeting.moved');
    assert.equal(moved!.vars.previousStart, '2026-03-10T11:00:00.000Z');
    assert.equal(moved!.vars.start, '2026-03-08T11:00:00.000Z');
    assert.equal(moved!.meeting!.sequence, 1, 'the second arrangement of round 1');
    const [again] = log.schedule('2026-03-03T04:00:00.000Z', '2026-03-08T12:00:00.000Z');
    assert.equal(again!.meeting!.sequence, 2);
    const bytes = JSON.stringify(log.notices);
    for (const value of PERSONAL) assert.ok(!bytes.includes(value), `no notice carries ${value}`);
  });

  it('one measure.assigned per agreed measure, to its party; feedback.published and rating.opened when the evaluation opens', () => {
    const log = toMeeting();
    log.schedule('2026-03-01T04:00:00.000Z', '2026-03-08T11:00:00.000Z');
    const assigned = log.hold('2026-03-08T11:00:00.000Z', { type: 'meeting.record', ...RECORD, consensus: 'full', measures: MEASURES } as TopicEventBody);
    assert.deepEqual(
      assigned.map((n) => [n.key, n.trigger, n.party, n.to, n.vars.measure, n.vars.due]),
      [
        ['e9:measure.assigned:m1', 'measure.assigned', 'street-office', ['department'], '申请加装电梯补贴', '2026-04-01'],
        ['e9:measure.assigned:m2', 'measure.assigned', 'residents-committee', ['department'], '协调低楼层采光补偿', '2026-04-10T10:00:00.000Z'],
      ],
    );
    log.send('2026-03-09T01:00:00.000Z', { type: 'measure.adopt', measureId: 'm1' }, DEPT);
    log.send('2026-03-09T02:00:00.000Z', { type: 'measure.implement', measureId: 'm1', result: '补贴已申请并获批' }, DEPT);
    assert.deepEqual(log.send('2026-03-09T03:00:00.000Z', { type: 'measure.decline', measureId: 'm2', reason: '已有遮阳方案' }, DEPT), []);
    const published = log.send('2026-03-10T01:00:00.000Z', { type: 'feedback.publish', text: '补贴已获批，电梯将于五月开工，欢迎监督。' });
    assert.deepEqual(
      published.map((n) => [n.key, n.trigger, n.vars.feedback ?? n.vars.closesAt]),
      [
        ['e13:feedback.published', 'feedback.published', '补贴已获批，电梯将于五月开工，欢迎监督。'],
        ['e13:rating.opened', 'rating.opened', '2026-03-24T01:00:00.000Z'],
      ],
    );
  });

  it('rating.opened also when the last measure settles in a programme without a feedback step', () => {
    const config = wuxi(undefined, (raw) => (raw.steps = raw.steps.filter((s) => s.type !== 'feedback')));
    const log = toMeeting(config);
    log.schedule('2026-03-01T04:00:00.000Z', '2026-03-01T05:00:00.000Z');
    log.hold('2026-03-01T05:00:00.000Z', { type: 'meeting.record', ...RECORD, consensus: 'full', measures: [MEASURES[0]!] } as TopicEventBody);
    log.send('2026-03-02T01:00:00.000Z', { type: 'measure.adopt', measureId: 'm1' }, DEPT);
    const settled = log.send('2026-03-03T01:00:00.000Z', { type: 'measure.implement', measureId: 'm1', result: '补贴已申请并获批' }, DEPT);
    assert.deepEqual(settled.map((n) => n.key), ['e11:rating.opened']);
  });

  it('nothing when notifications are off or a rule tells nobody; a partial rule keeps the default words', () => {
    const off = toMeeting(wuxi({ enabled: false }));
    off.schedule('2026-03-01T04:00:00.000Z', '2026-03-10T11:00:00.000Z');
    assert.deepEqual(off.notices, []);
    const quiet = toMeeting(wuxi({ notices: { 'topic.accepted': { to: [] }, 'meeting.scheduled': { to: ['participants'] } } }));
    const [scheduled] = quiet.schedule('2026-03-01T04:00:00.000Z', '2026-03-10T11:00:00.000Z');
    assert.deepEqual(quiet.notices.map((n) => n.trigger), ['meeting.scheduled']);
    assert.deepEqual(scheduled!.to, ['participants']);
  });

  it('the title is left out when the form marks it personal', () => {
    const config = wuxi(undefined, (raw) => {
      const title = raw.form.pages[0]!.fields.find((f) => f.name === 'title')!;
      title.personal = true;
    });
    const log = new Log(config).submit('2026-03-01T01:00:00.000Z', '张阿姨家门口的路灯');
    const [accepted] = log.send('2026-03-01T02:00:00.000Z', { type: 'screening.accept' });
    assert.equal(accepted!.vars.title, '');
    assert.ok(!JSON.stringify(accepted).includes('张阿姨'));
  });
});

describe('timers of a topic through its lifecycle', () => {
  it('a reminder before the meeting, moved with it and gone once it starts', () => {
    const log = toMeeting();
    assert.deepEqual(sameFromReplay(log), []);
    log.schedule('2026-03-01T04:00:00.000Z', '2026-03-10T11:00:00.000Z');
    const [first] = sameFromReplay(log);
    assert.deepEqual(first, { key: 't1:meeting.reminder:1:2026-03-10T11:00:00.000Z', kind: 'meeting.reminder', topicId: 't1', at: '2026-03-09T11:00:00.000Z', round: 1 });
    log.schedule('2026-03-02T04:00:00.000Z', '2026-03-08T11:00:00.000Z');
    const [second] = sameFromReplay(log);
    assert.equal(second!.key, 't1:meeting.reminder:1:2026-03-08T11:00:00.000Z');
    assert.equal(second!.at, '2026-03-07T11:00:00.000Z');
    assert.deepEqual(noticesForTimer(log.snapshot, first!), [], 'the old moment no longer applies: the meeting moved');
    const [reminder] = noticesForTimer(log.snapshot, second!);
    assert.equal(reminder!.key, second!.key);
    assert.deepEqual(reminder!.to, ['participants']);
    assert.equal(reminder!.meeting!.sequence, 1);
    assert.deepEqual(reminder!.participantIds, ['staff:li', 'portal:chen', 'staff:liu']);
    log.send('2026-03-08T10:30:00.000Z', { type: 'meeting.start' });
    assert.deepEqual(sameFromReplay(log), []);
    assert.deepEqual(noticesForTimer(log.snapshot, second!), [], 'a started meeting needs no reminder');
  });

  it('due soon and overdue per open measure; gone as each settles; counted again when a poor rating sends them back; the rating window closes itself', () => {
    const log = toMeeting();
    log.schedule('2026-03-01T04:00:00.000Z', '2026-03-08T11:00:00.000Z');
    log.hold('2026-03-08T11:00:00.000Z', { type: 'meeting.record', ...RECORD, consensus: 'full', measures: MEASURES } as TopicEventBody);
    const open = sameFromReplay(log);
    assert.deepEqual(
      open.map((t) => [t.key, t.at]),
      [
        ['t1:measure.dueSoon:m1:2026-04-01', '2026-03-29T23:59:59.999Z'],
        ['t1:measure.overdue:m1:2026-04-01', '2026-04-01T23:59:59.999Z'],
        ['t1:measure.dueSoon:m2:2026-04-10T10:00:00.000Z', '2026-04-07T10:00:00.000Z'],
        ['t1:measure.overdue:m2:2026-04-10T10:00:00.000Z', '2026-04-10T10:00:00.000Z'],
      ],
    );
    const [dueSoon] = noticesForTimer(log.snapshot, open[0]!);
    assert.deepEqual(dueSoon!.vars, { title: '3号楼加装电梯', topicId: 't1', measure: '申请加装电梯补贴', party: 'street-office', due: '2026-04-01', daysLeft: '3' });
    assert.equal(dueSoon!.party, 'street-office');
    const [overdue] = noticesForTimer(log.snapshot, open[1]!);
    assert.deepEqual(overdue!.to, ['department', 'convener', 'supervisor']);
    assert.equal(overdue!.vars.daysOverdue, '1');

    log.send('2026-03-09T01:00:00.000Z', { type: 'measure.adopt', measureId: 'm1' }, DEPT);
    assert.deepEqual(keys(sameFromReplay(log)), keys(open), 'adopted is still open');
    log.send('2026-03-09T02:00:00.000Z', { type: 'measure.implement', measureId: 'm1', result: '补贴已申请并获批' }, DEPT);
    assert.deepEqual(keys(sameFromReplay(log)), keys(open.slice(2)), 'implemented: m1 is neither due soon nor overdue');
    assert.deepEqual(noticesForTimer(log.snapshot, open[1]!), [], 'an overdue notice for a settled measure is not sent');
    log.send('2026-03-09T03:00:00.000Z', { type: 'measure.decline', measureId: 'm2', reason: '已有遮阳方案' }, DEPT);
    assert.deepEqual(sameFromReplay(log), []);

    log.send('2026-03-10T01:00:00.000Z', { type: 'feedback.publish', text: '补贴已获批，电梯将于五月开工，欢迎监督。' });
    const rating = sameFromReplay(log);
    assert.deepEqual(
      rating.map((t) => [t.key, t.kind, t.at, t.round]),
      [
        ['t1:rating.closing:1', 'rating.closing', '2026-03-22T01:00:00.000Z', 1],
        ['t1:evaluation.end:1', 'evaluation.end', '2026-03-24T01:00:00.001Z', 1], // just after the window's last millisecond, when ratings still count
      ],
    );
    assert.equal(noticesForTimer(log.snapshot, rating[0]!)[0]!.vars.closesAt, '2026-03-24T01:00:00.000Z');
    assert.deepEqual(noticesForTimer(log.snapshot, rating[1]!), [], 'evaluation.end acts; it sends nothing itself');

    // Five poor ratings, then the clock closes the window: the outcome goes back to handling.
    for (let i = 0; i < 5; i += 1) log.send(`2026-03-11T0${i}:00:00.000Z`, { type: 'rating.submit', stars: 1 }, { role: 'resident', id: i === 0 ? RESIDENT.id! : `portal:r${i}` });
    log.send('2026-03-24T01:00:00.000Z', { type: 'evaluation.close' }, SYSTEM_ACTOR);
    assert.equal(stateName(log.snapshot), 'handling');
    assert.deepEqual(noticesForTimer(log.snapshot, rating[0]!), [], 'the round closed: no closing reminder');
    assert.deepEqual(
      keys(sameFromReplay(log)),
      [
        't1:measure.dueSoon:m1:2026-04-01:r1',
        't1:measure.dueSoon:m2:2026-04-10T10:00:00.000Z:r1',
        't1:measure.overdue:m1:2026-04-01:r1',
        't1:measure.overdue:m2:2026-04-10T10:00:00.000Z:r1',
      ],
      'sent back: both measures are open again, under new keys (the first overdue notice does not block the second)',
    );
  });

  it('only evaluation.end when notifications are off; a rule that tells nobody has no timer', () => {
    const off = toMeeting(wuxi({ enabled: false }));
    off.schedule('2026-03-01T04:00:00.000Z', '2026-03-01T05:00:00.000Z');
    off.hold('2026-03-01T05:00:00.000Z', { type: 'meeting.record', ...RECORD, consensus: 'full', measures: [MEASURES[0]!] } as TopicEventBody);
    assert.deepEqual(topicTimers(off.snapshot), []);
    off.send('2026-03-02T01:00:00.000Z', { type: 'measure.decline', measureId: 'm1', reason: '已有遮阳方案' }, DEPT);
    off.send('2026-03-02T02:00:00.000Z', { type: 'feedback.publish', text: '经协商，此事由业主委员会与物业公司共同解决，结果已公示，欢迎监督。' });
    assert.deepEqual(topicTimers(off.snapshot).map((t) => t.kind), ['evaluation.end']);

    const partial = toMeeting(wuxi({ dueSoonDays: 0, meetingReminderHours: 0, notices: { 'measure.overdue': { to: [] } } }));
    partial.schedule('2026-03-01T04:00:00.000Z', '2026-03-01T05:00:00.000Z');
    assert.deepEqual(topicTimers(partial.snapshot), [], 'no reminder at 0 hours');
    partial.hold('2026-03-01T05:00:00.000Z', { type: 'meeting.record', ...RECORD, consensus: 'full', measures: [MEASURES[0]!] } as TopicEventBody);
    assert.deepEqual(topicTimers(partial.snapshot), [], 'no due soon at 0 days, overdue tells nobody');
  });
});
