/**
 * What the rooms, grading and performance sections mean when a city wrote little or nothing: the
 * default QR-code URL, the default star rubric (星级评定) and the default yearly targets of a
 * performance file (the "five ones" 五个一 the log can show), and the normalisation of the three
 * sections.
 */
import type { Role } from '../config/config.types.js';
import type {
  GradeCriterion,
  GradingConfig,
  PerformanceConfig,
  PerformanceTarget,
  RoomConfig,
  RoomPerson,
  RoomsConfig,
} from './rooms.types.js';

/** The URL a room's QR code opens when the config names none: the portal's intake form, the room and source preset. */
export const DEFAULT_INTAKE_URL = '?programme={programme}&room={room}&source={source}#raise';

/** The placeholders `rooms.intakeUrl` may use. */
export const INTAKE_URL_PLACEHOLDERS = ['programme', 'room', 'source'] as const;

/** Conveners a room names when the config says nothing (双召集人). */
export const DEFAULT_ROOM_CONVENERS = 2;

/** The default rubric: graded per year, a room has N stars when every criterion reaches N. */
export const DEFAULT_GRADING: Readonly<GradingConfig> = {
  period: 'year',
  combine: 'minimum',
  criteria: [
    { figure: 'sessionsHeld', thresholds: [1, 2, 4, 6, 8] },
    { figure: 'solvedShare', thresholds: [0.2, 0.4, 0.6, 0.75, 0.9] },
    { figure: 'onTimeShare', thresholds: [0.2, 0.4, 0.6, 0.8, 0.9] },
    { figure: 'averageSatisfaction', thresholds: [1, 2, 3, 4, 4.5] },
    { figure: 'memberParticipation', thresholds: [0.2, 0.4, 0.6, 0.8, 0.9] },
  ],
};

/**
 * The default targets: the three of the "five ones" (五个一) that are events in the log. The
 * public-opinion report (社情民意信息) and the good deed (好事实事) are not, so they are not counted.
 */
export const DEFAULT_PERFORMANCE: Readonly<PerformanceConfig> = {
  targets: [
    { id: 'proposal', label: { 'zh-CN': '提出一件议题建议', en: 'Recommend one topic' }, figure: 'topicsRecommended', perYear: 1 },
    { id: 'research', label: { 'zh-CN': '开展一次调研走访', en: 'Make one research visit' }, figure: 'researchVisits', perYear: 1 },
    { id: 'consultation', label: { 'zh-CN': '参加一次协商议事', en: 'Take part in one consultation' }, figure: 'consultations', perYear: 1 },
  ],
};

type WrittenPerson = Omit<RoomPerson, 'role'> & { role?: Role };
type WrittenRoom = Omit<RoomConfig, 'conveners' | 'members' | 'categories'> & {
  conveners?: WrittenPerson[];
  members?: WrittenPerson[];
  categories?: string[];
};

/** The `rooms` section as a city writes it. */
export interface WrittenRooms {
  list: WrittenRoom[];
  conveners?: number;
  intakeUrl?: string;
}

/** The `grading` section as a city writes it. */
export interface WrittenGrading {
  period?: GradingConfig['period'];
  combine?: GradingConfig['combine'];
  criteria?: GradeCriterion[];
}

/** The `performance` section as a city writes it. */
export interface WrittenPerformance {
  targets: PerformanceTarget[];
}

function person(written: WrittenPerson, role: Role): RoomPerson {
  return { ...written, role: written.role ?? role };
}

/** The rooms with their defaults: 2 conveners, the default intake URL, no members, any category. */
export function normalizeRooms(written: WrittenRooms): RoomsConfig {
  return {
    list: written.list.map((room) => ({
      ...room,
      conveners: (room.conveners ?? []).map((p) => person(p, 'convener')),
      members: (room.members ?? []).map((p) => person(p, 'member')),
      categories: [...(room.categories ?? [])],
    })),
    conveners: written.conveners ?? DEFAULT_ROOM_CONVENERS,
    intakeUrl: written.intakeUrl ?? DEFAULT_INTAKE_URL,
  };
}

/** The rubric with its defaults (a copy: nobody changes the defaults through a config). */
export function normalizeGrading(written: WrittenGrading | undefined): GradingConfig {
  const criteria = written?.criteria ?? DEFAULT_GRADING.criteria;
  return {
    period: written?.period ?? DEFAULT_GRADING.period,
    combine: written?.combine ?? DEFAULT_GRADING.combine,
    criteria: criteria.map((c) => ({ ...c, thresholds: [...c.thresholds] as GradeCriterion['thresholds'] })),
  };
}

/** The performance targets with their defaults (a copy). */
export function normalizePerformance(written: WrittenPerformance | undefined): PerformanceConfig {
  const targets = written?.targets ?? DEFAULT_PERFORMANCE.targets;
  return { targets: targets.map((t) => ({ ...t, label: { ...t.label } })) };
}
