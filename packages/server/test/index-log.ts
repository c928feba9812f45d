/**
 * For the topic index's tests: topics driven through the lifecycle with the machine's own event
 * builders (packages/machine/test/fixtures.ts), their logs, and a programme's log written
 * straight into the database (as the bench seeds big programmes: no HTTP, same rows).
 */
import type { EventRefusal, LogEntry, TopicEvent, TopicEventBody, WorkflowConfig } from '@consult-kit/machine';
import type { Queryable } from '../src/db/db.js';
import { nextAt, TestTopic } from '../../machine/test/fixtures.js';

/** A topic driven by pure transitions that keeps its log, as the server would. */
export class LoggedTopic extends TestTopic {
  log: LogEntry[] = [];
  override send(event: TopicEvent): EventRefusal | null {
    const refusal = super.send(event);
    if (!refusal) {
      const { by, at, ...body } = event;
      this.log.push({ id: `${this.ctx.topicId}-${this.log.length + 1}`, topicId: this.ctx.topicId, seq: 0, by, at, event: body as TopicEventBody });
    }
    return refusal;
  }
}

/** The lifecycle states the generated programmes hold topics in (those the config has). */
export type Target = 'screening' | 'rejected' | 'withdrawn' | 'escalated' | 'redirected' | 'merged' | 'research' | 'meeting' | 'handling' | 'overdue' | 'evaluation' | 'closed';

export const TARGETS: readonly Target[] = ['screening', 'rejected', 'withdrawn', 'escalated', 'redirected', 'merged', 'research', 'meeting', 'handling', 'overdue', 'evaluation', 'closed'];

/** Whether a config's lifecycle has this target. */
export function hasTarget(config: WorkflowConfig, target: Target): boolean {
  const screening = config.step.screening;
  switch (target) {
    case 'screening':
    case 'rejected':
    case 'withdrawn':
    case 'merged':
      return screening !== undefined;
    case 'escalated':
      return (screening?.escalation.levels.length ?? 0) > 0;
    case 'redirected':
      return (screening?.channels.length ?? 0) > 0;
    case 'research':
      return config.step.research !== undefined;
    case 'evaluation':
    case 'closed':
      return config.step.evaluation !== undefined;
    default:
      return true;
  }
}

/**
 * A topic driven to a target: `overdue` is handling with one measure adopted and due long ago;
 * `handling` has one measure declined and one adopted, due far ahead; `merged` merges into `into`.
 */
export function topicAt(config: WorkflowConfig, topicId: string, target: Target, into = 'topic-elsewhere'): LoggedTopic {
  const t = new LoggedTopic(config, topicId);
  switch (target) {
    case 'rejected':
      return t.to('screening').ok(t.event('screening.reject'));
    case 'withdrawn':
      return t.to('screening').ok({ type: 'topic.withdraw', reason: '已经自行解决 Sorted out ourselves', by: { role: 'resident' }, at: nextAt(t.ctx) } as TopicEvent);
    case 'escalated':
      return t.to('screening').ok(t.event('screening.escalate'));
    case 'redirected':
      return t.to('screening').ok(t.event('screening.redirect'));
    case 'merged':
      return t.to('screening').ok(t.event('screening.merge', { into }));
    case 'handling': {
      t.to('handling');
      const [first, second] = t.ctx.measures;
      t.ok(t.event('measure.decline', { measureId: first!.id }));
      return t.ok(t.event('measure.adopt', { measureId: second!.id }));
    }
    case 'overdue': {
      t.to('meeting.inSession');
      t.to('meeting.inSession.response');
      const record = t.event('meeting.record');
      t.ok({ ...record, measures: record.measures.map((m) => ({ ...m, due: '2020-01-31' })) });
      return t.ok(t.event('measure.adopt', { measureId: t.ctx.measures[0]!.id }));
    }
    case 'meeting':
      return t.to('meeting.scheduled');
    case 'evaluation':
      return t.to('evaluation').ok(t.event('rating.submit'));
    case 'closed': {
      t.to('evaluation').ok(t.event('rating.submit'));
      // Closed as soon as the config allows: at once with enough ratings, else after the window.
      const closes = [t.event('evaluation.close'), t.event('evaluation.close', {}, 1)];
      const refusal = t.send(closes[0]!);
      return refusal ? t.ok(closes[1]!) : t;
    }
    default:
      return t.to(target);
  }
}

/**
 * A programme's log: topics in every target the config has, round-robin; their entries
 * interleaved (one of each topic in turn, each topic's own order kept), seqs in that order.
 */
export function programmeLog(config: WorkflowConfig, topics: number, prefix = 't'): LogEntry[] {
  const targets = TARGETS.filter((target) => hasTarget(config, target));
  const logs: LogEntry[][] = [];
  for (let i = 0; i < topics; i += 1) {
    const target = targets[i % targets.length]!;
    logs.push(topicAt(config, `${prefix}-${i}`, target === 'merged' && i === 0 ? 'screening' : target, `${prefix}-0`).log);
  }
  const log: LogEntry[] = [];
  for (let round = 0; logs.some((l) => l.length > round); round += 1) {
    for (const topicLog of logs) {
      const entry = topicLog[round];
      if (entry) log.push({ ...entry, id: `${prefix}-e${log.length + 1}`, seq: log.length + 1 });
    }
  }
  return log;
}

/** Writes entries into a programme's log directly (and moves its counter), as if appended. */
export async function writeLog(db: Queryable, programmeId: string, entries: readonly LogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `insert into log_entry (programme_id, seq, id, topic_id, event, by_actor, at, fingerprint)
     select $1, v.seq, v.id, v.topic_id, v.event::json, v.by_actor::json, v.at, 'seeded'
     from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) as v (seq, id, topic_id, event, by_actor, at)`,
    [
      programmeId,
      entries.map((e) => e.seq),
      entries.map((e) => e.id),
      entries.map((e) => e.topicId),
      entries.map((e) => JSON.stringify(e.event)),
      entries.map((e) => JSON.stringify(e.by)),
      entries.map((e) => e.at),
    ],
  );
  await db.query('update programme set last_seq = $2 where id = $1', [programmeId, Math.max(...entries.map((e) => e.seq))]);
}
