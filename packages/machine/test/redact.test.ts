/**
 * Personal data apart from the log: a redacted log replays to exactly the states of the full
 * log, on every example config and on generated logs; joining the personal values back gives the
 * entries as sent; and no personal value is left in a redacted entry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEntry, applyEvent, newTopic, replay, stateName } from '../src/log/replay.js';
import { isRedacted, joinPersonal, personalFieldNames, REDACTED, redactEntry } from '../src/log/redact.js';
import type { LogEntry } from '../src/log/log.types.js';
import type { TopicContext, TopicEvent } from '../src/consultation.types.js';
import type { WorkflowConfig } from '../src/config/config.types.js';
import { loadExamples, prng, sampleEvents, T0 } from './fixtures.js';

/** Names and values unique to this test, so a byte search for them cannot match anything else. */
const RESIDENT_NAME = '欧阳秀芝 Ouyang Xiuzhi';

const ENDINGS = new Set(['screening.reject', 'screening.merge', 'screening.redirect', 'topic.withdraw']);

/** A generated log: `topics` topics, each walked by random valid sample events (seeded). */
function generatedLog(config: WorkflowConfig, seed: number, topics: number): LogEntry[] {
  const random = prng(seed);
  const entries: LogEntry[] = [];
  const snapshots = new Map<string, ReturnType<typeof newTopic>>();
  let seq = 0;
  for (let step = 0; step < topics * 30; step += 1) {
    const topicId = `t${Math.floor(random() * topics)}`;
    const snapshot = snapshots.get(topicId) ?? newTopic(config, topicId);
    const candidates = sampleEvents(snapshot.context, { measures: 2, raters: 2 })
      .map((e) => withNames(e))
      .filter((e) => applyEvent(config, snapshot, e).ok);
    // Mostly forward, so the log reaches every step; sometimes any valid event (rejections,
    // merges, withdrawals, low ratings that reopen handling).
    const forward = candidates.filter((e) => !ENDINGS.has(e.type));
    const pool = forward.length > 0 && random() < 0.85 ? forward : candidates;
    let event = pool[Math.floor(random() * pool.length)];
    if (!event) continue;
    if (event.type === 'screening.merge') {
      const others = [...snapshots.keys()].filter((id) => id !== topicId);
      if (others.length === 0) continue;
      event = { ...event, into: others[Math.floor(random() * others.length)]! };
    }
    const { by, at, ...body } = event;
    const entry: LogEntry = { id: `e${seq + 1}`, topicId, seq: seq + 1, event: body as LogEntry['event'], by, at };
    // applyEntry checks what a topic alone cannot (a merge's target) and moves the topic on.
    if (applyEntry(config, snapshots, entry)) continue;
    seq += 1;
    entries.push(entry);
  }
  return entries;
}

/** Residents sign what they send with their name (officials too: theirs stay). */
function withNames(event: TopicEvent): TopicEvent {
  if (event.by.role === 'resident' || event.by.role === 'representative') return { ...event, by: { ...event.by, name: RESIDENT_NAME } };
  return { ...event, by: { ...event.by, name: `${event.by.role} official` } };
}

/** A topic's context without what redaction hides, to compare the two replays. */
function shareable(ctx: TopicContext): unknown {
  const { config: _config, values, submittedBy, meetings, evaluations, withdrawal, ...rest } = ctx;
  const personal = new Set(personalFieldNames(ctx.config));
  return {
    ...rest,
    values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, personal.has(k) ? 'personal' : v])),
    submittedBy: submittedBy && { role: submittedBy.role, id: submittedBy.id },
    meetings: meetings.map((m) => ({ ...m, participants: m.participants.map((p) => ({ ...p, name: p.role === 'resident' || p.role === 'representative' ? 'personal' : p.name })) })),
    evaluations: evaluations.map((r) => ({ ...r, ratings: r.ratings.map((x) => ({ ...x, by: { role: x.by.role, id: x.by.id } })) })),
    withdrawal: withdrawal && { ...withdrawal, by: { role: withdrawal.by.role, id: withdrawal.by.id } },
  };
}

for (const { name, config } of loadExamples()) {
  test(`${name}: a redacted log replays to the same states as the full log (generated logs)`, () => {
    for (const seed of [1, 2, 3]) {
      const full = generatedLog(config, seed, 12);
      assert.ok(full.length > 100, `the generated log has ${full.length} entries`);
      const split = full.map((entry) => redactEntry(config, entry));
      const redacted = split.map((s) => s.entry);

      const a = replay(config, full);
      const b = replay(config, redacted);
      assert.deepEqual(a.refused, []);
      assert.deepEqual(b.refused, [], 'no redacted entry is refused');
      assert.deepEqual([...b.topics.keys()], [...a.topics.keys()]);
      const states = new Set<string>();
      for (const [id, snapshot] of a.topics) {
        const other = b.topics.get(id)!;
        assert.equal(stateName(other), stateName(snapshot), `topic ${id}`);
        assert.deepEqual(shareable(other.context), shareable(snapshot.context), `topic ${id}`);
        states.add(stateName(snapshot).split('.')[0]!);
      }
      assert.ok(states.size >= 3, `the log reaches several states: ${[...states].join(', ')}`);

      // Joining the values back gives every entry exactly as it was sent.
      split.forEach((s, i) => assert.deepEqual(joinPersonal(s.entry, s.personal), full[i]));
    }
  });

  test(`${name}: nothing personal is left in a redacted entry`, () => {
    const full = generatedLog(config, 7, 8);
    const personalFields = personalFieldNames(config);
    assert.ok(personalFields.length > 0, 'the example collects personal data');
    let redactedValues = 0;
    for (const entry of full) {
      const { entry: shared, personal } = redactEntry(config, entry);
      const text = JSON.stringify(shared);
      assert.ok(!text.includes(RESIDENT_NAME), `entry ${entry.id} (${entry.event.type}) still names the resident`);
      for (const [pointer, value] of Object.entries(personal ?? {})) {
        assert.ok(shared.redacted?.includes(pointer), `${pointer} is listed in entry.redacted`);
        if (typeof value === 'string' && value.length > 3) assert.ok(!text.includes(value), `${pointer} left in the entry`);
      }
      if (entry.event.type === 'topic.submit') {
        const values = (shared.event as { values: Record<string, unknown> }).values;
        for (const field of personalFields) {
          if (field in values) {
            assert.ok(isRedacted(values[field]), `${field} is the marker`);
            redactedValues += 1;
          }
        }
      }
      // Officials act in their role and stay named.
      if (!['resident', 'representative'].includes(entry.by.role)) assert.equal(shared.by.name, entry.by.name);
    }
    assert.ok(redactedValues > 0);
  });
}

test('meeting participants: residents are not named unless they chose to be; officials are', () => {
  const config = loadExamples()[0]!.config;
  const entry: LogEntry = {
    id: 'e1',
    topicId: 't1',
    seq: 1,
    at: T0,
    by: { role: 'convener', id: 'c1', name: '李书记' },
    event: {
      type: 'meeting.schedule',
      format: 'x',
      start: T0,
      place: '议事室',
      conveners: [{ name: '李书记', role: 'convener' }],
      participants: [
        { name: '陈阿姨', role: 'representative' },
        { name: '周大爷', role: 'resident', named: true },
        { name: '住建局', role: 'department' },
      ],
    } as LogEntry['event'],
  };
  const { entry: shared, personal } = redactEntry(config, entry);
  const participants = (shared.event as { participants: Array<{ name: unknown }> }).participants;
  assert.deepEqual(participants.map((p) => p.name), [{ ...REDACTED }, '周大爷', '住建局']);
  assert.deepEqual(personal, { '/event/participants/0/name': '陈阿姨' });
  assert.deepEqual(shared.redacted, ['/event/participants/0/name']);
  assert.equal(shared.by.name, '李书记');
});

test('an erased value stays redacted when joined, and is still listed', () => {
  const config = loadExamples()[0]!.config;
  const entry = generatedLog(config, 11, 1).find((e) => e.event.type === 'topic.submit')!;
  const { entry: shared, personal } = redactEntry(config, entry);
  const [first, ...others] = Object.keys(personal!);
  const partial = Object.fromEntries(others.map((p) => [p, personal![p]]));
  const joined = joinPersonal(shared, partial);
  assert.deepEqual(joined.redacted, [first]);
  assert.equal(JSON.stringify(joinPersonal(shared, {})), JSON.stringify(shared));
  assert.ok(!isRedacted({ redacted: true, x: 1 }), 'the marker is exactly { redacted: true }');
  assert.ok(!isRedacted({ redacted: 'yes' }));
});

test('a resident withdraws a topic in screening, not after it is accepted', () => {
  const config = loadExamples().find((e) => e.config.step.screening)!.config;
  const log = generatedLog(config, 5, 1);
  const submit = log.find((e) => e.event.type === 'topic.submit')!;
  const topics = replay(config, [submit]).topics;
  const snapshot = topics.get(submit.topicId)!;
  assert.equal(stateName(snapshot), 'screening');
  const withdrawn = applyEvent(config, snapshot, { type: 'topic.withdraw', reason: ' 已解决 ', by: { role: 'resident' }, at: T0 });
  assert.ok(withdrawn.ok);
  assert.equal(stateName(withdrawn.snapshot), 'withdrawn');
  assert.equal(withdrawn.snapshot.status, 'done');
  assert.equal(withdrawn.snapshot.context.withdrawal?.reason, '已解决');
  const accepted = applyEvent(config, snapshot, { type: 'screening.accept', by: { role: 'convener', id: 'c' }, at: T0 });
  assert.ok(accepted.ok);
  const late = applyEvent(config, accepted.snapshot, { type: 'topic.withdraw', by: { role: 'resident' }, at: T0 });
  assert.equal(late.ok, false);
  assert.equal(!late.ok && late.refusal.code, 'not-in-state');
  const staff = applyEvent(config, snapshot, { type: 'topic.withdraw', by: { role: 'department', id: 'd' }, at: T0 });
  assert.equal(!staff.ok && staff.refusal.code, 'role-not-permitted');
});
