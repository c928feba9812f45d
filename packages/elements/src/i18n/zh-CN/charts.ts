/** The charts part of the catalogue, in zh-CN: exactly the keys of ../en/charts.ts (checked when it compiles). */
import type { messages as en } from '../en/charts.js';

export const messages = {
} satisfies Record<keyof typeof en, string>;
