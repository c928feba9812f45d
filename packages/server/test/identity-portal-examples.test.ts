/**
 * The portal examples of docs/server.md#identity, run as a city's portal would run them: the
 * Node one (jose) and the Java one (JDK only) sign a resident assertion with the portal's
 * private key, and this server — given only the public key file (`--portal-key`) — takes the
 * resident as `portal:<id>`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOptions } from '../src/config.js';
import type { Db } from '../src/db/db.js';
import { createAuthenticator } from '../src/identity/authenticator.js';
import { call, DATABASES, serve, TOKENS, type TestServer } from './helpers.js';
import { ROOT } from './openapi.js';

const EXAMPLES = join(ROOT, 'examples/portal-assertion');
const ISSUER = 'https://portal.example.gov.cn';
const javac = spawnSync('javac', ['-version']).status === 0;

describe('the portal assertion examples', () => {
  let dir = '';
  let db: Db;
  let server: TestServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'consult-portal-'));
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'portal-private.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'portal-public.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    const options = loadOptions(['--portal-issuer', ISSUER, '--portal-key', join(dir, 'portal-public.pem')], {});
    db = await DATABASES[0]!.open();
    server = await serve(db, { authenticator: createAuthenticator({ tokens: TOKENS, portal: options.portalAssertions }), portalAssertions: options.portalAssertions });
  });
  after(async () => {
    await server?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sign-assertion.mjs (Node, jose): the server accepts the resident with their communities', async () => {
    const token = execFileSync(process.execPath, [join(EXAMPLES, 'sign-assertion.mjs'), join(dir, 'portal-private.pem'), 'resident-42', 'wuxi-youshi-haoshangliang'], {
      env: { ...process.env, PORTAL_ISSUER: ISSUER },
      encoding: 'utf8',
    }).trim();
    const res = await call(server, '/api/me', { token, template: '/me' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { id: 'portal:resident-42', roles: ['resident'], scopes: { programmes: ['wuxi-youshi-haoshangliang'] }, source: 'portal' });
  });

  it('sign-assertion.mjs signed for another issuer is refused', async () => {
    const token = execFileSync(process.execPath, [join(EXAMPLES, 'sign-assertion.mjs'), join(dir, 'portal-private.pem'), 'resident-42'], {
      env: { ...process.env, PORTAL_ISSUER: 'https://other-portal.example' },
      encoding: 'utf8',
    }).trim();
    const res = await call(server, '/api/me', { token, template: '/me' });
    assert.equal(res.status, 401);
    assert.match(String(res.body?.detail), /wrong issuer/);
  });

  it('SignAssertion.java (JDK only): compiled and run, the server accepts the resident', { skip: javac ? false : 'javac is not on this machine (apt-get install -y default-jdk-headless to run this test)' }, async () => {
    const classes = join(dir, 'classes');
    execFileSync('javac', ['-d', classes, join(EXAMPLES, 'SignAssertion.java')]);
    const token = execFileSync('java', ['-cp', classes, 'SignAssertion', join(dir, 'portal-private.pem'), 'resident-43', ISSUER, 'consult-kit'], { encoding: 'utf8' }).trim();
    const res = await call(server, '/api/me', { token, template: '/me' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { id: 'portal:resident-43', roles: ['resident'], source: 'portal' });
  });
});
