/**
 * An Open311 GeoReport v2 face at `/open311/v2/` (docs/api/open311.md), over the same log and the
 * same redaction rules as the consult-kit API, for the 311/12345 apps and FixMyStreet-style
 * clients a city already has:
 *
 * - `GET discovery.{json,xml}`, `GET services.{fmt}`, `GET services/{service_code}.{fmt}`;
 * - `POST requests.{fmt}` (form-encoded as the spec says, or JSON with the same names): a
 *   `topic.submit` with source `open311`, sent through the app's own `POST
 *   /api/programmes/{id}/events` (`inject`: the same checks, limits, idempotency and
 *   redaction as every event); its Idempotency-Key is derived from the content;
 * - `GET requests.{fmt}`, `GET requests/{id}.{fmt}` from the topic index (no personal value);
 * - `GET tokens/{token}.{fmt}`: the token is the topic's follow code, checked (and limited) as
 *   `GET /api/programmes/{id}/follow/{code}` checks it.
 *
 * Errors are the spec's `[{ code, description }]`, in the request's format.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Locale, LogEntry } from '@consult-kit/machine';
import { authenticateRequest, tokenAuthenticator, type Authentication } from '../authn.js';
import { KEY_PATTERN } from '../contract.js';
import { isUnavailable } from '../db/db.js';
import { findEntry } from '../event-log.js';
import { deriveFollowCode, followCodeHash, followSecret, formatFollowCode, normaliseFollowCode } from '../follow-codes.js';
import type { RouteContext } from '../http/context.js';
import { Problem } from '../problems.js';
import { findProgrammeConfig, listProgrammes, PROGRAMME_ID, type ProgrammeConfig } from '../programmes.js';
import { catchUpIndex, queryIndex, type IndexQuery } from '../topic-index.js';
import { checkRequestFollowCode } from '../events/routes.js';
import { Open311Error, send, sendError, splitFile, type Format } from './format.js';
import {
  CLOSED_STATUSES,
  OPEN_STATUSES,
  param,
  parseRequestId,
  requestId,
  requestKey,
  requestOf,
  serviceNotice,
  submissionOf,
  submitRole,
  valuesOf,
  type Params,
} from './requests.js';
import { parseServiceCode, serviceDefinition, serviceEntry, servicesOf, takesOpen311, type Service } from './services.js';

/** Where the face is mounted. */
export const OPEN311_PREFIX = '/open311/v2';

/** The path of the consult-kit API's event route a POST is sent through. */
const EVENTS_PATH = (programmeId: string) => `/api/programmes/${programmeId}/events`;

/** The longest window `GET requests` searches, and the default (the spec's 90 days). */
const WINDOW_MS = 90 * 24 * 3600 * 1000;
/** The most requests one `GET requests` answers. */
export const MAX_REQUESTS = 200;
/** The most ids `service_request_id` may list. */
const MAX_IDS = 100;

interface FileParams {
  file: string;
}

/** The format a request asked for (JSON when it named none, for errors). */
function formatOf(request: FastifyRequest): Format {
  const file = (request.params as Partial<FileParams> | undefined)?.file;
  return (file === undefined ? undefined : splitFile(file).format) ?? 'json';
}

/** The name of the file a route serves, or the 404 when the format is not json or xml. */
function nameOf(file: string): { name: string; format: Format } {
  const { name, format } = splitFile(file);
  if (!format) throw new Open311Error(404, `There is no ${file} here: add .json or .xml to the path.`);
  return { name, format };
}

/** The answer's language: `locale`, else `Accept-Language` (zh → zh-CN, en), else the fallback. */
export function localeOf(request: FastifyRequest, fallback: Locale = 'zh-CN'): Locale {
  const asked = (request.query as Record<string, unknown> | undefined)?.locale;
  const tags = typeof asked === 'string' ? [asked] : (request.headers['accept-language'] ?? '').split(',').map((part) => part.split(';')[0]!.trim());
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (lower === 'en' || lower.startsWith('en-') || lower.startsWith('en_')) return 'en';
    if (lower === 'zh' || lower.startsWith('zh-') || lower.startsWith('zh_')) return 'zh-CN';
  }
  return fallback;
}

/** One query parameter as text (a repeated one: the first). */
function query(request: FastifyRequest, name: string): string | undefined {
  const raw = (request.query as Record<string, unknown> | undefined)?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A comma-separated list parameter. */
function listParam(request: FastifyRequest, name: string): string[] | undefined {
  const value = query(request, name);
  return value === undefined ? undefined : [...new Set(value.split(',').map((v) => v.trim()).filter((v) => v !== ''))];
}

/** A form body's parameters (repeated names as lists). */
export function parseForm(body: string): Params {
  const params: Params = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = params[name];
    params[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return params;
}

/** A JSON body's parameters: the same names as the form; `attribute` may be an object of codes. */
function jsonParams(body: unknown): Params {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Open311Error(400, 'The body must be the request\'s parameters: form-encoded, or a JSON object with the same names.');
  const params: Params = {};
  const text = (name: string, value: unknown): string | string[] => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return value.map(String);
    throw new Open311Error(400, `${name} must be a text, a number, true/false or a list of them.`);
  };
  for (const [name, value] of Object.entries(body)) {
    if (name === 'attribute' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [code, v] of Object.entries(value)) params[`attribute[${code}]`] = text(`attribute[${code}]`, v);
    } else if (value !== null && value !== undefined) {
      params[name] = text(name, value);
    }
  }
  return params;
}

/** Registers the Open311 face (under `/open311/v2`, so the app registers it at its root). */
export async function open311Routes(app: FastifyInstance, context: RouteContext): Promise<void> {
  await app.register(async (v2) => open311(v2, context), { prefix: OPEN311_PREFIX });
}

async function open311(app: FastifyInstance, { db, options }: RouteContext): Promise<void> {
  const authenticator = options.authenticator ?? tokenAuthenticator(options.tokens);
  const now = () => options.clock?.() ?? new Date();

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseForm(body as string));
  });

  app.setErrorHandler((error: FastifyError | Open311Error | Problem, request, reply) => {
    const format = formatOf(request);
    if (error instanceof Open311Error) return sendError(reply, format, error.status, error.message, { ...error.headers });
    if (error instanceof Problem) return sendError(reply, format, error.status, error.body.detail ?? error.body.title, { ...error.headers });
    const status = (error as FastifyError).statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = (error as FastifyError).code;
      const description =
        code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'Send the request as application/x-www-form-urlencoded (or application/json with the same names).'
        : code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `The body is larger than this server accepts (${options.bodyLimit} bytes).`
        : error.message;
      return sendError(reply, format, status, description);
    }
    if (isUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return sendError(reply, format, 503, 'The database cannot be reached now; try again shortly.', { 'Retry-After': '5' });
    }
    request.log.error({ err: error }, 'unexpected fault');
    return sendError(reply, format, 500, `The fault was logged as ${request.id}.`);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 'json', 404, `There is no route ${request.method} ${request.url.split('?')[0]}.`));

  /** The programmes that take Open311 requests. */
  const programmes = async (): Promise<ProgrammeConfig[]> => {
    const found: ProgrammeConfig[] = [];
    for (const { id } of await listProgrammes(db)) {
      const programme = await findProgrammeConfig(db, id);
      if (programme && takesOpen311(programme.config)) found.push(programme);
    }
    return found;
  };
  /** A programme that takes Open311 requests, or undefined. */
  const programme = async (id: string): Promise<ProgrammeConfig | undefined> => {
    const found = PROGRAMME_ID.test(id) ? await findProgrammeConfig(db, id) : null;
    return found && takesOpen311(found.config) ? found : undefined;
  };
  /** The service of a code, or undefined. */
  const service = async (code: string): Promise<Service | undefined> => {
    const { programmeId } = parseServiceCode(code);
    const found = await programme(programmeId);
    return found ? servicesOf(found).find((s) => s.code === code) : undefined;
  };

  // ── Discovery and services ──────────────────────────────────────────────────────────────

  app.get<{ Params: FileParams }>('/:file', async (request, reply) => {
    const { name, format } = nameOf(request.params.file);
    if (name === 'discovery') return send(reply, format, 'discovery', discovery(request));
    if (name === 'services') {
      const locale = localeOf(request);
      return send(reply, format, 'services', (await programmes()).flatMap((p) => servicesOf(p).map((s) => serviceEntry(s, locale))));
    }
    if (name === 'requests') return send(reply, format, 'service_requests', await listRequests(request));
    throw new Open311Error(404, `There is no ${request.params.file} here.`);
  });

  app.get<{ Params: FileParams }>('/services/:file', async (request, reply) => {
    const { name, format } = nameOf(request.params.file);
    const found = await service(name);
    if (!found) throw new Open311Error(404, `There is no service "${name}"; services.${format} lists them.`);
    return send(reply, format, 'service_definition', serviceDefinition(found, localeOf(request, found.programme.config.defaultLocale)));
  });

  /** The origin the client called (for discovery's endpoint URL). */
  const discovery = (request: FastifyRequest) => ({
    changeset: '2026-12-07T00:00:00Z',
    contact: 'See docs/api/open311.md of consult-kit; the city publishes its own contact.',
    key_service: 'api_key is a bearer token the city issues in its token table (docs/server.md, Tokens); without one, requests are residents\' own.',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${request.protocol}://${request.host}${OPEN311_PREFIX}`,
        changeset: '2026-12-07T00:00:00Z',
        type: 'production',
        formats: ['application/json', 'text/xml'],
      },
    ],
  });

  // ── Reading requests ────────────────────────────────────────────────────────────────────

  /** Index rows of one programme matching a filter, newest first, within the window. */
  const rowsOf = async (p: ProgrammeConfig, filter: Omit<IndexQuery, 'limit' | 'now'>, from: number, to: number, max: number) => {
    await catchUpIndex(db, p.id);
    const found = [];
    let before: number | undefined;
    for (;;) {
      const page = await queryIndex(db, p.id, { ...filter, limit: 100, now: now().getTime(), ...(before === undefined ? {} : { before }) });
      for (const item of page.items) {
        const at = Date.parse(item.submittedAt);
        if (at < from) return found;
        if (at <= to) found.push(item);
        if (found.length >= max) return found;
      }
      if (!page.more || page.last === undefined) return found;
      before = page.last;
    }
  };

  const listRequests = async (request: FastifyRequest) => {
    const locale = localeOf(request);
    const ids = listParam(request, 'service_request_id');
    if (ids) {
      if (ids.length > MAX_IDS) throw new Open311Error(400, `service_request_id may list at most ${MAX_IDS} ids.`);
      const byProgramme = new Map<string, string[]>();
      for (const id of ids) {
        const parsed = parseRequestId(id);
        if (parsed) byProgramme.set(parsed.programmeId, [...(byProgramme.get(parsed.programmeId) ?? []), parsed.topicId]);
      }
      const answers: Array<Record<string, unknown>> = [];
      for (const [programmeId, topicIds] of byProgramme) {
        const p = await programme(programmeId);
        if (!p) continue;
        for (const item of await rowsOf(p, { topicIds }, -Infinity, Infinity, MAX_IDS)) answers.push(requestOf(p, item, locale));
      }
      // In the order asked for.
      return ids.flatMap((id) => answers.filter((a) => a.service_request_id === id));
    }
    const statuses = listParam(request, 'status');
    if (statuses?.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open, closed or both (comma-separated).');
    const status = statuses?.length === 1 ? (statuses[0] === 'open' ? [...OPEN_STATUSES] : [...CLOSED_STATUSES]) : undefined;
    const end = dateParam(request, 'end_date') ?? now().getTime();
    const start = dateParam(request, 'start_date') ?? end - WINDOW_MS;
    if (start > end) throw new Open311Error(400, 'start_date must not be after end_date.');
    if (end - start > WINDOW_MS) throw new Open311Error(400, 'start_date and end_date may not span more than 90 days.');
    const codes = listParam(request, 'service_code');
    let wanted: Array<{ p: ProgrammeConfig; categories?: string[] }>;
    if (codes) {
      const services: Service[] = [];
      for (const code of codes) {
        const found = await service(code);
        if (!found) throw new Open311Error(404, `There is no service "${code}"; services.json lists them.`);
        services.push(found);
      }
      const grouped = new Map<string, { p: ProgrammeConfig; categories?: string[] }>();
      for (const s of services) {
        const entry = grouped.get(s.programme.id) ?? { p: s.programme, categories: [] };
        if (s.category === undefined) delete entry.categories;
        else entry.categories?.push(s.category);
        grouped.set(s.programme.id, entry);
      }
      wanted = [...grouped.values()];
    } else {
      wanted = (await programmes()).map((p) => ({ p }));
    }
    const rows: Array<{ at: number; answer: Record<string, unknown> }> = [];
    for (const { p, categories } of wanted) {
      const filter: Omit<IndexQuery, 'limit' | 'now'> = { ...(status ? { status } : {}), ...(categories ? { category: categories } : {}) };
      for (const item of await rowsOf(p, filter, start, end, MAX_REQUESTS)) rows.push({ at: Date.parse(item.submittedAt), answer: requestOf(p, item, locale) });
    }
    return rows.sort((a, b) => b.at - a.at).slice(0, MAX_REQUESTS).map((r) => r.answer);
  };

  app.get<{ Params: FileParams }>('/requests/:file', async (request, reply) => {
    const { name, format } = nameOf(request.params.file);
    const parsed = parseRequestId(name);
    const p = parsed && (await programme(parsed.programmeId));
    const [item] = p && parsed ? await rowsOf(p, { topicIds: [parsed.topicId] }, -Infinity, Infinity, 1) : [];
    if (!p || !item) throw new Open311Error(404, `There is no service request "${name}".`);
    return send(reply, format, 'service_requests', [requestOf(p, item, localeOf(request, p.config.defaultLocale))]);
  });

  // The token is a follow code (a credential): its requests are not logged at info, where the URL would be.
  app.get<{ Params: FileParams }>('/tokens/:file', { logLevel: 'warn' }, async (request, reply) => {
    const { name, format } = nameOf(request.params.file);
    const code = normaliseFollowCode(name);
    const [row] = code ? await db.query<{ programme_id: string }>('select programme_id from follow_code where code_hash = $1 limit 1', [followCodeHash(code)]) : [];
    // The look-up goes through the same check as every follow code (limits, revocation); a code
    // of no programme is checked against one, so it counts as the client's failure.
    const programmeId = row?.programme_id ?? (await listProgrammes(db))[0]?.id;
    if (programmeId === undefined) throw new Open311Error(404, 'There is no request with this token.');
    const match = await checkRequestFollowCode(db, options, request, programmeId, name);
    reply.header('Cache-Control', 'no-store');
    return send(reply, format, 'service_requests', [{ service_request_id: requestId(programmeId, match.topicId), token: formatFollowCode(normaliseFollowCode(name)!) }]);
  });

  // ── Raising a request ───────────────────────────────────────────────────────────────────

  /** The answer to a stored topic.submit. */
  const answerOf = async (p: ProgrammeConfig, entry: LogEntry, locale: Locale) => {
    const code = formatFollowCode(deriveFollowCode(await followSecret(db, options.followSecret), p.id, entry.topicId));
    const account = entry.by.id;
    return [{ service_request_id: requestId(p.id, entry.topicId), token: code, service_notice: serviceNotice(locale), ...(account ? { account_id: account } : {}) }];
  };

  // The rate limit counts the event route this sends through, once.
  app.post<{ Params: FileParams }>('/:file', { config: { rateLimit: false } }, async (request, reply) => {
    const { name, format } = nameOf(request.params.file);
    if (name !== 'requests') throw new Open311Error(404, `There is no POST ${request.params.file} here.`);
    const params = isFormParsed(request) ? (request.body as Params) : jsonParams(request.body ?? {});
    const code = param(params, 'service_code');
    if (code === undefined) throw new Open311Error(400, 'service_code is required.');
    const found = await service(code);
    if (!found) throw new Open311Error(404, `There is no service "${code}"; services.${format} lists them.`);
    const p = found.programme;
    const locale = localeOf(request, p.config.defaultLocale);

    const apiKey = param(params, 'api_key');
    const authorization = apiKey !== undefined ? `Bearer ${apiKey}` : request.headers.authorization;
    const auth: Authentication = apiKey !== undefined ? await authenticator(authorization) : authenticateRequest(request);
    if (auth.kind === 'invalid') throw new Open311Error(403, 'api_key is not valid.');
    const role = submitRole(p.config, auth.kind === 'token' ? auth.principal.roles : undefined);
    if (role === undefined) throw new Open311Error(403, 'This api_key holds no role that may raise topics in this programme.');

    const values = valuesOf(found, params);
    const clientKey = request.headers['idempotency-key'];
    if (clientKey !== undefined && (typeof clientKey !== 'string' || !KEY_PATTERN.test(clientKey))) {
      throw new Open311Error(400, "An Idempotency-Key is 1–128 characters of A–Z, a–z, 0–9, '.', '_', ':' and '-'.");
    }
    // Without a key, the client's address stands for the sender: the key (and so the answer,
    // with the topic's follow code) must not be derivable by someone else sending the same text.
    const sender = auth.kind === 'token' ? `token:${auth.principal.id}` : `address:${request.ip}`;
    const key = requestKey(found, sender, values, clientKey);
    const submission = submissionOf(found, values, key, role, now().toISOString());

    // A retry of a stored request: its answer, without sending it again.
    const stored = await findEntry(db, p.id, submission.id);
    if (stored) return send(reply.code(200), format, 'service_requests', await answerOf(p, stored.entry, locale));

    const response = await app.inject({
      method: 'POST',
      url: EVENTS_PATH(p.id),
      headers: {
        'content-type': 'application/json',
        'idempotency-key': submission.id,
        ...(authorization ? { authorization } : {}),
        ...(request.headers['user-agent'] ? { 'user-agent': request.headers['user-agent'] } : {}),
      },
      remoteAddress: request.ip,
      payload: JSON.stringify(submission),
    });
    const body = response.json<{ entry?: LogEntry; detail?: string; type?: string; refusal?: { message?: string }; errors?: Array<{ pointer?: string; message?: string }> }>();
    if ((response.statusCode === 201 || response.statusCode === 200) && body.entry) {
      return send(reply.code(response.statusCode), format, 'service_requests', await answerOf(p, body.entry, locale));
    }
    return refuse(reply, format, response.statusCode, response.headers['retry-after'], body, p, submission.id, clientKey === undefined, locale);
  });

  /** An answer of the event route that is not an append, in the spec's shape. */
  const refuse = async (
    reply: FastifyReply,
    format: Format,
    status: number,
    retryAfter: string | string[] | number | undefined,
    body: { type?: string; detail?: string; refusal?: { message?: string }; errors?: Array<{ pointer?: string; message?: string }> },
    p: ProgrammeConfig,
    id: string,
    derivedKey: boolean,
    locale: Locale,
  ): Promise<FastifyReply> => {
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
    if (body.type === '/problems/idempotency-key-reused') {
      // Two copies of one request raced (their times differ): the one stored is the answer.
      const stored = derivedKey ? await findEntry(db, p.id, id) : null;
      if (stored) return send(reply.code(200), format, 'service_requests', await answerOf(p, stored.entry, locale));
      return sendError(reply, format, 400, 'This Idempotency-Key was used for another request; send a new one.');
    }
    const detail = body.refusal?.message ?? [body.detail, ...(body.errors ?? []).map((e) => `${e.pointer ?? ''} ${e.message ?? ''}`.trim())].filter(Boolean).join(' ');
    const mapped = status === 401 ? 403 : status === 422 ? 400 : status;
    return sendError(reply, format, mapped, detail || 'The request was refused.', headers);
  };
}

/** Whether the body came through the form parser (a Params object already). */
function isFormParsed(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** A date parameter as epoch ms (ISO 8601), or undefined; a 400 when it is not one. */
function dateParam(request: FastifyRequest, name: string): number | undefined {
  const value = query(request, name)?.replace(/ (\d{2}:?\d{2})$/, '+$1');
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new Open311Error(400, `${name} must be an ISO 8601 date-time, e.g. 2026-07-20T08:00:00+08:00.`);
  return ms;
}
