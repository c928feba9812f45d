/**
 * The built embed in Chromium, as a portal loads it: the IIFE through a classic script tag, the
 * ESM through a module script, and what the page sees when the config is missing or wrong —
 * a readable message in place and a `consult-error` event, never an error in the host page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EMBED_ESM, EMBED_IIFE, ROOT, launchChromium, serve, watch, type PageTrouble, type TestServer } from './chromium.js';

const version = (JSON.parse(readFileSync(join(ROOT, 'packages/embed/package.json'), 'utf8')) as { version: string }).version;
const config = readFileSync(join(ROOT, 'examples/configs/wuxi-community.json'), 'utf8');
const badConfig = JSON.stringify({ ...JSON.parse(config), level: 'galaxy', steps: 'none' });

/** The fenced block of `lang` that follows `heading` in docs/embedding.md: the docs' snippets are the ones tested. */
function docBlock(heading: string, lang: string): string {
  const doc = readFileSync(join(ROOT, 'docs/embedding.md'), 'utf8');
  const section = doc.slice(doc.indexOf(`\n${heading}\n`));
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section);
  if (!match) throw new Error(`docs/embedding.md has no ${lang} block under ${heading}`);
  return match[1]!;
}

const page = (head: string, body: string): string =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>portal</title>${head}</head><body>${body}</body></html>`;

let server: TestServer;
let browser: Browser;

before(async () => {
  server = await serve({
    // The module build's chunks, beside its entry.
    dirs: { '/assets/chunks/': join(EMBED_ESM, '../chunks') },
    routes: {
      '/assets/consult-kit.min.js': { body: readFileSync(EMBED_ESM) },
      '/assets/consult-kit.iife.min.js': { body: readFileSync(EMBED_IIFE) },
      '/consult/programme.json': { body: config, type: 'application/json' },
      '/consult/bad.json': { body: badConfig, type: 'application/json' },
      '/iife.html': { body: page('<script src="/assets/consult-kit.iife.min.js"></script>', '<consult-workflow config="/consult/programme.json"></consult-workflow>') },
      '/esm.html': { body: page('<script src="/assets/consult-kit.min.js" type="module"></script>', '<consult-workflow config="/consult/programme.json" lang="en"></consult-workflow>') },
      '/missing.html': { body: page('<script src="/assets/consult-kit.min.js" type="module"></script>', '<consult-workflow config="/consult/gone.json"></consult-workflow>') },
      '/missing-en.html': { body: page('<script src="/assets/consult-kit.min.js" type="module"></script>', '<consult-workflow config="/consult/gone.json" lang="en"></consult-workflow>') },
      '/theme.css': { body: docBlock('## Theming', 'css'), type: 'text/css' },
      '/report-errors.js': { body: `window.reported = []; window.myPortal = { report: (code, message) => window.reported.push({ code, message }) };\n${docBlock('## Events', 'js')}` },
      '/themed.html': {
        body: page(
          '<link rel="stylesheet" href="/theme.css"><script src="/report-errors.js"></script><script src="/assets/consult-kit.min.js" type="module"></script>',
          '<consult-workflow config="/consult/programme.json" lang="en"></consult-workflow><consult-workflow config="/consult/gone.json" lang="en"></consult-workflow>',
        ),
      },
      '/bad.html': { body: page('<script src="/assets/consult-kit.min.js" type="module"></script>', '<consult-workflow config="/consult/bad.json" lang="en"></consult-workflow>') },
    },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page in a fresh context, recording consult-error events and every page trouble. */
async function open(path: string): Promise<{ page: Page; trouble: PageTrouble; errors: () => Promise<{ code: string; message: string }[]> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const trouble = await watch(page);
  // The host page's own listener, as a portal would write it; allowed to log.
  await page.addInitScript(() => {
    const seen: { code: string; message: string }[] = [];
    (window as unknown as { __consultErrors: typeof seen }).__consultErrors = seen;
    document.addEventListener('consult-error', (event) => {
      const { code, message } = (event as CustomEvent<{ code: string; message: string }>).detail;
      seen.push({ code, message });
    });
  });
  await page.goto(`${server.url}${path}`);
  return { page, trouble, errors: () => page.evaluate(() => (window as unknown as { __consultErrors: { code: string; message: string }[] }).__consultErrors) };
}

/** The text of the message the workflow shows in place (inside its shadow root). */
const shownText = (page: Page): Promise<string> => page.getByRole('alert').innerText();

describe('the built embed in a portal page', () => {
  test('the IIFE through a classic script tag: window.ConsultKit, every tag defined, the form in zh-CN', async () => {
    const { page, trouble } = await open('/iife.html');
    await page.getByRole('textbox', { name: /议题/ }).first().waitFor();
    const global = await page.evaluate(() => {
      const kit = (window as unknown as { ConsultKit?: { version: string; ConsultWorkflow: unknown } }).ConsultKit;
      return {
        version: kit?.version,
        classMatches: kit?.ConsultWorkflow === customElements.get('consult-workflow'),
        tags: ['consult-workflow', 'consult-topic-form', 'consult-star-rating', 'consult-meeting-timeline', 'consult-outcome-tracker', 'consult-programme-figures', 'consult-staff-actions'].filter((tag) => customElements.get(tag)),
      };
    });
    assert.equal(global.version, version);
    assert.equal(global.classMatches, true, 'window.ConsultKit.ConsultWorkflow is the class behind <consult-workflow>');
    assert.equal(global.tags.length, 7, `defined: ${global.tags.join(', ')}`);
    assert.deepEqual(trouble, { pageErrors: [], consoleErrors: [], cspViolations: [] });
    await page.context().close();
  });

  test('the ESM through a module script: the form in English, and a resident can move to the next step', async () => {
    const { page, trouble } = await open('/esm.html');
    await page.getByRole('textbox', { name: /^Topic/ }).fill('A lift for Block 3');
    await page.getByRole('textbox', { name: /What is happening/ }).fill('Elderly residents on the sixth floor cannot get down the stairs.');
    await page.getByRole('combobox', { name: /Category/ }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(/Step 2 of 2/).waitFor();
    assert.deepEqual(trouble, { pageErrors: [], consoleErrors: [], cspViolations: [] });
    await page.context().close();
  });

  test('a config that cannot be loaded: a readable message in place and consult-error, nothing thrown into the page', async () => {
    for (const [path, words] of [
      ['/missing.html', '无法加载表单'],
      ['/missing-en.html', 'could not be loaded'],
    ] as const) {
      const { page, trouble, errors } = await open(path);
      await page.getByRole('alert').waitFor();
      const text = await shownText(page);
      assert.match(text, new RegExp(words), `${path} shows: ${text}`);
      assert.match(text, /404/, 'the message says what went wrong');
      assert.deepEqual((await errors()).map((e) => e.code), ['load-failed']);
      assert.deepEqual(trouble.pageErrors, [], 'no error reached the host page');
      await page.context().close();
    }
  });

  test('a config with faults: every fault listed with its JSON Pointer, consult-error, no page error', async () => {
    const { page, trouble, errors } = await open('/bad.html');
    await page.getByRole('alert').waitFor();
    const text = await shownText(page);
    assert.match(text, /configuration has \d+ error/);
    assert.match(text, /\/level/, 'the pointer of the bad level is shown');
    assert.match(text, /\/steps/, 'the pointer of the bad steps is shown');
    assert.deepEqual((await errors()).map((e) => e.code), ['config-invalid']);
    assert.deepEqual(trouble.pageErrors, []);
    await page.context().close();
  });

  test('the docs\' theming and error-listening snippets, as written, do what the docs say', async () => {
    const { page, trouble } = await open('/themed.html');
    const first = page.locator('consult-workflow').first();
    const next = first.getByRole('button', { name: 'Next' });
    await next.waitFor();
    const looks = await page.evaluate(() => {
      const host = document.querySelector('consult-workflow')!;
      const nav = host.shadowRoot!.querySelector('nav')!;
      const form = host.shadowRoot!.querySelector('consult-topic-form')!;
      const button = [...form.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Next')!;
      return {
        button: getComputedStyle(button).backgroundColor,
        fontSize: getComputedStyle(host).fontSize,
        maxWidth: getComputedStyle(host).maxWidth,
        navMargin: getComputedStyle(nav).marginBlockEnd,
      };
    });
    assert.deepEqual(looks, { button: 'rgb(11, 87, 208)', fontSize: '17px', maxWidth: '768px', navMargin: '24px' });
    await page.getByRole('alert').waitFor();
    const reported = await page.evaluate(() => (window as unknown as { reported: { code: string }[] }).reported.map((r) => r.code));
    assert.deepEqual(reported, ['load-failed'], "the portal's listener heard the second element's error");
    assert.deepEqual(trouble.pageErrors, []);
    await page.context().close();
  });
});
