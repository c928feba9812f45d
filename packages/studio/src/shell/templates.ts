/**
 * Starting points for a new programme: complete, minimal configs that the checker accepts (a test
 * checks each one), so a city starts from something that runs and changes it, rather than from
 * a blank page full of errors.
 */
import type { Json, JsonObject } from '../pointer.js';

/** A template offered on the start screen. */
export interface StudioTemplate {
  id: string;
  title: { 'zh-CN': string; en: string };
  description: { 'zh-CN': string; en: string };
  /** A fresh copy of the config (the caller changes its `id`). */
  config(): JsonObject;
}

const text = (zh: string, en: string): JsonObject => ({ 'zh-CN': zh, en });

/** A community consultation room: intake, screening, one meeting, handling, feedback, rating. */
function communityRoom(): JsonObject {
  return {
    id: 'new-programme',
    version: '1.0.0',
    title: text('社区协商议事室', 'Community consultation room'),
    description: text('居民提出议题，大家坐下来商量着办。', 'Residents raise a topic and everyone sits down to talk it over.'),
    defaultLocale: 'zh-CN',
    level: 'community',
    steps: [
      {
        type: 'intake',
        label: text('议题征集', 'Topic intake'),
        sources: [
          { id: 'resident', label: text('群众出题', 'Proposed by residents') },
          { id: 'member', label: text('委员荐题', 'Recommended by a council member') },
        ],
        anonymous: false,
      },
      { type: 'screening', label: text('选题', 'Screening') },
      {
        type: 'meeting',
        label: text('协商议事', 'Consultation meeting'),
        formats: [{ id: 'room', label: text('议事室协商', 'Consultation room session') }],
        agenda: [
          { id: 'briefing', label: text('情况通报', 'Briefing') },
          { id: 'deliberation', label: text('协商建言', 'Deliberation') },
          { id: 'interaction', label: text('居民互动', "Residents' interaction") },
          { id: 'response', label: text('部门回应', "Departments' response") },
        ],
        fiveHaves: ['time', 'place', 'topic', 'measures', 'effect'],
        conveners: 2,
      },
      {
        type: 'handling',
        label: text('成果转化', 'Outcome handling'),
        deadlineDays: 30,
        parties: [{ id: 'residents-committee', label: text('社区居民委员会', "Residents' committee") }],
      },
      { type: 'feedback', label: text('结果反馈', 'Feedback') },
      { type: 'evaluation', label: text('满意度评价', 'Satisfaction rating'), scale: 5, reopenThreshold: 3, windowDays: 14 },
    ],
    form: {
      pages: [
        {
          id: 'matter',
          title: text('您想商量的事', 'The matter to talk over'),
          fields: [
            { name: 'title', type: 'text', role: 'title', label: text('议题名称', 'Topic'), required: true, maxLength: 40 },
            { name: 'description', type: 'textarea', role: 'description', label: text('具体情况', 'What is happening'), required: true, maxLength: 1000 },
          ],
        },
      ],
    },
  };
}

export const TEMPLATES: readonly StudioTemplate[] = [
  {
    id: 'community-room',
    title: text('社区协商议事室', 'Community consultation room') as StudioTemplate['title'],
    description: text(
      '议题征集、选题、一次协商议事、成果转化、结果反馈、满意度评价；表单只有议题名称和具体情况。',
      'Topic intake, screening, one consultation meeting, outcome handling, feedback and a satisfaction rating; the form asks only for the topic and what is happening.',
    ) as StudioTemplate['description'],
    config: communityRoom,
  },
];

/** A template's config under a new id (and, when given, a title). */
export function fromTemplate(template: StudioTemplate, id: string): JsonObject {
  const config = template.config();
  config.id = id;
  return config;
}

/** A copy of an existing programme's config under a new id, its version reset. */
export function copyOf(config: Json, id: string): Json {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return config;
  return { ...config, id, version: '1.0.0' };
}
