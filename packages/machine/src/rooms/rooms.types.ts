/**
 * Consultation rooms (协商议事室), their star grading (星级评定) and members' performance files
 * (履职档案): the config a city writes and what the selectors compute from the log. Every number
 * here is derived from topics' replayed state (`TopicSnapshot`s), so the browser and the server
 * compute the same figures from the same log.
 */
import type { Level, LocalizedText, Role, SourceId } from '../config/vocabulary.js';

/** A person a room names: a convener or a member attached to it. Officials are always named. */
export interface RoomPerson {
  /** The person's id as it appears in events (`by.id`, a meeting's convener or participant `id`). */
  id: string;
  name: string;
  /** `convener`, `member`, `government`… (default `member` for members, `convener` for conveners). */
  role: Role;
  /** What they are, e.g. 社区党委书记 / Party secretary of the community. */
  title?: LocalizedText;
}

/** One consultation room (协商议事室). */
export interface RoomConfig {
  /** Stable id, unique in the programme; used in URLs and events (`topic.submit`'s `room`). */
  id: string;
  name: LocalizedText;
  level: Level;
  /** Where it meets, as residents would find it. */
  place: LocalizedText;
  /** The room one rank up that takes this room's escalated topics (its `level` ranks higher). */
  parent?: string;
  /**
   * The conveners (双召集人): the first is the head of the local Party organisation, the second a
   * council member. The checker asks for at least `rooms.conveners` of them.
   */
  conveners: RoomPerson[];
  /** Council members and others attached to the room (default none). */
  members: RoomPerson[];
  /**
   * The values of the form's category field (`categoryField(config)`) this room handles; a topic
   * raised without a room goes to the room of its level that handles its category. Empty: any.
   */
  categories: string[];
  /** What residents raise here, printed on the room's poster (码上议). */
  raise?: LocalizedText;
}

/** The `rooms` section of a config. Absent: the programme has no rooms (one virtual room, `null`). */
export interface RoomsConfig {
  list: RoomConfig[];
  /** How many conveners each room must name (default 2, 双召集人; 0 turns the check off). */
  conveners: number;
  /**
   * The URL a room's QR code opens: `https://…` or relative (`/…`, `?…`, `./…`; never `//host`),
   * with the placeholders `{programme}`, `{room}` and `{source}` (URL-encoded when filled).
   * Default `?programme={programme}&room={room}&source={source}#raise`.
   */
  intakeUrl: string;
}

/** The figures a grading rubric may use; each is defined in `RoomFigures`. */
export type GradeFigure =
  | 'sessionsHeld'
  | 'participants'
  | 'topicsRaised'
  | 'topicsSolved'
  | 'solvedShare'
  | 'onTimeShare'
  | 'averageSatisfaction'
  | 'memberParticipation';
export const GRADE_FIGURES: readonly GradeFigure[] = [
  'sessionsHeld',
  'participants',
  'topicsRaised',
  'topicsSolved',
  'solvedShare',
  'onTimeShare',
  'averageSatisfaction',
  'memberParticipation',
];

export type PeriodKind = 'month' | 'quarter' | 'year';
export const PERIOD_KINDS: readonly PeriodKind[] = ['month', 'quarter', 'year'];

/** One criterion of the rubric: a figure and the value it must reach for 1, 2, 3, 4 and 5 stars. */
export interface GradeCriterion {
  figure: GradeFigure;
  /** Shown instead of the figure's own name. */
  label?: LocalizedText;
  /** Five values, strictly ascending: reaching `thresholds[k]` earns k + 1 stars. */
  thresholds: [number, number, number, number, number];
}

/** The star-grading rubric (星级评定). Always present after normalisation (defaults below). */
export interface GradingConfig {
  /** Rooms are graded per period (default `year`). */
  period: PeriodKind;
  /** `minimum` (default): a room has N stars when every criterion reaches N; `average`: the mean, rounded down. */
  combine: 'minimum' | 'average';
  criteria: GradeCriterion[];
}

/** What a performance file (履职档案) counts for a person in a year, derived from the log. */
export type PerformanceFigure =
  | 'topicsRecommended'
  | 'topicsRaised'
  | 'researchVisits'
  | 'meetingsConvened'
  | 'meetingsAttended'
  | 'consultations'
  | 'suggestionsMade'
  | 'measuresFollowed';
export const PERFORMANCE_FIGURES: readonly PerformanceFigure[] = [
  'topicsRecommended',
  'topicsRaised',
  'researchVisits',
  'meetingsConvened',
  'meetingsAttended',
  'consultations',
  'suggestionsMade',
  'measuresFollowed',
];

/** One yearly target of the "five ones" (五个一): a figure and how many a year. */
export interface PerformanceTarget {
  id: string;
  label: LocalizedText;
  figure: PerformanceFigure;
  perYear: number;
}

/** The `performance` section. Always present after normalisation (defaults below). */
export interface PerformanceConfig {
  targets: PerformanceTarget[];
}

/**
 * A period of time: `key` is `2026`, `2026-Q3` or `2026-07` (`2026-03-01..2026-06-01` for a range an
 * export or a report chose); `from` inclusive, `to` exclusive (YYYY-MM-DD).
 */
export interface Period {
  kind: PeriodKind | 'range';
  key: string;
  from: string;
  to: string;
}

/**
 * A room's figures for a period. A topic belongs to the room it is in now (`TopicContext.room`;
 * escalation moves it). Dates are compared by the calendar date written in each ISO time.
 */
export interface RoomFigures {
  /** The room's id, or null for the whole programme. */
  room: string | null;
  period: Period;
  /** Topics submitted in the period. */
  topicsRaised: number;
  /** Of those, the ones closed (stage `closed`) by the period's end or `now`, whichever is first. */
  topicsSolved: number;
  /** topicsSolved ÷ topicsRaised; null when none was raised. */
  solvedShare: number | null;
  /** Meetings recorded (`meeting.record`) in the period. */
  sessionsHeld: number;
  /** People at those meetings: conveners + participants, counted per meeting. */
  participants: number;
  /** Measures (not declined) due in the period whose deadline has passed at `now`, or that are implemented. */
  measuresDue: number;
  /** Of those, the ones implemented on or before their deadline's day. */
  measuresOnTime: number;
  /** measuresOnTime ÷ measuresDue; null when none was due. */
  onTimeShare: number | null;
  /** Ratings counted in the period. */
  ratings: number;
  /** Their average stars; null when nobody rated. */
  averageSatisfaction: number | null;
  /** People the room names (conveners and members with an id, distinct). */
  members: number;
  /** Of those, the ones listed (by id) among the conveners or participants of a meeting counted in `sessionsHeld`. */
  membersAttending: number;
  /** membersAttending ÷ members; null when the room names nobody. */
  memberParticipation: number | null;
}

/** One criterion as graded: its value, the stars it earns (0–5) and what the next star needs. */
export interface CriterionGrade {
  figure: GradeFigure;
  label?: LocalizedText;
  /** The figure's value (null: nothing to measure yet, which earns 0 stars). */
  value: number | null;
  stars: number;
  thresholds: readonly number[];
  /** The value the next star needs; null at 5 stars. */
  next: number | null;
}

/** A grade: 0 (not yet graded) to 5 stars, and the criteria behind it. */
export interface RoomGrade {
  stars: number;
  criteria: CriterionGrade[];
}

/** One period of a room's grade history. */
export interface RoomGradeRecord {
  period: Period;
  figures: RoomFigures;
  grade: RoomGrade;
  /** False for the period `now` is in (its grade may still change). */
  final: boolean;
}

/** A person a performance file is kept for. */
export interface PerformancePerson {
  id: string;
  name: string;
  role: Role;
  /** The rooms that name them. */
  rooms: string[];
}

/** One target of a performance file, as met. */
export interface PerformanceTargetResult {
  id: string;
  label: LocalizedText;
  figure: PerformanceFigure;
  target: number;
  value: number;
  met: boolean;
}

/** A council member's or convener's performance file (履职档案) for a year. */
export interface PerformanceFile {
  person: PerformancePerson;
  year: number;
  counts: Record<PerformanceFigure, number>;
  targets: PerformanceTargetResult[];
  /** How many targets are met, of how many. */
  met: number;
  of: number;
}

/** One month of the trends the charts draw. */
export interface TrendMonth {
  /** `YYYY-MM`. */
  month: string;
  /** Topics submitted in the month, by source. */
  raised: Record<SourceId, number>;
  raisedTotal: number;
  /** Topics closed (stage `closed`) in the month. */
  solved: number;
  ratings: number;
  averageSatisfaction: number | null;
  /** Measures (not declined) due in the month whose deadline has passed or that are implemented. */
  measuresDue: number;
  /** Of those, implemented by their deadline's day. */
  onTime: number;
  /** Of those, not implemented by their deadline's day. */
  late: number;
}

/** Month-by-month figures from the first month with anything in it to `now`'s month (no gaps). */
export interface Trends {
  room: string | null;
  months: TrendMonth[];
}
