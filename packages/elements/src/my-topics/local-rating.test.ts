/**
 * Local mode (no server: the store's local transport, a kiosk, the examples without a backend):
 * a resident still rates the topic raised on this device. Issue 16 refuses a rating from nobody,
 * so the device rates as its own follow subject for the topic (`follow:…`, which the config's
 * `submitter` raters admit), once.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { TopicEvent, WorkflowConfig } from '@consult-kit/machine';
import { localTransport, openStore, type ConsultStore } from '@consult-kit/store';
import './consult-my-topics.js';
import type { ConsultMyTopics } from './my-topics.component.js';
import { wuxi } from '../../test/programme.js';

type Body = TopicEvent extends infer E ? (E extends TopicEvent ? Omit<E, 'by' | 'at'> : never) : never;

let config: WorkflowConfig;
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
      start: '2026-03-05T02:00:00.000Z',
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
