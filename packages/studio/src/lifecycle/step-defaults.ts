/**
 * What the lifecycle pane writes when a person switches an optional step on (the machine's own
 * defaults from `@consult-kit/machine`, with the label the domain uses), and the lists a step
 * falls back to when the config leaves them out.
 */
import {
  AGENDA_STAGES,
  DEFAULT_FORMATS,
  DEFAULT_RATERS,
  DEFAULT_SOURCES,
  DEFAULTS,
  FIVE_HAVES,
  LEVEL_RANK,
  STEP_ORDER,
  type Level,
  type StepType,
} from '@consult-kit/machine';
import type { Json, JsonObject } from '../pointer.js';

/** The domain's names of the step types (the label a new step gets). */
export const STEP_NAMES: Readonly<Record<StepType, { 'zh-CN': string; en: string }>> = {
  intake: { 'zh-CN': '议题征集', en: 'Topic intake' },
  screening: { 'zh-CN': '选题筛题', en: 'Screening' },
  research: { 'zh-CN': '调查研究', en: 'Research' },
  meeting: { 'zh-CN': '协商议事', en: 'Consultation meeting' },
  handling: { 'zh-CN': '成果办理', en: 'Outcome handling' },
  feedback: { 'zh-CN': '结果反馈', en: 'Feedback' },
  evaluation: { 'zh-CN': '满意度评价', en: 'Satisfaction rating' },
};

/** The domain's names of the topic sources (群众出题 / 委员荐题 / 党政点题 / 网格筛题, and 12345热线 for Open311). */
export const SOURCE_NAMES = {
  resident: { 'zh-CN': '群众出题', en: 'Proposed by residents' },
  member: { 'zh-CN': '委员荐题', en: 'Recommended by a council member' },
  government: { 'zh-CN': '党政点题', en: 'Assigned by the Party and government' },
  grid: { 'zh-CN': '网格筛题', en: 'Screened by grid workers' },
  open311: { 'zh-CN': '12345热线', en: 'Via the 12345 hotline (Open311)' },
} as const;

export const AGENDA_NAMES = {
  briefing: { 'zh-CN': '情况通报', en: 'Briefing' },
  deliberation: { 'zh-CN': '协商建言', en: 'Deliberation' },
  interaction: { 'zh-CN': '居民互动', en: "Residents' interaction" },
  response: { 'zh-CN': '部门回应', en: "Departments' response" },
} as const;

export const FIVE_HAVE_NAMES = {
  time: { 'zh-CN': '时间', en: 'a time' },
  place: { 'zh-CN': '地点', en: 'a place' },
  topic: { 'zh-CN': '主题', en: 'a topic' },
  measures: { 'zh-CN': '措施', en: 'measures' },
  effect: { 'zh-CN': '效果', en: 'an effect' },
} as const;

/** Star labels a five-star scale starts with; other scales get "N 星 / N stars". */
const FIVE_STAR_LABELS = [
  { 'zh-CN': '非常不满意', en: 'Very dissatisfied' },
  { 'zh-CN': '不满意', en: 'Dissatisfied' },
  { 'zh-CN': '一般', en: 'Neutral' },
  { 'zh-CN': '满意', en: 'Satisfied' },
  { 'zh-CN': '非常满意', en: 'Very satisfied' },
];

export function starLabel(star: number, scale: number): JsonObject {
  if (scale === 5) return { ...FIVE_STAR_LABELS[star - 1]! };
  return { 'zh-CN': `${star} 星`, en: star === 1 ? '1 star' : `${star} stars` };
}

/** Star labels for a scale, keeping the ones already written. */
export function starLabelsFor(scale: number, current: readonly Json[] = []): Json[] {
  return Array.from({ length: scale }, (_, i) => current[i] ?? starLabel(i + 1, scale));
}

export const LEVELS = Object.keys(LEVEL_RANK) as Level[];

/** The levels above `level`, in rank order (escalation targets). */
export function levelsAbove(level: Level | undefined): Level[] {
  if (!level || !(level in LEVEL_RANK)) return [];
  return LEVELS.filter((l) => LEVEL_RANK[l] > LEVEL_RANK[level]).sort((a, b) => LEVEL_RANK[a] - LEVEL_RANK[b]);
}

/** The natural next level up (community → street, village → town, town/street/park → district, … → city). */
function nextLevel(level: Level | undefined): Level | undefined {
  const next: Partial<Record<Level, Level>> = { village: 'town', community: 'street', town: 'county', street: 'district', park: 'district', district: 'city', county: 'city', sector: 'city' };
  return level ? next[level] : undefined;
}

export const defaultSources = (): Json[] => DEFAULT_SOURCES.map((id) => ({ id }));
export const defaultFormats = (): Json[] => DEFAULT_FORMATS.map((f) => ({ id: f.id, label: { ...f.label } }));
export const defaultAgenda = (): Json[] => AGENDA_STAGES.map((id) => ({ id }));
export const defaultFiveHaves = (): Json[] => [...FIVE_HAVES];
export const defaultRaters = (): Json[] => [...DEFAULT_RATERS];

/** A new step of a type, with the domain's label and the machine's defaults written out. */
export function newStep(type: StepType, level: Level | undefined): JsonObject {
  const label = { ...STEP_NAMES[type] };
  switch (type) {
    case 'intake':
      return { type, label, sources: DEFAULT_SOURCES.map((id) => ({ id, label: { ...SOURCE_NAMES[id] } })), anonymous: false };
    case 'screening': {
      const up = nextLevel(level);
      return { type, label, channels: [], escalation: { levels: up ? [up] : [] } };
    }
    case 'research':
      return { type, label, minFindingsLength: DEFAULTS.research.minFindingsLength };
    case 'meeting':
      return {
        type,
        label,
        formats: defaultFormats(),
        agenda: AGENDA_STAGES.map((id) => ({ id, label: { ...AGENDA_NAMES[id] } })),
        fiveHaves: defaultFiveHaves(),
        conveners: DEFAULTS.meeting.conveners,
        maxRounds: DEFAULTS.meeting.maxRounds,
        earlyStartMinutes: DEFAULTS.meeting.earlyStartMinutes,
      };
    case 'handling':
      return { type, label, deadlineDays: DEFAULTS.handling.deadlineDays, parties: [] };
    case 'feedback':
      return { type, label, minLength: DEFAULTS.feedback.minLength };
    case 'evaluation': {
      const { scale, reopenThreshold, windowDays, minRatings } = DEFAULTS.evaluation;
      return { type, label, scale, starLabels: starLabelsFor(scale), reopenThreshold, windowDays, minRatings, raters: defaultRaters() };
    }
  }
}

/** Where a step of `type` goes in `steps` (the order is fixed: before the first step that comes after it). */
export function insertIndex(steps: readonly Json[], type: StepType): number {
  const rank = STEP_ORDER.indexOf(type);
  const after = steps.findIndex((s) => {
    const t = (s as JsonObject | null)?.type;
    return typeof t === 'string' && STEP_ORDER.indexOf(t as StepType) > rank;
  });
  return after === -1 ? steps.length : after;
}
