import { defineElement } from '../base/consult-element.js';
import { ConsultMeetingRecord } from './meeting-record.component.js';

defineElement('consult-meeting-record', ConsultMeetingRecord);

declare global {
  interface HTMLElementTagNameMap {
    'consult-meeting-record': ConsultMeetingRecord;
  }
}
