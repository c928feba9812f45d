/**
 * Replay: random event sequences applied to live actors and replayed from the log give the
 * same state; every refused event is refused with a reason and leaves the state unchanged.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createActor } from 'xstate';
import { startProgramme } from '../src/consultation.machine.js';
import type { TopicEvent, TopicEventBody } from '../src/consultation.types.js';
import { EventRefusedError, type LogEntry } from '../src/log/log.types.js';
import { acceptedEvents, explainRefusal, newTopic, replay, replayStrict, stateName, topicMachineFor } from '../src/log/replay.js';
import { loadExamples, prng, sampleEvents } from './fixtures.js';

function toEntry(topicId: string, seq: number, event: TopicEvent): LogEntry {
  const { by, at, ...body } = event;
  return { id: `${topicId}-${seq}`, topicId, seq, by, at, event: body as TopicEventBody };
}

const strip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

for (const { name, config } of loadExamples()) {
  describe(`replay: ${name}`, () => {
    it('random valid sequences replayed equal the live actors, and refused events change nothing', () => {
      const machine = topicMachineFor(config);
      let refusedChecked = 0;
      const ended = new Set<string>();
      let applied = 0;
      for (let seed = 1; seed <= 60; seed += 1) {
        const random = prng(seed);
        const topicId = `topic-${seed}`;
        const actor = createActor(machine, { input: { config, topicId } }).start();
        // A topic to merge into, raised first.
        const entries: LogEntry[] = [
          toEntry('topic-elsewhere', 0, sampleEvents(newTopic(config, 'topic-elsewhere').context)[0]!),
        ];
        for (let step = 0; step < 150 && actor.getSnapshot().status === 'active'; step += 1) {
          const before = actor.getSnapshot();
          // Mostly events this state takes (valid or breaking a rule), sometimes any event at all.
          const all = sampleEvents(before.context, { measures: 2, raters: 2 });
          const takes = acceptedEvents(config, before);
          const fitting = all.filter((e) => takes.includes(e.type));
          const candidates = fitting.length > 0 && random() < 0.85 ? fitting : all;
          const event = candidates[Math.floor(random() * candidates.length)]!;
          const refusal = explainRefusal(config, before, event);
          actor.send(event);
          const after = actor.getSnapshot();
          if (refusal) {
            refusedChecked += 1;
            assert.equal(after, before, `refused ${event.type} (${refusal.code}) still changed the state`);
            assert.equal(refusal.eventType, event.type);
            assert.equal(refusal.state, stateName(before));
            assert.ok(refusal.message.length > 10 && refusal.code.length > 0);
          } else {
            applied += 1;
            assert.notEqual(after, before, `allowed ${event.type} in ${stateName(before)} was not applied`);
            entries.push(toEntry(topicId, entries.length, event));
          }
        }
        const replayed = replayStrict(config, entries).get(topicId)!;
        const live = actor.getSnapshot();
        ended.add(stateName(live));
        assert.deepEqual(replayed.value, live.value, `seed ${seed}: state differs`);
        assert.deepEqual(strip(replayed.context), strip(live.context), `seed ${seed}: context differs`);
        // Replaying twice gives the same result: replay is deterministic.
        assert.deepEqual(strip(replayStrict(config, entries).get(topicId)!.context), strip(replayed.context));
      }
      assert.ok(applied > 200 && refusedChecked > 200, `applied ${applied}, refused ${refusedChecked}`);
      assert.ok(ended.has('closed') && ended.size >= 3, `sequences ended in ${[...ended].join(', ')}`);
    });

    it('the programme actor rebuilt from a shuffled multi-topic log equals the pure replay', () => {
      const machine = topicMachineFor(config);
      const entries: LogEntry[] = [];
      const random = prng(99);
      for (let t = 0; t < 6; t += 1) {
        const actor = createActor(machine, { input: { config, topicId: `p${t}` } }).start();
        for (let step = 0; step < 50 && actor.getSnapshot().status === 'active'; step += 1) {
          const s = actor.getSnapshot();
          const candidates = sampleEvents(s.context).filter((e) => !explainRefusal(config, s, e));
          const event = candidates[Math.floor(random() * candidates.length)];
          if (!event || event.type === 'screening.merge') continue;
          actor.send(event);
          entries.push(toEntry(`p${t}`, 0, event));
        }
      }
      // Interleave the topics' entries in time order, then number them as a server would.
      entries.sort((a, b) => a.at.localeCompare(b.at) || a.topicId.localeCompare(b.topicId));
      entries.forEach((e, i) => {
        e.seq = i + 1;
        e.id = `e${i + 1}`;
      });
      const shuffled = [...entries].sort(() => random() - 0.5);
      const pure = replay(config, shuffled);
      assert.deepEqual(pure.refused, []);
      const { actor, refused } = startProgramme(config, shuffled);
      assert.deepEqual(refused, []);
      const topics = actor.getSnapshot().context.topics;
      assert.deepEqual(Object.keys(topics).sort(), [...pure.topics.keys()].sort());
      for (const [id, snapshot] of pure.topics) {
        assert.deepEqual(topics[id]!.getSnapshot().value, snapshot.value, id);
        assert.deepEqual(strip(topics[id]!.getSnapshot().context), strip(snapshot.context), id);
      }
    });
  });
}

describe('replay refusals', () => {
  const { config } = loadExamples()[0]!;
  const at = '2026-03-01T02:00:00.000Z';
  const submit = sampleEvents(newTopic(config!, 'x').context)[0]!;

  it('refuses an event for a topic that was never raised', () => {
    const { refused } = replay(config!, [
      { id: 'a', topicId: 'ghost', seq: 1, by: { role: 'convener' }, at, event: { type: 'screening.accept' } },
    ]);
    assert.equal(refused[0]?.code, 'unknown-topic');
    assert.equal(refused[0]?.entryId, 'a');
  });

  it('refuses an event the state does not take, naming the event, the state and what it takes', () => {
    const entries: LogEntry[] = [
      toEntry('t', 1, submit),
      toEntry('t', 2, { type: 'measure.adopt', measureId: 'm1-1', by: { role: 'department' }, at }),
    ];
    assert.throws(
      () => replayStrict(config!, entries),
      (err: unknown) => {
        assert.ok(err instanceof EventRefusedError);
        assert.equal(err.refusal.code, 'not-in-state');
        assert.equal(err.refusal.eventType, 'measure.adopt');
        assert.equal(err.refusal.state, 'screening');
        assert.ok(err.refusal.accepts.includes('screening.accept'));
        assert.match(err.message, /measure\.adopt refused for topic t in state screening/);
        return true;
      },
    );
  });

  it('refuses a merge into a topic that does not exist', () => {
    const { refused } = replay(config!, [
      toEntry('t', 1, submit),
      toEntry('t', 2, { type: 'screening.merge', into: 'nope', by: { role: 'convener' }, at }),
    ]);
    assert.equal(refused[0]?.code, 'unknown-topic');
  });

  it('emits refusals from the live programme actor instead of applying them', () => {
    const { actor } = startProgramme(config!);
    const seen: string[] = [];
    actor.on('refused', (e) => seen.push(e.refusal.code));
    actor.send({ ...submit, by: { role: 'department' }, topicId: 't' } as never);
    actor.send({ type: 'screening.accept', by: { role: 'convener' }, at, topicId: 't' } as never);
    assert.deepEqual(seen, ['role-not-permitted', 'unknown-topic']);
    assert.deepEqual(Object.keys(actor.getSnapshot().context.topics), []);
    actor.send({ ...submit, topicId: 't' } as never);
    assert.equal(stateName(actor.getSnapshot().context.topics.t!.getSnapshot()), 'screening');
  });
});
