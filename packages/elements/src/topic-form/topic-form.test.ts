/**
 * <consult-topic-form> in real Chromium with real IndexedDB: the Wuxi and Sichuan examples filled
 * by keyboard alone, the error summary, drafts across a reload, offline submit then sending,
 * anonymous topics, both languages, large text, typed text kept as text, and axe on every state.
 */
import { expect } from '@esm-bundle/chai';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import { parseWorkflowConfig, type LogEntry, type WorkflowConfig } from '@consult-kit/machine';
import { openStore, type ConsultStore, type OutboxEntry, type PullResult, type SendResult, type Transport } from '@consult-kit/store';
import './consult-topic-form.js';
import type { ConsultTopicForm, TopicFormStore } from './topic-form.component.js';
import { safeUrl } from '../base/safe-url.js';
import { MESSAGES } from '../i18n/messages.js';
import { expectAccessible } from '../../test/a11y.js';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────

async function rawConfig(name: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`/examples/configs/${name}.json`)).json()) as Record<string, unknown>;
}

async function parsedConfig(name: string, transport?: WorkflowConfig['transport']): Promise<WorkflowConfig> {
  const raw = await rawConfig(name);
  if (transport) raw.transport = transport;
  const parsed = parseWorkflowConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

const dbName = (label: string) => `form-${label}-${Math.random().toString(36).slice(2)}`;

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface MountOptions {
  config?: string | object;
  db?: string;
  attrs?: Record<string, string>;
  store?: TopicFormStore;
  /** Listeners to add before the element connects. */
  on?: Record<string, (e: Event) => void>;
  /** Wait for this phase (the form, by default). */
  until?: 'form' | 'problem' | 'none';
}

/** A focusable button before the form, where keyboard paths start. */
function startButton(): HTMLButtonElement {
  const button = document.createElement('button');
  button.textContent = 'before the form';
  button.id = 'start';
  document.body.append(button);
  return button;
}

async function mount(options: MountOptions = {}): Promise<ConsultTopicForm> {
  const el = document.createElement('consult-topic-form');
  el.setAttribute('db-name', options.db ?? dbName('x'));
  for (const [k, v] of Object.entries(options.attrs ?? {})) el.setAttribute(k, v);
  for (const [type, listener] of Object.entries(options.on ?? {})) el.addEventListener(type, listener);
  if (options.store) el.store = options.store;
  if (typeof options.config === 'string') el.setAttribute('config', options.config);
  else if (options.config) el.config = options.config;
  document.body.append(el);
  const until = options.until ?? 'form';
  if (until === 'form') await waitFor(() => Boolean(root(el).querySelector('form')), 'the form');
  if (until === 'problem') await waitFor(() => Boolean(root(el).querySelector('.problem')), 'a problem message');
  await el.updateComplete;
  return el;
}

const root = (el: ConsultTopicForm): ShadowRoot => el.shadowRoot!;
const byId = <T extends HTMLElement = HTMLElement>(el: ConsultTopicForm, id: string) => root(el).getElementById(id) as T | null;
const active = (el: ConsultTopicForm) => root(el).activeElement as HTMLElement | null;
const heading = (el: ConsultTopicForm) => byId(el, 'page-title')?.textContent?.trim();
const text = (el: ConsultTopicForm) => root(el).textContent?.replace(/\s+/g, ' ') ?? '';

/** Presses Tab (or Shift+Tab) until the element with this id (in the form's shadow root) has focus. */
async function tabTo(el: ConsultTopicForm, id: string, { back = false, max = 25 } = {}): Promise<HTMLElement> {
  const path: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await sendKeys({ press: back ? 'Shift+Tab' : 'Tab' });
    path.push(active(el)?.id || document.activeElement?.localName || '?');
    if (active(el)?.id === id) return active(el)!;
  }
  throw new Error(`Tab never reached #${id} (went ${path.join(' → ')}); focus is on ${active(el)?.outerHTML.slice(0, 120) ?? document.activeElement?.outerHTML.slice(0, 80)}`);
}

async function type(textToType: string): Promise<void> {
  await sendKeys({ type: textToType });
}

/**
 * Chooses files on a file input. The operating system's file dialog is outside the page (no
 * keyboard can reach it from a test), so the files are put on the focused input as the dialog would.
 */
async function choose(el: ConsultTopicForm, field: string, files: File[]): Promise<void> {
  const input = byId<HTMLInputElement>(el, `f-${field}`)!;
  const transfer = new DataTransfer();
  for (const f of files) transfer.items.add(f);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

const photo = (name = '3号楼楼道.jpg') =>
  new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 2, 3, 4, 5])], name, { type: 'image/jpeg' });

/** Resolves with the next event of this type on the element. */
const next = <T extends Event>(el: EventTarget, type: string) => new Promise<T>((resolve) => el.addEventListener(type, (e) => resolve(e as T), { once: true }));

const zh = MESSAGES['zh-CN'];
const en = MESSAGES.en;

/** The Wuxi example's first page, typed by keyboard from the title field on. */
async function fillWuxiFirstPage(el: ConsultTopicForm, title = '3号楼加装电梯'): Promise<void> {
  await tabTo(el, 'f-title');
  await type(title);
  await tabTo(el, 'f-description');
  await type('三号楼住了很多老人，上下楼很难，希望社区组织大家商量加装电梯。');
  await tabTo(el, 'f-category');
  await sendKeys({ press: 'ArrowDown' }); // the first choice: 加装电梯
  await tabTo(el, 'f-location');
  await type('幸福里小区3号楼');
  await tabTo(el, 'f-photos');
  await choose(el, 'photos', [photo()]);
  await tabTo(el, 'f-households');
  await type('24');
}

let pageLang: string;
beforeEach(async () => {
  pageLang = document.documentElement.lang;
  await setViewport({ width: 360, height: 800 });
});

afterEach(() => {
  document.body.replaceChildren();
  document.documentElement.lang = pageLang;
  delete window.__pwned;
});

// ── Tests ───────────────────────────────────────────────────────────────────────────────────

describe('<consult-topic-form>: loading the config', () => {
  it('fetches the config from the `config` URL and renders every field of the first page with labels, hints and required marks', async () => {
    const el = await mount({ config: '/examples/configs/wuxi-community.json' });
    expect(heading(el)).to.equal('您想商量的事');
    expect(byId(el, 'progress-text')!.textContent).to.equal('第 1 步，共 2 步');
    const title = byId<HTMLInputElement>(el, 'f-title')!;
    expect(title.labels![0]!.textContent!.replace(/\s+/g, '')).to.equal('议题名称（必填）');
    expect(title.getAttribute('aria-describedby')).to.equal('f-title-hint');
    expect(byId(el, 'f-title-hint')!.textContent).to.equal('一句话概括，例如：3号楼加装电梯');
    expect(byId(el, 'f-description')!.localName).to.equal('textarea');
    expect(byId(el, 'f-category')!.localName).to.equal('select');
    expect(byId<HTMLInputElement>(el, 'f-households')!.inputMode).to.equal('decimal');
    expect(byId<HTMLInputElement>(el, 'f-photos')!.accept).to.equal('image/jpeg,image/png,image/webp');
    expect(root(el).querySelector('form')!.noValidate).to.equal(true);
    await expectAccessible(el, 'first page, zh-CN');
  });

  it('reads an inline <script type="application/json"> child', async () => {
    const el = document.createElement('consult-topic-form');
    el.setAttribute('db-name', dbName('inline'));
    const script = document.createElement('script');
    script.type = 'application/json';
    script.textContent = JSON.stringify(await rawConfig('sichuan-courtyard'));
    el.append(script);
    document.body.append(el);
    await waitFor(() => Boolean(root(el).querySelector('form')), 'the form');
    expect(heading(el)).to.equal('摆一摆您的事');
    expect(byId(el, 'progress-text'), 'one page: no progress indicator').to.equal(null);
  });

  it('shows every config error with its JSON Pointer, as text, and fires consult-error', async () => {
    const raw = await rawConfig('sichuan-courtyard');
    const steps = raw.steps as Array<Record<string, unknown>>;
    steps[2] = { ...steps[2], maxRound: 3 };
    raw.id = 'Not <b>valid</b>';
    const errors: Event[] = [];
    const el = await mount({ config: raw, until: 'problem', on: { 'consult-error': (e) => errors.push(e) } });
    const items = [...root(el).querySelectorAll('.config-errors li')];
    expect(items.length).to.be.greaterThan(1);
    const pointers = items.map((li) => li.querySelector('code')!.textContent);
    expect(pointers).to.include('/id');
    expect(pointers).to.include('/steps/2/maxRound');
    expect(text(el)).to.contain('配置中有');
    expect(root(el).querySelector('b'), 'config text is never markup').to.equal(null);
    expect(errors).to.have.length(1);
    expect((errors[0] as CustomEvent).detail.code).to.equal('config-invalid');
    await expectAccessible(el, 'config errors');
  });

  it('says readably when the config cannot be fetched, and fires consult-error', async () => {
    const errors: CustomEvent[] = [];
    const el = await mount({
      config: '/examples/configs/no-such-file.json',
      until: 'problem',
      attrs: { lang: 'en' },
      on: { 'consult-error': (e) => errors.push(e as CustomEvent) },
    });
    expect(text(el)).to.contain('The form could not be loaded');
    expect(text(el)).to.contain('404');
    expect(errors[0]!.detail.code).to.equal('load-failed');
  });
});

describe('<consult-topic-form>: languages and large text', () => {
  it('follows `lang` (zh-CN and en) and stays accessible in large-text mode', async () => {
    const el = await mount({ config: await rawConfig('wuxi-community') });
    expect(byId(el, 'f-title')!.parentElement!.textContent).to.contain('议题名称');
    el.setAttribute('lang', 'en');
    await waitFor(() => heading(el) === 'The matter to talk over', 'English');
    expect(byId(el, 'progress-text')!.textContent).to.equal('Step 1 of 2');
    expect((byId<HTMLInputElement>(el, 'f-title')!.labels![0]!.textContent ?? '').replace(/\s+/g, ' ').trim()).to.equal('Topic (required)');
    expect(root(el).querySelector('.base')!.getAttribute('lang')).to.equal('en');
    expect(root(el).querySelector('button[type=submit]')!.textContent!.trim()).to.equal('Next');
    await expectAccessible(el, 'first page, en');

    await emulateMedia({ forcedColors: 'active' });
    await expectAccessible(el, 'forced colours');
    await emulateMedia({ forcedColors: 'none' });

    el.largeText = true;
    await el.updateComplete;
    expect(el.hasAttribute('large-text')).to.equal(true);
    const size = parseFloat(getComputedStyle(byId(el, 'f-title')!).fontSize);
    expect(size).to.be.greaterThan(16);
    await expectAccessible(el, 'large text');
    for (const target of root(el).querySelectorAll<HTMLElement>('button, input:not(.file-input), select, .file-button')) {
      const box = target.getBoundingClientRect();
      if (box.width === 0) continue;
      expect(box.width >= 24 && box.height >= 24, `target ${target.id || target.className} is ${box.width}×${box.height}`).to.equal(true);
    }
  });
});

describe('<consult-topic-form>: the error summary', () => {
  it('submitting empty shows a focused summary with one link per error; a link focuses its field; typed text is kept', async () => {
    const el = await mount({ config: await rawConfig('wuxi-community') });
    startButton().focus();
    await tabTo(el, 'f-title');
    await type('电梯'); // too short: at least 4 characters
    const nextButton = root(el).querySelector<HTMLButtonElement>('button[type=submit]')!;
    nextButton.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => active(el)?.id === 'error-summary', 'focus on the error summary');
    const summary = byId(el, 'error-summary')!;
    expect(summary.querySelector('h2')!.textContent).to.equal('有需要修改的地方');
    const links = [...summary.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).to.deep.equal(['议题名称至少需要 4 个字', '请填写具体情况', '请选择议题类别']);
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['#f-title', '#f-description', '#f-category']);
    expect(heading(el), 'still on the first page').to.equal('您想商量的事');
    // Inline messages above the fields, tied by aria-describedby.
    const title = byId<HTMLInputElement>(el, 'f-title')!;
    expect(title.value, 'what was typed is kept').to.equal('电梯');
    expect(title.getAttribute('aria-describedby')).to.equal('f-title-hint f-title-error');
    expect(title.getAttribute('aria-invalid')).to.equal('true');
    expect(byId(el, 'f-title-error')!.textContent!.replace(/\s+/g, '')).to.equal('错误：议题名称至少需要4个字');
    await expectAccessible(el, 'error summary');

    // Keyboard: follow the third link, then the first.
    window.scrollTo(0, document.body.scrollHeight);
    links[2]!.focus();
    await sendKeys({ press: 'Enter' });
    expect(active(el)?.id).to.equal('f-category');
    const question = byId(el, 'f-category-label')!.getBoundingClientRect();
    expect(question.top >= 0 && question.bottom <= window.innerHeight, 'the question is scrolled into view').to.equal(true);
    links[0]!.focus();
    await sendKeys({ press: 'Enter' });
    expect(active(el)?.id).to.equal('f-title');

    // Validation happens on Next, not on blur: fixing one field leaves the summary until the next try.
    await type('加装电梯');
    await sendKeys({ press: 'Tab' });
    expect(byId(el, 'error-summary')).to.not.equal(null);
    nextButton.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => byId(el, 'error-summary')!.querySelectorAll('a').length === 2, 'two errors left');
    expect(byId<HTMLInputElement>(el, 'f-title')!.value).to.equal('电梯加装电梯');
  });

  it('checks number, pattern, consent and file rules with messages from the catalogue', async () => {
    const el = await mount({ config: await rawConfig('wuxi-community'), attrs: { lang: 'en' } });
    startButton().focus();
    await tabTo(el, 'f-households');
    await type('lots');
    await choose(el, 'photos', [photo('a.jpg'), new File(['x'], 'notes.txt', { type: 'text/plain' })]);
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitFor(() => Boolean(byId(el, 'error-summary')), 'the summary');
    const messages = [...byId(el, 'error-summary')!.querySelectorAll('a')].map((a) => a.textContent);
    expect(messages).to.include('notes.txt must be a JPEG, PNG, WEBP');
    expect(messages).to.include('Households affected must be a number');
    // Remove the wrong file by keyboard: focus stays in the list.
    const remove = root(el).querySelector<HTMLButtonElement>('[data-file-index="1"]')!;
    expect(remove.getAttribute('aria-label')).to.equal('Remove notes.txt');
    remove.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => root(el).querySelectorAll('.file').length === 1, 'one file left');
    expect(active(el)?.getAttribute('data-file-index')).to.equal('0');
    expect(root(el).querySelector('.file-status')!.textContent!.trim()).to.equal('1 file(s) chosen');
  });
});

describe('<consult-topic-form>: input and change', () => {
  it('lets native input events through and fires one change per committed value, none for programmatic sets', async () => {
    const inputs: Event[] = [];
    const changes: Event[] = [];
    const el = await mount({ config: await rawConfig('wuxi-community'), on: { input: (e) => inputs.push(e), change: (e) => changes.push(e) } });
    const select = byId<HTMLSelectElement>(el, 'f-category')!;
    select.focus();
    await sendKeys({ press: 'ArrowDown' });
    expect(select.value).to.equal('lift');
    expect(changes).to.have.length(1);
    expect(changes[0]!.target).to.equal(el);
    expect(changes[0]!.composed).to.equal(true);
    expect(inputs).to.have.length(1, 'a select fires input too');
    inputs.length = 0;
    byId<HTMLInputElement>(el, 'f-title')!.focus();
    await type('路灯');
    expect(inputs.length).to.equal(2);
    expect(inputs.every((e) => e.target === el && e.composed)).to.equal(true);
    await sendKeys({ press: 'Tab' }); // leaving the field commits it
    expect(changes).to.have.length(2);
    inputs.length = 0;
    changes.length = 0;
    el.lang = 'en';
    select.value = 'waste';
    byId<HTMLInputElement>(el, 'f-title')!.value = 'set by a script';
    await el.updateComplete;
    expect(inputs.length + changes.length, 'programmatic sets fire nothing').to.equal(0);
  });
});

describe('<consult-topic-form>: keyboard only', () => {
  it('fills and submits the Wuxi example (two pages, select, radio revealing a phone field, photo, consent)', async () => {
    const db = dbName('wuxi-keys');
    const inputs: Event[] = [];
    const changes: Event[] = [];
    const steps: CustomEvent[] = [];
    const el = await mount({
      config: '/examples/configs/wuxi-community.json',
      db,
      attrs: { 'user-id': 'r-10086' },
      on: {
        input: (e) => inputs.push(e),
        change: (e) => changes.push(e),
        'consult-step-change': (e) => steps.push(e as CustomEvent),
      },
    });
    startButton().focus();
    await fillWuxiFirstPage(el);
    expect(inputs.length, 'native input events reach the host').to.be.greaterThan(10);
    expect(changes.length, 'one change per committed value (select, text fields left), none doubled').to.be.greaterThan(0);
    expect(changes.every((e) => e.target === el)).to.equal(true);
    // Next is the first button after the last field.
    await sendKeys({ press: 'Tab' });
    expect(active(el)?.textContent?.trim()).to.equal('下一步');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => heading(el) === '您的信息', 'page 2');
    expect(active(el)?.id, 'focus moves to the new page heading').to.equal('page-title');
    expect(steps.map((e) => e.detail)).to.deep.equal([{ page: 1, pages: 2 }]);
    expect(byId(el, 'progress-text')!.textContent).to.equal('第 2 步，共 2 步');
    // The privacy notice comes before the first personal field, with its link through the allow-list.
    const privacy = root(el).querySelector('.privacy')!;
    expect(privacy.textContent).to.contain('社区居民委员会、区政协委员联络室');
    expect(privacy.querySelector('a')!.getAttribute('href')).to.equal('/privacy');
    await expectAccessible(el, 'second page');

    await tabTo(el, 'f-name');
    await type('王秀英');
    expect(byId(el, 'f-phone'), 'the phone field waits for "yes"').to.equal(null);
    await tabTo(el, 'f-contactWanted-0');
    await sendKeys({ press: 'Space' });
    await waitFor(() => Boolean(byId(el, 'f-phone')), 'the phone field');
    await tabTo(el, 'f-phone');
    await type('13800138000');
    await tabTo(el, 'f-consent');
    await sendKeys({ press: 'Space' });
    expect(byId<HTMLInputElement>(el, 'f-consent')!.checked).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(active(el)?.textContent?.trim()).to.equal('提交议题');
    const submitted = next<CustomEvent>(el, 'consult-submit');
    await sendKeys({ press: 'Enter' });
    const { detail } = await submitted;

    await waitFor(() => active(el)?.id === 'done-title', 'focus on the confirmation heading');
    expect(detail.title).to.equal('3号楼加装电梯');
    expect(detail.savedOn).to.equal('indexeddb');
    expect(detail.entry.event).to.deep.include({ type: 'topic.submit', source: 'resident', level: 'community', anonymous: false });
    expect(detail.entry.by).to.deep.equal({ role: 'resident', id: 'r-10086' });
    expect(detail.entry.event.values).to.deep.equal({
      title: '3号楼加装电梯',
      description: '三号楼住了很多老人，上下楼很难，希望社区组织大家商量加装电梯。',
      category: 'lift',
      location: '幸福里小区3号楼',
      photos: [{ name: '3号楼楼道.jpg', type: 'image/jpeg', size: 16 }],
      households: 24,
      name: '王秀英',
      contactWanted: 'yes',
      phone: '13800138000',
      consent: true,
    });
    const confirmation = root(el).querySelector('[part=confirmation]')!;
    // The record's id is no reference for people (the follow code is, once a city's server gives one).
    expect(confirmation.textContent).to.not.contain(detail.entry.id);
    expect(confirmation.textContent).to.contain(zh['form.next.screening']);
    await waitFor(() => root(el).querySelector('[role=status].delivery')!.textContent === zh['form.sent'], 'received');
    await expectAccessible(el, 'confirmation, zh-CN');
    el.setAttribute('lang', 'en');
    await waitFor(() => root(el).querySelector('.delivery')!.textContent === en['form.sent'], 'English confirmation');
    await expectAccessible(el, 'confirmation, en');

    // The topic is in the store's log; the draft is gone.
    const store = await openStore({ config: await parsedConfig('wuxi-community'), dbName: db });
    expect(store.log.map((e) => e.id)).to.include(detail.entry.id);
    expect(await store.loadDraft('intake:wuxi-youshi-haoshangliang')).to.equal(undefined);
    store.close();
  });

  it('fills and submits the Sichuan example (one page; consent appears once a phone number is given)', async () => {
    const el = await mount({ config: '/examples/configs/sichuan-courtyard.json' });
    startButton().focus();
    await tabTo(el, 'f-title');
    await type('二组进组路坑多');
    await tabTo(el, 'f-matterKind-0');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowUp' });
    expect(byId<HTMLInputElement>(el, 'f-matterKind-0')!.checked).to.equal(true);
    await tabTo(el, 'f-details');
    await type('下雨天路上全是水坑，老人小孩走路容易摔。');
    await tabTo(el, 'f-group');
    await type('二组');
    expect(byId(el, 'f-consent'), 'no consent asked without a phone number').to.equal(null);
    await tabTo(el, 'f-phone');
    await type('13900001111');
    await waitFor(() => Boolean(byId(el, 'f-consent')), 'the consent field');
    await tabTo(el, 'f-consent');
    await sendKeys({ press: 'Space' });
    await sendKeys({ press: 'Tab' });
    expect(active(el)?.textContent?.trim()).to.equal('提交议题');
    const submitted = next<CustomEvent>(el, 'consult-submit');
    await sendKeys({ press: 'Enter' });
    const { detail } = await submitted;
    expect(detail.entry.event.values).to.deep.equal({
      title: '二组进组路坑多',
      matterKind: 'public',
      details: '下雨天路上全是水坑，老人小孩走路容易摔。',
      group: '二组',
      phone: '13900001111',
      consent: true,
    });
    expect(detail.entry.event.level).to.equal('village');
    await waitFor(() => active(el)?.id === 'done-title', 'focus on the confirmation');
    expect(root(el).querySelector('.delivery')!.textContent).to.satisfy((t: string) => t === '' || t === zh['form.sent']);
  });
});

describe('<consult-topic-form>: topic sources', () => {
  it('offers the sources this role may raise, preset by `source`, and sends the one chosen', async () => {
    const el = await mount({ config: await rawConfig('sichuan-courtyard'), attrs: { 'user-role': 'member', source: 'member' } });
    const radios = [...root(el).querySelectorAll<HTMLInputElement>('input[name="$source"]')];
    expect(radios.map((r) => r.labels![0]!.textContent!.trim())).to.deep.equal(['群众出题', '委员荐题']);
    expect(radios[1]!.checked).to.equal(true);
    byId<HTMLInputElement>(el, 'f-title')!.focus();
    await type('二组进组路坑多');
    byId<HTMLInputElement>(el, 'f-matterKind-0')!.click();
    const submitted = next<CustomEvent>(el, 'consult-submit');
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    const { detail } = await submitted;
    expect(detail.entry.event.source).to.equal('member');
    expect(detail.entry.by.role).to.equal('member');
  });

  it('shows no source choice to a resident (only 群众出题 is theirs)', async () => {
    const el = await mount({ config: await rawConfig('wuxi-community') });
    expect(root(el).querySelector('input[name="$source"]')).to.equal(null);
  });
});

describe('<consult-topic-form>: anonymous topics', () => {
  it('hides personal fields, drops them and by.id from the event', async () => {
    const el = await mount({ config: await rawConfig('sichuan-courtyard'), attrs: { 'user-id': 'villager-7', lang: 'en' } });
    startButton().focus();
    await tabTo(el, 'f-title');
    await type('Potholes on the Group 2 road');
    await tabTo(el, 'f-phone');
    await type('13900001111');
    await waitFor(() => Boolean(byId(el, 'f-consent')), 'consent');
    await tabTo(el, 'anonymous', { back: true });
    expect((byId<HTMLInputElement>(el, 'anonymous')!.labels![0]!.textContent ?? '').trim()).to.equal(en['form.anonymous']);
    await sendKeys({ press: 'Space' });
    await waitFor(() => !byId(el, 'f-phone'), 'the phone field hidden');
    expect(byId(el, 'f-consent'), 'consent depends on the hidden phone: hidden too').to.equal(null);
    await expectAccessible(el, 'anonymous');
    await tabTo(el, 'f-matterKind-0', { back: true });
    await sendKeys({ press: 'Space' });
    expect(byId<HTMLInputElement>(el, 'f-matterKind-0')!.checked).to.equal(true);
    const submitted = next<CustomEvent>(el, 'consult-submit');
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.focus();
    await sendKeys({ press: 'Enter' });
    const { detail } = await submitted;
    expect(detail.entry.event.anonymous).to.equal(true);
    expect(detail.entry.event.values).to.deep.equal({ title: 'Potholes on the Group 2 road', matterKind: 'public' });
    expect(detail.entry.by).to.deep.equal({ role: 'resident' });
    expect(JSON.stringify(detail.entry)).to.not.contain('13900001111');
  });
});

describe('<consult-topic-form>: drafts', () => {
  it('restores answers, page and photos after a reload, says so, and clears the draft after submitting', async () => {
    const db = dbName('draft');
    const config = await rawConfig('wuxi-community');
    let el = await mount({ config, db });
    startButton().focus();
    await fillWuxiFirstPage(el);
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitFor(() => heading(el) === '您的信息', 'page 2');
    await tabTo(el, 'f-name');
    await type('陈阿姨');
    // "Reload": the element goes (pagehide saves the draft), a new one comes with the same database.
    window.dispatchEvent(new Event('pagehide'));
    el.remove();
    await new Promise((r) => setTimeout(r, 100));

    const restoredEvents: CustomEvent[] = [];
    const programmatic: Event[] = [];
    el = await mount({
      config,
      db,
      on: {
        'consult-draft-restore': (e) => restoredEvents.push(e as CustomEvent),
        input: (e) => programmatic.push(e),
        change: (e) => programmatic.push(e),
      },
    });
    await waitFor(() => restoredEvents.length === 1, 'consult-draft-restore');
    expect(restoredEvents[0]!.detail.key).to.equal('intake:wuxi-youshi-haoshangliang');
    expect(programmatic, 'restoring fires no input/change').to.have.length(0);
    expect(heading(el), 'back on the page left').to.equal('您的信息');
    expect(byId<HTMLInputElement>(el, 'f-name')!.value).to.equal('陈阿姨');
    const notice = root(el).querySelector('[part=notice]')!;
    expect(notice.textContent).to.contain('已恢复您');
    expect(notice.textContent).to.contain(String(new Date().getFullYear()));
    expect(notice.querySelector('button')!.textContent!.trim()).to.equal('重新填写');
    await expectAccessible(el, 'restored draft');

    // The photo came back as a Blob.
    root(el).querySelector<HTMLButtonElement>('.actions .button--secondary')!.click();
    await waitFor(() => heading(el) === '您想商量的事', 'page 1');
    expect(root(el).querySelector('.file-name')!.textContent).to.equal('3号楼楼道.jpg');
    expect(byId<HTMLInputElement>(el, 'f-title')!.value).to.equal('3号楼加装电梯');
    expect(byId<HTMLSelectElement>(el, 'f-category')!.value).to.equal('lift');
    const peek = await openStore({ config, dbName: db });
    const draft = await peek.loadDraft('intake:wuxi-youshi-haoshangliang');
    expect(draft!.page).to.equal(1);
    const blob = draft!.files.photos![0]!.blob;
    expect(blob).to.be.instanceOf(Blob);
    expect(blob.size).to.equal(16);

    // Finish and submit: the draft is deleted.
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitFor(() => heading(el) === '您的信息', 'page 2 again');
    byId<HTMLInputElement>(el, 'f-contactWanted-1')!.focus();
    await sendKeys({ press: 'Space' });
    byId<HTMLInputElement>(el, 'f-consent')!.focus();
    await sendKeys({ press: 'Space' });
    const submitted = next<CustomEvent>(el, 'consult-submit');
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    const { detail } = await submitted;
    expect(detail.entry.event.values.photos).to.deep.equal([{ name: '3号楼楼道.jpg', type: 'image/jpeg', size: 16 }]);
    let gone = false;
    await waitFor(() => {
      void peek.loadDraft('intake:wuxi-youshi-haoshangliang').then((d) => (gone = d === undefined));
      return gone;
    }, 'the draft deleted');
    peek.close();
  });

  it('"Start again" clears the restored draft and the answers', async () => {
    const db = dbName('again');
    const config = await rawConfig('sichuan-courtyard');
    let el = await mount({ config, db });
    byId<HTMLInputElement>(el, 'f-title')!.focus();
    await type('村口路灯不亮');
    // The draft is on the device (autosaved), not after a fixed time: typing within moments of
    // the form opening, before its store is open, races the removal below.
    const peek = await openStore({ config: await parsedConfig('sichuan-courtyard'), dbName: db });
    let saved = false;
    await waitFor(() => {
      void peek.loadDraft('intake:sichuan-xiaowei-xieshang').then((d) => (saved = d?.values?.title === '村口路灯不亮'));
      return saved;
    }, 'the draft saved');
    peek.close();
    el.remove();
    await new Promise((r) => setTimeout(r, 100));
    el = await mount({ config, db });
    await waitFor(() => Boolean(root(el).querySelector('[part=notice]')), 'the restored notice');
    expect(byId<HTMLInputElement>(el, 'f-title')!.value).to.equal('村口路灯不亮');
    root(el).querySelector<HTMLButtonElement>('[part=notice] button')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => !root(el).querySelector('[part=notice]'), 'the notice gone');
    expect(byId<HTMLInputElement>(el, 'f-title')!.value).to.equal('');
    expect(active(el)?.id).to.equal('page-title');
    el.remove();
    await new Promise((r) => setTimeout(r, 100));
    el = await mount({ config, db });
    await new Promise((r) => setTimeout(r, 200));
    expect(root(el).querySelector('[part=notice]'), 'nothing restored after starting again').to.equal(null);
  });
});

/** A city backend the test controls: the first send fails (no connection), the next waits for `release`. */
class GatedServer implements Transport {
  readonly kind = 'http' as const;
  readonly log: LogEntry[] = [];
  sends = 0;
  release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));

  async send(entry: OutboxEntry): Promise<SendResult> {
    this.sends += 1;
    if (this.sends === 1) return { kind: 'retry', error: 'Network: offline' };
    await this.gate;
    const logged = { ...entry.entry, seq: this.log.length + 1 } as LogEntry;
    this.log.push(logged);
    return { kind: 'ok', entry: logged };
  }

  async pull(): Promise<PullResult> {
    return { entries: [], cursor: String(this.log.length), more: false };
  }
}

describe('<consult-topic-form>: offline first', () => {
  it('says "saved on this device" while the topic waits to be sent, then "received" once the server has it', async () => {
    const config = await parsedConfig('sichuan-courtyard', { type: 'http', endpoint: '/api-test' });
    const server = new GatedServer();
    const store = await openStore({
      config,
      transport: server,
      dbName: dbName('offline'),
      pullIntervalMs: 0,
      backoff: { baseMs: 20, maxMs: 20 },
      random: () => 1,
    });
    const el = await mount({ store, attrs: { lang: 'en' } }); // no config: the store's is used
    byId<HTMLInputElement>(el, 'f-title')!.focus();
    await type('No light at the village gate');
    byId<HTMLInputElement>(el, 'f-matterKind-0')!.focus();
    await sendKeys({ press: 'Space' });
    const seen: string[] = [];
    const observer = new MutationObserver(() => {
      const live = root(el).querySelector('.delivery')?.textContent ?? '';
      if (live && seen.at(-1) !== live) seen.push(live);
    });
    observer.observe(root(el), { subtree: true, childList: true, characterData: true });
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitFor(() => seen.includes(en['form.savedOffline']), 'the offline message');
    expect(store.status.pending).to.equal(1);
    await expectAccessible(el, 'confirmation while offline');
    server.release();
    await waitFor(() => seen.includes(en['form.sent']), 'the received message');
    observer.disconnect();
    expect(seen).to.deep.equal([en['form.savedOffline'], en['form.sent']]);
    expect(root(el).querySelector('.delivery')!.getAttribute('role')).to.equal('status');
    expect(server.log).to.have.length(1);
    store.close();
  });

  it('says plainly when this device cannot keep the topic (memory storage)', async () => {
    const config = await parsedConfig('sichuan-courtyard');
    const real = await openStore({ config, dbName: dbName('memory') });
    const memory: TopicFormStore = {
      config: real.config,
      get status() {
        return { ...real.status, storage: 'memory' as const };
      },
      get log() {
        return real.log;
      },
      get conflicts() {
        return real.conflicts;
      },
      subscribe: (listener) => real.subscribe((s) => listener({ ...s, storage: 'memory' })),
      append: async (topicId, event) => {
        const result = await real.append(topicId, event);
        return result.ok ? { ...result, savedOn: 'memory' as const } : result;
      },
      saveDraft: (d) => real.saveDraft(d),
      loadDraft: (k) => real.loadDraft(k),
      deleteDraft: (k) => real.deleteDraft(k),
    };
    const el = await mount({ store: memory });
    byId<HTMLInputElement>(el, 'f-title')!.focus();
    await type('村口路灯不亮');
    byId<HTMLInputElement>(el, 'f-matterKind-0')!.click();
    const submitted = next<CustomEvent>(el, 'consult-submit');
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    expect((await submitted).detail.savedOn).to.equal('memory');
    await waitFor(() => text(el).includes(zh['form.savedMemoryOnly']), 'the memory warning');
    real.close();
  });
});

describe('<consult-topic-form>: refusals and safety', () => {
  it('shows a refusal from the lifecycle in the error summary and fires consult-refused', async () => {
    const refused: CustomEvent[] = [];
    const el = await mount({
      config: await rawConfig('sichuan-courtyard'),
      attrs: { 'user-role': 'department', lang: 'en' },
      on: { 'consult-refused': (e) => refused.push(e as CustomEvent) },
    });
    byId<HTMLInputElement>(el, 'f-title')!.focus();
    await type('Road repair');
    byId<HTMLInputElement>(el, 'f-matterKind-0')!.click();
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitFor(() => refused.length === 1, 'consult-refused');
    expect(refused[0]!.detail.refusal.code).to.equal('role-not-permitted');
    await waitFor(() => active(el)?.id === 'error-summary', 'the summary focused');
    expect(byId(el, 'error-summary')!.textContent).to.contain('The topic could not be accepted');
    expect(byId<HTMLInputElement>(el, 'f-title')!.value).to.equal('Road repair');
  });

  it('renders everything the person typed as text, never as markup', async () => {
    const attack = '<img src=x onerror=window.__pwned=1>';
    const el = await mount({ config: await rawConfig('wuxi-community'), attrs: { lang: 'en' } });
    startButton().focus();
    await tabTo(el, 'f-title');
    await type(attack);
    await tabTo(el, 'f-description');
    await type(`${attack} and <script>window.__pwned=2</script>`);
    await tabTo(el, 'f-category');
    await sendKeys({ press: 'ArrowDown' });
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitFor(() => heading(el) === 'About you', 'page 2');
    byId<HTMLInputElement>(el, 'f-name')!.focus();
    await type('<b>Wang</b>');
    byId<HTMLInputElement>(el, 'f-contactWanted-1')!.click();
    byId<HTMLInputElement>(el, 'f-consent')!.click();
    const submitted = next<CustomEvent>(el, 'consult-submit');
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await submitted;
    await waitFor(() => Boolean(root(el).querySelector('.topic-title')), 'the confirmation');
    expect(root(el).querySelector('.topic-title')!.textContent).to.equal(attack);
    expect(root(el).querySelector('img, script, b')).to.equal(null);
    await new Promise((r) => setTimeout(r, 50));
    expect(window.__pwned).to.equal(undefined);
  });

  it('safeUrl lets through https, http, mailto, tel and relative URLs only', () => {
    for (const ok of ['https://a.example/p', 'http://a.example', 'mailto:x@y.cn', 'tel:12345', '/privacy', '../help', 'privacy.html', '?q=1']) {
      expect(safeUrl(ok), ok).to.equal(ok);
    }
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'java\tscript:alert(1)', ' javascript:x', 'data:text/html,x', 'file:///etc', 'vbscript:x', '', undefined]) {
      expect(safeUrl(bad), String(bad)).to.equal(undefined);
    }
  });
});

describe('<consult-topic-form>: a store shared through context', () => {
  /** A stand-in for <consult-workflow>: provides a store through context when the test says. */
  async function storeProvider() {
    const { ContextProvider } = await import('@lit/context');
    const { storeContext } = await import('../context/consultation-context.js');
    const { LitElement, html } = await import('lit');
    class TestProvider extends LitElement {
      provider = new ContextProvider(this, { context: storeContext, initialValue: undefined });
      override render() {
        return html`<slot></slot>`;
      }
    }
    if (!customElements.get('test-store-provider')) customElements.define('test-store-provider', TestProvider);
    return document.createElement('test-store-provider') as InstanceType<typeof TestProvider>;
  }

  /** The Sichuan form inside a provider whose store comes later; resolves once its fields show. */
  async function formBeforeStore() {
    const config = await parsedConfig('sichuan-courtyard');
    const provider = await storeProvider();
    const el = document.createElement('consult-topic-form');
    el.config = config;
    provider.append(el);
    document.body.append(provider);
    await waitFor(() => Boolean(byId(el, 'f-title')), 'the fields, with no store yet');
    return { config, provider, el };
  }

  it('shows the fields before the store is open; what is typed meanwhile wins over an old draft, and is saved', async () => {
    const { config, provider, el } = await formBeforeStore();
    const store: ConsultStore = await openStore({ config, dbName: dbName('late') });
    await store.saveDraft({ key: `intake:${config.id}`, values: { title: '上个月没写完的草稿' }, files: {} });
    await tabTo(el, 'f-title');
    await type('晒坝边的路灯坏了');
    provider.provider.setValue(store);
    let saved: unknown;
    await waitFor(() => {
      void store.loadDraft(`intake:${config.id}`).then((d) => (saved = d?.values.title));
      return saved === '晒坝边的路灯坏了';
    }, 'what was typed to be saved as the draft');
    expect(byId<HTMLInputElement>(el, 'f-title')!.value, 'the old draft does not replace what was typed').to.equal('晒坝边的路灯坏了');
    store.close();
  });

  it('a topic submitted before the store is open is saved once the store is there, not dropped', async () => {
    const { config, provider, el } = await formBeforeStore();
    await tabTo(el, 'f-title');
    await type('晒坝边的路灯坏了');
    await tabTo(el, 'f-matterKind-0');
    await sendKeys({ press: 'Space' });
    await tabTo(el, 'f-details');
    await type('晚上从晒坝回家看不见路，老人已经摔过一次。');
    await tabTo(el, 'f-group');
    await type('三组');
    const submitted = next<CustomEvent>(el, 'consult-submit');
    await sendKeys({ press: 'Enter' }); // in a text field: submits the form
    await new Promise((r) => setTimeout(r, 50));
    expect(root(el).querySelector('[part=error-summary]'), 'the answers are complete').to.equal(null);
    const store: ConsultStore = await openStore({ config, dbName: dbName('late-submit') });
    provider.provider.setValue(store);
    const event = await submitted;
    expect(store.log.map((e) => e.topicId)).to.deep.equal([event.detail.topicId]);
    expect(event.detail.entry.event.values).to.include({ title: '晒坝边的路灯坏了', group: '三组' });
    store.close();
  });

  it('uses the store of an ancestor provider and its config', async () => {
    const config = await parsedConfig('sichuan-courtyard');
    const store: ConsultStore = await openStore({ config, dbName: dbName('context') });
    const provider = await storeProvider();
    const el = document.createElement('consult-topic-form');
    provider.append(el);
    document.body.append(provider);
    await new Promise((r) => setTimeout(r, 50));
    expect(root(el).querySelector('form'), 'waits for the workflow’s store').to.equal(null);
    provider.provider.setValue(store);
    await waitFor(() => Boolean(root(el).querySelector('form')), 'the form');
    expect(heading(el)).to.equal('摆一摆您的事');
    store.close();
  });
});
