/** Unit tests of every guard and rule, run against each example config. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_TYPES, ROLES, type Level } from '../src/config/config.types.js';
import type { TopicEvent } from '../src/consultation.types.js';
import { addDays } from '../src/time.js';
import { loadExamples, outOfScopeValues, raterId, TestTopic, validValues } from './fixtures.js';

const codeOf = (t: TestTopic, e: TopicEvent) => t.send(e)?.code ?? null;

for (const { name, config } of loadExamples()) {
  const screening = config.step.screening;
  const evaluation = config.step.evaluation;

  describe(`rules: ${name}`, () => {
    it('lets only the configured roles send each event', () => {
      const lastStage = `meeting.inSession.${config.step.meeting.agenda.at(-1)!.id}`;
      const stateFor = (type: string): string =>
        ({
          'topic.submit': 'draft',
          'research.complete': 'research',
          'meeting.schedule': 'meeting.planning',
          'meeting.start': 'meeting.scheduled',
          'meeting.advance': 'meeting.inSession',
          'meeting.record': lastStage,
          'feedback.publish': 'handling',
        })[type] ?? type.split('.')[0]!.replace('measure', 'handling').replace('rating', 'evaluation');
      let checked = 0;
      for (const type of EVENT_TYPES) {
        const stage = stateFor(type);
        const topic = new TestTopic(config);
        try {
          if (stage !== 'draft') topic.to(stage);
        } catch {
          // The city disabled this step: its events have no state to go to.
          assert.ok(!config.step[stage.split('.')[0] as 'research'], `${stage} should be reachable`);
          continue;
        }
        if (stage === lastStage && config.step.meeting.agenda.length === 1) continue;
        const denied = ROLES.find((r) => !config.permissions[type].includes(r))!;
        const refusal = topic.send({ ...topic.event(type), by: { role: denied, id: 'x' } } as TopicEvent);
        assert.equal(refusal?.code, 'role-not-permitted', `${type} by ${denied}`);
        assert.equal(refusal?.field, 'by.role');
        checked += 1;
      }
      assert.ok(checked >= 15, `checked ${checked}`);
    });

    it('checks a submission against the intake form and the sources', () => {
      const t = new TestTopic(config);
      const submit = t.event('topic.submit');
      const first = config.form.pages[0]!.fields.find((f) => f.required && !f.visibleWhen)!;
      const { [first.name]: _dropped, ...missing } = submit.values;
      assert.equal(codeOf(t, { ...submit, values: missing }), 'missing-value');
      assert.equal(codeOf(t, { ...submit, values: { ...submit.values, nonsense: 'x' } }), 'unknown-field');
      assert.equal(codeOf(t, { ...submit, level: 'city' as Level }), config.level === 'city' ? null : 'wrong-level');
      assert.equal(codeOf(new TestTopic(config), { ...submit, source: 'member', by: { role: 'resident' } }), config.step.intake.sources.some((s) => s.id === 'member') ? 'source-role' : 'unknown-source');
      const tel = config.form.pages.flatMap((p) => p.fields).find((f) => f.type === 'tel' && f.pattern);
      if (tel) {
        const values = { ...validValues(config), [tel.name]: '12345' };
        assert.equal(codeOf(new TestTopic(config), { ...submit, values }), 'invalid-value');
      }
      const consent = config.form.pages.flatMap((p) => p.fields).find((f) => f.type === 'consent');
      if (consent && submit.values[consent.name] === true) {
        assert.equal(codeOf(new TestTopic(config), { ...submit, values: { ...submit.values, [consent.name]: false } }), 'missing-value');
      }
      assert.equal(t.state, 'draft', 'refused submissions changed nothing');
      assert.equal(codeOf(t, submit), null);
      assert.equal(t.ctx.title.length > 0, true, 'the title comes from the title field');
      assert.equal(t.state, screening ? 'screening' : config.step.research ? 'research' : 'meeting.planning');
    });

    it('takes an anonymous topic only when allowed, and never with personal data', () => {
      const t = new TestTopic(config);
      const anonymous = { ...t.event('topic.submit'), values: validValues(config, true), anonymous: true, by: { role: 'resident' as const } };
      if (!config.step.intake.anonymous) {
        assert.equal(codeOf(t, anonymous), 'anonymous-not-allowed');
        return;
      }
      const personal = config.form.pages.flatMap((p) => p.fields).find((f) => f.personal)!;
      assert.equal(codeOf(t, { ...anonymous, values: { ...anonymous.values, [personal.name]: '13800138000' } }), 'personal-data-in-anonymous');
      assert.equal(codeOf(t, { ...anonymous, by: { role: 'resident', id: 'r1' } }), 'personal-data-in-anonymous');
      assert.equal(codeOf(t, anonymous), null);
      assert.equal(t.ctx.anonymous, true);
      assert.equal(t.ctx.submittedBy?.id, undefined);
    });

    if (screening) {
      it('screening: reasons, channels, merge and escalation', () => {
        const t = new TestTopic(config).to('screening');
        assert.equal(codeOf(t, t.event('screening.reject', { reason: ' ' })), 'missing-reason');
        assert.equal(codeOf(t, t.event('screening.merge', { into: 't1' })), 'merge-into-self');
        assert.equal(codeOf(t, t.event('screening.redirect', { channel: 'nowhere' } as never)), 'unknown-channel');
        assert.equal(codeOf(t, t.event('screening.escalate', { level: config.level } as never)), 'escalation-level');
        const target = screening.escalation.levels[0];
        if (target) {
          assert.equal(codeOf(t, t.event('screening.escalate', { level: target })), null);
          assert.equal(t.state, 'screening');
          assert.equal(t.ctx.level, target);
          assert.equal(t.ctx.escalations.length, 1);
        }
        const rejected = new TestTopic(config).to('screening');
        rejected.ok(rejected.event('screening.reject'));
        assert.equal(rejected.state, 'rejected');
        assert.equal(rejected.snapshot.status, 'done');
        assert.equal(rejected.send(rejected.event('screening.accept'))?.code, 'topic-closed');
      });

      const outOfScope = outOfScopeValues(config);
      if (outOfScope) {
        it('an out-of-scope matter is redirected to its channel, never consulted', () => {
          const t = new TestTopic(config);
          t.ok({ ...t.event('topic.submit'), values: outOfScope });
          const refusal = t.send(t.event('screening.accept'));
          assert.equal(refusal?.code, 'out-of-scope');
          const channel = screening.channels.find((c) => refusal?.message.includes(c.id))!;
          assert.ok(channel, refusal?.message);
          t.ok(t.event('screening.redirect', { channel: channel.id }));
          assert.equal(t.state, 'redirected');
          assert.equal(t.ctx.screening?.channel, channel.id);
        });
      }
    }

    if (config.step.research) {
      it('research needs findings of the configured length', () => {
        const t = new TestTopic(config).to('research');
        assert.equal(codeOf(t, t.event('research.complete', { findings: 'x'.repeat(config.step.research!.minFindingsLength - 1) })), 'short-findings');
        t.ok(t.event('research.complete'));
        assert.equal(t.state, 'meeting.planning');
      });
    } else {
      it('skips research when the city disabled it', () => {
        const t = new TestTopic(config).to('meeting');
        assert.equal(t.state, 'meeting.planning');
        assert.equal(t.ctx.research, undefined);
      });
    }

    it('a meeting needs a known format, a start, a place and enough conveners; runs its agenda in order', () => {
      const t = new TestTopic(config).to('meeting.planning');
      assert.equal(codeOf(t, t.event('meeting.schedule', { format: 'disco' })), 'unknown-format');
      assert.equal(codeOf(t, t.event('meeting.schedule', { start: 'soon' })), 'invalid-start');
      assert.equal(codeOf(t, t.event('meeting.schedule', {}, 1)), 'conveners');
      t.ok(t.event('meeting.schedule'));
      t.ok(t.event('meeting.schedule', { place: '大树下 Under the big tree' }));
      assert.equal(t.ctx.meetings.length, 1, 'rescheduling changes the meeting, not the round');
      assert.equal(codeOf(t, t.event('meeting.record')), 'not-in-state');
      t.ok(t.event('meeting.start'));
      const agenda = config.step.meeting.agenda.map((s) => s.id);
      for (let i = 1; i < agenda.length; i += 1) t.ok(t.event('meeting.advance'));
      assert.equal(t.state, `meeting.inSession.${agenda.at(-1)}`);
      assert.deepEqual(t.ctx.meetings[0]!.stages.map((s) => s.id), agenda);
      assert.equal(codeOf(t, t.event('meeting.advance')), 'not-in-state');
    });

    it('a meeting cannot be recorded without the five haves', () => {
      const t = new TestTopic(config).to(`meeting.inSession.${config.step.meeting.agenda.at(-1)!.id}`);
      for (const have of config.step.meeting.fiveHaves) {
        const blank = have === 'measures' ? [] : have === 'time' ? 'not a time' : '';
        const refusal = t.send(t.event('meeting.record', { [have]: blank }));
        assert.equal(refusal?.code, 'five-haves', have);
        assert.equal(refusal?.field, have);
      }
      assert.equal(codeOf(t, t.event('meeting.record', { measures: [{ text: '', party: 'x' }] })), 'invalid-measure');
      t.ok(t.event('meeting.record'));
      assert.equal(t.state, 'handling');
      assert.equal(t.ctx.measures.length, 2);
      assert.equal(t.ctx.measures[0]!.due, addDays(t.ctx.meetings[0]!.record!.at, config.step.handling.deadlineDays));
    });

    it('no consensus means another round, up to the maximum, then unresolved', () => {
      const t = new TestTopic(config);
      const max = config.step.meeting.maxRounds;
      for (let round = 1; round <= max; round += 1) {
        t.to(`meeting.inSession.${config.step.meeting.agenda.at(-1)!.id}`);
        t.ok(t.event('meeting.record', {}, 1)); // consensus: none
        assert.equal(t.ctx.meetings.length, round);
      }
      assert.equal(t.state, 'unresolved');
      assert.equal(t.ctx.measures.length, 0);
    });

    it('measures: adopted or declined with a reason, then handled and implemented', () => {
      const t = new TestTopic(config).to('handling');
      const [m1, m2] = t.ctx.measures;
      assert.equal(codeOf(t, t.event('measure.decline', { measureId: m1!.id, reason: '' })), 'missing-reason');
      assert.equal(codeOf(t, t.event('measure.implement', { measureId: m1!.id })), 'measure-status');
      assert.equal(codeOf(t, t.event('measure.adopt', { measureId: 'nope' })), 'unknown-measure');
      t.ok(t.event('measure.adopt', { measureId: m1!.id }));
      assert.equal(codeOf(t, t.event('measure.adopt', { measureId: m1!.id })), 'measure-status');
      assert.equal(codeOf(t, t.event('measure.progress', { measureId: m1!.id, note: '' })), 'missing-note');
      t.ok(t.event('measure.progress', { measureId: m1!.id }));
      assert.equal(codeOf(t, t.event('measure.implement', { measureId: m1!.id, result: '' })), 'missing-result');
      t.ok(t.event('measure.implement', { measureId: m1!.id }));
      if (config.step.feedback) {
        assert.equal(codeOf(t, t.event('feedback.publish')), 'measures-open');
      }
      t.ok(t.event('measure.decline', { measureId: m2!.id }));
      assert.deepEqual(t.ctx.measures.map((m) => m.status), ['implemented', 'declined']);
      if (config.step.feedback) {
        assert.equal(t.state, 'handling');
        assert.equal(codeOf(t, t.event('feedback.publish', { text: 'ok' })), 'short-text');
        t.ok(t.event('feedback.publish'));
      }
      assert.equal(t.state, evaluation ? 'evaluation' : 'closed');
    });

    if (evaluation) {
      it('ratings: whole stars in range, once per person, within the window', () => {
        const t = new TestTopic(config).to('evaluation');
        assert.equal(codeOf(t, t.event('rating.submit', { stars: 0 })), 'invalid-stars');
        assert.equal(codeOf(t, t.event('rating.submit', { stars: 2.5 })), 'invalid-stars');
        assert.equal(codeOf(t, t.event('rating.submit', { stars: evaluation.scale + 1 })), 'invalid-stars');
        const rating = t.event('rating.submit');
        t.ok(rating);
        assert.equal(codeOf(t, rating), 'already-rated');
        const late = addDays(t.ctx.evaluations[0]!.openedAt, evaluation.windowDays + 1);
        assert.equal(codeOf(t, t.event('rating.submit', { at: late, by: { role: 'resident', id: 'late' } })), 'rating-window-closed');
      });

      it('closing waits for enough ratings or the window; a poor average reopens handling', () => {
        const t = new TestTopic(config).to('evaluation');
        const opened = t.ctx.evaluations[0]!.openedAt;
        for (let i = 0; i < evaluation.minRatings; i += 1) {
          if (i === evaluation.minRatings - 1) {
            assert.equal(codeOf(t, t.event('evaluation.close')), 'evaluation-open');
          }
          t.ok(t.event('rating.submit', { stars: 1, by: { role: 'resident', id: raterId(t.ctx, 100 + i) } }));
        }
        t.ok(t.event('evaluation.close'));
        assert.equal(t.state, 'handling', 'a poor rating sends the outcome back');
        assert.equal(t.ctx.evaluations[0]!.reopened, true);
        assert.ok(t.ctx.measures.every((m) => m.status === 'inProgress' && m.reopened === 1));
        t.to('evaluation');
        assert.equal(t.ctx.evaluations.length, 2);
        assert.ok(t.ctx.evaluations[1]!.openedAt > opened);
        for (let i = 0; i < evaluation.minRatings; i += 1) {
          t.ok(t.event('rating.submit', { stars: evaluation.scale, by: { role: 'resident', id: raterId(t.ctx, 200 + i) } }));
        }
        t.ok(t.event('evaluation.close'));
        assert.equal(t.state, 'closed');
        assert.equal(t.ctx.evaluations[1]!.average, evaluation.scale);
        assert.ok(t.ctx.closedAt);
      });
    }
  });
}
