/** The poster part of the catalogue, in English: <consult-room-poster> (a room’s scan-to-raise poster, 码上议). Its keys are the part's; ../zh-CN/poster.ts must have every one. */
export const messages = {
} as const;
