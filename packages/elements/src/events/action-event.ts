/**
 * `consult-action`: a staff action (or a resident's rating) was accepted by the lifecycle and
 * saved by the store — on this device at least; with the http transport it is sent later.
 * Bubbling and composed, so a portal can listen on any ancestor.
 */
import type { EventType, LogEntry } from '@consult-kit/machine/core';

export interface ConsultActionDetail {
  topicId: string;
  /** The machine event sent: `screening.accept`, `meeting.record`, `rating.submit`… */
  type: EventType;
  /** The log entry as saved (its `id` is the reference and the `Idempotency-Key`). */
  entry: Omit<LogEntry, 'seq'> & { seq?: number };
  /** Where it was saved: `indexeddb`, or `memory` when this device cannot keep data. */
  savedOn: 'indexeddb' | 'memory';
}

/** An action moved a topic on (or was counted, for a rating) and is in the store. */
export class ConsultActionEvent extends CustomEvent<ConsultActionDetail> {
  static readonly eventName = 'consult-action';
  constructor(detail: ConsultActionDetail) {
    super(ConsultActionEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'consult-action': ConsultActionEvent;
  }
}
