/**
 * @consult-kit/machine — the consultation engine: a city's workflow JSON, checked and turned
 * into an XState statechart; every topic's state is its event log replayed.
 */
export * from './config/config.types.js';
export { isCheckedConfig, parseWorkflowConfig } from './config/parse-config.js';
export { evaluateCondition, conditionFields } from './config/condition.js';
export {
  DEFAULT_PERMISSIONS,
  DEFAULT_PERSONAL_DATA_ROLES,
  DEFAULTS,
  DEFAULT_FORMATS,
  DEFAULT_OFFLINE_GRACE_HOURS,
  DEFAULT_RATERS,
  DEFAULT_SOURCES,
  SOURCE_ROLES,
} from './config/defaults.js';
export type * from './consultation.types.js';
export { createTopicMachine, type TopicMachine, type TopicSnapshot } from './topic.machine.js';
export {
  createConsultationMachine,
  startProgramme,
  toConfig,
  WorkflowConfigError,
  type ConsultationMachine,
  type ProgrammeActorRef,
  type ProgrammeContext,
  type ProgrammeEmitted,
  type ProgrammeSnapshot,
  type StartOptions,
  type TopicActorRef,
} from './consultation.machine.js';
export * from './log/log.types.js';
export { REDACTED, isRedacted, joinPersonal, personalFieldNames, redactEntry, type PersonalValues, type Redacted } from './log/redact.js';
export {
  acceptedEvents,
  applyEntry,
  applyEvent,
  explainRefusal,
  newTopic,
  replay,
  replayStrict,
  stateName,
  toEvent,
  topicMachineFor,
  type ApplyResult,
  type ReplayResult,
} from './log/replay.js';
export {
  checkEvent,
  checkIntakeValues,
  allMeasuresSettled,
  eventTime,
  isParticipant,
  isSystemActor,
  mayRate,
  openEvaluation,
  ratingWindowEnd,
  ratingKind,
  RATING_KINDS,
  type RatingKind,
  type RuleViolation,
} from './rules/topic-rules.js';
export * from './consultation.selectors.js';
export { categoryField, openDueMs, searchText, summarizeTopic, withOverdue, type MeasureSummary, type TopicSummary } from './topic-summary.js';
export { guardName, lifecycleDiagram } from './diagram.js';
export { STATE_LABELS, EVENT_LABELS, stateLabel } from './labels.js';
export { addDays, CLOCK_SKEW_MS, effectiveTime, isIsoTime, isPast, toMillis } from './time.js';
export * from './notify/notify.types.js';
export { DEFAULT_NOTICES, noticeRule } from './notify/notify-defaults.js';
export { noticesForEntry, noticesForTimer, renderNotice, topicTimers } from './notify/notices.js';
export { checkNotifications, normalizeNotifications } from './notify/notify-config.js';
export { fillTemplate, parseTemplate, templateVariables, type ParsedTemplate } from './notify/template.js';
