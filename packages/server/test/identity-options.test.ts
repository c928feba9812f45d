/**
 * Identity settings without a provider running: the `--oidc-*` and `--portal-*` flags, the
 * claims mapping file (every fault named by its JSON Pointer), the token table's scopes, the
 * mapping of claims to a principal, and what `npm start` prints about identity.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { parseTokens } from '../src/authn.js';
import { loadOptions, OptionsError, USAGE } from '../src/config.js';
import { DEFAULT_CLAIMS_MAPPING, parseClaimsMapping, principalFromClaims } from '../src/identity/claims.js';
import { describeIdentity } from '../src/server.js';
import { KEYCLOAK_CLAIMS_MAPPING } from './oidc-fixture.js';

const TOKEN = 'a-long-enough-token-0001';
const ISSUER = 'https://id.example.gov.cn/realms/consult';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof OptionsError, String(error));
    return error.problems;
  }
  assert.fail('no OptionsError');
}

describe('the --oidc-* and --portal-* settings', () => {
  it('without them: no provider, no portal, and the start-up line says how to switch', () => {
    const o = loadOptions(['--tokens', 't.json'], {}, () => JSON.stringify({ [TOKEN]: { role: 'convener', id: 'c-1' } }));
    assert.equal(o.oidc, undefined);
    assert.equal(o.portalAssertions, undefined);
    const [line, ...rest] = describeIdentity(o);
    assert.equal(rest.length, 0);
    assert.match(line!, /^identity: demo tokens \(1\) from the token table — for your OpenID Connect provider set --oidc-issuer <url> --oidc-audience <aud>/);
    assert.match(line!, /--portal-issuer .*\(docs\/server\.md#identity\)$/);
  });

  it('reads the provider settings from flags and environment, with the documented defaults', () => {
    const claims = JSON.stringify(KEYCLOAK_CLAIMS_MAPPING);
    const o = loadOptions(['--oidc-issuer', ISSUER, '--oidc-claims', 'claims.json', '--oidc-client-id', 'consult-kit-staff'], { CONSULT_OIDC_AUDIENCE: 'consult-kit', CONSULT_OIDC_CLOCK_SKEW: '120' }, (path) => {
      assert.equal(path, 'claims.json');
      return claims;
    });
    assert.equal(o.oidc?.issuer, ISSUER);
    assert.equal(o.oidc?.audience, 'consult-kit');
    assert.equal(o.oidc?.clockSkewSeconds, 120);
    assert.equal(o.oidc?.scope, 'openid profile');
    assert.equal(o.oidc?.clientId, 'consult-kit-staff');
    assert.deepEqual(o.oidc?.claims.roles.from, [['realm_access', 'roles']]);
    assert.deepEqual(describeIdentity(o), [
      `identity: staff tokens of ${ISSUER} for audience consult-kit; staff pages sign in as client consult-kit-staff (scope "openid profile")`,
      'identity: 0 token(s) in the token table',
    ]);
    const plain = loadOptions(['--oidc-issuer', ISSUER, '--oidc-audience', 'api'], {});
    assert.equal(plain.oidc?.clockSkewSeconds, 60);
    assert.equal(plain.oidc?.claims, DEFAULT_CLAIMS_MAPPING);
  });

  it('refuses a provider without audience, a plain-http issuer, a clock skew over 300 s and settings without an issuer — all at once', () => {
    const problems = problemsOf(() => loadOptions(['--oidc-issuer', 'http://id.example.gov.cn', '--oidc-clock-skew', '301'], {}));
    assert.ok(problems.some((p) => /--oidc-audience \/ CONSULT_OIDC_AUDIENCE is required with --oidc-issuer/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /--oidc-issuer .*https; http only on localhost/.test(p)));
    assert.ok(problems.some((p) => /--oidc-clock-skew \/ CONSULT_OIDC_CLOCK_SKEW must be a whole number from 0 to 300/.test(p)));
    const stray = problemsOf(() => loadOptions(['--oidc-audience', 'a', '--oidc-client-id', 'c', '--portal-key', 'k.pem'], {}));
    assert.ok(stray.some((p) => /--oidc-audience .* needs --oidc-issuer/.test(p)));
    assert.ok(stray.some((p) => /--oidc-client-id .* needs --oidc-issuer/.test(p)));
    assert.ok(stray.some((p) => /--portal-jwks \/ --portal-key need --portal-issuer/.test(p)));
  });

  it('names every fault of the claims mapping file by its JSON Pointer', () => {
    const bad = { id: '', name: [], roles: { from: 'groups', map: { 'consult-boss': 'mayor', ok: 'convener', none: [] }, extra: 1 }, scopes: { rooms: 'x', levels: { claim: 'lv', missing: 'maybe' } }, colour: 'red' };
    const problems = problemsOf(() => loadOptions(['--oidc-issuer', ISSUER, '--oidc-audience', 'a', '--oidc-claims', 'm.json'], {}, () => JSON.stringify(bad)));
    const expected = [/^m\.json#\/colour: unknown member/, /^m\.json#\/id: must be a claim name/, /^m\.json#\/name: must name at least one claim/, /^m\.json#\/roles\/extra: unknown member/, /^m\.json#\/roles\/map\/consult-boss: "mayor" is not one of our roles/, /^m\.json#\/roles\/map\/none: \[\] is not one of our roles/, /^m\.json#\/scopes\/rooms: unknown scope/, /^m\.json#\/scopes\/levels\/missing: must be "everywhere" \(default\) or "nowhere"/];
    for (const pattern of expected) assert.ok(problems.some((p) => pattern.test(p)), `${pattern} in\n${problems.join('\n')}`);
    assert.equal(problems.length, expected.length, problems.join('\n'));
    assert.ok(problemsOf(() => loadOptions(['--oidc-issuer', ISSUER, '--oidc-audience', 'a', '--oidc-claims', 'm.json'], {}, () => '{ nope')).some((p) => /^m\.json is not JSON/.test(p)));
  });

  it('portal assertions: a JWKS URL, or a public key in PEM or JWK; never a private key; the audience follows --oidc-audience', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const o = loadOptions(['--portal-issuer', 'https://portal.example.gov.cn', '--portal-key', 'portal.pem'], {}, () => pem);
    assert.equal(o.portalAssertions?.audience, 'consult-kit');
    assert.equal(o.portalAssertions?.maxLifetimeSeconds, 600);
    assert.equal(o.portalAssertions?.key?.asymmetricKeyType, 'ec');
    const jwk = JSON.stringify(await exportJWK(publicKey));
    const both = loadOptions(['--portal-issuer', 'https://portal.example.gov.cn', '--portal-key', 'k.json', '--oidc-issuer', ISSUER, '--oidc-audience', 'city-api', '--portal-lifetime', '120'], {}, () => jwk);
    assert.equal(both.portalAssertions?.audience, 'city-api');
    assert.equal(both.portalAssertions?.maxLifetimeSeconds, 120);
    assert.match(describeIdentity(both).join('\n'), /resident assertions of https:\/\/portal\.example\.gov\.cn \(keys: the --portal-key file; at most 120 s each\)/);
    const jwks = loadOptions([], { CONSULT_PORTAL_ISSUER: 'https://portal.example.gov.cn', CONSULT_PORTAL_JWKS: 'https://portal.example.gov.cn/.well-known/jwks.json' });
    assert.equal(jwks.portalAssertions?.jwksUrl, 'https://portal.example.gov.cn/.well-known/jwks.json');

    const secret = await exportPKCS8(privateKey);
    assert.ok(problemsOf(() => loadOptions(['--portal-issuer', 'https://p.example', '--portal-key', 'p.pem'], {}, () => secret)).some((p) => /holds a private key: give this server only the portal's public key/.test(p)));
    assert.ok(problemsOf(() => loadOptions(['--portal-issuer', 'https://p.example', '--portal-key', 'p.pem'], {}, () => 'hello')).some((p) => /is not a public key in PEM or JWK form/.test(p)));
    assert.ok(problemsOf(() => loadOptions(['--portal-issuer', 'https://p.example'], {})).some((p) => /exactly one of --portal-jwks <url> .* or --portal-key <file>/.test(p)));
    assert.ok(problemsOf(() => loadOptions(['--portal-issuer', ISSUER, '--portal-jwks', 'http://portal.example/jwks', '--oidc-issuer', ISSUER, '--oidc-audience', 'a'], {})).some((p) => /--portal-issuer must differ from --oidc-issuer/.test(p)));
  });

  it('USAGE lists every identity flag with its variable', () => {
    for (const [flag, variable] of [
      ['--oidc-issuer', 'CONSULT_OIDC_ISSUER'],
      ['--oidc-audience', 'CONSULT_OIDC_AUDIENCE'],
      ['--oidc-claims', 'CONSULT_OIDC_CLAIMS'],
      ['--oidc-clock-skew', 'CONSULT_OIDC_CLOCK_SKEW'],
      ['--oidc-client-id', 'CONSULT_OIDC_CLIENT_ID'],
      ['--oidc-scope', 'CONSULT_OIDC_SCOPE'],
      ['--portal-issuer', 'CONSULT_PORTAL_ISSUER'],
      ['--portal-jwks', 'CONSULT_PORTAL_JWKS'],
      ['--portal-key', 'CONSULT_PORTAL_KEY'],
      ['--portal-lifetime', 'CONSULT_PORTAL_LIFETIME'],
    ]) {
      assert.match(USAGE, new RegExp(`${flag} .*${variable}`));
    }
  });
});

describe('token table scopes', () => {
  it('an entry may carry programmes, levels and parties', () => {
    const table = parseTokens({ [TOKEN]: { role: 'convener', id: 'c-1', scopes: { programmes: ['wuxi-youshi-haoshangliang'], levels: ['community', 'street'] } } }, 't.json');
    assert.deepEqual([...table.values()][0], { id: 'c-1', roles: ['convener'], scopes: { programmes: ['wuxi-youshi-haoshangliang'], levels: ['community', 'street'] } });
  });

  it('lists every fault of the scopes at once', () => {
    assert.throws(
      () => parseTokens({ [TOKEN]: { role: 'department', id: 'd', scopes: { parties: 'housing-bureau', levels: ['moon'], rooms: [] } }, 'b-long-enough-token-0002': { role: 'admin', id: 'a', scopes: [] } }, 't.json'),
      (error: Error) => {
        assert.match(error.message, /"scopes.parties" must be a list of ids \(strings\); got "housing-bureau"/);
        assert.match(error.message, /"scopes.levels" has "moon", not among village, community/);
        assert.match(error.message, /"scopes.rooms" is not a scope; expected programmes, levels, parties/);
        assert.match(error.message, /token "b-lo…": "scopes" must be an object/);
        return true;
      },
    );
  });
});

describe('claims → principal', () => {
  const keycloak = () => parseClaimsMapping(JSON.parse(JSON.stringify(KEYCLOAK_CLAIMS_MAPPING))).mapping!;

  it('roles from a Keycloak client (resource_access.<client>.roles) and a generic groups claim, mapped; the first name found', () => {
    const parsed = parseClaimsMapping({ id: 'oid', name: ['/profile/display', 'preferred_username'], roles: { from: ['/resource_access/consult-kit/roles', 'groups'], map: { 'Consult Conveners': 'convener', 'ck-admin': ['admin', 'convener'] } } });
    assert.ok(parsed.mapping, parsed.faults.join('\n'));
    const mapped = principalFromClaims(parsed.mapping, { oid: 'u-9', preferred_username: 'li', resource_access: { 'consult-kit': { roles: ['ck-admin'] } }, groups: ['Consult Conveners', 'Everyone'] });
    assert.deepEqual(mapped.principal, { id: 'u-9', roles: ['convener', 'admin'], name: 'li', source: 'oidc' });
  });

  it('without a mapping file: roles named as ours in "roles" or "groups"; others ignored', () => {
    const mapped = principalFromClaims(DEFAULT_CLAIMS_MAPPING, { sub: 's', groups: ['department', 'staff'], name: '刘明' });
    assert.deepEqual(mapped.principal, { id: 's', roles: ['department'], name: '刘明', source: 'oidc' });
  });

  it('a claim name with slashes or dots is one claim, not a path', () => {
    const parsed = parseClaimsMapping({ roles: { from: 'https://example.gov.cn/roles' } });
    assert.deepEqual(principalFromClaims(parsed.mapping!, { sub: 'x', 'https://example.gov.cn/roles': ['convener'] }).principal?.roles, ['convener']);
  });

  it('scopes from claims; a missing claim means everywhere unless the mapping says "nowhere"; unknown levels dropped', () => {
    assert.deepEqual(principalFromClaims(keycloak(), { sub: 'c', realm_access: { roles: ['consult-convener'] }, consult_rooms: ['a', 'a', 'b'], consult_levels: ['community', 'galaxy'] }).principal?.scopes, {
      programmes: ['a', 'b'],
      levels: ['community'],
    });
    const strict = parseClaimsMapping({ ...KEYCLOAK_CLAIMS_MAPPING, scopes: { programmes: { claim: 'consult_rooms', missing: 'nowhere' } } }).mapping!;
    assert.deepEqual(principalFromClaims(strict, { sub: 'c', realm_access: { roles: ['consult-convener'] } }).principal?.scopes, { programmes: [] });
    assert.equal(principalFromClaims(strict, { sub: 'a', realm_access: { roles: ['consult-admin'] } }).principal?.scopes, undefined, 'an admin is never narrowed by a claim it lacks');
  });

  it('no id or no role of ours: a reason instead of a principal', () => {
    assert.match(principalFromClaims(keycloak(), { realm_access: { roles: ['consult-convener'] } }).reason ?? '', /the token has no "sub" claim/);
    assert.match(principalFromClaims(keycloak(), { sub: 'x' }).reason ?? '', /no consult-kit role in the token's claims \(looked in \/realm_access\/roles; found: none\)/);
  });
});
