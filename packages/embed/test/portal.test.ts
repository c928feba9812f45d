/**
 * The example portal (examples/portal) through the reference server, in Chromium: what a
 * resident and a member of staff would notice.
 *
 * - The resident page embeds consult-kit with the two-line snippet under the portal's strict
 *   Content-Security-Policy (Trusted Types included): the form renders, no page errors, no CSP
 *   violations.
 * - The portal's deliberately hostile global CSS (examples/portal/portal.css) changes nothing
 *   inside consult-kit's shadow roots: every element's computed style is the same with and
 *   without it. And the other way: the embed changes nothing of the portal's own styles.
 * - A resident raises a topic through the portal; the server has it.
 * - The staff page signs in with the demo token and shows the staff view.
 * - docs/embedding.md shows the snippet exactly as the portal uses it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../../server/test/helpers.js';
import { DEMO_TOKENS, PORTAL, servePortal } from './portal-server.js';
import { EMBED_ESM, launchChromium, ROOT, watch, type PageTrouble } from './chromium.js';

const PROGRAMME = 'guangshui-xieshang-yixian';
const CONVENER_TOKEN = Object.entries(JSON.parse(DEMO_TOKENS) as Record<string, { role: string }>).find(([, p]) => p.role === 'convener')![0];

/** The properties compared inside the shadow roots (what a person sees of text, boxes and colours). */
const PROPS = [
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'line-height',
  'letter-spacing',
  'text-transform',
  'text-indent',
  'text-decoration-line',
  'box-sizing',
  'display',
  'width',
  'height',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border-top-width',
  'border-top-style',
  'border-top-color',
  'border-left-width',
  'border-left-style',
  'background-color',
  'color',
  'list-style-type',
  'vertical-align',
  'outline-style',
  'appearance',
  'cursor',
];

/** One element's computed style, keyed by where it is (host chain › index in its shadow root › tag). */
type Styles = Record<string, Record<string, string>>;

/** Computed styles of every element inside consult-kit's shadow roots (recursively). */
function shadowStyles(page: Page): Promise<Styles> {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return page.evaluate((props) => {
    const out: Record<string, Record<string, string>> = {};
    const roots: [ShadowRoot, string][] = [];
    // In the body: the head gains the embed's modulepreload links as elements load, as many as it
    // needed so far, which would shift every index.
    document.querySelectorAll('body *').forEach((el, i) => {
      if (el.tagName.startsWith('CONSULT-') && el.shadowRoot) roots.push([el.shadowRoot, `${i}:${el.tagName.toLowerCase()}`]);
    });
    for (let next = roots.shift(); next; next = roots.shift()) {
      const [root, path] = next;
      root.querySelectorAll('*').forEach((el, i) => {
        const style = getComputedStyle(el);
        out[`${path} › ${i}:${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`] = Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
        if (el.shadowRoot) roots.push([el.shadowRoot, `${path} › ${i}:${el.tagName.toLowerCase()}`]);
      });
    }
    return out;
  }, PROPS);
}

/**
 * Computed styles of the portal's own elements (everything in the light DOM but consult-kit's
 * hosts). Not their width and height: the column holding the embed grows with what it shows.
 */
function portalStyles(page: Page): Promise<Styles> {
  return page.evaluate((props) => {
    const out: Record<string, Record<string, string>> = {};
    document.querySelectorAll('body *').forEach((el, i) => {
      if (el.closest('[class*="consult-"], consult-workflow, consult-star-rating') || el.tagName === 'SCRIPT') return;
      const style = getComputedStyle(el);
      out[`${i}:${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.replace(/\s+/g, '.')}` : ''}`] =
        Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
    });
    return out;
  }, PROPS.filter((p) => p !== 'width' && p !== 'height'));
}

/** The first differences between two style maps, readable. */
function differences(a: Styles, b: Styles, limit = 15): string[] {
  const found: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!a[key] || !b[key]) {
      found.push(`${key}: only ${a[key] ? 'with' : 'without'} the hostile CSS`);
    } else {
      for (const p of Object.keys(a[key]!)) {
        if (a[key]![p] !== b[key]![p]) found.push(`${key} ${p}: ${a[key]![p]} ≠ ${b[key]![p]}`);
      }
    }
    if (found.length >= limit) break;
  }
  return found;
}

/** Requests that failed (4xx/5xx), as "<status> <method> <path>". */
function failedRequests(page: Page): string[] {
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  return failed;
}

describe('the example portal (examples/portal) through the reference server', () => {
  let portal: Awaited<ReturnType<typeof servePortal>>;
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  /** A fresh browser context (own IndexedDB, storage) and page, watched. */
  async function open(
    path: string,
    init: { blockPortalCss?: boolean; blockEmbed?: boolean; embed?: string } = {},
  ): Promise<{ page: Page; trouble: PageTrouble; failed: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    if (init.blockPortalCss) await page.route('**/portal.css', (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
    if (init.blockEmbed) await page.route('**/assets/consult-kit.min.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: 'export {};' }));
    if (init.embed !== undefined) await page.route('**/assets/consult-kit.min.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: init.embed }));
    const trouble = await watch(page);
    const failed = failedRequests(page);
    await page.goto(`${server.url}${path}`);
    return { page, trouble, failed };
  }

  /** Adds a star rating beside the workflow (the resident view shows one only once a topic is rated). */
  async function addStarRating(page: Page): Promise<void> {
    await page.evaluate(() => {
      const rating = document.createElement('consult-star-rating');
      rating.setAttribute('name', 'satisfaction');
      rating.setAttribute('lang', 'zh-CN');
      document.querySelector('consult-workflow')!.after(rating);
    });
    await page.locator('consult-star-rating input[type=radio]').first().waitFor();
  }

  /** Signs in on the staff page with the demo convener token and opens the resident's topic. */
  async function openTopicAsConvener(page: Page): Promise<void> {
    const token = await page.locator('[data-demo-token="convener"]').innerText();
    await page.getByLabel('工作人员令牌').fill(token);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    // The role is the one the server's /me names for the token, not a choice on the page.
    await page.locator('consult-sign-in').getByText('已登录：张丽华（演示召集人 demo convener）（召集人）').waitFor();
    // The convener's menu starts with the topics; the resident's topic (raised in an earlier test) is listed.
    await page.locator('consult-workflow nav').getByRole('button', { name: '议题列表' }).waitFor();
    await page.getByRole('button', { name: /清河路口积水严重需改造排水/ }).click();
    await page.locator('consult-staff-actions section.action').first().waitFor();
  }

  before(async () => {
    portal = await servePortal();
    server = portal.server;
    browser = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await portal?.close();
  });

  it('the resident page shows the intake form inside the shadow root, with no page errors and no CSP violations', async () => {
    const { page, trouble, failed } = await open('/');
    await page.getByLabel('议题名称').waitFor();
    assert.equal(await page.locator('h1').first().innerText(), '有事好商量 · 协商在一线');
    // The form is consult-kit's, in its shadow root: not reachable from the document itself.
    assert.equal(await page.evaluate(() => document.querySelectorAll('form, input, textarea, select').length), 0);
    assert.equal(await page.evaluate(() => document.querySelector('consult-workflow')!.shadowRoot!.querySelector('consult-topic-form') !== null), true);
    assert.deepEqual(trouble.pageErrors, []);
    assert.deepEqual(trouble.cspViolations, []);
    // The only failing request: the store's pull of the log, which needs a staff token on this
    // server (--pull-access staff, the default; the log holds residents' names and phone numbers).
    assert.deepEqual(
      failed.filter((f) => f !== `401 GET /api/programmes/${PROGRAMME}/events`),
      [],
    );
    assert.equal(trouble.consoleErrors.length, failed.length, `console errors: ${trouble.consoleErrors.join(' | ')}`);
  });

  it('the hostile global CSS changes nothing inside consult-kit: computed styles are identical with and without portal.css', async () => {
    const hostile = await open('/');
    const clean = await open('/', { blockPortalCss: true });
    for (const { page } of [hostile, clean]) {
      await page.getByLabel('议题名称').waitFor();
      await addStarRating(page);
      // The same width for the embedded elements on both pages (without portal.css the page has
      // no columns), so that sizes inside compare. Through the CSSOM, which the CSP allows.
      await page.evaluate(() => {
        for (const host of document.querySelectorAll<HTMLElement>('consult-workflow, consult-star-rating')) host.style.width = '704px';
      });
    }
    // The hostile rules are really there (a bare <div> of the portal gets `div { margin: 4px }`).
    assert.equal(await hostile.page.evaluate(() => getComputedStyle(document.querySelector('.hotline')!).marginLeft), '4px');
    assert.equal(await clean.page.evaluate(() => getComputedStyle(document.querySelector('.hotline')!).marginLeft), '0px');

    const [withCss, withoutCss] = [await shadowStyles(hostile.page), await shadowStyles(clean.page)];
    const tags = new Set(Object.keys(withCss).map((k) => k.replace(/^.*:([a-z0-9-]+)(#.*)?$/, '$1')));
    for (const tag of ['h2', 'label', 'input', 'textarea', 'select', 'button', 'fieldset', 'legend', 'p']) {
      assert.ok(tags.has(tag), `a <${tag}> inside the shadow roots is compared (found: ${[...tags].join(', ')})`);
    }
    assert.deepEqual(differences(withCss, withoutCss), []);
    assert.deepEqual(withCss, withoutCss);
  });

  it('nothing leaks out: the portal keeps its own (hostile) styles with the embed on the page', async () => {
    const embedded = await open('/');
    const bare = await open('/', { blockEmbed: true });
    await embedded.page.getByLabel('议题名称').waitFor();
    assert.equal(await bare.page.evaluate(() => customElements.get('consult-workflow')), undefined);
    const [withEmbed, withoutEmbed] = [await portalStyles(embedded.page), await portalStyles(bare.page)];
    assert.ok(Object.keys(withEmbed).length > 50, 'the portal\'s header, navigation, news and footer are compared');
    assert.deepEqual(differences(withEmbed, withoutEmbed), []);
    // No style sheet was added to the document (consult-kit's styles live in its shadow roots).
    const sheets = (page: Page) => page.evaluate(() => ({ sheets: document.styleSheets.length, adopted: document.adoptedStyleSheets.length }));
    assert.deepEqual(await sheets(embedded.page), await sheets(bare.page));
  });

  it('a resident raises a topic through the portal, and the server has it', async () => {
    const { page, trouble } = await open('/');
    const title = '清河路口积水严重需改造排水';
    await page.getByLabel('议题名称').fill(title);
    await page.getByLabel('所属领域').selectOption({ label: '供排水' });
    await page.getByLabel('问题描述').fill('每逢大雨，清河路与人民路交叉口积水没过脚踝，行人和电动车只能绕行，附近老人出行很不方便，已向社区反映过两次。');
    await page.getByLabel('问题所在位置').fill('清河路与人民路交叉口');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByLabel('姓名').fill('王秀英');
    await page.getByLabel('手机号码').fill('13800000000');
    await page.getByLabel('我已阅读隐私说明', { exact: false }).check();
    await page.getByRole('button', { name: '提交议题' }).click();
    await page.getByText('感谢您提出议题').waitFor();

    // The convener's view of the log (the demo token), as the staff page would pull it.
    let submitted: { event: { type: string; values?: Record<string, unknown> } } | undefined;
    for (let attempt = 0; attempt < 100 && !submitted; attempt += 1) {
      const res = await fetch(`${server.url}/api/programmes/${PROGRAMME}/events`, { headers: { authorization: `Bearer ${CONVENER_TOKEN}` } });
      assert.equal(res.status, 200);
      const { entries } = (await res.json()) as { entries: { event: { type: string; values?: Record<string, unknown> } }[] };
      submitted = entries.find((e) => e.event.type === 'topic.submit' && e.event.values?.title === title);
      if (!submitted) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(submitted, 'the topic reached the server');
    assert.equal(submitted.event.values?.area, 'water');
    assert.deepEqual(trouble.pageErrors, []);
    assert.deepEqual(trouble.cspViolations, []);
  });

  it('the staff page signs in with the demo token and shows the staff view, with no errors', async () => {
    const { page, trouble, failed } = await open('/staff');
    await openTopicAsConvener(page);
    assert.deepEqual(trouble.pageErrors, []);
    assert.deepEqual(trouble.cspViolations, []);
    assert.deepEqual(failed, []);
    assert.deepEqual(trouble.consoleErrors, []);
  });

  it('the embed\'s minified CSS computes exactly as the CSS as written, on the resident and the staff page', async () => {
    // The same sources bundled without any minifying, in one file (the classic build's source, as
    // a module): every style sheet as written in packages/elements/src (comments, indentation,
    // long forms). The page loads it in place of the module build's entry.
    const { build } = await import('esbuild');
    const asWritten = (
      await build({
        entryPoints: [join(ROOT, 'packages/embed/src/consult-kit.iife.ts')],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        conditions: ['production'],
        target: 'es2022',
        logLevel: 'silent',
      })
    ).outputFiles[0]!.text;
    const chunks = join(EMBED_ESM, '../chunks');
    const minified = [EMBED_ESM, ...readdirSync(chunks).filter((f) => f.endsWith('.js')).map((f) => join(chunks, f))].map((f) => readFileSync(f, 'utf8')).join('\n');
    // The two really differ in their CSS: a comment in the timeline's styles is only in one.
    const comment = '/* Line breaks a person typed (findings, feedback, reasons) are kept. */';
    assert.ok(asWritten.includes(comment) && !minified.includes(comment), 'the comparison is between minified and unminified CSS');

    const pages: [string, (page: Page) => Promise<void>][] = [
      ['/', async (page) => {
        await page.getByLabel('议题名称').waitFor();
        await addStarRating(page);
      }],
      ['/staff', openTopicAsConvener],
    ];
    const compared = new Set<string>();
    for (const [path, show] of pages) {
      const built = await open(path);
      const written = await open(path, { embed: asWritten });
      for (const { page } of [built, written]) await show(page);
      const [a, b] = [await shadowStyles(built.page), await shadowStyles(written.page)];
      assert.ok(Object.keys(a).length > 40, `${path}: the elements inside the shadow roots are compared (${Object.keys(a).length})`);
      for (const key of Object.keys(a)) for (const [, tag] of key.matchAll(/\d:(consult-[a-z-]+)/g)) compared.add(tag!);
      assert.deepEqual(differences(a, b), [], path);
      assert.deepEqual(a, b, path);
      for (const { trouble } of [built, written]) {
        assert.deepEqual(trouble.pageErrors, []);
        assert.deepEqual(trouble.cspViolations, []);
      }
    }
    assert.deepEqual([...compared].sort(), ['consult-meeting-timeline', 'consult-overdue-list', 'consult-performance-file', 'consult-report-exports', 'consult-sign-in', 'consult-staff-actions', 'consult-star-rating', 'consult-topic-form', 'consult-workflow']);
  });

  it('docs/embedding.md shows the snippet exactly as the portal uses it', () => {
    const doc = readFileSync(join(ROOT, 'docs/embedding.md'), 'utf8');
    const section = /<!-- snippet:start -->([\s\S]*?)<!-- snippet:end -->/.exec(doc)?.[1] ?? '';
    const fence = /```html\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const page = readFileSync(join(PORTAL, 'index.html'), 'utf8');
    const script = '<script src="/assets/consult-kit.min.js" type="module"></script>';
    const element = /<consult-workflow [^>]*><\/consult-workflow>/.exec(page)?.[0];
    assert.ok(element, 'index.html embeds <consult-workflow>');
    assert.ok(page.includes(`${script}\n    ${element}`), 'index.html has the two lines together');
    assert.deepEqual(fence.trim().split('\n'), [script, element]);
  });
});
