/**
 * Why the server did not accept an action, in the person's words: a refused outbox entry's
 * problem (its `type`, `missingScope`, `role`, `allowed`, the machine's refusal code) mapped to
 * one of the catalogue's messages. The server's own `detail` is English for operators; the desk
 * shows it only as secondary text, and only in English.
 */
import type { Conflict } from '@consult-kit/store';
import type { MessageKey } from '../i18n/messages.js';

/** A message of the catalogue and what fills it. */
export interface Words {
  key: MessageKey;
  params: Record<string, string | number>;
}

/** How the desk names what a refusal is about: roles, levels, lists, a programme. */
export interface RefusalLabels {
  role(role: string): string;
  level(level: string): string;
  /** A list in the person's language ("召集人、管理员" / "Convener, Administrator"). */
  list(items: string[]): string;
  /** A consultation room's name for its programme id, when this page knows it. */
  programme(id: string): string;
}

/** The problem type's name: `out-of-scope` for `/problems/out-of-scope` (or a full URL ending so). */
function problemName(type: string | undefined): string {
  return type ? (type.split('/').pop() ?? '') : '';
}

/** `programme:wuxi` → the room's words; `level:community`, `party:…` likewise. */
function scopeWords(missing: string, labels: RefusalLabels): Words {
  const at = missing.indexOf(':');
  const kind = at > 0 ? missing.slice(0, at) : '';
  const value = at > 0 ? missing.slice(at + 1) : missing;
  switch (kind) {
    case 'programme':
      return { key: 'workflow.refused.scope.programme', params: { programme: labels.programme(value) } };
    case 'level':
      return { key: 'workflow.refused.scope.level', params: { level: labels.level(value) } };
    case 'party':
      return { key: 'workflow.refused.scope.party', params: { party: value } };
    default:
      return { key: 'workflow.refused.scope.other', params: { scope: missing } };
  }
}

/** The reason a refused entry shows, in the person's language. */
export function refusalWords(conflict: Conflict, labels: RefusalLabels): Words {
  const name = problemName(conflict.type);
  if (conflict.reason === 'follow-code-not-found') return { key: 'workflow.refused.codeNotFound', params: {} };
  if (conflict.reason === 'follow-code-revoked') return { key: 'workflow.refused.codeRevoked', params: {} };
  // A pull made it impossible: someone else moved the topic on.
  if (conflict.status === 0) return { key: 'workflow.refused.noLonger', params: { code: conflict.refusal?.code ?? '' } };
  if (name === 'out-of-scope' || conflict.missingScope) {
    return conflict.missingScope ? scopeWords(conflict.missingScope, labels) : { key: 'workflow.refused.forbidden', params: {} };
  }
  if (name === 'event-refused' || (conflict.status === 422 && conflict.refusal)) {
    return { key: 'workflow.refused.lifecycle', params: { code: conflict.refusal?.code ?? '' } };
  }
  if (name === 'unauthenticated' || conflict.status === 401) return { key: 'workflow.refused.unauthenticated', params: {} };
  if (name === 'forbidden' || conflict.status === 403) {
    // The contract's forbidden answers say why in `reason` (the store keeps it as `forbidden`);
    // a server that does not: a role the config does not let send the event (with `allowed`), a
    // role the token does not hold (with `role`), an id that is not the token's (by its words).
    if (conflict.forbidden === 'not-the-subject') return { key: 'workflow.refused.someoneElse', params: {} };
    if (conflict.forbidden === 'role-not-held' && conflict.role) return { key: 'workflow.refused.roleNotHeld', params: { role: labels.role(conflict.role) } };
    if (conflict.allowed) {
      return {
        key: 'workflow.refused.roleNotPermitted',
        params: { role: labels.role(conflict.role ?? ''), allowed: labels.list(conflict.allowed.map((r) => labels.role(r))) },
      };
    }
    if (/by\.id/.test(conflict.detail ?? '')) return { key: 'workflow.refused.someoneElse', params: {} };
    if (conflict.role) return { key: 'workflow.refused.roleNotHeld', params: { role: labels.role(conflict.role) } };
    return { key: 'workflow.refused.forbidden', params: {} };
  }
  return { key: 'workflow.refused.other', params: { status: conflict.status } };
}
