/** The performance part of the catalogue, in English: <consult-performance-file> (members’ performance files, 履职档案). Its keys are the part's; ../zh-CN/performance.ts must have every one. */
export const messages = {
} as const;
