/** The due part of the catalogue, in English: the due-date words of the tracker, the staff desk and the overdue list. Its keys are the part's; ../zh-CN/due.ts must have every one. */
export const messages = {
  'due.today': 'Due today',
  'due.in.one': 'Due in {days} day',
  'due.in.other': 'Due in {days} days',
  'due.overdue.one': 'Overdue by {days} day',
  'due.overdue.other': 'Overdue by {days} days',
  'due.serverTime': 'Counted by the server’s clock at {time}',
};
