/**
 * The outcomes board's local paging (used with the local transport) filters and orders as the
 * server's index does (newest topic first, search in title and description), on the topics of
 * every lifecycle state of every example config. Both map a snapshot with the machine's one
 * `summarizeTopic` (tested on every state in packages/server/test/index-summary.test.ts).
 * Node: the board's mapping is pure and imports no DOM.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadExamples } from '../../machine/test/fixtures.js';
import { hasTarget, topicAt, TARGETS } from '../../server/test/index-log.js';
import { pageOfSummaries, summarizeTopics } from '../src/outcomes-board/topic-summary.js';

const TIMES = ['2026-03-02T00:00:00.000Z', '2100-01-01T00:00:00.000Z'];

for (const { name, config } of loadExamples()) {
  describe(`the board's summary on ${name}`, () => {
    const topics = TARGETS.filter((target) => hasTarget(config, target)).map((target) => ({ target, topic: topicAt(config, `s-${target}`, target, 's-original') }));

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
