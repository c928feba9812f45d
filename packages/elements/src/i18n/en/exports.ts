/** The exports part of the catalogue, in English: <consult-report-exports> (spreadsheet exports for the programme office). Its keys are the part's; ../zh-CN/exports.ts must have every one. */
export const messages = {
} as const;
