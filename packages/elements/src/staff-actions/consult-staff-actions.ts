import { defineElement } from '../base/consult-element.js';
import { ConsultStaffActions } from './staff-actions.component.js';

defineElement('consult-staff-actions', ConsultStaffActions);

declare global {
  interface HTMLElementTagNameMap {
    'consult-staff-actions': ConsultStaffActions;
  }
}
