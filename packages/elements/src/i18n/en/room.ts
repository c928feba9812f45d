/** The room part of the catalogue, in English: <consult-room> (a consultation room: its grade, figures and history, 协商议事室). Its keys are the part's; ../zh-CN/room.ts must have every one. */
export const messages = {
} as const;
