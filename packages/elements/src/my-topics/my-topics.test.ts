/**
 * <consult-my-topics> in real Chromium with a real store (real IndexedDB). The city's server is a
 * stand-in transport in the page (a browser test cannot start the Node server): it numbers
 * entries, answers a follow code for each submission, checks the code sent with a rating or a
 * withdrawal and stamps `by.id` as the reference server does; staff act on its log directly. The
 * full loop against the real server is the embed's end-to-end test.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { LogEntry, TopicEvent, WorkflowConfig } from '@consult-kit/machine';
import { localTransport, openStore, type ConsultStore, type FollowResult, type OutboxEntry, type PullResult, type SendResult, type Transport } from '@consult-kit/store';
import './consult-my-topics.js';
import type { ConsultMyTopics } from './my-topics.component.js';
import { MESSAGES } from '../i18n/messages.js';
import { expectAccessible } from '../../test/a11y.js';
import { wuxi } from '../../test/programme.js';

const zh = MESSAGES['zh-CN'];
const en = MESSAGES.en;
const CODES = ['K7QM3XPA9DRT', 'H4NW8ZCE2BUF', 'P9TR6YGM3KVS'];

async function actorOf(code: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code));
  return `follow:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, 16)}`;
}

type Body = TopicEvent extends infer E ? (E extends TopicEvent ? Omit<E, 'by' | 'at'> : never) : never;

/** The stand-in city server (see the file comment). */
class StandInServer implements Transport {
  readonly kind = 'http' as const;
  log: LogEntry[] = [];
  codes = new Map<string, string>();
  revoked = new Set<string>();
  online = true;
  denyPull = false;
  rateLimited = false;
  private clock = Date.parse('2026-03-01T01:00:00.000Z');

  async send(entry: OutboxEntry): Promise<SendResult> {
    if (!this.online) return { kind: 'retry', error: 'offline' };
    const e = entry.entry;
    let by = e.by;
    let followCode: string | undefined;
    if (e.event.type === 'rating.submit' || e.event.type === 'topic.withdraw') {
      const code = entry.followCode?.replace(/-/g, '');
      if (!code || this.codes.get(code) !== e.topicId) {
        return { kind: 'conflict', conflict: { status: 404, title: 'Follow code not found', reason: 'follow-code-not-found', at: e.at } };
      }
      by = { role: 'resident', id: await actorOf(code) };
    }
    if (e.event.type === 'topic.submit') {
      followCode = CODES[this.codes.size]!;
      this.codes.set(followCode, e.topicId);
    }
    const logged = { ...e, by, seq: this.log.length + 1 } as LogEntry;
    this.log.push(logged);
    return { kind: 'ok', entry: logged, ...(followCode ? { followCode } : {}) };
  }

  async pull(): Promise<PullResult> {
    return { entries: [], cursor: '', more: false, denied: true };
  }

  async pullTopic(topicId: string, cursor: string | undefined): Promise<PullResult> {
    if (!this.online) throw new Error('offline');
    if (this.denyPull) return { entries: [], cursor: cursor ?? '', more: false, denied: true };
    const after = Number(cursor ?? 0);
    const entries = this.log.filter((e) => e.topicId === topicId && e.seq > after);
    if (!this.log.some((e) => e.topicId === topicId)) return { entries: [], cursor: cursor ?? '', more: false, unknown: true };
    return { entries, cursor: String(this.log.at(-1)!.seq), more: false };
  }

  async follow(code: string): Promise<FollowResult> {
    if (!this.online) return { ok: false, reason: 'offline' };
    if (this.rateLimited) return { ok: false, reason: 'rate-limited', retryAfterMs: 125_000 };
    if (this.revoked.has(code)) return { ok: false, reason: 'revoked' };
    const topicId = this.codes.get(code);
    return topicId ? { ok: true, topicId } : { ok: false, reason: 'not-found' };
  }

  /** A staff member acts on the server (an hour after the last event). */
  staff(topicId: string, body: Body, role: 'convener' | 'department' = 'convener'): void {
    this.clock += 3600_000;
    this.log.push({ id: `s-${this.log.length + 1}`, topicId, event: body, by: { role, id: `${role}-1` }, at: new Date(this.clock).toISOString(), seq: this.log.length + 1 } as LogEntry);
  }
}

let config: WorkflowConfig;
let count = 0;
const stores: ConsultStore[] = [];

before(async () => {
  config = await wuxi();
});

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  document.body.replaceChildren();
});

async function until(check: () => boolean, what: string, ms = 4000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function setup(server = new StandInServer(), lang?: string) {
  count += 1;
  const store = await openStore({ config, transport: server, dbName: `my-topics-${count}-${Date.now()}`, pullScope: 'followed', pullIntervalMs: 0 });
  stores.push(store);
  const el = document.createElement('consult-my-topics') as ConsultMyTopics;
  if (lang) el.setAttribute('lang', lang);
  el.now = '2026-03-02T00:00:00.000Z';
  el.store = store;
  document.body.append(el);
  await el.updateComplete;
  const root = el.shadowRoot!;
  const text = () => root.textContent!.replace(/\s+/g, ' ');
  const refresh = async () => {
    await store.sync();
    await el.updateComplete;
  };
  return { server, store, el, root, text, refresh };
}

async function submit(store: ConsultStore, title = '3号楼加装电梯'): Promise<string> {
  const topicId = `t-${Math.random().toString(36).slice(2)}`;
  const result = await store.append(topicId, {
    type: 'topic.submit',
    source: 'resident',
    values: { title, description: `${title}：居民反映多年，希望社区组织大家坐下来商量解决办法。`, category: 'other', name: '张阿姨', contactWanted: 'no', consent: true },
    by: { role: 'resident' },
    at: '2026-03-01T01:00:00.000Z',
  });
  if (!result.ok) throw new Error(result.refusal.message);
  return topicId;
}

/** A step's name as the resident reads it: the config's label, or the catalogue's. */
function stepName(key: string, locale: 'zh-CN' | 'en'): string {
  const label = (config.step as unknown as Record<string, { label?: Record<string, string> } | undefined>)[key]?.label?.[locale];
  return label ?? MESSAGES[locale][`mine.step.${key}` as keyof typeof zh];
}

const steps = (root: ShadowRoot) => [...root.querySelectorAll('.stepper > li')];
const currentStep = (root: ShadowRoot) => root.querySelector('.stepper > li[aria-current="step"]');

describe('<consult-my-topics>', () => {
  it('lists a topic raised here with the configured steps, screening current, the follow code once sent', async () => {
    const server = new StandInServer();
    server.online = false;
    const { store, el, root, text, refresh } = await setup(server);
    expect(text()).to.contain(zh['mine.empty']);
    const topicId = await submit(store);
    el.topic = topicId;
    await until(() => steps(root).length > 0, 'the stepper');
    // The city's own step names where its config has them, plain words otherwise.
    expect(steps(root).map((s) => s.querySelector('.step-name')!.textContent)).to.deep.equal(
      ['received', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation', 'closed'].map((k) => stepName(k, 'zh-CN')),
    );
    expect(currentStep(root)!.textContent).to.contain(stepName('screening', 'zh-CN'));
    expect(currentStep(root)!.textContent).to.contain(zh['mine.status.current'], 'the current step says so in words');
    // Offline: the code is promised, not shown.
    expect(text()).to.contain(zh['follow.pending']);
    expect(text()).to.contain(zh['mine.savedHere']);
    expect(text()).to.contain(zh['follow.keep']);
    server.online = true;
    await refresh();
    // The store retries after its backoff: the code shows once the server has answered.
    await until(() => Boolean(root.querySelector('.follow-code .code')), 'the follow code', 8000);
    expect(text()).to.contain(zh['mine.notUpdated']);
    await refresh(); // now the topic is pulled from the server
    expect(root.querySelector('.follow-code .code')!.textContent).to.equal('K7QM-3XPA-9DRT');
    expect(text()).to.contain(zh['mine.sent']);
    // The QR encoder loads with the first code shown: the picture follows the code.
    await until(() => Boolean(root.querySelector('svg.qr')), 'the QR code', 8000);
    const qr = root.querySelector('svg.qr')!;
    expect(qr.getAttribute('role')).to.equal('img');
    expect(qr.querySelectorAll('rect.qr-dark').length).to.be.greaterThan(20);
    await until(() => /更新于/.test(text()), 'when it was last updated');
    await expectAccessible(el);
  });

  it('shows the screening decision with the reason after staff reject it, and nothing after it', async () => {
    const { server, store, root, text, refresh, el } = await setup(undefined, 'en');
    const topicId = await submit(store);
    await store.drain();
    server.staff(topicId, { type: 'screening.reject', reason: 'A private dispute: please use the mediation service' });
    await refresh();
    await until(() => text().includes('A private dispute'), 'the reason');
    expect(steps(root)).to.have.length(2);
    expect(currentStep(root)!.textContent).to.contain(stepName('screening', 'en'));
    expect(currentStep(root)!.textContent).to.contain(en['mine.status.ended']);
    expect(text()).to.contain('Reason: A private dispute: please use the mediation service');
    expect(root.querySelector(`#withdraw-${topicId}`)).to.equal(null, 'no withdrawing a decided topic');
    await expectAccessible(el);
  });

  it('follows the topic through meeting, measures (overdue, declined with reason) and feedback, then rates it once', async () => {
    const { server, store, root, text, refresh, el } = await setup(undefined, 'en');
    const topicId = await submit(store);
    await store.drain();
    server.staff(topicId, { type: 'screening.accept' });
    server.staff(topicId, { type: 'research.complete', findings: 'Visited 30 households; 25 in favour.' });
    server.staff(topicId, {
      type: 'meeting.schedule',
      format: 'room',
      start: '2026-03-01T05:00:00.000Z', // when it is started (the staff's fifth hour)
      place: 'Community hall',
      conveners: [
        { name: 'Secretary Li', role: 'convener' },
        { name: 'Member Wang', role: 'member' },
      ],
      participants: [],
    });
    await refresh();
    await until(() => text().includes('Community hall'), 'the meeting');
    expect(currentStep(root)!.textContent).to.contain(stepName('meeting', 'en'));
    expect(text()).to.contain('Visited 30 households');
    server.staff(topicId, { type: 'meeting.start' });
    for (let i = 0; i < 3; i += 1) server.staff(topicId, { type: 'meeting.advance' });
    server.staff(topicId, {
      type: 'meeting.record',
      time: '2026-03-05T03:00:00.000Z',
      place: 'Community hall',
      topic: 'A lift for building 3',
      effect: 'Agreed to apply',
      consensus: 'full',
      measures: [
        { text: 'Apply for the lift permit', party: 'housing-bureau', due: '2026-03-01' },
        { text: 'Turn the lawn into parking', party: 'property-company', due: '2026-12-31' },
      ],
    });
    server.staff(topicId, { type: 'measure.decline', measureId: 'm1-2', reason: 'The lawn is planned green space' }, 'department');
    await refresh();
    await until(() => text().includes('Apply for the lift permit'), 'the measures');
    expect(currentStep(root)!.textContent).to.contain(stepName('handling', 'en'));
    expect(text()).to.contain('Agreed to apply');
    expect(text()).to.contain(en['mine.measure.overdue']);
    expect(text()).to.contain('Reason: The lawn is planned green space');
    server.staff(topicId, { type: 'measure.adopt', measureId: 'm1-1' }, 'department');
    server.staff(topicId, { type: 'measure.implement', measureId: 'm1-1', result: 'Permit granted' }, 'department');
    server.staff(topicId, { type: 'feedback.publish', text: 'The permit is granted; building starts in May.' });
    el.now = server.log.at(-1)!.at;
    await refresh();
    await until(() => Boolean(root.querySelector('.rating-form')), 'the rating form');
    expect(currentStep(root)!.textContent).to.contain(stepName('evaluation', 'en'));
    expect(text()).to.contain('building starts in May');
    expect(text()).to.contain('Result: Permit granted');
    expect(text()).to.match(/You can rate how satisfied you are until/);
    await expectAccessible(el);

    // Rate by keyboard: into the stars, choose four, send.
    const rating = root.querySelector('consult-star-rating')!;
    const first = rating.shadowRoot!.querySelector<HTMLInputElement>('input[type=radio]')!;
    first.focus();
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    expect(rating.value).to.equal(4);
    root.querySelector<HTMLButtonElement>('.rating-form button[type=submit]')!.click();
    await until(() => text().includes('You rated it 4 out of 5') || Boolean(root.querySelector('[role=alert]')), 'the thanks');
    expect(root.querySelector('[role=alert]')?.textContent ?? '').to.equal('');
    expect(text()).to.contain('You rated it 4 out of 5');
    await store.drain();
    await refresh();
    expect(root.querySelector('.rating-form')).to.equal(null, 'rated once: no second form');
    const rated = server.log.filter((e) => e.event.type === 'rating.submit');
    expect(rated).to.have.length(1);
    expect(rated[0]!.by.id).to.equal(await actorOf('K7QM3XPA9DRT'));
  });

  it('withdraws a topic in screening after confirming; "keep it" puts the focus back', async () => {
    const { store, root, text, refresh, el } = await setup();
    const topicId = await submit(store);
    await store.drain();
    await refresh();
    const button = () => root.querySelector<HTMLButtonElement>(`#withdraw-${CSS.escape(topicId)}`);
    await until(() => Boolean(button()), 'the withdraw button');
    button()!.click();
    await el.updateComplete;
    expect(root.activeElement?.id).to.equal(`withdraw-title-${topicId}`);
    expect(text()).to.contain(zh['mine.withdraw.confirmText']);
    await expectAccessible(el);
    [...root.querySelectorAll<HTMLButtonElement>('.confirm button')].find((b) => b.textContent!.includes(zh['mine.withdraw.no']))!.click();
    await until(() => root.activeElement === button(), 'focus back on the button');
    button()!.click();
    await el.updateComplete;
    root.querySelector<HTMLTextAreaElement>('.confirm textarea')!.value = '已经修好了';
    root.querySelector<HTMLButtonElement>('.confirm button[type=submit]')!.click();
    await until(() => text().includes(zh['mine.status.ended']), 'the topic withdrawn');
    expect(text()).to.contain('理由：已经修好了');
    expect(button()).to.equal(null);
    await store.drain();
    expect(store.conflicts).to.have.length(0, 'the server took it with the follow code');
  });

  it('adds a topic by its follow code, with a clear message for each problem (GOV.UK pattern)', async () => {
    const server = new StandInServer();
    const raiser = await setup(server);
    const topicId = await submit(raiser.store, '楼道灯不亮');
    await raiser.store.drain();
    raiser.el.remove();

    const { root, text, el } = await setup(server);
    const input = () => root.querySelector<HTMLInputElement>('#follow-code')!;
    const type = async (value: string) => {
      input().focus();
      input().select();
      if (value) await sendKeys({ type: value });
      else await sendKeys({ press: 'Backspace' });
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
    };
    const summary = () => root.querySelector('#follow-error-summary');

    await type('');
    await until(() => Boolean(summary()), 'the error summary');
    expect(root.activeElement).to.equal(summary());
    expect(summary()!.textContent).to.contain(zh['mine.add.error.empty']);
    expect(input().getAttribute('aria-invalid')).to.equal('true');
    await expectAccessible(el);

    await type('K7QM-3XPA');
    expect(summary()!.textContent).to.contain(zh['mine.add.error.invalid']);
    expect(input().value).to.equal('K7QM-3XPA', 'what the person typed stays');

    await type('h4nw 8zce 2buq');
    await until(() => summary()?.textContent?.includes(zh['mine.add.error.notFound']) ?? false, 'not found');

    server.revoked.add('H4NW8ZCE2BUF');
    await type('H4NW-8ZCE-2BUF');
    await until(() => summary()?.textContent?.includes(zh['mine.add.error.revoked']) ?? false, 'revoked');

    server.rateLimited = true;
    await type('P9TR6YGM3KVS');
    await until(() => summary()?.textContent?.includes('3 分钟后再试') ?? false, 'rate limited, in minutes');
    server.rateLimited = false;

    server.online = false;
    await type('P9TR6YGM3KVS');
    await until(() => summary()?.textContent?.includes(zh['mine.add.error.offline']) ?? false, 'offline');
    server.online = true;

    // The right code, lower case and without hyphens: the topic is added and its heading takes focus.
    await type('k7qm3xpa9drt');
    await until(() => text().includes('楼道灯不亮'), 'the topic');
    expect(summary()).to.equal(null);
    expect(text()).to.contain('已将“楼道灯不亮”添加到我的议题。');
    await until(() => root.activeElement?.getAttribute('data-topic-heading') === topicId, 'focus on the added topic');
    expect(input().value).to.equal('');
    expect(currentStep(root)!.textContent).to.contain(stepName('screening', 'zh-CN'));
    await expectAccessible(el);
  });

  it('says politely when the server does not share updates', async () => {
    const server = new StandInServer();
    const { store, root, refresh } = await setup(server);
    await submit(store);
    await store.drain();
    server.denyPull = true;
    await refresh();
    await until(() => Boolean(root.querySelector('.notices .notice')), 'the notice');
    const notice = root.querySelector('.notices')!;
    expect(notice.getAttribute('aria-live')).to.equal('polite');
    expect(notice.textContent).to.contain(zh['mine.pullRefused']);
  });

  it('copies the follow code and announces it politely; large-text mode reflects', async () => {
    const { store, root, el, refresh } = await setup();
    const topicId = await submit(store);
    el.topic = topicId;
    el.largeText = true;
    await store.drain();
    await refresh();
    await until(() => Boolean(root.querySelector('.follow-code .code')), 'the code');
    expect(el.hasAttribute('large-text')).to.equal(true);
    const copy = root.querySelector<HTMLButtonElement>('.follow-code button')!;
    copy.click();
    const live = root.querySelector('.follow-code [role=status]')!;
    await until(() => live.textContent!.trim() !== '', 'the announcement');
    // Clipboard access may be refused in a headless browser: then the code is selected instead.
    expect([zh['follow.copied'], zh['follow.selected']]).to.include(live.textContent!.trim());
    if (live.textContent!.trim() === zh['follow.selected']) expect(String(window.getSelection())).to.contain('K7QM-3XPA-9DRT');
  });
});

// Local mode (no server: the store's local transport, a kiosk, the examples without a backend):
// a resident still rates the topic raised on this device. A rating from nobody is refused, so
// the device rates as its own follow subject for the topic (`follow:…`, which the config's
// `submitter` raters admit), once.
describe('<consult-my-topics> without a server', () => {
  it('the resident rates the topic raised on this device, once, as its own follow subject', async () => {
    const store = await openStore({ config, transport: localTransport(), dbName: `local-rating-${Date.now()}` });
    stores.push(store);
    const topicId = `t-${Math.random().toString(36).slice(2)}`;
    let clock = Date.parse('2026-03-01T01:00:00.000Z');
    const send = async (body: Body, by: TopicEvent['by'] = { role: 'convener', id: 'c-1' }) => {
      clock += 3600_000;
      const result = await store.append(topicId, { ...body, by, at: new Date(clock).toISOString() } as TopicEvent);
      if (!result.ok) throw new Error(`${body.type}: ${result.refusal.message}`);
    };
    await send(
      {
        type: 'topic.submit',
        source: 'resident',
        values: { title: '3号楼加装电梯', description: '3号楼加装电梯：居民反映多年，希望社区组织大家坐下来商量解决办法。', category: 'other', name: '张阿姨', contactWanted: 'no', consent: true },
      },
      { role: 'resident' },
    );
    await send({ type: 'screening.accept' });
    await send({ type: 'research.complete', findings: '走访了三十户居民，其中二十五户支持加装电梯，五户担心一楼采光和噪音，已记录各方意见和现场照片。' });
    await send({
      type: 'meeting.schedule',
      format: 'room',
      start: '2026-03-01T06:00:00.000Z', // when it is started (the sixth event)
      place: '社区议事室',
      conveners: [
        { name: '李书记', role: 'convener' },
        { name: '王委员', role: 'member' },
      ],
      participants: [],
    });
    await send({ type: 'meeting.start' });
    for (let i = 0; i < 3; i += 1) await send({ type: 'meeting.advance' });
    await send({ type: 'meeting.record', time: '2026-03-05T03:00:00.000Z', place: '社区议事室', topic: '加装电梯', effect: '同意申请', consensus: 'full', measures: [{ text: '申请加装电梯许可', party: 'housing-bureau' }] });
    await send({ type: 'measure.adopt', measureId: 'm1-1' }, { role: 'department', id: 'd-1' });
    await send({ type: 'measure.implement', measureId: 'm1-1', result: '已取得许可' }, { role: 'department', id: 'd-1' });
    await send({ type: 'feedback.publish', text: '加装电梯许可已经取得，五月开工，施工期间请注意安全，欢迎居民监督评价。' });

    const el = document.createElement('consult-my-topics') as ConsultMyTopics;
    el.setAttribute('lang', 'en');
    el.now = new Date(clock + 3600_000).toISOString();
    el.store = store;
    document.body.append(el);
    const root = el.shadowRoot!;
    const text = () => root.textContent!.replace(/\s+/g, ' ');
    await until(() => Boolean(root.querySelector('.rating-form')), 'the rating form');

    const rating = root.querySelector('consult-star-rating')!;
    rating.shadowRoot!.querySelector<HTMLInputElement>('input[type=radio]')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    root.querySelector<HTMLButtonElement>('.rating-form button[type=submit]')!.click();
    await until(() => text().includes('You rated it 4 out of 5') || Boolean(root.querySelector('[role=alert]')?.textContent), 'the thanks');
    expect(root.querySelector('[role=alert]')?.textContent ?? '').to.equal('', 'not refused as a rating from nobody');
    expect(root.querySelector('.rating-form')).to.equal(null, 'rated once: no second form');
    const ratings = store.topics.get(topicId)!.context.evaluations[0]!.ratings;
    expect(ratings).to.have.length(1);
    expect(ratings[0]!.by.id).to.match(/^follow:[0-9a-f]{16}$/);
  });
});
