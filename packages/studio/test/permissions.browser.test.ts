/**
 * <consult-studio-permissions> in real Chromium: a permission toggled by Space writes the row
 * (the checker still accepts it), rows the config leaves out show the defaults marked as such,
 * restore default, arrow keys between cells, the personal-data row, focusPointer to the box of an
 * error's list index, axe in both languages and sticky headers and sideways scroll at 390 px.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { DEFAULT_PERMISSIONS } from '@consult-kit/machine';
import '../src/permissions/consult-studio-permissions.js';
import type { ConsultStudioPermissions } from '../src/permissions/permissions.component.js';
import type { Json, JsonObject } from '../src/pointer.js';
import { expectAccessible } from '../../elements/test/a11y.js';
import { mountPane, root, active, settle } from './pane-fixture.js';

let wuxi: JsonObject;

before(async () => {
  wuxi = (await (await fetch('/examples/configs/wuxi-community.json')).json()) as JsonObject;
});

afterEach(async () => {
  document.body.replaceChildren();
  await setViewport({ width: 1024, height: 800 });
});

const mount = (value: Json, lang = 'zh-CN') => mountPane<ConsultStudioPermissions>('consult-studio-permissions', value, lang);

const box = (el: HTMLElement, row: string, role: string) => {
  const found = root(el).querySelector<HTMLInputElement>(`input[data-row="${row}"][data-role="${role}"]`);
  if (!found) throw new Error(`no box ${row} × ${role}`);
  return found;
};
async function press(el: ConsultStudioPermissions, control: HTMLElement, key: string): Promise<void> {
  control.focus();
  expect(active(el)).to.equal(control);
  await sendKeys({ press: key });
  await settle(el);
}
const rowHead = (el: HTMLElement, row: string) => box(el, row, 'admin').closest('tr')!.querySelector('th')!;
const marked = (el: HTMLElement, row: string) => rowHead(el, row).querySelector('.badge')?.textContent ?? '';

describe('consult-studio-permissions', () => {
  it('is a table with a caption, column and row headers, and a named tick box per cell', async () => {
    const { el } = await mount(structuredClone(wuxi));
    const table = root(el).querySelector('table')!;
    expect(table.querySelector('caption')?.textContent).to.match(/谁可以发送哪个操作/);
    expect(table.querySelectorAll('thead th[scope=col]')).to.have.length(12);
    expect(table.querySelectorAll('tbody th[scope=row]')).to.have.length(20);
    expect(table.querySelectorAll('tbody input[type=checkbox]')).to.have.length(20 * 11);
    expect(box(el, 'screening.accept', 'convener').getAttribute('aria-label')).to.equal('召集人可以发送「受理」');
    expect(box(el, 'personalDataRoles', 'grid').getAttribute('aria-label')).to.equal('网格员可以看到个人信息');
  });

  it('shows the defaults for rows the config leaves out, marked "default", and the config’s own rows unmarked', async () => {
    const { el } = await mount(structuredClone(wuxi), 'en');
    expect(box(el, 'screening.accept', 'convener').checked).to.equal(true);
    expect(box(el, 'screening.accept', 'resident').checked).to.equal(false);
    expect(marked(el, 'screening.accept')).to.equal('default');
    // Wuxi writes research.complete itself (grid added): its ticks, no "default", a restore button.
    expect(box(el, 'research.complete', 'grid').checked).to.equal(true);
    expect(marked(el, 'research.complete')).to.equal('');
    expect(rowHead(el, 'research.complete').querySelector('button')?.getAttribute('aria-label')).to.equal('Restore default: "Complete research"');
    expect(marked(el, 'personalDataRoles')).to.equal('default');
  });

  it('toggles a permission by Space: the first edit writes the row out, the checker still accepts it', async () => {
    const { el, doc, said } = await mount(structuredClone(wuxi), 'en');
    const cell = box(el, 'meeting.record', 'member');
    expect(cell.checked).to.equal(false);
    await press(el, cell, 'Space');
    expect((doc.value as JsonObject).permissions).to.deep.equal({
      'research.complete': ['convener', 'member', 'grid', 'admin'],
      'rating.submit': ['resident', 'representative', 'member'],
      'meeting.record': [...DEFAULT_PERMISSIONS['meeting.record'], 'member'],
    });
    expect(doc.errors).to.deep.equal([]);
    expect(doc.config?.permissions['meeting.record']).to.include('member');
    expect(said.at(-1)).to.equal('Council member may now send "Record outcome"');
    expect(box(el, 'meeting.record', 'member').checked).to.equal(true);
    expect(marked(el, 'meeting.record')).to.equal('');
    // Space again clears it.
    await press(el, box(el, 'meeting.record', 'member'), 'Space');
    expect(doc.get('/permissions/meeting.record')).to.deep.equal([...DEFAULT_PERMISSIONS['meeting.record']]);
  });

  it('restores a row to its defaults', async () => {
    const { el, doc, said } = await mount(structuredClone(wuxi), 'en');
    await press(el, rowHead(el, 'research.complete').querySelector('button')!, 'Enter');
    expect(doc.get('/permissions')).to.deep.equal({ 'rating.submit': ['resident', 'representative', 'member'] });
    expect(box(el, 'research.complete', 'grid').checked).to.equal(false);
    expect(said.at(-1)).to.equal('"Complete research" has its default roles again');
    expect(active(el)?.dataset.row, 'focus stays in the row').to.equal('research.complete');
  });

  it('edits who may see personal data', async () => {
    const { el, doc } = await mount(structuredClone(wuxi), 'en');
    await press(el, box(el, 'personalDataRoles', 'department'), 'Space');
    expect(doc.get('/personalDataRoles')).to.deep.equal(['convener', 'grid', 'admin', 'department']);
    expect(doc.errors).to.deep.equal([]);
  });

  it('is one Tab stop that remembers its cell; the arrow keys, Home and End move inside', async () => {
    const { el } = await mount(structuredClone(wuxi));
    const boxes = [...root(el).querySelectorAll<HTMLInputElement>('tbody input[type=checkbox]')];
    expect(boxes.filter((b) => b.tabIndex === 0)).to.have.length(1, 'one box of 220 in the Tab order');
    box(el, 'topic.submit', 'resident').focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(active(el)).to.equal(box(el, 'topic.submit', 'representative'));
    await sendKeys({ press: 'ArrowDown' });
    expect(active(el)).to.equal(box(el, 'screening.accept', 'representative'));
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'ArrowUp' });
    expect(active(el)).to.equal(box(el, 'topic.submit', 'resident'));
    await sendKeys({ press: 'End' });
    expect(active(el)).to.equal(box(el, 'topic.submit', 'admin'));
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'ArrowDown' });
    expect(active(el)).to.equal(box(el, 'screening.accept', 'resident'));
    // Tab leaves the boxes at once (to a row's "restore" button, the next control, or out of the pane) …
    await sendKeys({ press: 'Tab' });
    const after = active(el);
    expect(after === null || after.localName !== 'input', `Tab went to ${after?.outerHTML.slice(0, 80)}`).to.equal(true);
    // … and Shift+Tab comes back to the box last used.
    await sendKeys({ press: 'Shift+Tab' });
    expect(active(el)).to.equal(box(el, 'screening.accept', 'resident'));
    expect(boxes.filter((b) => b.tabIndex === 0)).to.have.length(1);
  });

  it('focuses the box an error points at, and shows the error beside the table', async () => {
    const config = structuredClone(wuxi);
    (config.permissions as JsonObject)['meeting.record'] = ['convener', 'admin', 'mayor'];
    const { el, doc } = await mount(config, 'en');
    expect(doc.errors.map((e) => e.pointer)).to.deep.equal(['/permissions/meeting.record/2']);
    expect(box(el, 'meeting.record', 'convener').getAttribute('aria-invalid')).to.equal('true');
    expect(await el.focusPointer('/permissions/meeting.record/1')).to.equal(true);
    expect(active(el)).to.equal(box(el, 'meeting.record', 'admin'));
    // The unknown role has no box: the row's first box takes focus, the error is described.
    expect(await el.focusPointer('/permissions/meeting.record/2')).to.equal(true);
    expect(active(el)?.dataset.row).to.equal('meeting.record');
    const ids = active(el)!.getAttribute('aria-describedby')!.split(' ');
    expect(ids.map((id) => root(el).getElementById(id)?.textContent ?? '').join(' ')).to.match(/Problem:/);
  });

  for (const lang of ['zh-CN', 'en']) {
    it(`is accessible in ${lang}; at 390 px the table scrolls sideways under sticky headers`, async () => {
      const { el } = await mount(structuredClone(wuxi), lang);
      await expectAccessible(el);
      await setViewport({ width: 390, height: 844 });
      await settle(el);
      await expectAccessible(el);
      const scroller = root(el).querySelector<HTMLElement>('.scroller')!;
      expect(el.getBoundingClientRect().width).to.be.at.most(390);
      expect(scroller.scrollWidth).to.be.greaterThan(scroller.clientWidth);
      const head = rowHead(el, 'topic.submit');
      const left = head.getBoundingClientRect().left;
      scroller.scrollLeft = 300;
      scroller.scrollTop = 200;
      await new Promise((r) => requestAnimationFrame(r));
      expect(head.getBoundingClientRect().left, 'the row headers stay put').to.be.closeTo(left, 1);
      const colHead = root(el).querySelector('thead th')!;
      expect(colHead.getBoundingClientRect().top, 'the column headers stay at the top').to.be.closeTo(scroller.getBoundingClientRect().top + 1, 2);
    });
  }
});
