/**
 * One class per `consult-*` DOM event, each with a typed `detail`. All bubble and are composed,
 * so a portal can listen on any ancestor, even across shadow roots.
 */
import type { EventRefusal, LogEntry } from '@consult-kit/machine/core';

const init = <T>(detail: T): CustomEventInit<T> => ({ detail, bubbles: true, composed: true });

export interface ConsultSubmitDetail {
  topicId: string;
  /** The topic's title as the person typed it (the answer to the field with `"role": "title"`). */
  title: string;
  /** The log entry as saved on this device (not a reference for people: that is the topic's follow code, from the server). */
  entry: Omit<LogEntry, 'seq'>;
  /** Where it was saved: `indexeddb`, or `memory` when this device cannot keep data. */
  savedOn: 'indexeddb' | 'memory';
}

/** A topic was submitted and saved (on this device; sending may follow). */
export class ConsultSubmitEvent extends CustomEvent<ConsultSubmitDetail> {
  static readonly eventName = 'consult-submit';
  constructor(detail: ConsultSubmitDetail) {
    super(ConsultSubmitEvent.eventName, init(detail));
  }
}

export interface ConsultStepChangeDetail {
  /** Zero-based page index now shown. */
  page: number;
  pages: number;
}

/** The intake form moved to another page. */
export class ConsultStepChangeEvent extends CustomEvent<ConsultStepChangeDetail> {
  static readonly eventName = 'consult-step-change';
  constructor(detail: ConsultStepChangeDetail) {
    super(ConsultStepChangeEvent.eventName, init(detail));
  }
}

export interface ConsultDraftRestoreDetail {
  key: string;
  savedAt: string;
}

/** A saved draft was restored into the form. */
export class ConsultDraftRestoreEvent extends CustomEvent<ConsultDraftRestoreDetail> {
  static readonly eventName = 'consult-draft-restore';
  constructor(detail: ConsultDraftRestoreDetail) {
    super(ConsultDraftRestoreEvent.eventName, init(detail));
  }
}

export interface ConsultRefusedDetail {
  refusal: EventRefusal;
}

/** The lifecycle refused what the person tried to do (shown in the element too). */
export class ConsultRefusedEvent extends CustomEvent<ConsultRefusedDetail> {
  static readonly eventName = 'consult-refused';
  constructor(detail: ConsultRefusedDetail) {
    super(ConsultRefusedEvent.eventName, init(detail));
  }
}

export interface ConsultErrorDetail {
  /** A sentence for people (in the element's language). */
  message: string;
  /** A stable code: `config-invalid`, `load-failed`, `render-failed`, `storage`… */
  code: string;
  /** The underlying error, for developers; never shown as markup. */
  error?: unknown;
}

/** Something failed inside a consult-kit element; it never throws into the host page. */
export class ConsultErrorEvent extends CustomEvent<ConsultErrorDetail> {
  static readonly eventName = 'consult-error';
  constructor(detail: ConsultErrorDetail) {
    super(ConsultErrorEvent.eventName, init(detail));
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'consult-submit': ConsultSubmitEvent;
    'consult-step-change': ConsultStepChangeEvent;
    'consult-draft-restore': ConsultDraftRestoreEvent;
    'consult-refused': ConsultRefusedEvent;
    'consult-error': ConsultErrorEvent;
  }
}
