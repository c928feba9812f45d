/**
 * `GET /programmes`, the programme's config (`GET` and, for admins, `PUT` of a new version), its
 * versions (`GET …/config/versions`, `GET …/config/versions/{n}`) and `GET /programmes/{id}/figures`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isIsoTime, selectFigures } from '@consult-kit/machine';
import type { RouteContext } from '../http/context.js';
import { parseJson } from '../parse-json.js';
import { authorizeAdmin } from '../auth.js';
import { authenticateRequest } from '../authn.js';
import { clientSignal, projectionsOf } from '../projections/index.js';
import { Problem } from '../problems.js';
import {
  CONFIG_CHECKED_HEADER,
  CONFIG_VERSION_HEADER,
  configCheckedValue,
  findVersion,
  listProgrammes,
  listVersions,
  PROGRAMME_ID,
  publishConfig,
  requireProgramme,
} from '../programmes.js';
import { programmeScopeRefusal, outOfScope } from '../scope.js';
import { ifNoneMatch, singleQuery, type ProgrammeParams } from '../http/request.js';

/** The largest config a `PUT` takes (configs are larger than events: a 200-field form is ~150 KiB). */
export const CONFIG_BODY_LIMIT = 1024 * 1024;

/** A header given once, or undefined (repeated values joined, as lists are). */
function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Sends a config text as stored: its bytes, entity tag, version and checked digest (a 304 on a matching `If-None-Match`). */
function sendConfig(reply: FastifyReply, text: string, etag: string, version: number, ifNone: string | undefined, cache: string): FastifyReply {
  // The body as the bytes sent, so the digest covers exactly them (also on the 304: the body the tag names).
  const body = Buffer.from(text, 'utf8');
  reply
    .header('ETag', etag)
    .header(CONFIG_VERSION_HEADER, String(version))
    .header('Cache-Control', cache)
    .header(CONFIG_CHECKED_HEADER, configCheckedValue(body));
  if (ifNoneMatch(ifNone, etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}

/** The time as ISO 8601 with its seconds dropped (the minute it is in). */
function minuteOf(date: Date): string {
  return new Date(Math.floor(date.getTime() / 60_000) * 60_000).toISOString();
}

/** Registers the programme routes. */
export async function programmeRoutes(app: FastifyInstance, { db, options }: RouteContext): Promise<void> {
  app.get('/programmes', async () => ({ programmes: await listProgrammes(db) }));

  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/config', async (request, reply) => {
    // requireProgramme gives only configs that passed parseWorkflowConfig (configOf checks the text).
    const programme = await requireProgramme(db, request.params.programmeId);
    return sendConfig(reply, programme.configText, programme.etag, programme.version, request.headers['if-none-match'], 'no-cache');
  });

  // The PUT reads its body as text (stored exactly as sent), so it gets a JSON parser of its own.
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: Math.max(CONFIG_BODY_LIMIT, options.bodyLimit) }, (_request, body, done) => {
      done(null, body);
    });
    scope.put<{ Params: ProgrammeParams; Body: string }>(
      '/programmes/:programmeId/config',
      { bodyLimit: Math.max(CONFIG_BODY_LIMIT, options.bodyLimit) },
      async (request, reply) => {
        const { programmeId } = request.params;
        const admin = authorizeAdmin(authenticateRequest(request), 'Publishing a config');
        const scoped = programmeScopeRefusal(admin, 'admin', programmeId);
        if (scoped) throw outOfScope(scoped);
        if (!PROGRAMME_ID.test(programmeId)) throw new Problem('unknown-programme', `"${programmeId}" is not a programme id (lower-case letters, digits and '-').`);
        const text = typeof request.body === 'string' ? request.body : '';
        if (text.trim() === '') throw new Problem('malformed-json', 'The body is empty; send the workflow config as JSON.');
        parseJson(text); // 400 malformed-json, as every body of this server
        const result = await publishConfig(
          db,
          programmeId,
          text,
          { ifMatch: header(request.headers['if-match']), ifNoneMatch: header(request.headers['if-none-match']) },
          admin.id,
        );
        switch (result.kind) {
          case 'invalid':
            throw new Problem('invalid-config', `The config has ${result.errors.length} ${result.errors.length === 1 ? 'fault' : 'faults'}; nothing was published.`, {
              errors: result.errors,
            });
          case 'precondition-required':
            throw new Problem('precondition-required', `Send If-Match with the ETag of the config you edited (GET /programmes/${programmeId}/config), so nobody's publish is overwritten unseen.`);
          case 'missing':
            throw new Problem('unknown-programme', `There is no programme "${programmeId}" on this server; to create it, send If-None-Match: *.`);
          case 'exists':
            throw new Problem('programme-exists', `The programme "${programmeId}" exists already (version ${result.currentVersion}); to replace its config, send If-Match with its ETag.`, {
              currentEtag: result.currentEtag,
              currentVersion: result.currentVersion,
            });
          case 'changed':
            throw new Problem(
              'config-changed',
              `Someone published version ${result.currentVersion} of "${programmeId}" meanwhile; reload it and compare it with your draft before you publish again.`,
              { currentEtag: result.currentEtag, currentVersion: result.currentVersion },
            );
          case 'published':
            if (result.added) request.log.info({ programme: programmeId, version: result.version, by: admin.id }, 'config published');
            return reply
              .code(result.created ? 201 : 200)
              .header('ETag', result.etag)
              .header(CONFIG_VERSION_HEADER, String(result.version))
              .header('Cache-Control', 'no-store')
              .send({ id: programmeId, version: result.version, etag: result.etag });
        }
      },
    );
  });

  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/config/versions', async (request, reply) => {
    const programme = await requireProgramme(db, request.params.programmeId);
    const versions = (await listVersions(db, programme.id)) ?? [];
    const auth = authenticateRequest(request);
    // Who published is an actor's id, for admins only (never a name).
    const admin = auth.kind === 'token' && auth.principal.roles.includes('admin');
    reply.header('Cache-Control', 'no-cache');
    return { versions: admin ? versions : versions.map(({ publishedBy: _by, ...rest }) => rest) };
  });

  app.get<{ Params: ProgrammeParams & { version: string } }>('/programmes/:programmeId/config/versions/:version', async (request, reply) => {
    const programme = await requireProgramme(db, request.params.programmeId);
    const raw = request.params.version;
    const number = /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : Number.NaN;
    const found = Number.isNaN(number) ? null : await findVersion(db, programme.id, number);
    if (!found) throw new Problem('unknown-config-version', `Programme "${programme.id}" has no config version ${JSON.stringify(raw)}; it is at version ${programme.version}.`, { currentVersion: programme.version });
    // A published version never changes: cacheable, but revalidated (an erased database could renumber).
    return sendConfig(reply, found.configText, found.etag, found.version, request.headers['if-none-match'], 'no-cache');
  });

  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/figures', async (request, reply) => {
    // An unencoded '+' of an offset arrives as a space: take it back.
    const now = singleQuery(request.query, 'now')?.replace(/ (\d{2}:\d{2})$/, '+$1');
    if (now !== undefined && !(isIsoTime(now) && now.includes('T'))) {
      throw new Problem('invalid-request', 'now must be an ISO 8601 date-time with its offset, e.g. 2026-07-20T08:00:00+08:00.', {
        errors: [{ parameter: 'now', message: 'must be a date-time' }],
      });
    }
    const programme = await requireProgramme(db, request.params.programmeId);
    // `room`: one room's figures, the topics in it now (as the index and the room page count them).
    const room = singleQuery(request.query, 'room');
    if (room !== undefined && !programme.config.rooms?.list.some((r) => r.id === room)) {
      throw new Problem('invalid-request', `room must be a room of programme "${programme.id}".`, { errors: [{ parameter: 'room', message: 'is not a room of this programme' }] });
    }
    // Without `now`: as of the current minute (seconds dropped), so every read of an unchanged log
    // within a minute shares one result.
    const at = now ?? minuteOf(options.clock?.() ?? new Date());
    // The programme's projection (each topic replayed with the config version it started under),
    // caught up from the log position it holds, and selectFigures' result kept per log position:
    // never a full replay per request. Ratings come counted by kind of rater, never by name.
    const figures = await projectionsOf(db).derive(
      programme.id,
      `figures ${room ?? ''} ${at}`,
      (topics) => selectFigures(room === undefined ? topics : topics.filter((t) => t.context.room === room), at),
      clientSignal(request, reply),
    );
    if (!figures) throw new Problem('unknown-programme', `There is no programme "${programme.id}" on this server.`);
    return figures;
  });
}
