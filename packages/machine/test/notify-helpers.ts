/**
 * A topic's log written entry by entry (explicit times, the server's receipt stamped), applied as
 * the server applies it, collecting the notices each accepted entry causes — for the notify tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflowConfig } from '../src/config/parse-config.js';
import type { WorkflowConfig } from '../src/config/config.types.js';
import type { EventActor, Participant, TopicEventBody } from '../src/consultation.types.js';
import { applyEntry, replay } from '../src/log/replay.js';
import type { EventRefusal, LogEntry } from '../src/log/log.types.js';
import { noticesForEntry } from '../src/notify/notices.js';
import type { NoticeIntent } from '../src/notify/notify.types.js';
import type { TopicSnapshot } from '../src/topic.machine.js';
import { EXAMPLES_DIR, validValues } from './fixtures.js';

export type Raw = Record<string, unknown> & { steps: Array<Record<string, unknown>>; form: { pages: Array<{ fields: Array<Record<string, unknown>> }> } };

/** The Wuxi example with a `notifications` part (and any other change). */
export function wuxi(notifications?: unknown, change: (raw: Raw) => void = () => {}): WorkflowConfig {
  const raw = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'wuxi-community.json'), 'utf8')) as Raw;
  if (notifications !== undefined) raw.notifications = notifications;
  change(raw);
  const parsed = parseWorkflowConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

export const STAFF: EventActor = { role: 'convener', id: 'convener-1' };
export const DEPT: EventActor = { role: 'department', id: 'dept-1' };
export const RESIDENT: EventActor = { role: 'resident', id: 'r-zhang', name: '张阿姨' };

export const CONVENERS: Participant[] = [
  { name: '李书记', role: 'convener', id: 'staff:li' },
  { name: '王委员', role: 'member' },
];
export const PARTICIPANTS: Participant[] = [
  { name: '陈阿姨', role: 'representative', id: 'portal:chen' },
  { name: '住建局刘科长', role: 'department', id: 'staff:liu' },
];

/** The personal values of the log (names), which no notice may carry. */
export const PERSONAL = ['张阿姨', '李书记', '王委员', '陈阿姨', '住建局刘科长', '13900001111'];

export class Log {
  readonly entries: LogEntry[] = [];
  readonly topics = new Map<string, TopicSnapshot>();
  readonly notices: NoticeIntent[] = [];
  constructor(
    readonly config: WorkflowConfig,
    readonly topicId = 't1',
  ) {}

  get snapshot(): TopicSnapshot {
    return this.topics.get(this.topicId)!;
  }

  /** Tries an entry (received at `at`, or at `receivedAt`); returns its refusal, or the notices it caused. */
  try(at: string, event: TopicEventBody, by: EventActor = STAFF, receivedAt = at): { refusal: EventRefusal } | { notices: NoticeIntent[] } {
    const entry: LogEntry = { id: `e${this.entries.length + 1}`, topicId: this.topicId, seq: this.entries.length + 1, event, by, at, receivedAt };
    const before = this.topics.get(this.topicId);
    const refusal = applyEntry(this.config, this.topics, entry);
    if (refusal) return { refusal };
    this.entries.push(entry);
    const notices = noticesForEntry(before, this.snapshot, entry);
    this.notices.push(...notices);
    return { notices };
  }

  /** Applies an entry that must be accepted; returns the notices it caused. */
  send(at: string, event: TopicEventBody, by: EventActor = STAFF, receivedAt = at): NoticeIntent[] {
    const result = this.try(at, event, by, receivedAt);
    if ('refusal' in result) throw new Error(`${event.type} at ${at} refused: ${result.refusal.code} ${result.refusal.message}`);
    return result.notices;
  }

  /** The topic replayed from its log alone (as after a restore). */
  replayed(): TopicSnapshot {
    return replay(this.config, this.entries).topics.get(this.topicId)!;
  }

  submit(at: string, title = '3号楼加装电梯'): this {
    const values = { ...validValues(this.config), title, name: '张阿姨' };
    this.send(at, { type: 'topic.submit', values, source: 'resident' } as TopicEventBody, RESIDENT);
    return this;
  }

  schedule(at: string, start: string, place = '幸福里社区议事室'): NoticeIntent[] {
    return this.send(at, { type: 'meeting.schedule', format: 'room', start, place, conveners: CONVENERS, participants: PARTICIPANTS });
  }

  /**
   * Holds the scheduled meeting as the convener: `meeting.start` at `start`, its three advances an
   * hour apart, then `record` (a `meeting.record`) an hour after the last; the record's notices.
   */
  hold(start: string, record: TopicEventBody): NoticeIntent[] {
    const hour = (n: number) => new Date(Date.parse(start) + n * 3_600_000).toISOString();
    this.send(start, { type: 'meeting.start' });
    for (const n of [1, 2, 3]) this.send(hour(n), { type: 'meeting.advance' });
    return this.send(hour(4), record);
  }
}
