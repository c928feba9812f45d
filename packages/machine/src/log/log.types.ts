import type { EventActor, TopicEventBody } from '../consultation.types.js';

/**
 * One accepted event in a programme's log: the source of truth. A topic's state is its
 * entries replayed through the machine in `seq` order.
 */
export interface LogEntry {
  /** Client-generated unique id (also the `Idempotency-Key` when sent). */
  id: string;
  topicId: string;
  /** Position in the programme's log; assigned by the server (or the local store). */
  seq: number;
  /** The event without its envelope. */
  event: TopicEventBody;
  by: EventActor;
  /** When the sender says it happened (the device's clock, ISO 8601). */
  at: string;
  /**
   * When the city's server received it (ISO 8601, the server's clock), set by the server on
   * append; absent in local mode and on entries stored before the server recorded it. Rules that
   * depend on time count an event at its claimed `at` only within the config's
   * `offlineGraceHours` before this (see `effectiveTime`).
   */
  receivedAt?: string;
  /**
   * JSON Pointers (into this entry) of the personal values taken out of it: in their place the
   * entry holds the marker `{ "redacted": true }` (for `/by/name`, the name is left out). Absent
   * when the entry holds everything it was sent with. See `redactEntry`.
   */
  redacted?: string[];
}

/** Why an event was refused: which event, in which state, and the rule it broke. */
export interface EventRefusal {
  /** Stable code: `not-in-state`, `topic-closed`, `unknown-topic`, or a rule's code (`five-haves`, `role-not-permitted`…). */
  code: string;
  message: string;
  eventType: string;
  topicId: string;
  /** The topic's state when the event came, dotted (`meeting.inSession.briefing`); `none` for a topic not yet raised. */
  state: string;
  /** The event types the topic's state takes (before guards). */
  accepts: string[];
  /** The payload property at fault, when there is one. */
  field?: string;
  /** The log entry refused, when the event came from a log. */
  entryId?: string;
}

/** Thrown by `replayStrict` at the first entry the lifecycle does not allow. */
export class EventRefusedError extends Error {
  readonly refusal: EventRefusal;
  constructor(refusal: EventRefusal) {
    super(`${refusal.eventType} refused for topic ${refusal.topicId} in state ${refusal.state}: ${refusal.message}`);
    this.name = 'EventRefusedError';
    this.refusal = refusal;
  }
}
