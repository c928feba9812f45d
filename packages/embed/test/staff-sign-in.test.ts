/**
 * Staff sign in through the city's OpenID Connect provider, in Chromium (issue 16's "done when":
 * "signs in through the real provider in Chromium, acts as each role"). Everything is real: the
 * provider is `oidc-provider` in this process (packages/server/test/oidc-fixture.ts, shaped like
 * a Keycloak realm), our server is started as `npm start` starts it plus the `--oidc-*` flags, the
 * page is examples/portal/staff.html with the one-file embed under the portal's strict CSP, and
 * the person clicks through the provider's own login and consent pages.
 *
 * - A convener signs in (Authorization Code + PKCE from the page), screens a topic on the desk,
 *   and the log the server keeps names them: `by.id` is their subject, `by.name` their name.
 * - A department acts on a measure of its own party; an administrator screens a topic.
 * - A convener of another room opens this room's topic and tries to screen it: the server
 *   refuses (out of scope), the desk shows the reason, and the log has no acceptance.
 * - Key rotation: the provider swaps its signing key and drops the old one; the token kept in the
 *   tab is refused (the page says so, no desk), the convener signs in again and acts again — our
 *   server was not restarted.
 * - Cancelled at the provider, or the provider down: the page says so (with "Try again").
 * - A short-lived token (a provider and server of their own): offline, the convener screens a
 *   topic; the token expires, the page says so and hides the desk; online and signed in again,
 *   the action kept on the device reaches the server, in their name.
 * - `not-a-token` in the demo token field gets the server's refusal and no desk.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { applyEvent, parseWorkflowConfig, replay, stateName, type LogEntry, type TopicEvent, type WorkflowConfig } from '@consult-kit/machine';
import { loadOptions } from '../../server/src/config.js';
import { startServer } from '../../server/src/server.js';
import { startOidcProvider, KEYCLOAK_CLAIMS_MAPPING, STAFF_CLIENT_ID, STAFF_SCOPE, type OidcFixture } from '../../server/test/oidc-fixture.js';
import { sampleEvents, validValues } from '../../machine/test/fixtures.js';
import { launchChromium, ROOT, watch, type PageTrouble } from './chromium.js';

const PORTAL = join(ROOT, 'examples/portal');
const CONFIGS = join(ROOT, 'examples/configs');
const DEMO_TOKENS = JSON.parse(readFileSync(join(PORTAL, 'demo-tokens.json'), 'utf8')) as Record<string, { role?: string; roles?: string[] }>;
const DEMO_CONVENER = Object.entries(DEMO_TOKENS).find(([, p]) => p.role === 'convener')![0];
/** The programme examples/portal/staff.html serves. */
const PROGRAMME = /data-config="\/api\/programmes\/([^/"]+)\/config"/.exec(readFileSync(join(PORTAL, 'staff.html'), 'utf8'))![1]!;
const CONFIG: WorkflowConfig = (() => {
  const parsed = parseWorkflowConfig(JSON.parse(readFileSync(join(CONFIGS, 'guangshui-frontline.json'), 'utf8')));
  if (!parsed.ok) throw new Error('guangshui-frontline.json does not parse');
  assert.equal(parsed.config.id, PROGRAMME, 'the staff page serves the Guangshui example');
  return parsed.config;
})();
const PARTY = CONFIG.step.handling.parties[0]!.id;

/** The provider's users for this room (the fixture's, with this programme in their rooms). */
const USERS = {
  'convener-guangshui': { name: '周建国', realmRoles: ['consult-convener'], rooms: [PROGRAMME] },
  'department-housing': { name: '刘明', realmRoles: ['consult-department'], parties: [PARTY] },
  admin: { name: '赵敏', realmRoles: ['consult-admin'] },
  // The fixture's convener of the Wuxi room: not this one.
  'convener-wuxi': { name: '张丽华', realmRoles: ['consult-convener'], rooms: ['wuxi-youshi-haoshangliang'], levels: ['community'] },
};

/** A free port on loopback: the provider must know the staff page's redirect URI before our server starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('staff sign in through the city\'s OpenID provider, in Chromium, and act as each role', () => {
  let idp: OidcFixture;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  const troubles: PageTrouble[] = [];
  let seq = 0;

  before(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    idp = await startOidcProvider({ staffRedirectUris: [`${base}/staff`], users: USERS, accessTokenTtl: 600 });
    dataDir = mkdtempSync(join(tmpdir(), 'consult-kit-staff-sign-in-'));
    const claims = join(dataDir, 'claims.json');
    writeFileSync(claims, JSON.stringify(KEYCLOAK_CLAIMS_MAPPING));
    // `npm start`'s flags (package.json) and the provider's, on the port the provider knows.
    const options = loadOptions(
      [
        '--seed', CONFIGS, '--portal', PORTAL, '--tokens', join(PORTAL, 'demo-tokens.json'),
        '--oidc-issuer', idp.issuer, '--oidc-audience', idp.audience, '--oidc-client-id', STAFF_CLIENT_ID, '--oidc-scope', STAFF_SCOPE, '--oidc-claims', claims,
        '--host', '127.0.0.1', '--port', String(port), '--data', join(dataDir, 'db'), '--log-level', 'silent',
      ],
      {},
    );
    // A new key is fetched at once when a token names an unknown kid (the default waits 30 s
    // between fetches, longer than this test takes to rotate).
    if (options.oidc) options.oidc.jwksCooldownSeconds = 0;
    server = await startServer(options);
    assert.equal(server.url, base);
    browser = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await idp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** POSTs one event (a resident without a token, or staff with the demo convener's token). */
  async function send(topicId: string, event: TopicEvent, token?: string): Promise<void> {
    const { by, at: _at, ...body } = event;
    seq += 1;
    const id = `staff-sign-in-${Date.now().toString(36)}-${seq}`;
    const res = await fetch(`${server.url}/api/programmes/${PROGRAMME}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': id, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ id, topicId, event: body, by: { role: by.role }, at: new Date().toISOString() }),
    });
    assert.equal(res.status, 201, `${event.type}: ${await res.text()}`);
  }

  /** The topic's log, as the server keeps it (pulled with the demo convener's token). */
  async function log(topicId: string): Promise<LogEntry[]> {
    const res = await fetch(`${server.url}/api/programmes/${PROGRAMME}/topics/${encodeURIComponent(topicId)}/events`, { headers: { authorization: `Bearer ${DEMO_CONVENER}` } });
    assert.equal(res.status, 200);
    return ((await res.json()) as { entries: LogEntry[] }).entries;
  }

  /** A resident raises a topic (no token); returns its id. */
  async function raise(title: string): Promise<string> {
    const topicId = `t-sign-in-${Date.now().toString(36)}-${(seq += 1)}`;
    const titleField = CONFIG.form.pages.flatMap((p) => p.fields).find((f) => f.role === 'title')!;
    const values = { ...validValues(CONFIG), [titleField.name]: title };
    await send(topicId, { type: 'topic.submit', values, source: 'resident', level: CONFIG.level, by: { role: 'resident' }, at: '' } as unknown as TopicEvent);
    return topicId;
  }

  /** Staff (demo convener) take a topic to handling, its measures assigned to PARTY. */
  async function toHandling(topicId: string): Promise<void> {
    const path: TopicEvent['type'][] = ['screening.accept', 'research.complete', 'meeting.start', 'meeting.schedule', 'meeting.advance', 'meeting.record'];
    for (let step = 0; step < 30; step += 1) {
      const snapshot = replay(CONFIG, await log(topicId)).topics.get(topicId)!;
      if (stateName(snapshot).startsWith('handling')) return;
      const next = sampleEvents(snapshot.context, { measures: 1 })
        .filter((e) => path.includes(e.type))
        // Sent now, and a meeting scheduled now (a meeting may not start before its time).
        .map((e) => ({ ...e, at: new Date().toISOString(), ...(e.type === 'meeting.schedule' ? { start: new Date().toISOString() } : {}) }) as TopicEvent)
        .sort((a, b) => path.indexOf(a.type) - path.indexOf(b.type))
        .find((e) => applyEvent(CONFIG, snapshot, e).ok);
      assert.ok(next, `stuck in ${stateName(snapshot)}`);
      await send(topicId, next, DEMO_CONVENER);
    }
    assert.fail('did not reach handling');
  }

  /** A new browser (its own cookies, sessionStorage and IndexedDB) on the staff page. */
  async function staffPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1200, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    troubles.push(await watch(page));
    await page.goto(`${server.url}/staff`);
    return page;
  }

  /** Through the provider's own pages: its login form, then its consent page, then back. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.getByRole('button', { name: '用统一身份认证登录' }).click();
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    // The provider may remember the person (its session cookie) and skip either page.
    for (let step = 0; step < 3 && page.url().startsWith(idp.issuer); step += 1) {
      const loginField = page.locator('input[name="login"]');
      if (await loginField.count()) {
        await loginField.fill(login);
        await page.locator('input[name="password"]').fill('any password');
      }
      const from = page.url();
      await Promise.all([page.waitForURL((url) => url.href !== from), page.locator('button[type="submit"]').first().click()]);
    }
    await page.waitForURL((url) => url.href.startsWith(`${server.url}/staff`));
  }

  /** Waits for the sign-in element to say who is signed in. */
  async function signedInAs(page: Page, name: string): Promise<void> {
    await page.locator('consult-sign-in').getByText(`已登录：${name}`).waitFor({ timeout: 20_000 });
    assert.equal(new URL(page.url()).search, '', 'the provider\'s code and state are gone from the address bar');
  }

  /** What <consult-sign-in> keeps for the tab: how it signed in, and the JWT's key id. */
  async function keptToken(page: Page): Promise<{ source: string; kid: string } | undefined> {
    const kept = await page.evaluate(() => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('consult-kit.sign-in.session:'));
      return key ? sessionStorage.getItem(key) : null;
    });
    if (!kept) return undefined;
    const { token, source } = JSON.parse(kept) as { token: string; source: string };
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string };
    return { source, kid: header.kid };
  }

  /** Opens a topic on the desk by its title. */
  async function openTopic(page: Page, title: string): Promise<void> {
    const desk = page.locator('consult-workflow');
    await desk.locator('nav').getByRole('button', { name: '议题列表' }).waitFor({ timeout: 20_000 });
    await desk.getByRole('button', { name: title }).first().click({ timeout: 20_000 });
    await desk.locator('consult-staff-actions section.action').first().waitFor({ timeout: 20_000 });
  }

  /** Waits until the server's log of the topic has an entry of `type` and returns it. */
  async function logged(topicId: string, type: string): Promise<LogEntry> {
    for (let attempt = 0; attempt < 150; attempt += 1) {
      const entry = (await log(topicId)).find((e) => e.event.type === type);
      if (entry) return entry;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`the server never logged ${type} for ${topicId}`);
  }

  it('a convener signs in through the provider, screens a topic, and the log names them', async () => {
    const title = '登录测试：老旧小区加装电梯';
    const topicId = await raise(title);
    // The page's strict CSP lets it reach the provider (discovery, the token endpoint) and nothing else.
    const csp = (await fetch(`${server.url}/staff`)).headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'; style-src 'self'; require-trusted-types-for 'script'/);
    assert.ok(csp.endsWith(`connect-src 'self' ${idp.issuer}`), csp);
    const page = await staffPage();
    await signInAtProvider(page, 'convener-guangshui');
    await signedInAs(page, '周建国');
    // The token is the provider's (a JWT for our API), kept for this tab only.
    const kept = await keptToken(page);
    assert.equal(kept?.source, 'oidc');
    assert.equal(kept?.kid, idp.kid, 'a JWT the provider signed');
    assert.ok(!(await page.evaluate(() => JSON.stringify({ ...localStorage }))).includes('eyJ'), 'no token in localStorage');

    await openTopic(page, title);
    await page.locator('consult-staff-actions').getByRole('button', { name: '受理', exact: true }).click();
    const accepted = await logged(topicId, 'screening.accept');
    assert.equal(accepted.by.role, 'convener');
    assert.equal(accepted.by.id, 'convener-guangshui', 'by.id is the provider\'s subject');
    assert.equal(accepted.by.name, '周建国', 'by.name is the name the provider gave');
  });

  it('a department acts on a measure of its own party', async () => {
    const title = '登录测试：背街小巷路灯';
    const topicId = await raise(title);
    await toHandling(topicId);
    const page = await staffPage();
    await signInAtProvider(page, 'department-housing');
    await signedInAs(page, '刘明');
    await openTopic(page, title);
    await page.locator('consult-staff-actions').getByRole('button', { name: '采纳' }).first().click();
    const adopted = await logged(topicId, 'measure.adopt');
    assert.equal(adopted.by.role, 'department');
    assert.equal(adopted.by.id, 'department-housing');
  });

  it('an administrator screens a topic', async () => {
    const title = '登录测试：农贸市场排水';
    const topicId = await raise(title);
    const page = await staffPage();
    await signInAtProvider(page, 'admin');
    await signedInAs(page, '赵敏');
    await openTopic(page, title);
    await page.locator('consult-staff-actions').getByRole('button', { name: '受理', exact: true }).click();
    const accepted = await logged(topicId, 'screening.accept');
    assert.equal(accepted.by.role, 'admin');
    assert.equal(accepted.by.id, 'admin');
  });

  it('a convener of another room cannot screen this room\'s topic: the server refuses it, out of scope', async () => {
    const title = '登录测试：别的议事室的议题';
    const topicId = await raise(title);
    const page = await staffPage();
    await signInAtProvider(page, 'convener-wuxi');
    await signedInAs(page, '张丽华');
    const desk = page.locator('consult-workflow');
    // The room's log is readable to staff; acting in it is not theirs.
    await openTopic(page, title);
    await page.locator('consult-staff-actions').getByRole('button', { name: '受理', exact: true }).click();
    // The desk says why, in the person's words (the server's out-of-scope problem, missingScope programme:…).
    await desk.getByText(/不在您的负责范围内/).first().waitFor({ timeout: 20_000 });
    assert.equal((await log(topicId)).filter((e) => e.event.type === 'screening.accept').length, 0, 'nothing was accepted');
  });

  it('key rotation: the provider swaps its key; signed in again, the new token is taken and the convener acts — no restart', async () => {
    const first = await raise('登录测试：轮换密钥之前');
    const second = await raise('登录测试：轮换密钥之后');
    const page = await staffPage();
    await signInAtProvider(page, 'convener-guangshui');
    await signedInAs(page, '周建国');
    await openTopic(page, '登录测试：轮换密钥之前');
    await page.locator('consult-staff-actions').getByRole('button', { name: '受理', exact: true }).click();
    await logged(first, 'screening.accept');

    const old = idp.kid;
    // The old key is no longer published: only a key fetched after the rotation verifies.
    const { kid } = await idp.rotateKeys({ keepOld: false });
    assert.notEqual(kid, old);
    await page.locator('consult-sign-in').getByRole('button', { name: '退出登录' }).click();
    await page.locator('consult-sign-in').getByText('您已退出登录').waitFor();
    assert.equal(await page.locator('consult-workflow.staff-view').isVisible(), false, 'no desk while signed out');

    await signInAtProvider(page, 'convener-guangshui');
    await signedInAs(page, '周建国');
    assert.equal((await keptToken(page))?.kid, kid, 'the new token is signed with the new key');
    await openTopic(page, '登录测试：轮换密钥之后');
    await page.locator('consult-staff-actions').getByRole('button', { name: '受理', exact: true }).click();
    const accepted = await logged(second, 'screening.accept');
    assert.equal(accepted.by.id, 'convener-guangshui');
  });

  it('cancelled at the provider: back on the page, told so, the address bar clean, and signing in still works', async () => {
    const page = await staffPage();
    await page.getByRole('button', { name: '用统一身份认证登录' }).click();
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    await page.getByRole('link', { name: /Cancel/ }).click();
    await page.locator('consult-sign-in').getByText('已在统一身份认证页面取消登录').waitFor({ timeout: 20_000 });
    assert.equal(new URL(page.url()).search, '', 'the error and state are gone from the address bar');
    assert.equal(await page.locator('consult-workflow.staff-view').isVisible(), false);
    await signInAtProvider(page, 'admin');
    await signedInAs(page, '赵敏');
  });

  it('the provider down: a clear message and "Try again", which goes to the provider once it is back', async () => {
    const page = await staffPage();
    idp.setDown(true);
    try {
      await page.getByRole('button', { name: '用统一身份认证登录' }).click();
      await page.locator('consult-sign-in').getByText('暂时无法连接统一身份认证服务').waitFor({ timeout: 20_000 });
      assert.ok(page.url().startsWith(server.url), 'the page stays');
    } finally {
      idp.setDown(false);
    }
    await page.locator('consult-sign-in').getByRole('button', { name: '重试' }).click();
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
  });

  it('"not-a-token" in the demo token field gets the server\'s refusal and no desk', async () => {
    const page = await staffPage();
    await page.getByLabel('工作人员令牌').fill('not-a-token');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.locator('consult-sign-in').getByText('令牌无效').waitFor();
    assert.equal(await page.locator('consult-workflow.staff-view').isVisible(), false);
    assert.equal(await page.locator('consult-workflow').getAttribute('config'), null, 'the desk never loaded its config');
  });

  it('no page errors, no CSP violations, and no token in what the pages logged', () => {
    for (const trouble of troubles) {
      assert.deepEqual(trouble.pageErrors, []);
      assert.deepEqual(trouble.cspViolations, []);
      // A JWT starts with the base64url of '{"': eyJ. The demo token and the typed one likewise.
      for (const line of trouble.consoleErrors) assert.ok(!/eyJ|not-a-token|demo-[a-z]+-qinghe/.test(line), `a console line holds a token: ${line.slice(0, 80)}`);
    }
  });
});

describe('a short-lived provider token: it expires mid-session, the convener signs in again, nothing unsent is lost', () => {
  const TTL_SECONDS = 20;
  let idp: OidcFixture;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let dataDir: string;

  before(async () => {
    const port = await freePort();
    idp = await startOidcProvider({ staffRedirectUris: [`http://127.0.0.1:${port}/staff`], users: USERS, accessTokenTtl: TTL_SECONDS });
    dataDir = mkdtempSync(join(tmpdir(), 'consult-kit-staff-expiry-'));
    const claims = join(dataDir, 'claims.json');
    writeFileSync(claims, JSON.stringify(KEYCLOAK_CLAIMS_MAPPING));
    const options = loadOptions(
      [
        '--seed', CONFIGS, '--portal', PORTAL,
        '--oidc-issuer', idp.issuer, '--oidc-audience', idp.audience, '--oidc-client-id', STAFF_CLIENT_ID, '--oidc-scope', STAFF_SCOPE, '--oidc-claims', claims,
        '--host', '127.0.0.1', '--port', String(port), '--data', join(dataDir, 'db'), '--log-level', 'silent',
      ],
      {},
    );
    server = await startServer(options);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await idp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('offline, the convener screens a topic; the token expires; online again and signed in again, the action reaches the server', async () => {
    // Without a token table (the provider only), a resident raises the topic through the API.
    const titleField = CONFIG.form.pages.flatMap((p) => p.fields).find((f) => f.role === 'title')!;
    const title = '登录测试：过期之后补发';
    const topicId = `t-expiry-${Date.now().toString(36)}`;
    const id = `e-expiry-${Date.now().toString(36)}`;
    const raised = await fetch(`${server.url}/api/programmes/${PROGRAMME}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': id },
      body: JSON.stringify({ id, topicId, event: { type: 'topic.submit', values: { ...validValues(CONFIG), [titleField.name]: title }, source: 'resident', level: CONFIG.level }, by: { role: 'resident' }, at: new Date().toISOString() }),
    });
    assert.equal(raised.status, 201, await raised.text());

    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1200, height: 900 } });
    try {
      const page = await context.newPage();
      const trouble = await watch(page);
      await page.goto(`${server.url}/staff`);
      // The page offers the provider only: no token field without a token table.
      await page.getByRole('button', { name: '用统一身份认证登录' }).waitFor();
      assert.equal(await page.getByLabel('工作人员令牌').count(), 0);
      await page.getByRole('button', { name: '用统一身份认证登录' }).click();
      await page.waitForURL((url) => url.href.startsWith(idp.issuer));
      await page.locator('input[name="login"]').fill('convener-guangshui');
      await page.locator('input[name="password"]').fill('any password');
      await page.locator('button[type="submit"]').first().click();
      await page.waitForURL((url) => url.href.startsWith(idp.issuer) && url.href.includes('interaction'));
      await page.locator('button[type="submit"]').first().click();
      await page.waitForURL((url) => url.href.startsWith(`${server.url}/staff`));
      await page.locator('consult-sign-in').getByText('已登录：周建国').waitFor({ timeout: 20_000 });
      const desk = page.locator('consult-workflow');
      await desk.getByRole('button', { name: title }).first().click({ timeout: 20_000 });

      await context.setOffline(true);
      await page.locator('consult-staff-actions').getByRole('button', { name: '受理', exact: true }).click();
      // The token's lifetime ends: the page says so and hides the desk; the action waits on the device.
      await page.locator('consult-sign-in').getByText('登录已过期').waitFor({ timeout: (TTL_SECONDS + 20) * 1000 });
      assert.equal(await page.locator('consult-workflow.staff-view').isVisible(), false);
      await context.setOffline(false);

      // Signed in again (the provider remembers the person): the waiting action is sent.
      await page.getByRole('button', { name: '用统一身份认证登录' }).click();
      await page.waitForURL((url) => url.href.startsWith(`${server.url}/staff`) && url.searchParams.has('code'), { timeout: 20_000 }).catch(() => undefined);
      if (page.url().startsWith(idp.issuer)) await page.locator('button[type="submit"]').first().click();
      await page.locator('consult-sign-in').getByText('已登录：周建国').waitFor({ timeout: 20_000 });
      let accepted: LogEntry | undefined;
      for (let attempt = 0; attempt < 200 && !accepted; attempt += 1) {
        const res = await fetch(`${server.url}/api/programmes/${PROGRAMME}/topics/${encodeURIComponent(topicId)}/events`, { headers: { authorization: `Bearer ${await idp.tokenFor('admin')}` } });
        accepted = ((await res.json()) as { entries: LogEntry[] }).entries.find((e) => e.event.type === 'screening.accept');
        if (!accepted) await new Promise((r) => setTimeout(r, 150));
      }
      assert.ok(accepted, 'the action kept on the device reached the server after signing in again');
      assert.equal(accepted.by.id, 'convener-guangshui');
      assert.deepEqual(trouble.pageErrors, []);
      assert.deepEqual(trouble.cspViolations, []);
    } finally {
      await context.close();
    }
  });
});
