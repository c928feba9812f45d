/**
 * The notify file (`--notify` / CONSULT_NOTIFY): every fault named by its JSON Pointer, defaults
 * applied, and no secret or password in any message.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadOptions, OptionsError } from '../src/config.js';
import { NOTIFY_DEFAULTS, parseNotifyOptions } from '../src/notifications/options.js';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

function faults(json: unknown): string[] {
  const parsed = parseNotifyOptions(json);
  assert.equal(parsed.options, undefined, 'refused');
  return parsed.faults;
}

test('a minimal file gets every default', () => {
  const parsed = parseNotifyOptions({});
  assert.deepEqual(parsed.options, {
    webhooks: [],
    directory: { people: {}, parties: {}, programmes: {} },
    retry: { delaysSeconds: [...NOTIFY_DEFAULTS.retry.delaysSeconds], timeoutMs: 10_000 },
    timeZone: 'Asia/Shanghai',
    tickMs: 15_000,
  });
});

test('a full file is read as written', () => {
  const parsed = parseNotifyOptions({
    publicUrl: 'https://consult.example.gov.cn/',
    myTopicsUrl: 'https://portal.example.gov.cn/my-topics',
    webhooks: [{ id: 'sms', url: 'https://sms.example.gov.cn/hook', secret: SECRET, audiences: ['resident'], triggers: ['topic.accepted'], programmes: ['wuxi'] }],
    smtp: { url: 'smtps://user:pa55@mail.example.gov.cn', from: '议事厅 <consult@example.gov.cn>' },
    directory: {
      people: { 'c-001': { email: 'c@example.gov.cn', locale: 'zh-CN', name: '张丽华' } },
      parties: { 'housing-bureau': { phone: '13800000000' } },
      programmes: { '*': { supervisors: ['c-001'] }, wuxi: { conveners: ['c-001'] } },
    },
    retry: { delaysSeconds: [10, 60], timeoutMs: 2000 },
    timeZone: 'Asia/Urumqi',
    tickMs: 0,
  });
  assert.deepEqual(parsed.faults, []);
  assert.equal(parsed.options!.publicUrl, 'https://consult.example.gov.cn');
  assert.deepEqual(parsed.options!.webhooks[0]!.audiences, ['resident']);
  assert.equal(parsed.options!.smtp!.from, '议事厅 <consult@example.gov.cn>');
  assert.deepEqual(parsed.options!.directory.programmes['*'], { supervisors: ['c-001'] });
  assert.equal(parsed.options!.tickMs, 0);
});

test('every fault is named by its pointer', () => {
  const got = faults({
    webhooks: [
      { id: 'a', url: 'ftp://x.example', secret: SECRET },
      { id: 'a', url: 'https://x.example', secret: 'whsec_short', triggers: ['topic.acepted'], audiences: ['mayor', 'mayor'] },
      { id: 'b', url: 'https://x.example', secret: 'no-prefix' },
    ],
    smtp: { url: 'http://mail.example.gov.cn', from: 'nobody' },
    directory: { people: { p: { email: 'bad', phone: '123', locale: 'fr' } }, parties: [], programmes: { wuxi: { supervisors: ['ghost'] } } },
    retry: { delaysSeconds: [0, -1, 'x'], timeoutMs: 0 },
    timeZone: 'Mars/Olympus',
    tickMs: -5,
    colour: 'blue',
  });
  const pointers = got.map((f) => f.split(':')[0]);
  for (const pointer of [
    '/colour',
    '/webhooks/0/url',
    '/webhooks/1/id',
    '/webhooks/1/secret',
    '/webhooks/1/triggers/0',
    '/webhooks/1/audiences/0',
    '/webhooks/1/audiences/1',
    '/webhooks/2/secret',
    '/smtp/url',
    '/smtp/from',
    '/directory/people/p/email',
    '/directory/people/p/phone',
    '/directory/people/p/locale',
    '/directory/parties',
    '/directory/programmes/wuxi/supervisors/0',
    '/retry/delaysSeconds/0',
    '/retry/delaysSeconds/1',
    '/retry/delaysSeconds/2',
    '/retry/timeoutMs',
    '/timeZone',
    '/tickMs',
  ]) {
    assert.ok(pointers.includes(pointer), `${pointer} in ${JSON.stringify(got, null, 1)}`);
  }
});

test('a secret, a password or an address is never repeated in a fault', () => {
  const badSecret = 'whsec_dG9vLXNob3J0LXNlY3JldA==';
  const got = faults({
    webhooks: [{ id: 'x', url: 'https://user:hunter2@x.example', secret: badSecret }],
    smtp: { url: 'ftp://admin:s3cr3t-pw@mail.example', from: 'consult@example.gov.cn' },
    directory: { people: { p: { email: 'someone@@example.org' } } },
  }).join('\n');
  for (const needle of ['dG9vLXNob3J0', 'hunter2', 's3cr3t-pw', 'someone@@']) assert.ok(!got.includes(needle), needle);
});

test('--notify / CONSULT_NOTIFY: read by loadOptions, faults prefixed with the file and the pointer; the public URL defaults to the listening address', () => {
  const files: Record<string, string> = {
    'good.json': JSON.stringify({ webhooks: [{ id: 'city', url: 'https://city.example/hook', secret: SECRET }] }),
    'bad.json': JSON.stringify({ tickMs: 'soon' }),
    'broken.json': `{ "secret": "${SECRET}"`,
  };
  const read = (path: string) => {
    if (!(path in files)) throw Object.assign(new Error(`ENOENT: no such file ${path}`), { code: 'ENOENT' });
    return files[path]!;
  };
  const good = loadOptions(['--notify', 'good.json', '--port', '9090'], {}, read);
  assert.equal(good.notify!.webhooks[0]!.id, 'city');
  assert.equal(good.notify!.publicUrl, 'http://localhost:9090');
  assert.equal(loadOptions([], { CONSULT_NOTIFY: 'good.json' }, read).notify!.webhooks.length, 1);
  assert.equal(loadOptions([], {}, read).notify, undefined, 'no file: no notify options (the clock still ticks by default)');

  const problems = (argv: string[]) => {
    try {
      loadOptions(argv, {}, read);
    } catch (error) {
      assert.ok(error instanceof OptionsError);
      return error.problems;
    }
    assert.fail('refused');
  };
  assert.match(problems(['--notify', 'bad.json'])[0]!, /^bad\.json#\/tickMs: /);
  const broken = problems(['--notify', 'broken.json']).join('\n');
  assert.match(broken, /broken\.json .*is not JSON/);
  assert.ok(!broken.includes(SECRET.slice(6, 20)), 'the JSON parser\'s quote of the text is not passed on');
  assert.match(problems(['--notify', 'missing.json'])[0]!, /cannot read the notify file missing\.json/);
});
