/** The intake part of the catalogue, in English: the answers a resident gave at intake, as the timeline and the staff desk show them. Its keys are the part's; ../zh-CN/intake.ts must have every one. */
export const messages = {
  'intake.title': 'What the form collected',
  'intake.withheld': 'Withheld',
  'intake.withheldHint': 'Withheld: shown only to the staff roles allowed to see personal data.',
  'intake.anonymous': 'Raised anonymously: nothing that identifies the person was kept.',
  'intake.submittedBy': 'Raised by',
  'intake.empty': 'Not answered',
  'intake.yes': 'Yes',
  'intake.no': 'No',
  'intake.files': '{count} file(s)',
};
