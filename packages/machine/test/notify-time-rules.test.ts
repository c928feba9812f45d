/**
 * Two time rules of issue 17: no meeting before its day (meeting.start earlier than the scheduled
 * start minus `earlyStartMinutes` needs a reschedule first), and the server's clock
 * (`SYSTEM_ACTOR`) closing an evaluation whatever the permissions say, but only once its window
 * ended — nobody else gains anything.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SYSTEM_ACTOR } from '../src/notify/notify.types.js';
import { stateName } from '../src/log/replay.js';
import type { EventActor, TopicEventBody } from '../src/consultation.types.js';
import { DEPT, Log, wuxi } from './notify-helpers.js';

const FINDINGS = '走访了三号楼全部24户，其中18户同意加装电梯，6户担心采光和费用。';

function scheduled(config = wuxi(), start = '2026-12-10T11:00:00.000Z'): Log {
  const log = new Log(config).submit('2026-12-01T01:00:00.000Z');
  log.send('2026-12-01T02:00:00.000Z', { type: 'screening.accept' });
  log.send('2026-12-01T03:00:00.000Z', { type: 'research.complete', findings: FINDINGS });
  log.schedule('2026-12-01T04:00:00.000Z', start);
  return log;
}

const refusal = (log: Log, at: string, event: TopicEventBody, by?: EventActor, receivedAt?: string) => {
  const result = log.try(at, event, by, receivedAt);
  return 'refusal' in result ? result.refusal : null;
};

describe('no meeting before its day', () => {
  it('a meeting scheduled for 10 December cannot start on 3 December; rescheduled to the 3rd, it can', () => {
    const log = scheduled();
    const early = refusal(log, '2026-12-03T02:00:00.000Z', { type: 'meeting.start' });
    assert.equal(early?.code, 'meeting-not-yet');
    assert.match(early!.message, /2026-12-10T11:00:00\.000Z/);
    assert.match(early!.message, /[Rr]eschedule/);
    assert.equal(stateName(log.snapshot), 'meeting.scheduled');
    log.schedule('2026-12-03T01:30:00.000Z', '2026-12-03T02:00:00.000Z');
    assert.equal(refusal(log, '2026-12-03T02:00:00.000Z', { type: 'meeting.start' }), null);
    assert.equal(stateName(log.snapshot), 'meeting.inSession.briefing');
  });

  it('within the tolerance (60 minutes by default) it starts; a minute beyond, it does not', () => {
    assert.equal(refusal(scheduled(), '2026-12-10T10:00:00.000Z', { type: 'meeting.start' }), null);
    assert.equal(refusal(scheduled(), '2026-12-10T09:59:00.000Z', { type: 'meeting.start' })?.code, 'meeting-not-yet');
    const strict = wuxi(undefined, (raw) => {
      const meeting = raw.steps.find((s) => s.type === 'meeting')!;
      meeting.earlyStartMinutes = 0;
    });
    assert.equal(strict.step.meeting.earlyStartMinutes, 0);
    assert.equal(refusal(scheduled(strict), '2026-12-10T10:59:00.000Z', { type: 'meeting.start' })?.code, 'meeting-not-yet');
    assert.equal(refusal(scheduled(strict), '2026-12-10T11:00:00.000Z', { type: 'meeting.start' }), null);
    assert.equal(wuxi().step.meeting.earlyStartMinutes, 60);
  });

  it('counts at the effective time: a device clock set ahead does not start a meeting early', () => {
    // Claimed at the start, received three days before it: the receipt counts.
    const log = scheduled();
    assert.equal(refusal(log, '2026-12-10T11:00:00.000Z', { type: 'meeting.start' }, undefined, '2026-12-07T11:00:00.000Z')?.code, 'meeting-not-yet');
  });
});

describe('the server’s clock closes the rating window', () => {
  /** A Wuxi topic in its evaluation (window 14 days from the feedback, 5 ratings needed), `evaluation.close` allowed only to `closers`. */
  function evaluating(closers: string[] = ['convener']): Log {
    const log = scheduled(
      wuxi(undefined, (raw) => (raw.permissions = { ...(raw.permissions as object), 'evaluation.close': closers })),
      '2026-12-01T05:00:00.000Z',
    );
    log.hold('2026-12-01T05:00:00.000Z', {
      type: 'meeting.record',
      time: '2026-12-01T05:00:00.000Z',
      place: '幸福里社区议事室',
      topic: '加装电梯',
      effect: '达成共识',
      consensus: 'full',
      measures: [{ id: 'm1', text: '申请加装电梯补贴', party: 'street-office' }],
    } as TopicEventBody);
    log.send('2026-12-02T01:00:00.000Z', { type: 'measure.decline', measureId: 'm1', reason: '已有更好的方案' }, DEPT);
    log.send('2026-12-02T02:00:00.000Z', { type: 'feedback.publish', text: '经协商，改由业主委员会与物业共同办理，结果已公示。' });
    assert.equal(stateName(log.snapshot), 'evaluation');
    return log;
  }

  it('before the window ends the clock is refused like anyone else; at its end it closes, though the programme lets only conveners close', () => {
    const log = evaluating(['convener']);
    for (let i = 0; i < 5; i += 1) log.send(`2026-12-03T0${i}:00:00.000Z`, { type: 'rating.submit', stars: 5 }, { role: 'resident', id: `portal:r${i}` });
    const early = refusal(log, '2026-12-16T01:59:59.000Z', { type: 'evaluation.close' }, SYSTEM_ACTOR);
    assert.equal(early?.code, 'evaluation-open', 'even with enough ratings, the clock waits for the window');
    assert.equal(refusal(log, '2026-12-16T02:00:00.000Z', { type: 'evaluation.close' }, SYSTEM_ACTOR), null);
    assert.equal(stateName(log.snapshot), 'closed');
    assert.deepEqual(log.snapshot.context.evaluations[0]!.closedAt, '2026-12-16T02:00:00.000Z');
  });

  it('a device clock cannot close it early for the clock: the receipt counts', () => {
    const log = evaluating();
    assert.equal(refusal(log, '2026-12-16T02:00:00.000Z', { type: 'evaluation.close' }, SYSTEM_ACTOR, '2026-12-10T00:00:00.000Z')?.code, 'evaluation-open');
  });

  it('nobody else gains anything: an admin who is not the clock, or anyone calling itself system:clock', () => {
    const log = evaluating(['convener']);
    const after = '2026-12-20T00:00:00.000Z';
    assert.equal(refusal(log, after, { type: 'evaluation.close' }, { role: 'admin', id: 'admin-1' })?.code, 'role-not-permitted');
    assert.equal(refusal(log, after, { type: 'evaluation.close' }, { role: 'resident', id: 'system:clock' })?.code, 'role-not-permitted');
    assert.equal(refusal(log, after, { type: 'rating.submit', stars: 5 }, SYSTEM_ACTOR)?.code, 'role-not-permitted', 'the clock only closes windows');
    assert.equal(refusal(log, after, { type: 'evaluation.close' }, { role: 'convener', id: 'convener-1' }), null, 'a convener after the window, as before');
  });
});
