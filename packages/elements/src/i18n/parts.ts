/**
 * The parts of the catalogue and where each language of each lives. Every loader is a relative
 * `import()`, so each language of each part is a chunk of its own, fetched the first time an
 * element that declares the part is shown in that language. Elements declare theirs in
 * `static catalogues` (an element inside another declares its own).
 */
import { definePart } from './catalogue.js';

/** Errors and loading (every element), the topic form (`form.*`) and the star rating (`rating.*`). */
export const corePart = definePart('core', {
  en: () => import('./en/core.js'),
  'zh-CN': () => import('./zh-CN/core.js'),
});

/** The follow code (关注码) of the topic form and of my topics (`follow.*`). */
export const followPart = definePart('follow', {
  en: () => import('./en/follow.js'),
  'zh-CN': () => import('./zh-CN/follow.js'),
});

/** A resident's intake answers as the timeline and the staff desk show them (`intake.*`). */
export const intakePart = definePart('intake', {
  en: () => import('./en/intake.js'),
  'zh-CN': () => import('./zh-CN/intake.js'),
});

/** Due-date words of the tracker, the staff desk and the overdue list (`due.*`). */
export const duePart = definePart('due', {
  en: () => import('./en/due.js'),
  'zh-CN': () => import('./zh-CN/due.js'),
});

/** Role and level names of the workflow and the staff desk (`staff.role.*`, `staff.level.*`). */
export const rolesPart = definePart('roles', {
  en: () => import('./en/roles.js'),
  'zh-CN': () => import('./zh-CN/roles.js'),
});

/** <consult-meeting-timeline> (`timeline.*`). */
export const timelinePart = definePart('timeline', {
  en: () => import('./en/timeline.js'),
  'zh-CN': () => import('./zh-CN/timeline.js'),
});

/** <consult-outcome-tracker> and <consult-programme-figures> (`tracker.*`, `figures.*`, `ratings.*`). */
export const trackerPart = definePart('tracker', {
  en: () => import('./en/tracker.js'),
  'zh-CN': () => import('./zh-CN/tracker.js'),
});

/** <consult-outcomes-board> (`board.*`). */
export const boardPart = definePart('board', {
  en: () => import('./en/board.js'),
  'zh-CN': () => import('./zh-CN/board.js'),
});

/** <consult-workflow> (`workflow.*`). */
export const workflowPart = definePart('workflow', {
  en: () => import('./en/workflow.js'),
  'zh-CN': () => import('./zh-CN/workflow.js'),
});

/** <consult-staff-actions> (`staff.*` but roles and levels). */
export const staffPart = definePart('staff', {
  en: () => import('./en/staff.js'),
  'zh-CN': () => import('./zh-CN/staff.js'),
});

/** <consult-my-topics> (`mine.*`). */
export const myTopicsPart = definePart('my-topics', {
  en: () => import('./en/my-topics.js'),
  'zh-CN': () => import('./zh-CN/my-topics.js'),
});

/** <consult-sign-in> (`signIn.*`). */
export const signInPart = definePart('sign-in', {
  en: () => import('./en/sign-in.js'),
  'zh-CN': () => import('./zh-CN/sign-in.js'),
});

/** <consult-overdue-list> (`overdue.*`). */
export const overduePart = definePart('overdue', {
  en: () => import('./en/overdue.js'),
  'zh-CN': () => import('./zh-CN/overdue.js'),
});

/** <consult-room> (a consultation room: its grade, figures and history, 协商议事室) (`room.*`). */
export const roomPart = definePart('room', {
  en: () => import('./en/room.js'),
  'zh-CN': () => import('./zh-CN/room.js'),
});

/** <consult-performance-file> (members’ performance files, 履职档案) (`performance.*`). */
export const performancePart = definePart('performance', {
  en: () => import('./en/performance.js'),
  'zh-CN': () => import('./zh-CN/performance.js'),
});

/** <consult-room-poster> (a room’s scan-to-raise poster, 码上议) (`poster.*`). */
export const posterPart = definePart('poster', {
  en: () => import('./en/poster.js'),
  'zh-CN': () => import('./zh-CN/poster.js'),
});

/** <consult-meeting-record>, <consult-topic-dossier>, <consult-room-report> (printable records) (`records.*`). */
export const recordsPart = definePart('records', {
  en: () => import('./en/records.js'),
  'zh-CN': () => import('./zh-CN/records.js'),
});

/** <consult-trend-chart> (the trends of a programme or a room) (`charts.*`). */
export const chartsPart = definePart('charts', {
  en: () => import('./en/charts.js'),
  'zh-CN': () => import('./zh-CN/charts.js'),
});

/** <consult-report-exports> (spreadsheet exports for the programme office) (`exports.*`). */
export const exportsPart = definePart('exports', {
  en: () => import('./en/exports.js'),
  'zh-CN': () => import('./zh-CN/exports.js'),
});

/** Every part, in the order of the catalogue. */
export const ALL_PARTS = [
  corePart,
  followPart,
  intakePart,
  duePart,
  rolesPart,
  timelinePart,
  trackerPart,
  boardPart,
  workflowPart,
  staffPart,
  myTopicsPart,
  signInPart,
  overduePart,
  roomPart,
  performancePart,
  posterPart,
  recordsPart,
  chartsPart,
  exportsPart,
] as const;
