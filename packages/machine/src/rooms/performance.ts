/**
 * Members' performance files (履职档案): what each council member and convener did in a calendar
 * year, counted from topics' replayed state in one pass, against the config's yearly targets.
 */
import type { Role, WorkflowConfig } from '../config/config.types.js';
import type { EventActor, Participant } from '../consultation.types.js';
import { isRedacted } from '../log/redact.js';
import type { TopicSnapshot } from '../topic.machine.js';
import { toMillis } from '../time.js';
import { snapshotsOf } from './figures.js';
import { millisOf } from './periods.js';
import { PERFORMANCE_FIGURES, type PerformanceFigure, type PerformanceFile } from './rooms.types.js';

const FILED_ROLES: ReadonlySet<unknown> = new Set<Role>(['member', 'convener']);

interface Person {
  id: string;
  name: string;
  role: Role;
  rooms: string[];
  /** Named by a room: its name and role are the room list's. */
  listed: boolean;
  /** When the name was last seen in the log (for people no room names). */
  seenAt: number;
  counts: Record<PerformanceFigure, number>;
  consulted: Set<string>;
  followed: Set<string>;
}

const zero = (): Record<PerformanceFigure, number> => Object.fromEntries(PERFORMANCE_FIGURES.map((f) => [f, 0])) as Record<PerformanceFigure, number>;

/**
 * Every performance file for `year`: one for each person a room names (conveners, members) and
 * for each id the log shows with role `member` or `convener` (as an event's sender, or among a
 * meeting's conveners or participants), named from the room list, else by the latest name the
 * log shows. Counted in the year of each event's date, only what happened by `now`:
 *
 * - `topicsRaised`: topics they submitted; `topicsRecommended`: of those, source `member`.
 * - `researchVisits`: research they completed.
 * - `meetingsConvened` / `meetingsAttended`: recorded meetings (by the record's date) they were
 *   a convener of / a participant in; `consultations`: topics with such a meeting (rounds once).
 * - `suggestionsMade`: measures agreed at a recorded meeting that name them as `proposedBy`.
 * - `measuresFollowed`: measures they wrote a progress note on (each once a year).
 *
 * Room-named people come first, in the rooms' order, then the others by id.
 */
export function selectPerformanceFiles(
  topics: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>,
  config: WorkflowConfig,
  year: number,
  now: string | number,
): PerformanceFile[] {
  const nowMs = millisOf(now);
  const people = new Map<string, Person>();
  const person = (id: string): Person => {
    let p = people.get(id);
    if (!p) {
      p = { id, name: id, role: 'member', rooms: [], listed: false, seenAt: -Infinity, counts: zero(), consulted: new Set(), followed: new Set() };
      people.set(id, p);
    }
    return p;
  };
  for (const room of config.rooms?.list ?? []) {
    for (const named of [...room.conveners, ...room.members]) {
      const p = person(named.id);
      if (!p.listed) Object.assign(p, { name: named.name, role: named.role, listed: true });
      if (!p.rooms.includes(room.id)) p.rooms.push(room.id);
    }
  }
  const inYear = (iso: string | undefined): boolean => {
    if (!iso) return false;
    const ms = toMillis(iso);
    return Number.isFinite(ms) && ms <= nowMs && iso.slice(0, 4) === String(year);
  };
  /** The person an actor is, when their performance counts (a room names them, or their role is member or convener). */
  const filed = (who: EventActor | Participant | undefined, iso: string | undefined): Person | null => {
    const id = who?.id;
    if (typeof id !== 'string' || id === '') return null;
    const known = people.get(id);
    if (!known && !FILED_ROLES.has(who!.role)) return null;
    const p = known ?? person(id);
    const ms = iso ? toMillis(iso) : NaN;
    if (!p.listed && FILED_ROLES.has(who!.role) && Number.isFinite(ms) && ms <= nowMs && ms >= p.seenAt) {
      const name = who!.name;
      if (typeof name === 'string' && name.trim() !== '' && !isRedacted(name)) p.name = name;
      p.role = who!.role;
      p.seenAt = ms;
    }
    return p;
  };
  for (const snapshot of snapshotsOf(topics)) {
    const ctx = snapshot.context;
    const submitter = filed(ctx.submittedBy, ctx.submittedAt);
    if (submitter && inYear(ctx.submittedAt)) {
      submitter.counts.topicsRaised++;
      if (ctx.source === 'member') submitter.counts.topicsRecommended++;
    }
    if (ctx.screening) filed(ctx.screening.by, ctx.screening.at);
    for (const e of ctx.escalations) filed(e.by, e.at);
    if (ctx.research) {
      const researcher = filed(ctx.research.by, ctx.research.at);
      if (researcher && inYear(ctx.research.at)) researcher.counts.researchVisits++;
    }
    for (const meeting of ctx.meetings) {
      const record = meeting.record;
      const when = record?.at ?? meeting.scheduledAt;
      const counted = record !== undefined && inYear(record.at);
      for (const c of meeting.conveners) {
        const p = filed(c, when);
        if (p && counted) {
          p.counts.meetingsConvened++;
          p.consulted.add(ctx.topicId);
        }
      }
      for (const c of meeting.participants) {
        const p = filed(c, when);
        if (p && counted) {
          p.counts.meetingsAttended++;
          p.consulted.add(ctx.topicId);
        }
      }
      if (record) filed(record.by, record.at);
    }
    for (const measure of ctx.measures) {
      const record = ctx.meetings[measure.round - 1]?.record;
      if (measure.proposedBy && record && inYear(record.at)) {
        const p = people.get(measure.proposedBy);
        if (p) p.counts.suggestionsMade++;
      }
      for (const note of measure.notes) {
        const p = filed(note.by, note.at);
        if (p && inYear(note.at)) p.followed.add(`${ctx.topicId}\u0000${measure.id}`);
      }
    }
    for (const f of ctx.feedback) filed(f.by, f.at);
    for (const round of ctx.evaluations) for (const r of round.ratings) filed(r.by, r.at);
    if (ctx.withdrawal) filed(ctx.withdrawal.by, ctx.withdrawal.at);
  }
  const listed = [...people.values()].filter((p) => p.listed);
  const others = [...people.values()].filter((p) => !p.listed).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [...listed, ...others].map((p) => {
    const counts = { ...p.counts, consultations: p.consulted.size, measuresFollowed: p.followed.size };
    const targets = config.performance.targets.map((t) => ({
      id: t.id,
      label: t.label,
      figure: t.figure,
      target: t.perYear,
      value: counts[t.figure] ?? 0,
      met: (counts[t.figure] ?? 0) >= t.perYear,
    }));
    return {
      person: { id: p.id, name: p.name, role: p.role, rooms: [...p.rooms] },
      year,
      counts,
      targets,
      met: targets.filter((t) => t.met).length,
      of: targets.length,
    };
  });
}
