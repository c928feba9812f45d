/**
 * `POST /programmes/{id}/events` (append one event, idempotent),
 * `GET /programmes/{id}/events` (pull after a cursor) and
 * `GET /programmes/{id}/topics/{topicId}/events` (one topic's entries after a cursor), in the
 * order docs/api/README.md gives: the request, the programme, who is asking (token, follow
 * code), the key, the lifecycle, the append. The server stamps `by` (auth.ts `stampBy`), checks
 * scopes (scope.ts: the programme first, the topic's level and the measure's party inside the
 * append's transaction) and counts resident writes and follow-code look-ups (limits.ts). Pulls
 * answer the redacted log, or the log with personal values joined to the roles allowed to see
 * them, within their scopes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRedacted, type LogEntry } from '@consult-kit/machine';
import type { RouteContext } from '../http/context.js';
import { authorizeEvent, authorizePull, FOLLOW_CODE_EVENTS, FOLLOW_CODE_HEADER, isResidentWrite, stampBy } from '../auth.js';
import { authenticateRequest, type Authentication } from '../authn.js';
import { fingerprint } from '../canonical-json.js';
import type { AppOptions } from '../config.js';
import { checkSubmission, KEY_PATTERN, type EventSubmission, type RequestFault } from '../contract.js';
import type { Db, Queryable } from '../db/db.js';
import { loadTopicConfigs, topicVersionNumbers } from '../config-versions.js';
import { appendEvent, findEntry, pullEntries, redactUnder, topicAuthor, type AppendResult, type PullPage } from '../event-log.js';
import { checkFollowCode, deriveFollowCode, followCodeHash, followSecret, followSubject, formatFollowCode, limiterClient, type FollowMatch } from '../follow-codes.js';
import type { Claim } from '../idempotency.js';
import { enforce, enforcePeek, hit, limitKey } from '../limits.js';
import { Problem } from '../problems.js';
import { findProgrammeForTopic, forgetProgrammeHead, keptProgrammeForTopic, keepProgrammeForTopic, requireProgrammeConfig, type ProgrammeConfig } from '../programmes.js';
import { isScopeRefusal, outOfScope, programmeScopeRefusal, scopeCheck } from '../scope.js';
import { catchUpIndex, scheduleCatchUp } from '../topic-index.js';
import { singleQuery, type ProgrammeParams } from '../http/request.js';

/** The per-topic pull's path parameters. */
interface TopicParams extends ProgrammeParams {
  topicId: string;
}

/** A topic id as the contract's `TopicId` says. */
const TOPIC_ID = /^[A-Za-z0-9._:-]{1,128}$/;

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
  const markers = redactionMarkers(body, '');
  if (markers.length > 0) throw new Problem('invalid-request', 'A redaction marker { "redacted": true } stands only in a stored entry; send the value itself.', { errors: markers });
  return body as EventSubmission;
}

/**
 * Where a body holds the redaction marker. The machine takes the marker for a filled value
 * (it was checked when the full entry came in), so a submission must never carry one.
 */
function redactionMarkers(node: unknown, pointer: string): RequestFault[] {
  if (isRedacted(node)) return [{ pointer, message: 'is a redaction marker, which a submission may not hold.' }];
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => redactionMarkers(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`));
}

/** The answer to an accepted event: the (redacted) entry, and for a `topic.submit` the topic's follow code. */
type Answerer = (response: unknown) => Promise<unknown>;

/** Answers a key that is already taken (step 4). */
async function answerTaken(reply: FastifyReply, claim: Exclude<Claim, { kind: 'claimed' }>, key: string, answer: Answerer): Promise<FastifyReply> {
  switch (claim.kind) {
    case 'replay':
      return reply.code(200).header('Idempotent-Replayed', 'true').send(await answer(claim.answer.response));
    case 'reused':
      throw new Problem('idempotency-key-reused', `The key ${key} is bound to another body (seq ${claim.seq}); generate a new id for a new event.`, {
        idempotencyKey: key,
      });
    case 'in-flight':
      throw new Problem('request-in-flight', 'Retry in a moment to get its answer.', { idempotencyKey: key }, { 'Retry-After': '1' });
  }
}

/** The problem for a refusal by the machine (step 5): 403 for a role or a scope, 422 otherwise. */
function refused(programme: ProgrammeConfig, submission: EventSubmission, result: Extract<AppendResult, { kind: 'refused' }>): Problem {
  const { refusal } = result;
  if (isScopeRefusal(refusal)) {
    return outOfScope({ missingScope: refusal.missingScope, detail: refusal.message }, { eventType: submission.event.type, role: submission.by.role });
  }
  if (refusal.code === 'role-not-permitted') {
    const type = submission.event.type;
    return new Problem('forbidden', refusal.message, { eventType: type, role: submission.by.role, allowed: programme.config.permissions[type], reason: 'role-not-permitted' });
  }
  return new Problem('event-refused', refusal.message, { refusal });
}

/** The follow code a request carries in `Follow-Code`, or undefined. */
function followHeader(request: FastifyRequest): string | undefined {
  const header = request.headers[FOLLOW_CODE_HEADER];
  if (header === undefined) return undefined;
  return Array.isArray(header) ? header.join(',') : header;
}

/**
 * Checks a request's follow code (429 / 404 / 403 as follow-codes.ts says), for a topic or any.
 * Before it, the abuse limits (limits.ts): every look-up counts for the client's address; a
 * look-up bound to a topic is refused while that topic has had too many wrong codes from all
 * addresses together (checked before the code, so a guesser learns nothing), and a wrong one
 * counts for it.
 */
export async function checkRequestFollowCode(db: Queryable, options: AppOptions, request: FastifyRequest, programmeId: string, input: string, topicId?: string): Promise<FollowMatch> {
  const secret = await followSecret(db, options.followSecret);
  const limits = options.followLookupLimit;
  const window = options.followLimit.windowMs;
  const topicKey = topicId === undefined ? undefined : limitKey(secret, 'follow-topic', `${programmeId}\n${topicId}`);
  if (limits) {
    await enforce(db, 'follow-address', limitKey(secret, 'follow-address', request.ip), { max: limits.perAddress, windowMs: window }, 'Too many follow-code look-ups from this client');
    if (topicKey) {
      await enforcePeek(db, 'follow-topic', topicKey, { max: limits.perTopicFailures, windowMs: window }, 'Too many wrong follow codes were tried for this topic');
    }
  }
  try {
    return await checkFollowCode({ db, programmeId, input, client: limiterClient(secret, request.ip), limit: options.followLimit, ...(topicId === undefined ? {} : { topicId }) });
  } catch (error) {
    if (limits && topicKey && error instanceof Problem && error.body.type === '/problems/follow-code-not-found') {
      await hit(db, 'follow-topic', topicKey, { max: limits.perTopicFailures, windowMs: window });
    }
    throw error;
  }
}

/**
 * The abuse limit on resident writes (limits.ts) for one identity or client: `what` is
 * counted under `value` and refused with 429 past the limit.
 */
async function limitResidentWrite(db: Queryable, options: AppOptions, bucket: 'resident-address' | 'resident-subject', value: string, what: string): Promise<void> {
  const limits = options.residentLimit;
  if (!limits) return;
  const secret = await followSecret(db, options.followSecret);
  const max = bucket === 'resident-address' ? limits.perAddress : limits.perIdentity;
  await enforce(db, bucket, limitKey(secret, bucket, value), { max, windowMs: limits.windowMs }, what);
}

/**
 * Step 3, who is asking: authorizeEvent, and for the events a follow code acts on
 * (`rating.submit`, `topic.withdraw`) the code when one is sent; without a token it is required
 * (authorizeEvent) and the event acts as the code's subject (`by.id` stamped `follow:<hash>`,
 * so one code rates once per round). A token withdrawing a topic must be whoever raised it,
 * unless it sends the topic's code. Returns the code that matched, if any.
 */
async function followStep(db: Queryable, options: AppOptions, request: FastifyRequest, programme: ProgrammeConfig, auth: Authentication, submission: EventSubmission): Promise<FollowMatch | undefined> {
  const type = submission.event.type;
  if (!FOLLOW_CODE_EVENTS.has(type) || auth.kind === 'invalid') {
    authorizeEvent(programme.config, auth, submission);
    return undefined;
  }
  const input = followHeader(request);
  const match = input === undefined ? undefined : await checkRequestFollowCode(db, options, request, programme.id, input, submission.topicId);
  authorizeEvent(programme.config, auth, submission, match !== undefined);
  if (auth.kind === 'anonymous') return match;
  if (type === 'topic.withdraw' && !match) {
    const author = await topicAuthor(db, programme.id, submission.topicId);
    if (author !== undefined && author.id !== auth.principal.id) {
      throw new Problem('forbidden', 'Only whoever raised the topic may withdraw it: send it with their token or the topic\'s follow code (Follow-Code header).', {
        eventType: type,
        role: submission.by.role,
        reason: 'not-the-author',
      });
    }
  }
  return match;
}

/** The current level of each topic (from the topic index, caught up with the log first). */
async function topicLevels(db: Db, programmeId: string, topicIds: string[]): Promise<Map<string, string>> {
  if (topicIds.length === 0) return new Map();
  await catchUpIndex(db, programmeId);
  const rows = await db.query<{ topic_id: string; level: string }>('select topic_id, level from topic_index where programme_id = $1 and topic_id = any($2)', [programmeId, topicIds]);
  return new Map(rows.map((r) => [r.topic_id, r.level]));
}

/**
 * The programme as a topic sees it: the config of the version the topic started under (a
 * running topic keeps it when a new version is published), or the latest for a new topic. One
 * statement when this process has parsed those configs; 404 problem when there is no programme.
 */
async function programmeForTopic(db: Queryable, programmeId: string, topicId: string): Promise<ProgrammeConfig> {
  const found = await findProgrammeForTopic(db, programmeId, topicId);
  if (found) {
    keepProgrammeForTopic(db, found.latest, topicId, found.topic);
    return found.topic;
  }
  const programme = await requireProgrammeConfig(db, programmeId);
  const configs = await loadTopicConfigs(db, programme.id, [topicId]);
  if (!configs) return programme;
  const own = configs.versionOf(topicId);
  return own.etag === programme.etag ? programme : { ...programme, etag: own.etag, version: own.version, config: own.config };
}

/**
 * A pull page with `configVersions`: the config version each of its topics replays with (a client
 * that replays the log itself needs it once a programme has more than one version). Only on a
 * page with entries.
 */
async function withConfigVersions(db: Queryable, programmeId: string, page: PullPage): Promise<PullPage & { configVersions?: Record<string, number> }> {
  if (page.entries.length === 0) return page;
  return { ...page, configVersions: await topicVersionNumbers(db, programmeId, page.entries.map((e) => e.topicId)) };
}

/** What `appendRequest` gives when the config it checked with was not the topic's under the lock. */
const STALE_CONFIG = Symbol('stale-config');

/** Registers the event routes. */
export async function eventRoutes(app: FastifyInstance, { db, options }: RouteContext): Promise<void> {
  // After a topic's event is appended, the index catches up once the log is quiet.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'POST' || reply.statusCode !== 201) return;
    const params = request.params as Partial<ProgrammeParams> | undefined;
    if (request.routeOptions.url?.endsWith('/programmes/:programmeId/events') && params?.programmeId) {
      scheduleCatchUp(db, params.programmeId, (error) => request.log.warn({ err: error }, 'topic index catch-up failed'));
    }
  });
  /** The follow code of a topic, as people read it. */
  const followCodeOf = async (programmeId: string, topicId: string) => deriveFollowCode(await followSecret(db, options.followSecret), programmeId, topicId);
  /** A stored answer, with the follow code when it is a topic.submit's (derived again: never stored). */
  const answerFor = (programmeId: string): Answerer => async (response) => {
    const entry = (response as { entry?: LogEntry } | null)?.entry;
    if (entry?.event.type !== 'topic.submit') return response;
    return { ...(response as object), followCode: formatFollowCode(await followCodeOf(programmeId, entry.topicId)) };
  };

  app.post<{ Params: ProgrammeParams }>('/programmes/:programmeId/events', async (request, reply) => {
    // When the server received it (its own clock), recorded beside the claimed `at`.
    const receivedAt = (options.clock?.() ?? new Date()).toISOString();
    const sent = checkRequest(request.headers['content-type'], request.headers['idempotency-key'], request.body);
    // Checked first against the config this process last saw for the topic (no statement), which
    // the append verifies under the programme's lock; when a version was published meanwhile,
    // once more against the config read from the database.
    const first = await appendRequest(request, reply, sent, receivedAt, false);
    return first === STALE_CONFIG ? appendRequest(request, reply, sent, receivedAt, true) : first;
  });

  /**
   * The append request's steps from the programme on (see the module's doc): the topic's config
   * (kept, or read when `fresh`), who is asking, the limits, the append. `STALE_CONFIG` when the
   * config used was not the topic's under the lock (nothing was written).
   */
  const appendRequest = async (request: FastifyRequest<{ Params: ProgrammeParams }>, reply: FastifyReply, sent: EventSubmission, receivedAt: string, fresh: boolean) => {
    // The topic's own config version (the latest for a topic not started yet): who may send what.
    const programme = (fresh ? undefined : keptProgrammeForTopic(db, request.params.programmeId, sent.topicId)) ?? (await programmeForTopic(db, request.params.programmeId, sent.topicId));
    const auth = authenticateRequest(request);
    const residentWrite = isResidentWrite(auth, sent);
    if (residentWrite) await limitResidentWrite(db, options, 'resident-address', request.ip, 'Too many resident writes from this client');
    const match = await followStep(db, options, request, programme, auth, sent);
    const type = sent.event.type;
    if (auth.kind === 'token') {
      const scope = programmeScopeRefusal(auth.principal, sent.by.role, programme.id);
      if (scope) throw outOfScope(scope, { eventType: type, role: sent.by.role });
    }
    // The topic's follow code, for a topic.submit: answered, stored (its hash), and the subject
    // an anonymous submitter is stamped with.
    const code = type === 'topic.submit' ? await followCodeOf(programme.id, sent.topicId) : undefined;
    const codeHash = code === undefined ? undefined : followCodeHash(code);
    const subject = match?.subject ?? (auth.kind === 'anonymous' && codeHash !== undefined ? followSubject(codeHash) : undefined);
    const identity = auth.kind === 'token' ? auth.principal.id : match?.subject;
    if (residentWrite && identity !== undefined) await limitResidentWrite(db, options, 'resident-subject', identity, 'Too many resident writes by this person');
    const submission = stampBy(auth, sent, subject);
    const answer = answerFor(programme.id);

    const key = submission.id;
    const print = fingerprint(sent);
    // The key is claimed in the append's transaction, under the programme's lock (idempotency.ts).
    const result = await appendEvent(db, programme.id, submission, {
      key,
      fingerprint: print,
      staleSeconds: options.staleInFlightSeconds,
      configEtag: programme.etag,
      receivedAt,
      ...(codeHash ? { followCodeHash: codeHash } : {}),
      ...(auth.kind === 'token' ? { authorize: scopeCheck(auth.principal, programme.config) } : {}),
    });
    switch (result.kind) {
      case 'appended':
        return reply.code(201).send(await answer({ entry: result.entry }));
      case 'taken':
        return answerTaken(reply, result.claim, key, answer);
      case 'stale-config':
        forgetProgrammeHead(db, programme.id);
        if (fresh) throw new Problem('request-in-flight', 'The programme\'s config changed while this event was checked; retry in a moment.', { idempotencyKey: key }, { 'Retry-After': '1' });
        return STALE_CONFIG;
      case 'refused':
        throw refused(programme, submission, result);
      case 'no-programme':
        throw new Problem('unknown-programme', `There is no programme "${programme.id}" on this server.`);
      case 'lost': {
        // The key was bound meanwhile (an entry with this id exists, or a claim was taken over):
        // answer from the log, as a retry of that request would be answered.
        const bound = await findEntry(db, programme.id, key);
        if (!bound) return answerTaken(reply, { kind: 'in-flight' }, key, answer);
        return answerTaken(
          reply,
          bound.fingerprint === print ? { kind: 'replay', answer: { seq: bound.entry.seq, response: { entry: bound.entry } } } : { kind: 'reused', seq: bound.entry.seq },
          key,
          answer,
        );
      }
    }
  };

  /** Both pulls: the query checked, the programme, who is asking, the page. */
  const pull = async (request: FastifyRequest<{ Params: ProgrammeParams & { topicId?: string } }>, reply: FastifyReply) => {
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
    const { topicId } = request.params;
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    const grant = authorizePull(programme.config, options.pullAccess, authenticateRequest(request), programme.id);
    // A page with personal values joined (a staff token, or --pull-access open) is that reader's alone.
    if (grant.joined) reply.header('Cache-Control', 'private, no-store');
    if (topicId !== undefined && !TOPIC_ID.test(topicId)) throw new Problem('unknown-topic', 'There is no such topic in this programme.');
    const result = await pullEntries(db, programme.id, { after, limit, joined: grant.joined, ...(topicId === undefined ? {} : { topicId }) });
    if (result.ok) {
      const page = await withConfigVersions(db, programme.id, result.page);
      if (!grant.levels) return page;
      // Joined only for the topics at the reader's levels now: the others redacted again.
      const pageTopics = [...new Set(result.page.entries.map((e) => e.topicId))];
      const levels = await topicLevels(db, programme.id, pageTopics);
      const inScope = (entry: LogEntry) => grant.levels!.includes(levels.get(entry.topicId) as never);
      const configs = (await loadTopicConfigs(db, programme.id, pageTopics))!;
      return { ...page, entries: page.entries.map((e) => (inScope(e) ? e : redactUnder(configs, e).entry)) };
    }
    if (result.reason === 'invalid-cursor') {
      throw new Problem('invalid-cursor', `The cursor "${after}" was not given out by this server; pull again from the beginning.`);
    }
    if (result.reason === 'unknown-topic') throw new Problem('unknown-topic', `There is no topic "${topicId}" in programme ${programme.id}.`);
    throw new Problem('unknown-programme', `There is no programme "${programme.id}" on this server.`);
  };

  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/events', pull);
  app.get<{ Params: TopicParams }>('/programmes/:programmeId/topics/:topicId/events', pull);
}
