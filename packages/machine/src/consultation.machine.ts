/**
 * The programme (a consultation room, a street, a city): a parent actor that holds the config
 * and spawns one topic actor per topic. Events addressed to a topic (`topicId`) are checked
 * with the same rules as replay and routed; refused ones are emitted as `refused`, never applied.
 */
import {
  createActor,
  type AnyActorRef,
  type AnyStateMachine,
  emit,
  enqueueActions,
  getInitialSnapshot,
  getNextSnapshot,
  setup,
  type ActorRefFrom,
  type SnapshotFrom,
} from 'xstate';
import type { WorkflowConfig } from './config/config.types.js';
import { toConfig } from './config/checked.js';

export { toConfig, WorkflowConfigError } from './config/checked.js';
import type { ProgrammeEvent, TopicEvent } from './consultation.types.js';
import { explainNewTopicRefusal, explainRefusal, newTopic, toEvent, topicMachineFor } from './log/replay.js';
import type { EventRefusal, LogEntry } from './log/log.types.js';
import type { TopicMachine, TopicSnapshot } from './topic.machine.js';

export type TopicActorRef = ActorRefFrom<TopicMachine>;

export interface ProgrammeContext {
  config: WorkflowConfig;
  /** Topic actors by topic id, in the order the topics were raised. */
  topics: Record<string, TopicActorRef>;
}

/** Emitted by the programme actor: listen with `actor.on('refused', …)` / `actor.on('accepted', …)`. */
export type ProgrammeEmitted =
  | { type: 'accepted'; topicId: string; event: TopicEvent }
  | { type: 'refused'; refusal: EventRefusal };

/** The topic with this id, if it was raised (own keys only: a topic id may be any string). */
function topicIn(topics: Record<string, TopicActorRef>, topicId: string): TopicActorRef | undefined {
  return Object.hasOwn(topics, topicId) ? topics[topicId] : undefined;
}

/**
 * Why the programme refuses `event`, or null when it routes it to its topic. `topicOf` gives a
 * raised topic's snapshot: the live machine reads its topic actors, `startProgramme` the topics
 * it replays purely, so both refuse exactly the same events with the same refusals.
 */
function programmeRefusal(
  config: WorkflowConfig,
  topicOf: (topicId: string) => TopicSnapshot | undefined,
  event: ProgrammeEvent,
): EventRefusal | null {
  const topicId = typeof event.topicId === 'string' ? event.topicId : '';
  const base = { eventType: String(event.type), topicId, state: 'none', accepts: ['topic.submit'] };
  if (!topicId) return { ...base, code: 'missing-topic-id', message: 'Every event must name its topic (topicId).' };
  const topic = topicOf(topicId);
  if (!topic && event.type !== 'topic.submit') {
    return { ...base, code: 'unknown-topic', message: `There is no topic "${topicId}".` };
  }
  if (event.type === 'screening.merge' && event.into !== topicId && !topicOf(String(event.into))) {
    return { ...base, code: 'unknown-topic', message: `Cannot merge into "${event.into}": there is no such topic.` };
  }
  const topicEvent = withoutTopicId(event);
  // A new topic is checked against one cached draft: building a draft per check costs more than the check.
  return topic ? explainRefusal(config, topic, topicEvent) : explainNewTopicRefusal(config, topicId, topicEvent);
}

function withoutTopicId(event: ProgrammeEvent): TopicEvent {
  const { topicId: _omit, ...topicEvent } = event;
  return topicEvent as TopicEvent;
}

function refusalFor(context: ProgrammeContext, event: ProgrammeEvent): EventRefusal | null {
  return programmeRefusal(context.config, (id) => topicIn(context.topics, id)?.getSnapshot(), event);
}

/** XState's own events (a topic reaching its final state) are not consultation events. */
const isXStateEvent = (event: { type: unknown }) => String(event.type).startsWith('xstate.');

/**
 * Builds the programme machine from a config (raw JSON or the output of `parseWorkflowConfig`).
 * A config with faults never builds a machine: it throws `WorkflowConfigError` with every fault.
 */
export function createConsultationMachine(input: unknown) {
  const config = toConfig(input);
  const topic = topicMachineFor(config);
  const machine = setup({
    types: {
      context: {} as ProgrammeContext,
      events: {} as ProgrammeEvent,
      emitted: {} as ProgrammeEmitted,
    },
    actors: { topic },
    guards: {
      allowed: ({ context, event }) => refusalFor(context, event) === null,
    },
    actions: {
      route: enqueueActions(({ context, event, enqueue }) => {
        const { topicId, ...topicEvent } = event;
        if (!topicIn(context.topics, topicId)) {
          enqueue.assign({
            topics: ({ context: c, spawn }) => ({
              ...c.topics,
              [topicId]: spawn('topic', { id: topicId, input: { config, topicId } }),
            }),
          });
        }
        enqueue.sendTo(({ context: c }) => c.topics[topicId]!, topicEvent as TopicEvent);
        enqueue.emit({ type: 'accepted', topicId, event: topicEvent as TopicEvent });
      }),
      refuse: emit(({ context, event }) => ({ type: 'refused' as const, refusal: refusalFor(context, event)! })),
    },
  }).createMachine({
    id: 'programme',
    context: { config, topics: {} },
    on: {
      '*': [
        { guard: ({ event }) => isXStateEvent(event) },
        { guard: 'allowed', actions: 'route' },
        { actions: 'refuse' },
      ],
    },
  });
  return withLinearStop(machine);
}

/**
 * Makes stopping the programme take time linear in its topics instead of quadratic.
 *
 * Why XState's own stop is quadratic (xstate 5.33, `macrostep` and `resolveStop` in
 * dist/raise-*.js): on `xstate.stop` (and on reaching a final or error state) `stopChildren`
 * turns every child into its own `stopChild` action and resolves them one after another, and
 * each `resolveStop` copies the snapshot's whole `children` object to delete its one child
 * (`children = { ...children }; delete children[id]`, then `cloneMachineSnapshot`). Stopping n
 * topics copies n + (n − 1) + … + 1 keys, from an object that `delete` has turned into a slow
 * dictionary: measured here 0.84 s at 1,000 topics and 13.8 s at 10,000 (`bench/teardown.mjs`).
 *
 * So the programme's `transition` takes `xstate.stop` first: it hands XState the snapshot with
 * no children (XState then resolves no `stopChild` at all and ends as it would after deleting
 * them one by one: `status: 'stopped'`, `children: {}`), and stops the topic actors itself in
 * one pass, deferred until the programme's stopped snapshot is set, as XState defers them —
 * through `actorScope.defer` and `actorScope.stopChild`, both part of XState's `ActorScope`.
 * A running topic actor then processes its own stop (its observers complete); one that ended
 * is stopped already. Everything else (`context.topics`, `children` while it runs, persisted
 * snapshots, events) is XState's, unchanged.
 */
function withLinearStop<M extends AnyStateMachine>(machine: M): M {
  const transition = machine.transition.bind(machine);
  machine.transition = (snapshot, event, actorScope) => {
    // Every other event passes straight through: reading the children here would cost O(n) an event.
    if (event.type !== 'xstate.stop') return transition(snapshot, event, actorScope);
    const children: AnyActorRef[] = Object.values(snapshot.children);
    actorScope.defer(() => {
      for (const child of children) actorScope.stopChild(child);
    });
    return transition({ ...snapshot, children: {} }, event, actorScope);
  };
  return machine;
}

export type ConsultationMachine = ReturnType<typeof createConsultationMachine>;
export type ProgrammeSnapshot = SnapshotFrom<ConsultationMachine>;
export type ProgrammeActorRef = ActorRefFrom<ConsultationMachine>;

/**
 * Starts a programme actor and rebuilds its topics from a log (sorted by `seq`). Entries the
 * lifecycle refuses are skipped and returned, so the caller can show them as conflicts.
 *
 * The log is replayed with pure transitions and the same checks as the live machine
 * (`programmeRefusal`), and the actor is restored from the result with one topic actor per
 * topic. Sending every entry to a live actor gives the same actor, but costs time quadratic in
 * the number of topics (XState copies the programme's children for every topic spawned).
 */
export function startProgramme(config: unknown, entries: readonly LogEntry[] = [], options: StartOptions = {}) {
  const checked = toConfig(config);
  const machine = createConsultationMachine(checked);
  if (options.topics) {
    const actor = actorFromTopics(machine, checked, options.topics);
    if (actor) return { actor, refused: [] as EventRefusal[] };
  }
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  return restoreProgramme(machine, checked, sorted) ?? sendToProgramme(machine, sorted);
}

/** How `startProgramme` may skip work it was given already done. */
export interface StartOptions {
  /**
   * The topics this log replays to, when the caller already has them (the store keeps them: a
   * second replay at start-up is then saved). They must be what `replay(config, entries)` gives;
   * the actor is built from them and `refused` is empty (the caller knows its own refusals).
   */
  topics?: ReadonlyMap<string, TopicSnapshot>;
}

/**
 * The reference for `startProgramme`: a live actor that is sent every entry of a sorted log.
 * Exported for the tests, which check that the restored actor is the same.
 */
export function sendToProgramme(machine: ConsultationMachine, sorted: readonly LogEntry[]) {
  const actor = createActor(machine);
  const refused: EventRefusal[] = [];
  const sub = actor.on('refused', (e) => refused.push(e.refusal));
  actor.start();
  for (const entry of sorted) {
    const before = refused.length;
    actor.send(programmeEvent(entry));
    if (refused.length > before) refused[refused.length - 1] = { ...refused[refused.length - 1]!, entryId: entry.id };
  }
  sub.unsubscribe();
  return { actor, refused };
}

const programmeEvent = (entry: LogEntry) => ({ ...toEvent(entry), topicId: entry.topicId }) as ProgrammeEvent;

/**
 * What `sendToProgramme` gives, without sending: the topics replayed purely, then an actor
 * restored from a snapshot whose children are the topics. Undefined (and the caller sends)
 * for a log this cannot rebuild faithfully: one that makes a check throw, or a topic id XState
 * cannot restore as a child's key.
 */
function restoreProgramme(machine: ConsultationMachine, config: WorkflowConfig, sorted: readonly LogEntry[]) {
  const topicMachine = topicMachineFor(config);
  const topics = new Map<string, TopicSnapshot>();
  const refused: EventRefusal[] = [];
  try {
    for (const entry of sorted) {
      const event = programmeEvent(entry);
      if (isXStateEvent(event)) continue;
      const refusal = programmeRefusal(config, (id) => topics.get(id), event);
      if (refusal) {
        refused.push({ ...refusal, entryId: entry.id });
        continue;
      }
      const topicId = event.topicId;
      if (topicId === '__proto__') return undefined;
      const topic = topics.get(topicId) ?? newTopic(config, topicId);
      topics.set(topicId, getNextSnapshot(topicMachine, topic, withoutTopicId(event)));
    }
  } catch {
    return undefined;
  }

  const actor = actorFromTopics(machine, config, topics);
  return actor ? { actor, refused } : undefined;
}

/**
 * A started programme actor whose children are these topic snapshots, or undefined when XState
 * cannot restore them faithfully (then the caller sends the log instead).
 */
function actorFromTopics(machine: ConsultationMachine, config: WorkflowConfig, topics: ReadonlyMap<string, TopicSnapshot>) {
  if (topics.has('__proto__')) return undefined;
  // The persisted form of a programme whose children are the topics (what
  // `actor.getPersistedSnapshot()` gives, with live snapshots in place of persisted ones).
  // (`syncSnapshot` left out, as `spawn` leaves it.)
  const children: Record<string, { snapshot: TopicSnapshot; src: 'topic' }> = {};
  for (const [id, snapshot] of topics) children[id] = { snapshot, src: 'topic' };
  const context: ProgrammeContext = { config, topics: {} };
  const initial = machine.getPersistedSnapshot(getInitialSnapshot(machine)) as Record<string, unknown>;
  const actor = createActor(machine, { snapshot: { ...initial, context, children } as never });
  const restored = actor.getSnapshot();
  if (restored.status !== 'active' || Object.keys(restored.children).length !== topics.size) return undefined;
  // The topic actors exist now: the context refers to them, in the order the topics were raised.
  for (const id of topics.keys()) context.topics[id] = restored.children[id] as TopicActorRef;
  actor.start();
  // Topics that ended stop as they did when they ended: started, done, then stopped.
  for (const ref of Object.values(context.topics)) {
    if (ref.getSnapshot().status === 'done') ref.start();
  }
  return actor;
}
