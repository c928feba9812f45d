/**
 * "Tell me about progress / 有进展时通知我" on <consult-my-topics>, in real Chromium with a real
 * store (real IndexedDB) whose transport is a fake city server in the page (a browser test cannot
 * start the Node server): it gives each submission a follow code and answers the notification
 * routes as the contract says (masked addresses, the same address again is the same opt-in, a
 * bad address refused with `pointer: "/address"`, offline). The real server's routes are driven
 * in packages/elements/test/notices-real-server.test.ts.
 *
 * The keyboard path: choose phone with the arrow keys, type, submit with Enter; the error summary
 * takes focus and links to the field; what was typed is kept through errors and offline; "Notices
 * go to 138****5678" takes focus; Stop notices. axe on each state, large text, 390 px.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { LogEntry, WorkflowConfig } from '@consult-kit/machine';
import {
  openStore,
  type ConsultStore,
  type FollowResult,
  type NoticeOptIn,
  type NoticeResult,
  type NoticeSubscription,
  type NoticesClient,
  type OutboxEntry,
  type PullResult,
  type SendResult,
  type Transport,
} from '@consult-kit/store';
import './consult-my-topics.js';
import type { ConsultMyTopics } from './my-topics.component.js';
import { addressProblem, cleanAddress } from './notices.js';
import { MESSAGES } from '../i18n/messages.js';
import { expectAccessible } from '../../test/a11y.js';
import { waitFor } from '../../test/drive.js';
import { wuxi } from '../../test/programme.js';

const zh = MESSAGES['zh-CN'];
const en = MESSAGES.en;

const mask = (o: NoticeOptIn) => (o.channel === 'email' ? o.address.replace(/^(.)[^@]*/, '$1***') : `${o.address.slice(-11, -8)}****${o.address.slice(-4)}`);

/** The fake city server: follow codes for submissions, per-topic pulls, and the notification routes. */
class FakeServer implements Transport {
  readonly kind = 'http' as const;
  log: LogEntry[] = [];
  codes = new Map<string, string>();
  subs = new Map<string, Array<NoticeSubscription & { full: string }>>();
  online = true;
  requests: Array<{ code: string; body?: NoticeOptIn }> = [];

  async send(entry: OutboxEntry): Promise<SendResult> {
    if (!this.online) return { kind: 'retry', error: 'offline', hold: 'unreachable' };
    const followCode = ['K7QM3XPA9DRT', 'H4NW8ZCE2BUF', 'P9TR6YGM3KVS'][this.codes.size]!;
    this.codes.set(followCode, entry.entry.topicId);
    const logged = { ...entry.entry, seq: this.log.length + 1 } as LogEntry;
    this.log.push(logged);
    return { kind: 'ok', entry: logged, followCode };
  }

  async pull(): Promise<PullResult> {
    return { entries: [], cursor: '', more: false, denied: true };
  }

  async pullTopic(topicId: string, cursor: string | undefined): Promise<PullResult> {
    const entries = this.log.filter((e) => e.topicId === topicId && e.seq > Number(cursor ?? 0));
    return { entries, cursor: String(this.log.at(-1)?.seq ?? 0), more: false };
  }

  async follow(code: string): Promise<FollowResult> {
    const topicId = this.codes.get(code);
    return topicId ? { ok: true, topicId } : { ok: false, reason: 'not-found' };
  }

  readonly notices: NoticesClient = {
    subscriptions: async (code): Promise<NoticeResult<NoticeSubscription[]>> => {
      this.requests.push({ code });
      if (!this.online) return { ok: false, reason: 'offline' };
      if (!this.codes.has(code)) return { ok: false, reason: 'not-found', status: 404 };
      return { ok: true, value: (this.subs.get(code) ?? []).map(({ full: _full, ...s }) => s) };
    },
    optIn: async (code, body): Promise<NoticeResult<NoticeSubscription>> => {
      this.requests.push({ code, body });
      if (!this.online) return { ok: false, reason: 'offline' };
      if (body.channel === 'sms' && !/^(\+[1-9]\d{6,14}|1[3-9]\d{9})$/.test(body.address)) return { ok: false, reason: 'invalid', status: 400, pointer: '/address' };
      const list = this.subs.get(code) ?? [];
      const same = list.find((s) => s.channel === body.channel && s.full === body.address);
      if (same) {
        const { full: _full, ...s } = same;
        return { ok: true, value: s };
      }
      const made = { id: `sub-${list.length + 1}`, channel: body.channel, address: mask(body), locale: body.locale, createdAt: '2026-03-02T00:00:00.000Z', full: body.address };
      this.subs.set(code, [...list, made]);
      const { full: _full, ...s } = made;
      return { ok: true, value: s };
    },
    cancel: async (code, id) => {
      if (!this.online) return { ok: false, reason: 'offline' };
      this.subs.set(code, (this.subs.get(code) ?? []).filter((s) => s.id !== id));
      return { ok: true, value: { id, cancelled: true as const } };
    },
    overdue: async () => ({ ok: false, reason: 'forbidden' }),
  };
}

let config: WorkflowConfig;
let n = 0;
const stores: ConsultStore[] = [];

before(async () => {
  config = await wuxi();
});

beforeEach(async () => {
  await setViewport({ width: 1024, height: 900 });
});

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  document.body.replaceChildren();
});

/** A resident raises a topic on this device; the fake server gives it a follow code. */
async function setup(lang = 'zh-CN', server = new FakeServer()) {
  n += 1;
  const store = await openStore({ config, transport: server, dbName: `notices-${n}-${Date.now()}`, pullScope: 'followed', pullIntervalMs: 0, backoff: { baseMs: 10, maxMs: 20 } });
  stores.push(store);
  const topicId = `t-notices-${n}`;
  const result = await store.append(topicId, {
    type: 'topic.submit',
    source: 'resident',
    values: { title: '3号楼加装电梯', description: '3号楼加装电梯：居民反映多年，希望社区组织大家坐下来商量解决办法。', category: 'other', name: '张阿姨', contactWanted: 'no', consent: true },
    by: { role: 'resident' },
    at: '2026-03-01T01:00:00.000Z',
  });
  if (!result.ok) throw new Error(result.refusal.message);
  await waitFor(() => Boolean(store.followedTopics.find((f) => f.topicId === topicId)?.followCode), 'the follow code');
  await store.sync();
  const el = document.createElement('consult-my-topics') as ConsultMyTopics;
  el.setAttribute('lang', lang);
  el.now = '2026-03-02T00:00:00.000Z';
  el.store = store;
  document.body.append(el);
  const root = el.shadowRoot!;
  await waitFor(() => Boolean(root.querySelector('.notices-form, .notices-active')), 'the opt-in');
  const section = () => root.querySelector<HTMLElement>(`#notices-${topicId}`)!;
  const text = () => section().textContent!.replace(/\s+/g, ' ').trim();
  return { server, store, el, root, topicId, section, text, code: store.followedTopics[0]!.followCode!.replace(/-/g, '') };
}

const active = (root: ShadowRoot) => root.activeElement as HTMLElement | null;

describe('"tell me about progress" on my topics, against a fake server', () => {
  it('checks an address before asking: e-mail and mainland or international mobile numbers', () => {
    expect(addressProblem('email', '')).to.equal('mine.notices.error.emptyEmail');
    expect(addressProblem('email', 'li@example')).to.equal('mine.notices.error.email');
    expect(addressProblem('email', ' li.hua@example.org ')).to.equal(undefined);
    expect(addressProblem('sms', '138 0013 8000')).to.equal(undefined);
    expect(addressProblem('sms', '+86 138-0013-8000')).to.equal(undefined);
    expect(addressProblem('sms', '12345')).to.equal('mine.notices.error.sms');
    expect(cleanAddress('sms', '（138）0013 8000')).to.equal('13800138000');
  });

  it('the keyboard path: phone chosen with the arrows, a wrong number refused inline with focus on the summary, fixed, then "text messages go to 138****8000" and Stop notices', async () => {
    const { root, text, section, server, code, el } = await setup('zh-CN');
    const form = section().querySelector('form')!;
    // A fieldset with a legend holds the two native radios; the purpose and the privacy link are there.
    expect(section().querySelector('fieldset > legend')!.textContent).to.equal(zh['mine.notices.legend']);
    expect([...section().querySelectorAll('input[type="radio"]')].map((r) => (r as HTMLInputElement).value)).to.deep.equal(['email', 'sms']);
    expect(text()).to.contain(zh['mine.notices.purpose']);
    expect(section().querySelector<HTMLAnchorElement>('.notices-purpose a')!.getAttribute('href')).to.equal('/privacy');
    const email = section().querySelector<HTMLInputElement>('input[type="radio"][value="email"]')!;
    expect(email.checked).to.equal(true);
    email.focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    const input = () => section().querySelector<HTMLInputElement>('input[name="address"]')!;
    expect(input().type).to.equal('tel');
    expect(input().autocomplete).to.equal('tel');
    expect(section().querySelector(`label[for="${input().id}"]`)!.textContent).to.equal(zh['mine.notices.smsLabel']);
    await sendKeys({ press: 'Tab' });
    expect(active(root)).to.equal(input());
    await sendKeys({ type: '12345' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => Boolean(section().querySelector('.error-summary')), 'the error summary');
    const summary = section().querySelector<HTMLElement>('.error-summary')!;
    expect(active(root)).to.equal(summary, 'focus moves to the error');
    expect(summary.textContent).to.contain(zh['mine.notices.error.sms']);
    const errorId = section().querySelector('.error-message')!.id;
    expect(input().getAttribute('aria-describedby')!.split(' ')).to.include(errorId);
    expect(input().getAttribute('aria-invalid')).to.equal('true');
    expect(input().value).to.equal('12345', 'what was typed is kept');
    expect(server.requests.filter((r) => r.body)).to.have.length(0, 'nothing was asked of the server');
    await expectAccessible(el, 'the error');
    // The summary's link takes the person to the field.
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    expect(active(root)).to.equal(input());
    input().select();
    await sendKeys({ type: '138 0013 8000' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => Boolean(section().querySelector('.notices-active')), 'the opt-in made');
    expect(server.requests.at(-1)).to.deep.equal({ code, body: { channel: 'sms', address: '13800138000', locale: 'zh-CN' } });
    expect(text()).to.contain('短信将发送到 138****8000');
    expect(text()).to.contain(zh['mine.notices.started']);
    expect(active(root)!.textContent).to.contain('138****8000', 'focus on where notices go');
    expect(section().querySelector('form')).to.equal(null);
    expect(root.textContent).to.not.contain('13800138000', 'the full number is not shown');
    await expectAccessible(el, 'opted in');
    // Stop notices, by the keyboard.
    await sendKeys({ press: 'Tab' });
    expect(active(root)!.textContent!.trim()).to.equal(zh['mine.notices.stop']);
    await sendKeys({ press: 'Enter' });
    await waitFor(() => Boolean(section().querySelector('form')), 'the form again');
    expect(text()).to.contain(zh['mine.notices.stopped']);
    expect(server.subs.get(code)).to.deep.equal([]);
    void form;
  });

  it('in English: e-mail, offline keeps what was typed and says so; back online it is made; opting in again shows the same one', async () => {
    const { section, text, server, el, root, store, topicId } = await setup('en');
    const input = () => section().querySelector<HTMLInputElement>('input[name="address"]')!;
    expect(input().type).to.equal('email');
    expect(input().autocomplete).to.equal('email');
    input().focus();
    await sendKeys({ type: 'li.hua@example.org' });
    server.online = false;
    await sendKeys({ press: 'Enter' });
    await waitFor(() => Boolean(section().querySelector('.error-summary')), 'the offline message');
    expect(text()).to.contain(en['mine.notices.error.offline']);
    expect(input().value).to.equal('li.hua@example.org');
    expect(active(root)).to.equal(section().querySelector('.error-summary'));
    server.online = true;
    section().querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => Boolean(section().querySelector('.notices-active')), 'the opt-in made');
    expect(text()).to.contain('Notices go to l***@example.org');
    // The store asks again with the same address: the same opt-in comes back.
    const again = await store.optInNotices(topicId, { channel: 'email', address: 'li.hua@example.org', locale: 'en' });
    expect(again.ok && again.value.id).to.equal('sub-1');
    expect(server.subs.get([...server.codes.keys()][0]!)).to.have.length(1);
    await expectAccessible(el, 'opted in, en');
  });

  it('a reload shows the opt-in from the server (nothing about it is kept on the device)', async () => {
    const { server, store, el } = await setup('en');
    const code = [...server.codes.keys()][0]!;
    await server.notices.optIn(code, { channel: 'email', address: 'wang@example.org', locale: 'en' });
    el.remove();
    const again = document.createElement('consult-my-topics') as ConsultMyTopics;
    again.setAttribute('lang', 'en');
    again.store = store;
    document.body.append(again);
    await waitFor(() => Boolean(again.shadowRoot!.querySelector('.notices-active')), 'the opt-in listed');
    expect(again.shadowRoot!.textContent).to.contain('Notices go to w***@example.org');
  });

  it('fits a phone at 390 px in large text, axe clean', async () => {
    await setViewport({ width: 390, height: 800 });
    const { el, section } = await setup('zh-CN');
    el.largeText = true;
    await el.updateComplete;
    const form = section().querySelector('form')!;
    expect(form.scrollWidth).to.be.at.most(form.clientWidth + 1);
    expect(el.getBoundingClientRect().width).to.be.at.most(390);
    const button = section().querySelector<HTMLButtonElement>('button[type="submit"]')!;
    expect(button.getBoundingClientRect().height).to.be.at.least(44);
    await expectAccessible(el, 'large text, 390 px');
  });

  it('without a server (the local transport) nothing is offered', async () => {
    const store = await openStore({ config, dbName: `notices-local-${Date.now()}`, pullIntervalMs: 0 });
    stores.push(store);
    await store.append('t-local', {
      type: 'topic.submit',
      source: 'resident',
      values: { title: '路灯', description: '路灯：晚上出门很不方便，希望社区尽快协调解决。', category: 'other', name: '张阿姨', contactWanted: 'no', consent: true },
      by: { role: 'resident' },
      at: '2026-03-01T01:00:00.000Z',
    });
    const el = document.createElement('consult-my-topics') as ConsultMyTopics;
    el.store = store;
    document.body.append(el);
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    expect(el.shadowRoot!.querySelector('.notices-optin')).to.equal(null);
  });
});
