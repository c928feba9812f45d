import type {
  AgendaStageId,
  FiveHave,
  Level,
  Role,
  SourceId,
  WorkflowConfig,
} from './config/config.types.js';

/** Who sent an event. `id` is absent for anonymous residents. */
export interface EventActor {
  role: Role;
  id?: string;
  name?: string;
}

/** Every event carries who sent it and when (ISO 8601). */
interface EventBase {
  by: EventActor;
  /** When the sender says it happened (the device's clock). */
  at: string;
  /**
   * When the city's server received it (the server's clock), from the log entry; absent in
   * local mode and for entries stored before the server recorded it. Rules that depend on time
   * use `effectiveTime(at, receivedAt, config.offlineGraceHours)`.
   */
  receivedAt?: string;
}

/** A person taking part in a meeting. */
export interface Participant {
  name: string;
  role: Role;
  id?: string;
  organisation?: string;
  /** A resident participant who chose to be named in the shareable log (officials always are). */
  named?: boolean;
}

/** A measure as the meeting record states it. */
export interface MeasureInput {
  /** Optional stable id; generated as `m<round>-<n>` when absent. */
  id?: string;
  text: string;
  /** The responsible party (a department, company, the community…). */
  party: string;
  /** Deadline (YYYY-MM-DD or ISO); defaults to the record time + the handling step's `deadlineDays`. */
  due?: string;
  /** The `id` of the meeting's convener or participant who suggested it (counted in their performance file). */
  proposedBy?: string;
}

export type Consensus = 'full' | 'partial' | 'none';

export interface TopicSubmitEvent extends EventBase {
  type: 'topic.submit';
  /** The intake form's values by field name. */
  values: Record<string, unknown>;
  source: SourceId;
  /** The level the topic is raised at; defaults to the programme's level. */
  level?: Level;
  /** Submitted without anything that identifies the person. */
  anonymous?: boolean;
  /**
   * The room (`rooms.list[].id`) it is raised in, e.g. from the room's QR code (码上议). Absent:
   * the room of the topic's level that handles its category, or the only room at that level.
   */
  room?: string;
}
export interface ScreeningAcceptEvent extends EventBase {
  type: 'screening.accept';
}
export interface ScreeningRejectEvent extends EventBase {
  type: 'screening.reject';
  reason: string;
}
export interface ScreeningMergeEvent extends EventBase {
  type: 'screening.merge';
  into: string;
}
export interface ScreeningRedirectEvent extends EventBase {
  type: 'screening.redirect';
  channel: string;
  reason?: string;
}
export interface ScreeningEscalateEvent extends EventBase {
  type: 'screening.escalate';
  level: Level;
  reason?: string;
}
export interface ResearchCompleteEvent extends EventBase {
  type: 'research.complete';
  findings: string;
}
export interface MeetingScheduleEvent extends EventBase {
  type: 'meeting.schedule';
  format: string;
  /** ISO date-time the meeting starts. */
  start: string;
  place: string;
  conveners: Participant[];
  participants: Participant[];
}
export interface MeetingStartEvent extends EventBase {
  type: 'meeting.start';
}
export interface MeetingAdvanceEvent extends EventBase {
  type: 'meeting.advance';
}
/** The meeting record: the five haves (时间、地点、主题、措施、效果) and the consensus reached. */
export interface MeetingRecordEvent extends EventBase {
  type: 'meeting.record';
  time: string;
  place: string;
  topic: string;
  measures: MeasureInput[];
  effect: string;
  consensus: Consensus;
}
export interface MeasureAdoptEvent extends EventBase {
  type: 'measure.adopt';
  measureId: string;
}
export interface MeasureDeclineEvent extends EventBase {
  type: 'measure.decline';
  measureId: string;
  reason: string;
}
export interface MeasureProgressEvent extends EventBase {
  type: 'measure.progress';
  measureId: string;
  note: string;
}
export interface MeasureImplementEvent extends EventBase {
  type: 'measure.implement';
  measureId: string;
  result: string;
}
export interface FeedbackPublishEvent extends EventBase {
  type: 'feedback.publish';
  text: string;
}
export interface RatingSubmitEvent extends EventBase {
  type: 'rating.submit';
  stars: number;
  comment?: string;
}
export interface EvaluationCloseEvent extends EventBase {
  type: 'evaluation.close';
}
/** The resident who raised a topic takes it back while it is still being screened. */
export interface TopicWithdrawEvent extends EventBase {
  type: 'topic.withdraw';
  reason?: string;
}

/** The event vocabulary of one topic (the public contract of the machine). */
export type TopicEvent =
  | TopicSubmitEvent
  | ScreeningAcceptEvent
  | ScreeningRejectEvent
  | ScreeningMergeEvent
  | ScreeningRedirectEvent
  | ScreeningEscalateEvent
  | ResearchCompleteEvent
  | MeetingScheduleEvent
  | MeetingStartEvent
  | MeetingAdvanceEvent
  | MeetingRecordEvent
  | MeasureAdoptEvent
  | MeasureDeclineEvent
  | MeasureProgressEvent
  | MeasureImplementEvent
  | FeedbackPublishEvent
  | RatingSubmitEvent
  | EvaluationCloseEvent
  | TopicWithdrawEvent;

/** A topic event addressed to the programme, which routes it to the topic's actor. */
export type ProgrammeEvent = TopicEvent & { topicId: string };

/** A topic event without its envelope (`by`, `at`, `receivedAt`), as stored in a log entry. */
export type TopicEventBody = TopicEvent extends infer E ? (E extends TopicEvent ? Omit<E, 'by' | 'at' | 'receivedAt'> : never) : never;

export type MeasureStatus = 'proposed' | 'adopted' | 'declined' | 'inProgress' | 'implemented';

export interface MeasureNote {
  text: string;
  at: string;
  by: EventActor;
}

export interface Measure {
  id: string;
  text: string;
  party: string;
  /** Deadline, ISO date or date-time. */
  due: string;
  round: number;
  status: MeasureStatus;
  reason?: string;
  result?: string;
  notes: MeasureNote[];
  adoptedAt?: string;
  declinedAt?: string;
  implementedAt?: string;
  /** How many times a poor rating sent this measure back. */
  reopened: number;
  /** Who suggested it at the meeting (a convener's or participant's `id`). */
  proposedBy?: string;
}

export interface MeetingRecord {
  time: string;
  place: string;
  topic: string;
  effect: string;
  consensus: Consensus;
  measureIds: string[];
  at: string;
  by: EventActor;
}

export interface Meeting {
  round: number;
  format: string;
  start: string;
  place: string;
  conveners: Participant[];
  participants: Participant[];
  scheduledAt: string;
  startedAt?: string;
  /** When each agenda stage began. */
  stages: Array<{ id: AgendaStageId; at: string }>;
  /** How many times this round was rescheduled before it started (absent: never); a calendar invite's SEQUENCE. */
  moves?: number;
  record?: MeetingRecord;
}

export interface Rating {
  stars: number;
  comment?: string;
  /** When it counted (its effective time). */
  at: string;
  by: EventActor;
}

export interface EvaluationRound {
  openedAt: string;
  closedAt?: string;
  ratings: Rating[];
  /** Average stars when closed; null when nobody rated. */
  average?: number | null;
  reopened?: boolean;
}

export interface ScreeningOutcome {
  decision: 'accepted' | 'rejected' | 'merged' | 'redirected';
  at: string;
  by: EventActor;
  reason?: string;
  into?: string;
  channel?: string;
}

export interface Escalation {
  from: Level;
  to: Level;
  /** The room it left and the room it moved to (the parent room at the new level), when the programme has rooms. */
  fromRoom?: string;
  toRoom?: string;
  at: string;
  by: EventActor;
  reason?: string;
}

/**
 * Everything one topic's machine knows; rebuilt exactly by replaying its log. Its times are the
 * events' effective times (`effectiveTime`): the claimed `at` unless the server received the
 * event outside the config's offline grace; the log keeps both.
 */
export interface TopicContext {
  config: WorkflowConfig;
  topicId: string;
  title: string;
  description: string;
  values: Record<string, unknown>;
  source?: SourceId;
  level: Level;
  /** The room (`rooms.list[].id`) the topic is in now; escalation moves it to the parent room. Absent: no room. */
  room?: string;
  anonymous: boolean;
  submittedAt?: string;
  submittedBy?: EventActor;
  screening?: ScreeningOutcome;
  /** Set when the resident withdrew the topic during screening. */
  withdrawal?: { at: string; by: EventActor; reason?: string };
  escalations: Escalation[];
  research?: { findings: string; at: string; by: EventActor };
  /** Meetings in order; the last one is the current round. */
  meetings: Meeting[];
  measures: Measure[];
  feedback: Array<{ text: string; at: string; by: EventActor }>;
  evaluations: EvaluationRound[];
  /** Time of the last accepted event. */
  updatedAt?: string;
  closedAt?: string;
}

export interface TopicInput {
  config: WorkflowConfig;
  topicId: string;
}

export type { AgendaStageId, FiveHave };
