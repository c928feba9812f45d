/**
 * `MessageKey`: every key of the catalogue, the union of the English parts' keys (the zh-CN parts
 * are checked against them). Types only, so importing it pulls no messages into a bundle.
 */
import type { messages as core } from './en/core.js';
import type { messages as follow } from './en/follow.js';
import type { messages as intake } from './en/intake.js';
import type { messages as due } from './en/due.js';
import type { messages as roles } from './en/roles.js';
import type { messages as timeline } from './en/timeline.js';
import type { messages as tracker } from './en/tracker.js';
import type { messages as board } from './en/board.js';
import type { messages as workflow } from './en/workflow.js';
import type { messages as staff } from './en/staff.js';
import type { messages as myTopics } from './en/my-topics.js';
import type { messages as signIn } from './en/sign-in.js';
import type { messages as overdue } from './en/overdue.js';
import type { messages as roomPart } from './en/room.js';
import type { messages as performancePart } from './en/performance.js';
import type { messages as posterPart } from './en/poster.js';
import type { messages as recordsPart } from './en/records.js';
import type { messages as chartsPart } from './en/charts.js';
import type { messages as exportsPart } from './en/exports.js';

export type MessageKey =
  | keyof typeof core
  | keyof typeof follow
  | keyof typeof intake
  | keyof typeof due
  | keyof typeof roles
  | keyof typeof timeline
  | keyof typeof tracker
  | keyof typeof board
  | keyof typeof workflow
  | keyof typeof staff
  | keyof typeof myTopics
  | keyof typeof signIn
  | keyof typeof overdue
  | keyof typeof roomPart
  | keyof typeof performancePart
  | keyof typeof posterPart
  | keyof typeof recordsPart
  | keyof typeof chartsPart
  | keyof typeof exportsPart;
