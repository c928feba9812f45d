/** The due part of the catalogue, in zh-CN: exactly the keys of ../en/due.ts (checked when it compiles). */
import type { messages as en } from '../en/due.js';

export const messages = {
  'due.today': '今天到期',
  'due.in.one': '{days} 天后到期',
  'due.in.other': '{days} 天后到期',
  'due.overdue.one': '已超期 {days} 天',
  'due.overdue.other': '已超期 {days} 天',
  'due.serverTime': '按服务器时间 {time} 计算',
} satisfies Record<keyof typeof en, string>;
