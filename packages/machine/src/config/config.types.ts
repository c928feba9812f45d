import type { NotificationsConfig } from '../notify/notify.types.js';
import type { GradingConfig, PerformanceConfig, RoomsConfig } from '../rooms/rooms.types.js';
import type { Level, Locale, LocalizedText, Role, SourceId } from './vocabulary.js';

export type { Level, Locale, LocalizedText, Role, SourceId } from './vocabulary.js';

/**
 * Types of a workflow configuration after {@link parseWorkflowConfig} has checked it
 * and applied every default. The JSON shape a city writes is `workflow.schema.json`.
 */

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/** Rank of each level: escalation moves a topic to a higher rank. Sector groups sit beside the district. */
export const LEVEL_RANK: Readonly<Record<Level, number>> = {
  village: 0,
  community: 0,
  town: 1,
  street: 1,
  park: 1,
  district: 2,
  county: 2,
  sector: 2,
  city: 3,
};

export const ROLES: readonly Role[] = [
  'resident',
  'representative',
  'member',
  'convener',
  'department',
  'stakeholder',
  'expert',
  'notable',
  'grid',
  'government',
  'admin',
];

export type StepType = 'intake' | 'screening' | 'research' | 'meeting' | 'handling' | 'feedback' | 'evaluation';

/** The only order steps may come in; a city may leave out the optional ones. */
export const STEP_ORDER: readonly StepType[] = [
  'intake',
  'screening',
  'research',
  'meeting',
  'handling',
  'feedback',
  'evaluation',
];
export const REQUIRED_STEPS: readonly StepType[] = ['intake', 'meeting', 'handling'];

/** Where a topic may come from (the intake step's `sources`). */
export const SOURCE_IDS: readonly SourceId[] = ['resident', 'member', 'government', 'grid', 'open311'];
export type AgendaStageId = 'briefing' | 'deliberation' | 'interaction' | 'response';
export const AGENDA_STAGES: readonly AgendaStageId[] = ['briefing', 'deliberation', 'interaction', 'response'];
export type FiveHave = 'time' | 'place' | 'topic' | 'measures' | 'effect';
export const FIVE_HAVES: readonly FiveHave[] = ['time', 'place', 'topic', 'measures', 'effect'];

export type EventType =
  | 'topic.submit'
  | 'screening.accept'
  | 'screening.reject'
  | 'screening.merge'
  | 'screening.redirect'
  | 'screening.escalate'
  | 'research.complete'
  | 'meeting.schedule'
  | 'meeting.start'
  | 'meeting.advance'
  | 'meeting.record'
  | 'measure.adopt'
  | 'measure.decline'
  | 'measure.progress'
  | 'measure.implement'
  | 'feedback.publish'
  | 'rating.submit'
  | 'evaluation.close'
  | 'topic.withdraw';

export const EVENT_TYPES: readonly EventType[] = [
  'topic.submit',
  'screening.accept',
  'screening.reject',
  'screening.merge',
  'screening.redirect',
  'screening.escalate',
  'research.complete',
  'meeting.schedule',
  'meeting.start',
  'meeting.advance',
  'meeting.record',
  'measure.adopt',
  'measure.decline',
  'measure.progress',
  'measure.implement',
  'feedback.publish',
  'rating.submit',
  'evaluation.close',
  'topic.withdraw',
];

/** Condition on intake answers (`visibleWhen`, a channel's `when`). */
export type Condition =
  | { field: string; equals: string | number | boolean }
  | { field: string; in: ReadonlyArray<string | number | boolean> }
  | { field: string; filled: boolean }
  | { all: readonly Condition[] }
  | { any: readonly Condition[] }
  | { not: Condition };

export type FieldType =
  | 'text'
  | 'textarea'
  | 'number'
  | 'select'
  | 'radio'
  | 'checkbox'
  | 'date'
  | 'tel'
  | 'email'
  | 'location'
  | 'file'
  | 'consent';

/** Every field type this version knows, in the schema's order. A config from a newer version may name others. */
export const FIELD_TYPES: readonly FieldType[] = ['text', 'textarea', 'number', 'select', 'radio', 'checkbox', 'date', 'tel', 'email', 'location', 'file', 'consent'];
/** Field types that take `minLength`, `maxLength` and `pattern`. */
export const TEXT_TYPES: readonly FieldType[] = ['text', 'textarea', 'tel', 'email'];
/** Field types that take `options`. */
export const CHOICE_TYPES: readonly FieldType[] = ['select', 'radio', 'checkbox'];
/** Field types that always collect personal data (`personal` is true whatever the config says). */
export const PERSONAL_TYPES: readonly FieldType[] = ['tel', 'email', 'location'];
/** Field types that may carry `role: "title"` or `role: "description"`. */
export const ROLE_TYPES: readonly FieldType[] = ['text', 'textarea'];
/**
 * The type-specific field properties, each with the field types it applies to (on any other
 * type the checker reports it as `not-applicable`).
 */
export const FIELD_PROPERTY_TYPES: ReadonlyArray<readonly [string, readonly FieldType[]]> = [
  ['min', ['number', 'date']],
  ['max', ['number', 'date']],
  ['minLength', TEXT_TYPES],
  ['maxLength', TEXT_TYPES],
  ['pattern', TEXT_TYPES],
  ['options', CHOICE_TYPES],
  ['accept', ['file']],
  ['maxSize', ['file']],
  ['maxFiles', ['file']],
];

export interface FieldOption {
  value: string;
  label: LocalizedText;
}

export interface FormField {
  name: string;
  type: FieldType;
  label: LocalizedText;
  hint?: LocalizedText;
  required: boolean;
  /** Normalized: true for tel, email and location, else as configured (default false). */
  personal: boolean;
  role?: 'title' | 'description';
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  options?: FieldOption[];
  accept?: string[];
  maxSize?: number;
  maxFiles?: number;
  visibleWhen?: Condition;
}

export interface FormPage {
  id: string;
  title: LocalizedText;
  description?: LocalizedText;
  fields: FormField[];
}

export interface IntakeStep {
  type: 'intake';
  label?: LocalizedText;
  sources: Array<{ id: SourceId; label?: LocalizedText }>;
  anonymous: boolean;
}

export interface Channel {
  id: string;
  label: LocalizedText;
  description?: LocalizedText;
  url: string;
  when?: Condition;
}

export interface ScreeningStep {
  type: 'screening';
  label?: LocalizedText;
  channels: Channel[];
  escalation: { levels: Level[] };
}

export interface ResearchStep {
  type: 'research';
  label?: LocalizedText;
  minFindingsLength: number;
}

export interface MeetingStep {
  type: 'meeting';
  label?: LocalizedText;
  formats: Array<{ id: string; label: LocalizedText }>;
  agenda: Array<{ id: AgendaStageId; label?: LocalizedText }>;
  fiveHaves: FiveHave[];
  conveners: number;
  maxRounds: number;
  /**
   * How many minutes before its scheduled start a meeting may be started (default 60); earlier,
   * `meeting.start` is refused (`meeting-not-yet`) until the meeting is rescheduled.
   */
  earlyStartMinutes: number;
}

export interface HandlingStep {
  type: 'handling';
  label?: LocalizedText;
  deadlineDays: number;
  parties: Array<{ id: string; label: LocalizedText }>;
}

export interface FeedbackStep {
  type: 'feedback';
  label?: LocalizedText;
  minLength: number;
}

/**
 * Who may rate a topic's outcome: `submitter` (whoever raised it: the `by.id` of its
 * `topic.submit`, or the holder of its follow code), `community` (residents the host portal
 * verified: `by.id` starts with `portal:`), `participants` (people listed with an `id` among a
 * meeting's conveners or participants).
 */
export type RaterKind = 'submitter' | 'community' | 'participants';
export const RATER_KINDS: readonly RaterKind[] = ['submitter', 'community', 'participants'];

export interface EvaluationStep {
  type: 'evaluation';
  label?: LocalizedText;
  scale: number;
  starLabels?: LocalizedText[];
  reopenThreshold: number;
  windowDays: number;
  minRatings: number;
  /** Who may rate (default `["submitter"]`); each person once per evaluation round. */
  raters: RaterKind[];
}

export type Step = IntakeStep | ScreeningStep | ResearchStep | MeetingStep | HandlingStep | FeedbackStep | EvaluationStep;

export interface StepsByType {
  intake: IntakeStep;
  screening?: ScreeningStep;
  research?: ResearchStep;
  meeting: MeetingStep;
  handling: HandlingStep;
  feedback?: FeedbackStep;
  evaluation?: EvaluationStep;
}

export type Transport = { type: 'local' } | { type: 'http'; endpoint: string };

/**
 * Whether residents' own events (`topic.submit`, `rating.submit`) reach the city's backend
 * without a token (`open`) or only with one (`token`). Staff events always need a token.
 */
export type ResidentAccess = 'open' | 'token';

export interface PrivacyNotice {
  controller: LocalizedText;
  purpose: LocalizedText;
  retention: LocalizedText;
  contact: string;
  url?: string;
}

/** A checked configuration with every default applied. */
export interface WorkflowConfig {
  id: string;
  version: string;
  title: LocalizedText;
  description?: LocalizedText;
  defaultLocale: Locale;
  level: Level;
  /** The enabled steps, in lifecycle order. */
  steps: Step[];
  /** The same steps by type, for quick lookup; a disabled step is absent. */
  step: StepsByType;
  form: { pages: FormPage[] };
  /** Every event type with the roles that may send it (defaults merged with the city's). */
  permissions: Record<EventType, Role[]>;
  /** Whether the backend takes residents' events without a token (default `open`). */
  residentAccess: ResidentAccess;
  /**
   * The staff roles that see personal data (the form's personal answers, residents' names)
   * joined into the log; everyone else gets the redacted log. Default `convener`, `grid`, `admin`.
   */
  personalDataRoles: Role[];
  /**
   * How many hours before the server received an event its claimed `at` may lie and still
   * count (an offline device's queue); default 72. See `effectiveTime`.
   */
  offlineGraceHours: number;
  transport: Transport;
  privacy?: PrivacyNotice;
  /** Who is told what, when (notify/notify.types.ts); defaults when the city wrote none. */
  notifications: NotificationsConfig;
  /** The programme's consultation rooms (协商议事室); absent when the city lists none. */
  rooms?: RoomsConfig;
  /** How rooms are graded by stars (星级评定); the default rubric when the city wrote none. */
  grading: GradingConfig;
  /** The yearly targets of members' performance files (履职档案, "五个一"); defaults when the city wrote none. */
  performance: PerformanceConfig;
}

/** One fault in a configuration, located by an RFC 6901 JSON Pointer into the city's JSON. */
export interface ConfigError {
  /** JSON Pointer of the offending node ("" is the whole document). */
  pointer: string;
  /** Stable machine-readable code, e.g. `required`, `type`, `duplicate-field-name`. */
  code: string;
  /** A sentence a city developer can act on. */
  message: string;
  expected?: string;
  got?: string;
  hint?: string;
}

export type ParseResult = { ok: true; config: WorkflowConfig } | { ok: false; errors: ConfigError[] };
