/**
 * `startProgramme` restores the programme actor from a pure replay of the log instead of sending
 * it every entry. These tests check that the restored actor is the one sending gives
 * (`sendToProgramme`, the reference): the same refusals, topics, children and persisted
 * snapshot, and the same `accepted` / `refused` events and states for what is sent afterwards.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createConsultationMachine,
  sendToProgramme,
  startProgramme,
  type ProgrammeActorRef,
  type ProgrammeEmitted,
} from '../src/consultation.machine.js';
import type { ProgrammeEvent, TopicEvent, TopicEventBody } from '../src/consultation.types.js';
import type { WorkflowConfig } from '../src/config/config.types.js';
import type { LogEntry } from '../src/log/log.types.js';
import { applyEntry, newTopic, replay, stateName, toEvent } from '../src/log/replay.js';
import type { TopicSnapshot } from '../src/topic.machine.js';
import { loadExamples, prng, sampleEvents, validValues } from './fixtures.js';

const strip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function toEntry(topicId: string, seq: number, event: TopicEvent): LogEntry {
  const { by, at, ...body } = event;
  return { id: `e${seq}`, topicId, seq, by, at, event: body as TopicEventBody };
}

/**
 * A log of `count` entries over a few topics: mostly events the topic's state takes (valid or
 * breaking a rule), some for topics never raised, merges into topics that exist or not, XState's
 * own event types, ids an object has by inheritance, and entries without a topic id.
 */
function randomLog(config: WorkflowConfig, seed: number, count: number): LogEntry[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const ids = ['t1', 't2', 't3', 't4', 't5', 't6', 'ghost', 'constructor', 'toString', '12', '3'];
  const model = new Map<string, TopicSnapshot>();
  const entries: LogEntry[] = [];
  for (let seq = 1; entries.length < count; seq += 1) {
    const topicId = random() < 0.03 ? '' : pick(ids);
    const snapshot = model.get(topicId) ?? newTopic(config, topicId || 'x');
    const all = sampleEvents(snapshot.context, { measures: 2, raters: 2 });
    const raised = model.has(topicId);
    const fitting = all.filter((e) => snapshot.status === 'active' && (e.type === 'topic.submit') !== raised);
    let event = pick(fitting.length > 0 && random() < 0.85 ? fitting : all);
    if (event.type === 'screening.merge') event = { ...event, into: pick([...ids, topicId]) };
    if (random() < 0.02) event = { ...event, type: pick(['xstate.done.actor.t1', 'xstate.init']) } as never;
    const entry = toEntry(topicId, seq, event);
    entries.push(entry);
    applyEntry(config, model, entry);
  }
  // A log arrives in any order; `seq` is the order.
  return entries.sort(() => random() - 0.5);
}

/** What a programme actor shows: everything the tests compare between the restored and the reference. */
function view(actor: ProgrammeActorRef) {
  const snapshot = actor.getSnapshot();
  const topics = snapshot.context.topics;
  assert.deepEqual(Object.keys(snapshot.children), Object.keys(topics), 'children are the topics');
  for (const [id, ref] of Object.entries(topics)) assert.equal(snapshot.children[id], ref, `child ${id} is the topic's actor`);
  return {
    status: snapshot.status,
    value: snapshot.value,
    ids: Object.keys(topics),
    topics: Object.entries(topics).map(([id, ref]) => {
      const s = ref.getSnapshot();
      let completed = false;
      // A topic that ended has stopped: a new observer completes at once.
      ref.subscribe({ complete: () => (completed = true) }).unsubscribe();
      return { id, state: stateName(s), status: s.status, context: strip(s.context), completed };
    }),
    persisted: strip(actor.getPersistedSnapshot()),
  };
}

/** Sends events to a started actor and records what it emits. */
function sendAll(actor: ProgrammeActorRef, events: ProgrammeEvent[]) {
  const emitted: ProgrammeEmitted[] = [];
  const subs = [actor.on('accepted', (e) => emitted.push(e)), actor.on('refused', (e) => emitted.push(e))];
  for (const event of events) actor.send(event);
  for (const sub of subs) sub.unsubscribe();
  return strip(emitted);
}

for (const { name, config } of loadExamples()) {
  describe(`startProgramme: ${name}`, () => {
    it('restores the actor that sending every entry builds, and it goes on the same', () => {
      let refusedSeen = 0;
      const ended = new Set<string>();
      for (let seed = 1; seed <= 12; seed += 1) {
        const log = randomLog(config, seed, 160);
        const restored = startProgramme(config, log);
        const sorted = [...log].sort((a, b) => a.seq - b.seq);
        const reference = sendToProgramme(createConsultationMachine(config), sorted);
        assert.deepEqual(restored.refused, reference.refused, `seed ${seed}: refusals`);
        const before = view(restored.actor);
        assert.deepEqual(before, view(reference.actor), `seed ${seed}: the actors differ`);
        refusedSeen += restored.refused.length;
        for (const t of before.topics) ended.add(t.status);

        // Live sends after the start: the same emitted events, the same topics.
        const more = randomLog(config, seed + 1000, 60)
          .sort((a, b) => a.seq - b.seq)
          .map((e) => ({ ...toEvent(e), topicId: e.topicId }) as ProgrammeEvent);
        assert.deepEqual(sendAll(restored.actor, more), sendAll(reference.actor, more), `seed ${seed}: emitted events`);
        assert.deepEqual(view(restored.actor), view(reference.actor), `seed ${seed}: after live sends`);

        // Stopping stops every topic actor.
        restored.actor.stop();
        reference.actor.stop();
        assert.deepEqual(
          Object.values(restored.actor.getSnapshot().context.topics).map((r) => r.getSnapshot().status),
          Object.values(reference.actor.getSnapshot().context.topics).map((r) => r.getSnapshot().status),
        );
      }
      assert.ok(refusedSeen > 100, `only ${refusedSeen} refusals`);
      assert.ok(ended.has('done') && ended.has('active'), `topics ended ${[...ended].join(', ')}`);
    });
  });
}

describe('startProgramme at scale', () => {
  const { config } = loadExamples().find((e) => e.name === 'wuxi-community') ?? loadExamples()[0]!;

  it('rebuilds 2,000 topics equal to the pure replay', () => {
    const convener = { role: 'convener' as const, id: 'c1' };
    const entries: LogEntry[] = [];
    const add = (topicId: string, event: Omit<TopicEvent, 'by' | 'at'>, by = convener) =>
      entries.push(toEntry(topicId, entries.length + 1, { ...event, by, at: `2026-03-01T00:00:${String(entries.length % 60).padStart(2, '0')}.000Z` } as TopicEvent));
    for (let i = 0; i < 2000; i += 1) {
      const id = `t-${i}`;
      add(id, { type: 'topic.submit', source: 'resident', values: validValues(config) } as never, { role: 'resident', id: `r-${i}` } as never);
      if (i % 2 === 0) add(id, { type: 'screening.accept' } as never);
      if (i % 5 === 0) add(id, { type: 'screening.reject', reason: 'A personal matter' } as never);
      if (i % 7 === 0) add(`ghost-${i}`, { type: 'screening.accept' } as never);
    }
    const pure = replay(config, entries);
    const { actor, refused } = startProgramme(config, entries);
    assert.equal(refused.length, pure.refused.length);
    assert.deepEqual(
      refused.map((r) => [r.entryId, r.code]),
      pure.refused.map((r) => [r.entryId, r.code]),
    );
    const topics = actor.getSnapshot().context.topics;
    assert.deepEqual(Object.keys(topics), [...pure.topics.keys()]);
    assert.equal(pure.topics.size, 2000);
    for (const [id, snapshot] of pure.topics) {
      const live = topics[id]!.getSnapshot();
      assert.deepEqual(live.value, snapshot.value, id);
      assert.equal(live.status, snapshot.status, id);
      assert.deepEqual(strip(live.context), strip(snapshot.context), id);
    }
    // Given the topics (as the store keeps them), it builds the same actor without replaying.
    const given = startProgramme(config, entries, { topics: pure.topics });
    assert.deepEqual(given.refused, [], 'the caller knows its refusals');
    assert.deepEqual(given.actor.getPersistedSnapshot(), actor.getPersistedSnapshot());
    // The restored actor takes live events like any other.
    const seen: string[] = [];
    actor.on('accepted', (e) => seen.push(`${e.topicId} ${e.event.type}`));
    actor.on('refused', (e) => seen.push(`${e.refusal.topicId} ${e.refusal.code}`));
    actor.send({ type: 'screening.accept', topicId: 't-1', by: convener, at: '2026-03-02T00:00:00.000Z' } as ProgrammeEvent);
    actor.send({ type: 'screening.accept', topicId: 't-0', by: convener, at: '2026-03-02T00:00:00.000Z' } as ProgrammeEvent);
    assert.deepEqual(seen, ['t-1 screening.accept', 't-0 not-in-state']);
    assert.equal(stateName(topics['t-1']!.getSnapshot()), stateName(pure.topics.get('t-2')!));
  });

  it('refuses a log entry without an event type instead of failing the actor', () => {
    const at = '2026-03-01T02:00:00.000Z';
    const { actor, refused } = startProgramme(config, [
      { id: 'a', topicId: 'x', seq: 1, by: { role: 'convener' }, at, event: {} as never },
      { id: 'b', topicId: 'x', seq: 2, by: { role: 'convener' }, at, event: null as never },
    ]);
    assert.equal(actor.getSnapshot().status, 'active');
    assert.deepEqual(
      refused.map((r) => [r.entryId, r.code]),
      [
        ['a', 'unknown-topic'],
        ['b', 'unknown-topic'],
      ],
    );
  });
});
