/** Messages of <consult-meeting-timeline>. */
import { defineMessages } from './define-messages.js';

export const timelineMessages = defineMessages(
  {
    'timeline.title': 'How this topic is going',
  },
  {
    'timeline.title': '议题进展',
  },
);
