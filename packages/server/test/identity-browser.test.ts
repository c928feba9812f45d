/**
 * The provider fixture's sign-in pages in real Chromium, with the selectors oidc-fixture.ts
 * documents for the staff page tests: login as a fixture user, consent, land on the redirect
 * URI with a code; the code, redeemed with its PKCE verifier, gives an access token our server
 * takes as that user.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../embed/test/chromium.js';
import type { Db } from '../src/db/db.js';
import { createAuthenticator } from '../src/identity/authenticator.js';
import { call, DATABASES, serve, TOKENS, type TestServer } from './helpers.js';
import { STAFF_CLIENT_ID, startOidcProvider, type OidcFixture } from './oidc-fixture.js';

describe('signing in through the provider in Chromium', () => {
  let idp: OidcFixture;
  let browser: Browser;
  let page: Server;
  let pageUrl = '';
  let db: Db;
  let server: TestServer;

  before(async () => {
    page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>staff</title><p>staff page</p>'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const address = page.address();
    pageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/staff.html`;
    idp = await startOidcProvider({ staffRedirectUris: [pageUrl] });
    db = await DATABASES[0]!.open();
    server = await serve(db, { authenticator: createAuthenticator({ tokens: TOKENS, oidc: idp.serverOptions() }) });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
    await idp?.close();
    page?.closeAllConnections();
    await new Promise((resolve) => page?.close(resolve));
  });

  it('login name = user id, any password, "Continue" on consent: the redirect brings a code whose token /me takes as that user', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(8).toString('hex');
    const params = new URLSearchParams({
      client_id: STAFF_CLIENT_ID,
      response_type: 'code',
      redirect_uri: pageUrl,
      scope: 'openid profile',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const tab = await browser.newPage();
    await tab.goto(`${idp.issuer}/auth?${params}`);
    await tab.locator('input[name="login"]').fill('department-housing');
    await tab.locator('input[name="password"]').fill('any password');
    await tab.locator('button[type="submit"]').click();
    await tab.waitForURL(/\/interaction\/[^/]+$/);
    assert.equal(await tab.locator('button[type="submit"]').textContent(), 'Continue');
    await tab.locator('button[type="submit"]').click();
    await tab.waitForURL((url) => url.href.startsWith(pageUrl));
    const landed = new URL(tab.url());
    assert.equal(landed.searchParams.get('state'), state);
    assert.equal(landed.searchParams.get('iss'), idp.issuer);
    const code = landed.searchParams.get('code');
    assert.ok(code);

    const res = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(pageUrl).origin },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: pageUrl, code_verifier: verifier, client_id: STAFF_CLIENT_ID }),
    });
    assert.equal(res.headers.get('access-control-allow-origin'), new URL(pageUrl).origin, "the staff page's origin may call the token endpoint");
    const { access_token: token } = (await res.json()) as { access_token: string };
    const me = await call(server, '/api/me', { token, template: '/me' });
    assert.deepEqual(me.body, { id: 'department-housing', name: '刘明', roles: ['department'], scopes: { parties: ['housing-bureau'] }, source: 'oidc' });
    await tab.close();
  });
});
