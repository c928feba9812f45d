/**
 * The store against the reference server (packages/server on PGlite, its default options:
 * redacted pulls, follow codes), in real Chromium with real IndexedDB. Two devices are two
 * browser contexts (each its own IndexedDB), on a portal origin the server allows by CORS:
 *
 * - a resident raises a topic on their phone: it is in "my topics" with the follow code the
 *   server answered, and the phone keeps the phone number they typed while the server's log
 *   holds it redacted;
 * - staff accept it; the phone, pulling only that topic, shows the step;
 * - a second device adds the topic by its code (typed in lower case with spaces): it sees the
 *   same state, and none of the resident's personal values reach it;
 * - the second device withdraws another topic by its code (`Follow-Code`), and the server
 *   stamps the withdrawal as done by that code;
 * - after an admin erases a topic's personal data its code is revoked: following it says so,
 *   and acting with it becomes a conflict with that reason;
 * - a wrong code is `not-found`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Db } from '../../server/src/db/db.js';
import { call, DATABASES, PEOPLE, serve, wuxiProgramme, type TestServer } from '../../server/test/helpers.js';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/ensure-chromium.mjs';
import { pageBundle, portal } from './portal-page.js';

const CHROMIUM = findChromium() ?? '/usr/bin/chromium';

type Obj = Record<string, unknown>;
interface Ck {
  open(options: { endpoint: string; config: Obj; dbName: string; pullScope: 'programme' | 'followed' }): Promise<void>;
  append(topicId: string, event: Obj): Promise<{ ok: boolean; code?: string; message?: string }>;
  settled(timeoutMs?: number): Promise<boolean>;
  follow(code: string): Promise<{ ok: boolean; topicId?: string; reason?: string }>;
  refresh(topicId: string): Promise<void>;
  sync(): Promise<void>;
  followed(): Array<{ topicId: string; followCode?: string; raisedHere: boolean; pulledAt?: string }>;
  state(topicId: string): string | null;
  topicIds(): string[];
  log(): Array<Obj & { topicId: string; event: Obj; by: Obj; redacted?: string[] }>;
  status(): Obj;
  conflicts(): Array<{ id: string; type: string; conflict?: { status: number; reason?: string } }>;
}

let clock = Date.parse('2026-05-10T01:00:00Z');
const at = () => new Date((clock += 60_000)).toISOString();

/** A resident's topic on the Wuxi form, with every personal value unique to it. */
function submission(title: string, name: string, phone: string): Obj {
  return {
    type: 'topic.submit',
    values: {
      title,
      description: `${title}：楼里老人多，晚上出门很不方便，希望社区尽快协调解决。`,
      category: 'lift',
      name,
      contactWanted: 'yes',
      phone,
      consent: true,
    },
    source: 'resident',
    by: { role: 'resident' },
    at: at(),
  };
}

describe('the store against the reference server: residents follow their topic', { timeout: 120_000 }, () => {
  let db: Db;
  let api: TestServer;
  let site: { url: string; server: Server };
  let browser: Browser;
  let programmeId: string;
  let config: Obj;
  const pageErrors: string[] = [];

  /** A device: its own browser context (own IndexedDB), the store opened on the programme. */
  async function device(label: string, pullScope: 'programme' | 'followed' = 'followed'): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${label}: ${e.message}`));
    await page.goto(site.url);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    await page.evaluate((o) => (window as unknown as { ck: Ck }).ck.open(o), { endpoint: `${api.url}/api`, config, dbName: `real-${label}`, pullScope });
    return page;
  }
  /** Calls `window.ck[method](...args)` in a device's page. */
  const ck = <M extends keyof Ck>(page: Page, method: M, ...args: Parameters<Ck[M]>): Promise<Awaited<ReturnType<Ck[M]>>> =>
    page.evaluate(
      ([m, a]) => ((window as unknown as { ck: Record<string, (...x: unknown[]) => unknown> }).ck[m]!(...a)),
      [method, args] as [string, unknown[]],
    ) as Promise<Awaited<ReturnType<Ck[M]>>>;

  before(async () => {
    site = await portal(await pageBundle(join(import.meta.dirname, 'real-server/page.ts')), 'portal');
    db = await DATABASES[0]!.open();
    api = await serve(db, { corsOrigins: [site.url] });
    programmeId = await wuxiProgramme(db, (c) => {
      c.transport = { type: 'http', endpoint: '/api' };
    });
    config = (await call(api, `/api/programmes/${programmeId}/config`)).body!;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await api?.close();
    await db?.close();
    await new Promise((resolve) => site?.server.close(resolve));
  });

  it('raise on one phone, follow on another by code, withdraw by code, and a revoked code says so', async () => {
    const phone = await device('phone');
    const raised = await ck(phone, 'append', 't-lift', submission('三号楼加装电梯', '陈阿姨', '13811112222'));
    assert.equal(raised.ok, true, JSON.stringify(raised));
    assert.equal(await ck(phone, 'settled'), true, 'the topic was sent');
    const [mine] = await ck(phone, 'followed');
    assert.equal(mine?.topicId, 't-lift');
    assert.equal(mine?.raisedHere, true);
    assert.match(mine?.followCode ?? '', /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/, 'the server’s follow code, formatted');
    const ownLog = await ck(phone, 'log');
    assert.equal((ownLog[0]!.event.values as Obj).phone, '13811112222', 'the phone keeps what the resident typed');

    // The server's public log holds it redacted.
    const publicLog = await call(api, `/api/programmes/${programmeId}/events`);
    assert.equal(publicLog.status, 200);
    assert.ok(!publicLog.text.includes('13811112222') && !publicLog.text.includes('陈阿姨'), 'no personal value in the public log');

    // Staff accept; the phone pulls only its topic and shows the step.
    const accepted = await call(api, `/api/programmes/${programmeId}/events`, {
      token: PEOPLE.convener.token,
      body: { id: 'e-accept-lift', topicId: 't-lift', event: { type: 'screening.accept' }, by: { role: 'convener', id: PEOPLE.convener.id }, at: at() },
    });
    assert.equal(accepted.status, 201, accepted.text);
    await ck(phone, 'sync');
    const afterAccept = await ck(phone, 'state', 't-lift');
    assert.notEqual(afterAccept, 'screening');
    assert.ok(afterAccept, 'the topic is there');

    // A second device adds it by the code, read out over the phone.
    const tablet = await device('tablet');
    const typed = mine!.followCode!.toLowerCase().replace(/-/g, ' ');
    const followed = await ck(tablet, 'follow', typed);
    assert.deepEqual(followed, { ok: true, topicId: 't-lift' });
    assert.equal(await ck(tablet, 'state', 't-lift'), afterAccept, 'the same state on both devices');
    const tabletList = await ck(tablet, 'followed');
    assert.equal(tabletList[0]?.raisedHere, false);
    assert.equal(tabletList[0]?.followCode, mine!.followCode);
    assert.ok(tabletList[0]?.pulledAt, 'says when it was last updated');
    const tabletLog = JSON.stringify(await ck(tablet, 'log'));
    assert.ok(!tabletLog.includes('13811112222') && !tabletLog.includes('陈阿姨'), 'no personal value reaches the second device');

    // A wrong code.
    assert.deepEqual(await ck(tablet, 'follow', 'K7QM-3XPA-9DRT'), { ok: false, reason: 'not-found' });

    // Another topic, still in screening: the second device withdraws it by its code.
    assert.equal((await ck(phone, 'append', 't-lamp', submission('楼道路灯不亮', '李伯伯', '13933334444'))).ok, true);
    assert.equal(await ck(phone, 'settled'), true);
    const lampCode = (await ck(phone, 'followed')).find((f) => f.topicId === 't-lamp')?.followCode;
    assert.ok(lampCode);
    assert.equal((await ck(tablet, 'follow', lampCode)).ok, true);
    const withdrawn = await ck(tablet, 'append', 't-lamp', { type: 'topic.withdraw', reason: '已经修好了', by: { role: 'resident' }, at: at() });
    assert.equal(withdrawn.ok, true, JSON.stringify(withdrawn));
    assert.equal(await ck(tablet, 'settled'), true);
    assert.deepEqual(await ck(tablet, 'conflicts'), []);
    assert.equal(await ck(tablet, 'state', 't-lamp'), 'withdrawn');
    const lampLog = await call(api, `/api/programmes/${programmeId}/topics/t-lamp/events`);
    const withdrawal = (lampLog.body!.entries as Array<{ event: Obj; by: Obj }>).find((e) => e.event.type === 'topic.withdraw');
    assert.match(String(withdrawal?.by.id), /^follow:[0-9a-f]{16}$/, 'stamped as done by the code');
    await ck(phone, 'sync');
    assert.equal(await ck(phone, 'state', 't-lamp'), 'withdrawn', 'the phone that raised it sees the withdrawal');

    // A third topic; an admin erases its personal data, which revokes its code.
    assert.equal((await ck(phone, 'append', 't-bench', submission('花园里添几张长椅', '王奶奶', '13655556666'))).ok, true);
    assert.equal(await ck(phone, 'settled'), true);
    const benchCode = (await ck(phone, 'followed')).find((f) => f.topicId === 't-bench')?.followCode;
    assert.ok(benchCode);
    const erased = await call(api, `/api/programmes/${programmeId}/erasures`, { token: PEOPLE.admin.token, body: { topicId: 't-bench' }, key: null });
    assert.equal(erased.status, 200, erased.text);
    assert.deepEqual(await ck(tablet, 'follow', benchCode), { ok: false, reason: 'revoked' });
    // The phone still holds the code: acting with it now is a conflict that says why.
    assert.equal((await ck(phone, 'append', 't-bench', { type: 'topic.withdraw', by: { role: 'resident' }, at: at() })).ok, true);
    assert.equal(await ck(phone, 'settled'), true, 'not retried in a loop');
    const [conflict] = await ck(phone, 'conflicts');
    assert.equal(conflict?.type, 'topic.withdraw');
    assert.equal(conflict?.conflict?.status, 403);
    assert.equal(conflict?.conflict?.reason, 'follow-code-revoked');

    assert.deepEqual(pageErrors, []);
  });
});
