/**
 * Issue 17's views against the reference server (packages/server on PGlite, its controllable
 * clock), in real Chromium with real IndexedDB, the elements bundled from the sources onto a
 * portal page of its own origin (notices/page.ts):
 *
 * - a resident's "my topics": the topic added by its follow code offers "有进展时通知我"; typed and
 *   sent with the keyboard, the server keeps the opt-in and the page says where notices go,
 *   masked; a reload shows it from the server; Stop notices ends it on the server;
 * - the supervisor's list at a server time past a measure's due date: the overdue measure with the
 *   server's count of days, the party filter, the topic opened by the keyboard; no token asks to
 *   sign in, a resident's token is told it may not see the list.
 * Both axe clean, no page errors.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Db } from '../../server/src/db/db.js';
import { append, call, DATABASES, PEOPLE, serve, story, STORY_TO_EVALUATION, wuxiProgramme, type TestServer } from '../../server/test/helpers.js';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/ensure-chromium.mjs';
import { pageBundle, portal } from '../../store/test/portal-page.js';
import { assertAxeClean } from './a11y-page.js';
import { testNotify } from '../../server/test/notify-fixture.js';

const CHROMIUM = findChromium() ?? '/usr/bin/chromium';

type Obj = Record<string, unknown>;
const squash = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
const STORY = story();
const step = (key: string) => structuredClone(STORY.find((s) => s.key === key)!.body);

/** The server's clock. */
let serverNow = '2026-03-02T01:15:00.000Z';

describe('issue 17 views on the reference server: opt-in on my topics, the supervisor’s list', { timeout: 180_000 }, () => {
  let db: Db;
  let api: TestServer;
  let site: { url: string; server: Server };
  let browser: Browser;
  let programmeId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let n = 0;

  /** A resident's topic (no token), brought to the meeting record: two measures, due 30 April and 30 June. */
  async function raise(): Promise<{ topicId: string; code: string }> {
    const topicId = `tp-${randomUUID()}`;
    const submit = { ...step('topicSubmit'), id: `e-${randomUUID()}`, topicId, by: { role: 'resident' } };
    serverNow = new Date(submit.at).toISOString();
    const raised = await append(api, programmeId, submit, { token: undefined });
    assert.equal(raised.status, 201, raised.text);
    for (const key of STORY_TO_EVALUATION.slice(0, STORY_TO_EVALUATION.indexOf('measureAdopt'))) {
      const body: Obj & { at: string } = { ...step(key), id: `e-${randomUUID()}`, topicId, by: { role: 'admin' } };
      serverNow = new Date(body.at).toISOString();
      const res = await append(api, programmeId, body, { token: PEOPLE.admin.token });
      assert.equal(res.status, 201, `${key}: ${res.text}`);
    }
    return { topicId, code: String(raised.body?.followCode) };
  }

  async function open(params: Record<string, string>): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const query = new URLSearchParams({ endpoint: `${api.url}/api`, programme: programmeId, db: `notices-${(n += 1)}`, ...params });
    await page.goto(`${site.url}/?${query}`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    return page;
  }

  async function shows(el: Locator, words: string | RegExp, what: string, timeout = 15_000): Promise<void> {
    try {
      await el.getByText(words).first().waitFor({ timeout });
    } catch {
      assert.fail(`${what}: "${String(words)}" not shown; the page says: ${squash(await el.evaluate((e) => e.shadowRoot?.textContent ?? ''))}`);
    }
  }

  before(async () => {
    site = await portal(await pageBundle(join(import.meta.dirname, 'notices/page.ts')), '通知', '<main></main>');
    db = await DATABASES[0]!.open();
    // The server offers e-mail (SMTP) and text messages (a webhook to the city's SMS gateway for
    // residents); no clock runs here, so nothing is sent to these closed ports.
    api = await serve(db, {
      corsOrigins: [site.url],
      clock: () => new Date(serverNow),
      notify: testNotify({
        smtp: { url: 'smtp://127.0.0.1:9', from: 'consult@example.gov.cn' },
        webhooks: [{ id: 'sms-gateway', url: 'http://127.0.0.1:9/sms', secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`, audiences: ['resident'] }],
      }),
    });
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

  it('a resident opts in by keyboard on my topics; the server keeps it, masked on the page; a reload shows it; Stop notices ends it', async () => {
    const { topicId, code } = await raise();
    const page = await open({ view: 'mine', lang: 'zh-CN' });
    const mine = page.locator('consult-my-topics');
    const followed = await page.evaluate((c) => (window as unknown as { page: { follow(c: string): Promise<{ ok: boolean }> } }).page.follow(c), code);
    assert.equal(followed.ok, true);
    await shows(mine, '有进展时通知我', 'the opt-in');
    const address = mine.locator('input[name="address"]');
    assert.equal(await address.getAttribute('type'), 'email');
    await address.focus();
    await page.keyboard.type('lihua.resident@example.org');
    await page.keyboard.press('Enter');
    await shows(mine, /通知将发送到 l\*+@example\.org/, 'where notices go');
    assert.equal(await mine.evaluate((el) => el.shadowRoot!.textContent!.includes('lihua.resident@example.org')), false, 'only the masked address is shown');
    // The server holds it.
    const listed = await call(api, `/api/programmes/${programmeId}/follow/${code}/subscriptions`);
    assert.equal(listed.status, 200, listed.text);
    assert.equal((listed.body!.items as unknown[]).length, 1);
    await assertAxeClean(page, 'consult-my-topics', 'opted in');
    // Nothing of the address is kept on the device: search every byte IndexedDB holds.
    const bytes = await page.evaluate(() => (window as unknown as { page: { deviceBytes(): Promise<string> } }).page.deviceBytes());
    assert.ok(bytes.includes(topicId), 'the device’s database was read (it holds the topic)');
    assert.equal(bytes.includes('lihua.resident'), false, 'no address on the device');
    // Nothing of the address on the device: a new page (same browser profile) shows it from the server.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    await shows(mine, /通知将发送到 l\*+@example\.org/, 'where notices go, after a reload');
    const stop = mine.getByRole('button', { name: '停止通知' });
    await stop.focus();
    await page.keyboard.press('Enter');
    await shows(mine, '已停止通知', 'stopped');
    const after = await call(api, `/api/programmes/${programmeId}/follow/${code}/subscriptions`);
    assert.deepEqual(after.body!.items, []);
  });

  it('a wrong number is refused before anything is sent, in English, and what was typed stays', async () => {
    const { code } = await raise();
    const page = await open({ view: 'mine', lang: 'en' });
    const mine = page.locator('consult-my-topics');
    await page.evaluate((c) => (window as unknown as { page: { follow(c: string): Promise<unknown> } }).page.follow(c), code);
    await shows(mine, 'Tell me about progress', 'the opt-in');
    await mine.locator('input[type="radio"][value="email"]').focus();
    await page.keyboard.press('ArrowDown');
    const address = mine.locator('input[name="address"]');
    assert.equal(await address.getAttribute('type'), 'tel');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12');
    await page.keyboard.press('Enter');
    await shows(mine, 'Enter a mobile phone number, like 138 0013 8000', 'the error');
    assert.equal(await address.inputValue(), '12');
    await assertAxeClean(page, 'consult-my-topics', 'the error');
    const listed = await call(api, `/api/programmes/${programmeId}/follow/${code}/subscriptions`);
    assert.deepEqual(listed.body!.items, []);
  });

  it('a server that sends no e-mail: the e-mail opt-in is refused in words, text message is offered instead', async () => {
    const { code } = await raise();
    const bare = await serve(db, { corsOrigins: [site.url], clock: () => new Date(serverNow), notify: testNotify({ webhooks: [{ id: 'sms-gateway', url: 'http://127.0.0.1:9/sms', secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`, audiences: ['resident'] }] }) });
    try {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      const query = new URLSearchParams({ endpoint: `${bare.url}/api`, programme: programmeId, db: `notices-${(n += 1)}`, view: 'mine', lang: 'zh-CN' });
      await page.goto(`${site.url}/?${query}`);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
      const mine = page.locator('consult-my-topics');
      await page.evaluate((c) => (window as unknown as { page: { follow(c: string): Promise<unknown> } }).page.follow(c), code);
      await shows(mine, '有进展时通知我', 'the opt-in');
      await mine.locator('input[name="address"]').focus();
      await page.keyboard.type('lihua.resident@example.org');
      await page.keyboard.press('Enter');
      await shows(mine, '这里暂不提供电子邮件通知，请改选手机短信', 'the refusal in words');
      assert.equal(await mine.locator('input[type="radio"][value="email"]').count(), 0, 'e-mail is no longer offered');
      assert.equal(await mine.locator('input[name="address"]').getAttribute('type'), 'tel');
      await mine.locator('input[name="address"]').focus();
      await page.keyboard.type('138 0013 8000');
      await page.keyboard.press('Enter');
      await shows(mine, /短信将发送到 138\*+8000/, 'the text-message opt-in');
      await assertAxeClean(page, 'consult-my-topics', 'after the refusal');
    } finally {
      await bare.close();
    }
  });

  it('the supervisor’s list at the server’s time: the overdue measure with the server’s days, filtered by party, opened by keyboard; no token, a resident token', async () => {
    const { topicId } = await raise();
    serverNow = '2026-05-05T04:00:00.000Z';
    const expected = await call(api, `/api/programmes/${programmeId}/overdue`, { token: PEOPLE.convener.token });
    assert.equal(expected.status, 200, expected.text);
    const item = (expected.body!.items as Array<Obj>).find((i) => i.topicId === topicId)!;
    const page = await open({ view: 'overdue', lang: 'zh-CN', token: PEOPLE.convener.token });
    const list = page.locator('consult-overdue-list');
    await shows(list, `已超期 ${String(item.overdueDays)} 天`, 'the overdue mark');
    const row = list.locator(`tbody tr[data-topic="${topicId}"]`);
    assert.equal(await row.getAttribute('data-measure'), 'lift-b3-subsidy');
    assert.match(squash(await list.locator('[part="as-of"]').textContent()), /服务器时间/);
    await assertAxeClean(page, 'consult-overdue-list', 'the list');
    // Filter by the measure's party, then by another: nothing overdue there.
    await list.locator('#party').selectOption(String(item.party));
    await shows(list, /共 \d+ 项超期措施/, 'the filtered count');
    assert.equal(await list.locator(`tbody tr[data-topic="${topicId}"]`).count(), 1);
    await list.locator('#party').selectOption('housing-bureau');
    await shows(list, '没有超期事项', 'nothing for the housing bureau');
    await list.locator('#party').selectOption('');
    await list.locator(`tbody tr[data-topic="${topicId}"] .topic-link`).focus();
    await page.keyboard.press('Enter');
    const selected = await page.evaluate(() => (window as unknown as { page: { selected: unknown[] } }).page.selected);
    assert.deepEqual(selected, [{ topicId, measureId: 'lift-b3-subsidy' }]);
    // At 390 px: cards.
    await page.setViewportSize({ width: 390, height: 800 });
    assert.equal(await list.locator('.cards').isVisible(), true);
    assert.equal(await list.locator('table').isVisible(), false);
    await assertAxeClean(page, 'consult-overdue-list', 'the cards');
    const anonymous = await open({ view: 'overdue', lang: 'zh-CN' });
    await shows(anonymous.locator('consult-overdue-list'), '请以工作人员身份登录后查看超期事项。', 'no token');
    const resident = await open({ view: 'overdue', lang: 'en', token: PEOPLE.resident.token });
    await shows(resident.locator('consult-overdue-list'), /may not see the overdue list/, 'a resident token');
    // Signed in again as a convener (a new token under the list): it reads the list again.
    await resident.evaluate((t) => (window as unknown as { page: { setToken(t: string): void } }).page.setToken(t), PEOPLE.convener.token);
    await shows(resident.locator('consult-overdue-list'), `Overdue by ${String(item.overdueDays)} days`, 'the list after signing in as a convener');
  });
});
