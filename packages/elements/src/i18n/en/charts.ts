/** The charts part of the catalogue, in English: <consult-trend-chart> (the trends of a programme or a room). Its keys are the part's; ../zh-CN/charts.ts must have every one. */
export const messages = {
} as const;
