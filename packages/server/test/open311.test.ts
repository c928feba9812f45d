/**
 * The Open311 GeoReport v2 face (`/open311/v2/`, docs/api/open311.md) on a real `buildApp`: the
 * specification's own example requests (the GeoReport v2 wiki's: discovery, services, a service
 * definition, a form-encoded POST with `lat=37.76524078&long=-122.4212043` and attribute arrays,
 * `requests.xml?start_date=…&status=open`, a list of `service_request_id`s, a request by id, a
 * token) with our ids; a round trip raise → follow while the topic moves through screening,
 * meeting, handling and evaluation to closed; one topic for a client's retries; redaction (the
 * bytes of every GET answer and log line searched for the submitter's name, phone, e-mail and
 * place); bad input (an unknown service is 404, missing fields 400, form vs JSON bodies, a bad
 * api_key 403), every error in the spec's `[{ code, description }]`.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { addProgramme, append, perDatabase, PEOPLE, story, TO_EVALUATION, type TestServer } from './helpers.js';

type Obj = Record<string, unknown>;

/** Every line the servers logged (the redaction test searches them). */
const logLines: string[] = [];

/** The server's clock, moved by the round trip (the story's events carry their own times). */
let clock = new Date('2026-03-02T01:15:00Z');

/** Adds `open311` to the intake step's sources (a city opts in there). */
function optIn(config: Obj): void {
  const steps = config.steps as Array<Obj & { type: string; sources?: Array<{ id: string }> }>;
  const intake = steps.find((s) => s.type === 'intake')!;
  intake.sources = [...(intake.sources ?? [{ id: 'resident' }]), { id: 'open311' }];
}

interface Sent {
  status: number;
  type: string;
  text: string;
  json: unknown;
}

/** Sends a request to the face. */
async function o311(server: TestServer, path: string, init: { method?: string; form?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<Sent> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.form !== undefined) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    body = init.form;
  } else if (init.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`${server.url}/open311/v2/${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, text, json: type.startsWith('application/json') ? JSON.parse(text) : undefined };
}

/** Asserts an answer is the spec's error with this status. */
function assertError(answer: Sent, status: number, pattern?: RegExp): void {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.type, /^application\/json/);
  const errors = answer.json as Array<{ code: number; description: string }>;
  assert.ok(Array.isArray(errors) && errors.length === 1, answer.text);
  assert.equal(errors[0]!.code, status);
  assert.equal(typeof errors[0]!.description, 'string');
  if (pattern) assert.match(errors[0]!.description, pattern);
}

/** Personal values no other test uses. */
function personal() {
  const tag = randomUUID().slice(0, 8);
  const digits = String(Number.parseInt(tag, 16) % 100_000_000).padStart(8, '0');
  return { first: `秀${tag}`, last: '王', phone: `139${digits}`, email: `r${tag}@mail.example.cn`, address: `清名桥${tag}号楼` };
}

/** A form body from pairs (repeated names kept: `attribute[takePart][]`). */
function form(pairs: Array<[string, string]>): string {
  return new URLSearchParams(pairs).toString();
}

perDatabase(
  'Open311 GeoReport v2',
  ({ db, server }) => {
    let wuxi = '';
    let guangshui = '';
    before(async () => {
      wuxi = await addProgramme(db(), 'wuxi-community.json', (c) => {
        c.id = `wuxi-${randomUUID().slice(0, 8)}`;
        optIn(c);
      });
      guangshui = await addProgramme(db(), 'guangshui-frontline.json', (c) => {
        c.id = `gs-${randomUUID().slice(0, 8)}`;
        optIn(c);
      });
      // A programme that did not opt in: none of its topics or services show.
      await addProgramme(db(), 'sichuan-courtyard.json', (c) => (c.id = `sc-${randomUUID().slice(0, 8)}`));
    });

    /** The wiki's example POST, for a Wuxi lift service (its attribute codes are the form's). */
    const wuxiForm = (p: ReturnType<typeof personal>, extra: Array<[string, string]> = []) =>
      form([
        ['service_code', `${wuxi}:lift`],
        ['lat', '37.76524078'],
        ['long', '-122.4212043'],
        ['address_string', p.address],
        ['email', p.email],
        ['device_id', 'tt222111'],
        ['first_name', p.first],
        ['last_name', p.last],
        ['phone', p.phone],
        ['description', '3号楼是6层老楼，没有电梯，老人上下楼很困难，希望加装电梯。'],
        ['media_url', 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg'],
        ['attribute[households]', '24'],
        ['attribute[contactWanted]', 'yes'],
        ['attribute[consent]', 'true'],
        ...extra,
      ]);

    it('discovery names the spec, the endpoint and both formats; XML is the spec\'s shape', async () => {
      const json = await o311(server(), 'discovery.json');
      assert.equal(json.status, 200);
      const d = json.json as { endpoints: Array<{ specification: string; url: string; formats: string[] }> };
      assert.equal(d.endpoints[0]!.specification, 'http://wiki.open311.org/GeoReport_v2');
      assert.match(d.endpoints[0]!.url, /\/open311\/v2$/);
      assert.deepEqual(d.endpoints[0]!.formats, ['application/json', 'text/xml']);
      const xml = await o311(server(), 'discovery.xml');
      assert.match(xml.type, /^text\/xml/);
      assert.match(xml.text, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<discovery>.*<endpoints><endpoint><specification>http:\/\/wiki\.open311\.org\/GeoReport_v2<\/specification>.*<formats><format>application\/json<\/format><format>text\/xml<\/format><\/formats>/s);
    });

    it('services: one per programme × category in the asked language, grouped by programme; only programmes that opted in', async () => {
      const zh = (await o311(server(), 'services.json', { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } })).json as Obj[];
      const en = (await o311(server(), 'services.json?locale=en')).json as Obj[];
      const codes = zh.map((s) => s.service_code as string);
      assert.deepEqual(codes.filter((c) => c.startsWith(`${wuxi}:`)), ['lift', 'renovation', 'waste', 'eldercare', 'parking', 'dispute', 'other'].map((c) => `${wuxi}:${c}`));
      assert.ok(codes.includes(guangshui), 'a form without a category field is one service');
      assert.ok(!codes.some((c) => c.startsWith('sc-')), 'a programme that did not opt in has no service');
      const lift = zh.find((s) => s.service_code === `${wuxi}:lift`)!;
      assert.deepEqual(
        { name: lift.service_name, type: lift.type, metadata: lift.metadata, group: lift.group },
        { name: '加装电梯', type: 'realtime', metadata: true, group: '有事好商量·社区协商议事室' },
      );
      assert.match(lift.keywords as string, new RegExp(`^${wuxi},lift,community$`));
      assert.equal(en.find((s) => s.service_code === `${wuxi}:lift`)!.service_name, 'Installing a lift');
      const xml = await o311(server(), 'services.xml?locale=en');
      assert.match(xml.text, new RegExp(`<services><service><service_code>[^<]+</service_code>.*<service_code>${wuxi}:lift</service_code><service_name>Installing a lift</service_name>`, 's'));
    });

    it('a service definition lists the form\'s fields as attributes (not what the standard parameters fill)', async () => {
      const def = (await o311(server(), `services/${wuxi}:lift.json?locale=en`)).json as { service_code: string; attributes: Array<Obj & { code: string }> };
      assert.equal(def.service_code, `${wuxi}:lift`);
      assert.deepEqual(def.attributes.map((a) => a.code), ['title', 'households', 'contactWanted', 'consent']);
      const contact = def.attributes.find((a) => a.code === 'contactWanted')!;
      assert.deepEqual(
        { datatype: contact.datatype, required: contact.required, values: contact.values, variable: contact.variable },
        { datatype: 'singlevaluelist', required: true, values: [{ key: 'yes', name: 'Yes, please phone me' }, { key: 'no', name: 'No' }], variable: true },
      );
      assert.equal(def.attributes.find((a) => a.code === 'households')!.datatype, 'number');
      assert.equal(def.attributes.find((a) => a.code === 'title')!.required, false);
      const gs = (await o311(server(), `services/${guangshui}.json`)).json as { attributes: Array<{ code: string; datatype: string }> };
      assert.deepEqual(gs.attributes.map((a) => [a.code, a.datatype]), [['title', 'string'], ['area', 'singlevaluelist'], ['suggestion', 'text'], ['noticedOn', 'datetime'], ['takePart', 'multivaluelist'], ['consent', 'singlevaluelist']]);
      const xml = await o311(server(), `services/${wuxi}:lift.xml`);
      assert.match(xml.text, /<service_definition><service_code>[^<]+<\/service_code><attributes><attribute><variable>true<\/variable><code>title<\/code>/);
      assertError(await o311(server(), 'services/033.json'), 404, /no service "033"/);
    });

    it('round trip: the wiki\'s form POST raises a topic (source open311), a retry is the same one, and GET follows it to closed', async () => {
      clock = new Date('2026-03-02T01:15:00Z');
      const p = personal();
      const body = wuxiForm(p, [['api_key', PEOPLE.resident.token]]);
      const raised = await o311(server(), 'requests.json', { form: body });
      assert.equal(raised.status, 201, raised.text);
      const [answer] = raised.json as Array<{ service_request_id: string; token: string; service_notice: string; account_id: string }>;
      assert.match(answer!.service_request_id, new RegExp(`^${wuxi}:o311-[0-9a-f]{20}$`));
      assert.match(answer!.token, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      assert.equal(answer!.account_id, PEOPLE.resident.id);
      assert.ok(answer!.service_notice.length > 0);
      const topicId = answer!.service_request_id.split(':')[1]!;

      // The client retries (a lost answer): the same topic, nothing appended twice; and later.
      clock = new Date('2026-03-02T01:16:00Z');
      const again = await o311(server(), 'requests.json', { form: body });
      assert.equal(again.status, 200, again.text);
      assert.deepEqual(again.json, raised.json);
      const retries = await Promise.all([0, 1, 2].map(() => o311(server(), 'requests.json', { form: body })));
      assert.deepEqual(retries.map((r) => r.status), [200, 200, 200]);
      const pulled = await fetch(`${server().url}/api/programmes/${wuxi}/topics/${topicId}/events`).then((r) => r.json() as Promise<{ entries: Array<{ event: { type: string; source?: string; values: Obj } }> }>);
      assert.equal(pulled.entries.length, 1, 'one topic.submit for five POSTs');
      assert.equal(pulled.entries[0]!.event.source, 'open311');
      assert.equal(pulled.entries[0]!.event.values.category, 'lift');
      assert.equal(pulled.entries[0]!.event.values.households, 24);
      assert.deepEqual(pulled.entries[0]!.event.values.phone, { redacted: true }, 'the pull redacts the phone as every pull does');

      // The token names the request.
      const token = await o311(server(), `tokens/${answer!.token}.json`);
      assert.deepEqual(token.json, [{ service_request_id: answer!.service_request_id, token: answer!.token }]);
      assert.equal((await o311(server(), `tokens/${answer!.token}.xml`)).text.includes(`<service_request_id>${answer!.service_request_id}</service_request_id>`), true);

      const follow = async () => ((await o311(server(), `requests/${answer!.service_request_id}.json?locale=en`)).json as Obj[])[0]!;
      const seen: Array<[string, string]> = [];
      let first = await follow();
      assert.equal(first.service_code, `${wuxi}:lift`);
      assert.equal(first.service_name, 'Installing a lift');
      assert.equal(first.requested_datetime, '2026-03-02T01:15:00.000Z');
      seen.push([first.status as string, first.status_notes as string]);
      const steps = new Map(story().map((s) => [s.key, s.body]));
      for (const key of [...TO_EVALUATION, 'ratingSubmit', 'evaluationClose']) {
        const step = structuredClone(steps.get(key)!);
        step.id = `e-${randomUUID()}`;
        step.topicId = topicId;
        clock = new Date(Date.parse(step.at) + 60_000);
        const res = await append(server(), wuxi, step);
        assert.ok(res.status === 201, `${key}: ${res.text}`);
        if (['screeningAccept', 'meetingStart', 'measureAdopt', 'feedbackPublish', 'evaluationClose'].includes(key)) {
          const now = await follow();
          seen.push([now.status as string, now.status_notes as string]);
          if (key === 'measureAdopt') assert.match(now.agency_responsible as string, /^District Housing and Urban-Rural Development Bureau/, 'the measures\' responsible party, by its label');
          if (key === 'evaluationClose') first = now;
        }
      }
      assert.deepEqual(
        seen.map(([status, notes]) => `${status}: ${notes.split(';')[0]}`),
        ['open: Received', 'open: Being researched', 'open: In consultation', "open: The meeting's measures are being carried out", 'open: Result reported', 'closed: Closed'],
      );
      assert.match(first.status_notes as string, /Feedback: /);
      assert.ok(Date.parse(first.updated_datetime as string) > Date.parse(first.requested_datetime as string));
      const zh = ((await o311(server(), `requests/${answer!.service_request_id}.json`, { headers: { 'accept-language': 'zh-CN' } })).json as Obj[])[0]!;
      assert.match(zh.status_notes as string, /^已办结/);

      // The wiki's list queries: by ids (unknown ids left out), by status and dates, as XML.
      const list = (await o311(server(), `requests.json?service_request_id=${answer!.service_request_id},${wuxi}:638344,638349`)).json as Obj[];
      assert.deepEqual(list.map((r) => r.service_request_id), [answer!.service_request_id]);
      clock = new Date('2026-07-20T00:00:00Z');
      const closed = (await o311(server(), 'requests.json?start_date=2026-02-24T00:00:00Z&end_date=2026-03-24T00:00:00Z&status=closed')).json as Obj[];
      assert.ok(closed.some((r) => r.service_request_id === answer!.service_request_id));
      const open = (await o311(server(), 'requests.json?start_date=2026-02-24T00:00:00Z&end_date=2026-03-24T00:00:00Z&status=open')).json as Obj[];
      assert.ok(!open.some((r) => r.service_request_id === answer!.service_request_id));
      const byService = (await o311(server(), `requests.json?service_code=${wuxi}:lift&start_date=2026-02-24T00:00:00Z&end_date=2026-03-24T00:00:00Z`)).json as Obj[];
      assert.deepEqual(byService.map((r) => r.service_request_id), [answer!.service_request_id]);
      assert.deepEqual((await o311(server(), `requests.json?service_code=${wuxi}:parking&start_date=2026-02-24T00:00:00Z&end_date=2026-03-24T00:00:00Z`)).json, []);
      const xml = await o311(server(), `requests.xml?service_request_id=${answer!.service_request_id}`);
      assert.match(xml.text, new RegExp(`<service_requests><request><service_request_id>${answer!.service_request_id}</service_request_id><status>closed</status>`));
      assertError(await o311(server(), 'requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-07-01T00:00:00Z'), 400, /90 days/);
      assertError(await o311(server(), 'requests.json?status=pending'), 400, /status/);
      assertError(await o311(server(), `requests/${wuxi}:638344.json`), 404);
    });

    it('redaction: no GET answer and no log line holds the submitter\'s name, phone, e-mail or place', async () => {
      clock = new Date();
      const p = personal();
      const raised = await o311(server(), 'requests.json', {
        form: form([
          ['service_code', guangshui],
          ['lat', '30.60'],
          ['long', '114.30'],
          ['address_string', p.address],
          ['email', p.email],
          ['first_name', p.first],
          ['last_name', p.last],
          ['phone', p.phone],
          ['description', '小区燃气管道老化，楼道里经常闻到燃气味，存在安全隐患，希望尽快排查更换。'],
          ['attribute[area]', 'gas'],
          ['attribute[takePart][]', 'research'],
          ['attribute[takePart][]', 'meeting'],
          ['attribute[consent]', 'true'],
        ]),
      });
      assert.equal(raised.status, 201, raised.text);
      const [answer] = raised.json as Array<{ service_request_id: string; token: string }>;
      const secrets = [p.first, p.phone, p.email, p.address];
      // The values are stored (a convener's joined pull has them), so the search below can fail.
      const topicId = answer!.service_request_id.split(':')[1]!;
      const joined = await fetch(`${server().url}/api/programmes/${guangshui}/topics/${topicId}/events`, { headers: { authorization: `Bearer ${PEOPLE.convener.token}` } }).then((r) => r.text());
      for (const s of secrets) assert.ok(joined.includes(s), `the joined pull holds ${s}`);
      assert.ok(joined.includes('"takePart":["research","meeting"]'), 'the attribute array became the checkbox list');

      const answers = [
        await o311(server(), `requests/${answer!.service_request_id}.json`),
        await o311(server(), `requests/${answer!.service_request_id}.xml`),
        await o311(server(), `requests.json?service_request_id=${answer!.service_request_id}`),
        await o311(server(), 'requests.json'),
        await o311(server(), 'requests.xml?status=open'),
        await o311(server(), `tokens/${answer!.token}.json`),
        await o311(server(), 'services.json'),
      ];
      assert.ok((answers[0]!.json as Obj[]).length === 1);
      for (const a of answers) {
        assert.equal(a.status, 200, a.text);
        for (const s of [...secrets, p.last + p.first]) assert.ok(!a.text.includes(s), `a GET answer holds ${s}: ${a.text.slice(0, 200)}`);
      }
      assert.ok(!('address' in (answers[0]!.json as Obj[])[0]!) && !('lat' in (answers[0]!.json as Obj[])[0]!), 'no location in a GET answer');
      const log = logLines.join('');
      assert.ok(log.length > 0, 'the server logged');
      for (const s of [...secrets, answer!.token, PEOPLE.resident.token]) assert.ok(!log.includes(s), `the log holds ${s}`);
    });

    it('without a key, the same words from another address are another topic: a stranger never gets the first one\'s token', async () => {
      clock = new Date();
      const body = form([
        ['service_code', `${wuxi}:waste`],
        ['lat', '31.57'],
        ['long', '120.30'],
        ['description', '垃圾分类投放点太远，老人拎着垃圾要走很远，希望在楼下增设一个投放点。'],
        ['first_name', '某'],
        ['attribute[contactWanted]', 'no'],
        ['attribute[consent]', 'true'],
      ]);
      const from = (address: string) => o311(server(), 'requests.json', { form: body, headers: { 'x-forwarded-for': address } });
      const first = await from('203.0.113.7');
      const retry = await from('203.0.113.7');
      const stranger = await from('198.51.100.23');
      assert.deepEqual([first.status, retry.status, stranger.status], [201, 200, 201]);
      const [a, b, c] = [first, retry, stranger].map((r) => (r.json as Array<{ service_request_id: string; token: string }>)[0]!);
      assert.deepEqual(b, a, 'the retry is the same request');
      assert.notEqual(c!.service_request_id, a!.service_request_id);
      assert.notEqual(c!.token, a!.token);
    });

    it('bad input: unknown service 404, missing fields 400, a bad api_key 403, JSON bodies like forms, other media refused — all as [{ code, description }]', async () => {
      clock = new Date();
      const p = personal();
      assertError(await o311(server(), 'requests.json', { form: wuxiForm(p).replace(encodeURIComponent(`${wuxi}:lift`), '001') }), 404, /no service "001"/);
      assertError(await o311(server(), 'requests.json', { form: form([['lat', '37.76524078'], ['long', '-122.4212043']]) }), 400, /service_code is required/);
      assertError(await o311(server(), 'requests.json', { form: form([['service_code', `${wuxi}:lift`], ['description', 'x'.repeat(30)]]) }), 400, /location is required/);
      assertError(await o311(server(), 'requests.json', { form: form([['service_code', `${wuxi}:lift`], ['lat', '137'], ['long', '1']]) }), 400, /lat and long/);
      assertError(await o311(server(), 'requests.json', { form: wuxiForm(p, [['attribute[WHISPAWN]', '123456']]) }), 400, /attribute\[WHISPAWN\] is not an attribute/);
      // What the form requires is the lifecycle's check, answered as the spec's 400.
      const noConsent = wuxiForm(p).replace('&attribute%5Bconsent%5D=true', '');
      assertError(await o311(server(), 'requests.json', { form: noConsent }), 400, /consent/);
      assertError(await o311(server(), 'requests.json', { form: wuxiForm(p, [['api_key', 'not-a-token-of-this-city-000']]) }), 403, /api_key/);
      const xmlError = await o311(server(), 'requests.xml', { form: 'service_code=' });
      assert.equal(xmlError.status, 400);
      assert.match(xmlError.type, /^text\/xml/);
      assert.match(xmlError.text, /<errors><error><code>400<\/code><description>service_code is required\.<\/description><\/error><\/errors>/);
      assertError(await o311(server(), 'requests.json', { method: 'POST', headers: { 'content-type': 'text/plain' }, form: 'service_code=x' }), 415, /x-www-form-urlencoded/);
      assertError(await o311(server(), 'requests.json', { json: ['service_code'] }), 400, /JSON object/);
      assertError(await o311(server(), 'nothing.json'), 404);
      assertError(await o311(server(), 'services'), 404, /\.json or \.xml/);

      // JSON with the same names (attribute as an object) raises a topic as the form does.
      const json = await o311(server(), 'requests.json', {
        json: {
          service_code: `${wuxi}:parking`,
          lat: 31.5,
          long: 120.3,
          description: '小区里车位太少，晚上消防通道被占，救护车进不来，希望商量一个办法。',
          first_name: p.first,
          attribute: { contactWanted: 'no', consent: true, title: '消防通道被占' },
        },
      });
      assert.equal(json.status, 201, json.text);
      const id = (json.json as Array<{ service_request_id: string }>)[0]!.service_request_id;
      const read = ((await o311(server(), `requests/${id}.json?locale=en`)).json as Obj[])[0]!;
      assert.deepEqual([read.service_code, read.status, read.service_name], [`${wuxi}:parking`, 'open', 'Parking']);
    });
  },
  { clock: () => clock, trustProxy: true, logLevel: 'info', logStream: { write: (line: string) => void logLines.push(line) } },
);
