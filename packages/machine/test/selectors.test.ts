/** Selectors: the timeline, the measures and the programme figures a person reads. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { currentStage, isOverdue, overdueDays, selectFigures, selectMeasures, selectTimeline } from '../src/consultation.selectors.js';
import type { TopicEvent, TopicEventBody } from '../src/consultation.types.js';
import type { LogEntry } from '../src/log/log.types.js';
import { replayStrict } from '../src/log/replay.js';
import { addDays } from '../src/time.js';
import { example, raterId, TestTopic } from './fixtures.js';

const config = example('wuxi-community');

/** Drives a topic and keeps its log, as the store would. */
class LoggedTopic extends TestTopic {
  log: LogEntry[] = [];
  override send(event: TopicEvent) {
    const refusal = super.send(event);
    if (!refusal) {
      const { by, at, ...body } = event;
      this.log.push({ id: `${this.ctx.topicId}-${this.log.length + 1}`, topicId: this.ctx.topicId, seq: this.log.length + 1, by, at, event: body as TopicEventBody });
    }
    return refusal;
  }
}

describe('selectTimeline', () => {
  it('tells the story by stage, from the log, with the current stage marked', () => {
    const t = new LoggedTopic(config).to('handling');
    const timeline = selectTimeline(t.snapshot, t.log, t.ctx.updatedAt!);
    assert.equal(timeline.current, 'handling');
    assert.equal(timeline.title, t.ctx.title);
    assert.deepEqual(
      timeline.stages.map((s) => [s.key, s.status]),
      [
        ['intake', 'done'],
        ['screening', 'done'],
        ['research', 'done'],
        ['meeting', 'done'],
        ['handling', 'current'],
        ['feedback', 'upcoming'],
        ['evaluation', 'upcoming'],
        ['closed', 'upcoming'],
      ],
    );
    const meeting = timeline.stages.find((s) => s.key === 'meeting')!;
    assert.deepEqual(
      meeting.items.map((i) => i.type),
      ['meeting.schedule', 'meeting.start', 'meeting.advance', 'meeting.advance', 'meeting.advance', 'meeting.record'],
    );
    assert.equal(meeting.startedAt, meeting.items[0]!.at);
    assert.equal(meeting.endedAt, meeting.items.at(-1)!.at);
    const intake = timeline.stages[0]!.items[0]!;
    assert.equal(intake.by.role, 'resident');
    assert.ok((intake.detail.values as Record<string, unknown>).title);
    assert.equal(timeline.meetings[0]!.conveners.length, 2);
    assert.deepEqual(timeline.meetings[0]!.stages.map((s) => s.id), ['briefing', 'deliberation', 'interaction', 'response']);
    assert.equal(timeline.meetings[0]!.record?.consensus, 'full');
    assert.equal(timeline.measures.length, 2);
  });

  it('marks measures overdue past their deadline, and not once implemented', () => {
    const t = new LoggedTopic(config).to('handling');
    const [m1] = t.ctx.measures;
    const late = addDays(m1!.due, 1);
    assert.equal(selectTimeline(t.snapshot, t.log, addDays(m1!.due, -1)).measures[0]!.overdue, false);
    assert.equal(selectTimeline(t.snapshot, t.log, late).measures[0]!.overdue, true);
    t.ok(t.event('measure.adopt', { measureId: m1!.id }));
    t.ok(t.event('measure.implement', { measureId: m1!.id }));
    assert.equal(selectTimeline(t.snapshot, t.log, late).measures[0]!.overdue, false);
    assert.equal(isOverdue({ status: 'declined', due: '2000-01-01' }, Date.now()), false);
  });

  it('ends with how the topic ended and the rating window while it is open', () => {
    const t = new LoggedTopic(config).to('screening');
    t.ok(t.event('screening.reject'));
    const rejected = selectTimeline(t.snapshot, t.log, t.ctx.updatedAt!);
    assert.equal(rejected.current, 'rejected');
    assert.deepEqual(rejected.stages.at(-1), { key: 'rejected', status: 'done', items: [] });
    const rating = new LoggedTopic(config).to('evaluation');
    const open = selectTimeline(rating.snapshot, rating.log, rating.ctx.updatedAt!);
    assert.equal(open.ratingUntil, addDays(rating.ctx.evaluations[0]!.openedAt, config.step.evaluation!.windowDays));
  });

  it('is the same whether the snapshot is live or replayed from the log', () => {
    const t = new LoggedTopic(config).to('evaluation');
    const replayed = replayStrict(config, t.log).get('t1')!;
    const now = t.ctx.updatedAt!;
    assert.deepEqual(selectTimeline(replayed, t.log, now), selectTimeline(t.snapshot, t.log, now));
  });
});

describe('selectMeasures and selectFigures', () => {
  it('counts what the reports count', () => {
    const closed = new TestTopic(config, 'a').to('evaluation');
    const scale = config.step.evaluation!.scale;
    for (let i = 0; i < config.step.evaluation!.minRatings; i += 1) {
      // The submitter rates first; the others are whoever else the config admits.
      const id = i === 0 ? closed.ctx.submittedBy!.id! : raterId(closed.ctx, i);
      closed.ok(closed.event('rating.submit', { stars: i === 0 ? scale - 1 : scale, by: { role: 'resident', id } }));
    }
    closed.ok(closed.event('evaluation.close'));
    const handling = new TestTopic(config, 'b').to('handling');
    const screening = new TestTopic(config, 'c').to('screening');
    const draft = new TestTopic(config, 'd');
    const topics = [closed.snapshot, handling.snapshot, screening.snapshot, draft.snapshot];
    const due = handling.ctx.measures[0]!.due;

    const figures = selectFigures(topics, addDays(due, 1));
    assert.equal(figures.topicsRaised, 3, 'a draft is not a raised topic');
    assert.deepEqual(figures.topicsByStage, { closed: 1, handling: 1, screening: 1 });
    assert.equal(figures.topicsSolved, 1);
    assert.equal(figures.meetingsHeld, 2);
    assert.equal(figures.participants, 2 * (2 + 3));
    assert.equal(figures.measuresTotal, 4);
    assert.equal(figures.measuresImplemented, 2);
    assert.equal(figures.measuresOverdue, 2);
    assert.equal(figures.ratings, config.step.evaluation!.minRatings);
    const n = config.step.evaluation!.minRatings;
    assert.equal(figures.averageSatisfaction, (scale * n - 1) / n);
    const others = config.step.evaluation!.raters.includes('community') ? 'community' : 'follow-code';
    assert.deepEqual(
      figures.ratingsByKind,
      { submitter: 1, 'follow-code': 0, community: 0, participant: 0, 'staff-token': 0, [others]: n - 1 },
      'counted by kind of rater, never by name',
    );

    const rows = selectMeasures(topics, addDays(due, 1));
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.map((r) => [r.topicId, r.status, r.overdue]), [
      ['a', 'implemented', false],
      ['a', 'implemented', false],
      ['b', 'proposed', true],
      ['b', 'proposed', true],
    ]);
    assert.ok(rows[0]!.feedbackGiven);
    assert.equal(rows[0]!.rating, (scale * n - 1) / n);
    assert.equal(rows[2]!.rating, null);
    assert.equal(currentStage(handling.snapshot), 'handling');
    assert.equal(selectFigures([], 0).averageSatisfaction, null);
  });
});

describe('overdueDays', () => {
  it('counts the days begun since the deadline, the same number in every view', () => {
    const due = '2026-04-15T00:00:00.000Z';
    assert.equal(overdueDays(due, '2026-04-14T23:00:00.000Z'), 0);
    assert.equal(overdueDays(due, '2026-04-15T00:00:01.000Z'), 1);
    assert.equal(overdueDays(due, '2026-04-16T00:00:00.000Z'), 1);
    assert.equal(overdueDays(due, '2026-04-16T00:00:01.000Z'), 2);
    assert.equal(overdueDays(Date.parse(due), Date.parse('2026-05-31T12:00:00.000Z')), 47);
  });
});
