/**
 * The outcomes board's client-side mapping (snapshot → TopicSummary, used with the local
 * transport) and the reference server's (packages/server/src/topic-index.ts, which answers
 * `GET /programmes/{p}/topics`) give the same summary for every lifecycle state of every example
 * config, at a time before and after the measures' due dates; and the board's local paging
 * filters and orders as the server's index does (newest topic first, search in title and
 * description). Node: the board's mapping is pure and imports no DOM.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadExamples } from '../../machine/test/fixtures.js';
import { summarizeTopic as serverSummary } from '../../server/src/topic-index.js';
import { hasTarget, topicAt, TARGETS } from '../../server/test/index-log.js';
import { pageOfSummaries, summarizeTopic, summarizeTopics } from '../src/outcomes-board/topic-summary.js';

const TIMES = ['2026-03-02T00:00:00.000Z', '2100-01-01T00:00:00.000Z'];

for (const { name, config } of loadExamples()) {
  describe(`the board's summary on ${name}`, () => {
    const topics = TARGETS.filter((target) => hasTarget(config, target)).map((target) => ({ target, topic: topicAt(config, `s-${target}`, target, 's-original') }));

    it('equals the server index summary in every state, before and after the due dates', () => {
      assert.ok(topics.length >= 8, 'the example reaches most states');
      for (const now of TIMES) {
        for (const { target, topic } of topics) {
          assert.deepEqual(summarizeTopic(topic.snapshot, now, topic.log.length), serverSummary(topic.snapshot, topic.log.length, now), `${target} at ${now}`);
        }
      }
      // The overdue state really is overdue later on: the comparison covers a measure's overdue flag.
      const overdue = topics.find((t) => t.target === 'overdue');
      if (overdue) assert.equal(summarizeTopic(overdue.topic.snapshot, TIMES[1]!).overdue, true);
    });

    it('pages, filters and searches as the index does', () => {
      const all = summarizeTopics(
        topics.map((t) => t.topic.snapshot),
        TIMES[1]!,
      );
      const first = pageOfSummaries(all, { limit: 3 });
      assert.equal(first.total, all.length);
      assert.equal(first.items.length, 3);
      assert.equal(first.more, true);
      const rest = pageOfSummaries(all, { limit: 100, cursor: first.cursor });
      assert.equal(rest.items.length, all.length - 3);
      assert.equal(rest.more, false);
      const order = [...first.items, ...rest.items].map((t) => t.submittedAt);
      assert.deepEqual(order, [...order].sort().reverse(), 'newest topic first');

      const closed = pageOfSummaries(all, { status: 'closed' });
      assert.ok(closed.items.every((t) => t.status === 'closed'));
      assert.equal(closed.total, all.filter((t) => t.status === 'closed').length);

      const word = all[0]!.title.slice(0, 2).toUpperCase();
      const found = pageOfSummaries(all, { q: word, limit: 100 });
      assert.ok(found.total > 0);
      assert.ok(found.items.every((t) => `${t.title}\n${t.description}`.toLowerCase().includes(word.toLowerCase())));
    });
  });
}
