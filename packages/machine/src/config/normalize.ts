/**
 * Pass 4 of the checker, on its own: a config that passed every check, turned into the
 * normalized {@link WorkflowConfig} (every default applied). Kept apart from the checker so that a
 * browser given a config the city's consult-kit server already checked (its
 * `Consult-Config-Checked` header matches the bytes) builds the config without downloading the
 * schema and its validator (`acceptCheckedConfig`).
 */
import { normalizeNotifications } from '../notify/notify-config.js';
import type { NotificationsConfig } from '../notify/notify.types.js';
import {
  normalizeGrading,
  normalizePerformance,
  normalizeRooms,
  type WrittenGrading,
  type WrittenPerformance,
  type WrittenRooms,
} from '../rooms/rooms-defaults.js';
import { markChecked } from './checked.js';
import {
  EVENT_TYPES,
  type EvaluationStep,
  type EventType,
  type FeedbackStep,
  PERSONAL_TYPES,
  type FormField,
  type FormPage,
  type HandlingStep,
  type IntakeStep,
  type Level,
  type Locale,
  type MeetingStep,
  type PrivacyNotice,
  type ResearchStep,
  type ResidentAccess,
  type Role,
  type ScreeningStep,
  type Step,
  type StepsByType,
  type Transport,
  type WorkflowConfig,
} from './config.types.js';
import {
  DEFAULT_AGENDA,
  DEFAULT_FIVE_HAVES,
  DEFAULT_FORMATS,
  DEFAULT_OFFLINE_GRACE_HOURS,
  DEFAULT_PERMISSIONS,
  DEFAULT_PERSONAL_DATA_ROLES,
  DEFAULT_RATERS,
  DEFAULT_SOURCES,
  DEFAULTS,
} from './defaults.js';

/** Fields that always collect personal data. */
export { PERSONAL_TYPES };

/** `T` with the properties `K` optional: the shape a city writes before defaults apply. */
type Written<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

type RawStep =
  | Written<IntakeStep, 'sources' | 'anonymous'>
  | Written<ScreeningStep, 'channels' | 'escalation'>
  | Written<ResearchStep, 'minFindingsLength'>
  | Written<MeetingStep, 'formats' | 'agenda' | 'fiveHaves' | 'conveners' | 'maxRounds' | 'earlyStartMinutes'>
  | Written<HandlingStep, 'deadlineDays' | 'parties'>
  | Written<FeedbackStep, 'minLength'>
  | Written<EvaluationStep, 'scale' | 'reopenThreshold' | 'windowDays' | 'minRatings' | 'raters'>;

type RawField = Written<FormField, 'required' | 'personal'>;

/** The city's JSON once it has passed every check. */
export interface RawConfig {
  $schema?: string;
  id: string;
  version: string;
  title: WorkflowConfig['title'];
  description?: WorkflowConfig['description'];
  defaultLocale?: Locale;
  level: Level;
  steps: RawStep[];
  form: { pages: Array<Omit<FormPage, 'fields'> & { fields: RawField[] }> };
  permissions?: Partial<Record<EventType, Role[]>>;
  residentAccess?: ResidentAccess;
  personalDataRoles?: Role[];
  offlineGraceHours?: number;
  transport?: Transport;
  privacy?: PrivacyNotice;
  notifications?: Partial<NotificationsConfig>;
  rooms?: WrittenRooms;
  grading?: WrittenGrading;
  performance?: WrittenPerformance;
}

/**
 * Builds the normalized config. The raw tree is our own snapshot (never the caller's objects),
 * so its parts can be reused; defaults are copied so no one can change them through a config.
 */
export function normalize(raw: RawConfig): WorkflowConfig {
  const steps = raw.steps.map(normalizeStep);
  const config: WorkflowConfig = {
    id: raw.id,
    version: raw.version,
    title: raw.title,
    defaultLocale: raw.defaultLocale ?? 'zh-CN',
    level: raw.level,
    steps,
    step: Object.fromEntries(steps.map((s) => [s.type, s])) as unknown as StepsByType,
    form: { pages: raw.form.pages.map((page) => ({ ...page, fields: page.fields.map(normalizeField) })) },
    permissions: Object.fromEntries(EVENT_TYPES.map((e) => [e, [...(raw.permissions?.[e] ?? DEFAULT_PERMISSIONS[e])]])) as Record<EventType, Role[]>,
    residentAccess: raw.residentAccess ?? 'open',
    personalDataRoles: [...(raw.personalDataRoles ?? DEFAULT_PERSONAL_DATA_ROLES)],
    offlineGraceHours: raw.offlineGraceHours ?? DEFAULT_OFFLINE_GRACE_HOURS,
    transport: raw.transport ?? { type: 'local' },
    notifications: normalizeNotifications(raw.notifications),
    grading: normalizeGrading(raw.grading),
    performance: normalizePerformance(raw.performance),
  };
  if (raw.description) config.description = raw.description;
  if (raw.privacy) config.privacy = raw.privacy;
  if (raw.rooms) config.rooms = normalizeRooms(raw.rooms);
  return config;
}

function normalizeStep(step: RawStep): Step {
  switch (step.type) {
    case 'intake':
      return { ...step, sources: step.sources ?? DEFAULT_SOURCES.map((id) => ({ id })), anonymous: step.anonymous ?? false };
    case 'screening':
      return { ...step, channels: step.channels ?? [], escalation: step.escalation ?? { levels: [] } };
    case 'research':
      return { ...DEFAULTS.research, ...step };
    case 'meeting':
      return {
        ...DEFAULTS.meeting,
        ...step,
        formats: step.formats ?? DEFAULT_FORMATS.map((f) => ({ id: f.id, label: { ...f.label } })),
        agenda: step.agenda ?? DEFAULT_AGENDA.map((id) => ({ id })),
        fiveHaves: step.fiveHaves ?? [...DEFAULT_FIVE_HAVES],
      };
    case 'handling':
      return { ...DEFAULTS.handling, ...step, parties: step.parties ?? [] };
    case 'feedback':
      return { ...DEFAULTS.feedback, ...step };
    case 'evaluation':
      return { ...DEFAULTS.evaluation, ...step, raters: [...(step.raters ?? DEFAULT_RATERS)] };
  }
}

function normalizeField(field: RawField): FormField {
  return { ...field, required: field.required ?? false, personal: PERSONAL_TYPES.includes(field.type) || (field.personal ?? false) };
}

/**
 * The normalized config of JSON a consult-kit server says it checked (`Consult-Config-Checked`
 * matched the bytes received), without running the checker here. Only for that: anything else
 * goes through `parseWorkflowConfig`. Throws (a `TypeError`) when the JSON is not even shaped like
 * a config, so a caller can fall back to the checker.
 */
export function acceptCheckedConfig(json: unknown): WorkflowConfig {
  return markChecked(normalize(JSON.parse(JSON.stringify(json)) as RawConfig));
}
