import { defineElement } from '../base/consult-element.js';
import { ConsultWorkflow } from './workflow.component.js';
// The views it shows are defined with it: the form at once (workflow.component.ts imports it),
// every other view the first time it is shown (`defineView`), so the first view downloads only
// what it shows.

defineElement('consult-workflow', ConsultWorkflow);

declare global {
  interface HTMLElementTagNameMap {
    'consult-workflow': ConsultWorkflow;
  }
}
