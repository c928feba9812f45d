/** The room part of the catalogue, in zh-CN: exactly the keys of ../en/room.ts (checked when it compiles). */
import type { messages as en } from '../en/room.js';

export const messages = {
} satisfies Record<keyof typeof en, string>;
