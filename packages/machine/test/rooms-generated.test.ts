/**
 * Rooms' figures, grades, performance files and trends over generated logs (a seeded random walk
 * through each example programme, topics raised in random rooms): the invariants that must hold
 * whatever the log — nothing solved that was not raised, shares between 0 and 1, a grade that is
 * the minimum of its criteria's stars, rooms that add up to the programme, trends that add up to
 * the figures.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TopicEvent } from '../src/consultation.types.js';
import { applyEvent, newTopic } from '../src/log/replay.js';
import type { TopicSnapshot } from '../src/topic.machine.js';
import { gradeRoom, selectRoomFigures, selectRoomGrades } from '../src/rooms/figures.js';
import { selectPerformanceFiles } from '../src/rooms/performance.js';
import { selectTrends } from '../src/rooms/trends.js';
import { periodOf } from '../src/rooms/periods.js';
import type { RoomFigures } from '../src/rooms/rooms.types.js';
import { loadExamples, sampleEvents } from './fixtures.js';
import { prng } from './prng.js';

const NOW = '2028-06-30T00:00:00Z';

function generate(config: ReturnType<typeof loadExamples>[number]['config'], seed: number, count: number): TopicSnapshot[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const rooms = config.rooms?.list ?? [];
  const people = rooms.flatMap((r) => [...r.conveners, ...r.members]);
  const topics: TopicSnapshot[] = [];
  for (let n = 0; n < count; n++) {
    let snapshot = newTopic(config, `g${n}`);
    // Each topic starts on its own day over two years, so periods and months differ; then a few days pass between events.
    let offsetDays = Math.floor(random() * 640);
    const shift = (iso: string) => new Date(Date.parse(iso) + offsetDays * 86_400_000).toISOString();
    const prepare = (sample: TopicEvent): TopicEvent => {
      let event = { ...sample, at: shift(sample.at) } as TopicEvent & Record<string, unknown>;
      if (event.type === 'topic.submit' && random() < 0.7 && rooms.length > 0) {
        event.room = pick(rooms).id;
        delete event.level;
      }
      if (event.type === 'meeting.schedule') {
        // Named people of the rooms at the meeting, so member participation has something to count.
        const named = people.filter(() => random() < 0.3).map((p) => ({ id: p.id, name: p.name, role: p.role }));
        event = { ...event, start: shift(event.start as string), participants: [...(event.participants as never[]), ...named] };
      }
      if (event.type === 'meeting.record' && Array.isArray(event.measures)) {
        event = { ...event, measures: (event.measures as unknown as Array<Record<string, unknown>>).map((m) => (m.due ? { ...m, due: shift(m.due as string) } : m)) } as never;
      }
      return event;
    };
    for (let step = 0; step < 60 && snapshot.status === 'active'; step++) {
      // Mostly an event the topic takes (the first of the samples, shuffled, that applies), sometimes any.
      const samples = sampleEvents(snapshot.context, { measures: 2, raters: 2 }).sort(() => random() - 0.5);
      for (const sample of random() < 0.9 ? samples : samples.slice(0, 1)) {
        const result = applyEvent(config, snapshot, prepare(sample));
        if (result.ok) {
          snapshot = result.snapshot;
          break;
        }
      }
      // Samples follow the topic's last time (already moved), so later events move only by the gap.
      offsetDays = Math.floor(random() * 12);
    }
    topics.push(snapshot);
  }
  return topics;
}

function checkFigures(f: RoomFigures, scale: number, where: string): void {
  assert.ok(f.topicsSolved <= f.topicsRaised, `${where}: solved ≤ raised`);
  assert.ok(f.measuresOnTime <= f.measuresDue, `${where}: on time ≤ due`);
  assert.ok(f.membersAttending <= f.members, `${where}: attending ≤ members`);
  for (const share of [f.solvedShare, f.onTimeShare, f.memberParticipation]) assert.ok(share === null || (share >= 0 && share <= 1), `${where}: share ${share}`);
  assert.equal(f.solvedShare === null, f.topicsRaised === 0);
  assert.equal(f.averageSatisfaction === null, f.ratings === 0);
  if (f.averageSatisfaction !== null) assert.ok(f.averageSatisfaction >= 1 && f.averageSatisfaction <= scale, `${where}: satisfaction ${f.averageSatisfaction}`);
}

describe('rooms over generated logs', () => {
  for (const { name, config } of loadExamples()) {
    it(`${name}: figures, grades, files and trends keep their invariants`, () => {
      const topics = generate(config, name.length * 7919, 120);
      const submitted = topics.filter((t) => t.context.submittedAt);
      assert.ok(submitted.length > 100, 'the walk raises topics');
      assert.ok(topics.some((t) => t.context.meetings.some((m) => m.record)), 'and records meetings');
      const scale = config.step.evaluation?.scale ?? 5;
      const rooms = [null, ...config.rooms!.list.map((r) => r.id)];
      let raisedInRooms = 0;
      for (const room of rooms) {
        const history = selectRoomGrades(topics, config, room, NOW);
        assert.equal(history.at(-1)!.period.key, periodOf(NOW, config.grading.period).key);
        assert.ok(history.slice(0, -1).every((r) => r.final) && !history.at(-1)!.final);
        for (const record of history) {
          checkFigures(record.figures, scale, `${name} ${room} ${record.period.key}`);
          // The one pass over every period gives what one period alone gives.
          assert.deepEqual(record.figures, selectRoomFigures(topics, config, room, record.period, NOW));
          const { grade } = record;
          assert.equal(grade.stars, Math.min(...grade.criteria.map((c) => c.stars)));
          for (const c of grade.criteria) {
            assert.ok(c.stars >= 0 && c.stars <= 5);
            if (c.value === null) assert.equal(c.stars, 0);
            else {
              if (c.stars > 0) assert.ok(c.value >= c.thresholds[c.stars - 1]!);
              if (c.stars < 5) assert.ok(c.value < c.thresholds[c.stars]!, `${c.figure} ${c.value} below the next star`);
            }
          }
          assert.ok(gradeRoom(record.figures, { ...config.grading, combine: 'average' }).stars >= grade.stars);
        }
        const raised = history.reduce((n, r) => n + r.figures.topicsRaised, 0);
        if (room === null) {
          // The walk reaches what the figures count (guards against a vacuous pass).
          for (const key of ['topicsSolved', 'sessionsHeld', 'measuresDue', 'measuresOnTime', 'ratings', 'membersAttending'] as const) {
            assert.ok(history.some((r) => r.figures[key] > 0), `${name}: some period has ${key}`);
          }
        }
        if (room === null) assert.equal(raised, submitted.length, 'every submitted topic is raised in one period');
        else raisedInRooms += raised;
        const trends = selectTrends(topics, config, { room, now: NOW });
        const trendRaised = trends.months.reduce((n, m) => n + m.raisedTotal, 0);
        assert.equal(trendRaised, raised, `${name} ${room}: the trends raise what the grades raise`);
        for (const m of trends.months) {
          assert.equal(m.onTime + m.late, m.measuresDue);
          assert.equal(Object.values(m.raised).reduce((a, b) => a + b, 0), m.raisedTotal);
        }
      }
      const roomless = submitted.filter((t) => t.context.room === undefined).length;
      assert.equal(raisedInRooms + roomless, submitted.length, 'rooms and the roomless add up to the programme');
      for (const year of [2026, 2027, 2028]) {
        const files = selectPerformanceFiles(topics, config, year, NOW);
        const named = new Set(config.rooms!.list.flatMap((r) => [...r.conveners, ...r.members].map((p) => p.id)));
        for (const id of named) assert.ok(files.some((f) => f.person.id === id), `${id} has a file`);
        for (const f of files) {
          for (const v of Object.values(f.counts)) assert.ok(Number.isInteger(v) && v >= 0);
          assert.ok(f.counts.topicsRecommended <= f.counts.topicsRaised);
          assert.ok(f.counts.consultations <= f.counts.meetingsConvened + f.counts.meetingsAttended);
          assert.equal(f.met, f.targets.filter((t) => t.met).length);
          assert.equal(f.of, config.performance.targets.length);
        }
      }
    });
  }
});
