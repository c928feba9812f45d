/**
 * One topic's lifecycle (议题), built from a checked workflow config. Pure: assigns only, no
 * delays, no clock, so a topic's state is exactly its event log replayed.
 */
import { and, assign, setup, type SnapshotFrom } from 'xstate';
import type { StepType, WorkflowConfig } from './config/config.types.js';
import type {
  Measure,
  Meeting,
  TopicContext,
  TopicEvent,
  TopicInput,
} from './consultation.types.js';
import {
  allMeasuresSettled,
  formFields,
  averageStars,
  belowThreshold,
  checkEvent,
  eventTime,
  measureId,
  openEvaluation,
} from './rules/topic-rules.js';
import { addDays } from './time.js';
import { roomById, roomForEscalation, roomForTopic } from './rooms/rooms.js';

type Of<K extends TopicEvent['type']> = Extract<TopicEvent, { type: K }>;

/**
 * Thrown, once made, when a topic actor is built without its input. XState's pure helpers
 * (`getInitialSnapshot`, `getNextSnapshot`, which replay uses for every event) build a
 * throwaway actor without input each time and catch this; a new error per call, with its
 * stack trace, used to cost more than the transition itself.
 */
const MISSING_INPUT = new TypeError('A topic actor needs its input: { config, topicId }.');

function initialContext(input: TopicInput | undefined): TopicContext {
  if (!input) throw MISSING_INPUT;
  const { config, topicId } = input;
  return {
    config,
    topicId,
    title: '',
    description: '',
    values: {},
    level: config.level,
    anonymous: false,
    escalations: [],
    meetings: [],
    measures: [],
    feedback: [],
    evaluations: [],
  };
}

const who = (e: TopicEvent) => e.by;

function withLastMeeting(ctx: TopicContext, change: (m: Meeting) => Meeting): Meeting[] {
  return ctx.meetings.map((m, i) => (i === ctx.meetings.length - 1 ? change(m) : m));
}

function withMeasure(ctx: TopicContext, id: string, change: (m: Measure) => Measure): Measure[] {
  return ctx.measures.map((m) => (m.id === id ? change(m) : m));
}

/** The state a topic goes to after a given step, skipping the steps the city disabled. */
function nextStep(config: WorkflowConfig, after: StepType): string {
  const order: StepType[] = ['screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation'];
  const start = after === 'intake' ? 0 : order.indexOf(after) + 1;
  for (const step of order.slice(start)) {
    if (config.step[step]) return step === 'feedback' ? 'handling' : step;
  }
  return 'closed';
}

/**
 * Builds the topic machine for a config. States: draft → submitted → screening → (rejected |
 * merged | redirected | withdrawn | accepted) → research → meeting.{planning, scheduled, inSession.<agenda>}
 * → handling → evaluation → closed; `unresolved` when the last round ends without consensus.
 */
export function createTopicMachine(config: WorkflowConfig) {
  const agenda = config.step.meeting.agenda.map((s) => s.id);
  /** The time an event counts at: its effective time (claimed `at` within the offline grace, else when the server received it). */
  const when = (event: TopicEvent) => eventTime(config, event);
  const afterHandling = config.step.evaluation ? 'evaluation' : 'closed';

  const machine = setup({
    types: {
      context: {} as TopicContext,
      events: {} as TopicEvent,
      input: {} as TopicInput,
    },
    guards: {
      allowed: ({ context, event }) => checkEvent(context, event) === null,
      noConsensusMoreRounds: ({ context, event }) =>
        (event as Of<'meeting.record'>).consensus === 'none' &&
        context.meetings.length < config.step.meeting.maxRounds,
      noConsensusLastRound: ({ event }) => (event as Of<'meeting.record'>).consensus === 'none',
      settled: ({ context }) => allMeasuresSettled(context),
      belowThreshold: ({ context }) => belowThreshold(context),
    },
    actions: {
      stamp: assign({ updatedAt: ({ event }) => when(event) }),
      submit: assign(({ event }) => {
        const e = event as Of<'topic.submit'>;
        const fields = formFields(config);
        const text = (role: 'title' | 'description') => {
          const f = fields.find((x) => x.role === role);
          const v = f ? e.values[f.name] : undefined;
          return typeof v === 'string' ? v.trim() : '';
        };
        // A room named in the event (its QR code) sets the level; else the level's room for the category.
        const named = roomById(config, e.room);
        const level = named?.level ?? e.level ?? config.level;
        const room = named ?? roomForTopic(config, level, e.values);
        return {
          ...(room ? { room: room.id } : {}),
          values: structuredClone(e.values),
          source: e.source,
          level,
          anonymous: e.anonymous === true,
          title: text('title'),
          description: text('description'),
          submittedAt: when(e),
          submittedBy: e.by,
        };
      }),
      accept: assign({ screening: ({ event }) => ({ decision: 'accepted' as const, at: when(event), by: who(event) }) }),
      reject: assign({
        screening: ({ event }) => ({
          decision: 'rejected' as const,
          at: when(event),
          by: who(event),
          reason: (event as Of<'screening.reject'>).reason.trim(),
        }),
      }),
      merge: assign({
        screening: ({ event }) => ({
          decision: 'merged' as const,
          at: when(event),
          by: who(event),
          into: (event as Of<'screening.merge'>).into,
        }),
      }),
      redirect: assign({
        screening: ({ event }) => {
          const e = event as Of<'screening.redirect'>;
          return { decision: 'redirected' as const, at: when(e), by: e.by, channel: e.channel, ...(e.reason ? { reason: e.reason } : {}) };
        },
      }),
      escalate: assign(({ context, event }) => {
        const e = event as Of<'screening.escalate'>;
        const toRoom = config.rooms ? roomForEscalation(config, context.room, e.level)?.id : undefined;
        const rooms = {
          ...(context.room !== undefined ? { fromRoom: context.room } : {}),
          ...(toRoom !== undefined ? { toRoom } : {}),
        };
        return {
          level: e.level,
          // The topic leaves its room for the parent level's (none when that level has no room for it).
          ...(context.room !== undefined || toRoom !== undefined ? { room: toRoom } : {}),
          escalations: [
            ...context.escalations,
            { from: context.level, to: e.level, ...rooms, at: when(e), by: e.by, ...(e.reason ? { reason: e.reason } : {}) },
          ],
        };
      }),
      research: assign({
        research: ({ event }) => ({ findings: (event as Of<'research.complete'>).findings.trim(), at: when(event), by: event.by }),
      }),
      schedule: assign({
        meetings: ({ context, event }) => {
          const e = event as Of<'meeting.schedule'>;
          const last = context.meetings.at(-1);
          const details = {
            format: e.format,
            start: e.start,
            place: e.place.trim(),
            conveners: structuredClone(e.conveners),
            participants: structuredClone(e.participants),
            scheduledAt: when(e),
          };
          // Rescheduling a meeting that has not started changes it; otherwise a new round begins.
          if (last && !last.record && !last.startedAt) return withLastMeeting(context, (m) => ({ ...m, ...details, moves: (m.moves ?? 0) + 1 }));
          return [...context.meetings, { round: context.meetings.length + 1, stages: [], ...details }];
        },
      }),
      start: assign({
        meetings: ({ context, event }) =>
          withLastMeeting(context, (m) => ({ ...m, startedAt: when(event), stages: [{ id: agenda[0]!, at: when(event) }] })),
      }),
      advance: assign({
        meetings: ({ context, event }) =>
          withLastMeeting(context, (m) => ({ ...m, stages: [...m.stages, { id: agenda[m.stages.length]!, at: when(event) }] })),
      }),
      record: assign(({ context, event }) => {
        const e = event as Of<'meeting.record'>;
        const round = context.meetings.length;
        const agreed = e.consensus === 'none' ? [] : (e.measures ?? []);
        const measures: Measure[] = agreed.map((m, i) => ({
          id: m.id ?? measureId(context, i),
          text: m.text.trim(),
          party: m.party.trim(),
          due: m.due ?? addDays(when(e), config.step.handling.deadlineDays),
          ...(typeof m.proposedBy === 'string' && m.proposedBy !== '' ? { proposedBy: m.proposedBy } : {}),
          round,
          status: 'proposed',
          notes: [],
          reopened: 0,
        }));
        return {
          measures: [...context.measures, ...measures],
          meetings: withLastMeeting(context, (m) => ({
            ...m,
            record: {
              time: e.time,
              place: e.place,
              topic: e.topic,
              effect: e.effect,
              consensus: e.consensus,
              measureIds: measures.map((x) => x.id),
              at: when(e),
              by: e.by,
            },
          })),
        };
      }),
      adopt: assign({
        measures: ({ context, event }) =>
          withMeasure(context, (event as Of<'measure.adopt'>).measureId, (m) => ({ ...m, status: 'adopted', adoptedAt: when(event) })),
      }),
      decline: assign({
        measures: ({ context, event }) => {
          const e = event as Of<'measure.decline'>;
          return withMeasure(context, e.measureId, (m) => ({ ...m, status: 'declined', reason: e.reason.trim(), declinedAt: when(e) }));
        },
      }),
      progress: assign({
        measures: ({ context, event }) => {
          const e = event as Of<'measure.progress'>;
          return withMeasure(context, e.measureId, (m) => ({
            ...m,
            status: 'inProgress',
            notes: [...m.notes, { text: e.note.trim(), at: when(e), by: e.by }],
          }));
        },
      }),
      implement: assign({
        measures: ({ context, event }) => {
          const e = event as Of<'measure.implement'>;
          return withMeasure(context, e.measureId, (m) => ({ ...m, status: 'implemented', result: e.result.trim(), implementedAt: when(e) }));
        },
      }),
      feedback: assign({
        feedback: ({ context, event }) => [
          ...context.feedback,
          { text: (event as Of<'feedback.publish'>).text.trim(), at: when(event), by: event.by },
        ],
      }),
      openEvaluation: assign({
        evaluations: ({ context }) => [...context.evaluations, { openedAt: context.updatedAt ?? '', ratings: [] }],
      }),
      rate: assign({
        evaluations: ({ context, event }) => {
          const e = event as Of<'rating.submit'>;
          const rating = { stars: e.stars, at: when(e), by: e.by, ...(e.comment ? { comment: e.comment } : {}) };
          return context.evaluations.map((r) => (r === openEvaluation(context) ? { ...r, ratings: [...r.ratings, rating] } : r));
        },
      }),
      closeEvaluation: assign({
        evaluations: ({ context, event }) =>
          context.evaluations.map((r) =>
            r === openEvaluation(context)
              ? { ...r, closedAt: when(event), average: averageStars(r.ratings), reopened: belowThreshold(context) }
              : r,
          ),
      }),
      reopen: assign({
        // A poor rating sends the outcome back: implemented measures are handled again, declined ones reconsidered.
        measures: ({ context }) =>
          context.measures.map((m) =>
            m.status === 'implemented'
              ? { ...m, status: 'inProgress' as const, reopened: m.reopened + 1 }
              : m.status === 'declined'
                ? { ...m, status: 'proposed' as const, reopened: m.reopened + 1 }
                : m,
          ),
      }),
      close: assign({ closedAt: ({ context }) => context.updatedAt }),
      withdraw: assign({
        withdrawal: ({ event }) => {
          const reason = (event as Of<'topic.withdraw'>).reason?.trim();
          return { at: when(event), by: event.by, ...(reason ? { reason } : {}) };
        },
      }),
    },
  });

  const on = (actions: string | string[], target?: string) => ({
    guard: 'allowed' as const,
    actions: ['stamp', ...(Array.isArray(actions) ? actions : [actions])],
    ...(target ? { target } : {}),
  });

  const stageStates = Object.fromEntries(
    agenda.map((id, i) => {
      const last = i === agenda.length - 1;
      return [
        id,
        last
          ? {
              on: {
                'meeting.record': [
                  { ...on('record', '#topic.meeting.planning'), guard: and(['allowed', 'noConsensusMoreRounds']) },
                  { ...on('record', '#topic.unresolved'), guard: and(['allowed', 'noConsensusLastRound']) },
                  on('record', '#topic.handling'),
                ],
              },
            }
          : { on: { 'meeting.advance': on('advance', agenda[i + 1]) } },
      ];
    }),
  );

  const handlingOn = {
    'measure.adopt': on('adopt'),
    'measure.decline': on('decline'),
    'measure.progress': on('progress'),
    'measure.implement': on('implement'),
    ...(config.step.feedback ? { 'feedback.publish': on('feedback', `#topic.${afterHandling}`) } : {}),
  };

  return machine.createMachine({
    id: 'topic',
    context: ({ input }: { input: TopicInput | undefined }) => initialContext(input),
    initial: 'draft',
    states: {
      draft: { on: { 'topic.submit': on('submit', 'submitted') } },
      submitted: { always: nextStep(config, 'intake') },
      ...(config.step.screening
        ? {
            screening: {
              on: {
                'screening.accept': on('accept', 'accepted'),
                'screening.reject': on('reject', 'rejected'),
                'screening.merge': on('merge', 'merged'),
                'screening.redirect': on('redirect', 'redirected'),
                'screening.escalate': { ...on('escalate', 'screening'), reenter: true },
                'topic.withdraw': on('withdraw', 'withdrawn'),
              },
            },
            accepted: { always: nextStep(config, 'screening') },
            rejected: { type: 'final' as const },
            merged: { type: 'final' as const },
            redirected: { type: 'final' as const },
            withdrawn: { type: 'final' as const },
          }
        : {}),
      ...(config.step.research
        ? { research: { on: { 'research.complete': on('research', 'meeting') } } }
        : {}),
      meeting: {
        initial: 'planning',
        states: {
          planning: { on: { 'meeting.schedule': on('schedule', 'scheduled') } },
          scheduled: {
            on: {
              'meeting.schedule': on('schedule', 'scheduled'),
              'meeting.start': on('start', 'inSession'),
            },
          },
          inSession: { initial: agenda[0]!, states: stageStates },
        },
      },
      handling: {
        on: handlingOn,
        ...(config.step.feedback ? {} : { always: { guard: 'settled' as const, target: afterHandling } }),
      },
      ...(config.step.evaluation
        ? {
            evaluation: {
              entry: 'openEvaluation',
              on: {
                'rating.submit': on('rate'),
                'evaluation.close': [
                  { ...on(['closeEvaluation', 'reopen'], 'handling'), guard: and(['allowed', 'belowThreshold']) },
                  on('closeEvaluation', 'closed'),
                ],
              },
            },
          }
        : {}),
      closed: { type: 'final' as const, entry: 'close' },
      unresolved: { type: 'final' as const, entry: 'close' },
    },
  } as never);
}

export type TopicMachine = ReturnType<typeof createTopicMachine>;
export type TopicSnapshot = SnapshotFrom<TopicMachine>;
