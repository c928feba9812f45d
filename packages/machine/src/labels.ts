/**
 * Names of the lifecycle's states and events in both interface languages, using the words
 * the programmes themselves use. A city's step labels (from its config) take precedence.
 */
import type { EventType, Locale, LocalizedText, StepType, WorkflowConfig } from './config/config.types.js';

export const STATE_LABELS: Readonly<Record<string, LocalizedText>> = {
  draft: { 'zh-CN': '议题征集', en: 'Topic intake' },
  submitted: { 'zh-CN': '已提交', en: 'Submitted' },
  screening: { 'zh-CN': '选题筛题', en: 'Screening' },
  accepted: { 'zh-CN': '已受理', en: 'Accepted' },
  rejected: { 'zh-CN': '不予受理', en: 'Rejected' },
  merged: { 'zh-CN': '已合并', en: 'Merged' },
  redirected: { 'zh-CN': '已转办', en: 'Redirected' },
  withdrawn: { 'zh-CN': '已撤回', en: 'Withdrawn' },
  research: { 'zh-CN': '调查研究', en: 'Research' },
  meeting: { 'zh-CN': '协商议事', en: 'Consultation meeting' },
  planning: { 'zh-CN': '筹备协商', en: 'Preparing the meeting' },
  scheduled: { 'zh-CN': '已安排', en: 'Scheduled' },
  inSession: { 'zh-CN': '协商进行中', en: 'In session' },
  briefing: { 'zh-CN': '情况通报', en: 'Briefing' },
  deliberation: { 'zh-CN': '协商建言', en: 'Deliberation' },
  interaction: { 'zh-CN': '居民互动', en: "Residents' interaction" },
  response: { 'zh-CN': '部门回应', en: "Departments' response" },
  handling: { 'zh-CN': '成果办理', en: 'Outcome handling' },
  evaluation: { 'zh-CN': '满意度评价', en: 'Satisfaction rating' },
  closed: { 'zh-CN': '已办结', en: 'Closed' },
  unresolved: { 'zh-CN': '未达成共识', en: 'No consensus' },
};

export const EVENT_LABELS: Readonly<Record<EventType, LocalizedText>> = {
  'topic.submit': { 'zh-CN': '提交议题', en: 'Submit topic' },
  'screening.accept': { 'zh-CN': '受理', en: 'Accept' },
  'screening.reject': { 'zh-CN': '不予受理', en: 'Reject' },
  'screening.merge': { 'zh-CN': '合并', en: 'Merge' },
  'screening.redirect': { 'zh-CN': '转办', en: 'Redirect' },
  'screening.escalate': { 'zh-CN': '提级', en: 'Escalate' },
  'research.complete': { 'zh-CN': '完成调研', en: 'Complete research' },
  'meeting.schedule': { 'zh-CN': '安排协商', en: 'Schedule meeting' },
  'meeting.start': { 'zh-CN': '开始协商', en: 'Start meeting' },
  'meeting.advance': { 'zh-CN': '下一环节', en: 'Next stage' },
  'meeting.record': { 'zh-CN': '记录成果', en: 'Record outcome' },
  'measure.adopt': { 'zh-CN': '采纳', en: 'Adopt' },
  'measure.decline': { 'zh-CN': '不予采纳', en: 'Decline' },
  'measure.progress': { 'zh-CN': '办理中', en: 'Report progress' },
  'measure.implement': { 'zh-CN': '已落实', en: 'Implemented' },
  'feedback.publish': { 'zh-CN': '反馈', en: 'Publish feedback' },
  'rating.submit': { 'zh-CN': '评价', en: 'Rate' },
  'evaluation.close': { 'zh-CN': '结束评价', en: 'Close evaluation' },
  'topic.withdraw': { 'zh-CN': '撤回议题', en: 'Withdraw topic' },
};

/** What each of the lifecycle's guards (the conditions on a transition, beyond who may send it) tests. */
export const GUARD_LABELS: Readonly<Record<string, LocalizedText>> = {
  noConsensusMoreRounds: { 'zh-CN': '未达成共识，可再议', en: 'no consensus, rounds left' },
  noConsensusLastRound: { 'zh-CN': '未达成共识，已末轮', en: 'no consensus, last round' },
  settled: { 'zh-CN': '措施均已办结', en: 'every measure settled' },
  belowThreshold: { 'zh-CN': '满意度低于阈值', en: 'rating below the threshold' },
};

const STEP_OF_STATE: Readonly<Record<string, StepType>> = {
  draft: 'intake',
  screening: 'screening',
  research: 'research',
  meeting: 'meeting',
  handling: 'handling',
  evaluation: 'evaluation',
};

/** The label of a state (by its key) in a locale: the city's step label first, then ours. */
export function stateLabel(config: WorkflowConfig, key: string, locale: Locale): string {
  const step = STEP_OF_STATE[key];
  const custom = step ? config.step[step]?.label : undefined;
  if (custom) return custom[locale];
  const agenda = config.step.meeting.agenda.find((s) => s.id === key)?.label;
  if (agenda) return agenda[locale];
  return STATE_LABELS[key]?.[locale] ?? key;
}
