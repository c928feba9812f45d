/** The intake part of the catalogue, in zh-CN: exactly the keys of ../en/intake.ts (checked when it compiles). */
import type { messages as en } from '../en/intake.js';

export const messages = {
  'intake.title': '表单收集的信息',
  'intake.withheld': '已隐去',
  'intake.withheldHint': '已隐去：只有有权查看个人信息的工作人员才能看到。',
  'intake.anonymous': '匿名提出：没有保存任何能识别提出人的信息。',
  'intake.submittedBy': '提出人',
  'intake.empty': '未填写',
  'intake.yes': '是',
  'intake.no': '否',
  'intake.files': '{count} 个文件',
} satisfies Record<keyof typeof en, string>;
