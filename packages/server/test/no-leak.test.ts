/**
 * Nothing personal reaches an unauthorised response or a log line. Through every example
 * config, residents raise topics with names, phones, e-mails and places no other test uses (and,
 * on the Wuxi programme, take part in a meeting); then every byte of every answer a caller
 * without personal-data rights gets — the pulls, the per-topic pulls, the topic index, the
 * figures, the follow-code lookup, the answers to the submissions themselves and the errors —
 * and every line the server logged (at trace level) is searched for those values. A convener's
 * joined pull must hold every one of them, so the search can fail. The log and `/metrics` are
 * also searched for every credential the session sent — bearer tokens (good and bad), follow codes
 * (in paths, the query and the Follow-Code header), a one-click unsubscribe token — and for text
 * residents typed; and the log's shape is checked: every line of a request carries its `reqId`,
 * and each request has one completion line with method, route pattern, status and time.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflowConfig, type FormField, type WorkflowConfig } from '@consult-kit/machine';
import { tokenHash, unsubscribeSecret, unsubscribeToken } from '../src/notifications/outbox.js';
import { addProgramme, call, DATABASES, exampleConfig, PATHS, PEOPLE, serve, story, type Answer, type TestServer } from './helpers.js';
import { ROOT } from './openapi.js';

type Obj = Record<string, unknown>;

const CONFIGS = readdirSync(join(ROOT, 'examples/configs')).filter((f) => f.endsWith('.json')).sort();

/** Personal values that exist nowhere else: 8 hex digits of a UUID each. */
function uniqueValues() {
  const tag = () => randomUUID().slice(0, 8);
  const digits = () => String(Number.parseInt(tag(), 16) % 100_000_000).padStart(8, '0');
  return { name: `居民${tag()}`, phone: `139${digits()}`, email: `r${tag()}@mail.example.cn`, place: `清名桥${tag()}号楼` };
}

/** A valid value for a field that is not personal. */
function plainValue(field: FormField): unknown {
  switch (field.type) {
    case 'select':
    case 'radio':
      return field.options![0]!.value;
    case 'checkbox':
      return field.options ? [field.options[0]!.value] : true;
    case 'date':
      return '2026-03-01';
    case 'number':
      return typeof field.min === 'number' ? field.min : 3;
    case 'file':
      return [];
    case 'consent':
      return true;
    default: {
      const text = field.role === 'title' ? '小区门口的路灯坏了' : '小区门口的三盏路灯坏了一个多月，晚上老人出门很不方便，希望尽快修好并定期检查。';
      return field.maxLength ? text.slice(0, field.maxLength) : text;
    }
  }
}

/** The form's values with every personal field filled with one of `unique`. */
function formValues(config: WorkflowConfig, unique: ReturnType<typeof uniqueValues>): Obj {
  const values: Obj = {};
  for (const field of config.form.pages.flatMap((p) => p.fields)) {
    if (!field.personal) values[field.name] = plainValue(field);
    else if (field.type === 'tel') values[field.name] = unique.phone;
    else if (field.type === 'email') values[field.name] = unique.email;
    else if (field.type === 'location') values[field.name] = { address: unique.place, lat: 31.56, lng: 120.3 };
    else values[field.name] = unique.name;
  }
  // A radio that shows the phone only on "yes" (Wuxi's contactWanted): pick the option that shows it.
  for (const field of config.form.pages.flatMap((p) => p.fields)) {
    const when = field.visibleWhen as { field?: string; equals?: unknown } | undefined;
    if (when?.field && when.equals !== undefined) values[when.field] = when.equals;
  }
  return values;
}

/**
 * The log is JSON, one object a line; every line of a request carries its `reqId`; each request
 * has exactly one "incoming request" and one "request completed" line, the latter with the method,
 * the route pattern (no programme id, no code: a pattern with `:params`) or none for a 404 no
 * route matched, the status and the time taken.
 */
function assertLogShape(lines: readonly string[]): void {
  const parsed = lines.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((line) => JSON.parse(line) as Obj);
  const byRequest = new Map<string, Obj[]>();
  for (const line of parsed) {
    if (line.req !== undefined || line.res !== undefined) assert.equal(typeof line.reqId, 'string', `a request's line without reqId: ${JSON.stringify(line)}`);
    if (typeof line.reqId === 'string') byRequest.set(line.reqId, [...(byRequest.get(line.reqId) ?? []), line]);
  }
  assert.ok(byRequest.size > 100, `${byRequest.size} requests logged`);
  for (const [reqId, own] of byRequest) {
    const incoming = own.filter((l) => l.msg === 'incoming request');
    const completed = own.filter((l) => l.msg === 'request completed' || l.msg === 'request errored');
    assert.equal(incoming.length, 1, `${reqId}: ${incoming.length} incoming lines`);
    assert.equal(completed.length, 1, `${reqId}: ${completed.length} completion lines`);
    const res = completed[0]!.res as Obj;
    assert.equal(res.method, (incoming[0]!.req as Obj).method);
    assert.ok(typeof res.statusCode === 'number' && res.statusCode >= 100, JSON.stringify(res));
    assert.equal(typeof completed[0]!.responseTime, 'number');
    if (res.route !== undefined) assert.ok(typeof res.route === 'string' && !/leak-|tp-|e-[0-9a-f]{8}/.test(res.route), `route ${String(res.route)}`);
    else assert.equal(res.statusCode, 404, `a matched request without its route: ${JSON.stringify(completed[0])}`);
  }
  const routes = new Set(parsed.map((l) => (l.res as Obj | undefined)?.route).filter(Boolean));
  for (const pattern of ['/api/programmes/:programmeId/events', '/api/programmes/:programmeId/follow/:code', '/api/unsubscribe/:token', '/metrics']) {
    assert.ok(routes.has(pattern), `no completion line for ${pattern}: ${[...routes].join(', ')}`);
  }
}

for (const database of DATABASES) {
  it(`no personal value reaches an unauthorised answer or a log line, on every example config (${database.name})`, async () => {
    const db = await database.open();
    const lines: string[] = [];
    let server: TestServer | undefined;
    try {
      server = await serve(db, { logLevel: 'trace', logStream: { write: (line: string) => void lines.push(line) } });
      const secrets: string[] = [];
      /** Every answer an unauthorised caller got, as text. */
      const seen: { what: string; text: string }[] = [];
      const look = (what: string, answer: Answer) => seen.push({ what, text: `${answer.status} ${JSON.stringify([...answer.headers])} ${answer.text}` });
      const programmes: { id: string; topics: string[]; codes: string[] }[] = [];

      for (const file of CONFIGS) {
        const id = `leak-${randomUUID().slice(0, 8)}`;
        await addProgramme(db, file, (c) => (c.id = id));
        const parsed = parseWorkflowConfig(JSON.parse(exampleConfig(file, (c) => (c.id = id))));
        assert.ok(parsed.ok, file);
        const programme = { id, topics: [] as string[], codes: [] as string[] };
        programmes.push(programme);
        for (let i = 0; i < 3; i += 1) {
          const unique = uniqueValues();
          const values = formValues(parsed.config, unique);
          for (const value of Object.values(unique)) if (JSON.stringify(values).includes(value) || value === unique.name) secrets.push(value);
          const topicId = `tp-${randomUUID()}`;
          const body = { id: `e-${randomUUID()}`, topicId, event: { type: 'topic.submit', source: 'resident', values }, by: { role: 'resident', id: `r-${randomUUID().slice(0, 8)}`, name: unique.name }, at: '2026-03-02T09:15:00+08:00' };
          const res = await call(server, `/api/programmes/${id}/events`, { template: PATHS.events, body });
          assert.equal(res.status, 201, `${file}: ${res.text}`);
          look(`${file} 201`, res);
          look(`${file} 200 replay`, await call(server, `/api/programmes/${id}/events`, { template: PATHS.events, body }));
          programme.topics.push(topicId);
          programme.codes.push(String(res.body?.followCode));
          // Errors carrying the values: the same topic again, a value the form refuses, a body the contract refuses, broken JSON.
          look(`${file} 422`, await call(server, `/api/programmes/${id}/events`, { template: PATHS.events, body: { ...body, id: `e-${randomUUID()}` } }));
          const refused = { ...body, id: `e-${randomUUID()}`, topicId: `tp-${randomUUID()}`, event: { ...body.event, values: { ...values, title: 1 } } };
          look(`${file} 422 values`, await call(server, `/api/programmes/${id}/events`, { template: PATHS.events, body: refused }));
          const malformed = { ...body, id: `e-${randomUUID()}`, by: { role: 'mayor', name: unique.name }, extra: unique.phone };
          look(`${file} 400`, await call(server, `/api/programmes/${id}/events`, { template: PATHS.events, body: malformed }));
          look(`${file} 400 json`, await call(server, `/api/programmes/${id}/events`, { rawBody: JSON.stringify(body).slice(0, -20), key: body.id }));
        }
      }

      // On the Wuxi programme a meeting with residents taking part (not named).
      const wuxi = programmes[CONFIGS.indexOf('wuxi-community.json')]!;
      const topicId = wuxi.topics[0]!;
      const steps = story().filter((s) => !s.alternative);
      const from = steps.findIndex((s) => s.key === 'screeningAccept');
      const to = steps.findIndex((s) => s.key === 'meetingStart');
      for (const { body } of steps.slice(from, to)) {
        const event = structuredClone(body.event);
        if (event.type === 'meeting.schedule') {
          for (const p of event.participants as Obj[]) {
            if (p.role === 'resident' || p.role === 'representative') secrets.push(String((p.name = uniqueValues().name)));
          }
        }
        const token = Object.values(PEOPLE).find((p) => p.id === body.by.id)?.token;
        const res = await call(server, `/api/programmes/${wuxi.id}/events`, { template: PATHS.events, body: { ...body, id: `${body.id}-${topicId}`, topicId, event }, ...(token ? { token } : {}) });
        assert.equal(res.status, 201, res.text);
      }

      for (const { id, topics, codes } of programmes) {
        for (const token of [undefined, PEOPLE.resident.token, PEOPLE.department.token, PEOPLE.member.token]) {
          const who = token ?? 'no token';
          look(`${id} pull ${who}`, await call(server, `/api/programmes/${id}/events`, { template: PATHS.events, ...(token ? { token } : {}) }));
          for (const topic of topics) look(`${id} topic pull ${who}`, await call(server, `/api/programmes/${id}/topics/${topic}/events`, { template: PATHS.topicEvents, ...(token ? { token } : {}) }));
          look(`${id} index ${who}`, await call(server, `/api/programmes/${id}/topics`, { ...(token ? { token } : {}) }));
        }
        for (const secret of secrets) look(`${id} index q`, await call(server, `/api/programmes/${id}/topics?q=${encodeURIComponent(secret)}`));
        look(`${id} index by code`, await call(server, `/api/programmes/${id}/topics?followCode=${codes[0]}`));
        look(`${id} figures`, await call(server, `/api/programmes/${id}/figures`, { template: PATHS.figures }));
        for (const code of codes) look(`${id} follow`, await call(server, `/api/programmes/${id}/follow/${code}`, { template: PATHS.follow }));
        look(`${id} erasure refused`, await call(server, `/api/programmes/${id}/erasures`, { template: PATHS.erasures, body: { value: secrets[0] }, key: null, token: PEOPLE.convener.token }));
        look(`${id} export refused`, await call(server, `/api/programmes/${id}/exports?value=${encodeURIComponent(secrets[0]!)}`, { template: PATHS.exports }));
      }
      // Credentials a log line must never hold (a follow code's 14 characters, a token's 43…),
      // and what residents typed or gave that no convener's pull shows (a withdrawal's reason,
      // a subscriber's address): not personal by the form, or not in the log, but never for the log.
      const credentials: string[] = [...Object.values(PEOPLE).map((p) => p.token), ...programmes.flatMap((p) => p.codes)];
      const typed: string[] = [];
      const bogus = `tok-bogus-${randomUUID()}`;
      credentials.push(bogus);
      look('bogus token', await call(server, `/api/programmes/${wuxi.id}/events`, { template: PATHS.events, token: bogus }));
      // A resident withdraws a topic with its follow code in the Follow-Code header, and a reason of their own.
      const withdrawn = { topicId: wuxi.topics[2]!, code: wuxi.codes[2]! };
      const reason = `邻居们已和物业谈妥${randomUUID().slice(0, 8)}`;
      typed.push(reason);
      const withdraw = { id: `e-${randomUUID()}`, topicId: withdrawn.topicId, event: { type: 'topic.withdraw', reason }, by: { role: 'resident' }, at: '2026-03-04T09:30:00+08:00' };
      const withdrawAnswer = await call(server, `/api/programmes/${wuxi.id}/events`, { template: PATHS.events, body: withdraw, headers: { 'follow-code': withdrawn.code } });
      assert.equal(withdrawAnswer.status, 201, withdrawAnswer.text);
      // A subscription's one-click unsubscribe link (its token in the path), followed and undone.
      const subscription = `sub_${randomUUID().replace(/-/g, '')}`;
      const unsubscribe = unsubscribeToken(await unsubscribeSecret(db), subscription);
      const address = uniqueValues().email;
      typed.push(address);
      credentials.push(unsubscribe);
      await db.query(
        'insert into notice_subscription (id, programme_id, topic_id, channel, address, locale, token_hash, created_ms) values ($1, $2, $3, $4, $5, $6, $7, $8)',
        [subscription, wuxi.id, wuxi.topics[1]!, 'email', address, 'zh-CN', tokenHash(unsubscribe), Date.now()],
      );
      const unsubscribed = await call(server, `/api/unsubscribe/${unsubscribe}`);
      assert.equal(unsubscribed.status, 200, unsubscribed.text);
      look('unsubscribe page', unsubscribed);
      assert.equal((await call(server, `/api/unsubscribe/${unsubscribe}/undo`, { method: 'POST' })).status, 200);
      // The same code, percent-encoded in the path and in another case: still masked.
      await call(server, `/api/programmes/${wuxi.id}/%66ollow/${encodeURIComponent(wuxi.codes[1]!)}`);
      await call(server, `/api/programmes/${wuxi.id}/FOLLOW/${wuxi.codes[1]!}`);
      // Prometheus reads /metrics without a token: nothing personal, no credential.
      const scrape = await call(server, '/metrics');
      assert.equal(scrape.status, 200);
      look('/metrics', scrape);
      for (const value of [...credentials, ...typed]) assert.ok(!scrape.text.includes(value), `/metrics holds ${value}`);

      // Admin requests are authorised answers, but their log lines must not carry the value asked about.
      const wuxiConfig = parseWorkflowConfig(JSON.parse(exampleConfig('wuxi-community.json', (c) => (c.id = wuxi.id))));
      assert.ok(wuxiConfig.ok);
      const asked = uniqueValues();
      const askedBody = { id: `e-${randomUUID()}`, topicId: `tp-${randomUUID()}`, event: { type: 'topic.submit', source: 'resident', values: formValues(wuxiConfig.config, asked) }, by: { role: 'resident', name: asked.name }, at: '2026-03-02T09:15:00+08:00' };
      assert.equal((await call(server, `/api/programmes/${wuxi.id}/events`, { template: PATHS.events, body: askedBody })).status, 201);
      assert.equal((await call(server, `/api/programmes/${wuxi.id}/exports?value=${encodeURIComponent(asked.phone)}`, { template: PATHS.exports, token: PEOPLE.admin.token })).status, 200);
      assert.equal((await call(server, `/api/programmes/${wuxi.id}/erasures`, { template: PATHS.erasures, body: { value: asked.phone }, key: null, token: PEOPLE.admin.token })).status, 200);

      assert.ok(secrets.length >= CONFIGS.length * 3 * 2, `${secrets.length} personal values`);
      for (const { what, text } of seen) {
        for (const secret of secrets) assert.ok(!text.includes(secret), `${what} holds ${secret}: ${text.slice(0, 300)}`);
      }
      const log = lines.join('');
      assert.ok(lines.length > 100, 'the server logged');
      for (const secret of [...secrets, asked.phone, asked.name, asked.place]) assert.ok(!log.includes(secret), `a log line holds ${secret}`);
      for (const credential of credentials) assert.ok(!log.includes(credential), `a log line holds the credential ${credential}`);
      for (const text of typed) assert.ok(!log.includes(text), `a log line holds what a resident typed or gave: ${text}`);
      assertLogShape(lines);

      // The same values do reach a role allowed to see them: the search above could fail.
      let joined = '';
      for (const { id } of programmes) joined += (await call(server, `/api/programmes/${id}/events`, { template: PATHS.events, token: PEOPLE.convener.token })).text;
      for (const secret of secrets) assert.ok(joined.includes(secret), `a convener's pull lacks ${secret}`);
    } finally {
      await server?.close();
      await db.close();
    }
  });
}
