/** Month-by-month trends for the charts (topics raised by source and solved, satisfaction, measures on time), one pass over the topics. */
import { SOURCE_IDS, type SourceId, type WorkflowConfig } from '../config/config.types.js';
import type { TopicSnapshot } from '../topic.machine.js';
import { toMillis } from '../time.js';
import { inRoom, snapshotsOf } from './figures.js';
import { dateOf, millisOf, periodsBetween } from './periods.js';
import type { TrendMonth, Trends } from './rooms.types.js';

interface MonthTally {
  raised: Record<SourceId, number>;
  solved: number;
  ratings: number;
  stars: number;
  measuresDue: number;
  onTime: number;
}

/**
 * The trends of a room (`room` null or absent: the whole programme): every month from the first
 * with anything in it to the one `now` is in, no gaps; nothing after `now` counts. A topic counts
 * as raised in its submission's month and solved in the month it closed; a measure (not declined)
 * in its due date's month once that day has passed or it is implemented, on time when implemented
 * by that day, else late.
 */
export function selectTrends(
  topics: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>,
  _config: WorkflowConfig,
  options: { room?: string | null; now: string | number },
): Trends {
  const room = options.room ?? null;
  const nowMs = millisOf(options.now);
  const today = dateOf(options.now);
  const months = new Map<string, MonthTally>();
  let first: string | null = null;
  const month = (date: string | null): MonthTally | null => {
    if (date === null || date > today) return null;
    if (first === null || date < first) first = date;
    const key = date.slice(0, 7);
    let t = months.get(key);
    if (!t) {
      t = { raised: Object.fromEntries(SOURCE_IDS.map((s) => [s, 0])) as Record<SourceId, number>, solved: 0, ratings: 0, stars: 0, measuresDue: 0, onTime: 0 };
      months.set(key, t);
    }
    return t;
  };
  const counted = (iso: string | undefined): string | null => {
    if (!iso) return null;
    const ms = toMillis(iso);
    return Number.isFinite(ms) && ms <= nowMs ? dateOf(iso) : null;
  };
  for (const snapshot of snapshotsOf(topics)) {
    const ctx = snapshot.context;
    if (!inRoom(ctx, room)) continue;
    const raised = month(counted(ctx.submittedAt));
    if (raised) raised.raised[ctx.source ?? 'resident']++;
    if (snapshot.value === 'closed') {
      const solved = month(counted(ctx.closedAt));
      if (solved) solved.solved++;
    }
    for (const round of ctx.evaluations) {
      for (const rating of round.ratings) {
        const t = month(counted(rating.at));
        if (!t) continue;
        t.ratings++;
        t.stars += rating.stars;
      }
    }
    for (const measure of ctx.measures) {
      if (measure.status === 'declined') continue;
      const due = dateOf(measure.due);
      const done = measure.status === 'implemented' ? counted(measure.implementedAt) : null;
      if (due === '' || (done === null && !(due < today))) continue;
      const t = month(due);
      if (!t) continue;
      t.measuresDue++;
      if (done !== null && done <= due) t.onTime++;
    }
  }
  if (first === null) return { room, months: [] };
  return {
    room,
    months: periodsBetween(first, today, 'month').map(({ key }): TrendMonth => {
      const t = months.get(key);
      const raised = t ? { ...t.raised } : (Object.fromEntries(SOURCE_IDS.map((s) => [s, 0])) as Record<SourceId, number>);
      return {
        month: key,
        raised,
        raisedTotal: Object.values(raised).reduce((a, b) => a + b, 0),
        solved: t?.solved ?? 0,
        ratings: t?.ratings ?? 0,
        averageSatisfaction: t && t.ratings > 0 ? t.stars / t.ratings : null,
        measuresDue: t?.measuresDue ?? 0,
        onTime: t?.onTime ?? 0,
        late: (t?.measuresDue ?? 0) - (t?.onTime ?? 0),
      };
    }),
  };
}
