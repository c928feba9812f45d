/**
 * The resident's view of one topic: a pure mapping from a topic snapshot to the steps of its
 * configured lifecycle in plain language (received → screening decision → research → meeting →
 * outcome and measures → feedback → rating → closed), with what each step said. No clock is read:
 * `now` is passed in; no text is produced: the element picks the words in the resident's language.
 */
import {
  isOverdue,
  isPast,
  stateName,
  toMillis,
  type Consensus,
  type Level,
  type LocalizedText,
  type MeasureStatus,
  type StepType,
  type TopicSnapshot,
} from '@consult-kit/machine/core';

/** A step of the stepper: `received` and `closed` always, the others when the config enables them. */
export type ProgressStepKey = 'received' | 'screening' | 'research' | 'meeting' | 'handling' | 'feedback' | 'evaluation' | 'closed';

/** How the topic stands: still moving, or how it ended. */
export type TopicOutcome = 'open' | 'closed' | 'rejected' | 'merged' | 'redirected' | 'withdrawn' | 'unresolved';

export interface ProgressStep {
  key: ProgressStepKey;
  /** `current` is where the topic is now (for a topic that ended, the step it ended at). */
  status: 'done' | 'current' | 'upcoming';
  /** The city's own label for this step, when its config gives one. */
  label?: LocalizedText;
  /** When the step happened (its first event). */
  at?: string;
}

export interface ScreeningProgress {
  /** `pending` while the conveners have not decided yet. */
  decision: 'pending' | 'accepted' | 'rejected' | 'merged' | 'redirected' | 'withdrawn';
  at?: string;
  reason?: string;
  /** The topic it was merged into. */
  into?: string;
  /** The channel it was redirected to (a channel id of the config). */
  channel?: string;
  /** Each move to a higher level, oldest first. */
  escalations: Array<{ from: Level; to: Level; at: string; reason?: string }>;
}

export interface MeetingProgress {
  round: number;
  format: string;
  start: string;
  place: string;
  /** The meeting's record (the five haves) was written. */
  held: boolean;
  consensus?: Consensus;
}

/** The five haves (时间、地点、主题、措施、效果) of the latest recorded meeting. */
export interface RecordProgress {
  round: number;
  time: string;
  place: string;
  topic: string;
  effect: string;
  consensus: Consensus;
}

export interface MeasureProgress {
  id: string;
  text: string;
  party: string;
  due: string;
  status: MeasureStatus;
  overdue: boolean;
  reason?: string;
  result?: string;
  implementedAt?: string;
}

export interface RatingProgress {
  /** The rating window is open now (the round is open and its end is not past). */
  open: boolean;
  /** When the open window ends (ISO). */
  windowEnd?: string;
  scale: number;
  /** The average of the latest round (open or closed), null before anyone rated. */
  average: number | null;
  count: number;
  /** The stars this person gave in the latest round, when they rated. */
  mine?: number;
  /** A poor rating sent the topic back to handling at least once. */
  reopened: boolean;
}

export interface TopicProgress {
  topicId: string;
  title: string;
  description: string;
  /** The machine's dotted state, e.g. `meeting.inSession.briefing`. */
  state: string;
  outcome: TopicOutcome;
  level: Level;
  submittedAt?: string;
  updatedAt?: string;
  steps: ProgressStep[];
  current: ProgressStepKey;
  screening?: ScreeningProgress;
  research?: { findings: string; at: string };
  meetings: MeetingProgress[];
  record?: RecordProgress;
  measures: MeasureProgress[];
  feedback?: { text: string; at: string };
  rating?: RatingProgress;
  closedAt?: string;
  /** A resident may withdraw it now (still being screened, and the config lets residents withdraw). */
  canWithdraw: boolean;
  /** A resident may rate it now (window open, not rated yet by this person). */
  canRate: boolean;
}

export interface ProgressOptions {
  /** The `by.id` this person's events carry (e.g. `follow:…`): finds their own rating. */
  actorId?: string;
}

const ENDED_AT_SCREENING = new Set(['rejected', 'merged', 'redirected', 'withdrawn']);

/** The step a machine state stands for. */
function currentKey(snapshot: TopicSnapshot, top: string): ProgressStepKey {
  const ctx = snapshot.context;
  switch (top) {
    case 'draft':
      return 'received';
    case 'submitted':
    case 'accepted':
    case 'screening':
    case 'rejected':
    case 'merged':
    case 'redirected':
    case 'withdrawn':
      return ctx.config.step.screening ? 'screening' : 'received';
    case 'research':
      return 'research';
    case 'meeting':
    case 'unresolved':
      return 'meeting';
    case 'handling': {
      const settled = ctx.measures.length > 0 && ctx.measures.every((m) => m.status === 'implemented' || m.status === 'declined');
      return ctx.config.step.feedback && settled ? 'feedback' : 'handling';
    }
    case 'evaluation':
      return 'evaluation';
    default:
      return 'closed';
  }
}

function outcomeOf(top: string): TopicOutcome {
  if (top === 'closed' || top === 'unresolved' || ENDED_AT_SCREENING.has(top)) return top as TopicOutcome;
  return 'open';
}

/** The resident's view of a topic at `now` (ISO or epoch ms). */
export function topicProgress(snapshot: TopicSnapshot, now: string | number, options: ProgressOptions = {}): TopicProgress {
  const ctx = snapshot.context;
  const config = ctx.config;
  const state = stateName(snapshot);
  const top = state.split('.')[0]!;
  const outcome = outcomeOf(top);
  const current = currentKey(snapshot, top);

  // The configured lifecycle, in the config's order; intake is "received".
  const keys: ProgressStepKey[] = ['received'];
  for (const step of config.steps) if (step.type !== 'intake') keys.push(step.type);
  keys.push('closed');
  // A topic that ended early stops at the step it ended at: what would have come next never will.
  const shown = outcome === 'open' || outcome === 'closed' ? keys : keys.slice(0, keys.indexOf(current) + 1);
  const currentIndex = shown.indexOf(current);

  const lastRecorded = ctx.meetings.filter((m) => m.record).at(-1);
  const lastFeedback = ctx.feedback.at(-1);
  const lastRound = ctx.evaluations.at(-1);
  const at: Partial<Record<ProgressStepKey, string | undefined>> = {
    received: ctx.submittedAt,
    screening: ctx.withdrawal?.at ?? ctx.screening?.at,
    research: ctx.research?.at,
    meeting: ctx.meetings[0]?.scheduledAt,
    handling: lastRecorded?.record?.at,
    feedback: lastFeedback?.at,
    evaluation: lastRound?.openedAt,
    closed: outcome === 'closed' ? ctx.closedAt : undefined,
  };
  const steps: ProgressStep[] = shown.map((key, i) => {
    const label = key === 'received' || key === 'closed' ? undefined : config.step[key as StepType]?.label;
    const when = i <= currentIndex ? at[key] : undefined;
    return {
      key,
      status: i < currentIndex ? 'done' : i === currentIndex ? 'current' : 'upcoming',
      ...(label ? { label } : {}),
      ...(when ? { at: when } : {}),
    };
  });

  const progress: TopicProgress = {
    topicId: ctx.topicId,
    title: ctx.title,
    description: ctx.description,
    state,
    outcome,
    level: ctx.level,
    ...(ctx.submittedAt ? { submittedAt: ctx.submittedAt } : {}),
    ...(ctx.updatedAt ? { updatedAt: ctx.updatedAt } : {}),
    steps,
    current,
    meetings: ctx.meetings.map((m) => ({
      round: m.round,
      format: m.format,
      start: m.start,
      place: m.place,
      held: Boolean(m.record),
      ...(m.record ? { consensus: m.record.consensus } : {}),
    })),
    measures: ctx.measures.map((m) => ({
      id: m.id,
      text: m.text,
      party: m.party,
      due: m.due,
      status: m.status,
      overdue: isOverdue(m, now),
      ...(m.reason ? { reason: m.reason } : {}),
      ...(m.result ? { result: m.result } : {}),
      ...(m.implementedAt ? { implementedAt: m.implementedAt } : {}),
    })),
    canWithdraw: top === 'screening' && (config.permissions['topic.withdraw'] ?? ['resident']).includes('resident'),
    canRate: false,
  };

  if (config.step.screening && top !== 'draft') {
    const s = ctx.screening;
    const w = ctx.withdrawal;
    progress.screening = {
      decision: w ? 'withdrawn' : s ? s.decision : 'pending',
      ...(w ? { at: w.at } : s ? { at: s.at } : {}),
      ...((w?.reason ?? s?.reason) ? { reason: (w?.reason ?? s?.reason)! } : {}),
      ...(s?.into ? { into: s.into } : {}),
      ...(s?.channel ? { channel: s.channel } : {}),
      escalations: ctx.escalations.map((e) => ({ from: e.from, to: e.to, at: e.at, ...(e.reason ? { reason: e.reason } : {}) })),
    };
  }
  if (ctx.research) progress.research = { findings: ctx.research.findings, at: ctx.research.at };
  if (lastRecorded?.record) {
    const r = lastRecorded.record;
    progress.record = { round: lastRecorded.round, time: r.time, place: r.place, topic: r.topic, effect: r.effect, consensus: r.consensus };
  }
  if (lastFeedback) progress.feedback = { text: lastFeedback.text, at: lastFeedback.at };
  const evaluation = config.step.evaluation;
  if (evaluation && lastRound) {
    const roundOpen = !lastRound.closedAt;
    const windowEnd = roundOpen ? new Date(toMillis(lastRound.openedAt) + evaluation.windowDays * 86_400_000).toISOString() : undefined;
    const open = top === 'evaluation' && roundOpen && windowEnd !== undefined && !isPast(windowEnd, now);
    const ratings = lastRound.ratings;
    const mine = options.actorId ? ratings.find((r) => r.by.id === options.actorId)?.stars : undefined;
    progress.rating = {
      open,
      ...(windowEnd ? { windowEnd } : {}),
      scale: evaluation.scale,
      average: ratings.length > 0 ? ratings.reduce((sum, r) => sum + r.stars, 0) / ratings.length : null,
      count: ratings.length,
      ...(mine !== undefined ? { mine } : {}),
      reopened: ctx.evaluations.some((r) => r.reopened),
    };
    progress.canRate = open && mine === undefined && (config.permissions['rating.submit'] ?? []).includes('resident');
  }
  if (outcome === 'closed' && ctx.closedAt) progress.closedAt = ctx.closedAt;
  return progress;
}
