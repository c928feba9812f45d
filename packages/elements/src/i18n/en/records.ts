/** The records part of the catalogue, in English: <consult-meeting-record>, <consult-topic-dossier>, <consult-room-report> (printable records). Its keys are the part's; ../zh-CN/records.ts must have every one. */
export const messages = {
} as const;
