/**
 * Personal data apart from the log. A shareable log entry holds no personal value: each one is
 * replaced by the `REDACTED` marker and its JSON Pointer listed in `entry.redacted`; the values
 * themselves travel apart (`PersonalValues`, keyed by the same pointers) and only to those allowed
 * to see them. The machine replays a redacted entry to the same state as the full one: the marker
 * counts as a filled value that was checked when the full entry was taken in.
 *
 * Personal here: the form's fields marked `personal` (and `tel`, `email`, `location` fields,
 * which always are), the `by.name` of a resident or residents' representative, and the names of
 * meeting participants in those roles unless they chose to be named. Officials (conveners,
 * council members, departments…) act in their role and stay named.
 */
import type { Role, WorkflowConfig } from '../config/config.types.js';
import type { LogEntry } from './log.types.js';

/** The marker put in place of a personal value in a shareable log entry. */
export interface Redacted {
  redacted: true;
}

/** The one marker object (frozen); compare with `isRedacted`, never by identity. */
export const REDACTED: Readonly<Redacted> = Object.freeze({ redacted: true as const });

/** Whether a value is the redaction marker (`{ "redacted": true }` and nothing else). */
export function isRedacted(value: unknown): value is Redacted {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'redacted' && (value as { redacted?: unknown }).redacted === true;
}

/** What redaction took out of one entry, by JSON Pointer into the entry (`/event/values/phone`). */
export type PersonalValues = Record<string, unknown>;

/** Roles whose people are private persons: never named in the shareable log unless they chose to be. */
const PRIVATE_ROLES: ReadonlySet<Role> = new Set<Role>(['resident', 'representative']);

const personalNames = new WeakMap<WorkflowConfig, string[]>();

/** The names of the form fields that are personal, in form order. */
export function personalFieldNames(config: WorkflowConfig): string[] {
  let names = personalNames.get(config);
  if (!names) {
    names = config.form.pages.flatMap((page) => page.fields.filter((f) => f.personal).map((f) => f.name));
    personalNames.set(config, names);
  }
  return names;
}

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && !isRedacted(value);
}

/**
 * Splits an entry into the shareable entry and what was taken out of it (null when nothing
 * was). The input is not changed. Values already redacted stay so (and keep their pointers).
 */
export function redactEntry(config: WorkflowConfig, entry: LogEntry): { entry: LogEntry; personal: PersonalValues | null } {
  const personal: PersonalValues = {};
  const pointers = new Set(entry.redacted ?? []);
  let event = entry.event as Record<string, unknown>;
  let by = entry.by;

  if (event.type === 'topic.submit' && event.values && typeof event.values === 'object' && !Array.isArray(event.values)) {
    const values = { ...(event.values as Record<string, unknown>) };
    let changed = false;
    for (const name of personalFieldNames(config)) {
      if (!present(values[name])) continue;
      const pointer = `/event/values/${escapePointer(name)}`;
      personal[pointer] = values[name];
      values[name] = { ...REDACTED };
      pointers.add(pointer);
      changed = true;
    }
    if (changed) event = { ...event, values };
  }

  if (event.type === 'meeting.schedule' && Array.isArray(event.participants)) {
    let changed = false;
    const participants = (event.participants as Array<Record<string, unknown>>).map((p, i) => {
      if (!p || typeof p !== 'object' || !PRIVATE_ROLES.has(p.role as Role) || p.named === true || !present(p.name)) return p;
      const pointer = `/event/participants/${i}/name`;
      personal[pointer] = p.name;
      pointers.add(pointer);
      changed = true;
      return { ...p, name: { ...REDACTED } };
    });
    if (changed) event = { ...event, participants };
  }

  if (by && PRIVATE_ROLES.has(by.role) && present(by.name)) {
    personal['/by/name'] = by.name;
    pointers.add('/by/name');
    const { name: _name, ...rest } = by;
    by = rest;
  }

  if (Object.keys(personal).length === 0) return { entry, personal: null };
  return {
    entry: { ...entry, event: event as LogEntry['event'], by, redacted: [...pointers].sort() },
    personal,
  };
}

/**
 * Puts personal values back: the inverse of `redactEntry`. A pointer without a value stays
 * redacted (that is how an erased entry looks), and stays listed in `entry.redacted`.
 */
export function joinPersonal(entry: LogEntry, personal: PersonalValues | null | undefined): LogEntry {
  if (!entry.redacted || entry.redacted.length === 0 || !personal) return entry;
  const joined = structuredClone(entry) as LogEntry & Record<string, unknown>;
  const left: string[] = [];
  for (const pointer of entry.redacted) {
    if (!Object.prototype.hasOwnProperty.call(personal, pointer)) {
      left.push(pointer);
      continue;
    }
    const path = pointer.split('/').slice(1).map(unescapePointer);
    let node = joined as unknown as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (!next || typeof next !== 'object') {
        node = {} as Record<string, unknown>;
        break;
      }
      node = next as Record<string, unknown>;
    }
    node[path.at(-1)!] = structuredClone(personal[pointer]);
  }
  if (left.length > 0) joined.redacted = left;
  else delete joined.redacted;
  return joined;
}
