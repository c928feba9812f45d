/** Messages of <consult-outcome-tracker> and <consult-programme-figures>. */
import { defineMessages } from './define-messages.js';

export const trackerMessages = defineMessages(
  {
    'tracker.title': 'Outcomes and how they are handled',
  },
  {
    'tracker.title': '协商成果办理情况',
  },
);
