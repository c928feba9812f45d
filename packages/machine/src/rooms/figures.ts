/**
 * A room's figures and star grade (星级评定), computed from topics' replayed state in one pass;
 * the definition of each figure is its JSDoc in rooms.types.ts. Pure: `now` is passed in.
 */
import type { WorkflowConfig } from '../config/config.types.js';
import type { TopicContext } from '../consultation.types.js';
import type { TopicSnapshot } from '../topic.machine.js';
import { dateOf, millisOf, periodOf, periodsBetween } from './periods.js';
import { toMillis } from '../time.js';
import type {
  CriterionGrade,
  GradeFigure,
  GradingConfig,
  Period,
  RoomFigures,
  RoomGrade,
  RoomGradeRecord,
} from './rooms.types.js';

/** Snapshots given as a list, a Map (its values) or any iterable. */
export function snapshotsOf(topics: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>): Iterable<TopicSnapshot> {
  return topics instanceof Map ? (topics as ReadonlyMap<string, TopicSnapshot>).values() : (topics as Iterable<TopicSnapshot>);
}

/** Whether a topic belongs to a room (null: the whole programme). */
export function inRoom(ctx: TopicContext, room: string | null): boolean {
  return room === null || ctx.room === room;
}

/** The ids of the people rooms name (one room, or every room for null). */
export function namedPeople(config: WorkflowConfig, room: string | null): Set<string> {
  const ids = new Set<string>();
  for (const r of config.rooms?.list ?? []) {
    if (room !== null && r.id !== room) continue;
    for (const p of [...r.conveners, ...r.members]) if (p.id) ids.add(p.id);
  }
  return ids;
}

interface Tally {
  period: Period;
  topicsRaised: number;
  topicsSolved: number;
  sessionsHeld: number;
  participants: number;
  measuresDue: number;
  measuresOnTime: number;
  ratings: number;
  stars: number;
  attending: Set<string>;
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** An event time that counts at `now`: its date, or null when it is missing or after `now`. */
function countedDate(iso: string | undefined, nowMs: number): string | null {
  if (!iso) return null;
  const ms = toMillis(iso);
  return Number.isFinite(ms) && ms <= nowMs ? dateOf(iso) : null;
}

/**
 * One pass over the topics of a room, each contribution put in the period `bucket` gives for its
 * date (null: outside every period asked for). Returns the tallies by period key.
 */
function tally(
  topics: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>,
  room: string | null,
  bucket: (date: string) => Period | null,
  now: string | number,
  members: ReadonlySet<string>,
): Map<string, Tally> {
  const nowMs = millisOf(now);
  const today = dateOf(now);
  const tallies = new Map<string, Tally>();
  const at = (date: string | null): Tally | null => {
    if (date === null) return null;
    const period = bucket(date);
    if (!period) return null;
    let t = tallies.get(period.key);
    if (!t) {
      t = { period, topicsRaised: 0, topicsSolved: 0, sessionsHeld: 0, participants: 0, measuresDue: 0, measuresOnTime: 0, ratings: 0, stars: 0, attending: new Set() };
      tallies.set(period.key, t);
    }
    return t;
  };
  for (const snapshot of snapshotsOf(topics)) {
    const ctx = snapshot.context;
    if (!inRoom(ctx, room)) continue;
    const raised = at(countedDate(ctx.submittedAt, nowMs));
    if (raised) {
      raised.topicsRaised++;
      const closed = snapshot.value === 'closed' ? countedDate(ctx.closedAt, nowMs) : null;
      if (closed !== null && closed < raised.period.to) raised.topicsSolved++;
    }
    for (const meeting of ctx.meetings) {
      const t = at(countedDate(meeting.record?.at, nowMs));
      if (!t) continue;
      t.sessionsHeld++;
      const people = [...meeting.conveners, ...meeting.participants];
      t.participants += people.length;
      for (const p of people) if (typeof p.id === 'string' && members.has(p.id)) t.attending.add(p.id);
    }
    for (const measure of ctx.measures) {
      if (measure.status === 'declined') continue;
      const due = dateOf(measure.due);
      const done = measure.status === 'implemented' ? countedDate(measure.implementedAt, nowMs) : null;
      if (due === '' || (done === null && !(due < today))) continue;
      const t = at(due);
      if (!t) continue;
      t.measuresDue++;
      if (done !== null && done <= due) t.measuresOnTime++;
    }
    for (const round of ctx.evaluations) {
      for (const rating of round.ratings) {
        const t = at(countedDate(rating.at, nowMs));
        if (!t) continue;
        t.ratings++;
        t.stars += rating.stars;
      }
    }
  }
  return tallies;
}

function figuresOf(room: string | null, period: Period, t: Tally | undefined, members: number): RoomFigures {
  const raised = t?.topicsRaised ?? 0;
  const solved = t?.topicsSolved ?? 0;
  const due = t?.measuresDue ?? 0;
  const onTime = t?.measuresOnTime ?? 0;
  const ratings = t?.ratings ?? 0;
  const attending = t?.attending.size ?? 0;
  return {
    room,
    period,
    topicsRaised: raised,
    topicsSolved: solved,
    solvedShare: ratio(solved, raised),
    sessionsHeld: t?.sessionsHeld ?? 0,
    participants: t?.participants ?? 0,
    measuresDue: due,
    measuresOnTime: onTime,
    onTimeShare: ratio(onTime, due),
    ratings,
    averageSatisfaction: ratings === 0 ? null : t!.stars / ratings,
    members,
    membersAttending: attending,
    memberParticipation: ratio(attending, members),
  };
}

/**
 * A room's figures for a period (`room` null: the whole programme, every topic whatever its
 * room). Only what happened by `now` counts.
 */
export function selectRoomFigures(
  topics: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>,
  config: WorkflowConfig,
  room: string | null,
  period: Period,
  now: string | number,
): RoomFigures {
  const members = namedPeople(config, room);
  const tallies = tally(topics, room, (date) => (date >= period.from && date < period.to ? period : null), now, members);
  return figuresOf(room, period, tallies.get(period.key), members.size);
}

/** The stars a value earns against five ascending thresholds (0 below the first, or with nothing to measure). */
function starsFor(value: number | null, thresholds: readonly number[]): number {
  if (value === null) return 0;
  let stars = 0;
  while (stars < thresholds.length && value >= thresholds[stars]!) stars++;
  return stars;
}

/** A room's grade from its figures: each criterion's stars, combined by the rubric's `combine`. */
export function gradeRoom(figures: RoomFigures, grading: GradingConfig): RoomGrade {
  const criteria: CriterionGrade[] = grading.criteria.map((c) => {
    const value = figures[c.figure as GradeFigure] as number | null;
    const stars = starsFor(typeof value === 'number' ? value : null, c.thresholds);
    return {
      figure: c.figure,
      ...(c.label ? { label: c.label } : {}),
      value: typeof value === 'number' ? value : null,
      stars,
      thresholds: [...c.thresholds],
      next: stars >= c.thresholds.length ? null : c.thresholds[stars]!,
    };
  });
  if (criteria.length === 0) return { stars: 0, criteria };
  const stars =
    grading.combine === 'average'
      ? Math.floor(criteria.reduce((sum, c) => sum + c.stars, 0) / criteria.length)
      : Math.min(...criteria.map((c) => c.stars));
  return { stars, criteria };
}

/**
 * A room's grade history: every period of the rubric's kind from the one its first topic was
 * raised in to the one `now` is in, oldest first (just `now`'s when it has no topic yet). The
 * period `now` is in is not `final`.
 */
export function selectRoomGrades(
  topics: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>,
  config: WorkflowConfig,
  room: string | null,
  now: string | number,
): RoomGradeRecord[] {
  const kind = config.grading.period;
  const today = dateOf(now);
  const list = [...snapshotsOf(topics)];
  let first = today;
  const nowMs = millisOf(now);
  for (const s of list) {
    const submitted = inRoom(s.context, room) ? countedDate(s.context.submittedAt, nowMs) : null;
    if (submitted !== null && submitted < first) first = submitted;
  }
  const members = namedPeople(config, room);
  const tallies = tally(list, room, (date) => periodOf(date, kind), now, members);
  return periodsBetween(first, today, kind).map((period) => {
    const figures = figuresOf(room, period, tallies.get(period.key), members.size);
    return { period, figures, grade: gradeRoom(figures, config.grading), final: period.to <= today };
  });
}
