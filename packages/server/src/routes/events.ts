/**
 * `POST /programmes/{id}/events` (append one event, idempotent) and
 * `GET /programmes/{id}/events` (pull after a cursor), in the order docs/api/README.md gives:
 * the request, the programme, who is asking, the key, the lifecycle, the append.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RouteContext } from '../app.js';
import { authenticateRequest, authorizeEvent, authorizePull } from '../auth.js';
import { fingerprint } from '../canonical-json.js';
import { checkSubmission, KEY_PATTERN, type EventSubmission } from '../contract.js';
import { appendEvent, findEntry, pullEntries, type AppendResult } from '../event-log.js';
import { claimKey, releaseClaim, type Claim } from '../idempotency.js';
import { Problem } from '../problems.js';
import { requireProgrammeConfig, type ProgrammeConfig } from '../programmes.js';
import { singleQuery, type ProgrammeParams } from './programmes.js';

/** Pull page size when `limit` is not given, and its ceiling. */
export const PULL_LIMIT = { default: 500, max: 1000 } as const;

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** Step 1: the request itself — media type, key, body shape. Returns the submission. */
function checkRequest(contentType: string | undefined, keyHeader: string | string[] | undefined, body: unknown): EventSubmission {
  if (!isJson(contentType)) {
    throw new Problem('unsupported-media-type', `Content-Type ${contentType ?? '(none)'} is not accepted.`, { accepted: ['application/json'] });
  }
  if (keyHeader === undefined) throw new Problem('missing-idempotency-key', "Send the entry's id as the Idempotency-Key header.");
  const key = Array.isArray(keyHeader) ? keyHeader.join(',') : keyHeader;
  if (!KEY_PATTERN.test(key)) {
    throw new Problem('invalid-idempotency-key', "An Idempotency-Key is 1–128 characters of A–Z, a–z, 0–9, '.', '_', ':' and '-'.");
  }
  const id = (body as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && id !== key) {
    throw new Problem('idempotency-key-mismatch', `Idempotency-Key is ${key} but the body's id is ${id}.`);
  }
  const errors = checkSubmission(body);
  if (errors.length > 0) throw new Problem('invalid-request', 'The body does not match EventSubmission.', { errors });
  return body as EventSubmission;
}

/** Answers a key that is already taken (step 4). */
function answerTaken(reply: FastifyReply, claim: Exclude<Claim, { kind: 'claimed' }>, key: string): FastifyReply {
  switch (claim.kind) {
    case 'replay':
      return reply.code(200).header('Idempotent-Replayed', 'true').send(claim.answer.response);
    case 'reused':
      throw new Problem('idempotency-key-reused', `The key ${key} is bound to another body (seq ${claim.seq}); generate a new id for a new event.`, {
        idempotencyKey: key,
      });
    case 'in-flight':
      throw new Problem('request-in-flight', 'Retry in a moment to get its answer.', { idempotencyKey: key }, { 'Retry-After': '1' });
  }
}

/** The problem for a refusal by the machine (step 5): 403 for a role, 422 otherwise. */
function refused(programme: ProgrammeConfig, submission: EventSubmission, result: Extract<AppendResult, { kind: 'refused' }>): Problem {
  const { refusal } = result;
  if (refusal.code === 'role-not-permitted') {
    const type = submission.event.type;
    return new Problem('forbidden', refusal.message, { eventType: type, role: submission.by.role, allowed: programme.config.permissions[type] });
  }
  return new Problem('event-refused', refusal.message, { refusal });
}

/** Registers the event routes. */
export function eventRoutes(app: FastifyInstance, { db, options }: RouteContext): void {
  app.post<{ Params: ProgrammeParams }>('/programmes/:programmeId/events', async (request, reply) => {
    const submission = checkRequest(request.headers['content-type'], request.headers['idempotency-key'], request.body);
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    authorizeEvent(programme.config, authenticateRequest(options.tokens, request), submission);

    const key = submission.id;
    const print = fingerprint(submission);
    const claim = await claimKey(db, programme.id, key, print, options.staleInFlightSeconds);
    if (claim.kind !== 'claimed') return answerTaken(reply, claim, key);

    let result: AppendResult;
    try {
      result = await appendEvent(db, programme.id, submission, { key, owner: claim.owner, fingerprint: print });
    } catch (error) {
      await releaseClaim(db, programme.id, key, claim.owner).catch(() => undefined);
      throw error;
    }
    switch (result.kind) {
      case 'appended':
        return reply.code(201).send({ entry: result.entry });
      case 'refused':
      case 'no-programme':
        await releaseClaim(db, programme.id, key, claim.owner);
        throw result.kind === 'refused' ? refused(programme, submission, result) : new Problem('unknown-programme', `There is no programme "${programme.id}" on this server.`);
      case 'lost': {
        // The key was bound meanwhile (our claim was taken over as stale, or an entry with this
        // id exists): answer from the log, as a retry of that request would be answered.
        await releaseClaim(db, programme.id, key, claim.owner);
        const bound = await findEntry(db, programme.id, key);
        if (!bound) return answerTaken(reply, { kind: 'in-flight' }, key);
        return answerTaken(
          reply,
          bound.fingerprint === print ? { kind: 'replay', answer: { seq: bound.entry.seq, response: { entry: bound.entry } } } : { kind: 'reused', seq: bound.entry.seq },
          key,
        );
      }
    }
  });

  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/events', async (request) => {
    const after = singleQuery(request.query, 'after');
    const rawLimit = singleQuery(request.query, 'limit');
    const limit = rawLimit === undefined ? PULL_LIMIT.default : /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!(limit >= 1 && limit <= PULL_LIMIT.max)) {
      throw new Problem('invalid-request', `limit must be a whole number from 1 to ${PULL_LIMIT.max}.`, {
        errors: [{ parameter: 'limit', message: `must be a whole number from 1 to ${PULL_LIMIT.max}` }],
      });
    }
    if (after !== undefined && (after.length < 1 || after.length > 200)) {
      throw new Problem('invalid-request', 'after must be a cursor of 1–200 characters.', { errors: [{ parameter: 'after', message: 'must have 1–200 characters' }] });
    }
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    authorizePull(options.pullAccess, authenticateRequest(options.tokens, request));
    const result = await pullEntries(db, programme.id, after, limit);
    if (result.ok) return result.page;
    if (result.reason === 'invalid-cursor') {
      throw new Problem('invalid-cursor', `The cursor "${after}" was not given out by this server; pull again from the beginning.`);
    }
    throw new Problem('unknown-programme', `There is no programme "${programme.id}" on this server.`);
  });
}
