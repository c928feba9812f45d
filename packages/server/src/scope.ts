/**
 * Scopes: where a principal may act (issue 16, point 4). A principal's `scopes` (authn.ts) list
 * the programmes (consultation rooms), the topic levels and the responsible parties it acts for;
 * a list that is absent means everywhere. Every role is bound by its principal's scopes except
 * `admin`, which acts everywhere regardless.
 *
 * - `programme:<id>`: the programme the request addresses; checked before anything is appended
 *   (`programmeScopeRefusal`), and on pulls that need a staff role (`--pull-access staff`).
 * - `level:<level>`: the topic's level as the server's replay has it now (after an escalation
 *   the new one); for a `topic.submit`, the level it is raised at; for a `screening.merge`, the
 *   level of both topics. Checked inside the append's transaction on the replayed topic
 *   (`topicScopeRefusal`, run by event-log.ts just before the machine checks the event), so an
 *   escalation committed a moment earlier cannot slip by.
 * - `party:<party>`: the measure's responsible party, for `measure.adopt`, `measure.decline`,
 *   `measure.progress` and `measure.implement`; looked up in the replayed topic by `measureId`.
 *   A measure the topic does not have is left to the machine (422).
 *
 * Reads: under `--pull-access redacted` anyone reads the redacted log, and personal values are
 * joined only for the programmes and levels in scope (`readScope`).
 */
import { acceptedEvents, stateName, type EventRefusal, type Level, type LogEntry, type Role, type TopicSnapshot, type WorkflowConfig } from '@consult-kit/machine';
import type { Principal, Scopes } from './authn.js';
import { Problem } from './problems.js';

/** The one role scopes never bind. */
export const UNSCOPED_ROLE: Role = 'admin';

/** The measure events a `parties` scope limits. */
export const PARTY_EVENTS: ReadonlySet<string> = new Set(['measure.adopt', 'measure.decline', 'measure.progress', 'measure.implement']);

/** Why a principal may not act here: the scope it lacks, and the words for a person. */
export interface ScopeRefusal {
  /** `programme:<id>`, `level:<level>` or `party:<party>`. */
  missingScope: string;
  detail: string;
}

/** A machine-shaped refusal (event-log.ts passes it through) that carries the missing scope. */
export interface ScopeEventRefusal extends EventRefusal {
  code: 'out-of-scope';
  missingScope: string;
}

/** Whether a refusal from the append is a scope's. */
export function isScopeRefusal(refusal: EventRefusal): refusal is ScopeEventRefusal {
  return refusal.code === 'out-of-scope' && typeof (refusal as Partial<ScopeEventRefusal>).missingScope === 'string';
}

/** The scopes that bind a principal acting as `role`; undefined when nothing binds it. */
function binding(principal: Principal, role: Role): Scopes | undefined {
  if (role === UNSCOPED_ROLE || principal.roles.includes(UNSCOPED_ROLE)) return undefined;
  return principal.scopes;
}

function listed<T extends string>(list: readonly T[] | undefined, value: T): boolean {
  return list === undefined || list.includes(value);
}

/** Why the principal may not act as `role` in this programme, or undefined when it may. */
export function programmeScopeRefusal(principal: Principal, role: Role, programmeId: string): ScopeRefusal | undefined {
  const scopes = binding(principal, role);
  if (listed(scopes?.programmes, programmeId)) return undefined;
  return {
    missingScope: `programme:${programmeId}`,
    detail: `You act for ${scopes!.programmes!.join(', ') || 'no consultation room'}, not for the consultation room "${programmeId}"; ask its convener or an administrator.`,
  };
}

/** Why the principal may not act on a topic at this level, or undefined when it may. */
function levelRefusal(scopes: Scopes | undefined, level: Level, topicId: string): ScopeRefusal | undefined {
  if (listed(scopes?.levels, level)) return undefined;
  return {
    missingScope: `level:${level}`,
    detail: `The topic "${topicId}" is at the ${level} level now; you act at ${scopes!.levels!.join(', ') || 'no level'} only, so it is for the ${level}'s own conveners.`,
  };
}

/**
 * Why the principal may not send this entry to the topics as the server's replay has them now,
 * or undefined when it may: the topic's level (both topics' for a merge) and, for a measure
 * event, the measure's party. A topic that does not exist is left to the machine.
 */
export function topicScopeRefusal(principal: Principal, config: WorkflowConfig, topics: ReadonlyMap<string, TopicSnapshot>, entry: LogEntry): ScopeRefusal | undefined {
  const scopes = binding(principal, entry.by.role);
  if (!scopes || (scopes.levels === undefined && scopes.parties === undefined)) return undefined;
  const event = entry.event;
  const topic = topics.get(entry.topicId);
  if (event.type === 'topic.submit') {
    if (topic) return undefined; // a second submit of a topic: the machine refuses it
    return levelRefusal(scopes, event.level ?? config.level, entry.topicId);
  }
  if (!topic) return undefined;
  const own = levelRefusal(scopes, topic.context.level, entry.topicId);
  if (own) return own;
  if (event.type === 'screening.merge' && event.into !== entry.topicId) {
    const into = topics.get(event.into);
    const other = into ? levelRefusal(scopes, into.context.level, event.into) : undefined;
    if (other) return other;
  }
  if (PARTY_EVENTS.has(event.type) && scopes.parties !== undefined) {
    const measureId = (event as { measureId?: unknown }).measureId;
    const measure = topic.context.measures.find((m) => m.id === measureId);
    if (measure && !scopes.parties.includes(measure.party)) {
      return {
        missingScope: `party:${measure.party}`,
        detail: `The measure "${measure.id}" is assigned to ${measure.party}; you act for ${scopes.parties.join(', ') || 'no responsible party'} only.`,
      };
    }
  }
  return undefined;
}

/**
 * The check event-log.ts runs on the replayed topics just before the machine's own: a
 * `ScopeEventRefusal` when the principal is out of scope, else null.
 */
export function scopeCheck(principal: Principal, fallback: WorkflowConfig) {
  return (topics: ReadonlyMap<string, TopicSnapshot>, entry: LogEntry, config: WorkflowConfig = fallback): EventRefusal | null => {
    const refusal = topicScopeRefusal(principal, config, topics, entry);
    if (!refusal) return null;
    const topic = topics.get(entry.topicId);
    const scoped: ScopeEventRefusal = {
      code: 'out-of-scope',
      message: refusal.detail,
      missingScope: refusal.missingScope,
      eventType: entry.event.type,
      topicId: entry.topicId,
      state: topic ? stateName(topic) : 'none',
      accepts: topic ? acceptedEvents(config, topic) : ['topic.submit'],
      entryId: entry.id,
    };
    return scoped;
  };
}

/** The 403 for a scope refusal. */
export function outOfScope(refusal: ScopeRefusal, extensions: Record<string, unknown> = {}): Problem {
  return new Problem('out-of-scope', refusal.detail, { missingScope: refusal.missingScope, ...extensions });
}

/**
 * What a principal may read with personal values joined, given that its roles may see them at
 * all: nothing outside its programmes; inside, the topics at its levels (`levels` undefined:
 * every level). A principal holding `admin` reads everything.
 */
export function readScope(principal: Principal, programmeId: string): { programme: boolean; levels?: readonly Level[] } {
  if (principal.roles.includes(UNSCOPED_ROLE) || !principal.scopes) return { programme: true };
  const { programmes, levels } = principal.scopes;
  if (!listed(programmes, programmeId)) return { programme: false };
  return levels === undefined ? { programme: true } : { programme: true, levels };
}
