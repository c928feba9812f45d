/**
 * <consult-studio-form> in real Chromium: a page built by keys (a drop-down with options, a text
 * field shown when it has a value — from the pickers —, a required field), reordered by keyboard
 * and by real drag events, duplicated and deleted then undone; an unknown field type kept as it
 * is; focusPointer into a collapsed card; axe in both languages at phone width.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { parseWorkflowConfig } from '@consult-kit/machine';
import '../src/form/consult-studio-form.js';
import type { ConsultStudioForm } from '../src/form/form.component.js';
import type { StudioDocument } from '../src/document.js';
import type { Json, JsonObject } from '../src/pointer.js';
import { expectAccessible } from '../../elements/test/a11y.js';
import { mountPane, root, at, active, settle, typeInto } from './pane-fixture.js';

let wuxi: JsonObject;

before(async () => {
  wuxi = (await (await fetch('/examples/configs/wuxi-community.json')).json()) as JsonObject;
});

afterEach(() => {
  document.body.replaceChildren();
});

const copy = (): JsonObject => structuredClone(wuxi);

const mount = (value: Json, lang = 'zh-CN') => mountPane<ConsultStudioForm>('consult-studio-form', value, lang);

const byLabel = <T extends HTMLElement = HTMLElement>(el: ConsultStudioForm, name: string, nth = 0): T => {
  const found = [...root(el).querySelectorAll<HTMLElement>('button, input, select, textarea')].filter(
    (c) => c.getAttribute('aria-label') === name || (c.id && root(el).querySelector(`label[for="${c.id}"]`)?.textContent?.trim() === name) || (!c.getAttribute('aria-label') && c.textContent?.trim() === name),
  )[nth];
  if (!found) throw new Error(`no control named "${name}"`);
  return found as T;
};
/** Moves the keyboard focus to a control (as Tab would land there) and presses a key. */
async function press(el: ConsultStudioForm, control: HTMLElement, key: string): Promise<void> {
  control.focus();
  expect(active(el), `focus on ${control.outerHTML.slice(0, 80)}`).to.equal(control);
  await sendKeys({ press: key });
  await settle(el);
}
/** Opens a card (or page) by pressing Enter on its toggle, unless it is open already. */
async function open(el: ConsultStudioForm, pointer: string): Promise<void> {
  const toggle = at(el, pointer);
  if (toggle.getAttribute('aria-expanded') !== 'true') await press(el, toggle, 'Enter');
  expect(at(el, pointer).getAttribute('aria-expanded')).to.equal('true');
}
const fieldsOf = (doc: StudioDocument, page: number) => doc.get(`/form/pages/${page}/fields`) as JsonObject[];
const names = (doc: StudioDocument, page: number) => fieldsOf(doc, page).map((f) => f.name);

describe('<consult-studio-form>', () => {
  it('builds a page by keys alone: a drop-down with options, a text field shown when it equals a value, a required field; reorders, duplicates, deletes and undoes', async () => {
    const { el, doc, said } = await mount(copy());
    // A new page: its id takes the focus.
    await press(el, byLabel(el, '添加页面'), 'Enter');
    expect((doc.get('/form/pages') as Json[]).length).to.equal(3);
    expect(active(el)?.dataset.pointer).to.equal('/form/pages/2/id');
    expect(said.at(-1)).to.equal('已添加第 3 页「新页面」');
    await typeInto(el, active(el)!, 'extra');
    expect(doc.get('/form/pages/2/id')).to.equal('extra');
    expect(names(doc, 2)).to.deep.equal(['field1']);

    // A drop-down: choose its type in the picker with the arrow keys, then "Add a field".
    const pickers = [...root(el).querySelectorAll<HTMLSelectElement>('select[id^="add-type-"]')];
    const picker = pickers[pickers.length - 1]!;
    expect(pickers, 'one type picker per page').to.have.length(3);
    picker.focus();
    for (let i = 0; i < 3; i++) await sendKeys({ press: 'ArrowDown' });
    expect(picker.value).to.equal('select');
    const addButtons = [...root(el).querySelectorAll<HTMLButtonElement>('[data-action="add-field"]')];
    await press(el, addButtons[2]!, 'Enter');
    expect(names(doc, 2)).to.deep.equal(['field1', 'field2']);
    expect(active(el)?.dataset.pointer, 'the new card is open at its label').to.equal('/form/pages/2/fields/1/label/zh-CN');
    await typeInto(el, active(el)!, '联系方式');
    await typeInto(el, at(el, '/form/pages/2/fields/1/label/en'), 'Contact by');
    // Options: the first one renamed, a second added.
    await typeInto(el, at(el, '/form/pages/2/fields/1/options/0/value'), 'phone');
    await press(el, at(el, '/form/pages/2/fields/1/options'), 'Enter');
    expect(active(el)?.dataset.pointer).to.equal('/form/pages/2/fields/1/options/1/value');
    await typeInto(el, active(el)!, 'visit');
    await typeInto(el, at(el, '/form/pages/2/fields/1/options/1/label/zh-CN'), '上门');
    await typeInto(el, at(el, '/form/pages/2/fields/1/options/1/label/en'), 'A visit');

    // A text field, shown only when the drop-down says "visit" — built with the pickers.
    picker.focus();
    for (let i = 0; i < 3; i++) await sendKeys({ press: 'ArrowUp' });
    expect(picker.value).to.equal('text');
    await press(el, [...root(el).querySelectorAll<HTMLButtonElement>('[data-action="add-field"]')][2]!, 'Enter');
    await typeInto(el, active(el)!, '上门地址');
    await typeInto(el, at(el, '/form/pages/2/fields/2/label/en'), 'Address for the visit');
    await press(el, at(el, '/form/pages/2/fields/2/visibleWhen'), 'Enter');
    expect(active(el)?.dataset.pointer, 'the new condition row takes the focus').to.equal('/form/pages/2/fields/2/visibleWhen/field');
    expect((active(el) as HTMLSelectElement).value, 'the nearest drop-down is offered first').to.equal('field2');
    const value = at<HTMLSelectElement>(el, '/form/pages/2/fields/2/visibleWhen/equals');
    expect([...value.options].map((o) => o.textContent)).to.deep.equal(['选项 1', '上门']);
    value.focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    const condition = doc.get('/form/pages/2/fields/2/visibleWhen') as JsonObject;
    expect(condition).to.deep.equal({ field: 'field2', equals: 'visit' });
    expect(Object.keys(condition)).to.deep.equal(['field', 'equals']);

    // The first field is required: open its card with Enter and tick with Space.
    await open(el, '/form/pages/2/fields/0');
    await press(el, at(el, '/form/pages/2/fields/0/required'), 'Space');
    expect(doc.get('/form/pages/2/fields/0/required')).to.equal(true);

    // Reorder by keyboard: the required field moves down; the focus stays on its "Down" button.
    const down = byLabel(el, '字段「新字段」下移');
    await press(el, down, 'Enter');
    expect(names(doc, 2)).to.deep.equal(['field2', 'field1', 'field3']);
    expect(said.at(-1)).to.equal('「新字段」移到第 2 项，共 3 项');
    expect(active(el)?.getAttribute('aria-label')).to.equal('字段「新字段」下移');
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(names(doc, 2)).to.deep.equal(['field2', 'field3', 'field1']);
    expect(active(el)?.getAttribute('aria-disabled'), 'the last one cannot go further down, but keeps the focus').to.equal('true');
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(names(doc, 2), 'pressing it again changes nothing').to.deep.equal(['field2', 'field3', 'field1']);

    // Duplicate the drop-down, delete the copy, undo: the copy is back, with its options.
    await open(el, '/form/pages/2/fields/0');
    await press(el, byLabel(el, '复制字段「联系方式」'), 'Enter');
    expect(names(doc, 2)).to.deep.equal(['field2', 'field2Copy', 'field3', 'field1']);
    expect(said.at(-1)).to.equal('已复制字段「联系方式」，副本名为 field2Copy');
    const duplicate = structuredClone(fieldsOf(doc, 2)[1]);
    await press(el, byLabel(el, '删除字段「联系方式」', 1), 'Enter');
    expect(names(doc, 2)).to.deep.equal(['field2', 'field3', 'field1']);
    expect(said.at(-1)).to.equal('已删除字段「联系方式」，可撤销');
    expect(active(el)?.dataset.pointer, 'the focus goes to the next card').to.equal('/form/pages/2/fields/1');
    doc.undo();
    await settle(el);
    expect(fieldsOf(doc, 2)[1]).to.deep.equal(duplicate);
    expect(root(el).querySelectorAll('.card').length).to.equal(6 + 4 + 4);

    // The result passes the checker; the condition is exactly the pickers' choice.
    expect(doc.errors).to.deep.equal([]);
    const result = parseWorkflowConfig(doc.value);
    expect(result.ok).to.equal(true);
    expect(doc.get('/form/pages/2/fields/2/visibleWhen')).to.deep.equal({ field: 'field2', equals: 'visit' });
  });

  it('Tab walks a page in reading order: its header buttons, its id and texts, then each card\'s toggle and move buttons', async () => {
    const { el } = await mount(copy(), 'en');
    const start = at(el, '/form/pages/0');
    start.focus();
    const seen: string[] = [];
    for (let i = 0; i < 14; i++) {
      await sendKeys({ press: 'Tab' });
      const now = active(el)!;
      seen.push(now.dataset.pointer ?? now.getAttribute('aria-label') ?? now.textContent!.trim());
    }
    expect(seen).to.deep.equal([
      'Move page 1 up',
      'Move page 1 down',
      'Duplicate page 1',
      'Delete page 1',
      '/form/pages/0/id',
      '/form/pages/0/title/zh-CN',
      '/form/pages/0/title/en',
      '/form/pages/0/description/zh-CN',
      '/form/pages/0/description/en',
      '/form/pages/0/fields/0',
      'Move field "Topic" up',
      'Move field "Topic" down',
      '/form/pages/0/fields/1',
      'Move field "What is happening" up',
    ]);
  });

  it('reorders fields and pages with real drag events, and drops a field onto another page', async () => {
    const { el, doc, said } = await mount(copy());
    const drag = (source: Element, target: Element) => {
      const data = new DataTransfer();
      source.dispatchEvent(new DragEvent('dragstart', { bubbles: true, composed: true, dataTransfer: data }));
      target.dispatchEvent(new DragEvent('dragenter', { bubbles: true, composed: true, dataTransfer: data, cancelable: true }));
      const over = new DragEvent('dragover', { bubbles: true, composed: true, dataTransfer: data, cancelable: true });
      target.dispatchEvent(over);
      expect(over.defaultPrevented, 'the target accepts the drop').to.equal(true);
      target.dispatchEvent(new DragEvent('drop', { bubbles: true, composed: true, dataTransfer: data, cancelable: true }));
      source.dispatchEvent(new DragEvent('dragend', { bubbles: true, composed: true, dataTransfer: data }));
    };
    const cards = () => [...root(el).querySelectorAll<HTMLElement>('.page')[0]!.querySelectorAll<HTMLElement>('.card')];
    const handle = (card: Element) => card.querySelector('[data-drag="field"]')!;
    expect(names(doc, 0)).to.deep.equal(['title', 'description', 'category', 'location', 'photos', 'households']);
    drag(handle(cards()[0]!), cards()[2]!);
    await settle(el);
    expect(names(doc, 0)).to.deep.equal(['description', 'category', 'title', 'location', 'photos', 'households']);
    expect(said.at(-1)).to.equal('「议题名称」移到第 3 项，共 6 项');
    expect(root(el).querySelectorAll('.drop-target').length, 'no drop marker is left behind').to.equal(0);
    // The first card's DOM followed its field.
    expect(cards()[2]!.querySelector('.toggle .label')!.textContent).to.equal('议题名称');

    // A field dropped on another page's card lands there, one undo step.
    const secondPageCards = () => [...root(el).querySelectorAll<HTMLElement>('.page')[1]!.querySelectorAll<HTMLElement>('.card')];
    drag(handle(cards()[5]!), secondPageCards()[1]!);
    await settle(el);
    expect(names(doc, 0)).to.deep.equal(['description', 'category', 'title', 'location', 'photos']);
    expect(names(doc, 1)).to.deep.equal(['name', 'households', 'contactWanted', 'phone', 'consent']);
    expect(said.at(-1)).to.equal('「涉及户数」移到「您的信息」第 2 项');
    doc.undo();
    expect(names(doc, 0)).to.have.length(6);

    // Pages by their handle.
    const pages = () => [...root(el).querySelectorAll<HTMLElement>('.page')];
    drag(pages()[1]!.querySelector('[data-drag="page"]')!, pages()[0]!);
    await settle(el);
    expect((doc.get('/form/pages') as JsonObject[]).map((p) => p.id)).to.deep.equal(['about-you', 'problem']);
    expect(said.at(-1)).to.equal('「您的信息」移到第 1 页，共 2 页');
  });

  it('moves pages by keyboard with an announcement, and a field to another page with the page picker', async () => {
    const { el, doc, said } = await mount(copy());
    await press(el, byLabel(el, '第 1 页下移'), 'Enter');
    expect((doc.get('/form/pages') as JsonObject[]).map((p) => p.id)).to.deep.equal(['about-you', 'problem']);
    expect(said.at(-1)).to.equal('「您想商量的事」移到第 2 页，共 2 页');
    expect(active(el)?.getAttribute('aria-label'), 'focus follows the moved page').to.equal('第 2 页下移');

    await press(el, at(el, '/form/pages/0/fields/0'), 'Enter');
    const move = at<HTMLSelectElement>(el, '/form/pages/0/fields/0/move');
    move.focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    expect(names(doc, 0)).to.deep.equal(['contactWanted', 'phone', 'consent']);
    expect(names(doc, 1).at(-1)).to.equal('name');
    expect(said.at(-1)).to.equal('「姓名」移到「您想商量的事」第 7 项');
    expect(active(el)?.dataset.pointer, 'the moved card is open where it went').to.equal('/form/pages/1/fields/6/move');
  });

  it('shows a field of a type from a newer version read-only, keeps it exactly, and still reorders it', async () => {
    const value = copy();
    const pages = (value.form as JsonObject).pages as JsonObject[];
    const unknown = { name: 'mood', type: 'rating-scale', label: { 'zh-CN': '心情', en: 'Mood' }, steps: 7, faces: ['😞', '🙂'] };
    (pages[0]!.fields as Json[]).splice(1, 0, unknown);
    const { el, doc, said } = await mount(value);
    const toggle = at(el, '/form/pages/0/fields/1');
    expect(toggle.textContent).to.contain('心情').and.to.contain('rating-scale');
    await press(el, toggle, 'Enter');
    const card = toggle.closest('.card')!;
    expect(card.textContent).to.contain('此字段类型来自更新的版本，仅可查看；请在 JSON 中编辑');
    expect(card.querySelectorAll('input, textarea, select:not([data-pointer$="/move"])').length, 'nothing to edit it with').to.equal(0);
    expect(card.querySelector('pre')!.textContent).to.contain('"faces"');
    // An edit elsewhere, then a move: the field is the same object, untouched.
    await el.focusPointer('/form/pages/0/fields/0/label/en');
    await typeInto(el, active(el)!, 'Topic title');
    await press(el, byLabel(el, '字段「心情」下移'), 'Enter');
    expect(said.at(-1)).to.equal('「心情」移到第 3 项，共 7 项');
    expect(fieldsOf(doc, 0)[2]).to.deep.equal(unknown);
    expect(doc.text()).to.contain('"type": "rating-scale"');
  });

  it('keeps a condition the builder cannot show, as text with a note, and edits the shapes it can', async () => {
    const value = copy();
    const phone = ((value.form as JsonObject).pages as JsonObject[])[1]!.fields as JsonObject[];
    const deep: Json = { any: [{ all: [{ field: 'contactWanted', equals: 'yes' }, { not: { field: 'name', filled: false } }] }, { field: 'category', in: ['lift'] }] };
    phone[2]!.visibleWhen = deep;
    phone[0]!.visibleWhen = { not: { any: [{ field: 'category', in: ['lift', 'waste'] }, { field: 'households', filled: true }] } };
    const { el, doc } = await mount(value);
    await el.focusPointer('/form/pages/1/fields/2/visibleWhen');
    const pre = active(el)!;
    expect(pre.localName).to.equal('pre');
    expect(JSON.parse(pre.textContent!)).to.deep.equal(deep);
    expect(pre.closest('fieldset')!.textContent).to.contain('这个条件的结构无法在这里显示');

    // { not: { any: [...] } }: "not" ticked, "any" chosen, two rows, the first "is one of" two options.
    await el.focusPointer('/form/pages/1/fields/0/visibleWhen/not/any/0/in');
    const not = at<HTMLInputElement>(el, '/form/pages/1/fields/0/visibleWhen');
    expect(not.checked).to.equal(true);
    expect(at<HTMLSelectElement>(el, '/form/pages/1/fields/0/visibleWhen/not').value).to.equal('any');
    const ticked = [...active(el)!.closest('fieldset')!.querySelectorAll<HTMLInputElement>('input[type=checkbox]')].filter((c) => c.checked).map((c) => c.labels![0]!.textContent);
    expect(ticked).to.deep.equal(['加装电梯', '垃圾分类']);
    // Untick "not" with Space: the same rows without the negation.
    await press(el, not, 'Space');
    expect(doc.get('/form/pages/1/fields/0/visibleWhen')).to.deep.equal({ any: [{ field: 'category', in: ['lift', 'waste'] }, { field: 'households', filled: true }] });
    // The second row's test becomes "is empty".
    const op = at<HTMLSelectElement>(el, '/form/pages/1/fields/0/visibleWhen/any/1');
    op.focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    expect(doc.get('/form/pages/1/fields/0/visibleWhen/any/1')).to.deep.equal({ field: 'households', filled: false });
    expect(doc.get('/form/pages/1/fields/2/visibleWhen'), 'the other condition is untouched').to.deep.equal(deep);
  });

  it('renaming a field by typing takes the conditions that read it along, as one undo step', async () => {
    const { el, doc } = await mount(copy());
    await el.focusPointer('/form/pages/1/fields/1/name');
    await typeInto(el, active(el)!, 'callMe');
    expect(doc.get('/form/pages/1/fields/1/name')).to.equal('callMe');
    expect(doc.get('/form/pages/1/fields/2/visibleWhen')).to.deep.equal({ field: 'callMe', equals: 'yes' });
    expect(doc.errors).to.deep.equal([]);
    expect(active(el)?.dataset.pointer, 'the focus stays in the name while typing').to.equal('/form/pages/1/fields/1/name');
    doc.undo();
    expect(doc.get('/form/pages/1/fields/1/name')).to.equal('contactWanted');
    expect(doc.get('/form/pages/1/fields/2/visibleWhen')).to.deep.equal({ field: 'contactWanted', equals: 'yes' });
  });

  it('focusPointer opens the collapsed card (and page) of an error and focuses its input, marked invalid and described by the message', async () => {
    const value = copy();
    const pages = (value.form as JsonObject).pages as JsonObject[];
    ((pages[1]!.fields as JsonObject[])[2]!.label as JsonObject).en = '';
    const { el, doc } = await mount(value);
    await press(el, at(el, '/form/pages/1'), 'Enter'); // collapse page 2
    expect(at(el, '/form/pages/1').getAttribute('aria-expanded')).to.equal('false');
    const error = doc.errors.find((e) => e.pointer === '/form/pages/1/fields/2/label/en')!;
    expect(error, 'the checker finds the empty label').not.to.equal(undefined);
    expect(at(el, '/form/pages/0/fields/2').textContent, 'the collapsed card counts nothing wrong').not.to.contain('问题');
    expect(await el.focusPointer(error.pointer)).to.equal(true);
    const input = active(el) as HTMLInputElement;
    expect(input.dataset.pointer).to.equal('/form/pages/1/fields/2/label/en');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    const described = input.getAttribute('aria-describedby')!.split(' ').map((id) => root(el).getElementById(id)?.textContent);
    expect(described).to.include(error.message);
    expect(at(el, '/form/pages/1/fields/2').textContent).to.contain('1 个问题');
    // Typing fixes it; the mark goes.
    await sendKeys({ type: 'Mobile' });
    await settle(el);
    expect(doc.errors).to.deep.equal([]);
    expect(input.getAttribute('aria-invalid')).to.equal('false');
    // An error on the privacy notice's URL: the hint says what is wrong; typing removes the notice only when all is empty.
    await typeInto(el, at(el, '/privacy/url'), 'javascript:alert(1)');
    expect(doc.errors.map((e) => e.pointer)).to.include('/privacy/url');
    expect(at(el, '/privacy/url').getAttribute('aria-invalid')).to.equal('true');
    expect(root(el).querySelector('[part=privacy]')!.textContent).to.contain('请使用 https:// 或 http:// 开头的地址');
  });

  it('edits the type-specific properties of each type, adds the consent field when there is none, and the anonymous option', async () => {
    const value = copy();
    const pages = (value.form as JsonObject).pages as JsonObject[];
    pages[1]!.fields = (pages[1]!.fields as JsonObject[]).filter((f) => f.type !== 'consent');
    const { el, doc, said } = await mount(value, 'en');
    // File: accept, size and count.
    await el.focusPointer('/form/pages/0/fields/4/accept');
    expect((active(el) as HTMLInputElement).value).to.equal('image/jpeg, image/png, image/webp');
    await typeInto(el, active(el)!, 'image/*, application/pdf');
    (active(el) as HTMLInputElement).dispatchEvent(new Event('change'));
    await settle(el);
    expect(doc.get('/form/pages/0/fields/4/accept')).to.deep.equal(['image/*', 'application/pdf']);
    await typeInto(el, at(el, '/form/pages/0/fields/4/maxFiles'), '5');
    expect(doc.get('/form/pages/0/fields/4/maxFiles')).to.equal(5);
    // Number: min/max; changing the type drops what no longer applies.
    await el.focusPointer('/form/pages/0/fields/5/max');
    await typeInto(el, active(el)!, '500');
    expect(doc.get('/form/pages/0/fields/5/max')).to.equal(500);
    const type = at<HTMLSelectElement>(el, '/form/pages/0/fields/5/type');
    type.focus();
    await sendKeys({ press: 'ArrowUp' }); // number → textarea
    await settle(el);
    const field = doc.get('/form/pages/0/fields/5') as JsonObject;
    expect(field.type).to.equal('textarea');
    expect(field).not.to.have.property('min');
    expect(at(el, '/form/pages/0/fields/5/maxLength').localName).to.equal('input');
    // A tel field is always personal: the box is ticked and cannot be cleared.
    await el.focusPointer('/form/pages/1/fields/2/label/en');
    expect(at<HTMLInputElement>(el, '/form/pages/1/fields/2/personal').checked).to.equal(true);
    expect(at<HTMLInputElement>(el, '/form/pages/1/fields/2/personal').disabled).to.equal(true);
    // Consent.
    const addConsent = byLabel(el, 'Add the consent field');
    await press(el, addConsent, 'Enter');
    expect(fieldsOf(doc, 1).at(-1)).to.deep.include({ name: 'consent', type: 'consent', required: true });
    expect(said).to.include('Consent field added');
    expect(root(el).textContent).not.to.contain('Add the consent field');
    // Anonymous.
    const anonymous = at<HTMLInputElement>(el, '/steps/0/anonymous');
    expect(anonymous.checked).to.equal(false);
    await press(el, anonymous, 'Space');
    expect(doc.get('/steps/0/anonymous')).to.equal(true);
    expect(doc.errors).to.deep.equal([]);
  });

  it('at 200 fields, an edit re-renders only the card it changed (the other cards are not touched)', async () => {
    const value = copy();
    const pages = (value.form as JsonObject).pages as JsonObject[];
    let count = pages.reduce((n, p) => n + (p.fields as Json[]).length, 0);
    for (let i = 0; count < 200; i++, count++) {
      if (i % 20 === 0) pages.splice(pages.length - 1, 0, { id: `extra-${i / 20 + 1}`, title: { 'zh-CN': `补充 ${i / 20 + 1}`, en: `More ${i / 20 + 1}` }, fields: [] });
      (pages[pages.length - 2]!.fields as Json[]).push({ name: `q${i + 1}`, type: i % 2 ? 'text' : 'select', label: { 'zh-CN': `问题 ${i + 1}`, en: `Question ${i + 1}` }, ...(i % 2 ? {} : { options: [{ value: 'a', label: { 'zh-CN': '甲', en: 'A' } }] }) });
    }
    const { el, doc } = await mount(value);
    expect(root(el).querySelectorAll('.card').length).to.equal(200);
    await el.focusPointer('/form/pages/3/fields/5/label/en');
    const input = active(el) as HTMLInputElement;
    const card = input.closest('.card')!;
    const changed = new Set<Node>();
    const observer = new MutationObserver((records) => records.forEach((r) => changed.add(r.target)));
    observer.observe(root(el), { subtree: true, childList: true, characterData: true, attributes: true });
    await sendKeys({ type: 'x' });
    await settle(el);
    observer.disconnect();
    expect(doc.get('/form/pages/3/fields/5/label/en')).to.equal('Question 46x');
    const outside = [...changed].filter((n) => !card.contains(n));
    expect(outside.map((n) => (n as Element).outerHTML?.slice(0, 80) ?? n.textContent), 'nothing outside the edited card changed').to.deep.equal([]);
    // How long it takes is the bench's to measure (bench/studio.mjs), never a test's: the test
    // holds the cause of a slow edit, a render that touches every card.
  });

  it('renders a form of any shape a paste can bring without throwing, and keeps what it cannot edit', async () => {
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => errors.push(e.error);
    window.addEventListener('error', onError);
    try {
      const odd: JsonObject = {
        ...copy(),
        form: { pages: [42, { id: 7, title: 'x', fields: 'nope' }, { id: 'ok', title: { 'zh-CN': '好' }, fields: [null, { name: 3, type: ['text'], label: 5, options: 'a', visibleWhen: [] }] }] },
        privacy: 'none',
        steps: 'none',
      };
      const { el, doc } = await mount(odd);
      await el.focusPointer('/form/pages/2/fields/1/label');
      await el.focusPointer('/form/pages/2/fields/0');
      expect(root(el).querySelectorAll('.page')).to.have.length(3);
      expect(at(el, '/form/pages/0').textContent!.trim(), 'a page without a title is named by its place').to.equal('第 1 页');
      expect(root(el).textContent).to.contain('这一部分的结构无法在这里显示');
      expect(root(el).textContent).to.contain('这一项不是字段对象');
      expect(root(el).textContent).to.contain('配置中没有议题征集步骤');
      expect(doc.errors.length).to.be.greaterThan(3);
      // A field added to a page whose fields are not a list does not overwrite them.
      expect(root(el).querySelectorAll('.page')[1]!.querySelector('[data-action="add-field"]')).to.equal(null);
      expect(doc.get('/form/pages/1/fields')).to.equal('nope');
    } finally {
      window.removeEventListener('error', onError);
    }
    expect(errors).to.deep.equal([]);
  });

  for (const lang of ['zh-CN', 'en']) {
    it(`passes axe in ${lang} at 390 px, with cards open (options, a condition, an unknown type) and errors shown`, async () => {
      await setViewport({ width: 390, height: 844 });
      try {
        const value = copy();
        const pages = (value.form as JsonObject).pages as JsonObject[];
        (pages[0]!.fields as Json[]).push({ name: 'mood', type: 'rating-scale', label: { 'zh-CN': '心情', en: 'Mood' } });
        ((pages[1]!.fields as JsonObject[])[0]!.label as JsonObject).en = '';
        const { el } = await mount(value, lang);
        for (const pointer of ['/form/pages/0/fields/2', '/form/pages/0/fields/4', '/form/pages/0/fields/6', '/form/pages/1/fields/0', '/form/pages/1/fields/2']) {
          await el.focusPointer(`${pointer}/name`);
        }
        await el.focusPointer('/form/pages/1/fields/2/visibleWhen/field');
        expect(root(el).querySelectorAll('.details').length).to.equal(5);
        expect(document.documentElement.scrollWidth, 'nothing wider than the phone').to.be.at.most(390);
        await expectAccessible(el, `consult-studio-form (${lang})`);
      } finally {
        await setViewport({ width: 1280, height: 800 });
      }
    });
  }
});
