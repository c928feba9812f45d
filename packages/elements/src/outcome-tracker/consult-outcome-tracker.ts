import { defineElement } from '../base/consult-element.js';
import { ConsultOutcomeTracker } from './outcome-tracker.component.js';

defineElement('consult-outcome-tracker', ConsultOutcomeTracker);

declare global {
  interface HTMLElementTagNameMap {
    'consult-outcome-tracker': ConsultOutcomeTracker;
  }
}
