/** The records part of the catalogue, in zh-CN: exactly the keys of ../en/records.ts (checked when it compiles). */
import type { messages as en } from '../en/records.js';

export const messages = {
} satisfies Record<keyof typeof en, string>;
