/**
 * The built embed under the Content-Security-Policy headers that docs/embedding.md gives a portal,
 * in Chromium: no CSP (the reference); a strict CSP; the same with Trusted Types; another copy of
 * Lit on the page (and consult-kit loaded twice); a browser without constructable stylesheets
 * (Lit's `<style nonce>` fallback). Each case is a real page served with that header, and must
 * show no CSP violation, no page error and no console error, render the workflow, let a person
 * fill in the first page of the form, go on to the next and open another view, and compute the
 * same styles as the reference. The headers are read from the ```http blocks of the CSP section
 * of docs/embedding.md, so the page and this test cannot drift apart.
 *
 * Negative controls make sure the CSP really is enforced here: an inline script and style are
 * blocked and reported; an HTML string written into a DOM sink under Trusted Types is refused;
 * and each directive the docs add is shown to be needed (without 'allow-duplicates' a second Lit
 * is refused; without the nonce Lit's fallback styles are blocked and the styles differ).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { EMBED_ESM, EMBED_IIFE, ROOT, launchChromium, serve, watch, type PageTrouble, type TestServer } from './chromium.js';

const FIXTURES = join(ROOT, 'packages/embed/test/fixtures/csp');

// ── The headers, as docs/embedding.md gives them ─────────────────────────────────────────────

const HEADINGS = {
  strict: 'Strict CSP',
  trustedTypes: 'Strict CSP with Trusted Types',
  anotherLit: 'Another copy of Lit on the page',
  nonce: 'Browsers without constructable stylesheets',
} as const;

/** The CSP section of docs/embedding.md, as its `### ` headings → their text. */
function documentedSections(): Map<string, string> {
  const doc = readFileSync(join(ROOT, 'docs/embedding.md'), 'utf8');
  const start = doc.indexOf('<!-- csp:start -->');
  const end = doc.indexOf('<!-- csp:end -->');
  assert.ok(start >= 0 && end > start, 'docs/embedding.md has a <!-- csp:start --> … <!-- csp:end --> section');
  const sections = new Map<string, string>();
  for (const part of doc.slice(start, end).split(/^### /m).slice(1)) {
    const newline = part.indexOf('\n');
    sections.set(part.slice(0, newline).trim(), part.slice(newline));
  }
  return sections;
}

/** The `Content-Security-Policy` value under each `### ` heading of the CSP section. */
function documentedHeaders(): Record<keyof typeof HEADINGS, string> {
  const sections = documentedSections();
  const headerUnder = (heading: string): string => {
    const section = sections.get(heading);
    assert.ok(section, `docs/embedding.md: no "### ${heading}" in the CSP section (found: ${[...sections.keys()].join(' | ')})`);
    const blocks = [...section.matchAll(/^```http\n([\s\S]*?)^```/gm)].map((m) => m[1]!.trim());
    assert.equal(blocks.length, 1, `"### ${heading}" has exactly one \`\`\`http block`);
    const lines = blocks[0]!.split('\n');
    assert.equal(lines.length, 1, `the http block under "### ${heading}" is one line`);
    const match = /^Content-Security-Policy: (.+)$/.exec(lines[0]!);
    assert.ok(match, `the http block under "### ${heading}" is a Content-Security-Policy header`);
    return match[1]!;
  };
  return {
    strict: headerUnder(HEADINGS.strict),
    trustedTypes: headerUnder(HEADINGS.trustedTypes),
    anotherLit: headerUnder(HEADINGS.anotherLit),
    nonce: headerUnder(HEADINGS.nonce),
  };
}

/** A policy as a map of directive → its sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!.toLowerCase(), sources]),
  );
}

// ── What a person sees: computed styles inside the shadow roots ─────────────────────────────

/** Elements to compare: a path of selectors, each but the last leading into a shadow root. */
type Targets = Record<string, string[]>;

const FORM = ['consult-workflow', 'consult-topic-form'];
/** The intake view as it opens: the workflow's tabs and heading, the form's first page. */
const INTAKE: Targets = {
  'nav tab (current)': ['consult-workflow', 'nav button[aria-current="page"]'],
  'nav tab (other)': ['consult-workflow', 'nav li:nth-child(2) button'],
  'view heading': ['consult-workflow', 'section > h2'],
  'form caption': [...FORM, '.caption'],
  'progress text': [...FORM, '.progress-text'],
  'progress bar': [...FORM, 'progress'],
  'page heading': [...FORM, 'h2.heading'],
  'page lede': [...FORM, '.lede'],
  'title label': [...FORM, 'label[for="f-title"]'],
  'required mark': [...FORM, 'label[for="f-title"] .required'],
  'title hint': [...FORM, '#f-title-hint'],
  'title input': [...FORM, '#f-title'],
  'description textarea': [...FORM, '#f-description'],
  'category select': [...FORM, '#f-category'],
  'households input': [...FORM, '#f-households'],
  'photos button': [...FORM, 'label.button[for="f-photos"]'],
  'next button': [...FORM, 'button.button--primary'],
};

const FIGURES_VIEW = ['consult-workflow', 'consult-programme-figures'];
/** The figures view, opened from its tab. */
const FIGURES: Targets = {
  'nav tab (current)': ['consult-workflow', 'nav button[aria-current="page"]'],
  'view heading': ['consult-workflow', 'section > h2'],
  'figures heading': [...FIGURES_VIEW, 'h2.heading'],
  'figure card': [...FIGURES_VIEW, '.card'],
  'figure label': [...FIGURES_VIEW, '.card .label'],
  'figure value': [...FIGURES_VIEW, '.card .value'],
  'chart track': [...FIGURES_VIEW, '.chart rect.track'],
  'chart caption': [...FIGURES_VIEW, '.chart .caption'],
};

const PROPERTIES = [
  'display',
  'font-family',
  'font-size',
  'font-weight',
  'line-height',
  'color',
  'background-color',
  'border-top-width',
  'border-top-style',
  'border-top-color',
  'border-right-width',
  'border-bottom-width',
  'border-bottom-style',
  'border-bottom-color',
  'border-left-width',
  'border-top-left-radius',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'margin-top',
  'margin-bottom',
  'width',
  'height',
  'outline-style',
  'box-shadow',
  'text-decoration-line',
  'accent-color',
  'cursor',
  'fill',
];

type Styles = Record<string, Record<string, string>>;

function computedStyles(page: Page, targets: Targets): Promise<Styles> {
  return page.evaluate(
    ({ styled, properties }) => {
      const out: Record<string, Record<string, string>> = {};
      for (const [name, path] of Object.entries(styled)) {
        let root: ParentNode = document;
        let element: Element | null = null;
        for (const [i, selector] of path.entries()) {
          element = root.querySelector(selector);
          if (!element) throw new Error(`${name}: nothing matches ${path.slice(0, i + 1).join(' » ')}`);
          if (i < path.length - 1) {
            if (!element.shadowRoot) throw new Error(`${name}: ${selector} has no shadow root`);
            root = element.shadowRoot;
          }
        }
        const style = getComputedStyle(element!);
        out[name] = Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]));
      }
      return out;
    },
    { styled: targets, properties: PROPERTIES },
  );
}

/** How the shadow roots got their styles: adopted stylesheets, or `<style>` elements (and their nonces). */
function styleMechanism(page: Page): Promise<{ adopted: number[]; styleElements: number[]; nonces: string[]; api: boolean }> {
  return page.evaluate(() => {
    const roots = ['consult-workflow', 'consult-topic-form'].map((tag) => {
      const host = tag === 'consult-workflow' ? document.querySelector(tag) : document.querySelector('consult-workflow')?.shadowRoot?.querySelector(tag);
      if (!host?.shadowRoot) throw new Error(`<${tag}> has no shadow root`);
      return host.shadowRoot;
    });
    const api = 'adoptedStyleSheets' in ShadowRoot.prototype;
    return {
      api,
      adopted: roots.map((r) => (api ? r.adoptedStyleSheets.length : 0)),
      styleElements: roots.map((r) => r.querySelectorAll('style').length),
      nonces: roots.flatMap((r) => [...r.querySelectorAll('style')].map((s) => s.nonce ?? '')),
    };
  });
}

// ── The server, the browser, one page per case ───────────────────────────────────────────────

let server: TestServer;
let browser: Browser;
let headers: Record<keyof typeof HEADINGS, string>;
/** The nonce of the last page served with the nonce header. */
let lastNonce = '';

before(async () => {
  headers = documentedHeaders();
  const widget = await build({
    entryPoints: [join(FIXTURES, 'host-widget.ts')],
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const file = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
  /** A fixture page with its policy (or none); the docs' `{NONCE}` becomes a fresh nonce per response. */
  const page = (html: string, policy: string | undefined) => () => {
    if (policy === undefined) return { body: html };
    if (!policy.includes('{NONCE}')) return { body: html, headers: { 'content-security-policy': policy } };
    const nonce = randomBytes(16).toString('base64');
    lastNonce = nonce;
    return {
      body: html.replaceAll('{NONCE}', nonce),
      headers: { 'content-security-policy': policy.replaceAll('{NONCE}', nonce) },
    };
  };
  const routes = {
    '/a/workflow.html': page(file('workflow.html'), undefined),
    '/b/workflow.html': page(file('workflow.html'), headers.strict),
    '/c/workflow.html': page(file('workflow.html'), headers.trustedTypes),
    '/d/another-lit.html': page(file('another-lit.html'), headers.anotherLit),
    '/e/no-constructable.html': page(file('no-constructable.html'), headers.nonce),
    '/c/sign-in.html': page(file('sign-in.html'), headers.trustedTypes),
    // What the reference server answers the sign-in element (a token table, and who the token is).
    '/api/identity': { body: JSON.stringify({ tokens: true }), type: 'application/json' },
    '/api/me': { body: JSON.stringify({ id: 'c-01', name: '张丽华', roles: ['convener'], source: 'token' }), type: 'application/json' },
    // Negative controls.
    '/none/inline.html': page(file('inline.html'), undefined),
    '/b/inline.html': page(file('inline.html'), headers.strict),
    '/c/tt-sink.html': page(file('tt-sink.html'), headers.trustedTypes),
    '/c/another-lit.html': page(file('another-lit.html'), headers.trustedTypes),
    '/e/no-constructable-nonce-missing.html': page(file('no-constructable-nonce-missing.html'), headers.nonce),
    // The portal's own assets.
    '/assets/consult-kit.min.js': { body: readFileSync(EMBED_ESM), type: 'text/javascript; charset=utf-8' },
    '/assets/consult-kit.iife.min.js': { body: readFileSync(EMBED_IIFE), type: 'text/javascript; charset=utf-8' },
    '/csp/host-widget.js': { body: widget.outputFiles[0]!.contents, type: 'text/javascript; charset=utf-8' },
  };
  // The module build's chunks, beside its entry.
  server = await serve({ routes, dirs: { '/csp/': FIXTURES, '/configs/': join(ROOT, 'examples/configs'), '/assets/chunks/': join(EMBED_ESM, '../chunks') } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

interface Opened {
  page: Page;
  trouble: PageTrouble;
  /** Names of the Trusted Types policies the page created, in order. */
  policies: () => Promise<string[]>;
  /** Every URL the page requested. */
  requests: string[];
  close: () => Promise<void>;
}

/** Opens a page in a fresh context (its own IndexedDB), watching everything that goes wrong. */
async function open(path: string): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const trouble = await watch(page);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  // Counts the Trusted Types policies the page's scripts create (an observer: it passes each
  // call through unchanged). Injected by the test harness, so the page's CSP does not apply to it.
  await page.addInitScript(() => {
    const w = window as unknown as { __ttPolicies: string[]; trustedTypes?: { createPolicy(name: string, rules: unknown): unknown } };
    w.__ttPolicies = [];
    const factory = w.trustedTypes;
    if (!factory) return;
    const create = factory.createPolicy.bind(factory);
    factory.createPolicy = (name, rules) => {
      w.__ttPolicies.push(name);
      return create(name, rules);
    };
  });
  await page.goto(`${server.url}${path}`);
  return {
    page,
    trouble,
    requests,
    policies: () => page.evaluate(() => (window as unknown as { __ttPolicies: string[] }).__ttPolicies),
    close: () => context.close(),
  };
}

/** Lets pending violation reports and console messages arrive (two frames and a task). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)))),
  );
}

function assertClean(trouble: PageTrouble): void {
  assert.deepEqual(trouble.cspViolations, [], 'no CSP violation');
  assert.deepEqual(trouble.pageErrors, [], 'no page error');
  assert.deepEqual(trouble.consoleErrors, [], 'no console error');
}

/** The workflow is there: its intake form's fields are in the form's shadow root. */
async function waitForForm(page: Page): Promise<void> {
  await page.locator('consult-workflow consult-topic-form #f-title').waitFor();
}

/** What a person sees in the two views the test visits. */
interface Seen {
  intake: Styles;
  figures: Styles;
}

/**
 * A resident uses it: the intake view's styles as it opens; then fills in the first page of the
 * form, goes on to the second, and opens the figures (whose styles are taken there).
 */
async function useIt(page: Page): Promise<Seen> {
  await waitForForm(page);
  const intake = await computedStyles(page, INTAKE);

  await page.getByRole('textbox', { name: /议题名称/ }).fill('3号楼加装电梯');
  await page.getByRole('textbox', { name: /具体情况/ }).fill('3号楼是六层老楼，住着很多行动不便的老人，上下楼很困难，希望大家商量加装电梯。');
  await page.getByRole('combobox', { name: /议题类别/ }).selectOption('lift');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '您的信息', exact: true }).waitFor();
  assert.equal(await page.locator('consult-topic-form .progress-text').innerText(), '第 2 步，共 2 步');
  await page.getByRole('textbox', { name: /姓名/ }).waitFor();

  await page.getByRole('button', { name: '统计数据' }).click();
  await page.getByRole('heading', { name: '统计数据', level: 2 }).waitFor();
  assert.equal(await page.locator('consult-workflow').getAttribute('view'), 'figures', 'the workflow reflects the view it shows');
  await page.locator('consult-programme-figures').getByRole('heading', { name: '提出议题' }).waitFor();
  const figures = await computedStyles(page, FIGURES);
  return { intake, figures };
}

/** Only the page's own files and the config: consult-kit loads nothing else. */
function assertSameOriginLoads(requests: string[]): void {
  const others = requests.filter((url) => !url.startsWith(`${server.url}/`));
  assert.deepEqual(others, [], 'every request goes to the portal');
  assert.ok(requests.includes(`${server.url}/configs/wuxi-community.json`), 'the config was fetched');
  const unexpected = requests
    .map((url) => new URL(url).pathname)
    .filter((path) => !/^\/[a-e]\/[\w-]+\.html$|^\/csp\/[\w-]+\.(css|js)$|^\/assets\/consult-kit(\.iife)?\.min\.js$|^\/assets\/chunks\/[\w.-]+\.js$|^\/configs\/wuxi-community\.json$/.test(path));
  assert.deepEqual(unexpected, [], 'nothing but the page, its stylesheet and scripts, consult-kit (its entry and chunks) and the config');
}

// ── The cases ─────────────────────────────────────────────────────────────────────────────────

/** Case a's computed styles, which every other case must match. */
let resolveReference: (seen: Seen) => void = () => {};
let rejectReference: (error: unknown) => void = () => {};
const reference = new Promise<Seen>((resolve, reject) => {
  resolveReference = resolve;
  rejectReference = reject;
});
// A failure of case a is reported by case a; the others then fail on their comparison.
reference.catch(() => {});

const TAGS = [
  'consult-workflow',
  'consult-topic-form',
  'consult-star-rating',
  'consult-meeting-timeline',
  'consult-outcome-tracker',
  'consult-programme-figures',
  'consult-staff-actions',
  'consult-sign-in',
];

describe('the documented headers are strict', () => {
  test('no unsafe-inline, unsafe-eval, wildcard or scheme source; Trusted Types where promised', () => {
    const docs = documentedHeaders();
    for (const [name, policy] of Object.entries(docs)) {
      const d = directives(policy);
      assert.deepEqual(d.get('default-src'), ["'self'"], `${name}: default-src 'self'`);
      assert.deepEqual(d.get('script-src'), ["'self'"], `${name}: script-src 'self' and nothing else`);
      assert.deepEqual(d.get('object-src'), ["'none'"], `${name}: object-src 'none'`);
      assert.deepEqual(d.get('base-uri'), ["'none'"], `${name}: base-uri 'none'`);
      assert.doesNotMatch(policy, /unsafe-|\*|https?:|data:|blob:|strict-dynamic/, `${name}: nothing that loosens the policy`);
    }
    assert.deepEqual(directives(docs.strict).get('style-src'), ["'self'"]);
    assert.deepEqual(directives(docs.trustedTypes).get('style-src'), ["'self'"]);
    assert.deepEqual(directives(docs.anotherLit).get('style-src'), ["'self'"]);
    assert.deepEqual(directives(docs.nonce).get('style-src'), ["'self'", "'nonce-{NONCE}'"]);
    assert.equal(directives(docs.strict).has('require-trusted-types-for'), false);
    for (const name of ['trustedTypes', 'anotherLit', 'nonce'] as const) {
      assert.deepEqual(directives(docs[name]).get('require-trusted-types-for'), ["'script'"], `${name}: Trusted Types required`);
    }
    assert.deepEqual(directives(docs.trustedTypes).get('trusted-types'), ['lit-html']);
    assert.deepEqual(directives(docs.anotherLit).get('trusted-types'), ['lit-html', "'allow-duplicates'"]);
    assert.deepEqual(directives(docs.nonce).get('trusted-types'), ['lit-html']);
  });

  test('the litNonce script the docs show is the one case e loads, tag and code', () => {
    const section = documentedSections().get(HEADINGS.nonce) ?? '';
    assert.ok(section.includes('<script src="/assets/lit-nonce.js" nonce="{NONCE}"></script>'), 'the docs show the nonce on the script tag');
    assert.ok(readFileSync(join(FIXTURES, 'no-constructable.html'), 'utf8').includes('<script src="/csp/lit-nonce.js" nonce="{NONCE}"></script>'));
    const code = readFileSync(join(FIXTURES, 'lit-nonce.js'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('//') && !line.startsWith('/*'));
    assert.deepEqual(code, ['window.litNonce = document.currentScript.nonce;']);
    assert.ok(section.includes(code[0]!), 'the docs show the same code');
  });
});

describe('consult-kit under each documented Content-Security-Policy', () => {
  test('a. no CSP (the reference): renders, works, styles through adopted stylesheets', async () => {
    const { page, trouble, requests, policies, close } = await open('/a/workflow.html');
    try {
      await waitForForm(page);
      const mechanism = await styleMechanism(page);
      assert.equal(mechanism.api, true);
      assert.ok(mechanism.adopted.every((n) => n > 0), `adopted stylesheets in each shadow root (${mechanism.adopted.join(', ')})`);
      assert.deepEqual(mechanism.styleElements, [0, 0], 'no <style> elements');
      const seen = await useIt(page);
      // The styles really apply: the portal's token colours the primary button, the input has its border.
      assert.equal(seen.intake['next button']!['background-color'], 'rgb(122, 20, 20)', "the portal's --consult-color-primary colours the button");
      assert.notEqual(seen.intake['title input']!['border-top-style'], 'none', 'the input has its border');
      resolveReference(seen);
      await settle(page);
      assertClean(trouble);
      assertSameOriginLoads(requests);
      assert.deepEqual(await policies(), ['lit-html']);
    } catch (error) {
      rejectReference(error);
      throw error;
    } finally {
      await close();
    }
  });

  test(`b. ${HEADINGS.strict}`, async () => {
    const { page, trouble, requests, close } = await open('/b/workflow.html');
    try {
      const seen = await useIt(page);
      await settle(page);
      assertClean(trouble);
      assert.deepEqual(seen, await reference, 'the same computed styles as without CSP');
      assertSameOriginLoads(requests);
    } finally {
      await close();
    }
  });

  test(`c. ${HEADINGS.trustedTypes}: one policy, lit-html, and no other sink`, async () => {
    const { page, trouble, requests, policies, close } = await open('/c/workflow.html');
    try {
      const seen = await useIt(page);
      await settle(page);
      assertClean(trouble);
      assert.deepEqual(seen, await reference, 'the same computed styles as without CSP');
      assertSameOriginLoads(requests);
      assert.deepEqual(await policies(), ['lit-html'], 'consult-kit and its dependencies create one policy, named lit-html');
    } finally {
      await close();
    }
  });

  test(`d. ${HEADINGS.anotherLit}: the portal's Lit widget, then consult-kit three times (ESM, IIFE, ESM under another URL)`, async () => {
    const { page, trouble, requests, policies, close } = await open('/d/another-lit.html');
    try {
      await waitForForm(page);
      // The portal's widget works beside consult-kit, with its own styles.
      const likes = page.locator('portal-likes button');
      assert.equal((await likes.innerText()).trim(), '赞 0');
      await likes.click();
      await page.locator('portal-likes button', { hasText: '赞 1' }).waitFor();
      assert.equal(await likes.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(255, 240, 200)');

      // Every copy of consult-kit ran to the end; the first definitions stayed in place.
      await page.waitForFunction(() => 'ConsultKit' in window);
      const copies = await page.evaluate((tags) => {
        const kit = (window as unknown as { ConsultKit?: { version?: string; ConsultWorkflow?: unknown } }).ConsultKit;
        return {
          iifeVersion: kit?.version,
          iifeClassDefined: kit?.ConsultWorkflow === customElements.get('consult-workflow'),
          defined: tags.filter((tag) => customElements.get(tag)),
        };
      }, TAGS);
      assert.equal(copies.iifeVersion, '0.1.0', 'the IIFE copy ran to the end (window.ConsultKit)');
      // Which copy defines a tag first depends on which loads first (the module build defines a tag
      // once its element's chunk has arrived); either way the others leave it in place, no throw.
      assert.deepEqual(copies.defined, TAGS, 'every tag is defined');
      // The portal's Lit, the classic script's, and the module build's: its two entries (the second
      // under another URL) import the same chunks, so they share one Lit.
      assert.deepEqual(await policies(), ['lit-html', 'lit-html', 'lit-html'], 'each copy of Lit created its lit-html policy');

      const seen = await useIt(page);
      await settle(page);
      assertClean(trouble);
      assert.deepEqual(seen, await reference, 'the same computed styles as without CSP');
      assertSameOriginLoads(requests);
    } finally {
      await close();
    }
  });

  test(`e. ${HEADINGS.nonce}: Lit's <style nonce> fallback`, async () => {
    const { page, trouble, requests, close } = await open('/e/no-constructable.html');
    try {
      await waitForForm(page);
      const mechanism = await styleMechanism(page);
      assert.equal(mechanism.api, false, 'the page has no adoptedStyleSheets');
      assert.ok(mechanism.styleElements.every((n) => n > 0), `<style> elements in each shadow root (${mechanism.styleElements.join(', ')})`);
      assert.ok(lastNonce.length > 0);
      assert.deepEqual(new Set(mechanism.nonces), new Set([lastNonce]), "each <style> carries the response's nonce");
      const seen = await useIt(page);
      await settle(page);
      assertClean(trouble);
      assert.deepEqual(seen, await reference, 'the same computed styles as without CSP');
      assertSameOriginLoads(requests);
    } finally {
      await close();
    }
  });
});

describe('negative controls: the CSP is enforced, and each added directive is needed', () => {
  test('an inline script and an inline style run without CSP', async () => {
    const { page, trouble, close } = await open('/none/inline.html');
    try {
      assert.equal(await page.locator('#out').innerText(), 'inline script ran');
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(200, 0, 0)');
      await settle(page);
      assertClean(trouble);
    } finally {
      await close();
    }
  });

  test(`under "${HEADINGS.strict}" they are blocked and each is reported`, async () => {
    const { page, trouble, close } = await open('/b/inline.html');
    try {
      await settle(page);
      assert.equal(await page.locator('#out').innerText(), 'inline script did not run');
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(200, 0, 0)');
      const hit = trouble.cspViolations.map((v) => v.split(' ')[0]).sort();
      assert.deepEqual(hit, ['script-src-elem', 'style-src-elem'], trouble.cspViolations.join('\n'));
    } finally {
      await close();
    }
  });

  test(`under "${HEADINGS.trustedTypes}" an HTML string into a DOM sink is refused and reported`, async () => {
    const { page, trouble, close } = await open('/c/tt-sink.html');
    try {
      await settle(page);
      assert.equal(await page.locator('#injected').count(), 0, 'nothing was injected');
      assert.equal(trouble.cspViolations.length, 1, trouble.cspViolations.join('\n'));
      assert.match(trouble.cspViolations[0]!, /^require-trusted-types-for /);
      assert.equal(trouble.pageErrors.length, 1);
      assert.match(trouble.pageErrors[0]!, /TrustedHTML/);
    } finally {
      await close();
    }
  });

  test(`without 'allow-duplicates' ("${HEADINGS.trustedTypes}"), a second Lit is refused and consult-kit never appears`, async () => {
    const { page, trouble, close } = await open('/c/another-lit.html');
    try {
      await page.locator('portal-likes button', { hasText: '赞 0' }).waitFor();
      // Every script has run once the third policy was asked for: the portal's Lit, the classic
      // script's, and the module build's (its two entries share one Lit, in its chunks).
      await page.waitForFunction(() => (window as unknown as { __ttPolicies: string[] }).__ttPolicies.length === 3);
      await settle(page);
      assert.deepEqual(
        await page.evaluate((tags) => tags.filter((tag) => customElements.get(tag)), TAGS),
        [],
        'no consult-* tag is defined',
      );
      assert.equal(await page.locator('consult-workflow consult-topic-form').count(), 0, 'the workflow never renders');
      assert.equal(trouble.cspViolations.length, 2, trouble.cspViolations.join('\n'));
      assert.ok(trouble.cspViolations.every((v) => v.startsWith('trusted-types ')), trouble.cspViolations.join('\n'));
      // The classic script throws as it runs; the module build's refused chunk is caught by its
      // loader, which says so on the console instead of throwing into the page.
      assert.equal(trouble.pageErrors.length, 1, trouble.pageErrors.join('\n'));
      assert.ok(trouble.pageErrors.every((e) => /createPolicy.*lit-html/.test(e)), trouble.pageErrors.join('\n'));
      assert.ok(trouble.consoleErrors.some((e) => /could not load <consult-workflow>/.test(e)), trouble.consoleErrors.join('\n'));
    } finally {
      await close();
    }
  });

  test(`without window.litNonce ("${HEADINGS.nonce}"), Lit's fallback styles are blocked and the styles differ`, async () => {
    const { page, trouble, close } = await open('/e/no-constructable-nonce-missing.html');
    try {
      await waitForForm(page);
      await settle(page);
      assert.ok(trouble.cspViolations.length > 0, 'violations reported');
      assert.ok(trouble.cspViolations.every((v) => v.startsWith('style-src-elem inline')), trouble.cspViolations.join('\n'));
      const styles = await computedStyles(page, INTAKE);
      assert.notDeepEqual(styles, (await reference).intake, 'the comparison sees the unstyled elements');
      assert.notEqual(styles['next button']!['background-color'], 'rgb(122, 20, 20)', 'the primary button lost its colour');
    } finally {
      await close();
    }
  });
});

describe('the staff sign-in under the strict CSP with Trusted Types', () => {
  test('<consult-sign-in> renders, takes a token by keyboard and says who is signed in: no violation, no error', async () => {
    const { page, trouble, requests, close } = await open('/c/sign-in.html');
    try {
      const field = page.getByLabel('工作人员令牌');
      await field.waitFor();
      await field.focus();
      await page.keyboard.type('a-staff-token-from-the-table');
      await page.keyboard.press('Enter');
      await page.locator('consult-sign-in').getByText('已登录：张丽华（召集人）').waitFor();
      await settle(page);
      assertClean(trouble);
      const paths = requests.map((url) => new URL(url).pathname);
      assert.deepEqual(paths.filter((p) => p.startsWith('/api/')), ['/api/identity', '/api/me'], 'what the server offers, then who the token is');
      assert.deepEqual(requests.filter((url) => !url.startsWith(`${server.url}/`)), [], 'nothing leaves the portal');
    } finally {
      await close();
    }
  });
});
