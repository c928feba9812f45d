import { defineElement } from '../base/consult-element.js';
import { ConsultWorkflow } from './workflow.component.js';
// The views it shows: registering the workflow registers them too.
import '../topic-form/consult-topic-form.js';
import '../star-rating/consult-star-rating.js';
import '../meeting-timeline/consult-meeting-timeline.js';
import '../outcome-tracker/consult-outcome-tracker.js';
import '../programme-figures/consult-programme-figures.js';
import '../staff-actions/consult-staff-actions.js';
import '../my-topics/consult-my-topics.js';
import '../outcomes-board/consult-outcomes-board.js';

defineElement('consult-workflow', ConsultWorkflow);

declare global {
  interface HTMLElementTagNameMap {
    'consult-workflow': ConsultWorkflow;
  }
}
