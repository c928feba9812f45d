/** The performance part of the catalogue, in zh-CN: exactly the keys of ../en/performance.ts (checked when it compiles). */
import type { messages as en } from '../en/performance.js';

export const messages = {
} satisfies Record<keyof typeof en, string>;
