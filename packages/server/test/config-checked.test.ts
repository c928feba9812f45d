/**
 * `Consult-Config-Checked` (issue 18, point 2): `GET /programmes/{id}/config` says that this server
 * checked the config (it holds only configs that passed `parseWorkflowConfig`) and covers the
 * exact bytes it sends: `sha-256=<standard base64 of the SHA-256 of the body>`. On the 304 and
 * HEAD too, exposed to listed CORS origins, declared in the contract, never on a 404.
 *
 * The body is read through `node:http`, so the digest is checked against the bytes on the wire.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CONFIG_CHECKED_HEADER, upsertProgramme } from '../src/programmes.js';
import { raw as rawAt, type Raw } from './embed-fixture.js';
import { at, spec } from './openapi.js';
import { call, exampleConfig, PATHS, perDatabase, type TestServer, wuxiProgramme } from './helpers.js';

const PORTAL = 'https://portal.example.gov.cn';
const raw = (server: TestServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> => rawAt(server.url, path, headers, method);

const digestOf = (bytes: Buffer): string => `sha-256=${createHash('sha256').update(bytes).digest('base64')}`;
const checked = (res: Raw): unknown => res.headers[CONFIG_CHECKED_HEADER.toLowerCase()];

describe('Consult-Config-Checked: the name', () => {
  it('is one constant, declared by the contract on the config operation\'s 200 and 304', () => {
    assert.equal(CONFIG_CHECKED_HEADER, 'Consult-Config-Checked');
    for (const status of ['200', '304']) {
      const headers = at(spec, 'paths', PATHS.config, 'get', 'responses', status, 'headers') as Record<string, unknown>;
      assert.ok(headers && CONFIG_CHECKED_HEADER in headers, `${status} declares ${CONFIG_CHECKED_HEADER}`);
    }
  });
});

perDatabase('Consult-Config-Checked', ({ db, server }) => {
  it('is the SHA-256 of the exact body bytes (UTF-8, as the city wrote them), in standard base64', async () => {
    const id = await wuxiProgramme(db());
    const res = await raw(server(), `/api/programmes/${id}/config`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, Buffer.from(exampleConfig('wuxi-community.json', (c) => (c.id = id)), 'utf8'), 'the body is the stored text');
    assert.ok(res.body.some((byte) => byte > 0x7f), 'the config holds Chinese text, so UTF-8 bytes matter');
    const value = checked(res);
    assert.equal(typeof value, 'string');
    assert.match(value as string, /^sha-256=[A-Za-z0-9+/]{43}=$/);
    assert.equal(value, digestOf(res.body));
    assert.equal(Number(res.headers['content-length']), res.body.length);
    // The contract's check (status, media type, schema, every declared header) passes.
    assert.equal((await call(server(), `/api/programmes/${id}/config`, { template: PATHS.config })).status, 200);
  });

  it('is on the 304 and on HEAD, the same value as on the 200', async () => {
    const id = await wuxiProgramme(db());
    const first = await raw(server(), `/api/programmes/${id}/config`);
    const etag = first.headers.etag as string;
    const again = await raw(server(), `/api/programmes/${id}/config`, { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(checked(again), checked(first));
    assert.equal((await call(server(), `/api/programmes/${id}/config`, { template: PATHS.config, headers: { 'if-none-match': etag } })).status, 304);
    const head = await raw(server(), `/api/programmes/${id}/config`, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(checked(head), checked(first));
  });

  it('follows the config: a new version has the digest of its own bytes', async () => {
    const id = await wuxiProgramme(db());
    const before = await raw(server(), `/api/programmes/${id}/config`);
    const stored = await upsertProgramme(db(), exampleConfig('wuxi-community.json', (c) => ((c.id = id), (c.version = '9.9.9'))).replace(/\n/g, '\r\n'));
    assert.ok(stored.ok);
    const after = await raw(server(), `/api/programmes/${id}/config`);
    assert.match(after.body.toString(), /\r\n/, 'stored as written, line ends too');
    assert.notEqual(checked(after), checked(before));
    assert.equal(checked(after), digestOf(after.body));
  });

  it('is absent from the 404 problem of an unknown or malformed programme id', async () => {
    for (const path of ['/api/programmes/nowhere-2025/config', '/api/programmes/NOT_AN_ID/config']) {
      const res = await raw(server(), path);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', path);
      assert.equal(checked(res), undefined, path);
    }
    assert.equal((await call(server(), '/api/programmes/nowhere-2025/config', { template: PATHS.config })).status, 404);
  });

  it('a listed CORS origin may read it (Access-Control-Expose-Headers); other answers do not carry it', async () => {
    const id = await wuxiProgramme(db());
    const res = await raw(server(), `/api/programmes/${id}/config`, { origin: PORTAL });
    assert.equal(res.headers['access-control-allow-origin'], PORTAL);
    assert.ok(String(res.headers['access-control-expose-headers']).split(/,\s*/).includes(CONFIG_CHECKED_HEADER));
    assert.equal(checked(await raw(server(), '/api/programmes')), undefined, 'only the config says it was checked');
  });
});
