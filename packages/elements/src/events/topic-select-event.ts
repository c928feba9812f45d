/**
 * `consult-topic-select`: a person asked to see one topic (its timeline), e.g. from a row of
 * `<consult-outcome-tracker>`. Bubbling, composed and cancelable: a portal that routes by itself
 * calls `preventDefault()` and the element's link (when it renders one) does not navigate.
 */
export interface ConsultTopicSelectDetail {
  topicId: string;
  /** The measure the person came from, when there is one. */
  measureId?: string;
}

/** A person chose a topic to follow (open its timeline). */
export class ConsultTopicSelectEvent extends CustomEvent<ConsultTopicSelectDetail> {
  static readonly eventName = 'consult-topic-select';
  constructor(detail: ConsultTopicSelectDetail) {
    super(ConsultTopicSelectEvent.eventName, { detail, bubbles: true, composed: true, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'consult-topic-select': ConsultTopicSelectEvent;
  }
}
