/**
 * <consult-studio-lifecycle> in real Chromium, by keyboard: research switched off and on again
 * (its settings come back), a meeting format added, maxRounds and the evaluation threshold
 * typed, a redirect channel's link with a disallowed scheme, the scale keeping one label per star,
 * focusPointer for the checker's errors, axe in both languages and at 390 px.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../src/lifecycle/consult-studio-lifecycle.js';
import type { ConsultStudioLifecycle } from '../src/lifecycle/lifecycle.component.js';
import type { StudioDocument } from '../src/document.js';
import type { Json, JsonObject } from '../src/pointer.js';
import { expectAccessible } from '../../elements/test/a11y.js';
import { mountPane, root, at, active, settle, typeInto } from './pane-fixture.js';

let wuxi: JsonObject;
let sichuan: JsonObject;

before(async () => {
  wuxi = (await (await fetch('/examples/configs/wuxi-community.json')).json()) as JsonObject;
  sichuan = (await (await fetch('/examples/configs/sichuan-courtyard.json')).json()) as JsonObject;
});

afterEach(async () => {
  document.body.replaceChildren();
  await setViewport({ width: 1024, height: 800 });
});

const mount = (value: Json, lang = 'zh-CN') => mountPane<ConsultStudioLifecycle>('consult-studio-lifecycle', value, lang);

const button = (el: HTMLElement, text: RegExp): HTMLButtonElement => {
  const found = [...root(el).querySelectorAll('button')].find((b) => text.test(b.textContent ?? ''));
  if (!found) throw new Error(`no button ${text}`);
  return found;
};
async function press(el: ConsultStudioLifecycle, control: HTMLElement, key: string): Promise<void> {
  control.focus();
  expect(active(el), `focus on ${control.outerHTML.slice(0, 80)}`).to.equal(control);
  await sendKeys({ press: key });
  await settle(el);
}
const types = (doc: StudioDocument) => (doc.get('/steps') as JsonObject[]).map((s) => s.type);

describe('consult-studio-lifecycle', () => {
  it('switches research off and on by keyboard, and the step comes back with its settings, in its place', async () => {
    const { el, doc, said } = await mount(structuredClone(wuxi));
    const research = at<HTMLInputElement>(el, '/steps/2');
    expect(research.type).to.equal('checkbox');
    expect(research.checked).to.equal(true);
    await press(el, research, 'Space');
    expect(types(doc)).to.deep.equal(['intake', 'screening', 'meeting', 'handling', 'feedback', 'evaluation']);
    expect(said.at(-1)).to.match(/已关闭「调查研究」/);
    expect(doc.errors).to.deep.equal([]);
    // Off: its settings are gone from the pane.
    expect(root(el).querySelector('[data-pointer="/steps/2/minFindingsLength"]')).to.equal(null);
    const off = at<HTMLInputElement>(el, '/steps#research');
    expect(off.checked).to.equal(false);
    await press(el, off, 'Space');
    expect(types(doc)).to.deep.equal(['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']);
    expect(doc.get('/steps/2')).to.deep.equal((wuxi.steps as Json[])[2], 'the Wuxi research step, minFindingsLength 30 and its label');
    expect(at<HTMLInputElement>(el, '/steps/2/minFindingsLength').value).to.equal('30');
    expect(said.at(-1)).to.match(/已启用「调查研究」/);
    expect(doc.errors).to.deep.equal([]);
  });

  it('switches on a step the config never had with the machine’s defaults, at its place in the fixed order', async () => {
    const { el, doc } = await mount(structuredClone(sichuan), 'en');
    expect(types(doc)).to.not.include('research');
    expect(root(el).textContent).to.match(/order of the steps is fixed/);
    await press(el, at(el, '/steps#research'), 'Space');
    expect(types(doc)).to.deep.equal(['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']);
    expect(doc.get('/steps/2')).to.deep.equal({ type: 'research', label: { 'zh-CN': '调查研究', en: 'Research' }, minFindingsLength: 20 });
    expect(doc.errors).to.deep.equal([]);
  });

  it('says why the required steps cannot be switched off, and has no switch for them', async () => {
    const { el } = await mount(structuredClone(wuxi), 'en');
    const meeting = at(el, '/steps/3');
    expect(meeting.localName).to.equal('p');
    expect(meeting.textContent).to.match(/Required: every programme has topic intake, a consultation meeting and outcome handling/);
    expect(root(el).querySelector('input[type=checkbox][data-pointer="/steps/0"]')).to.equal(null);
  });

  it('adds a meeting format by keyboard, announces it, moves it up, and the checker accepts the config', async () => {
    const { el, doc, said } = await mount(structuredClone(wuxi));
    await press(el, button(el, /添加协商形式/), 'Enter');
    const formats = doc.get('/steps/3/formats') as JsonObject[];
    expect(formats).to.have.length(5);
    expect(formats[4]).to.deep.equal({ id: 'format-5', label: { 'zh-CN': '新形式', en: 'New format' } });
    expect(said.at(-1)).to.match(/已添加一种协商形式/);
    // Focus is on the new format's id: type its id and its labels.
    expect(active(el)).to.equal(at(el, '/steps/3/formats/4/id'));
    await typeInto(el, active(el)!, 'tree');
    await typeInto(el, at(el, '/steps/3/formats/4/label/zh-CN'), '大树下协商');
    await typeInto(el, at(el, '/steps/3/formats/4/label/en'), 'Under the big tree');
    expect(doc.get('/steps/3/formats/4')).to.deep.equal({ id: 'tree', label: { 'zh-CN': '大树下协商', en: 'Under the big tree' } });
    const up = root(el).querySelector<HTMLButtonElement>('[data-list="/steps/3/formats"][data-index="4"][data-action="up"]')!;
    await press(el, up, 'Enter');
    expect((doc.get('/steps/3/formats') as JsonObject[]).map((f) => f.id)).to.deep.equal(['room', 'courtyard', 'stairwell', 'tree', 'online']);
    expect(said.at(-1)).to.equal('已把「大树下协商」移到第 4 位，共 5 项');
    expect(active(el)?.dataset.index, 'focus follows the moved format').to.equal('3');
    expect(doc.errors).to.deep.equal([]);
  });

  it('writes out the default formats on the first edit when the config has none', async () => {
    const config = structuredClone(wuxi);
    delete ((config.steps as JsonObject[])[3] as JsonObject).formats;
    const { el, doc } = await mount(config, 'en');
    expect(at(el, '/steps/3/formats').textContent).to.match(/these defaults apply/);
    expect(root(el).querySelectorAll('[data-list="/steps/3/formats"][data-action="delete"]')).to.have.length(5);
    await press(el, root(el).querySelector<HTMLButtonElement>('[data-list="/steps/3/formats"][data-index="4"][data-action="delete"]')!, 'Enter');
    expect((doc.get('/steps/3/formats') as JsonObject[]).map((f) => f.id)).to.deep.equal(['room', 'courtyard', 'stairwell', 'roaming']);
    expect(doc.errors).to.deep.equal([]);
  });

  it('types maxRounds and the evaluation threshold, with their units in words; an error shows beside the control', async () => {
    const { el, doc } = await mount(structuredClone(wuxi));
    const rounds = at<HTMLInputElement>(el, '/steps/3/maxRounds');
    expect(root(el).getElementById(rounds.getAttribute('aria-describedby')!.split(' ')[0]!)?.textContent).to.equal('轮');
    await typeInto(el, rounds, '4');
    expect(doc.get('/steps/3/maxRounds')).to.equal(4);
    const threshold = at<HTMLInputElement>(el, '/steps/6/reopenThreshold');
    await typeInto(el, threshold, '3.5');
    expect(doc.get('/steps/6/reopenThreshold')).to.equal(3.5);
    expect(doc.errors).to.deep.equal([]);
    // Above the scale: the checker's error beside the input, linked to it.
    await typeInto(el, threshold, '6');
    expect(doc.errors.map((e) => e.pointer)).to.deep.equal(['/steps/6/reopenThreshold']);
    expect(threshold.getAttribute('aria-invalid')).to.equal('true');
    const ids = threshold.getAttribute('aria-describedby')!.split(' ');
    expect(ids.map((id) => root(el).getElementById(id)?.textContent ?? '').join(' ')).to.match(/above the evaluation scale of 5 stars/);
    // A run of typing into one control is one undo step: back to the example's 3.
    doc.undo();
    expect(doc.get('/steps/6/reopenThreshold')).to.equal(3);
    expect(doc.get('/steps/3/maxRounds')).to.equal(4);
  });

  it('keeps one star label per star when the scale changes', async () => {
    const { el, doc } = await mount(structuredClone(wuxi), 'en');
    await typeInto(el, at(el, '/steps/6/scale'), '7');
    const labels = doc.get('/steps/6/starLabels') as JsonObject[];
    expect(labels).to.have.length(7);
    expect(labels[4]).to.deep.equal({ 'zh-CN': '非常满意', en: 'Very satisfied' });
    expect(labels[6]).to.deep.equal({ 'zh-CN': '7 星', en: '7 stars' });
    expect(doc.errors).to.deep.equal([]);
  });

  it('flags a redirect channel link with a scheme that is not allowed, before and with the checker', async () => {
    const { el, doc } = await mount(structuredClone(wuxi), 'en');
    const url = at<HTMLInputElement>(el, '/steps/1/channels/1/url');
    await typeInto(el, url, 'javascript:alert(1)');
    expect(doc.get('/steps/1/channels/1/url')).to.equal('javascript:alert(1)');
    const text = url.getAttribute('aria-describedby')!.split(' ').map((id) => root(el).getElementById(id)?.textContent ?? '').join(' ');
    expect(text).to.match(/scheme is not allowed: use https:, http:, tel: or a path/);
    expect(doc.errors.map((e) => e.pointer)).to.include('/steps/1/channels/1/url');
    expect(url.getAttribute('aria-invalid')).to.equal('true');
  });

  it('edits escalation among the levels above the programme’s, and the programme’s level', async () => {
    const { el, doc, said } = await mount(structuredClone(wuxi), 'en');
    const city = at<HTMLInputElement>(el, '/steps/1/escalation/levels#city');
    await press(el, city, 'Space');
    expect(doc.get('/steps/1/escalation/levels')).to.deep.equal(['street', 'district', 'city']);
    expect(said.at(-1)).to.equal('May be escalated to City');
    // Raising the programme to the district: "street" and "district" no longer rank above, and say so.
    const level = at<HTMLSelectElement>(el, '/level');
    level.focus();
    level.value = 'district';
    level.dispatchEvent(new Event('change'));
    await settle(el);
    expect(doc.get('/level')).to.equal('district');
    expect(doc.errors.map((e) => e.pointer)).to.deep.equal(['/steps/1/escalation/levels/0', '/steps/1/escalation/levels/1']);
    expect(at(el, '/steps/1/escalation/levels/0').getAttribute('aria-invalid')).to.equal('true');
  });

  it('focuses the control of a checker error (focusPointer)', async () => {
    const config = structuredClone(wuxi);
    ((config.steps as JsonObject[])[3] as JsonObject).maxRounds = 99;
    const { el, doc } = await mount(config);
    expect(doc.errors.map((e) => e.pointer)).to.deep.equal(['/steps/3/maxRounds']);
    expect(await el.focusPointer('/steps/3/maxRounds')).to.equal(true);
    expect(active(el)).to.equal(at(el, '/steps/3/maxRounds'));
    expect(await el.focusPointer('/steps/6/starLabels/2/en')).to.equal(true);
    expect(active(el)).to.equal(at(el, '/steps/6/starLabels/2/en'));
    expect(await el.focusPointer('/steps')).to.equal(true);
    expect(active(el)?.id).to.equal('order-note');
  });

  it('shows a required step missing from the JSON and adds it back', async () => {
    const config = structuredClone(wuxi);
    (config.steps as Json[]).splice(4, 1);
    const { el, doc } = await mount(config, 'en');
    expect(doc.errors.map((e) => e.code)).to.deep.equal(['missing-step']);
    expect(at(el, '/steps').getAttribute('aria-describedby')).to.match(/^e/);
    await press(el, button(el, /Add the required step "Outcome handling"/), 'Enter');
    expect(types(doc)).to.deep.equal(['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']);
    expect(doc.errors).to.deep.equal([]);
  });

  for (const lang of ['zh-CN', 'en']) {
    it(`is accessible in ${lang}, at desktop width and at 390 px`, async () => {
      const config = structuredClone(wuxi);
      ((config.steps as JsonObject[])[3] as JsonObject).maxRounds = 99;
      const { el } = await mount(config, lang);
      await expectAccessible(el);
      await setViewport({ width: 390, height: 844 });
      await settle(el);
      await expectAccessible(el);
      expect(el.scrollWidth, 'nothing wider than the phone').to.be.at.most(390);
    });
  }
});
