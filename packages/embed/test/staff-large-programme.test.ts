/**
 * Staff on a large programme pull only what they open (issue 15, point 3), on the reference
 * server (the example configs seeded, default settings), the one-file embed, real Chromium and
 * real IndexedDB. The page sets `index-above="3"` so that a programme of five topics counts as
 * large: the staff topic list (议题列表) pages through the server's index, the text search goes to
 * the server as `q`, opening a topic pulls only that topic (`GET …/topics/{id}/events`), the
 * outcomes view says it is paged from the server, and the whole programme's log
 * (`GET …/events`) is never asked for. The same page with the default threshold pulls the whole
 * log, as before.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parseWorkflowConfig } from '@consult-kit/machine';
import { loadOptions } from '../../server/src/config.js';
import { startServer } from '../../server/src/server.js';
import { validValues } from '../../machine/test/fixtures.js';
import { launchChromium, ROOT, watch, type PageTrouble } from './chromium.js';

const PORTAL = join(ROOT, 'examples/portal');
const CONFIGS = join(ROOT, 'examples/configs');
const RAW = JSON.parse(readFileSync(join(CONFIGS, 'wuxi-community.json'), 'utf8')) as { id: string };
const PROGRAMME = RAW.id;
const parsed = parseWorkflowConfig(RAW);
if (!parsed.ok) throw new Error('wuxi-community.json does not parse');
const CONFIG = parsed.config;
const TITLE_FIELD = CONFIG.form.pages.flatMap((p) => p.fields).find((f) => f.role === 'title')!.name;

const page = (indexAbove: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>staff desk</title></head>
<body><main>
<script src="/assets/consult-kit.min.js" type="module"></script>
<consult-workflow config="/api/programmes/${PROGRAMME}/config" endpoint="/api" user-role="convener" ${indexAbove}></consult-workflow>
</main></body></html>`;

describe('staff on a large programme list it from the server’s index and pull only the topics they open', () => {
  let dataDir: string;
  let portalDir: string;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const troubles: PageTrouble[] = [];
  const titles: string[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'consult-kit-large-data-'));
    portalDir = mkdtempSync(join(tmpdir(), 'consult-kit-large-portal-'));
    cpSync(PORTAL, portalDir, { recursive: true });
    writeFileSync(join(portalDir, 'large.html'), page('index-above="3"'));
    writeFileSync(join(portalDir, 'small.html'), page(''));
    const options = loadOptions(['--seed', CONFIGS, '--portal', portalDir, '--port', '0', '--data', dataDir, '--log-level', 'silent'], {});
    server = await startServer(options);
    // Five residents' topics: above the page's threshold of 3.
    for (let i = 1; i <= 5; i += 1) {
      const title = `大项目议题 ${i} 编号Q${i}X`;
      titles.push(title);
      const id = `large-submit-${i}`;
      const res = await fetch(`${server.url}/api/programmes/${PROGRAMME}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': id },
        body: JSON.stringify({
          id,
          topicId: `large-topic-${i}`,
          event: { type: 'topic.submit', values: { ...validValues(CONFIG), [TITLE_FIELD]: title }, source: 'resident' },
          by: { role: 'resident' },
          at: new Date(Date.UTC(2026, 4, 1, 8, i)).toISOString(),
        }),
      });
      assert.equal(res.status, 201, await res.text());
    }
    browser = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(portalDir, { recursive: true, force: true });
  });

  /** A fresh device on a page, with the API requests it makes. */
  async function open(path: string): Promise<{ page: Page; requests: string[] }> {
    const context = await browser.newContext({ locale: 'zh-CN' });
    contexts.push(context);
    const p = await context.newPage();
    troubles.push(await watch(p));
    const requests: string[] = [];
    p.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/') && r.method() === 'GET') requests.push(url.pathname + url.search);
    });
    await p.goto(`${server.url}${path}`);
    return { page: p, requests };
  }
  const base = `/api/programmes/${PROGRAMME}`;
  const wholeLog = (requests: string[]) => requests.filter((r) => r === `${base}/events` || r.startsWith(`${base}/events?`));

  it('lists from the index (count, search by q), opens one topic by its own pull, never the whole log', async () => {
    const { page: p, requests } = await open('/large.html');
    const wf = p.locator('consult-workflow');
    const items = wf.locator('ul.topics button');
    await wf.locator('[data-source="index"]').waitFor({ timeout: 20_000 });
    await assert.doesNotReject(async () => {
      const end = Date.now() + 20_000;
      while ((await items.count()) !== 5) {
        if (Date.now() > end) throw new Error(`the list shows ${await items.count()} topics`);
        await p.waitForTimeout(100);
      }
    });
    assert.deepEqual((await items.locator('.title').allTextContents()).sort(), [...titles].sort(), 'the server’s topics, not replayed ones');
    assert.match((await wf.locator('#index-count').textContent())!, /共 5 个/);
    assert.match((await wf.locator('[part="index-note"]').textContent())!, /5 个议题/);
    assert.ok(requests.some((r) => r.startsWith(`${base}/topics?`) && r.includes('limit=1')), 'asked the index for its total');

    // Words go to the server as q.
    await wf.locator('#topic-search').fill('Q3X');
    await wf.locator('#topic-search').press('Enter');
    await wf.locator('ul.topics button', { hasText: 'Q3X' }).waitFor();
    const end = Date.now() + 10_000;
    while ((await items.count()) !== 1 && Date.now() < end) await p.waitForTimeout(100);
    assert.equal(await items.count(), 1);
    assert.ok(requests.some((r) => r.startsWith(`${base}/topics?`) && r.includes('q=Q3X')), 'searched on the server');

    // Opening it pulls only it, and shows it.
    await items.first().click();
    await wf.locator('consult-meeting-timeline').getByText(titles[2]!).first().waitFor({ timeout: 20_000 });
    assert.ok(requests.includes(`${base}/topics/large-topic-3/events`), 'the topic’s own pull');
    const pulledTopics = requests.filter((r) => /\/topics\/[^/?]+\/events/.test(r)).map((r) => r.split('/')[5]);
    assert.deepEqual([...new Set(pulledTopics)], ['large-topic-3'], 'no other topic pulled');

    // The outcomes view reads the index and says so.
    await wf.locator('nav').getByRole('button', { name: '成果办理' }).click();
    const tracker = wf.locator('consult-outcome-tracker');
    await tracker.locator('[part="source"]').getByText('按页从服务器读取', { exact: false }).waitFor({ timeout: 20_000 });

    assert.deepEqual(wholeLog(requests), [], 'the whole programme’s log was never pulled');
    assert.deepEqual(troubles.flatMap((t) => [...t.pageErrors, ...t.cspViolations]), [], 'no page errors, no CSP violations');
  });

  it('the same page with the default threshold pulls the whole log and lists the replayed topics, as before', async () => {
    const { page: p, requests } = await open('/small.html');
    const wf = p.locator('consult-workflow');
    const items = wf.locator('ul.topics button');
    const end = Date.now() + 20_000;
    while ((await items.count()) !== 5 && Date.now() < end) await p.waitForTimeout(100);
    assert.equal(await items.count(), 5);
    assert.equal(await wf.locator('[data-source="index"]').count(), 0, 'not the index list');
    assert.ok(wholeLog(requests).length > 0, 'the whole log was pulled');
  });
});
