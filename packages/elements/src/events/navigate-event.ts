/** `consult-navigate`: `<consult-workflow>` moved to another view or topic (a portal's router may follow it). */
export interface ConsultNavigateDetail {
  view: string;
  topic: string | undefined;
}

export class ConsultNavigateEvent extends CustomEvent<ConsultNavigateDetail> {
  static readonly eventName = 'consult-navigate';
  constructor(detail: ConsultNavigateDetail) {
    super(ConsultNavigateEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'consult-navigate': ConsultNavigateEvent;
  }
}
