/** The exports part of the catalogue, in zh-CN: exactly the keys of ../en/exports.ts (checked when it compiles). */
import type { messages as en } from '../en/exports.js';

export const messages = {
} satisfies Record<keyof typeof en, string>;
