import { defineElement } from '../base/consult-element.js';
import { ConsultWorkflow } from './workflow.component.js';
// The views it shows: registering the workflow registers them too.
import '../topic-form/consult-topic-form.js';
import '../star-rating/consult-star-rating.js';
import '../meeting-timeline/consult-meeting-timeline.js';

defineElement('consult-workflow', ConsultWorkflow);

declare global {
  interface HTMLElementTagNameMap {
    'consult-workflow': ConsultWorkflow;
  }
}
