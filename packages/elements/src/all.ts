/** Registers every consult-kit element (guarded: a second copy never throws). */
import './workflow/consult-workflow.js';
import './star-rating/consult-star-rating.js';
import './topic-form/consult-topic-form.js';
import './meeting-timeline/consult-meeting-timeline.js';
import './outcome-tracker/consult-outcome-tracker.js';
import './programme-figures/consult-programme-figures.js';
import './staff-actions/consult-staff-actions.js';
import './my-topics/consult-my-topics.js';
import './outcomes-board/consult-outcomes-board.js';
import './sign-in/consult-sign-in.js';
import './overdue-list/consult-overdue-list.js';
