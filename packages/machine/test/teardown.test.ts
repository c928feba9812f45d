/**
 * Teardown (issue 18, point 6): `actor.stop()` of the programme stops its topic actors itself, in
 * one pass, instead of XState's one `stopChild` action per child (each of which copies every
 * child: quadratic). These tests check what a user of the actor would notice — after a stop no
 * topic takes an event, every observer of a running topic completes, a rebuild gives the same
 * topics — and that the stop is the one XState's own gives, event for event, on the same actor.
 * The structural check counts what the stop does (no `stopChild` action, one stop per running
 * topic), never the time it takes: bench/teardown.mjs measures that.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InspectionEvent } from 'xstate';
import { startProgramme, type ProgrammeActorRef } from '../src/consultation.machine.js';
import type { ProgrammeEvent, TopicEvent, TopicEventBody } from '../src/consultation.types.js';
import type { WorkflowConfig } from '../src/config/config.types.js';
import type { LogEntry } from '../src/log/log.types.js';
import { replay, stateName } from '../src/log/replay.js';
import { loadExamples, validValues } from './fixtures.js';

/** A started programme actor, as `startProgramme` gives it. */
type Programme = ReturnType<typeof startProgramme>['actor'];

const strip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const convener = { role: 'convener' as const, id: 'c1' };
const LATER = '2026-03-02T00:00:00.000Z';

/**
 * A log of `n` topics: a quarter each left in screening, accepted (research), rejected (ended:
 * its actor stopped already) and accepted then sent back a refused event (still research).
 */
function logOf(config: WorkflowConfig, n: number): LogEntry[] {
  const entries: LogEntry[] = [];
  const add = (topicId: string, event: Omit<TopicEvent, 'by' | 'at'>, by: LogEntry['by'] = convener) => {
    const seq = entries.length + 1;
    const at = `2026-03-01T00:${String(Math.floor(seq / 60) % 60).padStart(2, '0')}:${String(seq % 60).padStart(2, '0')}.000Z`;
    entries.push({ id: `e${seq}`, topicId, seq, by, at, event: event as TopicEventBody });
  };
  for (let i = 0; i < n; i += 1) {
    const id = `t-${i}`;
    add(id, { type: 'topic.submit', source: 'resident', values: validValues(config) } as never, { role: 'resident', id: `r-${i}` });
    if (i % 4 === 1 || i % 4 === 3) add(id, { type: 'screening.accept' } as never);
    if (i % 4 === 2) add(id, { type: 'screening.reject', reason: 'A personal matter' } as never);
    if (i % 4 === 3) add(id, { type: 'screening.accept' } as never); // refused: not in screening any more
  }
  return entries;
}

/** The same actor stopped by XState's own `transition` (the machine's prototype's), without this package's. */
function withXStateOwnStop(actor: Programme): Programme {
  const logic = actor.logic as unknown as { transition: unknown };
  logic.transition = (Object.getPrototypeOf(logic) as { transition: unknown }).transition;
  return actor;
}

/**
 * Stops the actor and records what anyone watching would see: which topic observers completed,
 * in order, and when the programme's own observer completed (after which topics), the statuses,
 * and whether a topic (or the programme) still takes an event afterwards.
 */
function stopAndWatch(actor: ProgrammeActorRef) {
  const topics = actor.getSnapshot().context.topics;
  const order: string[] = [];
  let stopping = false;
  // (A topic that ended completes a new observer at once: only completions during the stop count.)
  for (const [id, ref] of Object.entries(topics)) ref.subscribe({ complete: () => stopping && order.push(id) });
  let stoppedBeforeProgramme: string[] | undefined;
  actor.subscribe({
    complete: () => {
      stoppedBeforeProgramme = Object.entries(topics)
        .filter(([, ref]) => ref.getSnapshot().status !== 'active')
        .map(([id]) => id);
    },
  });
  const before = new Map(Object.entries(topics).map(([id, ref]) => [id, ref.getSnapshot()]));
  stopping = true;
  actor.stop();
  stopping = false;
  const after = actor.getSnapshot();

  // Nothing takes an event any more: not a topic sent to directly, not the programme.
  const emitted: unknown[] = [];
  actor.on('*', (e) => emitted.push(e));
  const screening = [...before].find(([, s]) => stateName(s) === 'screening')?.[0];
  const accept = { type: 'screening.accept', by: convener, at: LATER } as TopicEvent;
  if (screening) {
    const ref = topics[screening]!;
    const snapshot = ref.getSnapshot();
    ref.send(accept);
    actor.send({ ...accept, topicId: screening } as ProgrammeEvent);
    assert.equal(ref.getSnapshot(), snapshot, 'a stopped topic actor takes no event');
  }
  assert.equal(actor.getSnapshot(), after, 'a stopped programme takes no event');
  assert.deepEqual(emitted, []);

  return {
    status: after.status,
    children: Object.keys(after.children),
    ids: Object.keys(after.context.topics),
    statuses: Object.entries(topics).map(([id, ref]) => [id, before.get(id)!.status, ref.getSnapshot().status]),
    // What a topic shows after the stop is what it showed before (only the status moves).
    states: Object.entries(topics).map(([id, ref]) => [id, stateName(ref.getSnapshot()), strip(ref.getSnapshot().context)]),
    completed: order,
    stoppedBeforeProgramme,
  };
}

const { config } = loadExamples().find((e) => e.name === 'wuxi-community') ?? loadExamples()[0]!;

describe('programme teardown', () => {
  it('stops exactly as XState\'s own stop does: the same completions, in the same order, the same statuses', () => {
    for (const { name, config: c } of loadExamples()) {
      const log = logOf(c, 120);
      const ours = stopAndWatch(startProgramme(c, log).actor);
      const xstates = stopAndWatch(withXStateOwnStop(startProgramme(c, log).actor));
      assert.deepEqual(ours, xstates, name);
      assert.equal(ours.status, 'stopped');
      assert.deepEqual(ours.children, [], `${name}: a stopped programme has no children`);
      assert.equal(ours.ids.length, 120, `${name}: context.topics keeps every topic actor`);
    }
  });

  it('after a stop at 2,000 topics no topic actor runs: each running one completed, before the programme did', () => {
    const log = logOf(config, 2_000);
    const { actor } = startProgramme(config, log);
    const running = Object.entries(actor.getSnapshot().context.topics)
      .filter(([, ref]) => ref.getSnapshot().status === 'active')
      .map(([id]) => id);
    assert.equal(running.length, 1_500, 'three quarters still run');
    const seen = stopAndWatch(actor);
    assert.deepEqual(seen.completed, running, 'every running topic completed once, in the order raised');
    for (const [id, before, after] of seen.statuses) {
      assert.equal(after, before === 'done' ? 'done' : 'stopped', id as string);
    }
    // The programme's observers complete last: every topic had stopped by then.
    assert.equal(seen.stoppedBeforeProgramme?.length, 2_000);
  });

  it('a programme rebuilt after a stop at 1,000 topics has the same topics in the same states, and takes events', () => {
    const log = logOf(config, 1_000);
    const first = startProgramme(config, log).actor;
    const before = Object.entries(first.getSnapshot().context.topics).map(([id, ref]) => {
      const s = ref.getSnapshot();
      return [id, s.status, stateName(s), strip(s.context)];
    });
    first.stop();
    const pure = replay(config, log);
    for (const rebuilt of [startProgramme(config, log), startProgramme(config, log, { topics: pure.topics })]) {
      const { actor } = rebuilt;
      const topics = actor.getSnapshot().context.topics;
      assert.deepEqual(
        Object.entries(topics).map(([id, ref]) => {
          const s = ref.getSnapshot();
          return [id, s.status, stateName(s), strip(s.context)];
        }),
        before,
      );
      assert.deepEqual(Object.keys(actor.getSnapshot().children), Object.keys(topics), 'a running programme\'s children are its topics');
      const accepted: string[] = [];
      actor.on('accepted', (e) => accepted.push(e.topicId));
      actor.send({ type: 'screening.accept', topicId: 't-0', by: convener, at: LATER } as ProgrammeEvent);
      assert.deepEqual(accepted, ['t-0']);
      assert.equal(stateName(topics['t-0']!.getSnapshot()), 'research');
      actor.stop();
    }
    // The stopped one did not move.
    assert.equal(stateName(first.getSnapshot().context.topics['t-0']!.getSnapshot()), 'screening');
  });

  it('stops through no per-child stopChild action (each copies every child), one stop per running topic', () => {
    const count = (actor: ProgrammeActorRef) => {
      const events: InspectionEvent[] = [];
      const sub = actor.system.inspect((e) => events.push(e));
      const running = Object.values(actor.getSnapshot().context.topics).filter((r) => r.getSnapshot().status === 'active');
      actor.stop();
      sub.unsubscribe();
      const stopChildActions = events.filter((e) => e.type === '@xstate.action' && e.action.type === 'xstate.stopChild').length;
      const stopsPerTopic = new Map<unknown, number>();
      for (const e of events) {
        if (e.type === '@xstate.snapshot' && e.event.type === 'xstate.stop' && e.actorRef !== actor && e.snapshot.status === 'stopped') {
          stopsPerTopic.set(e.actorRef, (stopsPerTopic.get(e.actorRef) ?? 0) + 1);
        }
      }
      return { stopChildActions, running: running.length, stopped: stopsPerTopic.size, once: [...stopsPerTopic.values()].every((k) => k === 1) };
    };
    for (const n of [40, 400]) {
      const log = logOf(config, n);
      const ours = count(startProgramme(config, log).actor);
      const xstates = count(withXStateOwnStop(startProgramme(config, log).actor));
      // XState's own stop resolves one stopChild per child, each copying the children left: n²/2 keys.
      assert.equal(xstates.stopChildActions, n, `XState's own stop at ${n}`);
      assert.deepEqual(ours, { stopChildActions: 0, running: (n * 3) / 4, stopped: (n * 3) / 4, once: true }, `at ${n}`);
      assert.deepEqual({ ...xstates, stopChildActions: 0 }, ours, `at ${n}: the same topics stop`);
    }
  });
});
