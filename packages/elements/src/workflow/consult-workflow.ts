import { defineElement } from '../base/consult-element.js';
import { ConsultWorkflow } from './workflow.component.js';

defineElement('consult-workflow', ConsultWorkflow);

declare global {
  interface HTMLElementTagNameMap {
    'consult-workflow': ConsultWorkflow;
  }
}
