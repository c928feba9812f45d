/**
 * Projections the server keeps of its logs, capability-neutral: the replayed topics of a
 * programme (replayed.ts) and a request's signal that says its client went (request.ts).
 */
export { DEFAULT_MAX_TOPICS, PAGE_ENTRIES, ProjectionStore, ReadAbandoned, SLICE_MS, projectionsOf, type ProjectionOptions, type ProjectionStats } from './replayed.js';
export { clientSignal } from './request.js';
