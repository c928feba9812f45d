/**
 * `GET /programmes/{id}/reports/{kind}.{csv|xlsx}`: the exports a programme office reports
 * upward — topics, measures, meetings, ratings and the rooms' figures with their stars — for a
 * chosen period (`from`, `to`: calendar dates, both inclusive), rooms and levels, with headers in
 * zh-CN (default) or en (`lang`). See reports/columns.ts for what each holds.
 *
 * - Staff only: a token holding one of `READ_ROLES` (401 without one, 403 for a resident or
 *   anyone else without such a role, 403 out-of-scope outside the token's programmes); a token
 *   with level scopes gets the topics (rooms) at its levels only.
 * - Personal columns only for a role of the config's `personalDataRoles`: the log is then
 *   replayed with the personal values joined; for everyone else from the redacted log, and the
 *   personal columns are left out (not blanked).
 * - Streamed (reports/write.ts), `Content-Disposition: attachment` with the name in RFC 5987
 *   form, `Cache-Control: no-store`. The log line says what was exported, never a value.
 */
import type { FastifyInstance } from 'fastify';
import { LEVEL_RANK, periodsBetween, type Locale, type Period } from '@consult-kit/machine';
import type { RouteContext } from '../http/context.js';
import { READ_ROLES, seesPersonalData, unauthenticated } from '../auth.js';
import { authenticateRequest } from '../authn.js';
import { Problem } from '../problems.js';
import { requireProgrammeConfig } from '../programmes.js';
import { outOfScope, readScope } from '../scope.js';
import { buildReport, dateOf, nextDay, REPORT_FORMATS, REPORT_KINDS, reportFileName, type ReportFilter, type ReportFormat, type ReportKind } from '../reports/columns.js';
import { replayProgramme } from '../reports/load.js';
import { clientSignal } from '../projections/index.js';
import { csvStream, xlsxStream } from '../reports/write.js';
import { singleQuery, type ProgrammeParams } from '../http/request.js';
import { checkRooms } from '../topics/routes.js';

const PARAMETERS = new Set(['from', 'to', 'room', 'level', 'lang']);
const LANGS: readonly Locale[] = ['zh-CN', 'en'];

/** The media type of each format. */
export const REPORT_MEDIA_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function bad(parameter: string, message: string): Problem {
  return new Problem('invalid-request', `${parameter} ${message}.`, { errors: [{ parameter, message }] });
}

/** A calendar date YYYY-MM-DD that exists. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

function list(query: unknown, name: string): string[] | undefined {
  const raw = singleQuery(query, name);
  if (raw === undefined) return undefined;
  const values = raw.split(',').map((v) => v.trim());
  if (values.length > 50 || values.some((v) => v === '' || v.length > 100)) throw bad(name, 'must be a comma-separated list of at most 50 non-empty values');
  return [...new Set(values)];
}

/** The report a path names (`measures.xlsx`), or a 400 naming `report`. */
export function parseReportFile(file: string): { kind: ReportKind; format: ReportFormat } {
  const match = /^([a-z]+)\.([a-z]+)$/.exec(file);
  const kind = match?.[1] as ReportKind | undefined;
  const format = match?.[2] as ReportFormat | undefined;
  if (!kind || !format || !REPORT_KINDS.includes(kind) || !REPORT_FORMATS.includes(format)) {
    throw bad('report', `must be one of ${REPORT_KINDS.join(', ')} followed by .csv or .xlsx (e.g. measures.csv); got "${file.slice(0, 60)}"`);
  }
  return { kind, format };
}

/** Checks the query string: the filter and the language. */
export function parseReportQuery(query: unknown, levels: readonly string[]): { filter: ReportFilter; lang: Locale } {
  for (const name of Object.keys((query as Record<string, unknown> | undefined) ?? {})) {
    if (!PARAMETERS.has(name)) throw bad(name, `is not a parameter of this route; it takes ${[...PARAMETERS].join(', ')}`);
  }
  const filter: ReportFilter = {};
  for (const name of ['from', 'to'] as const) {
    const value = singleQuery(query, name);
    if (value === undefined) continue;
    if (!isCalendarDate(value)) throw bad(name, 'must be a calendar date YYYY-MM-DD');
    filter[name] = value;
  }
  if (filter.from && filter.to && filter.from > filter.to) throw bad('to', `must not be before from (${filter.from})`);
  const room = list(query, 'room');
  if (room) filter.room = room;
  const level = list(query, 'level');
  if (level) {
    const unknown = level.find((l) => !levels.includes(l));
    if (unknown !== undefined) throw bad('level', `must be one or more of ${levels.join(', ')}; got "${unknown}"`);
    filter.level = level;
  }
  const rawLang = singleQuery(query, 'lang') ?? 'zh-CN';
  if (!LANGS.includes(rawLang as Locale)) throw bad('lang', 'must be zh-CN or en');
  return { filter, lang: rawLang as Locale };
}

/** `attachment; filename="…"; filename*=UTF-8''…` (an ASCII fallback and the UTF-8 name). */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Registers the export route. */
export async function reportRoutes(app: FastifyInstance, { db, options }: RouteContext): Promise<void> {
  app.get<{ Params: ProgrammeParams & { file: string } }>('/programmes/:programmeId/reports/:file', async (request, reply) => {
    const signal = clientSignal(request, reply);
    const { kind, format } = parseReportFile(request.params.file);
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    const { config } = programme;
    const { filter, lang } = parseReportQuery(request.query, Object.keys(LEVEL_RANK));
    checkRooms(config, filter.room);

    const auth = authenticateRequest(request);
    if (auth.kind !== 'token') throw unauthenticated(auth, 'Exports are for staff; sign in with a staff token.');
    const { principal } = auth;
    if (!principal.roles.some((r) => READ_ROLES.includes(r))) {
      throw new Problem('forbidden', `Exports need one of the roles ${READ_ROLES.join(', ')}.`, { reason: 'role-not-held' });
    }
    const scope = readScope(principal, programme.id);
    if (!scope.programme) {
      throw outOfScope({
        missingScope: `programme:${programme.id}`,
        detail: `You read ${principal.scopes?.programmes?.join(', ') || 'no consultation room'}, not the consultation room "${programme.id}".`,
      });
    }
    if (scope.levels) filter.scopeLevels = scope.levels;
    const personal = seesPersonalData(config, auth);

    const replayed = await replayProgramme(db, programme.id, personal, signal);
    if (!replayed) throw new Problem('unknown-programme', `There is no programme "${programme.id}" on this server.`);
    const now = (options.clock?.() ?? new Date()).toISOString();
    let periods: Period[] | undefined;
    if (kind === 'rooms') {
      const first = replayed.topics.map((s) => s.context.submittedAt).filter((a): a is string => !!a).sort()[0];
      const from = filter.from ?? (first ? dateOf(first) : dateOf(now));
      const to = filter.to ?? dateOf(now);
      periods = from <= to ? periodsBetween(from, to, config.grading.period) : [];
      // Only the periods that overlap the days asked for (from inclusive; a Period's `to` is exclusive).
      periods = periods.filter((p) => p.to > from && p.from < nextDay(to));
    }
    const report = buildReport({ kind, config, topics: replayed.topics, filter, personal, lang, now, ...(periods ? { periods } : {}) });
    request.log.info({ programme: programme.id, report: kind, format, personal, by: principal.id }, 'report exported');

    const name = reportFileName(programme.id, kind, format, filter, lang);
    reply
      .header('Content-Type', REPORT_MEDIA_TYPES[format])
      .header('Content-Disposition', attachment(name))
      .header('Cache-Control', 'no-store');
    const stream =
      format === 'csv'
        ? csvStream(report, lang)
        : xlsxStream(report, lang, kind, (error) => request.log.error({ err: error, programme: programme.id, report: kind }, 'report cut short'));
    return reply.send(stream);
  });
}
