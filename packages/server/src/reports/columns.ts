/**
 * What the exports hold (`GET /programmes/{p}/reports/{kind}.{csv|xlsx}`): for each kind of
 * report, its columns (a header in zh-CN and en, a type, whether it is personal) and its rows,
 * derived from the topics' replayed state — the same snapshots every figure of the server is
 * computed from, so an export adds up to the figures and the room page.
 *
 * Rows are produced lazily (generators), one topic at a time, so a writer can stream them.
 * Personal columns (the submitter's name, the form's personal answers, the names of a meeting's
 * participants, a rater's name and comment) exist only in a `personal` report; the others
 * never see a personal value, because they are built from the redacted log (where those values
 * are the redaction marker) and never ask for those columns.
 */
import {
  gradeRoom,
  isRedacted,
  personalFieldNames,
  ratingKind,
  roomById,
  selectRoomFigures,
  summarizeTopic,
  type Locale,
  type LocalizedText,
  type Period,
  type RoomConfig,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine';

/** The kinds of report. */
export const REPORT_KINDS = ['topics', 'measures', 'meetings', 'ratings', 'rooms'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The file formats. */
export const REPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * How a column's values are written: `date` (YYYY-MM-DD) and `datetime` (an ISO time, written as
 * the wall-clock time of its own offset) become dates in a spreadsheet; `share` is 0–1.
 */
export type ColumnType = 'text' | 'number' | 'share' | 'date' | 'datetime' | 'boolean';

/** A cell: text, a number, a boolean, an ISO date or time (for date columns), or empty. */
export type Cell = string | number | boolean | null;

/** One column of a report. */
export interface Column {
  id: string;
  header: LocalizedText;
  type: ColumnType;
  /** Only in a report for a role of the config's `personalDataRoles`. */
  personal?: boolean;
}

/** The chosen rows: dates are calendar dates (YYYY-MM-DD), both ends inclusive. */
export interface ReportFilter {
  from?: string;
  to?: string;
  /** Rooms' ids (a topic's room now; a room's own id for the rooms report). */
  room?: readonly string[];
  /** Levels (a topic's level now, after any escalation; a room's level). */
  level?: readonly string[];
  /** The principal's level scope: only topics (rooms) at these levels. */
  scopeLevels?: readonly string[];
}

/** What a report is built from. */
export interface ReportInput {
  kind: ReportKind;
  /** The programme's latest config (headers, labels, rooms, grading). */
  config: WorkflowConfig;
  /** Every topic, replayed (from the joined log when `personal`, else the redacted one). */
  topics: Iterable<TopicSnapshot>;
  filter: ReportFilter;
  personal: boolean;
  lang: Locale;
  /** The moment figures are computed at (ISO). */
  now: string;
  /** The grading periods of the rooms report (oldest first). */
  periods?: readonly Period[];
}

/** A report: its columns and a lazy sequence of rows (one cell per column). */
export interface Report {
  columns: Column[];
  rows: Iterable<Cell[]>;
}

const t = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

const SOURCE: Record<string, LocalizedText> = {
  resident: t('群众出题', 'Raised by residents'),
  member: t('委员荐题', 'Recommended by members'),
  government: t('党政点题', 'Set by the Party and government'),
  grid: t('网格筛题', 'Found by grid workers'),
  open311: t('12345热线', 'Via the 12345 hotline (Open311)'),
};

const LEVEL: Record<string, LocalizedText> = {
  village: t('村', 'Village'),
  community: t('社区', 'Community'),
  town: t('镇', 'Town'),
  street: t('街道', 'Street'),
  park: t('园区', 'Park'),
  district: t('区', 'District'),
  county: t('县', 'County'),
  city: t('市', 'City'),
  sector: t('界别', 'Sector'),
};

const STATUS: Record<string, LocalizedText> = {
  screening: t('审核中', 'Screening'),
  rejected: t('不予受理', 'Rejected'),
  merged: t('已合并', 'Merged'),
  redirected: t('转其他渠道', 'Redirected'),
  withdrawn: t('已撤回', 'Withdrawn'),
  research: t('调研中', 'Research'),
  meeting: t('协商中', 'Meeting'),
  handling: t('办理中', 'Handling'),
  evaluation: t('评价中', 'Evaluation'),
  closed: t('已办结', 'Closed'),
  unresolved: t('未解决', 'Unresolved'),
};

const MEASURE_STATUS: Record<string, LocalizedText> = {
  proposed: t('已提出', 'Proposed'),
  adopted: t('已采纳', 'Adopted'),
  declined: t('不予采纳', 'Declined'),
  inProgress: t('办理中', 'In progress'),
  implemented: t('已落实', 'Implemented'),
};

const CONSENSUS: Record<string, LocalizedText> = {
  full: t('达成共识', 'Full'),
  partial: t('部分共识', 'Partial'),
  none: t('未达成共识', 'None'),
};

const RATER: Record<string, LocalizedText> = {
  submitter: t('提出人', 'Submitter'),
  'follow-code': t('凭查询码', 'By follow code'),
  community: t('社区居民', 'Community resident'),
  participant: t('参会人员', 'Participant'),
  'staff-token': t('工作人员', 'Staff'),
};

/** The kinds of participant a meeting report counts (roles grouped). */
const PARTICIPANT_GROUPS: Array<{ id: string; header: LocalizedText; roles: readonly string[] }> = [
  { id: 'residents', header: t('群众代表人数', 'Residents'), roles: ['resident', 'representative'] },
  { id: 'members', header: t('政协委员人数', 'Council members'), roles: ['member'] },
  { id: 'officials', header: t('党政及部门人数', 'Officials and departments'), roles: ['government', 'department', 'convener', 'grid', 'admin'] },
  { id: 'others', header: t('专家及利益相关方人数', 'Experts, notables, stakeholders'), roles: ['expert', 'notable', 'stakeholder'] },
];

const label = (map: Record<string, LocalizedText>, id: string | undefined, lang: Locale): string => (id === undefined ? '' : (map[id]?.[lang] ?? id));

/** The calendar date an ISO date or time is written on. */
export const dateOf = (iso: string): string => iso.slice(0, 10);

/** Whether a calendar date is inside the filter's period. */
function inPeriod(date: string | undefined, filter: ReportFilter): boolean {
  if (date === undefined) return filter.from === undefined && filter.to === undefined;
  const day = dateOf(date);
  return (filter.from === undefined || day >= filter.from) && (filter.to === undefined || day <= filter.to);
}

/** Whether a topic is among those the filter (and the scope) chose, by its room and level now. */
function topicChosen(snapshot: TopicSnapshot, filter: ReportFilter): boolean {
  const ctx = snapshot.context;
  if (!ctx.submittedAt) return false;
  if (filter.room && !(ctx.room !== undefined && filter.room.includes(ctx.room))) return false;
  if (filter.level && !filter.level.includes(ctx.level)) return false;
  if (filter.scopeLevels && !filter.scopeLevels.includes(ctx.level)) return false;
  return true;
}

/** A value as a cell: the redaction marker (and anything not a plain value) never leaks through. */
function plain(value: unknown): Cell {
  if (value === undefined || value === null || isRedacted(value)) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => plain(v)).filter((v) => v !== null).join('、');
  if (typeof value === 'object') {
    const text = (value as { address?: unknown; name?: unknown }).address ?? (value as { name?: unknown }).name;
    return typeof text === 'string' ? text : null;
  }
  return null;
}

const text = (value: unknown): string => {
  const cell = plain(value);
  return cell === null ? '' : String(cell);
};

function roomName(config: WorkflowConfig, id: string | undefined, lang: Locale): string {
  if (id === undefined) return '';
  return roomById(config, id)?.name[lang] ?? id;
}

/** The topic columns every per-topic report starts with. */
const TOPIC_KEY: Column[] = [
  { id: 'topicId', header: t('议题编号', 'Topic id'), type: 'text' },
  { id: 'title', header: t('议题', 'Topic'), type: 'text' },
  { id: 'room', header: t('议事室', 'Room'), type: 'text' },
  { id: 'level', header: t('层级', 'Level'), type: 'text' },
];

function topicKey(snapshot: TopicSnapshot, input: ReportInput): Cell[] {
  const ctx = snapshot.context;
  return [ctx.topicId, topicTitle(snapshot, input), roomName(input.config, ctx.room, input.lang), label(LEVEL, ctx.level, input.lang)];
}

/** The title as the index shows it (empty when the config marks it personal), or the submitted one for a personal report. */
function topicTitle(snapshot: TopicSnapshot, input: ReportInput): string {
  const summary = summarizeTopic(snapshot, 0, 0);
  if (summary.title !== '' || !input.personal) return summary.title;
  return text(snapshot.context.title);
}

// ── The reports ───────────────────────────────────────────────────────────────────────────

function topicsReport(input: ReportInput): Report {
  const { config, lang, personal } = input;
  const fields = personal ? personalFieldNames(config) : [];
  const fieldLabels = new Map(config.form.pages.flatMap((p) => p.fields).map((f) => [f.name, f.label]));
  const columns: Column[] = [
    ...TOPIC_KEY,
    { id: 'category', header: t('类别', 'Category'), type: 'text' },
    { id: 'source', header: t('议题来源', 'Source'), type: 'text' },
    { id: 'stage', header: t('办理阶段', 'Stage'), type: 'text' },
    { id: 'submittedAt', header: t('提出时间', 'Raised'), type: 'datetime' },
    { id: 'closedAt', header: t('办结时间', 'Closed'), type: 'datetime' },
    { id: 'meetings', header: t('协商次数', 'Meetings'), type: 'number' },
    { id: 'measures', header: t('措施数', 'Measures'), type: 'number' },
    { id: 'measuresImplemented', header: t('已落实措施数', 'Measures implemented'), type: 'number' },
    { id: 'satisfaction', header: t('满意度（星）', 'Satisfaction (stars)'), type: 'number' },
    ...(personal
      ? [
          { id: 'submitter', header: t('提出人', 'Raised by'), type: 'text', personal: true } satisfies Column,
          ...fields.map((name): Column => ({ id: `field:${name}`, header: fieldLabels.get(name) ?? t(name, name), type: 'text', personal: true })),
        ]
      : []),
  ];
  function* rows(): Generator<Cell[]> {
    for (const snapshot of input.topics) {
      if (!topicChosen(snapshot, input.filter) || !inPeriod(snapshot.context.submittedAt, input.filter)) continue;
      const ctx = snapshot.context;
      const summary = summarizeTopic(snapshot, 0, 0);
      const category = summary.category === undefined ? '' : (categoryLabel(config, summary.category, lang) ?? summary.category);
      const row: Cell[] = [
        ...topicKey(snapshot, input),
        category,
        config.step.intake.sources.find((s) => s.id === ctx.source)?.label?.[lang] ?? label(SOURCE, ctx.source, lang),
        label(STATUS, summary.status, lang),
        ctx.submittedAt ?? null,
        ctx.closedAt ?? null,
        ctx.meetings.filter((m) => m.record).length,
        ctx.measures.length,
        ctx.measures.filter((m) => m.status === 'implemented').length,
        summary.rating?.average ?? null,
      ];
      if (personal) {
        row.push(text(ctx.submittedBy?.name));
        for (const name of fields) row.push(plain(ctx.values[name]));
      }
      yield row;
    }
  }
  return { columns, rows: { [Symbol.iterator]: rows } };
}

function categoryLabel(config: WorkflowConfig, value: string, lang: Locale): string | undefined {
  for (const field of config.form.pages.flatMap((p) => p.fields)) {
    const option = field.options?.find((o) => o.value === value);
    if (option) return option.label[lang];
  }
  return undefined;
}

/** Whether a measure was implemented by its deadline's day (null: not implemented). */
export function onTime(measure: { status: string; due: string; implementedAt?: string }): boolean | null {
  if (measure.status !== 'implemented' || !measure.implementedAt) return null;
  return dateOf(measure.implementedAt) <= dateOf(measure.due);
}

function measuresReport(input: ReportInput): Report {
  const { config, lang } = input;
  const parties = new Map(config.step.handling.parties.map((p) => [p.id, p.label]));
  const columns: Column[] = [
    ...TOPIC_KEY,
    { id: 'measureId', header: t('措施编号', 'Measure id'), type: 'text' },
    { id: 'measure', header: t('措施内容', 'Measure'), type: 'text' },
    { id: 'party', header: t('责任单位', 'Responsible party'), type: 'text' },
    { id: 'due', header: t('办理时限', 'Due'), type: 'date' },
    { id: 'status', header: t('状态', 'Status'), type: 'text' },
    { id: 'adoptedAt', header: t('采纳时间', 'Adopted'), type: 'datetime' },
    { id: 'implementedAt', header: t('落实时间', 'Implemented'), type: 'datetime' },
    { id: 'onTime', header: t('按期落实', 'On time'), type: 'boolean' },
    { id: 'result', header: t('办理结果', 'Result'), type: 'text' },
    { id: 'reason', header: t('不予采纳理由', 'Reason declined'), type: 'text' },
  ];
  function* rows(): Generator<Cell[]> {
    for (const snapshot of input.topics) {
      if (!topicChosen(snapshot, input.filter)) continue;
      const key = topicKey(snapshot, input);
      for (const m of snapshot.context.measures) {
        if (!inPeriod(m.due, input.filter)) continue;
        yield [
          ...key,
          m.id,
          m.text,
          parties.get(m.party)?.[lang] ?? m.party,
          dateOf(m.due),
          label(MEASURE_STATUS, m.status, lang),
          m.adoptedAt ?? null,
          m.implementedAt ?? null,
          onTime(m),
          m.result ?? '',
          m.reason ?? '',
        ];
      }
    }
  }
  return { columns, rows: { [Symbol.iterator]: rows } };
}

function meetingsReport(input: ReportInput): Report {
  const { config, lang, personal } = input;
  const formats = new Map(config.step.meeting.formats.map((f) => [f.id, f.label]));
  const columns: Column[] = [
    ...TOPIC_KEY,
    { id: 'round', header: t('轮次', 'Round'), type: 'number' },
    { id: 'time', header: t('时间', 'Time'), type: 'datetime' },
    { id: 'place', header: t('地点', 'Place'), type: 'text' },
    { id: 'subject', header: t('主题', 'Subject'), type: 'text' },
    { id: 'format', header: t('协商形式', 'Format'), type: 'text' },
    { id: 'conveners', header: t('召集人', 'Conveners'), type: 'text' },
    { id: 'participants', header: t('参会人数', 'Participants'), type: 'number' },
    ...PARTICIPANT_GROUPS.map((g): Column => ({ id: `participants:${g.id}`, header: g.header, type: 'number' })),
    { id: 'measures', header: t('形成措施数', 'Measures agreed'), type: 'number' },
    { id: 'measureTexts', header: t('措施', 'Measures'), type: 'text' },
    { id: 'effect', header: t('效果', 'Effect'), type: 'text' },
    { id: 'consensus', header: t('共识程度', 'Consensus'), type: 'text' },
    ...(personal ? [{ id: 'participantNames', header: t('参会人员', 'Participants by name'), type: 'text', personal: true } satisfies Column] : []),
  ];
  function* rows(): Generator<Cell[]> {
    for (const snapshot of input.topics) {
      if (!topicChosen(snapshot, input.filter)) continue;
      const key = topicKey(snapshot, input);
      const measures = new Map(snapshot.context.measures.map((m) => [m.id, m.text]));
      for (const meeting of snapshot.context.meetings) {
        const record = meeting.record;
        if (!record || !inPeriod(record.time, input.filter)) continue;
        // Conveners are officials, always named; their names are no personal data.
        const row: Cell[] = [
          ...key,
          meeting.round,
          record.time,
          record.place,
          record.topic,
          formats.get(meeting.format)?.[lang] ?? meeting.format,
          meeting.conveners.map((c) => text(c.name)).filter(Boolean).join('、'),
          meeting.conveners.length + meeting.participants.length,
          ...PARTICIPANT_GROUPS.map((g) => meeting.participants.filter((p) => g.roles.includes(p.role)).length),
          record.measureIds.length,
          record.measureIds.map((id) => measures.get(id) ?? id).join('；'),
          record.effect,
          label(CONSENSUS, record.consensus, lang),
        ];
        if (personal) row.push(meeting.participants.map((p) => text(p.name)).filter(Boolean).join('、'));
        yield row;
      }
    }
  }
  return { columns, rows: { [Symbol.iterator]: rows } };
}

function ratingsReport(input: ReportInput): Report {
  const { lang, personal } = input;
  const columns: Column[] = [
    ...TOPIC_KEY,
    { id: 'round', header: t('评价轮次', 'Round'), type: 'number' },
    { id: 'stars', header: t('星级', 'Stars'), type: 'number' },
    { id: 'rater', header: t('评价人类别', 'Kind of rater'), type: 'text' },
    { id: 'at', header: t('评价时间', 'Rated'), type: 'datetime' },
    ...(personal
      ? [
          { id: 'raterName', header: t('评价人', 'Rater'), type: 'text', personal: true } satisfies Column,
          { id: 'comment', header: t('评价意见', 'Comment'), type: 'text', personal: true } satisfies Column,
        ]
      : []),
  ];
  function* rows(): Generator<Cell[]> {
    for (const snapshot of input.topics) {
      if (!topicChosen(snapshot, input.filter)) continue;
      const key = topicKey(snapshot, input);
      const ctx = snapshot.context;
      for (const [index, round] of ctx.evaluations.entries()) {
        for (const rating of round.ratings) {
          if (!inPeriod(rating.at, input.filter)) continue;
          const row: Cell[] = [...key, index + 1, rating.stars, label(RATER, rating.by.id === undefined ? undefined : ratingKind(ctx, rating.by.id), lang), rating.at];
          if (personal) row.push(text(rating.by.name), rating.comment ?? '');
          yield row;
        }
      }
    }
  }
  return { columns, rows: { [Symbol.iterator]: rows } };
}

/** The rooms the rooms report covers (by the filter's rooms and levels and the scope's levels). */
export function reportRooms(config: WorkflowConfig, filter: ReportFilter): RoomConfig[] {
  return (config.rooms?.list ?? []).filter(
    (room) =>
      (!filter.room || filter.room.includes(room.id)) &&
      (!filter.level || filter.level.includes(room.level)) &&
      (!filter.scopeLevels || filter.scopeLevels.includes(room.level)),
  );
}

function roomsReport(input: ReportInput): Report {
  const { config, lang } = input;
  const columns: Column[] = [
    { id: 'room', header: t('议事室编号', 'Room id'), type: 'text' },
    { id: 'name', header: t('议事室', 'Room'), type: 'text' },
    { id: 'level', header: t('层级', 'Level'), type: 'text' },
    { id: 'period', header: t('评定周期', 'Period'), type: 'text' },
    { id: 'from', header: t('起始日期', 'From'), type: 'date' },
    { id: 'to', header: t('截止日期', 'To'), type: 'date' },
    { id: 'sessionsHeld', header: t('协商议事次数', 'Sessions held'), type: 'number' },
    { id: 'participants', header: t('参与人次', 'Participants'), type: 'number' },
    { id: 'topicsRaised', header: t('议题数', 'Topics raised'), type: 'number' },
    { id: 'topicsSolved', header: t('解决议题数', 'Topics solved'), type: 'number' },
    { id: 'solvedShare', header: t('解决率', 'Share solved'), type: 'share' },
    { id: 'measuresDue', header: t('到期措施数', 'Measures due'), type: 'number' },
    { id: 'measuresOnTime', header: t('按期落实数', 'Measures on time'), type: 'number' },
    { id: 'onTimeShare', header: t('按期落实率', 'Share on time'), type: 'share' },
    { id: 'ratings', header: t('评价数', 'Ratings'), type: 'number' },
    { id: 'averageSatisfaction', header: t('平均满意度', 'Average satisfaction'), type: 'number' },
    { id: 'members', header: t('委员人数', 'Members'), type: 'number' },
    { id: 'membersAttending', header: t('参与委员数', 'Members attending'), type: 'number' },
    { id: 'memberParticipation', header: t('委员参与率', 'Member participation'), type: 'share' },
    { id: 'stars', header: t('星级', 'Stars'), type: 'number' },
  ];
  const topics = [...input.topics];
  function* rows(): Generator<Cell[]> {
    for (const room of reportRooms(config, input.filter)) {
      for (const period of input.periods ?? []) {
        const f = selectRoomFigures(topics, config, room.id, period, input.now);
        const grade = gradeRoom(f, config.grading);
        // A period is written as its days, both ends inclusive (the Period's `to` is the day after).
        yield [
          room.id,
          room.name[lang],
          label(LEVEL, room.level, lang),
          period.key,
          period.from,
          previousDay(period.to),
          f.sessionsHeld,
          f.participants,
          f.topicsRaised,
          f.topicsSolved,
          f.solvedShare,
          f.measuresDue,
          f.measuresOnTime,
          f.onTimeShare,
          f.ratings,
          f.averageSatisfaction === null ? null : Math.round(f.averageSatisfaction * 100) / 100,
          f.members,
          f.membersAttending,
          f.memberParticipation,
          grade.stars,
        ];
      }
    }
  }
  return { columns, rows: { [Symbol.iterator]: rows } };
}

/** YYYY-MM-DD of the day before. */
export function previousDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** YYYY-MM-DD of the day after. */
export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The report of a kind: its columns (personal ones only when `input.personal`) and its rows. */
export function buildReport(input: ReportInput): Report {
  switch (input.kind) {
    case 'topics':
      return topicsReport(input);
    case 'measures':
      return measuresReport(input);
    case 'meetings':
      return meetingsReport(input);
    case 'ratings':
      return ratingsReport(input);
    case 'rooms':
      return roomsReport(input);
  }
}

/** The file name of a report (ASCII and the programme's id; the title in the chosen language). */
export function reportFileName(programmeId: string, kind: ReportKind, format: ReportFormat, filter: ReportFilter, lang: Locale): string {
  const names: Record<ReportKind, LocalizedText> = {
    topics: t('议题', 'topics'),
    measures: t('措施', 'measures'),
    meetings: t('协商会议', 'meetings'),
    ratings: t('评价', 'ratings'),
    rooms: t('议事室星级', 'rooms'),
  };
  const span = filter.from || filter.to ? `-${filter.from ?? ''}_${filter.to ?? ''}` : '';
  return `${programmeId}-${names[kind][lang]}${span}.${format}`;
}
