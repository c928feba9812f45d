/**
 * The engine without the config checker (its JSON Schema, validator and rules): what a browser
 * needs to run a config that is already checked (`parseWorkflowConfig`'s output, or a server's
 * checked config through `acceptCheckedConfig`). `@consult-kit/machine` is this and the checker;
 * `@consult-kit/machine/checker` loads the checker on its own (e.g. with `import()`).
 */
export * from './config/config.types.js';
export * from './rooms/rooms.types.js';
export { intakeUrlFor, roomById, roomForEscalation, roomForTopic, roomsAt } from './rooms/rooms.js';
export { dateOf, periodOf, periodsBetween, rangePeriod } from './rooms/periods.js';
export { gradeRoom, selectRoomFigures, selectRoomGrades } from './rooms/figures.js';
export { selectPerformanceFiles } from './rooms/performance.js';
export { selectTrends } from './rooms/trends.js';
export { DEFAULT_GRADING, DEFAULT_INTAKE_URL, DEFAULT_PERFORMANCE, DEFAULT_ROOM_CONVENERS, INTAKE_URL_PLACEHOLDERS } from './rooms/rooms-defaults.js';
export { hasChecker, isCheckedConfig, markChecked } from './config/checked.js';
export { acceptCheckedConfig } from './config/normalize.js';
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
export { guardName, lifecycleDiagram, lifecycleGraph, type LifecycleEdge, type LifecycleGraph, type LifecycleNode } from './diagram.js';
export { STATE_LABELS, EVENT_LABELS, GUARD_LABELS, stateLabel } from './labels.js';
export { addDays, CLOCK_SKEW_MS, effectiveTime, isIsoTime, isPast, toMillis } from './time.js';
export * from './notify/notify.types.js';
export { DEFAULT_NOTICES, noticeRule } from './notify/notify-defaults.js';
export { noticesForEntry, noticesForTimer, renderNotice, topicTimers } from './notify/notices.js';
export { checkNotifications, normalizeNotifications } from './notify/notify-config.js';
export { fillTemplate, parseTemplate, templateVariables, type ParsedTemplate } from './notify/template.js';
