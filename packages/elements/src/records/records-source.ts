/**
 * Where the printable records get their data from a city server: a topic's log
 * (`GET {endpoint}/programmes/{p}/topics/{t}/events`, every page) replayed with the machine
 * through the programme's config (`GET …/config`, accepted without the checker when the server
 * vouches for it), and a room's page (`GET …/rooms/{room}`). Every call resolves: a refusal or a
 * network fault is a result the element shows, never a thrown error.
 */
import { replay, type LogEntry, type RoomConfig, type RoomGradeRecord, type TopicSnapshot, type Trends, type WorkflowConfig } from '@consult-kit/machine/core';
import { httpTransport } from '@consult-kit/store';
import { loadConfig } from '../base/config-source.js';

/** A staff token: a string, or a function the portal's own sign-in answers before each request. */
export type RecordToken = string | (() => string | undefined | Promise<string | undefined>);

export type Loaded<T> = { ok: true; value: T } | { ok: false; reason: 'denied' | 'not-found' | 'failed'; message: string };

export interface TopicRecordData {
  config: WorkflowConfig;
  snapshot: TopicSnapshot;
  entries: LogEntry[];
}

/** One room as `GET …/rooms/{room}` answers it. */
export interface RoomPage {
  room: RoomConfig & { intakeUrl?: string; topics?: number; grade?: RoomGradeRecord };
  grades: RoomGradeRecord[];
  trends?: Trends;
}

const base = (endpoint: string, programme: string) => `${endpoint.replace(/\/+$/, '')}/programmes/${encodeURIComponent(programme)}`;

function tokenFunction(token: RecordToken | undefined): (() => string | undefined | Promise<string | undefined>) | undefined {
  if (token === undefined || token === '') return undefined;
  return typeof token === 'function' ? token : () => token;
}

/** The programme's config as the server serves it. */
export async function fetchConfig(endpoint: string, programme: string, dev = false): Promise<Loaded<WorkflowConfig>> {
  const loaded = await loadConfig(`${base(endpoint, programme)}/config`, { endpoint, dev });
  if (loaded.ok) return { ok: true, value: loaded.config };
  return { ok: false, reason: 'failed', message: loaded.kind === 'failed' ? loaded.message : loaded.errors.map((e) => `${e.pointer} ${e.message}`).join('; ') };
}

/** A topic's whole log and its state, replayed through the config. */
export async function fetchTopic(endpoint: string, programme: string, topicId: string, token: RecordToken | undefined, config?: WorkflowConfig): Promise<Loaded<TopicRecordData>> {
  try {
    let cfg = config;
    if (!cfg) {
      const loaded = await fetchConfig(endpoint, programme);
      if (!loaded.ok) return loaded;
      cfg = loaded.value;
    }
    const fn = tokenFunction(token);
    const transport = httpTransport({ endpoint, programmeId: programme, ...(fn ? { token: fn } : {}) });
    const entries: LogEntry[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page += 1) {
      const result = await transport.pullTopic!(topicId, cursor);
      if (result.denied) return { ok: false, reason: 'denied', message: 'denied' };
      if (result.unknown) return { ok: false, reason: 'not-found', message: topicId };
      entries.push(...result.entries);
      cursor = result.cursor;
      if (!result.more) break;
    }
    const snapshot = replay(cfg, entries).topics.get(topicId);
    if (!snapshot) return { ok: false, reason: 'not-found', message: topicId };
    return { ok: true, value: { config: cfg, snapshot, entries } };
  } catch (error) {
    return { ok: false, reason: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/** A room's page (public) and the topics it holds (their logs replayed, for the meetings and measures of the period). */
export async function fetchRoom(
  endpoint: string,
  programme: string,
  room: string,
  token: RecordToken | undefined,
  now?: string,
): Promise<Loaded<{ config: WorkflowConfig; page: RoomPage; topics: TopicSnapshot[] }>> {
  try {
    const loaded = await fetchConfig(endpoint, programme);
    if (!loaded.ok) return loaded;
    const config = loaded.value;
    const query = now ? `?now=${encodeURIComponent(now)}` : '';
    const url = `${base(endpoint, programme)}/rooms/${encodeURIComponent(room)}${query}`;
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    if (res.status === 404) return { ok: false, reason: 'not-found', message: room };
    if (!res.ok) return { ok: false, reason: 'failed', message: `HTTP ${res.status}` };
    const page = (await res.json()) as RoomPage;
    if (!page?.room || !Array.isArray(page.grades)) return { ok: false, reason: 'failed', message: 'unexpected answer' };
    // The room's topics from the public index, then each one's (redacted) log: meetings need their participants.
    const ids: string[] = [];
    let cursor = '';
    for (let i = 0; i < 100; i += 1) {
      const params = new URLSearchParams({ room, limit: '100', ...(cursor ? { cursor } : {}) });
      const indexUrl = `${base(endpoint, programme)}/topics?${params.toString()}`;
      const index = await fetch(indexUrl, { headers: { Accept: 'application/json' } });
      if (!index.ok) return { ok: false, reason: 'failed', message: `topic index: HTTP ${index.status}` };
      const body = (await index.json()) as { items?: Array<{ topicId?: unknown; room?: unknown }>; cursor?: unknown; more?: unknown };
      for (const item of body.items ?? []) if (typeof item.topicId === 'string' && (item.room === undefined || item.room === room)) ids.push(item.topicId);
      if (body.more !== true || typeof body.cursor !== 'string') break;
      cursor = body.cursor;
    }
    const topics: TopicSnapshot[] = [];
    // A few at a time: a room's year is tens of topics, not thousands.
    for (let i = 0; i < ids.length; i += 4) {
      const batch = await Promise.all(ids.slice(i, i + 4).map((id) => fetchTopic(endpoint, programme, id, token, config)));
      for (const one of batch) if (one.ok) topics.push(one.value.snapshot);
    }
    return { ok: true, value: { config, page, topics } };
  } catch (error) {
    return { ok: false, reason: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}
