/**
 * Identity against a real OpenID provider (oidc-provider, in-process) and a portal that signs
 * resident assertions: who /me says a token is, a staff action stamped with the provider's
 * subject, key rotation without restarting our server, and every bad token a 401
 * problem+json whose reason an operator can act on — logged without the token.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { exportSPKI, importJWK, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import type { Db } from '../src/db/db.js';
import { createAuthenticator } from '../src/identity/authenticator.js';
import type { OidcSettings } from '../src/identity/oidc.js';
import type { PortalSettings } from '../src/identity/portal.js';
import { append, call, DATABASES, PEOPLE, serve, story, TOKENS, topicSubmission, wuxiProgramme, type TestServer } from './helpers.js';
import { FIXTURE_USERS, startOidcProvider, startPortalFixture, STAFF_CLIENT_ID, type OidcFixture, type PortalFixture } from './oidc-fixture.js';

describe('identity: OIDC bearer tokens and portal assertions', () => {
  let db: Db;
  let idp: OidcFixture;
  let portal: PortalFixture;
  let server: TestServer;
  let programme = '';
  /** Moves the server's clock (not the provider's). */
  let skewMs = 0;
  const logs: string[] = [];
  /** Every token a test sent: none may appear in the log. */
  const sent: string[] = [];
  let oidc: OidcSettings;
  let portalSettings: PortalSettings;

  before(async () => {
    db = await DATABASES[0]!.open();
    programme = await wuxiProgramme(db);
    idp = await startOidcProvider({ users: { 'convener-wuxi': { ...FIXTURE_USERS['convener-wuxi']!, rooms: [programme] } } });
    portal = await startPortalFixture();
    oidc = idp.serverOptions();
    portalSettings = { issuer: portal.issuer, audience: 'consult-kit', jwksUrl: portal.jwksUrl, maxLifetimeSeconds: 600, clockSkewSeconds: 60, jwksCooldownSeconds: 0 };
    const authenticator = createAuthenticator({ tokens: TOKENS, oidc, portal: portalSettings, now: () => new Date(Date.now() + skewMs) });
    server = await serve(db, { authenticator, oidc, portalAssertions: portalSettings, logLevel: 'info', logStream: { write: (line) => void logs.push(line) } });
  });
  after(async () => {
    await server?.close();
    await idp?.close();
    await portal?.close();
    await db?.close();
  });

  const me = async (token: string) => {
    sent.push(token);
    return call(server, '/api/me', { token, template: '/me' });
  };
  /** A refusal: 401 problem+json, WWW-Authenticate invalid_token, the reason in `detail`. */
  const refusedWith = async (token: string, reason: RegExp) => {
    const res = await me(token);
    assert.equal(res.status, 401, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="consult-kit", error="invalid_token"');
    assert.equal(res.body?.type, '/problems/unauthenticated');
    assert.match(String(res.body?.detail), reason);
    return String(res.body?.detail);
  };

  it('GET /api/identity tells a staff page the provider, the public client and the scope (public, cacheable a minute)', async () => {
    const res = await call(server, '/api/identity', { template: '/identity' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=60');
    assert.deepEqual(res.body, { tokens: true, oidc: { issuer: idp.issuer, clientId: STAFF_CLIENT_ID, scope: 'openid profile' } });
  });

  it('GET /api/identity without a provider: only the token table', async () => {
    const plain = await serve(db);
    try {
      const res = await call(plain, '/api/identity', { template: '/identity' });
      assert.deepEqual(res.body, { tokens: true });
    } finally {
      await plain.close();
    }
  });

  it('/me answers the token table subject, the provider subject (mapped roles and scopes) and the portal resident', async () => {
    const table = await me(PEOPLE.convener.token);
    assert.deepEqual(table.body, { id: 'c-001', name: '张丽华', roles: ['convener'], source: 'token' });

    const convener = await me(await idp.tokenFor('convener-wuxi'));
    assert.equal(convener.status, 200, convener.text);
    assert.deepEqual(convener.body, { id: 'convener-wuxi', name: '张丽华', roles: ['convener'], scopes: { programmes: [programme], levels: ['community'] }, source: 'oidc' });

    const department = await me(await idp.tokenFor('department-housing', { client: 'confidential' }));
    assert.deepEqual(department.body, { id: 'department-housing', name: '刘明', roles: ['department'], scopes: { parties: ['housing-bureau'] }, source: 'oidc' });

    const admin = await me(await idp.tokenFor('admin'));
    assert.deepEqual(admin.body, { id: 'admin', name: '赵敏', roles: ['admin'], source: 'oidc' }, 'an admin is not scoped by claims they lack');

    const resident = await me(await portal.sign('10086', { claims: { name: '王秀英', communities: [programme] } }));
    assert.deepEqual(resident.body, { id: 'portal:10086', name: '王秀英', roles: ['resident'], scopes: { programmes: [programme] }, source: 'portal' });
  });

  it("a staff action with the provider's token is accepted and the log names the provider's subject", async () => {
    const submit = topicSubmission();
    assert.equal((await append(server, programme, submit)).status, 201);
    const accept = structuredClone(story().find((s) => s.body.event.type === 'screening.accept')!.body);
    const body = { ...accept, id: `e-${randomUUID()}`, topicId: submit.topicId, by: { role: 'convener', id: 'convener-wuxi', name: '张丽华' } };
    const token = await idp.tokenFor('convener-wuxi');
    sent.push(token);
    const res = await append(server, programme, body, { token });
    assert.equal(res.status, 201, res.text);
    const log = await call(server, `/api/programmes/${programme}/topics/${submit.topicId}/events`);
    const entries = (log.body as { entries: Array<{ event: { type: string }; by: { id?: string; role: string } }> }).entries;
    const accepted = entries.find((e) => e.event.type === 'screening.accept');
    assert.deepEqual(accepted && { role: accepted.by.role, id: accepted.by.id }, { role: 'convener', id: 'convener-wuxi' });
  });

  it("the provider's token cannot act as another subject", async () => {
    const submit = topicSubmission();
    assert.equal((await append(server, programme, submit)).status, 201);
    const accept = structuredClone(story().find((s) => s.body.event.type === 'screening.accept')!.body);
    const token = await idp.tokenFor('convener-wuxi');
    sent.push(token);
    const res = await append(server, programme, { ...accept, id: `e-${randomUUID()}`, topicId: submit.topicId, by: { role: 'convener', id: 'c-001' } }, { token });
    assert.equal(res.status, 403, res.text);
  });

  describe('bad tokens: 401 with a reason an operator can act on', () => {
    it('expired: says when (and the server time)', async () => {
      const token = await idp.tokenFor('convener-wuxi');
      skewMs = 10 * 60_000;
      try {
        await refusedWith(token, /expired at \d{4}-\d\d-\d\dT[\d:.]+Z \(server time .*60 s tolerance\)/);
      } finally {
        skewMs = 0;
      }
    });

    it('within the clock tolerance a token is still accepted', async () => {
      const token = await idp.tokenFor('convener-wuxi');
      skewMs = (300 + 30) * 1000;
      try {
        assert.equal((await me(token)).status, 200);
      } finally {
        skewMs = 0;
      }
    });

    it('not yet valid: says from when', async () => {
      await refusedWith(await idp.forge({ nbf: Math.floor(Date.now() / 1000) + 3600 }), /not valid before \d{4}-/);
    });

    it('wrong audience: says which audience was expected', async () => {
      await refusedWith(await idp.forge({ aud: 'account' }), /wrong audience: the token is for "account", this server expects "consult-kit" \(--oidc-audience\)/);
    });

    it('wrong issuer: says which issuers are accepted', async () => {
      const detail = await refusedWith(await idp.forge({ iss: 'https://id.elsewhere.example/realms/x' }), /wrong issuer: the token comes from "https:\/\/id\.elsewhere\.example\/realms\/x"/);
      assert.ok(detail.includes(idp.issuer) && detail.includes(portal.issuer), detail);
    });

    it('alg none: algorithm not allowed', async () => {
      const unsigned = new UnsecuredJWT({ sub: 'admin', aud: 'consult-kit', realm_access: { roles: ['consult-admin'] } }).setIssuer(idp.issuer).setIssuedAt().setExpirationTime('5m').encode();
      await refusedWith(unsigned, /algorithm not allowed: an unsigned token \(alg "none"\)/);
    });

    it("HS256 signed with the provider's public key as the secret: algorithm not allowed", async () => {
      const jwks = (await (await fetch(`${idp.issuer}/jwks`)).json()) as { keys: JWK[] };
      const pem = await exportSPKI((await importJWK(jwks.keys[0]!, 'RS256', { extractable: true })) as CryptoKey);
      const token = await new SignJWT({ sub: 'admin', realm_access: { roles: ['consult-admin'] } })
        .setProtectedHeader({ alg: 'HS256', kid: idp.kid })
        .setIssuer(idp.issuer)
        .setAudience('consult-kit')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(pem));
      await refusedWith(token, /algorithm not allowed: a shared-secret signature \("HS256"\)/);
    });

    it('unknown kid: the keys are fetched again, then refused naming the kid', async () => {
      const before = idp.jwksRequests;
      await refusedWith(await idp.forge({}, { foreignKey: true }), /unknown key: no key "unknown-k-[0-9a-f]+" for "RS256" among the keys at http:\/\/127\.0\.0\.1:\d+\/jwks even after fetching them again/);
      assert.ok(idp.jwksRequests > before, 'an unknown kid fetches the JWKS again');
    });

    it("a deleted user, or one the realm took the role from: no consult-kit role", async () => {
      await refusedWith(await idp.tokenFor('former-staff'), /no consult-kit role in the token's claims \(looked in \/realm_access\/roles; found: offline_access, uma_authorization\)/);
    });

    it('a client_credentials token (no person): no consult-kit role', async () => {
      await refusedWith(await idp.clientCredentialsToken(), /no consult-kit role/);
    });

    it('a forged signature: does not verify', async () => {
      const token = await idp.tokenFor('convener-wuxi');
      const [h, p] = token.split('.');
      const admin = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), realm_access: { roles: ['consult-admin'] } })).toString('base64url');
      await refusedWith(`${h}.${admin}.${token.split('.')[2]}`, /signature does not verify/);
    });

    it('neither a table token nor a JWT', async () => {
      await refusedWith('not-a-token-of-this-server', /not a token of this server's token table/);
    });

    it("the provider's keys cannot be fetched: 401 meanwhile, accepted once the provider is back (no restart)", async () => {
      const token = await idp.tokenFor('convener-wuxi');
      idp.setDown(true);
      const fresh = await serve(db, {
        authenticator: createAuthenticator({ tokens: TOKENS, oidc: { ...oidc } }),
        logLevel: 'info',
        logStream: { write: (line) => void logs.push(line) },
      });
      try {
        sent.push(token);
        const res = await call(fresh, '/api/me', { token, template: '/me' });
        assert.equal(res.status, 401);
        assert.match(String(res.body?.detail), /the provider's keys cannot be fetched \(discovery failed: .*answered HTTP 503\)/);
        idp.setDown(false);
        const again = await call(fresh, '/api/me', { token, template: '/me' });
        assert.equal(again.status, 200, again.text);
        assert.equal(again.body?.id, 'convener-wuxi');
      } finally {
        idp.setDown(false);
        await fresh.close();
      }
    });
  });

  describe('key rotation', () => {
    it('a token signed with the new key is accepted without restarting our server; the old key, once dropped, is refused', async () => {
      const old = await idp.tokenFor('convener-wuxi');
      assert.equal((await me(old)).status, 200);
      const { kid } = await idp.rotateKeys({ keepOld: true });
      const rotated = await idp.tokenFor('convener-wuxi');
      assert.equal(JSON.parse(Buffer.from(rotated.split('.')[0]!, 'base64url').toString()).kid, kid);
      assert.equal((await me(rotated)).status, 200, 'the new kid is fetched on first sight');
      assert.equal((await me(old)).status, 200, 'the old key is still published');
      await idp.rotateKeys({ keepOld: false });
      const newest = await idp.tokenFor('admin');
      assert.equal((await me(newest)).status, 200);
      await refusedWith(rotated, /unknown key/);
    });
  });

  describe('portal assertions', () => {
    it('accepted as portal:<sub>, a resident', async () => {
      const res = await me(await portal.sign('u-77'));
      assert.deepEqual(res.body, { id: 'portal:u-77', roles: ['resident'], source: 'portal' });
    });

    it('replayed after expiry: refused by its exp, saying assertions are short-lived', async () => {
      const assertion = await portal.sign('u-78', { lifetimeSeconds: 120 });
      assert.equal((await me(assertion)).status, 200);
      skewMs = 5 * 60_000;
      try {
        await refusedWith(assertion, /the portal assertion expired at .*portal assertions live at most 600 s and are refused once expired, also when replayed/);
      } finally {
        skewMs = 0;
      }
    });

    it('signed with a key the portal never published: refused', async () => {
      await refusedWith(await portal.sign('u-79', { wrongKey: true }), /the portal assertion's signature does not verify/);
    });

    it('living longer than allowed: refused with the limit', async () => {
      await refusedWith(await portal.sign('u-80', { lifetimeSeconds: 3600 }), /lives 3600 s \(exp − iat\); at most 600 s/);
    });

    it('for another audience: refused naming the expected one', async () => {
      await refusedWith(await portal.sign('u-81', { audience: 'some-other-app' }), /wrong audience: the portal assertion is for "some-other-app", this server expects "consult-kit"/);
    });

    it('without exp: refused', async () => {
      await refusedWith(await portal.sign('u-82', { claims: { exp: undefined } }), /has no "exp" claim/);
    });

    it("the portal's keys cannot be fetched: 401 saying so", async () => {
      const gone = await serve(db);
      const jwksUrl = `${gone.url}/.well-known/jwks.json`;
      await gone.close();
      const closed = await serve(db, { authenticator: createAuthenticator({ tokens: TOKENS, portal: { ...portalSettings, jwksUrl } }) });
      try {
        const assertion = await portal.sign('u-84');
        sent.push(assertion);
        const res = await call(closed, '/api/me', { token: assertion, template: '/me' });
        assert.equal(res.status, 401);
        assert.ok(String(res.body?.detail).includes(`the portal's keys cannot be fetched from ${jwksUrl} (fetch failed (ECONNREFUSED))`), String(res.body?.detail));
      } finally {
        await closed.close();
      }
    });

    it('a portal resident acts on a topic as portal:<sub>, never as a claimed id', async () => {
      const assertion = await portal.sign('u-83', { claims: { name: '居民' } });
      sent.push(assertion);
      const submit = { ...topicSubmission(), by: { role: 'resident', id: 'r-10086' } };
      const claimed = await append(server, programme, submit, { token: assertion });
      assert.equal(claimed.status, 403, 'a claimed by.id that is not the verified subject is refused');
      const own = { ...topicSubmission(), by: { role: 'resident', id: 'portal:u-83' } };
      assert.equal((await append(server, programme, own, { token: assertion })).status, 201);
    });
  });

  it('the log holds a warning per refusal, with its reason and without any token or signature', () => {
    const text = logs.join('');
    const warnings = logs.filter((l) => /"msg":"authentication refused"/.test(l));
    assert.ok(warnings.length >= 15, `${warnings.length} warnings`);
    assert.ok(warnings.every((l) => /"reason":"[^"]+/.test(l)));
    assert.ok(sent.length > 20);
    for (const token of sent) {
      const signature = token.split('.')[2] ?? token;
      assert.ok(!text.includes(token), 'a token is in the log');
      if (signature.length >= 16) assert.ok(!text.includes(signature), 'a signature is in the log');
      const payload = token.split('.')[1];
      if (payload && payload.length >= 16) assert.ok(!text.includes(payload), "a token's claims are in the log");
    }
    assert.ok(!text.includes('王秀英'), 'no claim beyond id and roles is logged');
  });
});
