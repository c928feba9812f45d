/** The poster part of the catalogue, in zh-CN: exactly the keys of ../en/poster.ts (checked when it compiles). */
import type { messages as en } from '../en/poster.js';

export const messages = {
} satisfies Record<keyof typeof en, string>;
