/**
 * `consult-room-select`: a person chose a consultation room in `<consult-room>`'s list. Bubbling,
 * composed and cancelable: a portal that routes by itself calls `preventDefault()`, and then the
 * room's link (with `room-href`) does not navigate and the list does not open the room in place.
 */
export interface ConsultRoomSelectDetail {
  /** The room's id (`rooms.list[].id`). */
  room: string;
}

/** A person chose a consultation room to see. */
export class ConsultRoomSelectEvent extends CustomEvent<ConsultRoomSelectDetail> {
  static readonly eventName = 'consult-room-select';
  constructor(detail: ConsultRoomSelectDetail) {
    super(ConsultRoomSelectEvent.eventName, { detail, bubbles: true, composed: true, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'consult-room-select': ConsultRoomSelectEvent;
  }
}
