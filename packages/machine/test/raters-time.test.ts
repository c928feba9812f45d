/**
 * Issue 16 points 6 and 7 in the machine: who may rate (the config's `raters`), once per
 * evaluation round, a rating from nobody refused; counts by kind of rater; and time — an
 * event counts at its claimed `at` only within the offline grace before the server received it,
 * tested with a device clock set wrong both ways.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflowConfig } from '../src/config/parse-config.js';
import type { RaterKind, WorkflowConfig } from '../src/config/config.types.js';
import type { TopicEvent } from '../src/consultation.types.js';
import { selectFigures, selectMeasures, selectRatingRounds, selectRatingTally } from '../src/consultation.selectors.js';
import { replay } from '../src/log/replay.js';
import type { LogEntry } from '../src/log/log.types.js';
import { ratingWindowEnd } from '../src/rules/topic-rules.js';
import { addDays, effectiveTime } from '../src/time.js';
import { EXAMPLES_DIR, sampleEvents, TestTopic } from './fixtures.js';

type Raw = Record<string, unknown> & { steps: Array<Record<string, unknown>> };

/** The Wuxi example with changes to its evaluation step and top level. */
function wuxi(evaluation: Record<string, unknown> = {}, top: Record<string, unknown> = {}): WorkflowConfig {
  const raw = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'wuxi-community.json'), 'utf8')) as Raw;
  const i = raw.steps.findIndex((s) => s.type === 'evaluation');
  raw.steps[i] = { ...raw.steps[i], ...evaluation };
  Object.assign(raw, top);
  const parsed = parseWorkflowConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

const raters = (...kinds: RaterKind[]) => wuxi({ raters: kinds });

/** Whether the topic takes the event now (without applying it). */
function applies(t: TestTopic, event: TopicEvent): boolean {
  const probe = new TestTopic(t.config);
  probe.snapshot = t.snapshot;
  return probe.send(event) === null;
}
const HOUR = 1 / 24;

/** A topic raised by `submitter`, through handling (with meeting participants who have ids), to its evaluation. */
function evaluating(config: WorkflowConfig, submitter = 'follow:00000000000000aa'): TestTopic {
  const t = new TestTopic(config);
  t.ok(t.event('topic.submit', { by: { role: 'resident', id: submitter } }));
  t.to('meeting.planning');
  const schedule = t.event('meeting.schedule');
  t.ok({ ...schedule, participants: [...schedule.participants, { name: '陈阿姨 Auntie Chen', role: 'representative', id: 'p-chen' }] });
  return t.to('evaluation');
}

const rating = (t: TestTopic, id: string | undefined, changes: Partial<Extract<TopicEvent, { type: 'rating.submit' }>> = {}) =>
  t.event('rating.submit', { by: { role: 'resident', ...(id === undefined ? {} : { id }) }, ...changes });

describe('one person, one rating', () => {
  it('a rating from nobody is refused with a clear reason and never counted', () => {
    const t = evaluating(raters('submitter', 'community'));
    const refusal = t.send(rating(t, undefined));
    assert.equal(refusal?.code, 'unverified-rater');
    assert.equal(refusal?.field, 'by.id');
    assert.match(refusal!.message, /follow code|portal|token/);
    assert.equal(t.send(rating(t, '   '))?.code, 'unverified-rater', 'a blank id is nobody too');
    assert.equal(t.ctx.evaluations[0]!.ratings.length, 0);
  });

  it('by default only whoever raised the topic rates: their id, or the topic’s follow code', () => {
    const config = wuxi({ raters: undefined, minRatings: 1 });
    assert.deepEqual(config.step.evaluation!.raters, ['submitter']);
    const t = evaluating(config, 'r-10086');
    assert.equal(t.send(rating(t, 'portal:zs-001'))?.code, 'not-eligible-rater');
    assert.equal(t.send(rating(t, 'c-001'))?.code, 'not-eligible-rater', 'a staff token is not the submitter');
    assert.match(t.send(rating(t, 'p-chen'))!.message, /whoever raised the topic/);
    t.ok(rating(t, 'r-10086'));
    assert.equal(t.send(rating(t, 'r-10086', { stars: 1 }))?.code, 'already-rated');
    const anonymous = evaluating(config, 'follow:00000000000000aa');
    anonymous.ok(rating(anonymous, 'follow:00000000000000aa'));
    assert.equal(anonymous.send(rating(anonymous, 'follow:00000000000000aa'))?.code, 'already-rated', 'one follow code rates once per round');
  });

  it('"community" admits residents the portal verified, "participants" the people listed at a meeting', () => {
    const community = evaluating(raters('community'));
    community.ok(rating(community, 'portal:zs-001'));
    community.ok(rating(community, 'portal:zs-002'));
    assert.equal(community.send(rating(community, 'portal:zs-001'))?.code, 'already-rated');
    assert.equal(community.send(rating(community, 'follow:00000000000000aa'))?.code, 'not-eligible-rater', 'the submitter is not a portal resident here');
    assert.match(community.send(rating(community, 'r-1'))!.message, /residents the portal verified/);

    const participants = evaluating(raters('participants'));
    participants.ok(rating(participants, 'p-chen'));
    assert.equal(participants.send(rating(participants, 'portal:zs-001'))?.code, 'not-eligible-rater');
    assert.equal(participants.send(rating(participants, 'p-wang'))?.code, 'not-eligible-rater', 'not listed at any meeting');
  });

  it('a flood of 100 unverifiable ratings, and 100 from one person, changes no figure', () => {
    const config = raters('submitter', 'community');
    const t = evaluating(config);
    const before = selectFigures([t.snapshot], t.ctx.updatedAt!);
    for (let i = 0; i < 100; i += 1) {
      assert.equal(t.send(rating(t, undefined, { stars: 1 }))?.code, 'unverified-rater');
      assert.equal(t.send(rating(t, `made-up-${i}`, { stars: 1 }))?.code, 'not-eligible-rater');
    }
    assert.deepEqual(selectFigures([t.snapshot], t.ctx.updatedAt!), before);
    t.ok(rating(t, 'portal:zs-001', { stars: 5 }));
    for (let i = 0; i < 100; i += 1) assert.equal(t.send(rating(t, 'portal:zs-001', { stars: 1 }))?.code, 'already-rated');
    const after = selectFigures([t.snapshot], t.ctx.updatedAt!);
    assert.equal(after.ratings, 1);
    assert.equal(after.averageSatisfaction, 5);
  });

  it('counts ratings per round and for the programme by kind of rater, never by name', () => {
    const config = wuxi({ raters: ['submitter', 'community', 'participants'], minRatings: 1, reopenThreshold: 3 });
    const t = evaluating(config, 'r-10086');
    t.ok(rating(t, 'r-10086', { stars: 1 }));
    t.ok(rating(t, 'follow:00000000000000aa', { stars: 1 }));
    t.ok(rating(t, 'portal:zs-001', { stars: 2 }));
    t.ok(rating(t, 'p-chen', { stars: 1 }));
    t.ok(t.event('evaluation.close'));
    assert.equal(t.state, 'handling', 'a poor average reopens handling');
    t.to('evaluation');
    t.ok(rating(t, 'portal:zs-001', { stars: 5 }));
    t.ok(rating(t, 'portal:zs-002', { stars: 4 }));

    const rounds = selectRatingRounds(t.snapshot);
    assert.deepEqual(rounds, [
      { round: 1, open: false, counted: 4, byKind: { submitter: 1, 'follow-code': 1, community: 1, participant: 1, 'staff-token': 0 } },
      { round: 2, open: true, counted: 2, byKind: { submitter: 0, 'follow-code': 0, community: 2, participant: 0, 'staff-token': 0 } },
    ]);
    const other = evaluating(config, 'r-2');
    other.ok(rating(other, 'r-2', { stars: 4 }));
    const tally = selectRatingTally([t.snapshot, other.snapshot]);
    assert.deepEqual(tally, { counted: 7, byKind: { submitter: 2, 'follow-code': 1, community: 3, participant: 1, 'staff-token': 0 } });
    const figures = selectFigures([t.snapshot, other.snapshot], t.ctx.updatedAt!);
    assert.equal(figures.ratings, 7);
    assert.deepEqual(figures.ratingsByKind, tally.byKind);
    assert.ok(!JSON.stringify(figures).includes('zs-001') && !JSON.stringify(figures).includes('r-10086'), 'no one is named');
  });
});

describe('time: the claimed at counts only within the offline grace before receipt', () => {
  const config = raters('submitter', 'community');
  const grace = config.offlineGraceHours;

  it('effectiveTime: at within grace before receipt (and a little skew after), else the receipt', () => {
    const received = '2026-07-10T12:00:00.000Z';
    assert.equal(grace, 72);
    assert.equal(effectiveTime('2026-07-08T12:00:00.000Z', received, grace), '2026-07-08T12:00:00.000Z', 'two days offline: its own time');
    assert.equal(effectiveTime('2026-07-07T11:59:59.000Z', received, grace), received, 'more than 72 h before: the receipt');
    assert.equal(effectiveTime('2026-07-10T12:04:00.000Z', received, grace), '2026-07-10T12:04:00.000Z', 'a clock a few minutes fast');
    assert.equal(effectiveTime('2026-07-10T13:00:00.000Z', received, grace), received, 'an hour ahead: the receipt');
    assert.equal(effectiveTime('2025-07-10T12:00:00.000Z', received, grace), received, 'a year behind');
    assert.equal(effectiveTime('2027-07-10T12:00:00.000Z', received, grace), received, 'a year ahead');
    assert.equal(effectiveTime('2025-07-10T12:00:00.000Z', undefined, grace), '2025-07-10T12:00:00.000Z', 'local mode: at as before');
  });

  it('a rating claimed before the window closed is refused when received after the window and the grace', () => {
    const t = evaluating(config);
    const end = ratingWindowEnd(t.ctx)!;
    const claimed = addDays(end, -HOUR);
    const lateReceipt = addDays(end, grace / 24 + HOUR);
    assert.equal(t.send(rating(t, 'portal:zs-001', { at: claimed, receivedAt: lateReceipt }))?.code, 'rating-window-closed');
    const inGrace = addDays(end, grace / 24 - HOUR);
    t.ok(rating(t, 'portal:zs-001', { at: claimed, receivedAt: inGrace }));
    assert.equal(t.ctx.evaluations[0]!.ratings[0]!.at, claimed, 'queued offline within the grace: counted at its own time');
  });

  it('a device clock a year behind cannot back-date into a closed window; a year ahead cannot post-date out of an open one', () => {
    const t = evaluating(config);
    const end = ratingWindowEnd(t.ctx)!;
    const behind = (received: string) => addDays(received, -365);
    const afterClose = addDays(end, 5);
    assert.equal(t.send(rating(t, 'portal:zs-001', { at: behind(afterClose), receivedAt: afterClose }))?.code, 'rating-window-closed');
    const withinWindow = addDays(end, -2);
    t.ok(rating(t, 'portal:zs-001', { at: behind(withinWindow), receivedAt: withinWindow }));
    assert.equal(t.ctx.evaluations[0]!.ratings[0]!.at, withinWindow, 'counted when the server received it, not a year ago');

    const ahead = addDays(withinWindow, 365);
    assert.equal(t.send(rating(t, 'portal:zs-002', { at: ahead }))?.code, 'rating-window-closed', 'without receipt (local mode) the claim decides');
    t.ok(rating(t, 'portal:zs-002', { at: ahead, receivedAt: withinWindow }));
    assert.equal(t.ctx.evaluations[0]!.ratings[1]!.at, withinWindow);
  });

  it('closing an evaluation early cannot be post-dated past the window', () => {
    const t = evaluating(wuxi({ raters: ['submitter', 'community'], minRatings: 5 }));
    const end = ratingWindowEnd(t.ctx)!;
    const close = t.event('evaluation.close', { at: addDays(end, 1), receivedAt: addDays(end, -1) });
    assert.equal(t.send(close)?.code, 'evaluation-open', 'the server received it before the window ended');
    t.ok({ ...close, receivedAt: addDays(end, 1 + HOUR) });
    assert.equal(t.state, 'closed');
  });

  it('deadlines and overdue use the effective time of the meeting record', () => {
    const t = new TestTopic(config).to('meeting.inSession');
    while (t.send(t.event('meeting.advance')) === null);
    const received = addDays(t.ctx.updatedAt!, 1);
    const yearBehind = addDays(received, -365);
    t.ok(t.event('meeting.record', { at: yearBehind, receivedAt: received }));
    const days = config.step.handling.deadlineDays;
    const due = t.ctx.measures[0]!.due;
    assert.equal(due, addDays(received, days), 'due counts from when the record was received');
    const rows = selectMeasures([t.snapshot], addDays(received, 1));
    assert.ok(rows.every((m) => !m.overdue), 'not overdue a day after the meeting, though the device said it was a year ago');
    assert.ok(selectMeasures([t.snapshot], addDays(received, days + 1)).every((m) => m.overdue));
    assert.equal(selectFigures([t.snapshot], addDays(received, 1)).measuresOverdue, 0);
  });

  it('a replay of the stored log gives the same states as the appends did', () => {
    const log: LogEntry[] = [];
    const logged = new TestTopic(config);
    /** Applies an event as an append would and keeps it as its log entry (with its receipt). */
    const send = (event: TopicEvent) => {
      logged.ok(event);
      const { by, at, receivedAt, ...body } = event;
      log.push({ id: `e${log.length + 1}`, topicId: 't1', seq: log.length + 1, event: body as LogEntry['event'], by, at, ...(receivedAt ? { receivedAt } : {}) });
    };
    send(logged.event('topic.submit', { by: { role: 'resident', id: 'follow:00000000000000aa' } }));
    const path: Array<TopicEvent['type']> = ['screening.accept', 'research.complete', 'meeting.schedule', 'meeting.start', 'meeting.advance', 'meeting.record', 'measure.adopt', 'measure.implement', 'feedback.publish'];
    for (let guard = 0; !logged.state.startsWith('evaluation'); guard += 1) {
      if (guard > 40) throw new Error(`did not reach the evaluation: ${logged.state}`);
      // The furthest step first (a scheduled meeting could otherwise be rescheduled forever).
      const next = sampleEvents(logged.ctx, { measures: 2 })
        .filter((e) => path.includes(e.type))
        .sort((a, b) => path.indexOf(b.type) - path.indexOf(a.type))
        .find((e) => applies(logged, e));
      if (!next) throw new Error(`stuck in ${logged.state}`);
      send(next);
    }
    const windowEnd = ratingWindowEnd(logged.ctx)!;
    send(rating(logged, 'portal:zs-001', { at: addDays(windowEnd, -400), receivedAt: addDays(windowEnd, -1) }));
    assert.equal(logged.send(rating(logged, 'portal:zs-002', { at: addDays(windowEnd, -HOUR), receivedAt: addDays(windowEnd, 10) }))?.code, 'rating-window-closed');

    const replayed = replay(config, log);
    assert.deepEqual(replayed.refused, []);
    assert.deepEqual(replayed.topics.get('t1')!.context, logged.ctx, 'the same context from the log');
    assert.equal(replayed.topics.get('t1')!.context.evaluations[0]!.ratings[0]!.at, addDays(windowEnd, -1));
    // Without the receipt the same entries say something else: recording it keeps the replay honest.
    const stripped = log.map(({ receivedAt: _r, ...e }) => e);
    assert.equal(replay(config, stripped).topics.get('t1')!.context.evaluations[0]!.ratings[0]!.at, addDays(windowEnd, -400));
  });
});
