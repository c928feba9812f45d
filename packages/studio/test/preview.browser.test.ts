/**
 * The live preview in Chromium: the real intake form and the resident's progress steps from the
 * config being edited, the language, large-text and width controls (by keyboard), updates on
 * every change with the same elements, the last good config while there are problems, and a
 * submission that is never sent. axe in zh-CN and en.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { StudioDocument } from '../src/document.js';
import type { Json, JsonObject } from '../src/pointer.js';
import { EditorSelection } from '@codemirror/state';
import '../src/json/consult-studio-json.js';
import '../src/preview/consult-studio-preview.js';
import type { ConsultStudioPreview } from '../src/preview/preview.component.js';
import { expectAccessible } from '../../elements/test/a11y.js';

const raw = async (): Promise<JsonObject> => (await (await fetch('/examples/configs/wuxi-community.json')).json()) as JsonObject;

const mounted: HTMLElement[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 16));
  }
}

async function mount(doc: StudioDocument, lang = 'zh-CN'): Promise<ConsultStudioPreview> {
  const el = document.createElement('consult-studio-preview');
  el.lang = lang;
  el.doc = doc;
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  await until(() => Boolean(firstLabel(el)), 'the form to render its first field');
  return el;
}

const root = (el: ConsultStudioPreview) => el.shadowRoot!;
const form = (el: ConsultStudioPreview) => root(el).querySelector('consult-topic-form')!;
const stepper = (el: ConsultStudioPreview) => root(el).querySelector('consult-studio-preview-stepper')!;
const firstLabel = (el: ConsultStudioPreview) => form(el)?.shadowRoot?.querySelector('[part~=label]')?.textContent?.replace(/\s+/g, ' ').trim();
const stepNames = (el: ConsultStudioPreview) => [...(stepper(el).shadowRoot?.querySelectorAll('.step-name') ?? [])].map((n) => n.textContent!.trim());
const radio = (el: ConsultStudioPreview, name: string, index: number) => root(el).querySelectorAll<HTMLInputElement>(`input[name=${name}]`)[index]!;

describe('<consult-studio-preview>', () => {
  it("renders the real form from the edited config, its first field's label, and the resident's steps for it", async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    expect(firstLabel(el)).to.match(/^议题名称/);
    expect(form(el).getAttribute('lang')).to.equal('zh-CN');
    // Received, the six configured steps after intake (each by the city's own label), closed.
    const labels = (doc.value as { steps: Array<{ type: string; label: { 'zh-CN': string } }> }).steps.filter((s) => s.type !== 'intake').map((s) => s.label['zh-CN']);
    expect(stepNames(el)).to.deep.equal(['已收到', ...labels, '已办结']);
    expect(stepper(el).shadowRoot!.querySelector('[aria-current=step] .step-name')!.textContent).to.equal('已收到');
  });

  it('a config with research off has no research step', async () => {
    const config = await raw();
    config.steps = (config.steps as JsonObject[]).filter((s) => s.type !== 'research');
    const el = await mount(new StudioDocument(config));
    expect(stepNames(el)).to.have.length(7);
    expect(stepNames(el).join(' ')).not.to.contain('调查研究');
  });

  it('updates after doc.set of a label, with the same form element (not re-created per change)', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    const before = form(el);
    doc.set('/form/pages/0/fields/0/label/zh-CN', '您想商量什么事', { merge: 'typing' });
    await until(() => firstLabel(el)?.startsWith('您想商量什么事') ?? false, 'the new label');
    expect(form(el)).to.equal(before);
  });

  it('typing in the JSON pane updates the preview (the two panes share one document)', async () => {
    const doc = new StudioDocument(await raw());
    const json = document.createElement('consult-studio-json');
    json.doc = doc;
    document.body.append(json);
    mounted.push(json);
    const el = await mount(doc);
    await json.updateComplete;
    const label = json.rangeOf('/form/pages/0/fields/0/label/zh-CN')!;
    json.editor!.dispatch({ selection: EditorSelection.cursor(label.to - 1) });
    json.editor!.focus();
    await sendKeys({ type: '（必填）' });
    await until(() => firstLabel(el)?.startsWith('议题名称（必填）') ?? false, 'the label typed in the JSON pane');
    // Text that is not JSON leaves the preview as it was.
    await sendKeys({ type: '"' });
    expect(json.syntaxProblem).to.not.equal(undefined);
    await el.updateComplete;
    expect(firstLabel(el)).to.match(/^议题名称（必填）/);
    expect(root(el).querySelector('[part=note]')).to.equal(null);
  });

  it('switches the previewed language by keyboard (the form and the steps), leaving the pane in its own', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    radio(el, 'preview-language', 0).focus();
    await sendKeys({ press: 'ArrowRight' }); // native radios: the arrow key checks English
    await el.updateComplete;
    expect(radio(el, 'preview-language', 1).checked).to.equal(true);
    expect(form(el).getAttribute('lang')).to.equal('en');
    await until(() => firstLabel(el)?.startsWith('Topic') ?? false, 'the English label');
    await stepper(el).updateComplete;
    expect(stepNames(el)[0]).to.equal('Received');
    expect(stepNames(el).at(-1)).to.equal('Closed');
    expect(root(el).querySelector('h2')!.textContent).to.equal('预览');
    expect(root(el).querySelector('.frame h3')!.textContent).to.equal('Intake form');
  });

  it('large text makes the previewed text larger', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    const size = () => parseFloat(getComputedStyle(form(el)).fontSize);
    const normal = size();
    const box = root(el).querySelector<HTMLInputElement>('input[type=checkbox]')!;
    box.focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(form(el).hasAttribute('large-text')).to.equal(true);
    expect(stepper(el).hasAttribute('large-text')).to.equal(true);
    expect(size()).to.be.greaterThan(normal * 1.1);
  });

  it('shows phone width (390 px) and desktop width (1024 px), scrolling sideways in a narrow pane', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc);
    el.style.width = '600px';
    const frame = () => root(el).querySelector<HTMLElement>('[part=frame]')!;
    const viewport = root(el).querySelector<HTMLElement>('[part=viewport]')!;
    expect(frame().getBoundingClientRect().width).to.equal(390);
    expect(viewport.scrollWidth).to.be.at.most(viewport.clientWidth);
    radio(el, 'preview-width', 0).focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(frame().getBoundingClientRect().width).to.equal(1024);
    expect(viewport.scrollWidth).to.be.greaterThan(viewport.clientWidth);
    expect(viewport.getBoundingClientRect().width).to.be.at.most(600);
  });

  it('while the config has problems, shows the last config without any and says so', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc, 'en');
    doc.set('/form/pages/0/fields/0/label/en', 'Subject');
    await until(() => firstLabel(el)?.startsWith('Subject') ?? false, 'the edited label');
    doc.set('/form/pages/0/fields/0/type', 'no-such-type');
    await el.updateComplete;
    expect(doc.errors.length).to.be.greaterThan(0);
    expect(root(el).querySelector('[part=note]')!.textContent).to.match(/^Showing the last config without problems/);
    expect(firstLabel(el)).to.match(/^Subject/);
    doc.undo();
    await el.updateComplete;
    expect(root(el).querySelector('[part=note]')).to.equal(null);
  });

  it('never sends: a submission is refused with "Preview: not sent", shown in the form and the pane', async () => {
    const config = await raw();
    // One page with one optional field, so the form can be submitted at once.
    const first = ((config.form as JsonObject).pages as JsonObject[])[0]!;
    config.form = { pages: [{ ...first, fields: [{ name: 'title', type: 'text', role: 'title', label: { 'zh-CN': '议题名称', en: 'Topic' } }] as Json }] };
    // With no category field left, the rooms handle any category.
    for (const room of ((config.rooms as JsonObject | undefined)?.list ?? []) as JsonObject[]) delete room.categories;
    const doc = new StudioDocument(config);
    expect(doc.errors).to.deep.equal([]);
    const el = await mount(doc, 'en');
    radio(el, 'preview-language', 1).click();
    await until(() => firstLabel(el)?.startsWith('Topic') ?? false, 'the English form');
    const input = form(el).shadowRoot!.querySelector<HTMLInputElement>('input[type=text], input:not([type])')!;
    input.focus();
    await sendKeys({ type: '3号楼加装电梯' });
    const submit = form(el).shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit], [part~=button-primary]')!;
    submit.click();
    await until(() => (form(el).shadowRoot!.querySelector('[part~=error-summary]')?.textContent ?? '').includes('Preview: not sent'), 'the refusal in the form');
    await el.updateComplete;
    expect(root(el).querySelector('[part=note]')!.textContent).to.contain('Preview: not sent');
  });

  it('has no axe violations in zh-CN and en', async () => {
    for (const lang of ['zh-CN', 'en']) {
      const el = await mount(new StudioDocument(await raw()), lang);
      await expectAccessible(el, `preview (${lang})`);
      el.remove();
    }
  });
});
