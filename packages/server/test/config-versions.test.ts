/**
 * Versioned publishing (issue 19, point 6, and its "Bad input"): an admin publishes a new config
 * version with `PUT /programmes/{id}/config` under `If-Match`; the server keeps every version; a
 * running topic keeps the version it started under (it accepts what that lifecycle allows and is
 * refused what it refuses) while new topics follow the latest; figures and the topic index
 * replay both. Every answer is checked against the contract.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, migrationFiles, MIGRATIONS_DIR } from '../src/db/migrate.js';
import { openPglite } from '../src/db/pglite.js';
import { CONFIG_VERSION_HEADER, upsertProgramme } from '../src/programmes.js';
import { rebuildIndex } from '../src/topic-index.js';
import { append, call, exampleConfig, PATHS, PEOPLE, perDatabase, pgliteTemplate, serve, story, type Answer, type TestServer } from './helpers.js';

type Obj = Record<string, unknown>;

const VERSIONS = '/programmes/{programmeId}/config/versions';
const VERSION = '/programmes/{programmeId}/config/versions/{version}';
const TOPICS = '/programmes/{programmeId}/topics';
const PORTAL = 'https://portal.example.gov.cn';

/** The Wuxi example under a fresh id, changed by `change`. */
const wuxiText = (id: string, change: (config: Obj) => void = () => {}): string =>
  exampleConfig('wuxi-community.json', (c) => {
    c.id = id;
    change(c);
  });

/** The Wuxi lifecycle without its research step: accepted topics go straight to the meeting. */
const withoutResearch = (c: Obj): void => {
  c.steps = (c.steps as Obj[]).filter((s) => s.type !== 'research');
  c.version = '2.0.0';
};

/** `PUT …/config` as an admin (unless `token` says otherwise), checked against the contract. */
function put(server: TestServer, id: string, text: string, headers: Record<string, string> = {}, token: string | null = PEOPLE.admin.token): Promise<Answer> {
  return call(server, `/api/programmes/${id}/config`, {
    method: 'PUT',
    rawBody: text,
    key: null,
    headers: { 'content-type': 'application/json', ...headers },
    template: PATHS.config,
    ...(token ? { token } : {}),
  });
}

/** The current ETag and version of a programme's config. */
async function current(server: TestServer, id: string): Promise<{ etag: string; version: number; text: string }> {
  const res = await call(server, `/api/programmes/${id}/config`, { template: PATHS.config });
  assert.equal(res.status, 200, res.text);
  return { etag: res.headers.get('etag')!, version: Number(res.headers.get(CONFIG_VERSION_HEADER)), text: res.text };
}

perDatabase('versioned config publishing', ({ db, server }) => {
  const steps = story().filter((s) => !s.alternative);
  /** A story step (by key) for a topic, with a fresh entry id. */
  const step = (key: string, topicId: string): Obj => {
    const { body } = steps.find((s) => s.key === key)!;
    return { ...structuredClone(body), id: `${key}-${randomUUID()}`, topicId };
  };

  const created = async (change?: (c: Obj) => void): Promise<string> => {
    const id = `wuxi-${randomUUID().slice(0, 8)}`;
    const res = await put(server(), id, wuxiText(id, change), { 'if-none-match': '*' });
    assert.equal(res.status, 201, res.text);
    return id;
  };

  it('GET config says which version it sends (Consult-Config-Version, exposed to CORS), on the 304 too', async () => {
    const id = await created();
    const res = await call(server(), `/api/programmes/${id}/config`, { template: PATHS.config, headers: { origin: PORTAL } });
    assert.equal(res.headers.get(CONFIG_VERSION_HEADER), '1');
    assert.ok(res.headers.get('access-control-expose-headers')!.split(/,\s*/).includes(CONFIG_VERSION_HEADER));
    const again = await call(server(), `/api/programmes/${id}/config`, { template: PATHS.config, headers: { 'if-none-match': res.headers.get('etag')! } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get(CONFIG_VERSION_HEADER), '1');
  });

  it('creates with If-None-Match: * (201, stored byte for byte), and refuses to create twice (412 programme-exists)', async () => {
    const id = `wuxi-${randomUUID().slice(0, 8)}`;
    const text = `${wuxiText(id)}\n\n`; // trailing blank lines: stored exactly as sent
    const res = await put(server(), id, text, { 'if-none-match': '*' });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, { id, version: 1, etag: res.headers.get('etag') });
    assert.equal(res.headers.get(CONFIG_VERSION_HEADER), '1');
    assert.equal((await current(server(), id)).text, text);
    const twice = await put(server(), id, text, { 'if-none-match': '*' });
    assert.equal(twice.status, 412);
    assert.equal(twice.body?.type, '/problems/programme-exists');
    assert.equal(twice.body?.currentVersion, 1);
  });

  it('publishes a new version under the current If-Match: 200 {id, version, etag}, the new ETag and version headers', async () => {
    const id = await created();
    const before = await current(server(), id);
    const text = wuxiText(id, (c) => (c.version = '1.1.0'));
    const res = await put(server(), id, text, { 'if-match': before.etag });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body?.version, 2);
    assert.notEqual(res.body?.etag, before.etag);
    assert.equal(res.headers.get('etag'), res.body?.etag);
    assert.equal(res.headers.get(CONFIG_VERSION_HEADER), '2');
    const after = await current(server(), id);
    assert.deepEqual([after.version, after.etag, after.text], [2, res.body?.etag, text]);
  });

  it('the same text as the current version publishes nothing: 200 with the current version', async () => {
    const id = await created();
    const before = await current(server(), id);
    const res = await put(server(), id, before.text, { 'if-match': before.etag });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id, version: 1, etag: before.etag });
    const list = await call(server(), `/api/programmes/${id}/config/versions`, { template: VERSIONS });
    assert.equal((list.body?.versions as Obj[]).length, 1);
  });

  it('without If-Match is 428 precondition-required; a stale one is 412 config-changed saying who is current, and nothing changes', async () => {
    const id = await created();
    const v1 = await current(server(), id);
    const none = await put(server(), id, wuxiText(id, (c) => (c.version = '1.0.1')));
    assert.equal(none.status, 428);
    assert.equal(none.body?.type, '/problems/precondition-required');
    const first = await put(server(), id, wuxiText(id, (c) => (c.version = '1.0.2')), { 'if-match': v1.etag });
    assert.equal(first.status, 200);
    // A second editor who loaded v1 publishes after the first one did.
    const stale = await put(server(), id, wuxiText(id, (c) => (c.version = '1.0.3')), { 'if-match': v1.etag });
    assert.equal(stale.status, 412);
    assert.equal(stale.body?.type, '/problems/config-changed');
    assert.equal(stale.body?.currentEtag, first.body?.etag);
    assert.equal(stale.body?.currentVersion, 2);
    assert.match(String(stale.body?.detail), /published version 2 .*meanwhile; reload/);
    assert.equal((await current(server(), id)).version, 2);
  });

  it('publishes with the same If-Match at once, through two servers on one database: exactly one wins, the others get 412', async () => {
    const id = await created();
    const v1 = await current(server(), id);
    const other = await serve(db());
    let answers: Answer[];
    try {
      answers = await Promise.all(
        ['2.0.0', '2.0.1', '2.0.2', '2.0.3'].map((version, i) => put(i % 2 ? other : server(), id, wuxiText(id, (c) => (c.version = version)), { 'if-match': v1.etag })),
      );
    } finally {
      await other.close();
    }
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 412, 412, 412]);
    const winner = answers.find((a) => a.status === 200)!;
    for (const lost of answers.filter((a) => a.status === 412)) assert.equal(lost.body?.currentEtag, winner.body?.etag);
    const list = await call(server(), `/api/programmes/${id}/config/versions`, { template: VERSIONS });
    assert.deepEqual((list.body?.versions as Obj[]).map((v) => v.version), [2, 1]);
  });

  it('a config the checker refuses is 422 invalid-config with every fault and its pointer, and the id must be the path\'s', async () => {
    const id = await created();
    const { etag } = await current(server(), id);
    const broken = wuxiText('someone-else', (c) => {
      const form = c.form as { pages: { fields: Obj[] }[] };
      // 50 fields of a type nobody knows: 50 faults, each with its pointer.
      form.pages[0]!.fields = Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, type: 'hologram', label: { 'zh-CN': '字段', en: 'Field' } }));
    });
    const res = await put(server(), id, broken, { 'if-match': etag });
    assert.equal(res.status, 422);
    assert.equal(res.body?.type, '/problems/invalid-config');
    const errors = res.body?.errors as { pointer: string; code: string; message: string }[];
    assert.ok(errors.some((e) => e.pointer === '/id' && e.code === 'id-mismatch'), 'the id that is not the path\'s');
    const typed = new Set(errors.filter((e) => /^\/form\/pages\/0\/fields\/\d+\/type$/.test(e.pointer)).map((e) => e.pointer));
    assert.equal(typed.size, 50, 'each unknown field type is listed');
    assert.equal((await current(server(), id)).version, 1, 'nothing was published');
  });

  it('a body that is not JSON is 400 malformed-json; not application/json is 415', async () => {
    const id = await created();
    const { etag } = await current(server(), id);
    const res = await put(server(), id, '{"id": "x",', { 'if-match': etag });
    assert.equal(res.status, 400);
    assert.equal(res.body?.type, '/problems/malformed-json');
    const form = await put(server(), id, 'id=x', { 'if-match': etag, 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
  });

  it('only admins publish: 401 without a token (with WWW-Authenticate), 403 for a convener', async () => {
    const id = await created();
    const { etag, text } = await current(server(), id);
    const anonymous = await put(server(), id, text, { 'if-match': etag }, null);
    assert.equal(anonymous.status, 401);
    assert.ok(anonymous.headers.get('www-authenticate'));
    const convener = await put(server(), id, text, { 'if-match': etag }, PEOPLE.convener.token);
    assert.equal(convener.status, 403);
    assert.equal(convener.body?.type, '/problems/forbidden');
  });

  it('keeps every version: the list newest first (who published only for admins), each version\'s exact text with its ETag', async () => {
    const id = await created();
    const v1 = await current(server(), id);
    const text2 = wuxiText(id, (c) => (c.version = '1.2.0'));
    const v2 = await put(server(), id, text2, { 'if-match': v1.etag });
    const admin = await call(server(), `/api/programmes/${id}/config/versions`, { template: VERSIONS, token: PEOPLE.admin.token });
    const versions = admin.body?.versions as Obj[];
    assert.deepEqual(versions.map((v) => [v.version, v.etag, v.configVersion, v.publishedBy]), [
      [2, v2.body?.etag, '1.2.0', PEOPLE.admin.id],
      [1, v1.etag, '1.0.0', PEOPLE.admin.id],
    ]);
    assert.ok(versions.every((v) => !Number.isNaN(Date.parse(String(v.publishedAt)))));
    const anyone = await call(server(), `/api/programmes/${id}/config/versions`, { template: VERSIONS });
    assert.ok((anyone.body?.versions as Obj[]).every((v) => !('publishedBy' in v)), 'no actor ids for the public');
    const old = await call(server(), `/api/programmes/${id}/config/versions/1`, { template: VERSION });
    assert.equal(old.text, v1.text);
    assert.equal(old.headers.get('etag'), v1.etag);
    assert.equal(old.headers.get(CONFIG_VERSION_HEADER), '1');
    for (const missing of ['3', '0', 'latest']) {
      const res = await call(server(), `/api/programmes/${id}/config/versions/${missing}`, { template: missing === '3' ? VERSION : undefined });
      assert.equal(res.status, 404, missing);
      assert.equal(res.body?.type, '/problems/unknown-config-version');
    }
  });

  it('seeding a changed file adds a version; the same file again adds none', async () => {
    const id = `wuxi-${randomUUID().slice(0, 8)}`;
    const first = await upsertProgramme(db(), wuxiText(id));
    const again = await upsertProgramme(db(), wuxiText(id));
    assert.ok(first.ok && again.ok);
    assert.deepEqual([first.version, again.version, again.etag], [1, 1, first.etag]);
    const changed = await upsertProgramme(db(), wuxiText(id, (c) => (c.version = '1.0.9')));
    assert.equal(changed.ok && changed.version, 2);
    const list = await call(server(), `/api/programmes/${id}/config/versions`, { template: VERSIONS, token: PEOPLE.admin.token });
    assert.deepEqual((list.body?.versions as Obj[]).map((v) => [v.version, 'publishedBy' in v]), [[2, false], [1, false]]);
  });

  it('a running topic keeps the lifecycle it started under; a new topic follows the latest; figures and the index replay both', async () => {
    const id = await created();
    const old = `tp-old-${randomUUID()}`;
    const young = `tp-new-${randomUUID()}`;
    assert.equal((await append(server(), id, step('topicSubmit', old))).status, 201);
    // v2: no research step.
    const v1 = await current(server(), id);
    assert.equal((await put(server(), id, wuxiText(id, withoutResearch), { 'if-match': v1.etag })).status, 200);
    assert.equal((await append(server(), id, step('topicSubmit', young))).status, 201);
    for (const topic of [old, young]) assert.equal((await append(server(), id, step('screeningAccept', topic))).status, 201);

    // The old topic, under v1: a meeting cannot be scheduled before the research is done…
    const early = await append(server(), id, step('meetingSchedule', old));
    assert.equal(early.status, 422, early.text);
    assert.equal((early.body?.refusal as Obj).state, 'research');
    // …and the research is accepted.
    assert.equal((await append(server(), id, step('researchComplete', old))).status, 201);
    // The new topic, under v2: there is no research to complete; the meeting is next.
    const research = await append(server(), id, step('researchComplete', young));
    assert.equal(research.status, 422, research.text);
    assert.equal((await append(server(), id, step('meetingSchedule', young))).status, 201);
    assert.equal((await append(server(), id, step('meetingSchedule', old))).status, 201);

    // A client that replays the log itself learns each topic's version from the pull.
    const pulled = await call(server(), `/api/programmes/${id}/events`, { template: PATHS.events });
    assert.deepEqual(pulled.body?.configVersions, { [old]: 1, [young]: 2 });

    const figures = await call(server(), `/api/programmes/${id}/figures`, { template: PATHS.figures });
    assert.equal(figures.body?.topicsRaised, 2);
    assert.deepEqual(figures.body?.topicsByStage, { meeting: 2 });

    // The index, caught up and rebuilt from nothing, replays each topic with its own version.
    for (const rebuild of [false, true]) {
      if (rebuild) await rebuildIndex(db(), id);
      const page = await call(server(), `/api/programmes/${id}/topics`, { template: TOPICS });
      const states = Object.fromEntries((page.body?.items as Obj[]).map((t) => [t.topicId, t.state]));
      assert.equal(states[old], states[young], 'both scheduled a meeting');
      assert.match(String(states[old]), /^meeting/);
      assert.equal(page.body?.total, 2);
    }
  });

  it('after a publish that turns research off, the old topic still replays all the way (its log is never refused)', async () => {
    const id = await created();
    const topic = `tp-${randomUUID()}`;
    for (const key of ['topicSubmit', 'screeningAccept', 'researchComplete']) assert.equal((await append(server(), id, step(key, topic))).status, 201);
    const v1 = await current(server(), id);
    assert.equal((await put(server(), id, wuxiText(id, withoutResearch), { 'if-match': v1.etag })).status, 200);
    const figures = await call(server(), `/api/programmes/${id}/figures`, { template: PATHS.figures });
    assert.deepEqual(figures.body?.topicsByStage, { meeting: 1 }, 'research.complete still counts under v1');
    const page = await call(server(), `/api/programmes/${id}/topics`, { template: TOPICS });
    assert.match(String((page.body?.items as Obj[])[0]?.state), /^meeting/);
  });
});

describe('migration 007 on a database that has programmes and topics', () => {
  it('backfills version 1 from each programme and records every topic in its log under it', async () => {
    const before = mkdtempSync(join(tmpdir(), 'migrations-'));
    const db = await openPglite({ loadDataDir: await pgliteTemplate() });
    try {
      for (const name of migrationFiles().filter((n) => n < '007')) copyFileSync(join(MIGRATIONS_DIR, name), join(before, name));
      await migrate(db, before);
      const text = wuxiText('old-programme');
      await db.query(`insert into programme (id, config, etag, last_seq) values ('old-programme', $1, '"sha256-old"', 2)`, [text]);
      for (const [seq, topic] of [[1, 'tp-a'], [2, 'tp-b']] as const) {
        await db.query(
          `insert into log_entry (programme_id, seq, id, topic_id, event, by_actor, at, fingerprint) values ('old-programme', $1, $2, $3, '{"type":"topic.submit"}', '{"role":"resident"}', '2026-03-02T09:15:00+08:00', 'f')`,
          [seq, `e-${seq}`, topic],
        );
      }
      assert.deepEqual(await migrate(db), migrationFiles().filter((n) => n >= '007'), 'every migration from 007 on runs');
      const versions = await db.query('select programme_id, version, config, etag, published_by from config_version');
      assert.deepEqual(versions, [{ programme_id: 'old-programme', version: 1, config: text, etag: '"sha256-old"', published_by: null }]);
      assert.deepEqual(await db.query('select version from programme'), [{ version: 1 }]);
      assert.deepEqual(await db.query('select topic_id, version from topic_version order by topic_id'), [
        { topic_id: 'tp-a', version: 1 },
        { topic_id: 'tp-b', version: 1 },
      ]);
    } finally {
      await db.close();
      rmSync(before, { recursive: true, force: true });
    }
  });
});
