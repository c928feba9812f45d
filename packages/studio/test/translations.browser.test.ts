/**
 * <consult-studio-translations> in real Chromium: every LocalizedText of the Wuxi example in the
 * table with its place in words, missing texts flagged and counted, the filters (search, only
 * missing, language), an English text typed in and the count dropping, focusPointer through
 * filters and slices, 1,000 texts of a generated 200-field config rendered in slices, axe in both
 * languages and at 390 px. The keys it treats as texts are checked against workflow.schema.json.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../src/translations/consult-studio-translations.js';
import type { ConsultStudioTranslations } from '../src/translations/translations.component.js';
import { LOCALIZED_ARRAYS, LOCALIZED_KEYS, collectTexts, readablePlace } from '../src/translations/translations-model.js';
import type { Json, JsonObject } from '../src/pointer.js';
import { expectAccessible } from '../../elements/test/a11y.js';
import { mountPane, root, at, active, settle, typeInto } from './pane-fixture.js';

let wuxi: JsonObject;
let schema: JsonObject;

before(async () => {
  wuxi = (await (await fetch('/examples/configs/wuxi-community.json')).json()) as JsonObject;
  schema = (await (await fetch('/packages/machine/src/config/workflow.schema.json')).json()) as JsonObject;
});

afterEach(async () => {
  document.body.replaceChildren();
  await setViewport({ width: 1024, height: 800 });
});

const mount = (value: Json, lang = 'zh-CN') => mountPane<ConsultStudioTranslations>('consult-studio-translations', value, lang);

const rows = (el: HTMLElement) => [...root(el).querySelectorAll('tbody tr')];
const counts = (el: HTMLElement) => root(el).querySelector('[part=counts]')!.textContent!.replace(/\s+/g, ' ').trim();

/** The Wuxi example with three English texts gone: one absent, one blank, one only spaces. */
function withGaps(): JsonObject {
  const config = structuredClone(wuxi) as JsonObject & { form: { pages: Array<{ fields: JsonObject[] }> } };
  delete (config.form.pages[0]!.fields[0]!.label as JsonObject).en;
  (config.form.pages[0]!.fields[1]!.hint as JsonObject).en = '';
  (((config.steps as JsonObject[])[3]!.formats as JsonObject[])[1]!.label as JsonObject).en = '  ';
  return config;
}

describe('consult-studio-translations', () => {
  it('treats as texts exactly the places the schema types as LocalizedText', () => {
    const keys = new Set<string>();
    const arrays = new Set<string>();
    const ref = '#/$defs/localizedText';
    const walk = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (key === 'properties') {
          for (const [name, sub] of Object.entries(value as Record<string, { $ref?: string; items?: { $ref?: string } }>)) {
            if (sub.$ref === ref) keys.add(name);
            if (sub.items?.$ref === ref) arrays.add(name);
          }
        }
        walk(value);
      }
    };
    walk(schema);
    expect([...keys].sort()).to.deep.equal([...LOCALIZED_KEYS].sort());
    expect([...arrays].sort()).to.deep.equal([...LOCALIZED_ARRAYS].sort());
  });

  it('lists every text of the Wuxi example with its place in words, Chinese beside English', async () => {
    const { el } = await mount(structuredClone(wuxi));
    const texts = collectTexts(wuxi);
    expect(rows(el)).to.have.length(Math.min(100, texts.length));
    expect(counts(el)).to.equal(`共 ${texts.length} 条文字 中文和英文都齐了。`);
    const title = at(el, '/form/pages/0/fields/0/label');
    expect(title.textContent).to.equal('表单 › 第1页 › 字段「议题名称」 › 标签');
    expect(at<HTMLInputElement>(el, '/form/pages/0/fields/0/label/zh-CN').value).to.equal('议题名称');
    expect(at<HTMLInputElement>(el, '/form/pages/0/fields/0/label/en').getAttribute('aria-label')).to.equal('英文：表单 › 第1页 › 字段「议题名称」 › 标签');
    expect(at(el, '/steps/0/sources/1/label').textContent).to.equal('议题征集 › 来源「委员荐题」 › 标签');
    expect(at(el, '/steps/6/starLabels/4').textContent).to.equal('满意度评价 › 星级说明 › 5 星');
  });

  it('reads places in English too', async () => {
    const { el } = await mount(structuredClone(wuxi), 'en');
    expect(at(el, '/form/pages/0/fields/0/label').textContent).to.equal('Form › Page 1 › Field "Topic" › label');
    expect(at(el, '/privacy/purpose').textContent).to.equal('Privacy notice › purpose');
    // A room's texts (past the first 100 rows, so read from the model).
    expect(readablePlace(wuxi, ['rooms', 'list', '0', 'place'], 'en')).to.equal('Room "Qingmingqiao Community Consultation Room" › place');
    expect(readablePlace(wuxi, ['rooms', 'list', '0', 'conveners', '0', 'title'], 'zh-CN')).to.equal('议事室「清名桥社区协商议事室」 › 召集人「c-qm-01」 › 标题');
    expect(collectTexts(wuxi).some((row) => row.pointer === '/rooms/list/0/raise')).to.equal(true);
  });

  it('flags and counts missing texts (absent, blank or only spaces), filters them, and the count drops as one is typed', async () => {
    const { el, doc } = await mount(withGaps());
    expect(counts(el)).to.match(/缺 3 条英文$/);
    const flag = at<HTMLInputElement>(el, '/form/pages/0/fields/0/label/en');
    expect(root(el).getElementById(flag.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent).to.match(/缺英文/);
    // Only missing.
    const only = at<HTMLInputElement>(el, '#only-missing');
    only.focus();
    await sendKeys({ press: 'Space' });
    await settle(el);
    expect(rows(el)).to.have.length(3);
    // Missing in Chinese only: none.
    const language = at<HTMLSelectElement>(el, '#language');
    language.value = 'zh-CN';
    language.dispatchEvent(new Event('change'));
    await settle(el);
    expect(rows(el)).to.have.length(0);
    expect(root(el).textContent).to.match(/没有符合条件的文字/);
    language.value = 'en';
    language.dispatchEvent(new Event('change'));
    await settle(el);
    expect(rows(el)).to.have.length(3);
    // Type the missing English title: the count drops, the row stays while being edited.
    await typeInto(el, at(el, '/form/pages/0/fields/0/label/en'), 'Topic');
    expect(doc.get('/form/pages/0/fields/0/label')).to.deep.equal({ 'zh-CN': '议题名称', en: 'Topic' });
    expect(counts(el)).to.match(/缺 2 条英文$/);
    expect(rows(el)).to.have.length(3);
    expect(active(el)).to.equal(at(el, '/form/pages/0/fields/0/label/en'));
    // Typing is one undo step.
    doc.undo();
    await settle(el);
    expect(counts(el)).to.match(/缺 3 条英文$/);
  });

  it('searches places and texts', async () => {
    const { el } = await mount(structuredClone(wuxi), 'en');
    await typeInto(el, at(el, '#search'), 'courtyard');
    expect(rows(el).map((r) => r.querySelector('th')!.dataset.pointer)).to.deep.equal(['/steps/3/formats/1/label']);
    await typeInto(el, at(el, '#search'), '电梯');
    expect(rows(el).length).to.be.greaterThan(0);
    for (const r of rows(el)) expect(r.textContent! + [...r.querySelectorAll('input')].map((i) => i.value).join(' ')).to.include('电梯');
  });

  it('focuses the input of an error, clearing a filter that hides it', async () => {
    const config = withGaps();
    const { el, doc } = await mount(config, 'en');
    expect(doc.errors.map((e) => e.pointer)).to.include('/form/pages/0/fields/0/label/en');
    await typeInto(el, at(el, '#search'), 'nothing like this');
    expect(rows(el)).to.have.length(0);
    expect(await el.focusPointer('/form/pages/0/fields/0/label/en')).to.equal(true);
    expect(active(el)).to.equal(at(el, '/form/pages/0/fields/0/label/en'));
    expect(at(el, '/form/pages/0/fields/0/label/en').getAttribute('aria-invalid')).to.equal('true');
  });

  it('keeps 1,000 texts responsive: slices of rows, an edit re-renders only its own field’s rows, focusPointer reaches the last', async () => {
    const config = structuredClone(wuxi) as JsonObject & { form: { pages: Array<{ fields: JsonObject[] }> } };
    for (let i = 0; i < 200; i++) {
      config.form.pages[0]!.fields.push({
        name: `q${i}`,
        type: 'radio',
        label: { 'zh-CN': `问题 ${i}`, en: `Question ${i}` },
        hint: { 'zh-CN': `提示 ${i}`, en: `Hint ${i}` },
        options: [
          { value: 'a', label: { 'zh-CN': '是', en: 'Yes' } },
          { value: 'b', label: { 'zh-CN': '否', en: i % 2 ? 'No' : '' } },
        ],
      });
    }
    const total = collectTexts(config).length;
    expect(total).to.be.at.least(800 + 60);
    const { el, doc } = await mount(config, 'en');
    expect(rows(el)).to.have.length(100);
    expect(counts(el)).to.match(/100 missing in English/);
    const input = at<HTMLInputElement>(el, '/form/pages/0/fields/0/label/en');
    // A keystroke changes the rows of its own field only (their places name the field by its
    // label), not the other 860: what the time of an edit grows with. The time itself is the
    // bench's to measure, never a test's.
    const ofField = (n: Node) => {
      const tr = (n instanceof Element ? n : n.parentElement)?.closest('tr');
      return !!tr?.querySelector('[data-pointer^="/form/pages/0/fields/0/"]');
    };
    const changed = new Set<Node>();
    const observer = new MutationObserver((records) => records.forEach((r) => changed.add(r.target)));
    observer.observe(root(el), { subtree: true, childList: true, characterData: true, attributes: true });
    await typeInto(el, input, '!', false);
    observer.disconnect();
    expect(doc.get('/form/pages/0/fields/0/label/en')).to.equal('Topic!');
    const outside = [...changed].filter((n) => !ofField(n) && !/missing|texts|matching/i.test(n.textContent ?? ''));
    expect(outside.map((n) => (n as Element).outerHTML?.slice(0, 80) ?? n.textContent), 'no row of another field re-rendered').to.deep.equal([]);
    const more = [...root(el).querySelectorAll('button')].find((b) => /Show 200 more/.test(b.textContent ?? ''))!;
    more.focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(rows(el)).to.have.length(300);
    const last = collectTexts(config).at(-1)!.pointer;
    expect(await el.focusPointer(`${last}/en`)).to.equal(true);
    expect(active(el)?.dataset.pointer).to.equal(`${last}/en`);
  });

  for (const lang of ['zh-CN', 'en']) {
    it(`is accessible in ${lang}, at desktop width and at 390 px`, async () => {
      const { el } = await mount(withGaps(), lang);
      await expectAccessible(el);
      await setViewport({ width: 390, height: 844 });
      await settle(el);
      await expectAccessible(el);
      expect(el.getBoundingClientRect().width).to.be.at.most(390);
    });
  }
});
