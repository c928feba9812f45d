/**
 * Notifications, as the workflow config describes them and the machine derives them from a
 * topic's log: which moments tell whom (`NoticeTrigger` × `Audience`), in which words (texts in
 * zh-CN and en with `{variables}`), and when the server's clock must act (`TopicTimer`).
 *
 * The machine never sends anything and never reads the clock: it says *what* is due (pure
 * functions of the config, the topic's snapshot and the entry that changed it); the server's
 * job queue says *when* and its channels (webhooks, e-mail) say *how* and *to whom exactly*.
 */
import type { LocalizedText } from '../config/vocabulary.js';

/**
 * The moments a notice can be sent at. Event-driven ones come from an accepted entry
 * (`noticesForEntry`); clock-driven ones from a timer the server fires (`noticesForTimer`).
 */
export type NoticeTrigger =
  /** screening.accept */
  | 'topic.accepted'
  /** screening.reject (variable `reason`) */
  | 'topic.rejected'
  /** meeting.schedule, the round's first */
  | 'meeting.scheduled'
  /** meeting.schedule again in the same round (variable `previousStart`) */
  | 'meeting.moved'
  /** clock: `meetingReminderHours` before the meeting's start */
  | 'meeting.reminder'
  /** meeting.record: one per measure, to its party */
  | 'measure.assigned'
  /** clock: `dueSoonDays` before a measure's due date, while it is open */
  | 'measure.dueSoon'
  /** clock: a measure's due date passed while it is open */
  | 'measure.overdue'
  /** feedback.publish */
  | 'feedback.published'
  /** an evaluation round opened (rating starts) */
  | 'rating.opened'
  /** clock: `ratingClosingHours` before the rating window ends, while the round is open */
  | 'rating.closing';

export const NOTICE_TRIGGERS: readonly NoticeTrigger[] = [
  'topic.accepted',
  'topic.rejected',
  'meeting.scheduled',
  'meeting.moved',
  'meeting.reminder',
  'measure.assigned',
  'measure.dueSoon',
  'measure.overdue',
  'feedback.published',
  'rating.opened',
  'rating.closing',
];

/**
 * Who is told: `resident` (whoever subscribed to the topic with its follow code),
 * `participants` (the meeting's conveners and participants), `department` (the responsible party
 * of the measure), `convener` (the programme's conveners), `supervisor` (the programme's
 * supervisor, 督办). The server resolves each to addresses from its own directory and the
 * residents' subscriptions; the config never holds an address.
 */
export type Audience = 'resident' | 'participants' | 'department' | 'convener' | 'supervisor';
export const AUDIENCES: readonly Audience[] = ['resident', 'participants', 'department', 'convener', 'supervisor'];

/**
 * The variables every notice's text may use: `title` (the topic's title, '' when the config
 * marks it personal), `topicId`, `programme` (the programme's title in the notice's language).
 */
export const COMMON_VARIABLES = ['title', 'topicId', 'programme'] as const;

/**
 * The variables each trigger adds to `COMMON_VARIABLES`. A text naming any other variable is a
 * config error (`unknown-variable`, with its pointer).
 * Times (`start`, `previousStart`, `due`, `closesAt`) are rendered in the notice's language,
 * in the programme's time zone (Asia/Shanghai unless the server says otherwise).
 */
export const TRIGGER_VARIABLES: Readonly<Record<NoticeTrigger, readonly string[]>> = {
  'topic.accepted': [],
  'topic.rejected': ['reason'],
  'meeting.scheduled': ['start', 'place', 'format'],
  'meeting.moved': ['start', 'place', 'format', 'previousStart'],
  'meeting.reminder': ['start', 'place', 'format'],
  'measure.assigned': ['measure', 'party', 'due'],
  'measure.dueSoon': ['measure', 'party', 'due', 'daysLeft'],
  'measure.overdue': ['measure', 'party', 'due', 'daysOverdue'],
  'feedback.published': ['feedback'],
  'rating.opened': ['closesAt'],
  'rating.closing': ['closesAt'],
};

/** One notice as the config sets it: who is told, and the words. */
export interface NoticeRule {
  /** Who is told; `[]` turns the notice off. */
  to: Audience[];
  /** The e-mail subject (and a webhook's `subject`), with `{variables}`. */
  subject: LocalizedText;
  /** The message, with `{variables}`; plain text. */
  text: LocalizedText;
}

/** The `notifications` part of a checked config, every default applied. */
export interface NotificationsConfig {
  /** Off: no notice is derived at all (timers that act, like closing an evaluation, still run). */
  enabled: boolean;
  /** How many days before a measure's due date "due soon" is sent (default 3; 0: never). */
  dueSoonDays: number;
  /** How many hours before the rating window ends "closing" is sent (default 48; 0: never). */
  ratingClosingHours: number;
  /** How many hours before a meeting's start the reminder is sent (default 24; 0: never). */
  meetingReminderHours: number;
  /**
   * The rules the city wrote, by trigger (a rule written in part is completed from the default).
   * Read a trigger's rule with `noticeRule(config, trigger)`, which falls back to
   * `DEFAULT_NOTICES` for a trigger the city left out.
   */
  notices: Partial<Record<NoticeTrigger, NoticeRule>>;
}

/**
 * What a timer does when the server's clock reaches it: send a trigger's notices
 * (`meeting.reminder`, `measure.dueSoon`, `measure.overdue`, `rating.closing`) or act
 * (`evaluation.end`: the server appends `evaluation.close` as the system actor).
 */
export type TimerKind = 'meeting.reminder' | 'measure.dueSoon' | 'measure.overdue' | 'rating.closing' | 'evaluation.end';

/**
 * One moment the server's clock must act on for a topic, derived from its snapshot alone
 * (`topicTimers`), so rebuilding the jobs from the log gives the same set. `key` is stable and
 * unique within the programme: the same moment always has the same key, a changed moment
 * (a meeting moved, a new evaluation round) a new one.
 */
export interface TopicTimer {
  key: string;
  kind: TimerKind;
  topicId: string;
  /** When it fires (ISO 8601 UTC). */
  at: string;
  /** The measure it is about (`measure.*`). */
  measureId?: string;
  /** The meeting or evaluation round it is about (1-based). */
  round?: number;
}

/** The system actor the server's clock acts as (a logged `evaluation.close` when a window ends). */
export const SYSTEM_ACTOR = { role: 'admin', id: 'system:clock', name: 'consult-kit' } as const;

/** A meeting, for the calendar invite (.ics) a meeting notice carries. */
export interface NoticeMeeting {
  round: number;
  /** ISO start. */
  start: string;
  place: string;
  format: string;
  /** How many times this round was scheduled (the iCalendar SEQUENCE: 0 first, 1 after a move…). */
  sequence: number;
}

/**
 * One notice to send, before the server resolves its recipients: derived by the machine from an
 * entry or a timer. `key` is stable: the same entry or timer always gives the same keys (the
 * server's outbox is unique on key × recipient, so a notice is never sent twice).
 */
export interface NoticeIntent {
  key: string;
  trigger: NoticeTrigger;
  topicId: string;
  /** From the config's rule for the trigger. */
  to: Audience[];
  /** Every variable the trigger has, as raw values (ISO times, numbers as strings). */
  vars: Record<string, string>;
  /** The measure's party (`department`), when the notice is about a measure. */
  party?: string;
  /** The ids of the meeting's conveners and participants that have one (`participants`). */
  participantIds?: string[];
  /** The meeting, for a calendar invite. */
  meeting?: NoticeMeeting;
  /** When it happened: the entry's effective time or the timer's time (ISO). */
  at: string;
}

/** A notice's words in one language. */
export interface RenderedNotice {
  subject: string;
  text: string;
}
