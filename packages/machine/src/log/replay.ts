/**
 * Replay: the state of every topic is its log replayed through the topic machine, with pure
 * transitions (no actors, no clock). The store, the server and the programme actor all use
 * these functions, so they agree on what is allowed.
 */
import { getInitialSnapshot, getNextSnapshot, type AnyStateNode } from 'xstate';
import type { WorkflowConfig } from '../config/config.types.js';
import type { TopicEvent } from '../consultation.types.js';
import { checkEvent } from '../rules/topic-rules.js';
import { createTopicMachine, type TopicMachine, type TopicSnapshot } from '../topic.machine.js';
import { EventRefusedError, type EventRefusal, type LogEntry } from './log.types.js';

const machines = new WeakMap<WorkflowConfig, TopicMachine>();

/** The topic machine for a config, built once per config object. */
export function topicMachineFor(config: WorkflowConfig): TopicMachine {
  let machine = machines.get(config);
  if (!machine) {
    machine = createTopicMachine(config);
    machines.set(config, machine);
  }
  return machine;
}

/** A new topic (state `draft`). */
export function newTopic(config: WorkflowConfig, topicId: string): TopicSnapshot {
  return getInitialSnapshot(topicMachineFor(config), { config, topicId });
}

const drafts = new WeakMap<WorkflowConfig, TopicSnapshot>();

/**
 * Why `event` may not raise a new topic `topicId`, or null when it may: `explainRefusal` on a
 * new topic, without building one. A draft's refusal depends on its topic id only through the
 * refusal's `topicId` (a draft takes only `topic.submit`, whose rules do not read the id), so
 * one draft per config is checked and the id put in.
 */
export function explainNewTopicRefusal(config: WorkflowConfig, topicId: string, event: TopicEvent): EventRefusal | null {
  let draft = drafts.get(config);
  if (!draft) {
    draft = newTopic(config, '');
    drafts.set(config, draft);
  }
  const refusal = explainRefusal(config, draft, event);
  return refusal && { ...refusal, topicId };
}

/** The machine event a log entry stands for. */
export function toEvent(entry: LogEntry): TopicEvent {
  const event = { ...entry.event, by: entry.by, at: entry.at } as TopicEvent;
  if (entry.receivedAt !== undefined) event.receivedAt = entry.receivedAt;
  return event;
}

import { stateName } from './state-name.js';

export { stateName };

function activeNodes(machine: TopicMachine, snapshot: TopicSnapshot): AnyStateNode[] {
  const nodes: AnyStateNode[] = [];
  let node: AnyStateNode = machine.root;
  let value: unknown = snapshot.value;
  for (;;) {
    const key = typeof value === 'string' ? value : Object.keys(value as object)[0];
    const child = key === undefined ? undefined : node.states[key];
    if (!child) break;
    nodes.push(child);
    if (typeof value === 'string') break;
    value = (value as Record<string, unknown>)[key!];
    node = child;
  }
  return nodes;
}

/** The event types the topic's current state takes (guards aside). */
export function acceptedEvents(config: WorkflowConfig, snapshot: TopicSnapshot): string[] {
  if (snapshot.status !== 'active') return [];
  const types = new Set<string>();
  for (const node of activeNodes(topicMachineFor(config), snapshot)) {
    for (const type of Object.keys(node.on)) types.add(type);
  }
  return [...types];
}

/** Why `event` may not be applied to this topic now, or null when it may. */
export function explainRefusal(
  config: WorkflowConfig,
  snapshot: TopicSnapshot,
  event: TopicEvent,
): EventRefusal | null {
  const topicId = snapshot.context.topicId;
  const state = stateName(snapshot);
  const accepts = acceptedEvents(config, snapshot);
  const type = String((event as { type?: unknown } | undefined)?.type);
  const base = { eventType: type, topicId, state, accepts };
  if (snapshot.status === 'done') {
    return { ...base, code: 'topic-closed', message: `The topic is ${state}; it takes no more events.` };
  }
  if (!accepts.includes(type)) {
    return {
      ...base,
      code: 'not-in-state',
      message: `A topic in ${state} does not take ${type}; it takes ${accepts.join(', ') || 'nothing'}.`,
    };
  }
  const broken = checkEvent(snapshot.context, event);
  if (broken) return { ...base, ...broken };
  let can: boolean;
  try {
    can = snapshot.can(event);
  } catch {
    can = false;
  }
  return can ? null : { ...base, code: 'not-allowed', message: `${type} is not allowed in ${state} now.` };
}

export type ApplyResult = { ok: true; snapshot: TopicSnapshot } | { ok: false; refusal: EventRefusal };

/** Applies one event to a topic if the lifecycle allows it; never throws. */
export function applyEvent(config: WorkflowConfig, snapshot: TopicSnapshot, event: TopicEvent): ApplyResult {
  const refusal = explainRefusal(config, snapshot, event);
  if (refusal) return { ok: false, refusal };
  return { ok: true, snapshot: getNextSnapshot(topicMachineFor(config), snapshot, event) };
}

export interface ReplayResult {
  /** Every topic's state, by topic id, in the order topics were raised. */
  topics: Map<string, TopicSnapshot>;
  /** Entries that were refused and not applied. */
  refused: EventRefusal[];
}

/**
 * Applies one log entry to a programme's topics (in place): a `topic.submit` raises a new
 * topic, every other event goes to its topic; `screening.merge` must name a topic that exists.
 */
export function applyEntry(
  config: WorkflowConfig,
  topics: Map<string, TopicSnapshot>,
  entry: LogEntry,
): EventRefusal | null {
  const event = toEvent(entry);
  const existing = topics.get(entry.topicId);
  const refuse = (code: string, message: string): EventRefusal => ({
    code,
    message,
    eventType: String(entry.event?.type),
    topicId: entry.topicId,
    state: existing ? stateName(existing) : 'none',
    accepts: existing ? acceptedEvents(config, existing) : ['topic.submit'],
    entryId: entry.id,
  });
  if (!existing && event.type !== 'topic.submit') {
    return refuse('unknown-topic', `There is no topic "${entry.topicId}"; a topic starts with topic.submit.`);
  }
  if (event.type === 'screening.merge' && event.into !== entry.topicId && !topics.has(event.into)) {
    return refuse('unknown-topic', `Cannot merge into "${event.into}": there is no such topic.`);
  }
  const result = applyEvent(config, existing ?? newTopic(config, entry.topicId), event);
  if (!result.ok) return { ...result.refusal, entryId: entry.id };
  topics.set(entry.topicId, result.snapshot);
  return null;
}

/** Replays a programme's log (sorted by `seq`), skipping and reporting refused entries. Deterministic. */
export function replay(config: WorkflowConfig, entries: readonly LogEntry[]): ReplayResult {
  const topics = new Map<string, TopicSnapshot>();
  const refused: EventRefusal[] = [];
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const refusal = applyEntry(config, topics, entry);
    if (refusal) refused.push(refusal);
  }
  return { topics, refused };
}

/** Like `replay`, but throws `EventRefusedError` at the first refused entry. */
export function replayStrict(config: WorkflowConfig, entries: readonly LogEntry[]): Map<string, TopicSnapshot> {
  const { topics, refused } = replay(config, entries);
  if (refused[0]) throw new EventRefusedError(refused[0]);
  return topics;
}
