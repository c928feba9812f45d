import { defineElement } from '../base/consult-element.js';
import { ConsultRoomReport } from './room-report.component.js';

defineElement('consult-room-report', ConsultRoomReport);

declare global {
  interface HTMLElementTagNameMap {
    'consult-room-report': ConsultRoomReport;
  }
}
