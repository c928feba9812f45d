/**
 * XSS: thousands of hostile strings (script tags, event handlers, `javascript:` and `data:` URLs,
 * SVG and MathML vectors, mutation XSS, template and Lit-marker look-alikes, encoded, broken-up,
 * bidi and null-byte variants, CJK mixed in — packages/embed/test/fixtures/xss-corpus.ts) go
 * through every field the UI renders back, in a page with no CSP:
 *
 * - config labels: an example config with every localized text, the privacy contact and option
 *   values replaced (checked with `parseWorkflowConfig`), for Wuxi, Sichuan and Guangshui:
 *   `<consult-topic-form>` page by page (labels, hints, options, the privacy notice, the error
 *   summary, a restored draft holding hostile answers), `<consult-star-rating>` (labels, legend,
 *   read-only), and a config with hostile faults shown as its error list;
 * - a programme log whose events carry corpus strings through the whole lifecycle (answers,
 *   names, ids, findings, places, conveners and participants, the five-haves record, measures and
 *   their parties, notes, results, reasons, feedback, rating comments), topics left in every state:
 *   `<consult-meeting-timeline>`, `<consult-staff-actions>` as convener, department and resident,
 *   `<consult-outcome-tracker>` and `<consult-programme-figures>`;
 * - `<consult-workflow>` on IndexedDB holding that log, every view for every role, every topic;
 * - staff forms typed into with hostile text and sent.
 *
 * After each render: the canary never ran (no `__xss` call, no script error, no CSP report),
 * nothing was injected (every element and attribute in every shadow root is one the benign twin
 * render — same data, plain strings — also has; no `on*` attribute; no URL outside the
 * allow-list), and the hostile strings are there as text. `safeUrl` and the config's URL check are
 * fuzzed against the browser's own URL parser, and every link the views render is checked. A
 * negative control proves the detectors fire.
 */
import { expect } from '@esm-bundle/chai';
import { parseWorkflowConfig, selectMeasures, applyEntry, type LogEntry, type TopicEvent, type TopicSnapshot, type WorkflowConfig, type EventRefusal } from '@consult-kit/machine';
import { openStore, type StoreStatus } from '@consult-kit/store';
import '../../elements/src/all.js';
import { safeUrl } from '../../elements/src/base/safe-url.js';
import type { ConsultWorkflow } from '../../elements/src/workflow/workflow.component.js';
import type { ConsultStaffActions } from '../../elements/src/staff-actions/staff-actions.component.js';
import { act, fill } from '../../elements/test/drive.js';
import { BASE_VECTORS, hostileCorpus, urlCorpus } from './fixtures/xss-corpus.js';
import { alarms, ALLOWED_PROTOCOLS, injected, installCanary, missingText, protocolOf, scan, squash, type Scan } from './fixtures/xss-detect.js';
import { benign, fromList, hostileConfig, KINDS, Programme, type Strings } from './fixtures/xss-programme.js';

const EXAMPLES = ['wuxi-community', 'sichuan-courtyard', 'guangshui-frontline'] as const;
type Example = (typeof EXAMPLES)[number];
type Json = Parameters<typeof hostileConfig>[0];

const CORPUS = hostileCorpus();
const URLS = urlCorpus();
const NOW = '2026-06-01T00:00:00.000Z';
const SIZE = { measures: 10, participants: 10, ratings: 6 };

const examples = new Map<Example, Json>();
async function example(name: Example): Promise<Json> {
  if (!examples.has(name)) examples.set(name, (await (await fetch(`/examples/configs/${name}.json`)).json()) as Json);
  return examples.get(name)!;
}

// ── Rendering and checking ──────────────────────────────────────────────────────────────────

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until every consult-* element under `root` (across shadow roots) has rendered, then a couple of frames. */
async function settle(root: Element): Promise<void> {
  for (let i = 0; i < 2; i += 1) {
    const pending: Array<Promise<unknown>> = [];
    const walk = (node: Element | ShadowRoot) => {
      for (const el of node.querySelectorAll('*')) {
        if (el.localName.startsWith('consult-')) pending.push((el as Element & { updateComplete: Promise<unknown> }).updateComplete);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    if (root.localName.startsWith('consult-')) pending.push((root as Element & { updateComplete: Promise<unknown> }).updateComplete);
    walk(root.shadowRoot ?? root);
    if (root.shadowRoot) walk(root);
    await Promise.all(pending);
    if (i === 0) await frame();
  }
}

/** Counts every element under `root`, across shadow roots. */
function elementCount(root: Element | ShadowRoot): number {
  let n = 0;
  for (const el of root.querySelectorAll('*')) {
    n += 1;
    if (el.shadowRoot) n += elementCount(el.shadowRoot);
  }
  return n;
}

/**
 * Windowed lists measure their items after the first paint and then render the rest that fits:
 * waits (a frame and a settle at a time, at most 20) until the DOM stops growing.
 */
async function windowsSettled(root: Element): Promise<void> {
  let before = -1;
  for (let i = 0; i < 20; i += 1) {
    const now = elementCount(root.shadowRoot ?? root);
    if (now === before) return;
    before = now;
    await frame();
    await frame();
    await settle(root);
  }
}

/** Fails when anything ran (canary, script error, CSP report); `where` names the render. */
function nothingRan(where: string): void {
  const fired = alarms.fired.map((id) => `#${id}: ${JSON.stringify(CORPUS[Number(id)]?.text ?? id).slice(0, 200)}`);
  expect(fired, `script ran in ${where}`).to.deep.equal([]);
  expect(alarms.errors, `script errors in ${where}`).to.deep.equal([]);
  expect(alarms.violations, `CSP reports in ${where}`).to.deep.equal([]);
}

/** Fails when the hostile render has anything the benign twin has not, or lacks the texts it must show. */
function clean(where: string, hostile: Scan, baseline: Scan, shown: Iterable<string> = [], exact = true): void {
  nothingRan(where);
  expect(injected(hostile, baseline, exact), `injected in ${where}`).to.deep.equal([]);
  const missing = missingText(hostile, shown);
  expect(missing.map((s) => JSON.stringify(s).slice(0, 160)), `hostile text not shown as text in ${where}`).to.deep.equal([]);
}

/** Counts for the report at the end. */
const tally = { renders: 0, strings: new Set<number>(), links: 0, linksRefused: 0 };

/** Mounts an element made by `make`, waits for it, scans it and removes it. */
async function render(make: () => HTMLElement, after?: (el: HTMLElement) => Promise<void>): Promise<Scan> {
  const el = make();
  document.body.append(el);
  await settle(el);
  await windowsSettled(el);
  if (after) {
    await after(el);
    await settle(el);
  }
  const result = scan(el);
  el.remove();
  tally.renders += 1;
  return result;
}

/** A stand-in for the store the staff actions and the timeline follow; `append` applies through the machine. */
function standInStore(config: WorkflowConfig, topics: Map<string, TopicSnapshot>, log: LogEntry[]) {
  const listeners = new Set<(status: StoreStatus) => void>();
  const status: StoreStatus = { revision: 0, pending: 0, sending: false, online: true, conflicts: 0, storage: 'indexeddb', reloadRequired: false };
  const store = {
    config,
    topics,
    log,
    status,
    subscribe(listener: (s: StoreStatus) => void) {
      listeners.add(listener);
      listener(store.status);
      return () => listeners.delete(listener);
    },
    async append(topicId: string, event: TopicEvent) {
      const { by, at, ...body } = event;
      const entry = { id: `x${log.length + 1}`, topicId, seq: log.length + 1, event: body, by, at } as LogEntry;
      const refusal: EventRefusal | null = applyEntry(config, topics, entry);
      if (refusal) return { ok: false as const, refusal };
      log.push(entry);
      store.status = { ...store.status, revision: store.status.revision + 1 };
      for (const l of listeners) l(store.status);
      return { ok: true as const, entry, savedOn: 'indexeddb' as const };
    },
  };
  return store;
}

installCanary();

afterEach(async function () {
  document.body.replaceChildren();
  // A quiet moment in which anything injected and loading (an <img onerror>, an <iframe>) would run.
  await pause(100);
  nothingRan(`after "${this.currentTest?.title ?? ''}"`);
});

after(async () => {
  // Anything that ran late (a timer, an image that failed after its test) still fails the file.
  await pause(300);
  nothingRan('the whole file');
});

// ── The corpus and the detectors ────────────────────────────────────────────────────────────

describe('the hostile corpus', () => {
  it('is thousands of distinct strings from hundreds of vectors, the same for the same seed', () => {
    expect(BASE_VECTORS.html + BASE_VECTORS.url).to.be.at.least(300);
    expect(CORPUS.length).to.be.at.least(2000);
    expect(URLS.length).to.be.at.least(2000);
    expect(new Set(CORPUS.map((e) => e.text)).size).to.equal(CORPUS.length);
    expect(hostileCorpus().map((e) => e.text)).to.deep.equal(CORPUS.map((e) => e.text));
    expect(hostileCorpus(1).map((e) => e.text)).not.to.deep.equal(CORPUS.map((e) => e.text));
    const has = (re: RegExp) => CORPUS.filter((e) => re.test(e.text)).length;
    for (const re of [/<script/i, /onerror=/i, /<svg/i, /<math/i, /javascript:/i, /data:text\/html/i, /vbscript:/i, /srcdoc/i, /lit\$/, /\{\{constructor/, /&#x?\d/i, /%3C/i, /%253C/i, /\0/, /[\u202e\u2066]/, /[\u4e00-\u9fff]/, /<scr<script>ipt>/i, /<\/style>/i, /expression\(/i]) {
      expect(has(re), String(re)).to.be.greaterThan(0);
    }
    expect(CORPUS.some((e) => e.text.length > 2000), 'very long strings').to.equal(true);
  });
});

describe('the detectors (negative control)', () => {
  it('see a script that runs, an injected element, an event handler and a javascript: link', async () => {
    // A scratch shadow root, outside every component, with one benign paragraph as its baseline.
    const host = document.createElement('div');
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    const p = document.createElement('p');
    p.textContent = 'baseline';
    shadow.append(p);
    const baseline = scan(host);
    expect(injected(scan(host), baseline)).to.deep.equal([]);

    // Markup parsed on purpose (createContextualFragment runs scripts and handlers).
    const fragment = document.createRange().createContextualFragment(
      '<img src="/no-such-image.png" onerror="__xss(\'control-img\')"><script>window.__xss("control-script")</script><a href="javascript:__xss(\'control-link\')">x</a>',
    );
    shadow.append(fragment);
    const found = injected(scan(host), baseline);
    expect(found.join('\n')).to.contain('more <img>').and.to.contain('<img onerror=').and.to.contain('more <script>').and.to.contain('(javascript:)');
    const until = Date.now() + 5000;
    while (!alarms.fired.includes('control-img') && Date.now() < until) await pause(10);
    expect(alarms.fired).to.include('control-script');
    expect(alarms.fired).to.include('control-img');
    // The text check sees a string that was dropped.
    expect(missingText(scan(host), ['baseline', '<b>dropped</b>'])).to.deep.equal(['<b>dropped</b>']);
    // The same vector rendered by a component stays text: reset the alarms for the real tests.
    alarms.fired.length = 0;
    host.remove();
    nothingRan('the reset after the control');
  });
});

// ── URLs ────────────────────────────────────────────────────────────────────────────────────

describe('URLs: only https, http, mailto, tel or relative', () => {
  it('safeUrl refuses every URL whose scheme the browser reads as outside the allow-list (thousands)', () => {
    const anchor = document.createElement('a');
    let accepted = 0;
    let refused = 0;
    const wrong: string[] = [];
    for (const { text } of [...URLS, ...CORPUS]) {
      const result = safeUrl(text);
      const raw = [protocolOf(text), protocolOf(text, 'https://portal.example.gov.cn/consult/')];
      if (result === undefined) {
        refused += 1;
        continue;
      }
      accepted += 1;
      // How the browser reads it as an href, exactly as the element would set it.
      anchor.setAttribute('href', result);
      const asHref = anchor.protocol;
      const asUrl = protocolOf(result);
      if ((asUrl !== undefined && !ALLOWED_PROTOCOLS.has(asUrl)) || (asHref !== ':' && !ALLOWED_PROTOCOLS.has(asHref))) wrong.push(`${JSON.stringify(text)} → ${asUrl} / ${asHref}`);
      for (const p of raw) if (p !== undefined && !ALLOWED_PROTOCOLS.has(p)) wrong.push(`${JSON.stringify(text)} is ${p} to the browser, but safeUrl kept it`);
    }
    expect(wrong).to.deep.equal([]);
    expect(refused, 'refused').to.be.greaterThan(1000);
    expect(accepted, 'accepted (relative, https, mailto, tel…)').to.be.greaterThan(300);
  });

  it("the config's URL check (parseWorkflowConfig) lets through only URLs the browser reads as allowed", async () => {
    const wuxi = (await example('wuxi-community')) as { steps: Array<Record<string, unknown>> };
    const urls = URLS.filter((u) => u.text.length <= 2000 && u.text.length > 0);
    let passed = 0;
    const wrong: string[] = [];
    for (let start = 0; start < urls.length; start += 300) {
      const batch = urls.slice(start, start + 300);
      const raw = structuredClone(wuxi);
      const screening = raw.steps.find((s) => s.type === 'screening')!;
      screening.channels = batch.map((u, i) => ({ id: `c${i}`, label: { 'zh-CN': '渠道', en: 'Channel' }, url: u.text }));
      const parsed = parseWorkflowConfig(raw);
      const faulty = new Set(parsed.ok ? [] : parsed.errors.map((e) => e.pointer));
      const index = raw.steps.indexOf(screening);
      batch.forEach((u, i) => {
        if (faulty.has(`/steps/${index}/channels/${i}/url`)) return;
        passed += 1;
        // Read as an href on this page (http:) and on an https: portal; a URL the browser cannot parse goes nowhere.
        for (const base of [location.href, 'https://portal.example.gov.cn/consult/']) {
          const protocol = protocolOf(u.text, base);
          if (protocol !== undefined && !ALLOWED_PROTOCOLS.has(protocol)) wrong.push(`${JSON.stringify(u.text)} passed the config check but is ${protocol} from ${base}`);
        }
      });
    }
    expect(wrong).to.deep.equal([]);
    expect(passed).to.be.greaterThan(300);
  });

  it('every link the views render from a config (channels, privacy notice) or a topic-href template goes somewhere allowed', async function () {
    this.timeout(60_000);
    const raw = await example('wuxi-community');
    const { config } = hostileConfig(raw, benign());
    // A "parsed" config whose URLs were changed afterwards: the elements must not trust it.
    const urls = URLS.filter((_, i) => i % 12 === 0);
    const screening = config.step.screening!;
    const channels = urls.map((u, i) => ({ ...screening.channels[0]!, id: `c${i}`, url: u.text }));
    const bent: WorkflowConfig = { ...config, step: { ...config.step, screening: { ...screening, channels } }, privacy: { ...config.privacy!, url: urls[0]!.text } };
    const p = new Programme(bent, benign());
    const redirected: string[] = [];
    channels.forEach((c, i) => {
      const id = p.submit(1000 + i, 'redirected', false);
      p.send(id, { type: 'screening.redirect', channel: c.id, reason: '转办' }, { role: 'convener', id: 'c' });
      redirected.push(id);
    });
    const screeningTopic = p.submit(9999, 'screening', false);
    const links: string[] = [];
    const check = (where: string, s: Scan) => {
      expect(s.bad, where).to.deep.equal([]);
      for (const href of s.links) {
        const protocol = protocolOf(href);
        expect(protocol === undefined || ALLOWED_PROTOCOLS.has(protocol), `${where}: ${href}`).to.equal(true);
        links.push(href);
      }
    };
    // The timeline of each redirected topic links to its channel.
    const store = standInStore(bent, p.topics, p.entries);
    for (const id of redirected) {
      const tl = document.createElement('consult-meeting-timeline');
      Object.assign(tl, { snapshot: p.topics.get(id), entries: p.entries, now: NOW, expanded: true });
      document.body.append(tl);
      await tl.updateComplete;
      check(`timeline of ${id}`, scan(tl));
      tl.remove();
    }
    // The redirect form shows the chosen channel's link.
    const staff = document.createElement('consult-staff-actions');
    Object.assign(staff, { store });
    staff.setAttribute('topic', screeningTopic);
    staff.setAttribute('user-role', 'convener');
    document.body.append(staff);
    await staff.updateComplete;
    for (const c of channels) {
      await fill(staff, 'redirect-channel', c.id);
      check(`redirect form, ${c.id}`, scan(staff));
    }
    staff.remove();
    // The privacy notice's link, for each URL.
    for (const u of urls) {
      const form = document.createElement('consult-topic-form');
      const draftStore = { ...formStore(bent, { values: {}, page: 1 }) };
      Object.assign(form, { config: { ...bent, privacy: { ...bent.privacy!, url: u.text } }, store: draftStore });
      document.body.append(form);
      await settle(form);
      check(`privacy link ${JSON.stringify(u.text)}`, scan(form));
      form.remove();
    }
    // The tracker's topic-href template, with a hostile topic id.
    const hostileIds = new Programme(config, fromList(CORPUS.slice(0, 400)));
    hostileIds.round(0, { measures: 2, participants: 1, ratings: 1 });
    const handling = hostileIds.list.filter((t) => t.kind === 'handling').map((t) => hostileIds.topics.get(t.id)!);
    for (const u of urls) {
      const tracker = document.createElement('consult-outcome-tracker');
      Object.assign(tracker, { topics: handling, now: NOW });
      tracker.setAttribute('topic-href', `${u.text}{topicId}`);
      document.body.append(tracker);
      await settle(tracker);
      check(`tracker topic-href ${JSON.stringify(u.text)}`, scan(tracker));
      tracker.remove();
    }
    tally.links += links.length;
    tally.linksRefused += urls.length * 3 + channels.length * 2 - links.length;
    expect(links.length, 'some links were rendered').to.be.greaterThan(50);
    nothingRan('the link renders');
  });
});

// ── Config labels ───────────────────────────────────────────────────────────────────────────

/** A stand-in store for the intake form: holds a draft (answers and page) and takes nothing. */
function formStore(config: WorkflowConfig, draft: { values: Record<string, unknown>; page: number }) {
  const status: StoreStatus = { revision: 0, pending: 0, sending: false, online: true, conflicts: 0, storage: 'indexeddb', reloadRequired: false };
  return {
    config,
    status,
    log: [] as LogEntry[],
    conflicts: [],
    subscribe(listener: (s: StoreStatus) => void) {
      listener(status);
      return () => undefined;
    },
    async append() {
      return { ok: false as const, refusal: { code: 'not-allowed', message: 'test', eventType: 'topic.submit', topicId: '', state: 'draft', accepts: [] } as EventRefusal };
    },
    async saveDraft() {
      return 'indexeddb' as const;
    },
    async loadDraft(key: string) {
      return { key, programmeId: config.id, values: draft.values, files: {}, page: draft.page, updatedAt: '2026-03-01T08:00:00.000Z' };
    },
    async deleteDraft() {
      return undefined;
    },
  };
}

/** The texts of a config page a person reads: the programme's title, the page's, its fields' labels, hints and options. */
function pageTexts(config: WorkflowConfig, page: number, values: Record<string, unknown>): string[] {
  const p = config.form.pages[page]!;
  const zh = (t: { 'zh-CN': string } | undefined) => (t ? [t['zh-CN']] : []);
  const out = [...zh(config.title), ...zh(p.title), ...zh(p.description)];
  for (const f of p.fields) {
    if (f.visibleWhen && !(f.visibleWhen as { field?: string; equals?: unknown }).equals) continue;
    const cond = f.visibleWhen as { field?: string; equals?: unknown } | undefined;
    if (cond && values[cond.field!] !== cond.equals) continue;
    out.push(...zh(f.label), ...zh(f.hint));
    for (const o of f.options ?? []) out.push(...zh(o.label));
  }
  return out;
}

describe('config labels: every localized text of a config replaced by hostile strings', () => {
  for (const name of EXAMPLES) {
    it(`${name}: the intake form, page by page, with a restored hostile draft and the error summary; the star rating`, async function () {
      this.timeout(60_000);
      const raw = await example(name);
      const strings = fromList(CORPUS.slice(EXAMPLES.indexOf(name) * 400));
      const { config } = hostileConfig(raw, strings);
      const { config: twin } = hostileConfig(raw, benign());
      const read = new Set(
        config.form.pages.flatMap((p) => p.fields).flatMap((f) => (f.visibleWhen && 'field' in f.visibleWhen ? [String(f.visibleWhen.field)] : [])),
      );
      for (const c of config.step.screening?.channels ?? []) if (c.when && 'field' in c.when) read.add(String(c.when.field));
      const textFields = config.form.pages.flatMap((p) => p.fields).filter((f) => f.type === 'text' || f.type === 'textarea');
      const answers = (cfg: WorkflowConfig, s: Strings): Record<string, unknown> => {
        const out: Record<string, unknown> = {};
        // A one-line input drops line breaks from its value (HTML's value sanitization), as the
        // browser would from a restored draft: those answers are given on one line.
        for (const f of textFields) out[f.name] = f.type === 'text' ? s.next('shown').replace(/[\r\n]+/g, ' ') : s.next('shown');
        for (const f of cfg.form.pages.flatMap((p) => p.fields)) {
          if (f.type === 'consent') out[f.name] = true;
          // A chosen option whose value is a corpus string (the options of fields no condition reads are).
          if ((f.type === 'select' || f.type === 'radio') && !read.has(f.name)) out[f.name] = f.options![0]!.value;
        }
        return out;
      };
      const hostileAnswers = answers(config, strings);
      const benignAnswers = answers(twin, benign());
      for (const [page] of config.form.pages.entries()) {
        const make = (cfg: WorkflowConfig, values: Record<string, unknown>) => () => {
          const form = document.createElement('consult-topic-form');
          Object.assign(form, { config: cfg, store: formStore(cfg, { values, page }) });
          return form;
        };
        const baseline = await render(make(twin, benignAnswers));
        const hostile = await render(make(config, hostileAnswers));
        const answered = config.form.pages[page]!.fields.filter((f) => textFields.includes(f)).map((f) => hostileAnswers[f.name] as string);
        clean(`${name} intake page ${page + 1} (restored draft)`, hostile, baseline, [...pageTexts(config, page, hostileAnswers), ...answered]);
        expect(squash(hostile.text)).to.contain(config.privacy && page === config.form.pages.length - 1 ? squash(config.privacy.controller['zh-CN']) : '');
      }
      // The error summary: submitted empty, it names every required field of the first page by its hostile label.
      const submitEmpty = async (el: HTMLElement) => {
        el.shadowRoot!.querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
      };
      const empty = (cfg: WorkflowConfig) => () => {
        const form = document.createElement('consult-topic-form');
        Object.assign(form, { config: cfg, store: formStore(cfg, { values: {}, page: 0 }) });
        return form;
      };
      const baseline = await render(empty(twin), submitEmpty);
      const hostile = await render(empty(config), submitEmpty);
      const required = config.form.pages[0]!.fields.filter((f) => f.required && !f.visibleWhen).map((f) => f.label['zh-CN']);
      expect(required.length).to.be.greaterThan(0);
      clean(`${name} error summary`, hostile, baseline, required);

      // The star rating: the config's star labels, a hostile legend; choosing and read-only.
      const evaluation = config.step.evaluation;
      if (evaluation?.starLabels) {
        const legend = strings.next('shown');
        const rating = (labels: readonly unknown[], legendText: string, readonly: boolean) => () => {
          const el = document.createElement('consult-star-rating');
          Object.assign(el, { labels, legend: legendText, scale: evaluation.scale, readonly, average: 3.4, count: 12 });
          return el;
        };
        for (const readonly of [false, true]) {
          const base = await render(rating(twin.step.evaluation!.starLabels!, 'benign legend', readonly));
          const got = await render(rating(evaluation.starLabels, legend, readonly));
          clean(`${name} star rating${readonly ? ' (read-only)' : ''}`, got, base, readonly ? [] : [legend, ...evaluation.starLabels.map((l) => l['zh-CN'])]);
        }
      }
      strings.given.forEach((g) => tally.strings.add(g.id));
    });
  }

  it('a config with hostile faults: every error (pointer, got, hint) is shown as text', async function () {
    this.timeout(30_000);
    const raw = (await example('wuxi-community')) as Record<string, unknown>;
    const strings = fromList(CORPUS.slice(1500));
    const broken = (s: Strings) => {
      const c = structuredClone(raw) as Record<string, unknown> & { steps: Array<Record<string, unknown>>; form: { pages: Array<{ fields: Array<Record<string, unknown>> }> } };
      c.id = s.next('shown', 500);
      c.version = s.next('shown', 500);
      c.level = s.next('shown', 500);
      c[s.next('shown', 200)] = 1;
      c.steps[0]![s.next('shown', 200)] = true;
      c.form.pages[0]!.fields[0]!.name = s.next('shown', 500);
      c.form.pages[0]!.fields[2]!.type = s.next('shown', 500);
      return c;
    };
    const hostileRaw = broken(strings);
    const benignRaw = broken(benign());
    const parsed = parseWorkflowConfig(hostileRaw);
    expect(parsed.ok).to.equal(false);
    for (const tag of ['consult-topic-form', 'consult-workflow'] as const) {
      const make = (cfg: unknown) => () => {
        const el = document.createElement(tag);
        Object.assign(el, { config: cfg, dbName: `xss-broken-${Math.random().toString(36).slice(2)}` });
        return el;
      };
      const wait = async (el: HTMLElement) => {
        const until = Date.now() + 5000;
        while (!el.shadowRoot?.querySelector('.config-errors') && Date.now() < until) await pause(10);
      };
      const base = await render(make(benignRaw), wait);
      const got = await render(make(hostileRaw), wait);
      const shown = parsed.ok ? [] : parsed.errors.map((e) => e.pointer);
      expect(shown.length).to.be.greaterThan(4);
      clean(`${tag} with a broken config`, got, base, shown);
    }
    strings.given.forEach((g) => tally.strings.add(g.id));
  });
});

// ── The programme: every event payload carries corpus strings ───────────────────────────────

describe('a programme log carrying the corpus through the whole lifecycle', () => {
  let hostile: Programme;
  let twin: Programme;
  let hostileStrings: ReturnType<typeof fromList>;
  let hostileRaw: Json;
  let twinRaw: Json;

  before(async () => {
    const raw = await example('wuxi-community');
    hostileStrings = fromList(CORPUS);
    const h = hostileConfig(raw, hostileStrings);
    const twinStrings = benign();
    const b = hostileConfig(raw, twinStrings);
    hostileRaw = h.raw;
    twinRaw = b.raw;
    hostile = new Programme(h.config, hostileStrings);
    twin = new Programme(b.config, twinStrings);
    let round = 0;
    // Until every corpus string went somewhere (a string too long for a limited slot waits for the next free one).
    while (hostileStrings.used < CORPUS.length && round < 8) {
      hostile.round(round, SIZE);
      twin.round(round, SIZE);
      round += 1;
    }
  });

  /** What a topic's strings are, by where they went. */
  const shownOf = (p: Programme, topic: string) => p.s.given.filter((g) => g.topic === topic && g.slot === 'shown').map((g) => g.text);

  it('puts every corpus string into the config or an event, and replay accepts every event', () => {
    const used = new Set(hostileStrings.given.map((g) => g.id));
    expect(used.size).to.equal(CORPUS.length);
    expect(hostile.entries.length).to.equal(twin.entries.length);
    expect(hostile.list.map((t) => t.kind)).to.deep.equal(twin.list.map((t) => t.kind));
    for (const g of hostileStrings.given) tally.strings.add(g.id);
  });

  it('<consult-meeting-timeline>: every stage open, in zh-CN and en', async function () {
    this.timeout(120_000);
    for (const [i, t] of hostile.list.entries()) {
      const b = twin.list[i]!;
      for (const lang of i % 3 === 0 ? ['zh-CN', 'en'] : ['zh-CN']) {
        const make = (p: Programme, id: string) => () => {
          const el = document.createElement('consult-meeting-timeline');
          Object.assign(el, { snapshot: p.topics.get(id), entries: p.entries, now: NOW, expanded: true });
          el.setAttribute('lang', lang);
          // A stage's records are windowed past 20: a box tall enough for all of them, so every
          // record is rendered (and scanned) in both twins, as a person scrolling would see them.
          el.style.setProperty('--list-block-size', '400000px');
          return el;
        };
        const base = await render(make(twin, b.id));
        const got = await render(make(hostile, t.id));
        const shown = shownOf(hostile, t.id);
        expect(shown.length, `strings in ${t.kind} topic ${i}`).to.be.greaterThan(2);
        clean(`the timeline of ${t.kind} topic ${i} (${lang})`, got, base, shown);
      }
    }
  });

  it('<consult-staff-actions>: each topic as convener, department and resident', async function () {
    this.timeout(120_000);
    const hostileStore = standInStore(hostile.config, hostile.topics, hostile.entries);
    const twinStore = standInStore(twin.config, twin.topics, twin.entries);
    for (const [i, t] of hostile.list.entries()) {
      for (const role of ['convener', 'department', 'resident']) {
        const make = (store: unknown, id: string) => () => {
          const el = document.createElement('consult-staff-actions');
          Object.assign(el, { store });
          el.setAttribute('topic', id);
          el.setAttribute('user-role', role);
          el.setAttribute('user-id', `${role}-x`);
          return el;
        };
        const base = await render(make(twinStore, twin.list[i]!.id));
        const got = await render(make(hostileStore, t.id));
        const topic = hostile.topics.get(t.id)!.context;
        // A department updates the measures of a topic in handling: each is shown with its text.
        const measures = role === 'department' && t.kind === 'handling' ? topic.measures.map((m) => m.text) : [];
        clean(`staff actions on ${t.kind} topic ${i} as ${role}`, got, base, [t.title, ...measures]);
      }
    }
  });

  it('<consult-outcome-tracker> (with a topic link) and <consult-programme-figures>', async function () {
    this.timeout(60_000);
    for (const [i, t] of hostile.list.entries()) {
      const snapshot = hostile.topics.get(t.id)!;
      if (snapshot.context.measures.length === 0) continue;
      const make = (s: TopicSnapshot) => () => {
        const el = document.createElement('consult-outcome-tracker');
        Object.assign(el, { topics: [s], now: NOW });
        el.setAttribute('topic-href', '#/topic/{topicId}');
        return el;
      };
      const base = await render(make(twin.topics.get(twin.list[i]!.id)!));
      const got = await render(make(snapshot));
      const measures = selectMeasures([snapshot], NOW);
      expect(measures.length).to.be.at.most(20);
      clean(`the tracker for ${t.kind} topic ${i}`, got, base, [t.title, ...measures.map((m) => m.text)]);
    }
    const figures = (p: Programme) => () => {
      const el = document.createElement('consult-programme-figures');
      Object.assign(el, { topics: [...p.topics.values()], now: NOW });
      return el;
    };
    clean('the figures', await render(figures(hostile)), await render(figures(twin)));
  });

  it('staff forms typed into with hostile text and sent: the text comes back as text', async function () {
    this.timeout(60_000);
    const typed = CORPUS.filter((_, i) => i % 97 === 0).map((e) => e.text);
    const run = async (p: Programme, strings: string[]) => {
      const topics = new Map(p.topics);
      const log = [...p.entries];
      const store = standInStore(p.config, topics, log);
      const ids = p.list.filter((t) => t.kind === 'screening' || t.kind === 'escalated' || t.kind === 'research').map((t) => t.id);
      const el = document.createElement('consult-staff-actions') as ConsultStaffActions;
      Object.assign(el, { store });
      el.setAttribute('user-role', 'convener');
      el.setAttribute('user-id', 'c-typed');
      document.body.append(el);
      let k = 0;
      const nextText = () => strings[k++ % strings.length]!;
      const sent: string[] = [];
      for (const id of ids) {
        el.setAttribute('topic', id);
        await settle(el);
        const kind = p.list.find((t) => t.id === id)!.kind;
        if (kind === 'screening') {
          const reason = nextText();
          await fill(el, 'reject-reason', reason);
          await act(el, 'reject');
          sent.push(reason);
        } else if (kind === 'escalated') {
          const reason = nextText();
          await fill(el, 'redirect-channel', p.config.step.screening!.channels[0]!.id);
          await fill(el, 'redirect-reason', reason);
          await act(el, 'redirect');
          sent.push(reason);
        } else if (kind === 'research') {
          const findings = nextText();
          await fill(el, 'research-findings', findings);
          await act(el, 'research');
          sent.push(findings);
        }
        await settle(el);
      }
      const result = scan(el);
      el.remove();
      return { result, sent, log };
    };
    const base = await run(twin, typed.map((_, i) => `良性 typed ${i}`));
    const got = await run(hostile, typed);
    expect(got.sent.length).to.be.greaterThan(3);
    expect(got.log.length).to.equal(hostile.entries.length + got.sent.length);
    clean('staff forms after sending hostile text', got.result, base.result);
    // What was sent is in the log exactly as typed (trimmed), and the timeline shows it as text.
    const last = got.log.slice(hostile.entries.length);
    for (const [i, entry] of last.entries()) {
      const body = entry.event as { reason?: string; findings?: string; comment?: string };
      expect(body.reason ?? body.findings ?? body.comment).to.equal(got.sent[i]!.trim());
      const tl = document.createElement('consult-meeting-timeline');
      Object.assign(tl, { snapshot: applyAll(hostile.config, got.log, entry.topicId), entries: got.log, now: NOW, expanded: true });
      document.body.append(tl);
      await settle(tl);
      expect(missingText(scan(tl), [got.sent[i]!])).to.deep.equal([]);
      tl.remove();
    }
    nothingRan('the typed staff forms');
  });

  it('<consult-workflow> on IndexedDB holding the log: every view for every role, every topic', async function () {
    this.timeout(120_000);
    // One round of topics (every state), written through the store as a device would.
    const seed = async (p: Programme, raw: Json) => {
      const dbName = `xss-${Math.random().toString(36).slice(2)}`;
      const store = await openStore({ config: raw as object, dbName, pullIntervalMs: 0 });
      const ids = new Set(p.list.slice(0, KINDS.length).map((t) => t.id));
      for (const entry of p.entries) {
        if (!ids.has(entry.topicId)) continue;
        const result = await store.append(entry.topicId, { ...entry.event, by: entry.by, at: entry.at } as TopicEvent);
        if (!result.ok) throw new Error(`${entry.event.type} refused: ${result.refusal.message}`);
      }
      store.close();
      return dbName;
    };
    const hostileDb = await seed(hostile, hostileRaw);
    const twinDb = await seed(twin, twinRaw);

    const mount = async (raw: Json, dbName: string, role: string) => {
      const wf = document.createElement('consult-workflow') as ConsultWorkflow;
      wf.setAttribute('db-name', dbName);
      wf.setAttribute('user-role', role);
      wf.setAttribute('user-id', `${role}-1`);
      wf.config = raw as object;
      // Every record of a windowed list rendered in both twins (see the timeline test).
      wf.style.setProperty('--list-block-size', '400000px');
      document.body.append(wf);
      const until = Date.now() + 10_000;
      while (!wf.shadowRoot?.querySelector('nav') && Date.now() < until) await pause(10);
      await settle(wf);
      return wf;
    };
    /** Every screen the role can reach: each view, and each topic's page. */
    const screens = async (wf: ConsultWorkflow): Promise<Array<{ where: string; scan: Scan }>> => {
      const out: Array<{ where: string; scan: Scan }> = [];
      const nav = () => [...wf.shadowRoot!.querySelectorAll<HTMLButtonElement>('nav button')];
      for (let v = 0; v < nav().length; v += 1) {
        nav()[v]!.click();
        await settle(wf);
        // The intake form gets the workflow's store through context, then restores (no) draft: wait for its first page.
        const form = wf.shadowRoot!.querySelector('consult-topic-form');
        const until = Date.now() + 5000;
        while (form && !form.shadowRoot?.getElementById('page-title') && Date.now() < until) await pause(10);
        await settle(wf);
        out.push({ where: `view ${wf.view ?? v}`, scan: scan(wf) });
        const topics = () => [...wf.shadowRoot!.querySelectorAll<HTMLButtonElement>('.topics button')];
        if (topics().length === 0) continue;
        const count = topics().length;
        for (let t = 0; t < count; t += 1) {
          topics()[t]!.click();
          const until = Date.now() + 5000;
          while (!wf.shadowRoot!.querySelector('consult-meeting-timeline') && Date.now() < until) await pause(10);
          await settle(wf);
          await windowsSettled(wf);
          out.push({ where: `topic ${t}`, scan: scan(wf) });
          wf.shadowRoot!.querySelector<HTMLButtonElement>('button.back')!.click();
          await settle(wf);
        }
      }
      return out;
    };
    const titles = hostile.list.slice(0, KINDS.length).map((t) => t.title);
    for (const role of ['resident', 'convener', 'department', 'admin']) {
      const baseWf = await mount(twinRaw, twinDb, role);
      const base = await screens(baseWf);
      baseWf.remove();
      const wf = await mount(hostileRaw, hostileDb, role);
      const got = await screens(wf);
      wf.remove();
      expect(got.map((g) => g.where)).to.deep.equal(base.map((b) => b.where));
      expect(got.length).to.be.greaterThan(4);
      // The outcomes view lists every measure of the programme, virtualised: how many rows are in
      // the DOM depends on their height (longer text, fewer rows), so there it may only have less.
      got.forEach((g, i) => clean(`the workflow as ${role}, ${g.where}`, g.scan, base[i]!.scan, [], !g.where.includes('outcomes')));
      // The topic list shows every hostile title as text.
      const list = got.find((g) => g.where.startsWith('view timeline'));
      expect(missingText(list!.scan, titles), `${role}'s topic list`).to.deep.equal([]);
      tally.renders += got.length + base.length;
    }
  });
});

describe('what went through', () => {
  it('every corpus string reached a rendered field', () => {
    expect(tally.strings.size).to.equal(CORPUS.length);
    expect(tally.renders).to.be.greaterThan(300);
    nothingRan('all the renders');
  });
});

/** A topic's state from a log (the machine's own replay). */
function applyAll(config: WorkflowConfig, log: LogEntry[], topicId: string): TopicSnapshot {
  const topics = new Map<string, TopicSnapshot>();
  for (const entry of log) applyEntry(config, topics, entry);
  return topics.get(topicId)!;
}

