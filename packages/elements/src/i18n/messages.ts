/**
 * The whole catalogue, both languages, imported statically: for tests and for code that wants
 * every string at once (it is exported as `MESSAGES` from the package). No element imports this
 * module — elements load only the parts they show, in the language they show, through
 * ./catalogue.ts and ./parts.ts (eslint.config.js enforces it). Labels from a city's config win
 * over these. `{name}` placeholders are filled by `format`.
 */
import type { Locale } from './locale.js';
import type { MessageKey } from './keys.js';
import { messages as coreEn } from './en/core.js';
import { messages as followEn } from './en/follow.js';
import { messages as intakeEn } from './en/intake.js';
import { messages as dueEn } from './en/due.js';
import { messages as rolesEn } from './en/roles.js';
import { messages as timelineEn } from './en/timeline.js';
import { messages as trackerEn } from './en/tracker.js';
import { messages as boardEn } from './en/board.js';
import { messages as workflowEn } from './en/workflow.js';
import { messages as staffEn } from './en/staff.js';
import { messages as myTopicsEn } from './en/my-topics.js';
import { messages as signInEn } from './en/sign-in.js';
import { messages as overdueEn } from './en/overdue.js';
import { messages as roomEn } from './en/room.js';
import { messages as performanceEn } from './en/performance.js';
import { messages as posterEn } from './en/poster.js';
import { messages as recordsEn } from './en/records.js';
import { messages as chartsEn } from './en/charts.js';
import { messages as exportsEn } from './en/exports.js';
import { messages as coreZhCN } from './zh-CN/core.js';
import { messages as followZhCN } from './zh-CN/follow.js';
import { messages as intakeZhCN } from './zh-CN/intake.js';
import { messages as dueZhCN } from './zh-CN/due.js';
import { messages as rolesZhCN } from './zh-CN/roles.js';
import { messages as timelineZhCN } from './zh-CN/timeline.js';
import { messages as trackerZhCN } from './zh-CN/tracker.js';
import { messages as boardZhCN } from './zh-CN/board.js';
import { messages as workflowZhCN } from './zh-CN/workflow.js';
import { messages as staffZhCN } from './zh-CN/staff.js';
import { messages as myTopicsZhCN } from './zh-CN/my-topics.js';
import { messages as signInZhCN } from './zh-CN/sign-in.js';
import { messages as overdueZhCN } from './zh-CN/overdue.js';
import { messages as roomZhCN } from './zh-CN/room.js';
import { messages as performanceZhCN } from './zh-CN/performance.js';
import { messages as posterZhCN } from './zh-CN/poster.js';
import { messages as recordsZhCN } from './zh-CN/records.js';
import { messages as chartsZhCN } from './zh-CN/charts.js';
import { messages as exportsZhCN } from './zh-CN/exports.js';

export type { MessageKey };

const en: Readonly<Record<MessageKey, string>> = {
  ...coreEn,
  ...followEn,
  ...intakeEn,
  ...dueEn,
  ...rolesEn,
  ...timelineEn,
  ...trackerEn,
  ...boardEn,
  ...workflowEn,
  ...staffEn,
  ...myTopicsEn,
  ...signInEn,
  ...overdueEn,
  ...roomEn,
  ...performanceEn,
  ...posterEn,
  ...recordsEn,
  ...chartsEn,
  ...exportsEn,
};

const zhCN: Readonly<Record<MessageKey, string>> = {
  ...coreZhCN,
  ...followZhCN,
  ...intakeZhCN,
  ...dueZhCN,
  ...rolesZhCN,
  ...timelineZhCN,
  ...trackerZhCN,
  ...boardZhCN,
  ...workflowZhCN,
  ...staffZhCN,
  ...myTopicsZhCN,
  ...signInZhCN,
  ...overdueZhCN,
  ...roomZhCN,
  ...performanceZhCN,
  ...posterZhCN,
  ...recordsZhCN,
  ...chartsZhCN,
  ...exportsZhCN,
};

export const MESSAGES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { 'zh-CN': zhCN, en };
