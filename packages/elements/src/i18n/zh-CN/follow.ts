/** The follow part of the catalogue, in zh-CN: exactly the keys of ../en/follow.ts (checked when it compiles). */
import type { messages as en } from '../en/follow.js';

export const messages = {
  'follow.label': '您的查询码',
  'follow.spoken': '逐字读出：{spoken}',
  'follow.copy': '复制查询码',
  'follow.copied': '查询码已复制。',
  'follow.selected': '查询码已选中，请用设备的复制功能复制。',
  'follow.qrLabel': '二维码：用查询码 {code} 打开本页',
  'follow.qrCaption': '用另一部手机扫码，即可在那部手机上查看这个议题。',
  'follow.pending': '议题提交成功后，查询码会显示在这里。',
  'follow.keep': '请保存好查询码：凭它可以在任何设备上查看进展、评价或撤回您的议题。',
  'follow.show': '显示查询码',
} satisfies Record<keyof typeof en, string>;
