/**
 * The programme (a consultation room, a street, a city): a parent actor that holds the config
 * and spawns one topic actor per topic. Events addressed to a topic (`topicId`) are checked
 * with the same rules as replay and routed; refused ones are emitted as `refused`, never applied.
 */
import { createActor, emit, enqueueActions, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import type { ConfigError, WorkflowConfig } from './config/config.types.js';
import { isCheckedConfig, parseWorkflowConfig } from './config/parse-config.js';
import type { ProgrammeEvent, TopicEvent } from './consultation.types.js';
import { explainRefusal, newTopic, toEvent, topicMachineFor } from './log/replay.js';
import type { EventRefusal, LogEntry } from './log/log.types.js';
import type { TopicMachine } from './topic.machine.js';

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

/** Thrown by `createConsultationMachine` when given a config that does not pass `parseWorkflowConfig`. */
export class WorkflowConfigError extends Error {
  readonly errors: ConfigError[];
  constructor(errors: ConfigError[]) {
    super(
      `The workflow config has ${errors.length} error(s):\n` + errors.map((e) => `  ${e.pointer || '/'}: ${e.message}`).join('\n'),
    );
    this.name = 'WorkflowConfigError';
    this.errors = errors;
  }
}

/** A checked config from either the output of `parseWorkflowConfig` or a city's raw JSON. */
export function toConfig(config: unknown): WorkflowConfig {
  if (isCheckedConfig(config)) return config;
  const parsed = parseWorkflowConfig(config);
  if (!parsed.ok) throw new WorkflowConfigError(parsed.errors);
  return parsed.config;
}

function refusalFor(context: ProgrammeContext, event: ProgrammeEvent): EventRefusal | null {
  const { config, topics } = context;
  const topicId = typeof event.topicId === 'string' ? event.topicId : '';
  const ref = topics[topicId];
  const base = { eventType: String(event.type), topicId, state: 'none', accepts: ['topic.submit'] };
  if (!topicId) return { ...base, code: 'missing-topic-id', message: 'Every event must name its topic (topicId).' };
  if (!ref && event.type !== 'topic.submit') {
    return { ...base, code: 'unknown-topic', message: `There is no topic "${topicId}".` };
  }
  if (event.type === 'screening.merge' && event.into !== topicId && !topics[event.into]) {
    return { ...base, code: 'unknown-topic', message: `Cannot merge into "${event.into}": there is no such topic.` };
  }
  const { topicId: _omit, ...topicEvent } = event;
  return explainRefusal(config, ref ? ref.getSnapshot() : newTopic(config, topicId), topicEvent as TopicEvent);
}

/**
 * Builds the programme machine from a config (raw JSON or the output of `parseWorkflowConfig`).
 * A config with faults never builds a machine: it throws `WorkflowConfigError` with every fault.
 */
export function createConsultationMachine(input: unknown) {
  const config = toConfig(input);
  const topic = topicMachineFor(config);
  return setup({
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
        if (!context.topics[topicId]) {
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
        // XState's own events (a topic reaching its final state) are not consultation events.
        { guard: ({ event }) => String(event.type).startsWith('xstate.') },
        { guard: 'allowed', actions: 'route' },
        { actions: 'refuse' },
      ],
    },
  });
}

export type ConsultationMachine = ReturnType<typeof createConsultationMachine>;
export type ProgrammeSnapshot = SnapshotFrom<ConsultationMachine>;
export type ProgrammeActorRef = ActorRefFrom<ConsultationMachine>;

/**
 * Starts a programme actor and rebuilds its topics from a log (sorted by `seq`). Entries the
 * lifecycle refuses are skipped and returned, so the caller can show them as conflicts.
 */
export function startProgramme(config: unknown, entries: readonly LogEntry[] = []) {
  const actor = createActor(createConsultationMachine(config));
  const refused: EventRefusal[] = [];
  const sub = actor.on('refused', (e) => refused.push(e.refusal));
  actor.start();
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const before = refused.length;
    actor.send({ ...toEvent(entry), topicId: entry.topicId } as ProgrammeEvent);
    if (refused.length > before) refused[refused.length - 1] = { ...refused[refused.length - 1]!, entryId: entry.id };
  }
  sub.unsubscribe();
  return { actor, refused };
}

