import { defineElement } from '../base/consult-element.js';
import { ConsultMeetingTimeline } from './meeting-timeline.component.js';

defineElement('consult-meeting-timeline', ConsultMeetingTimeline);

declare global {
  interface HTMLElementTagNameMap {
    'consult-meeting-timeline': ConsultMeetingTimeline;
  }
}
