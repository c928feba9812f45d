/**
 * The staff desk as a new user finds it (issue 16 point 9), against the reference server
 * (packages/server on PGlite, its token table of test people), in real Chromium with real
 * IndexedDB. `<consult-workflow>` is bundled from the sources onto a portal page of its own
 * origin (staff-desk/page.ts); its token is a function the test can change under the desk, as a
 * portal's own login would.
 *
 * - `not-a-token` never gets a desk: the panel says signed out, with the server's reason, and
 *   the page hears `consult-sign-in-required`; the right token then gets "signed in as 张丽华".
 * - A department's token acting as a convener: the refusal is listed with its reason in zh-CN
 *   and in en (the server's English words only as secondary text in en); Retry (after the
 *   right sign-in) sends it, named by the signed-in convener in the server's log; Discard
 *   removes it and the desk shows the server's state again. Driven with the keyboard.
 * - The sync line tells the truth: never "saved on this device" while online and sending;
 *   "saved on this device" while offline, and while the server cannot be reached; "sent" after.
 * - A 401 mid-session keeps the action on this device and shows signed out; after signing in
 *   again it is sent.
 * - The panels and the list of refused actions are axe clean.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Db } from '../../server/src/db/db.js';
import { call, DATABASES, PEOPLE, serve, topicSubmission, wuxiProgramme, type TestServer } from '../../server/test/helpers.js';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/ensure-chromium.mjs';
import { pageBundle, portal } from '../../store/test/portal-page.js';
import { assertAxeClean } from './a11y-page.js';

const CHROMIUM = findChromium() ?? '/usr/bin/chromium';

type Obj = Record<string, unknown>;
interface DeskWindow {
  desk: { token: string | undefined; signInRequired: Array<{ reason: string; detail?: string; pending: number }>; syncTexts: string[] };
}

const squash = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

describe('the staff desk on the reference server: who is signed in, refused actions, truthful sync status', { timeout: 180_000 }, () => {
  let db: Db;
  let api: TestServer;
  let site: { url: string; server: Server };
  let browser: Browser;
  let programmeId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let n = 0;

  /** A resident raises a topic (with their token), straight to the server. */
  async function raise(title: string): Promise<string> {
    const topicId = `t-desk-${(n += 1)}`;
    const body = topicSubmission(topicId, `e-desk-${n}`) as Obj;
    (body.event as { values: Obj }).values.title = title;
    const res = await call(api, `/api/programmes/${programmeId}/events`, { token: PEOPLE.resident.token, body });
    assert.equal(res.status, 201, res.text);
    return topicId;
  }

  /** The server's log of one topic, as staff pull it. */
  async function serverLog(topicId: string): Promise<Array<{ event: Obj; by: Obj }>> {
    const res = await call(api, `/api/programmes/${programmeId}/topics/${topicId}/events`, { token: PEOPLE.admin.token });
    assert.equal(res.status, 200, res.text);
    return res.body!.entries as Array<{ event: Obj; by: Obj }>;
  }

  /** A staff page of its own (its own IndexedDB). */
  async function desk(options: { role?: string; lang?: string; token?: string } = {}): Promise<{ page: Page; context: BrowserContext; wf: Locator }> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const query = new URLSearchParams({
      endpoint: `${api.url}/api`,
      programme: programmeId,
      db: `desk-${(n += 1)}`,
      role: options.role ?? 'convener',
      lang: options.lang ?? 'zh-CN',
      ...(options.token ? { token: options.token } : {}),
    });
    await page.goto(`${site.url}/?${query}`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    return { page, context, wf: page.locator('consult-workflow') };
  }

  const setToken = (page: Page, token: string | undefined) => page.evaluate((t) => void ((window as unknown as DeskWindow).desk.token = t), token);
  const heard = (page: Page) => page.evaluate(() => (window as unknown as DeskWindow).desk);

  /** Waits until the element's shadow text contains `words`. */
  async function shows(wf: Locator, words: string, what: string, timeout = 15_000): Promise<void> {
    try {
      await wf.getByText(words, { exact: false }).first().waitFor({ timeout });
    } catch {
      assert.fail(`${what}: "${words}" not shown; the page says: ${squash(await wf.evaluate((el) => el.shadowRoot?.textContent ?? ''))}`);
    }
  }

  /** axe-core on the element (its shadow tree included), WCAG 2.2 AA. */
  const axe = (page: Page, what: string) => assertAxeClean(page, 'consult-workflow', what);

  before(async () => {
    site = await portal(await pageBundle(join(import.meta.dirname, 'staff-desk/page.ts')), '工作台', '<main></main>');
    db = await DATABASES[0]!.open();
    api = await serve(db, { corsOrigins: [site.url] });
    programmeId = await wuxiProgramme(db, (c) => {
      c.transport = { type: 'http', endpoint: '/api' };
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await api?.close();
    await db?.close();
    await new Promise((resolve) => site?.server.close(resolve));
    assert.deepEqual(pageErrors, [], 'no page errors');
  });

  it('`not-a-token` never gets a desk: signed out with the server’s reason; the right token then gets “signed in as 张丽华”', async () => {
    const title = `楼道灯不亮 ${n}`;
    await raise(title);
    const { page, wf } = await desk({ token: 'not-a-token' });
    await shows(wf, '已退出登录，请重新登录', 'the signed-out panel');
    await shows(wf, 'The token is not valid', 'the server’s reason');
    assert.equal(await wf.locator('nav').count(), 0, 'no menu of views');
    assert.equal(await wf.locator('consult-staff-actions').count(), 0, 'no staff actions');
    assert.equal(await wf.getByText(title).count(), 0, 'no topic list');
    const events = (await heard(page)).signInRequired;
    assert.equal(events.length, 1, 'consult-sign-in-required once');
    assert.equal(events[0]!.reason, 'unauthenticated');
    assert.match(events[0]!.detail ?? '', /not valid/);
    await axe(page, 'the signed-out panel');

    // The host signs the person in and says so (a token function: checkSignIn()).
    await setToken(page, PEOPLE.convener.token);
    await wf.getByRole('button', { name: '我已重新登录，再次核对' }).click();
    await shows(wf, '以 张丽华（召集人）身份登录', 'signed in as');
    await wf.getByRole('button', { name: new RegExp(title) }).waitFor();
    const me = await wf.evaluate((el) => (el as unknown as { me?: { id: string } }).me);
    assert.equal(me?.id, PEOPLE.convener.id, 'the `me` property');
  });

  it('a department’s sign-in does not get a convener’s desk', async () => {
    const { page, wf } = await desk({ token: PEOPLE.department.token, role: 'convener' });
    await shows(wf, '当前登录不能以召集人身份办理', 'the role panel');
    await shows(wf, '您以 刘明 身份登录，但没有“召集人”角色。已有角色：部门。', 'who, and the roles held');
    assert.equal(await wf.locator('consult-staff-actions').count(), 0, 'no staff actions');
    await wf.getByRole('button', { name: '换一个账号登录' }).click();
    assert.equal((await heard(page)).signInRequired.at(-1)?.reason, 'role-not-held');
    await axe(page, 'the role panel');
  });

  it('a department’s token acting as convener: the reason in zh-CN and en, Retry after the right sign-in, Discard — by keyboard', async () => {
    const first = `三号楼加装电梯 ${n}`;
    const firstId = await raise(first);
    const second = `小区停车难 ${n}`;
    const secondId = await raise(second);
    const { page, wf } = await desk({ token: PEOPLE.convener.token });
    await shows(wf, '以 张丽华（召集人）身份登录', 'signed in');

    // The portal's sign-in changes under the desk: now a department's token.
    await setToken(page, PEOPLE.department.token);
    for (const title of [first, second]) {
      await wf.getByRole('button', { name: new RegExp(title) }).click();
      await wf.getByRole('button', { name: '受理', exact: true }).click();
      await wf.getByRole('button', { name: '返回列表' }).click();
    }
    await shows(wf, '2 项未被服务器接受', 'the list of refused actions');
    await shows(wf, '2 项未被接受，原因见下方。', 'the status line');
    const items = wf.locator('.refused-item');
    assert.equal(await items.count(), 2);
    assert.equal(squash(await items.nth(0).locator('.why').textContent()), '您的登录身份没有“召集人”角色。');
    assert.equal(squash(await items.nth(0).locator('.what').textContent()), `受理 — ${first}`);
    assert.equal(await wf.locator('.refused .detail').count(), 0, 'no English server words in zh-CN');
    await axe(page, 'the refused list (zh-CN)');

    // In English: our words first, the server's as secondary text.
    await wf.evaluate((el) => el.setAttribute('lang', 'en'));
    await shows(wf, '2 not accepted by the server', 'the list in English');
    assert.equal(squash(await items.nth(0).locator('.why').textContent()), 'Your sign-in does not hold the role Convener.');
    assert.equal(squash(await items.nth(0).locator('.detail').textContent()), 'Server’s words: The token does not hold the role convener.');
    await axe(page, 'the refused list (en)');
    await wf.evaluate((el) => el.setAttribute('lang', 'zh-CN'));
    await shows(wf, '2 项未被服务器接受', 'back in Chinese');

    // The desk shows the server's truth: both topics still wait for screening.
    assert.deepEqual(
      (await serverLog(firstId)).map((e) => e.event.type),
      ['topic.submit'],
      'nothing reached the server',
    );

    // The right sign-in again; Retry the first with the keyboard (Tab to it, Enter).
    await setToken(page, PEOPLE.convener.token);
    const retry = items.nth(0).locator('[data-retry]');
    await items.nth(0).locator('.why').click(); // a click on text puts the keyboard in the list
    await page.keyboard.press('Tab');
    assert.equal(await retry.evaluate((b) => b.getRootNode() instanceof ShadowRoot && (b.getRootNode() as ShadowRoot).activeElement === b), true, 'Tab reaches Retry');
    await page.keyboard.press('Enter');
    await shows(wf, '1 项未被服务器接受', 'one left');
    const accepted = async () => (await serverLog(firstId)).find((e) => e.event.type === 'screening.accept');
    for (let end = Date.now() + 15_000; !(await accepted()) && Date.now() < end; ) await page.waitForTimeout(100);
    const logged = await accepted();
    assert.ok(logged, 'the retried action reached the server');
    assert.equal(logged.by.id, PEOPLE.convener.id, 'by.id: the signed-in convener');
    assert.equal(logged.by.name, PEOPLE.convener.name, 'by.name: the signed-in convener');
    // Focus went to what is left of the list: the remaining Retry.
    assert.equal(await items.nth(0).locator('[data-retry]').evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b), true, 'focus on the next item');

    // Discard the second: Tab to Discard, Enter. It is gone from the outbox, and the desk shows the server's state.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await wf.locator('.refused').waitFor({ state: 'detached' });
    assert.equal(await wf.locator('.refused-item').count(), 0);
    assert.equal(await wf.getByText('未被接受').count(), 0, 'nothing refused is left to show');
    await wf.getByRole('button', { name: new RegExp(second) }).click();
    await wf.getByRole('button', { name: '受理', exact: true }).waitFor();
    assert.deepEqual((await serverLog(secondId)).map((e) => e.event.type), ['topic.submit'], 'the discarded action never reached the server');
    const stillQueued = await page.evaluate(() => {
      const open = indexedDB.open(new URLSearchParams(location.search).get('db')!);
      return new Promise<number>((resolve) => {
        open.onsuccess = () => {
          const req = open.result.transaction('outbox').objectStore('outbox').count();
          req.onsuccess = () => resolve(req.result);
        };
      });
    });
    assert.equal(stillQueued, 0, 'the outbox in IndexedDB is empty');
  });

  it('the sync line tells the truth: sending then sent online; saved here only offline or while the server cannot be reached', async () => {
    const online = `垃圾分类点 ${n}`;
    await raise(online);
    const offline = `健身器材损坏 ${n}`;
    await raise(offline);
    const unreachable = `路面积水 ${n}`;
    await raise(unreachable);
    const { page, context, wf } = await desk({ token: PEOPLE.convener.token });
    await shows(wf, '以 张丽华（召集人）身份登录', 'signed in');

    const act = async (title: string) => {
      await wf.getByRole('button', { name: new RegExp(title) }).click();
      await wf.getByRole('button', { name: '受理', exact: true }).click();
      await wf.getByRole('button', { name: '返回列表' }).click();
    };

    // Online: sent, and never "saved on this device".
    await act(online);
    await shows(wf, '已发送。', 'sent');
    let texts = (await heard(page)).syncTexts;
    assert.ok(!texts.some((t) => t.includes('已保存在本机')), `never "saved here" online: ${texts.join(' | ')}`);
    await wf.getByText('已发送。').waitFor({ state: 'detached', timeout: 20_000 });

    // Offline: saved here; back online: sent.
    await context.setOffline(true);
    await act(offline);
    await shows(wf, '已保存在本机，联网后会自动发送（1 项等待发送）。', 'saved here, offline');
    await context.setOffline(false);
    await shows(wf, '已发送。', 'sent once back online');

    // Online, but the server cannot be reached (its events route is down): saved here; then sent.
    await context.route(`${api.url}/api/programmes/*/events`, (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()));
    await act(unreachable);
    await shows(wf, '已保存在本机，联网后会自动发送（1 项等待发送）。', 'saved here, server unreachable');
    await context.unroute(`${api.url}/api/programmes/*/events`);
    await shows(wf, '已发送。', 'sent once the server answers', 30_000);
    texts = (await heard(page)).syncTexts;
    assert.equal(texts.at(-1), '已发送。');
    assert.equal(await wf.getByText('已保存在本机').count(), 0, 'no "saved here" once sent');
  });

  it('a 401 mid-session keeps the action on this device and shows signed out; signing in again sends it', async () => {
    const title = `电动车充电桩 ${n}`;
    const topicId = await raise(title);
    const { page, wf } = await desk({ token: PEOPLE.convener.token });
    await shows(wf, '以 张丽华（召集人）身份登录', 'signed in');

    // The token expires under the desk.
    await setToken(page, 'expired-token-of-yesterday');
    await wf.getByRole('button', { name: new RegExp(title) }).click();
    await wf.getByRole('button', { name: '受理', exact: true }).click();
    await shows(wf, '已退出登录，请重新登录', 'signed out');
    await shows(wf, '有 1 项操作保存在本机，重新登录后会自动发送。', 'the action is kept');
    assert.equal(await wf.evaluate((el) => el.shadowRoot!.activeElement?.id), 'sign-in-title', 'focus on the panel, not on a button that is gone');
    const events = (await heard(page)).signInRequired;
    assert.equal(events.length, 1);
    assert.deepEqual({ reason: events[0]!.reason, pending: events[0]!.pending }, { reason: 'unauthenticated', pending: 1 });
    assert.deepEqual((await serverLog(topicId)).map((e) => e.event.type), ['topic.submit'], 'not accepted by the server');
    await axe(page, 'signed out mid-session');

    // The page opened again with the expired token: still kept (IndexedDB), still not sent.
    const again = new URL(page.url());
    again.searchParams.set('token', 'expired-token-of-yesterday');
    await page.goto(again.href);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    await shows(wf, '已退出登录，请重新登录', 'signed out on opening');
    await shows(wf, '有 1 项操作保存在本机，重新登录后会自动发送。', 'kept across a reload');
    assert.deepEqual((await serverLog(topicId)).map((e) => e.event.type), ['topic.submit'], 'still not accepted');

    // The portal signs the person in again and hands over the new token.
    await wf.evaluate((el, token) => void ((el as unknown as { token: string }).token = token), PEOPLE.convener.token);
    await shows(wf, '以 张丽华（召集人）身份登录', 'signed in again');
    await shows(wf, '已发送。', 'sent after signing in');
    const accepted = (await serverLog(topicId)).find((e) => e.event.type === 'screening.accept');
    assert.ok(accepted, 'the kept action reached the server');
    assert.equal(accepted.by.id, PEOPLE.convener.id);
  });
});
