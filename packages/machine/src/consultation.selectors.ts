/**
 * Pure functions from topic snapshots (and their log) to the view models the elements show.
 * `now` is always passed in (ISO or epoch ms): selectors never read the clock.
 */
import type { Level, StepType } from './config/config.types.js';
import type { EventActor, Measure, MeasureStatus, Meeting, Rating, TopicContext } from './consultation.types.js';
import { stateName } from './log/state-name.js';
import type { LogEntry } from './log/log.types.js';
import { allMeasuresSettled, averageStars, RATING_KINDS, ratingKind, ratingWindowEnd, type RatingKind } from './rules/topic-rules.js';
import { isPast, toMillis } from './time.js';
import type { TopicSnapshot } from './topic.machine.js';

/** Where a topic stands: one of the config's steps, or how it ended. */
export type StageKey = StepType | 'closed' | 'rejected' | 'merged' | 'redirected' | 'withdrawn' | 'unresolved';

const FINAL_STAGES = new Set<StageKey>(['closed', 'rejected', 'merged', 'redirected', 'withdrawn', 'unresolved']);

/** The stage of a topic's current state. */
export function currentStage(snapshot: TopicSnapshot): StageKey {
  const top = stateName(snapshot).split('.')[0]!;
  if (top === 'draft' || top === 'submitted') return 'intake';
  if (top === 'accepted') return 'screening';
  if (top === 'handling') {
    const ctx = snapshot.context;
    return ctx.config.step.feedback && ctx.measures.length > 0 && allMeasuresSettled(ctx) ? 'feedback' : 'handling';
  }
  return top as StageKey;
}

const STAGE_OF_EVENT: Readonly<Record<string, StepType>> = {
  topic: 'intake',
  screening: 'screening',
  research: 'research',
  meeting: 'meeting',
  measure: 'handling',
  feedback: 'feedback',
  rating: 'evaluation',
  evaluation: 'evaluation',
};

/** The step an event type belongs to. */
export function stageOfEvent(type: string): StepType {
  if (type === 'topic.withdraw') return 'screening';
  return STAGE_OF_EVENT[type.split('.')[0]!] ?? 'intake';
}

export interface MeasureView extends Measure {
  topicId: string;
  topicTitle: string;
  level: Level;
  /** Past its due date and neither implemented nor declined. */
  overdue: boolean;
  /** Feedback has been published since this measure was settled. */
  feedbackGiven: boolean;
  /** Average rating of the topic's latest closed evaluation, if any. */
  rating: number | null;
}

function measureViews(ctx: TopicContext, now: string | number): MeasureView[] {
  const lastFeedback = ctx.feedback.at(-1)?.at;
  const rated = ctx.evaluations.filter((r) => r.closedAt).at(-1);
  return ctx.measures.map((m) => {
    const settledAt = m.implementedAt ?? m.declinedAt;
    return {
      ...m,
      topicId: ctx.topicId,
      topicTitle: ctx.title,
      level: ctx.level,
      overdue: isOverdue(m, now),
      feedbackGiven: Boolean(lastFeedback && settledAt && lastFeedback >= settledAt && isSettled(m.status)),
      rating: rated?.average ?? null,
    };
  });
}

const isSettled = (s: MeasureStatus) => s === 'implemented' || s === 'declined';

/** Whether a measure is past its due date and still open. */
export function isOverdue(measure: Pick<Measure, 'status' | 'due'>, now: string | number): boolean {
  return !isSettled(measure.status) && isPast(measure.due, now);
}

const DAY_MS = 86_400_000;

/**
 * How many days a deadline is behind: the days begun since it passed (at least 1 once it has
 * passed), 0 before. Every view shows this same number.
 */
export function overdueDays(due: string | number, now: string | number): number {
  const ms = (t: string | number) => (typeof t === 'number' ? t : toMillis(t));
  const late = ms(now) - ms(due);
  return late > 0 ? Math.max(1, Math.ceil(late / DAY_MS)) : 0;
}

export interface TimelineItem {
  entryId: string;
  seq: number;
  type: string;
  at: string;
  by: EventActor;
  /** The event without its envelope: what was said (reason, findings, measure, stars…). */
  detail: Record<string, unknown>;
}

export interface TimelineStage {
  key: StageKey;
  status: 'done' | 'current' | 'upcoming';
  startedAt?: string;
  endedAt?: string;
  items: TimelineItem[];
}

export interface TopicTimeline {
  topicId: string;
  title: string;
  description: string;
  state: string;
  current: StageKey;
  level: Level;
  stages: TimelineStage[];
  meetings: Meeting[];
  measures: MeasureView[];
  /** When residents may rate until, while an evaluation is open. */
  ratingUntil?: string;
}

/**
 * One topic's story: every stage of the configured lifecycle with its dates, who acted and what
 * they said (from the log), meetings with their agenda and record, measures with deadlines.
 */
export function selectTimeline(snapshot: TopicSnapshot, entries: readonly LogEntry[], now: string | number): TopicTimeline {
  const ctx = snapshot.context;
  const current = currentStage(snapshot);
  const own = entries.filter((e) => e.topicId === ctx.topicId).sort((a, b) => a.seq - b.seq);
  const keys: StageKey[] = ctx.config.steps.map((s) => s.type);
  keys.push(FINAL_STAGES.has(current) ? current : 'closed');
  const currentIndex = keys.indexOf(current);
  const stages: TimelineStage[] = keys.map((key, i) => {
    const items = own
      .filter((e) => stageOfEvent(String(e.event.type)) === key)
      .map((e) => {
        const { type, ...detail } = e.event as { type: string } & Record<string, unknown>;
        return { entryId: e.id, seq: e.seq, type, at: e.at, by: e.by, detail };
      });
    const status = i < currentIndex ? 'done' : i === currentIndex ? 'current' : 'upcoming';
    const stage: TimelineStage = { key, status: FINAL_STAGES.has(key) && i === currentIndex ? 'done' : status, items };
    if (items[0]) stage.startedAt = items[0].at;
    if (status === 'done' && items.length > 0) stage.endedAt = items.at(-1)!.at;
    return stage;
  });
  const ratingUntil = ratingWindowEnd(ctx);
  return {
    topicId: ctx.topicId,
    title: ctx.title,
    description: ctx.description,
    state: stateName(snapshot),
    current,
    level: ctx.level,
    stages,
    meetings: ctx.meetings,
    measures: measureViews(ctx, now),
    ...(ratingUntil ? { ratingUntil } : {}),
  };
}

/** Every measure across topics, with status, party, due date and overdue flag. */
export function selectMeasures(topics: Iterable<TopicSnapshot>, now: string | number): MeasureView[] {
  return [...topics].flatMap((t) => measureViews(t.context, now));
}

/** How many ratings were counted, and from whom by kind (never by name): every kind, zero when none. */
export interface RatingTally {
  counted: number;
  byKind: Record<RatingKind, number>;
}

/** One evaluation round's tally. */
export interface RoundRatingTally extends RatingTally {
  /** 1 for the first evaluation round, 2 after handling was reopened once… */
  round: number;
  open: boolean;
}

/** An empty tally. */
export function emptyTally(): RatingTally {
  return { counted: 0, byKind: Object.fromEntries(RATING_KINDS.map((k) => [k, 0])) as Record<RatingKind, number> };
}

/** Adds a topic's ratings to a tally (in place), each by the kind of its rater on that topic. */
function addRatings(tally: RatingTally, ctx: TopicContext, ratings: readonly Rating[]): RatingTally {
  for (const r of ratings) {
    if (typeof r.by.id !== 'string') continue;
    tally.counted += 1;
    tally.byKind[ratingKind(ctx, r.by.id)] += 1;
  }
  return tally;
}

/**
 * Per evaluation round of a topic: how many ratings were counted and from whom by kind
 * (`submitter`, `follow-code`, `community`, `participant`, `staff-token`). Only ratings the
 * rules admitted are in a topic's state, so everything here was counted.
 */
export function selectRatingRounds(snapshot: TopicSnapshot): RoundRatingTally[] {
  const ctx = snapshot.context;
  return ctx.evaluations.map((r, i) => ({ round: i + 1, open: !r.closedAt, ...addRatings(emptyTally(), ctx, r.ratings) }));
}

/** The programme's ratings, every round of every topic, by kind of rater. */
export function selectRatingTally(topics: Iterable<TopicSnapshot>): RatingTally {
  const tally = emptyTally();
  for (const t of topics) for (const r of t.context.evaluations) addRatings(tally, t.context, r.ratings);
  return tally;
}

export interface ProgrammeFigures {
  topicsRaised: number;
  topicsByStage: Partial<Record<StageKey, number>>;
  /** Topics closed after their outcome was handled (the loop completed). */
  topicsSolved: number;
  meetingsHeld: number;
  /** People at recorded meetings (conveners and participants, counted per meeting). */
  participants: number;
  measuresTotal: number;
  measuresImplemented: number;
  measuresOverdue: number;
  /** Ratings counted (every round of every topic). */
  ratings: number;
  /** The ratings counted by kind of rater (`RatingKind`: submitter, follow-code, community, participant, staff-token); never names. */
  ratingsByKind: Record<RatingKind, number>;
  /** Average stars over every rating given, or null when nobody has rated. */
  averageSatisfaction: number | null;
}

/** The figures the programmes report: topics raised and solved, meetings, people, measures, satisfaction. */
export function selectFigures(topics: Iterable<TopicSnapshot>, now: string | number): ProgrammeFigures {
  const figures: ProgrammeFigures = {
    topicsRaised: 0,
    topicsByStage: {},
    topicsSolved: 0,
    meetingsHeld: 0,
    participants: 0,
    measuresTotal: 0,
    measuresImplemented: 0,
    measuresOverdue: 0,
    ratings: 0,
    ratingsByKind: emptyTally().byKind,
    averageSatisfaction: null,
  };
  const tally = emptyTally();
  const allRatings: Array<{ stars: number }> = [];
  for (const snapshot of topics) {
    const ctx = snapshot.context;
    if (!ctx.submittedAt) continue;
    const stage = currentStage(snapshot);
    figures.topicsRaised += 1;
    figures.topicsByStage[stage] = (figures.topicsByStage[stage] ?? 0) + 1;
    if (stage === 'closed') figures.topicsSolved += 1;
    for (const meeting of ctx.meetings) {
      if (!meeting.record) continue;
      figures.meetingsHeld += 1;
      figures.participants += meeting.conveners.length + meeting.participants.length;
    }
    figures.measuresTotal += ctx.measures.length;
    figures.measuresImplemented += ctx.measures.filter((m) => m.status === 'implemented').length;
    figures.measuresOverdue += ctx.measures.filter((m) => isOverdue(m, now)).length;
    for (const round of ctx.evaluations) {
      allRatings.push(...round.ratings);
      addRatings(tally, ctx, round.ratings);
    }
  }
  figures.ratings = allRatings.length;
  figures.ratingsByKind = tally.byKind;
  figures.averageSatisfaction = averageStars(allRatings);
  return figures;
}
