/**
 * The index's summary of a topic (snapshot → TopicSummary), on every lifecycle state of every
 * example config: what the board and "my topics" show, and that nothing personal is in it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { personalFieldNames, type WorkflowConfig } from '@consult-kit/machine';
import { loadExamples, validValues } from '../../machine/test/fixtures.js';
import { categoryField, indexRow, openDueMs, searchText, summarizeTopic, withOverdue } from '../src/topic-index.js';
import { hasTarget, topicAt, TARGETS, type Target } from './index-log.js';

const LATER = '2100-01-01T00:00:00Z';

/** Every string value of the personal fields the sample form values hold. */
function personalStrings(config: WorkflowConfig): string[] {
  const values = validValues(config);
  return personalFieldNames(config)
    .map((name) => values[name])
    .filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

for (const { name, config } of loadExamples()) {
  describe(`summarizeTopic on ${name}`, () => {
    const targets = TARGETS.filter((target) => hasTarget(config, target));
    const summaries = new Map<Target, ReturnType<typeof summarizeTopic>>();
    for (const target of targets) {
      const t = topicAt(config, `s-${target}`, target, 's-original');
      summaries.set(target, summarizeTopic(t.snapshot, t.log.length, t.ctx.updatedAt!));
    }
    const get = (target: Target) => summaries.get(target)!;

    it('every state has its status, level, source, title, dates and last seq', () => {
      for (const [target, s] of summaries) {
        assert.equal(s.topicId, `s-${target}`);
        assert.equal(s.status, s.state.split('.')[0], target);
        assert.equal(s.source, 'resident');
        assert.ok(s.title.length > 0 && s.description.length > 0, target);
        assert.ok(s.submittedAt && s.updatedAt >= s.submittedAt, target);
        assert.ok(s.lastSeq >= 1, target);
      }
      const expected: Partial<Record<Target, string>> = {
        screening: 'screening',
        rejected: 'rejected',
        withdrawn: 'withdrawn',
        escalated: 'screening',
        redirected: 'redirected',
        merged: 'merged',
        research: 'research',
        meeting: 'meeting',
        handling: 'handling',
        overdue: 'handling',
        evaluation: 'evaluation',
        closed: 'closed',
      };
      for (const target of targets) assert.equal(get(target).status, expected[target], target);
    });

    it('the screening decision says what residents were promised: the reason, the channel, the topic merged into, the level', () => {
      if (!config.step.screening) return;
      assert.equal(get('screening').screening, undefined);
      assert.equal(get('rejected').screening?.decision, 'rejected');
      assert.ok(get('rejected').screening?.reason);
      assert.equal(get('merged').screening?.decision, 'merged');
      assert.equal(get('merged').screening?.into, 's-original');
      if (hasTarget(config, 'redirected')) {
        assert.equal(get('redirected').screening?.decision, 'redirected');
        assert.equal(get('redirected').screening?.channel, config.step.screening.channels[0]!.id);
      }
      if (hasTarget(config, 'escalated')) {
        assert.equal(get('escalated').screening?.decision, 'escalated');
        assert.equal(get('escalated').screening?.level, config.step.screening.escalation.levels[0]);
        assert.equal(get('escalated').level, config.step.screening.escalation.levels[0]);
      }
      assert.equal(get('handling').screening?.decision, 'accepted');
    });

    it('the meeting, the measures (party, due, status, reason) and the overdue flag against the time asked', () => {
      const meeting = get('meeting').meeting;
      assert.ok(meeting, 'a scheduled meeting is shown');
      assert.equal(meeting.format, config.step.meeting.formats[0]!.id);
      assert.equal(meeting.rounds, 1);
      assert.deepEqual(get('meeting').measures, []);

      const handling = get('handling');
      assert.deepEqual(
        handling.measures.map((m) => m.status),
        ['declined', 'adopted'],
      );
      assert.ok(handling.measures[0]!.reason, 'a declined measure carries its reason');
      assert.ok(handling.measures.every((m) => m.party && m.due && m.text));
      assert.equal(handling.overdue, false);
      assert.equal(withOverdue(handling, Date.parse(LATER)).overdue, true, 'the adopted one is overdue once its due date passed');
      assert.deepEqual(
        withOverdue(handling, Date.parse(LATER)).measures.map((m) => m.overdue),
        [false, true],
        'a declined measure is never overdue',
      );

      const overdue = get('overdue');
      assert.equal(overdue.overdue, true);
      assert.ok(overdue.measures.some((m) => m.overdue && m.due === '2020-01-31'));
      assert.equal(openDueMs(overdue), Date.parse('2020-01-31T23:59:59.999Z'));
      assert.equal(openDueMs(get('meeting')), null);
    });

    it('feedback, the rating window while it is open, and the closed round', () => {
      if (!config.step.evaluation) return;
      const evaluation = get('evaluation');
      assert.ok(evaluation.feedback?.text);
      assert.equal(evaluation.rating?.open, true);
      assert.ok(evaluation.rating?.windowEnd && evaluation.rating.windowEnd > evaluation.updatedAt);
      assert.deepEqual([evaluation.rating.count, evaluation.rating.average], [1, config.step.evaluation.scale], 'the open round counts its ratings');
      assert.equal(evaluation.measures.every((m) => m.status === 'implemented' || m.status === 'declined'), true);
      const closed = get('closed');
      assert.equal(closed.rating?.open, false);
      assert.equal(closed.rating?.windowEnd, undefined);
      assert.deepEqual([closed.rating?.count, closed.rating?.average], [1, config.step.evaluation.scale]);
      assert.equal(closed.status, 'closed');
      assert.equal(closed.overdue, false);
      assert.equal(withOverdue(closed, Date.parse(LATER)).overdue, false, 'implemented measures are never overdue');
    });

    it('holds no personal value, no actor and no meeting participant', () => {
      const secrets = personalStrings(config);
      assert.ok(secrets.length > 0, 'the sample form has personal values to look for');
      for (const [target, s] of summaries) {
        const text = JSON.stringify(s);
        for (const secret of secrets) assert.ok(!text.includes(secret), `${target} shows ${secret}`);
        assert.ok(!/"by"|"participants"|"conveners"|"values"/.test(text), `${target} has an actor or participants`);
        assert.ok(!text.includes('陈阿姨'), `${target} names a resident participant`);
      }
    });

    it('the category is the category field, and the row carries the columns the filters use', () => {
      const field = categoryField(config);
      const t = topicAt(config, 'row', 'overdue');
      const row = indexRow(t.snapshot, 1, t.log.length);
      assert.equal(row.status, 'handling');
      assert.equal(row.category, field ? String(validValues(config)[field.name]) : '');
      assert.equal(row.summary.category, field ? validValues(config)[field.name] : undefined);
      assert.equal(row.search, searchText(`${row.summary.title}\n${row.summary.description}`));
      assert.equal(row.openDueMs, Date.parse('2020-01-31T23:59:59.999Z'));
      assert.equal(row.summary.overdue, false, 'stored without overdue flags: those depend on the request time');
    });
  });
}

describe('summarizeTopic with a personal title field', () => {
  it('shows neither title nor description when the config marks them personal', () => {
    const base = loadExamples().find((e) => e.name === 'wuxi-community')!.config;
    const config: WorkflowConfig = structuredClone(base);
    for (const page of config.form.pages) for (const field of page.fields) if (field.role) field.personal = true;
    const t = topicAt(config, 'private', 'screening');
    const s = summarizeTopic(t.snapshot, 1, t.ctx.updatedAt!);
    assert.equal(s.title, '');
    assert.equal(s.description, '');
  });
});
