/**
 * <consult-studio> in real Chromium: what a person notices of the shell.
 *
 * - Opening a programme (from a stand-in `fetch` here; publishing runs against the real server in
 *   shell-publish.browser.test.ts), the start screen, a network failure and its retry, a template
 *   the checker accepts, a copy of an existing programme.
 * - The tabs by keyboard (arrows, Home, End), a pane that cannot load.
 * - The errors panel: counts in both languages, groups, 50 faults, an error leads to its control.
 * - Undo/redo by keys anywhere in the studio, announced; a pane's announcement read out.
 * - Export round-trip of every example, a bad file imported (nothing lost), a file with faults,
 *   a dropped file; beforeunload only with unpublished changes.
 * - axe on the shell in both languages, at 390 px and at desktop width.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { parseWorkflowConfig } from '@consult-kit/machine';
import type { ConsultStudio } from '../src/shell/studio.component.js';
import { EDIT_PANES } from '../src/shell/panes.js';
import { TEMPLATES, fromTemplate } from '../src/shell/templates.js';
import type { JsonObject } from '../src/pointer.js';
import { expectAccessible } from '../../elements/test/a11y.js';
import {
  announced,
  button,
  captureDownloads,
  chooseFile,
  clearDrafts,
  deepActive,
  editing,
  errorsPanel,
  EXAMPLES,
  exampleText,
  FakeServer,
  find,
  mountStudio,
  shadow,
  squash,
  waitFor,
} from './shell-helpers.js';

let wuxiText: string;
let wuxi: JsonObject;
let server: FakeServer;

before(async () => {
  wuxiText = await exampleText('wuxi-community');
  wuxi = JSON.parse(wuxiText) as JsonObject;
});

beforeEach(async () => {
  await clearDrafts();
  server = new FakeServer();
  server.add(wuxiText);
});

afterEach(async () => {
  document.body.replaceChildren();
  await setViewport({ width: 1280, height: 900 });
});

const WUXI = 'wuxi-youshi-haoshangliang';

async function openWuxi(lang = 'zh-CN'): Promise<ConsultStudio> {
  const el = await mountStudio({ server, programme: WUXI, lang });
  await editing(el);
  return el;
}

const tab = (el: ConsultStudio, id: string) => find<HTMLButtonElement>(el, `#tab-${id}`);
const selectedTab = (el: ConsultStudio) => find<HTMLButtonElement>(el, '[role=tablist][part=tabs] [aria-selected=true]');

describe('<consult-studio> opening', () => {
  it('opens a programme from the server: its title in the toolbar, the form pane shown, no problems', async () => {
    const el = await openWuxi();
    expect(squash(find(el, 'h1').textContent)).to.equal('有事好商量·社区协商议事室');
    expect(server.calls).to.include(`GET /api/programmes/${WUXI}/config`);
    expect(el.base?.etag).to.equal(`"${WUXI}-1"`);
    expect(el.base?.version).to.equal(1);
    expect(squash(selectedTab(el).textContent)).to.equal('表单');
    expect(squash(errorsPanel(el).querySelector('h2')?.textContent)).to.equal('配置无误');
    expect(el.doc.dirty).to.equal(false);
  });

  it('without a programme, shows the server’s programmes; opening one loads it', async () => {
    const el = await mountStudio({ server });
    await waitFor(() => !!shadow(el).querySelector(`[data-open="${WUXI}"]`), 'the programme list');
    const open = find<HTMLButtonElement>(el, `[data-open="${WUXI}"]`);
    expect(squash(open.textContent)).to.contain('有事好商量·社区协商议事室');
    open.click();
    await editing(el);
    expect(el.programme).to.equal(WUXI);
    expect(el.doc.get('/id')).to.equal(WUXI);
  });

  it('says clearly when the server cannot be reached, and retries', async () => {
    server.offline = true;
    const el = await mountStudio({ server });
    await waitFor(() => squash(shadow(el).textContent).includes('未能连接服务器'), 'the network message');
    server.offline = false;
    button(el, '重试').click();
    await waitFor(() => !!shadow(el).querySelector(`[data-open="${WUXI}"]`), 'the list after retrying');
  });

  it('a programme that cannot be opened says why, with a retry and a way back to the start', async () => {
    server.offline = true;
    const el = await mountStudio({ server, programme: WUXI });
    await waitFor(() => squash(find(el, '[part=notice]').textContent).includes(`未能打开项目 ${WUXI}`), 'the failure');
    server.offline = false;
    button(el, '重试').click();
    await editing(el);
    expect(el.doc.get('/id')).to.equal(WUXI);
  });

  it('every template is a complete programme the checker accepts, and the start screen creates one under a new id', async () => {
    for (const template of TEMPLATES) {
      const result = parseWorkflowConfig(fromTemplate(template, 'a-new-room'));
      expect(result.ok, `${template.id}: ${JSON.stringify(result.ok ? [] : result.errors)}`).to.equal(true);
    }
    const el = await mountStudio({ server });
    const form = find<HTMLFormElement>(el, `form[data-template="${TEMPLATES[0]!.id}"]`);
    const id = form.querySelector<HTMLInputElement>('input[name=id]')!;
    id.value = 'Bad Id';
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await el.updateComplete;
    expect(id.getAttribute('aria-invalid')).to.equal('true');
    expect(squash(form.textContent)).to.contain('项目编号只能包含小写字母');
    id.value = 'chengxi-community';
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await editing(el);
    expect(el.doc.get('/id')).to.equal('chengxi-community');
    expect(el.doc.errors).to.have.length(0);
    expect(el.base).to.deep.include({ id: 'chengxi-community', isNew: true });
    expect(squash(errorsPanel(el).querySelector('h2')?.textContent)).to.equal('配置无误');
  });

  it('makes a copy of an existing programme under a new id', async () => {
    const el = await mountStudio({ server, lang: 'en' });
    await waitFor(() => !!shadow(el).querySelector('form[data-copy]'), 'the copy form');
    const form = find<HTMLFormElement>(el, 'form[data-copy]');
    form.querySelector<HTMLInputElement>('input[name=id]')!.value = WUXI;
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await el.updateComplete;
    expect(squash(form.textContent)).to.contain(`The server already has a programme with the id ${WUXI}`);
    form.querySelector<HTMLInputElement>('input[name=id]')!.value = 'wuxi-copy';
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await editing(el);
    expect(el.doc.get('/id')).to.equal('wuxi-copy');
    expect(el.doc.get('/form')).to.deep.equal(wuxi.form);
    expect(el.base?.isNew).to.equal(true);
  });
});

describe('<consult-studio> tabs', () => {
  it('moves between the editing panes with the arrow keys, Home and End (ARIA tabs), and back with Shift+Tab', async () => {
    const el = await openWuxi('en');
    const names = [...shadow(el).querySelectorAll('[part=tabs] [role=tab]')].map((t) => squash(t.textContent));
    expect(names).to.deep.equal(['Form', 'Lifecycle', 'Programme', 'Permissions', 'Translations', 'JSON', 'Versions']);
    tab(el, 'form').focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(deepActive()).to.equal(tab(el, 'lifecycle'));
    expect(tab(el, 'lifecycle').getAttribute('aria-selected')).to.equal('true');
    expect(find(el, '#panel-lifecycle').hidden).to.equal(false);
    expect(find(el, '#panel-form').hidden).to.equal(true);
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    expect(deepActive()).to.equal(tab(el, 'versions'));
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(deepActive()).to.equal(tab(el, 'form'));
    await sendKeys({ press: 'ArrowLeft' });
    await el.updateComplete;
    expect(deepActive()).to.equal(tab(el, 'versions'));
    await sendKeys({ press: 'Home' });
    await el.updateComplete;
    expect(deepActive()).to.equal(tab(el, 'form'));
    // Only the selected tab is in the Tab order.
    expect([...shadow(el).querySelectorAll('[part=tabs] [role=tab]')].filter((t) => t.getAttribute('tabindex') === '0')).to.have.length(1);
  });

  it('the preview and diagram are tabs of their own', async () => {
    const el = await openWuxi('en');
    const side = find(el, '[role=tablist][part=side-tabs]');
    expect([...side.querySelectorAll('[role=tab]')].map((t) => squash(t.textContent))).to.deep.equal(['Preview', 'Diagram']);
    find<HTMLButtonElement>(el, '#tab-preview').focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(find(el, '#tab-diagram').getAttribute('aria-selected')).to.equal('true');
    expect(find(el, '#panel-diagram').hidden).to.equal(false);
  });

  it('a pane whose code cannot load says so and offers to try again, and nothing throws', async () => {
    const entry = EDIT_PANES.find((p) => p.id === 'translations')!;
    const original = entry.load;
    let fail = true;
    entry.load = async () => {
      if (fail) throw new TypeError('Failed to fetch dynamically imported module');
      // Back online: the real pane, or (while its code is not in this tree yet) a stand-in under its tag.
      await original().catch(() => {
        if (!customElements.get(entry.tag)) customElements.define(entry.tag, class extends HTMLElement {});
      });
    };
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent | PromiseRejectionEvent) => errors.push(e);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    try {
      const el = await openWuxi('en');
      tab(el, 'translations').click();
      await waitFor(() => squash(find(el, '#panel-translations').textContent).includes('This pane could not load.'), 'the failure message');
      fail = false;
      button(el, 'Try again', find(el, '#panel-translations')).click();
      await waitFor(() => !squash(find(el, '#panel-translations').textContent).includes('This pane could not load.'), 'the retry');
      expect(errors).to.have.length(0);
    } finally {
      entry.load = original;
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
    }
  });
});

describe('<consult-studio> errors panel', () => {
  function withFaults(count: number): JsonObject {
    const config = structuredClone(wuxi);
    const fields = (config.form as { pages: Array<{ fields: JsonObject[] }> }).pages[0]!.fields;
    for (let i = 0; i < count; i += 1) fields.push({ name: `extra${i}`, type: 'text', label: { 'zh-CN': `字段${i}`, en: 7 } });
    return config;
  }

  it('counts the problems in both languages and groups them by section', async () => {
    const config = withFaults(2);
    config.steps = (config.steps as JsonObject[]).map((s) => (s.type === 'evaluation' ? { ...s, scale: 'five' } : s));
    server.add(JSON.stringify(config));
    const el = await openWuxi();
    const n = el.doc.errors.length;
    expect(n).to.be.at.least(3);
    expect(squash(errorsPanel(el).querySelector('h2')?.textContent)).to.equal(`${n} 个问题`);
    const groups = [...errorsPanel(el).querySelectorAll('h3')].map((h) => squash(h.textContent));
    expect(groups.length).to.be.at.least(2);
    button(el, 'English').click();
    await el.updateComplete;
    await find<ConsultStudio>(el, 'consult-studio-errors').updateComplete;
    expect(squash(errorsPanel(el).querySelector('h2')?.textContent)).to.equal(`${n} problems`);
    // Each row shows its pointer and message.
    const first = errorsPanel(el).querySelector('button.error')!;
    expect(squash(first.querySelector('code')?.textContent)).to.equal(el.doc.errors[0]!.pointer || '/');
    expect(squash(first.textContent)).to.contain(el.doc.errors[0]!.message);
  });

  it('50 faults show as 50 rows (20 first, then all) and never throw', async () => {
    server.add(JSON.stringify(withFaults(50)));
    const el = await openWuxi('en');
    const n = el.doc.errors.length;
    expect(n).to.be.at.least(50);
    expect(squash(errorsPanel(el).querySelector('h2')?.textContent)).to.equal(`${n} problems`);
    expect(errorsPanel(el).querySelectorAll('button.error')).to.have.length(20);
    const all = button(el, `Show all ${n}`, errorsPanel(el));
    expect(all.getAttribute('aria-expanded')).to.equal('false');
    all.click();
    await find<ConsultStudio>(el, 'consult-studio-errors').updateComplete;
    expect(errorsPanel(el).querySelectorAll('button.error')).to.have.length(n);
    expect(new Set([...errorsPanel(el).querySelectorAll('button.error code')].map((c) => c.textContent)).size).to.be.at.least(50);
  });

  it('activating an error by keyboard switches to the form pane and focuses the control that edits that node', async () => {
    const config = structuredClone(wuxi);
    ((config.form as { pages: Array<{ fields: JsonObject[] }> }).pages[0]!.fields[0]!.label as JsonObject).en = '';
    server.add(JSON.stringify(config));
    const el = await openWuxi('en');
    tab(el, 'permissions').click();
    await el.updateComplete;
    const error = [...errorsPanel(el).querySelectorAll<HTMLButtonElement>('button.error')].find((b) => b.dataset.errorPointer!.startsWith('/form/pages/0/fields/0'));
    expect(error, 'an error at the first field').to.not.equal(undefined);
    const pointer = error!.dataset.errorPointer!;
    const pane = await el.loadPane('form');
    error!.focus();
    await sendKeys({ press: 'Enter' });
    if (!pane) {
      // The form pane's code is not there: the JSON pane (or the announcement) takes over.
      await waitFor(() => selectedTab(el).id === 'tab-json' || squash(shadow(el).querySelector('[data-live]')?.textContent).includes('No control edits'), 'the fallback', 15_000);
      return;
    }
    await waitFor(() => selectedTab(el).id === 'tab-form', 'the form tab');
    await waitFor(() => {
      const focused = deepActive() as HTMLElement | null;
      const own = focused?.closest?.('[data-pointer]')?.getAttribute('data-pointer') ?? focused?.getAttribute('data-pointer');
      return !!own && (pointer === own || pointer.startsWith(`${own}/`));
    }, `focus on the control of ${pointer}`);
  });

  it('an error no visual pane can focus opens the JSON pane (or says no control edits it)', async () => {
    const config = structuredClone(wuxi);
    config.offlineGraceHours = 'a day';
    server.add(JSON.stringify(config));
    const settings = EDIT_PANES.find((p) => p.id === 'settings')!;
    const original = settings.load;
    settings.load = () => Promise.reject(new Error('not here'));
    try {
      const el = await openWuxi('en');
      const error = [...errorsPanel(el).querySelectorAll<HTMLButtonElement>('button.error')].find((b) => b.dataset.errorPointer === '/offlineGraceHours');
      expect(error).to.not.equal(undefined);
      error!.click();
      await waitFor(() => selectedTab(el).id === 'tab-json', 'the JSON tab');
      const json = await el.loadPane('json');
      if (!json) await announced(el, 'No control edits /offlineGraceHours');
      else await waitFor(() => find(el, '#panel-json').contains(deepActive()) || !!el.pane('json')?.shadowRoot?.contains(deepActive()), 'focus in the JSON pane', 15_000);
    } finally {
      settings.load = original;
    }
  });
});

describe('<consult-studio> undo, redo and the live region', () => {
  it('Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y anywhere in the studio undo and redo, and say so', async () => {
    const el = await openWuxi('en');
    el.doc.set('/title/en', 'Talk it over', { merge: '/title/en' });
    await el.updateComplete;
    expect(find<HTMLButtonElement>(el, '[data-action=undo]').disabled).to.equal(false);
    find<HTMLButtonElement>(el, '[data-action=export]').focus();
    await sendKeys({ press: 'Control+z' });
    expect(el.doc.get('/title/en')).to.equal((wuxi.title as JsonObject).en);
    await announced(el, 'Undone: title › en');
    await sendKeys({ press: 'Control+Shift+Z' });
    expect(el.doc.get('/title/en')).to.equal('Talk it over');
    await announced(el, 'Redone: title › en');
    await sendKeys({ press: 'Control+z' });
    await sendKeys({ press: 'Control+y' });
    expect(el.doc.get('/title/en')).to.equal('Talk it over');
    // The buttons do the same.
    find<HTMLButtonElement>(el, '[data-action=undo]').click();
    expect(el.doc.get('/title/en')).to.equal((wuxi.title as JsonObject).en);
    await el.updateComplete;
    expect(find<HTMLButtonElement>(el, '[data-action=undo]').disabled).to.equal(true);
  });

  it('reads out what a pane announces, in the one polite live region', async () => {
    const el = await openWuxi('en');
    const live = shadow(el).querySelectorAll('[aria-live]');
    expect(live).to.have.length(1);
    expect(live[0]!.getAttribute('aria-live')).to.equal('polite');
    const panel = find(el, '#panel-form');
    panel.dispatchEvent(new CustomEvent('studio-announce', { detail: { message: 'Moved “Topic” down: now 2 of 6' }, bubbles: true, composed: true }));
    await announced(el, 'Moved “Topic” down: now 2 of 6');
  });
});

describe('<consult-studio> files', () => {
  for (const name of EXAMPLES) {
    it(`exports ${name} unchanged as its canonical text, named after its id`, async () => {
      const text = await exampleText(name);
      const id = server.add(text);
      const el = await mountStudio({ server, programme: id });
      await editing(el);
      const downloads = captureDownloads();
      try {
        find<HTMLButtonElement>(el, '[data-action=export]').click();
      } finally {
        downloads.restore();
      }
      expect(downloads.files).to.have.length(1);
      expect(downloads.files[0]!.name).to.equal(`${id}.json`);
      expect(await downloads.files[0]!.blob.text()).to.equal(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      expect(downloads.files[0]!.blob.type).to.equal('application/json');
    });
  }

  it('a file that is not JSON says where it broke, and nothing is lost', async () => {
    const el = await openWuxi('en');
    el.doc.set('/title/en', 'My edit');
    const before = el.doc.text();
    chooseFile(el, new File(['{\n  "id": "x",\n  "title": }\n'], 'broken.json', { type: 'application/json' }));
    await waitFor(() => !!shadow(el).querySelector('[part=notice]'), 'the notice');
    const notice = squash(find(el, '[part=notice]').textContent);
    expect(notice).to.match(/broken\.json is not valid JSON \(line 3, column 12\)/);
    expect(notice).to.contain('Nothing was changed.');
    expect(el.doc.text()).to.equal(before);
    expect(el.doc.canUndo).to.equal(true);
  });

  it('a JSON file with faults loads, its faults listed, and one undo brings the old config back', async () => {
    const el = await openWuxi('en');
    const faulty = { ...structuredClone(wuxi), level: 'galaxy', steps: 'none' };
    chooseFile(el, new File([JSON.stringify(faulty)], 'faulty.json'));
    await waitFor(() => el.doc.get('/level') === 'galaxy', 'the import');
    await el.updateComplete;
    await find<ConsultStudio>(el, 'consult-studio-errors').updateComplete;
    const n = el.doc.errors.length;
    expect(n).to.be.at.least(2);
    expect(squash(errorsPanel(el).querySelector('h2')?.textContent)).to.equal(`${n} problems`);
    expect(squash(find(el, '[part=notice]').textContent)).to.contain(`Imported faulty.json, with ${n} problems`);
    el.doc.undo();
    expect(el.doc.get('/level')).to.equal('community');
  });

  it('a file dropped onto the studio is imported', async () => {
    const el = await openWuxi('en');
    const transfer = new DataTransfer();
    transfer.items.add(new File([JSON.stringify({ ...wuxi, version: '9.9.9' })], 'dropped.json', { type: 'application/json' }));
    const over = new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, composed: true, cancelable: true });
    find(el, '[part=editor]').dispatchEvent(over);
    expect(over.defaultPrevented).to.equal(true);
    find(el, '[part=editor]').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, composed: true, cancelable: true }));
    await waitFor(() => el.doc.get('/version') === '9.9.9', 'the dropped file');
    expect(squash(find(el, '[part=notice]').textContent)).to.contain('Imported dropped.json.');
  });

  it('leaving asks first only while there are unpublished changes (an export counts as saved)', async () => {
    const el = await openWuxi('en');
    const leave = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(leave()).to.equal(false);
    el.doc.set('/title/en', 'Changed');
    expect(leave()).to.equal(true);
    await el.updateComplete;
    expect(squash(find(el, '[part=toolbar]').textContent)).to.contain('Unpublished changes');
    const downloads = captureDownloads();
    try {
      find<HTMLButtonElement>(el, '[data-action=export]').click();
    } finally {
      downloads.restore();
    }
    expect(leave()).to.equal(false);
    el.remove();
    el.doc.set('/title/en', 'Changed again');
    expect(leave(), 'a removed studio no longer asks').to.equal(false);
  });
});

describe('<consult-studio> accessibility', () => {
  for (const lang of ['zh-CN', 'en']) {
    it(`axe finds nothing on the shell in ${lang}, at desktop width and at 390 px, nor on the start screen`, async () => {
      const el = await openWuxi(lang);
      await new Promise((r) => setTimeout(r, 100));
      await expectAccessible(el, `studio ${lang} desktop`);
      await setViewport({ width: 390, height: 844 });
      await el.updateComplete;
      await expectAccessible(el, `studio ${lang} 390px`);
      // Nothing wider than the phone's screen.
      expect(el.scrollWidth).to.be.at.most(390);
      el.remove();
      const start = await mountStudio({ server, lang });
      await waitFor(() => !!shadow(start).querySelector(`[data-open="${WUXI}"]`), 'the start screen');
      // The programme's level in the studio's words, not its id.
      expect(shadow(start).querySelector(`[data-open="${WUXI}"]`)!.textContent).to.include(lang === 'en' ? 'Level: Community' : '层级：社区');
      await expectAccessible(start, `start screen ${lang}`);
    });
  }

  it('the language switch is visible in the toolbar and changes every word of the shell', async () => {
    const el = await openWuxi('zh-CN');
    const toggle = find<HTMLButtonElement>(el, '[data-action=language]');
    expect(squash(toggle.textContent)).to.equal('English');
    expect(toggle.getAttribute('lang')).to.equal('en');
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.getAttribute('lang')).to.equal('en');
    expect(squash(find(el, '[data-action=publish]').textContent)).to.equal('Publish');
    expect(squash(tab(el, 'settings').textContent)).to.equal('Programme');
    expect(squash(find(el, 'h1').textContent)).to.equal("Let's Talk It Over: Community Consultation Room");
  });
});
