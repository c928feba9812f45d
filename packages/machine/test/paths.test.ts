/**
 * Model-based tests: every state of every example config is reached through the events a
 * person can send (xstate/graph), and the lifecycle's invariants hold at every step of every path.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getShortestPaths } from 'xstate/graph';
import { getInitialSnapshot, getNextSnapshot, type AnyStateNode } from 'xstate';
import { LEVEL_RANK } from '../src/config/config.types.js';
import { topicMachineFor, stateName } from '../src/log/replay.js';
import { belowThreshold } from '../src/rules/topic-rules.js';
import type { TopicSnapshot } from '../src/topic.machine.js';
import type { TopicEvent } from '../src/consultation.types.js';
import { loadExamples, sampleEvents } from './fixtures.js';

/** Leaf states a topic can rest in (transient states with an unguarded `always` are passed through). */
function restingLeaves(node: AnyStateNode): string[] {
  const children = Object.values(node.states) as AnyStateNode[];
  if (children.length === 0) {
    const transient = (node.always ?? []).some((t: { guard?: unknown }) => !t.guard);
    return transient ? [] : [node.path.join('.')];
  }
  return children.flatMap(restingLeaves);
}

function serialize(s: TopicSnapshot): string {
  const c = s.context;
  return JSON.stringify({
    v: s.value,
    m: c.measures.map((m) => m.status),
    meetings: c.meetings.length,
    stages: c.meetings.at(-1)?.stages.length ?? 0,
    ev: Math.min(c.evaluations.length, 2),
    rated: Math.min(c.evaluations.at(-1)?.ratings.length ?? 0, 1),
    low: belowThreshold(c),
    level: c.level,
    fb: Math.min(c.feedback.length, 2),
  });
}

const ratingsOf = (s: TopicSnapshot) => s.context.evaluations.reduce((n, r) => n + r.ratings.length, 0);

function checkInvariants(prev: TopicSnapshot, event: TopicEvent, next: TopicSnapshot): void {
  const ctx = next.context;
  const state = stateName(next);
  if (state === 'closed') {
    const fiveHaves = ctx.config.step.meeting.fiveHaves;
    const recorded = ctx.meetings.find((m) => m.record && m.record.consensus !== 'none');
    assert.ok(recorded?.record, 'closed without a recorded meeting with an outcome');
    for (const have of fiveHaves) {
      const value = have === 'measures' ? recorded.record.measureIds : recorded.record[have];
      assert.ok(value && value.length > 0, `closed without the five-haves field ${have}`);
    }
    for (const m of ctx.measures) {
      assert.ok(m.status === 'implemented' || (m.status === 'declined' && m.reason), `closed with measure ${m.id} ${m.status}`);
    }
  }
  if (ratingsOf(next) !== ratingsOf(prev)) {
    assert.equal(stateName(prev), 'evaluation', 'a rating was counted outside evaluation');
    assert.equal(event.type, 'rating.submit');
  }
  assert.ok(LEVEL_RANK[ctx.level] >= LEVEL_RANK[prev.context.level], 'the level went down');
  if (event.type === 'screening.escalate' && stateName(prev) === 'screening' && next !== prev) {
    if (ctx.escalations.length > prev.context.escalations.length) {
      assert.ok(LEVEL_RANK[ctx.level] > LEVEL_RANK[prev.context.level], 'escalation did not raise the level');
    }
  }
  for (const m of ctx.measures) {
    if (m.status === 'declined') assert.ok(m.reason && m.reason.trim().length > 0, 'declined without a reason');
  }
  if (ctx.measures.length > prev.context.measures.length) {
    assert.equal(event.type, 'meeting.record');
    assert.notEqual((event as Extract<TopicEvent, { type: 'meeting.record' }>).consensus, 'none');
  }
}

for (const { name, config } of loadExamples()) {
  describe(`lifecycle paths: ${name}`, () => {
    const machine = topicMachineFor(config);
    const paths = getShortestPaths(machine, {
      input: { config, topicId: 't1' },
      events: (s: TopicSnapshot) => sampleEvents(s.context),
      serializeState: (s: TopicSnapshot) => serialize(s),
    });

    it('reaches every resting state of the configured lifecycle', () => {
      const reached = new Set(paths.map((p) => stateName(p.state)));
      const expected = restingLeaves(machine.root);
      const missing = expected.filter((s) => !reached.has(s));
      assert.deepEqual(missing, [], `not reached: ${missing.join(', ')}`);
      assert.ok(expected.includes('closed') && expected.includes('meeting.scheduled'));
    });

    it('keeps the invariants at every step of every path', () => {
      let steps = 0;
      for (const path of paths) {
        // Re-apply the path's events with real transitions: the traversal merges states whose
        // serialization is equal, so its recorded steps are not always exact successors.
        let prev = getInitialSnapshot(machine, { config, topicId: 't1' });
        for (const step of path.steps.slice(1)) {
          const next = getNextSnapshot(machine, prev, step.event as TopicEvent);
          checkInvariants(prev, step.event as TopicEvent, next);
          prev = next;
          steps += 1;
        }
      }
      assert.ok(steps > paths.length, `only ${steps} steps checked`);
    });

    it('skips the steps the city disabled', () => {
      const states = new Set(paths.map((p) => stateName(p.state).split('.')[0]));
      for (const step of ['screening', 'research', 'evaluation'] as const) {
        assert.equal(states.has(step), Boolean(config.step[step]), `${step} enabled=${Boolean(config.step[step])}`);
      }
    });
  });
}
