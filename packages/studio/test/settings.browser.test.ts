/**
 * <consult-studio-settings> in real Chromium, by keyboard: the id's pattern, the title typed in
 * both languages, residents' access by arrow keys in its radio group, the transport switched to
 * http with a disallowed address and back (the address comes back), the notifications' reminder
 * times, focusPointer for the checker's errors, axe in both languages and at 390 px.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../src/settings/consult-studio-settings.js';
import type { ConsultStudioSettings } from '../src/settings/settings.component.js';
import type { Json, JsonObject } from '../src/pointer.js';
import { expectAccessible } from '../../elements/test/a11y.js';
import { mountPane, root, at, active, settle, typeInto } from './pane-fixture.js';

let wuxi: JsonObject;
let guangshui: JsonObject;

before(async () => {
  wuxi = (await (await fetch('/examples/configs/wuxi-community.json')).json()) as JsonObject;
  guangshui = (await (await fetch('/examples/configs/guangshui-frontline.json')).json()) as JsonObject;
});

afterEach(async () => {
  document.body.replaceChildren();
  await setViewport({ width: 1024, height: 800 });
});

const mount = (value: Json, lang = 'zh-CN') => mountPane<ConsultStudioSettings>('consult-studio-settings', value, lang);

const described = (el: HTMLElement, control: HTMLElement) =>
  (control.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => root(el).getElementById(id)?.textContent ?? '')
    .join(' ');

describe('consult-studio-settings', () => {
  it('checks the id against its pattern as it is typed, and the checker agrees', async () => {
    const { el, doc } = await mount(structuredClone(wuxi), 'en');
    const id = at<HTMLInputElement>(el, '/id');
    expect(id.value).to.equal('wuxi-youshi-haoshangliang');
    expect(described(el, id)).to.match(/Lower-case letters, digits and hyphens/);
    await typeInto(el, id, 'Wuxi Room');
    expect(doc.get('/id')).to.equal('Wuxi Room');
    expect(described(el, id)).to.match(/only lower-case letters, digits and hyphens/);
    expect(doc.errors.map((e) => e.pointer)).to.deep.equal(['/id']);
    expect(id.getAttribute('aria-invalid')).to.equal('true');
    await typeInto(el, id, 'wuxi-room');
    expect(doc.errors).to.deep.equal([]);
    expect(id.getAttribute('aria-invalid')).to.equal('false');
  });

  it('types the title in both languages, one undo step each', async () => {
    const { el, doc } = await mount(structuredClone(wuxi));
    await typeInto(el, at(el, '/title/zh-CN'), '梁溪区有事好商量');
    await typeInto(el, at(el, '/title/en'), 'Liangxi: talk it over');
    expect(doc.get('/title')).to.deep.equal({ 'zh-CN': '梁溪区有事好商量', en: 'Liangxi: talk it over' });
    doc.undo();
    expect(doc.get('/title/zh-CN')).to.equal('梁溪区有事好商量');
    expect(doc.get('/title/en')).to.equal((wuxi.title as JsonObject).en);
  });

  it('chooses residents’ access with the arrow keys; the default is marked until then', async () => {
    const { el, doc } = await mount(structuredClone(wuxi), 'en');
    const open = at<HTMLInputElement>(el, '/residentAccess', 0);
    expect(open.checked).to.equal(true);
    expect(open.closest('fieldset')!.querySelector('legend')!.textContent).to.match(/default/);
    expect(described(el, open)).to.match(/without a token/);
    open.focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    expect(doc.get('/residentAccess')).to.equal('token');
    expect(at<HTMLInputElement>(el, '/residentAccess', 1).checked).to.equal(true);
    expect(doc.errors).to.deep.equal([]);
  });

  it('switches the transport to http, flags an address with a disallowed scheme, and keeps the address across a switch back', async () => {
    const { el, doc } = await mount(structuredClone(wuxi), 'en');
    expect(root(el).querySelector('[data-pointer="/transport/endpoint"]')).to.equal(null);
    at<HTMLInputElement>(el, '/transport/type', 0).focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    expect(doc.get('/transport')).to.deep.equal({ type: 'http', endpoint: '/api' });
    expect(doc.errors).to.deep.equal([]);
    const endpoint = at<HTMLInputElement>(el, '/transport/endpoint');
    await typeInto(el, endpoint, 'ftp://city.example/api');
    expect(described(el, endpoint)).to.match(/scheme is not allowed: use https:, http: or a path/);
    expect(doc.errors.map((e) => e.pointer)).to.deep.equal(['/transport/endpoint']);
    await typeInto(el, endpoint, 'https://consult.city.example/api');
    expect(doc.errors).to.deep.equal([]);
    at<HTMLInputElement>(el, '/transport/type', 1).focus();
    await sendKeys({ press: 'ArrowUp' });
    await settle(el);
    expect(doc.get('/transport')).to.deep.equal({ type: 'local' });
    at<HTMLInputElement>(el, '/transport/type', 0).focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    expect(doc.get('/transport')).to.deep.equal({ type: 'http', endpoint: 'https://consult.city.example/api' });
  });

  it('sets the offline grace and the reminders, with their units in words; the notice rules are read-only', async () => {
    const { el, doc } = await mount(structuredClone(guangshui));
    const grace = at<HTMLInputElement>(el, '/offlineGraceHours');
    expect(described(el, grace)).to.match(/^小时/);
    await typeInto(el, grace, '48');
    expect(doc.get('/offlineGraceHours')).to.equal(48);
    const due = at<HTMLInputElement>(el, '/notifications/dueSoonDays');
    expect(described(el, due)).to.match(/^天/);
    await typeInto(el, due, '5');
    expect(doc.get('/notifications/dueSoonDays')).to.equal(5);
    expect(doc.errors).to.deep.equal([]);
    expect(at(el, '/notifications/notices').localName).to.equal('pre');
    expect(root(el).textContent).to.match(/收件人和通知文字在 JSON 中编辑/);
  });

  it('focuses the control of a checker error (focusPointer)', async () => {
    const config = structuredClone(wuxi);
    config.version = '1.0';
    config.transport = { type: 'http', endpoint: 'javascript:alert(1)' };
    const { el, doc } = await mount(config, 'en');
    expect(doc.errors.map((e) => e.pointer).sort()).to.deep.equal(['/transport/endpoint', '/version']);
    expect(await el.focusPointer('/transport/endpoint')).to.equal(true);
    expect(active(el)).to.equal(at(el, '/transport/endpoint'));
    expect(await el.focusPointer('/version')).to.equal(true);
    expect(active(el)).to.equal(at(el, '/version'));
    expect(described(el, active(el)!)).to.match(/three numbers, major\.minor\.patch/);
    expect(await el.focusPointer('/title/en')).to.equal(true);
    expect(active(el)).to.equal(at(el, '/title/en'));
  });

  for (const lang of ['zh-CN', 'en']) {
    it(`is accessible in ${lang}, at desktop width and at 390 px`, async () => {
      const config = structuredClone(guangshui);
      config.version = '1.0';
      const { el } = await mount(config, lang);
      await expectAccessible(el);
      await setViewport({ width: 390, height: 844 });
      await settle(el);
      await expectAccessible(el);
      expect(el.scrollWidth).to.be.at.most(390);
    });
  }
});
