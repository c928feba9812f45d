import type { AgendaStageId, EventType, FiveHave, Role } from './config.types.js';

const STAFF: Role[] = ['convener', 'admin'];

/**
 * Who may send each event when the config says nothing. Client-side checks are for the
 * interface; the city's backend is the authority and checks the role of a signed-in token.
 */
export const DEFAULT_PERMISSIONS: Readonly<Record<EventType, readonly Role[]>> = {
  'topic.submit': ['resident', 'representative', 'member', 'grid', 'government', 'convener', 'admin'],
  'screening.accept': STAFF,
  'screening.reject': STAFF,
  'screening.merge': STAFF,
  'screening.redirect': STAFF,
  'screening.escalate': STAFF,
  'research.complete': ['convener', 'member', 'admin'],
  'meeting.schedule': STAFF,
  'meeting.start': STAFF,
  'meeting.advance': STAFF,
  'meeting.record': STAFF,
  'measure.adopt': ['department', 'convener', 'admin'],
  'measure.decline': ['department', 'convener', 'admin'],
  'measure.progress': ['department', 'convener', 'admin'],
  'measure.implement': ['department', 'convener', 'admin'],
  'feedback.publish': ['convener', 'department', 'admin'],
  'rating.submit': ['resident', 'representative'],
  'evaluation.close': STAFF,
  'topic.withdraw': ['resident', 'representative', 'member', 'grid'],
};

/** The staff roles that see personal data joined into the log when the config says nothing. */
export const DEFAULT_PERSONAL_DATA_ROLES: readonly Role[] = ['convener', 'grid', 'admin'];

/** Roles allowed to raise a topic from each source (群众出题 is open to anyone allowed to submit). */
export const SOURCE_ROLES = {
  resident: null,
  member: ['member', 'admin'],
  government: ['government', 'convener', 'admin'],
  grid: ['grid', 'admin'],
  // 12345热线: a topic an Open311 client (a 311/12345 hotline system) raises, for anyone allowed to submit.
  open311: null,
} as const satisfies Record<string, readonly Role[] | null>;

export const DEFAULT_AGENDA: readonly AgendaStageId[] = ['briefing', 'deliberation', 'interaction', 'response'];
export const DEFAULT_FIVE_HAVES: readonly FiveHave[] = ['time', 'place', 'topic', 'measures', 'effect'];

export const DEFAULTS = {
  research: { minFindingsLength: 20 },
  meeting: { conveners: 2, maxRounds: 3, earlyStartMinutes: 60 },
  handling: { deadlineDays: 30 },
  feedback: { minLength: 10 },
  evaluation: { scale: 5, reopenThreshold: 3, windowDays: 14, minRatings: 1 },
} as const;

/** Who may rate when the evaluation step says nothing: whoever raised the topic. */
export const DEFAULT_RATERS = ['submitter'] as const;

/**
 * Hours an event's claimed `at` may lie before the server received it when the config says
 * nothing: three days, a weekend offline at a courtyard meeting and the trip back.
 */
export const DEFAULT_OFFLINE_GRACE_HOURS = 72;

/** Meeting formats offered when the meeting step lists none. */
export const DEFAULT_FORMATS = [
  { id: 'room', label: { 'zh-CN': '议事室协商', en: 'Consultation room session' } },
  { id: 'courtyard', label: { 'zh-CN': '院坝协商', en: 'Courtyard meeting' } },
  { id: 'stairwell', label: { 'zh-CN': '楼栋会', en: 'Stairwell meeting' } },
  { id: 'roaming', label: { 'zh-CN': '流动协商', en: 'Roaming consultation' } },
  { id: 'online', label: { 'zh-CN': '网上协商', en: 'Online consultation' } },
] as const;

/** Topic sources offered when the intake step lists none. */
export const DEFAULT_SOURCES = ['resident', 'member', 'government', 'grid'] as const;
