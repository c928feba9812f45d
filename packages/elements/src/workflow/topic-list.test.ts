/**
 * The staff topic list's room filter (topic-list.ts) in real Chromium, rendered by a small host
 * element the way `<consult-workflow>` renders it: a labelled "Consultation room" picker with
 * every room of the config and "All rooms", only the chosen room's topics (by `context.room`),
 * the keyboard path (Tab to the picker, arrows to choose, Tab into the list), the host's initial
 * room, a room without topics said in words, no picker without rooms, and axe in zh-CN and en.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import type { TopicSnapshot, WorkflowConfig } from '@consult-kit/machine';
import { ConsultElement, defineElement } from '../base/consult-element.js';
import { corePart, workflowPart } from '../i18n/parts.js';
import { hostStyles } from '../styles/tokens.js';
import { inputStyles } from '../styles/form-controls.js';
import { topicList, topicListWindow } from './topic-list.js';
import { expectAccessible } from '../../test/a11y.js';
import { programme, Topic, wuxi } from '../../test/programme.js';

/** What `<consult-workflow>` does with the list: the store's topics, the config's rooms, its words. */
class TopicListHost extends ConsultElement {
  static override styles = [hostStyles, inputStyles];
  static override catalogues = [corePart, workflowPart];
  static override properties = { ...ConsultElement.properties, topics: { attribute: false }, config: { attribute: false }, room: {} };
  declare topics: TopicSnapshot[];
  declare config: WorkflowConfig;
  declare room: string | undefined;
  opened: string[] = [];

  constructor() {
    super();
    this.topics = [];
    this.room = undefined;
  }

  protected override render() {
    const rooms = this.config.rooms?.list ?? [];
    return html`<h2>${this.t('workflow.topics.heading')}</h2>
      ${topicList({
        rows: topicListWindow(this),
        topics: this.topics,
        id: (t) => t.context.topicId,
        describe: (t) => ({ id: t.context.topicId, title: t.context.title, meta: t.context.room ?? '' }),
        label: this.t('workflow.topics.heading'),
        onOpen: (id) => this.opened.push(id),
        rooms: {
          list: rooms.map((r) => ({ id: r.id, name: this.text(r.name, r.id) })),
          of: (t) => t.context.room,
          label: this.t('workflow.rooms.label'),
          all: this.t('workflow.rooms.all'),
          none: this.t('workflow.rooms.none'),
          ...(this.room ? { initial: this.room } : {}),
        },
      })}`;
  }
}
defineElement('test-topic-list-host', TopicListHost);

let config: WorkflowConfig;
let topics: TopicSnapshot[];

before(async () => {
  config = await wuxi();
  const property = new Topic(config, 't-property', '2026-03-05T01:00:00.000Z').send(
    {
      type: 'topic.submit',
      source: 'resident',
      room: 'qingmingqiao-wuye',
      values: { title: '物业费公示', description: '物业服务费的收支情况希望每季度公示，请物业议事室商量。', category: 'parking', name: '刘先生', contactWanted: 'no', consent: true },
    },
    { role: 'resident', id: 'r-property' },
  ).snapshot;
  topics = [...programme(config), property];
});

afterEach(() => {
  document.body.replaceChildren();
});

async function mount(props: Partial<TopicListHost>, lang = 'zh-CN'): Promise<TopicListHost> {
  const el = document.createElement('test-topic-list-host') as TopicListHost;
  el.setAttribute('lang', lang);
  Object.assign(el, props);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const titles = (el: TopicListHost) => [...el.shadowRoot!.querySelectorAll('#topic-list .title')].map((t) => t.textContent);
const picker = (el: TopicListHost) => el.shadowRoot!.querySelector<HTMLSelectElement>('#topic-room')!;

describe('the staff topic list: filter by room', () => {
  it('shows a labelled picker of every room, and the chosen room’s topics only, chosen with the keyboard', async () => {
    const el = await mount({ topics, config });
    const label = el.shadowRoot!.querySelector('label[for="topic-room"]')!;
    expect(label.textContent).to.equal('协商议事室');
    expect([...picker(el).options].map((o) => [o.value, o.textContent])).to.deep.equal([['', '全部议事室'], ...config.rooms!.list.map((r) => [r.id, r.name['zh-CN']])]);
    expect(titles(el)).to.have.length(topics.length);
    await expectAccessible(el);

    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(picker(el));
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    const shequ = topics.filter((t) => t.context.room === 'qingmingqiao-shequ').map((t) => t.context.title);
    expect(picker(el).value).to.equal('qingmingqiao-shequ');
    expect(titles(el)).to.have.members(shequ);
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(titles(el)).to.deep.equal(['物业费公示']);
    // Tab goes on into the list, and Enter opens the topic.
    await sendKeys({ press: 'Tab' });
    expect((el.shadowRoot!.activeElement as HTMLElement).textContent).to.contain('物业费公示');
    await sendKeys({ press: 'Enter' });
    expect(el.opened).to.deep.equal(['t-property']);

    // A room with no topic says so in words, not an empty box.
    picker(el).focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(picker(el).value).to.equal('qingmingqiao-jiedao');
    expect(el.shadowRoot!.querySelector('#topic-list')).to.equal(null);
    expect(el.shadowRoot!.querySelector('.room-none')!.textContent).to.equal('这个议事室还没有人提出议题。');
    await expectAccessible(el);
    before.remove();
  });

  it('starts from the host’s room (the workflow’s `room` attribute), in English', async () => {
    const el = await mount({ topics, config, room: 'qingmingqiao-wuye' }, 'en');
    expect(el.shadowRoot!.querySelector('label[for="topic-room"]')!.textContent).to.equal('Consultation room');
    expect(picker(el).selectedOptions[0]!.textContent).to.equal('Qingmingqiao Community Property Room');
    expect(titles(el)).to.deep.equal(['物业费公示']);
    // A person's choice wins until the host's room changes.
    picker(el).value = '';
    picker(el).dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(titles(el)).to.have.length(topics.length);
    el.room = 'qingmingqiao-shequ';
    await el.updateComplete;
    expect(picker(el).value).to.equal('qingmingqiao-shequ');
    expect(el.shadowRoot!.querySelector('.room-none')).to.equal(null);
    await expectAccessible(el);
  });

  it('has no picker when the programme has no rooms', async () => {
    const { rooms: _rooms, ...plain } = config;
    const el = await mount({ topics, config: plain as WorkflowConfig });
    expect(el.shadowRoot!.querySelector('#topic-room')).to.equal(null);
    expect(titles(el)).to.have.length(topics.length);
  });
});
