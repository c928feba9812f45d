/**
 * The pieces without a database: settings from flags and environment, the token table, the
 * canonical JSON behind "the same body", and the request-body check.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { authenticate, parseTokens } from '../src/authn.js';
import { canonicalJson, fingerprint } from '../src/canonical-json.js';
import { DEFAULTS, loadOptions, OptionsError } from '../src/config.js';
import { checkSubmission } from '../src/contract.js';
import { story } from './helpers.js';

const TOKEN = 'a-long-enough-token-0001';

describe('loadOptions', () => {
  it('has the documented defaults', () => {
    const o = loadOptions([], {});
    assert.equal(o.port, 8080);
    assert.equal(o.host, 'localhost');
    assert.equal(o.dataDir, resolve('./data'));
    assert.equal(o.databaseUrl, undefined);
    assert.equal(o.bodyLimit, 65536);
    assert.deepEqual(o.rateLimit, DEFAULTS.rateLimit);
    assert.equal(o.staleInFlightSeconds, 30);
    assert.equal(o.pullAccess, 'redacted');
    assert.deepEqual(o.followLimit, { max: 10, windowMs: 900_000 });
    assert.equal(o.followSecret, undefined);
    assert.deepEqual(o.corsOrigins, []);
    assert.deepEqual(o.seedDirs, []);
    assert.equal(o.tokens.size, 0);
    assert.equal(o.trustProxy, false);
  });

  it('reads the environment, and a flag wins over its variable', () => {
    const env = {
      PORT: '9000',
      CONSULT_DATA_DIR: '/tmp/x',
      DATABASE_URL: 'postgres://u:p@db/consult',
      CONSULT_CORS_ORIGINS: 'https://a.example.gov.cn, http://localhost:5173',
      CONSULT_BODY_LIMIT: '262144',
      CONSULT_RATE_LIMIT: '120',
      CONSULT_RATE_WINDOW: '30',
      CONSULT_PULL_ACCESS: 'open',
      CONSULT_FOLLOW_ATTEMPTS: '5',
      CONSULT_FOLLOW_WINDOW: '600',
      CONSULT_FOLLOW_SECRET: 'a-random-secret-of-at-least-32-characters',
      CONSULT_TRUST_PROXY: '10.0.0.0/8',
      CONSULT_SEED_DIRS: 'a,b',
      CONSULT_TOKENS: JSON.stringify({ [TOKEN]: { role: 'convener', id: 'c-1', name: '张丽华' } }),
    };
    const o = loadOptions(['--port', '9001', '--seed', 'c', '--follow-attempts', '7'], env);
    assert.equal(o.port, 9001);
    assert.equal(o.dataDir, '/tmp/x');
    assert.equal(o.databaseUrl, 'postgres://u:p@db/consult');
    assert.deepEqual(o.corsOrigins, ['https://a.example.gov.cn', 'http://localhost:5173']);
    assert.equal(o.bodyLimit, 262144);
    assert.deepEqual(o.rateLimit, { max: 120, windowMs: 30_000 });
    assert.equal(o.pullAccess, 'open');
    assert.deepEqual(o.followLimit, { max: 7, windowMs: 600_000 });
    assert.equal(o.followSecret, 'a-random-secret-of-at-least-32-characters');
    assert.equal(o.trustProxy, '10.0.0.0/8');
    assert.deepEqual(o.seedDirs, [resolve('c')]);
    const auth = authenticate(o.tokens, `Bearer ${TOKEN}`);
    assert.deepEqual(auth, { kind: 'token', principal: { id: 'c-1', roles: ['convener'], name: '张丽华' } });
  });

  it('reads tokens from a file with --tokens', () => {
    const o = loadOptions(['--tokens', '/etc/consult/tokens.json'], {}, (path) => {
      assert.equal(path, '/etc/consult/tokens.json');
      return JSON.stringify({ [TOKEN]: { roles: ['department', 'admin'], id: 'd-1' } });
    });
    assert.deepEqual(authenticate(o.tokens, `Bearer ${TOKEN}`), { kind: 'token', principal: { id: 'd-1', roles: ['department', 'admin'] } });
  });

  it('lists every problem at once', () => {
    const env = { CONSULT_CORS_ORIGINS: '*,https://ok.example.gov.cn/path', CONSULT_BODY_LIMIT: '1000', CONSULT_TOKENS: '{nope', CONSULT_FOLLOW_SECRET: 'short' };
    assert.throws(
      () => loadOptions(['--port', '70000', '--pull-access', 'public', '--follow-attempts', '0', '--log-level', 'loud'], env),
      (error: unknown) => {
        assert.ok(error instanceof OptionsError);
        const text = error.problems.join('\n');
        for (const part of ['--port', '--pull-access', 'CONSULT_FOLLOW_SECRET', '--follow-attempts', '--log-level', 'CORS origin "*"', 'CORS origin "https://ok.example.gov.cn/path"', '--body-limit', 'CONSULT_TOKENS is not JSON']) {
          assert.ok(text.includes(part), `${part} in\n${text}`);
        }
        return true;
      },
    );
    assert.throws(() => loadOptions(['--what'], {}), OptionsError);
  });

  it('takes the metrics token from its variable (a flag shows in ps) and refuses a short one', () => {
    assert.equal(loadOptions([], {}).metricsToken, undefined);
    assert.equal(loadOptions([], { CONSULT_METRICS_TOKEN: 'scrape-token-0123456789' }).metricsToken, 'scrape-token-0123456789');
    assert.throws(
      () => loadOptions(['--metrics-token', 'short'], {}),
      (error: unknown) => error instanceof OptionsError && error.problems.some((p) => p.includes('--metrics-token / CONSULT_METRICS_TOKEN must have at least 16 characters')),
    );
  });
});

describe('tokens', () => {
  it('refuses short tokens, unknown roles and missing ids, all at once', () => {
    assert.throws(
      () => parseTokens({ short: { role: 'convener', id: 'c' }, [TOKEN]: { role: 'mayor' } }, 'tokens.json'),
      (error: Error) => /at least 16/.test(error.message) && /"role"/.test(error.message) && /"id"/.test(error.message),
    );
    assert.throws(() => parseTokens([], 'x'), /JSON object/);
  });

  it('authenticates only Bearer tokens it knows', () => {
    const tokens = parseTokens({ [TOKEN]: { role: 'resident', id: 'r-1' } }, 'x');
    assert.deepEqual(authenticate(tokens, undefined), { kind: 'anonymous' });
    assert.equal(authenticate(tokens, `bearer ${TOKEN}`).kind, 'token');
    assert.equal(authenticate(tokens, `Bearer ${TOKEN}x`).kind, 'invalid');
    assert.equal(authenticate(tokens, `Token ${TOKEN}`).kind, 'invalid');
  });
});

describe('canonical JSON (RFC 8785)', () => {
  it('sorts members by UTF-16 code units, drops whitespace, keeps numbers and strings as ECMAScript writes them', () => {
    assert.equal(canonicalJson({ b: [1, { z: true, a: null }], a: 'x' }), '{"a":"x","b":[1,{"a":null,"z":true}]}');
    assert.equal(canonicalJson({ '\u20ac': 1, '\r': 2, '1': 3, ö: 4, '\ud83d\ude00': 5 }), '{"\\r":2,"1":3,"ö":4,"€":1,"😀":5}');
    assert.equal(canonicalJson([1e21, 1e-7, -0, 0.1, 333333333.3333333, 2 ** 53]), '[1e+21,1e-7,0,0.1,333333333.3333333,9007199254740992]');
    assert.equal(canonicalJson('a"\\\u0001\u2028'), '"a\\"\\\\\\u0001\u2028"');
    assert.throws(() => canonicalJson({ x: Number.NaN }));
    assert.throws(() => canonicalJson({ x: undefined }));
  });

  it('gives the same fingerprint to the same value written differently', () => {
    assert.equal(fingerprint(JSON.parse('{ "a": 1, "b": [ 2, 3 ] }')), fingerprint(JSON.parse('{"b":[2,3],"a":1.0}')));
    assert.notEqual(fingerprint({ a: 1 }), fingerprint({ a: '1' }));
  });
});

describe('checkSubmission', () => {
  it('accepts every example of the contract', () => {
    for (const { key, body } of story()) assert.deepEqual(checkSubmission(body), [], key);
  });

  it('points at each fault', () => {
    const body = story()[0]!.body;
    const emptyId = checkSubmission({ ...body, id: '' });
    assert.ok(emptyId.length > 0 && emptyId.every((f) => f.pointer === '/id'), JSON.stringify(emptyId));
    assert.deepEqual(
      checkSubmission({ ...body, event: { type: 'meeting.record', time: 'soon', place: 'x', topic: 'y', measures: [{ text: 'z' }], effect: 'e', consensus: 'most' } }).map((f) => f.pointer),
      ['/event/time', '/event/measures/0/party', '/event/consensus'],
    );
    assert.deepEqual(checkSubmission(null), [{ pointer: '', message: 'The body must be a JSON object (an EventSubmission).' }]);
  });
});
