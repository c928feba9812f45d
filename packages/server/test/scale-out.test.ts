/**
 * Scale-out for real: 4 server processes (`dist/cli.js`) on one PostgreSQL (a schema of their
 * own in DATABASE_URL's database), behind nginx configured with the block of docs/server.md's
 * "Deploying for a city", 8 programmes.
 *
 * - Bursts: each new topic's submission is sent with the SAME Idempotency-Key to all four
 *   processes and twice through nginx at once; 409s (in flight) are retried elsewhere.
 * - Follow-up steps on every topic, topics interleaved in a shuffled order, each step to a random
 *   process with a simultaneous duplicate to another, and a late retry of the step before it
 *   (an old request arriving after a newer one).
 * - Right after each acknowledgement by process A, process B is asked for the topic's entries.
 * - A POST whose answer is lost after the commit, through nginx's `proxy_next_upstream …
 *   non_idempotent` retry to another process: one event.
 *
 * Proven: every acknowledged event is stored exactly once, with one seq whatever process
 * answered; every programme's log (and so every topic's) is in one order, the same from every
 * process and through nginx; seqs have no holes; no process holds state another needs.
 *
 * Needs the built server (`npm run build`; npm test does), DATABASE_URL and nginx (installed with
 * apt-get when root; HAProxy likewise for its case); skipped with the reason without them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_DIST, startCli, type Cli } from './cli-fixture.js';
import { pullAll } from './drill-fixture.js';
import { exampleConfig, PEOPLE, story, tokenFor, topicSubmission, TO_MEASURES } from './helpers.js';
import { freshSchema } from './pg-schema.js';
import { documentedBlock, documentedNginx, ensureHaproxy, ensureNginx, freePort, startHaproxy, startLossyHop, startNginx, type Nginx } from './proxy-fixture.js';

const PROCESSES = 4;
const PROGRAMMES = Array.from({ length: 8 }, (_, i) => `scale-${i + 1}`);
const TOPICS_PER_PROGRAMME = 4;
const STEPS = TO_MEASURES.slice(0, 3); // screening.accept, research.complete, meeting.schedule
const ADMIN = PEOPLE.admin.token;

const skip = !process.env.DATABASE_URL ? 'DATABASE_URL is not set: the scale-out test needs one PostgreSQL for its four processes' : ensureNginx();
if (skip) console.log(`scale-out test: SKIPPED — ${skip}`);
const noHaproxy = skip ? undefined : ensureHaproxy();
if (noHaproxy) console.log(`scale-out test, HAProxy: SKIPPED — ${noHaproxy}`);

interface Sent {
  status: number;
  seq?: number;
  body: string;
}

/** Tokens as the command reads them from CONSULT_TOKENS. */
const TOKENS_JSON = JSON.stringify(Object.fromEntries(Object.values(PEOPLE).map(({ token, ...p }) => [token, p])));

/** Every answer's status, counted (printed: how often the keys met in flight). */
const statuses = new Map<number, number>();

async function post(base: string, programme: string, body: { id: string }, token?: string): Promise<Sent> {
  const res = await fetch(`${base}/api/programmes/${programme}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': body.id, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const seq = res.status < 300 ? (JSON.parse(text) as { entry: { seq: number } }).entry.seq : undefined;
  return { status: res.status, ...(seq === undefined ? {} : { seq }), body: text };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

describe('4 processes behind nginx on one PostgreSQL', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'ck-scale-'));
  const processes: Cli[] = [];
  let backends: string[] = [];
  let proxy = '';
  let lossyProxy = '';
  let nginx: Nginx | undefined;
  let lossy: Awaited<ReturnType<typeof startLossyHop>> | undefined;
  let haproxy: Awaited<ReturnType<typeof startHaproxy>> | undefined;
  let haproxyUrl = '';
  let dropSchema: (() => Promise<void>) | undefined;
  /** key → every 2xx answer's seq, and how many 201s it had. */
  const acknowledged = new Map<string, { programme: string; topicId: string; seqs: Set<number>; created: number }>();
  /** What the client sent per key (to send it again). */
  const requests = new Map<string, { body: { id: string; topicId: string }; token: string | undefined }>();
  /** The client's order of acknowledged keys per topic. */
  const topicOrder = new Map<string, string[]>();

  before(async () => {
    assert.ok(existsSync(CLI_DIST), `the server is built (${CLI_DIST}): npm run build (npm test does)`);
    const seedDir = join(work, 'configs');
    mkdirSync(seedDir);
    for (const id of PROGRAMMES) writeFileSync(join(seedDir, `${id}.json`), exampleConfig('wuxi-community.json', (c) => (c.id = id)));
    const schema = await freshSchema(process.env.DATABASE_URL!, 'ck_scale');
    dropSchema = schema.drop;
    // All four start at once on the empty schema: migrations and seeding race, as under systemd.
    for (let i = 0; i < PROCESSES; i++) {
      processes.push(
        startCli({
          built: true,
          args: ['--port', '0', '--host', '127.0.0.1', '--seed', seedDir, '--log-level', 'warn', '--trust-proxy', '127.0.0.1', '--rate-limit', '1000000', '--resident-writes', '1000000', '--resident-address-writes', '1000000'],
          env: { DATABASE_URL: schema.url, CONSULT_TOKENS: TOKENS_JSON },
        }),
      );
    }
    backends = await Promise.all(processes.map((p) => p.url));
    lossy = await startLossyHop(Number(new URL(backends[0]!).port));

    const block = documentedNginx();
    const ports = [await freePort(), await freePort()];
    const upstream = (name: string, servers: string[]) => `upstream ${name} {\n${servers.map((s) => `    server ${s};`).join('\n')}\n    keepalive 32;\n}`;
    assert.match(block, /^upstream consult_kit \{[\s\S]*?\n\}/m);
    assert.match(block, /^\s*listen 8080;$/m);
    const main = block
      .replace(/^upstream consult_kit \{[\s\S]*?\n\}/m, upstream('consult_kit', backends.map((b) => `${new URL(b).host} max_fails=0`)))
      .replace(/^(\s*)listen 8080;$/m, `$1listen 127.0.0.1:${ports[0]};`);
    // The same server block on a second port, whose upstream loses the first answer: the hop in
    // front of process 1, then process 2 as the backup nginx retries on.
    const server = /^server \{[\s\S]*\n\}/m.exec(block)![0];
    const second = server.replace(/^(\s*)listen 8080;$/m, `$1listen 127.0.0.1:${ports[1]};`).replace('proxy_pass http://consult_kit;', 'proxy_pass http://lossy;');
    nginx = await startNginx([main, upstream('lossy', [`127.0.0.1:${lossy.port} max_fails=0`, `${new URL(backends[1]!).host} backup`]), second].join('\n'), ports);
    proxy = `http://127.0.0.1:${ports[0]}`;
    lossyProxy = `http://127.0.0.1:${ports[1]}`;

    if (!noHaproxy) {
      // The chapter's HAProxy config; its bind and server lines for this host: the lossy hop
      // first (without a health check, which it would fail), then processes 2–4.
      const config = documentedBlock('haproxy');
      assert.match(config, /^\s*bind :8080$/m);
      assert.match(config, /^\s*server s1 127\.0\.0\.1:8081 check$/m);
      const port = await freePort();
      const servers = [`    server s1 127.0.0.1:${lossy.port}`, ...backends.slice(1).map((b, i) => `    server s${i + 2} ${new URL(b).host} check`)].join('\n');
      const written = config
        .replace(/^(\s*)bind :8080$/m, `$1bind 127.0.0.1:${port}`)
        .replace(/(^\s*server s\d .*\n?)+/m, `${servers}\n`);
      haproxy = await startHaproxy(`global\n    maxconn 512\n\n${written}\n`, port);
      haproxyUrl = `http://127.0.0.1:${port}`;
    }
  });

  after(async () => {
    await nginx?.stop();
    await haproxy?.stop();
    await lossy?.close();
    for (const p of processes) {
      if (p.child.exitCode === null) p.child.kill('SIGTERM');
      assert.equal(await p.exited, 0, `a process stopped cleanly on SIGTERM:\n${p.output()}`);
    }
    await dropSchema?.();
    rmSync(work, { recursive: true, force: true });
  });

  /** Records a 2xx answer for a key. */
  function record(programme: string, topicId: string, key: string, sent: Sent): void {
    if (sent.status !== 200 && sent.status !== 201) return;
    const entry = acknowledged.get(key) ?? { programme, topicId, seqs: new Set<number>(), created: 0 };
    entry.seqs.add(sent.seq!);
    if (sent.status === 201) entry.created += 1;
    acknowledged.set(key, entry);
  }

  /** Sends until acknowledged: 409 (in flight) and 503 are retried on another process. */
  async function untilAcknowledged(programme: string, body: { id: string; topicId: string }, token: string | undefined, first: Sent): Promise<Sent> {
    let sent = first;
    for (let attempt = 0; sent.status === 409 || sent.status === 503; attempt++) {
      assert.ok(attempt < 200, `${body.id} acknowledged in the end (last: ${sent.status} ${sent.body})`);
      assert.ok(sent.status === 503 || /in-flight|in flight/i.test(sent.body), `a 409 means the key is in flight: ${sent.body}`);
      await new Promise((r) => setTimeout(r, 20));
      sent = await post(pick([...backends, proxy]), programme, body, token);
      record(programme, body.topicId, body.id, sent);
    }
    assert.ok(sent.status === 200 || sent.status === 201, `${body.id}: ${sent.status} ${sent.body}`);
    return sent;
  }

  it('bursts: the same key to every process at once is stored once, with one seq', async () => {
    const topics = PROGRAMMES.flatMap((programme) => Array.from({ length: TOPICS_PER_PROGRAMME }, () => ({ programme, body: topicSubmission() as { id: string; topicId: string } })));
    await Promise.all(
      shuffle(topics).map(async ({ programme, body }) => {
        const answers = await Promise.all([...backends, proxy, proxy].map((base) => post(base, programme, body)));
        for (const a of answers) record(programme, body.topicId, body.id, a);
        await Promise.all(answers.map((a) => untilAcknowledged(programme, body, undefined, a)));
        topicOrder.set(`${programme}/${body.topicId}`, [body.id]);
        requests.set(body.id, { body, token: undefined });
      }),
    );
    for (const [key, a] of acknowledged) {
      assert.equal(a.created, 1, `${key}: exactly one 201`);
      assert.equal(a.seqs.size, 1, `${key}: every answer names the same seq`);
    }
    assert.equal(acknowledged.size, PROGRAMMES.length * TOPICS_PER_PROGRAMME);
  });

  it('steps in order per topic, interleaved, duplicated, with late retries; each acknowledged entry is at once on another process', async () => {
    const steps = story();
    let lateRetries = 0;
    for (const stepKey of STEPS) {
      const template = steps.find((s) => s.key === stepKey)!.body;
      await Promise.all(
        shuffle([...topicOrder.keys()]).map(async (topicPath) => {
          const [programme, topicId] = topicPath.split('/') as [string, string];
          const body = { ...structuredClone(template), id: `e-${randomUUID()}`, topicId };
          const token = tokenFor(body.by);
          const [a, b] = shuffle([...backends]) as [string, string];
          const answers = await Promise.all([post(a, programme, body, token), post(b, programme, body, token)]);
          for (const sent of answers) record(programme, topicId, body.id, sent);
          const done = await Promise.all(answers.map((sent) => untilAcknowledged(programme, body, token, sent)));
          // Another process sees it at once: no state kept in the process that answered.
          const other = backends.find((x) => x !== a && x !== b)!;
          const seen = await fetch(`${other}/api/programmes/${programme}/topics/${topicId}/events`, { headers: { authorization: `Bearer ${ADMIN}` } });
          const page = (await seen.json()) as { entries: Array<{ id: string; seq: number }> };
          assert.ok(page.entries.some((e) => e.id === body.id && e.seq === done[0]!.seq), `${body.id} visible on another process right after its 201`);
          // The previous step's request arriving again, late, at yet another process: its first answer.
          const order = topicOrder.get(topicPath)!;
          const previous = order.at(-1)!;
          const again = requests.get(previous)!;
          const late = await post(pick(backends), programme, again.body, again.token);
          assert.equal(late.status, 200, `a late retry of ${previous} is answered from its key: ${late.body}`);
          record(programme, topicId, previous, late);
          lateRetries += 1;
          order.push(body.id);
          requests.set(body.id, { body, token });
        }),
      );
    }
    for (const [key, a] of acknowledged) {
      assert.equal(a.created, 1, `${key}: exactly one 201`);
      assert.equal(a.seqs.size, 1, `${key}: every answer names the same seq`);
    }
    assert.equal(lateRetries, STEPS.length * topicOrder.size);
  });

  it("a POST whose answer is lost after its commit, retried by nginx's proxy_next_upstream non_idempotent on another process: one event", async () => {
    const programme = PROGRAMMES[0]!;
    for (let i = 0; i < 3; i++) {
      const body = topicSubmission() as { id: string; topicId: string };
      const before = lossy!.answers.length;
      const sent = await post(lossyProxy, programme, body);
      assert.equal(lossy!.answers.length, before + 1, 'process 1 answered and the answer was lost');
      assert.match(lossy!.answers.at(-1)!, /^HTTP\/1\.1 201 /, 'process 1 had stored it (201) before the retry');
      assert.equal(sent.status, 200, `nginx retried on process 2, which answered from the key: ${sent.body}`);
      const first = JSON.parse(lossy!.answers.at(-1)!.split('\r\n\r\n')[1]!) as { entry: { seq: number } };
      assert.equal(sent.seq, first.entry.seq, 'the same entry');
      record(programme, body.topicId, body.id, { status: 201, seq: first.entry.seq, body: '' });
      record(programme, body.topicId, body.id, sent);
      topicOrder.set(`${programme}/${body.topicId}`, [body.id]);
    }
    assert.match(nginx!.errors(), /upstream prematurely closed connection/, 'nginx saw the lost answer');
  });

  it("HAProxy with the chapter's config: answers lost after the commit are retried on another server (retry-on), one event each", { skip: noHaproxy }, async () => {
    const programme = PROGRAMMES[1]!;
    const before = lossy!.answers.length;
    let replays = 0;
    for (let i = 0; i < 8; i++) {
      const body = topicSubmission() as { id: string; topicId: string };
      const hopAnswers = lossy!.answers.length;
      const sent = await post(haproxyUrl, programme, body);
      assert.ok(sent.status === 201 || sent.status === 200, `through HAProxy: ${sent.status} ${sent.body}\n${haproxy!.output()}`);
      if (lossy!.answers.length > hopAnswers) {
        // Process 1 stored it and its answer was lost: HAProxy's retry got the stored entry.
        const first = JSON.parse(lossy!.answers.at(-1)!.split('\r\n\r\n')[1]!) as { entry: { seq: number } };
        assert.equal(sent.status, 200, 'the retry is answered from the key');
        assert.equal(sent.seq, first.entry.seq);
        record(programme, body.topicId, body.id, { status: 201, seq: first.entry.seq, body: '' });
        replays += 1;
      }
      record(programme, body.topicId, body.id, sent);
      topicOrder.set(`${programme}/${body.topicId}`, [body.id]);
    }
    assert.ok(lossy!.answers.length > before && replays > 0, 'round robin sent some through the lossy hop');
  });

  it('every process (and nginx) shows each programme the same log: every acknowledged key once, seqs 1…n, each topic in the order its client sent', async () => {
    for (const programme of PROGRAMMES) {
      const logs = await Promise.all([...backends, proxy].map((base) => pullAll(base, programme, ADMIN, 37)));
      const summary = (log: Array<Record<string, unknown>>) => log.map((e) => `${e.seq as number} ${e.id as string} ${e.topicId as string}`);
      for (const log of logs.slice(1)) assert.deepEqual(summary(log), summary(logs[0]!), `${programme}: the same log from every process`);
      const log = logs[0]!;
      assert.deepEqual(log.map((e) => e.seq), log.map((_, i) => i + 1), `${programme}: seqs without holes`);
      const keys = log.map((e) => e.id as string);
      assert.equal(new Set(keys).size, keys.length, `${programme}: no key twice`);
      const expected = [...acknowledged].filter(([, a]) => a.programme === programme);
      assert.deepEqual(keys.slice().sort(), expected.map(([k]) => k).sort(), `${programme}: exactly the acknowledged keys`);
      for (const [key, a] of expected) assert.equal(log.find((e) => e.id === key)!.seq, [...a.seqs][0], `${key}: stored at the seq its answers named`);
      for (const [topicPath, order] of topicOrder) {
        if (!topicPath.startsWith(`${programme}/`)) continue;
        const topicId = topicPath.slice(programme.length + 1);
        assert.deepEqual(log.filter((e) => e.topicId === topicId).map((e) => e.id), order, `${topicPath}: in the order its client sent`);
      }
    }
    console.log(`scale-out: ${acknowledged.size} acknowledged events on ${PROCESSES} processes × ${PROGRAMMES.length} programmes, each stored once; answers ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(', ')}`);
    assert.ok((statuses.get(409) ?? 0) > 0 || (statuses.get(200) ?? 0) > acknowledged.size, 'the bursts did meet keys in flight or answered');
  });
});
