import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import { MESSAGES } from '../packages/elements/src/i18n/messages.js';
import type { ConsultMyTopics } from '../packages/elements/src/my-topics/my-topics.component.js';
import { LoggedTopic, config, wuxiStages } from './support/programme.js';
import { CODES, PULLED_AT, STORY_NOW, actorOf, phone, type OnPhone, type Phone } from './support/my-topics.js';
import { element, squash, type StoryArgs } from './support/render.js';
import { realKeyboard } from './support/keyboard.js';

/**
 * `<consult-my-topics>` on a resident's phone: a real store (IndexedDB, pull scope `followed`)
 * seeded as a per-topic pull from the city's server leaves it — redacted entries, the follow code,
 * "last updated" at a fixed time — with a stand-in server in the page behind it
 * (stories/support/my-topics.ts). `now` is fixed too, so overdue measures and the rating window
 * read the same on any day.
 */
type Loaded = { phone?: Phone };

const zh = MESSAGES['zh-CN'];
const en = MESSAGES.en;
const wuxi = () => config('wuxi');

/** Each story's own database, seeded with `topics` (built when the story loads). */
const onPhone =
  (topics: () => OnPhone[] | Promise<OnPhone[]>, options: Parameters<typeof phone>[3] | (() => Parameters<typeof phone>[3]) = {}) =>
  async ({ id }: { id: string }): Promise<Loaded> => ({
    phone: await phone(`storybook-${id}`, 'wuxi', await topics(), typeof options === 'function' ? options() : options),
  });

const render = (args: StoryArgs, { loaded }: { loaded: Loaded }): HTMLElement =>
  element('consult-my-topics', args, loaded.phone ? { store: loaded.phone.store } : {});

const host = (canvas: HTMLElement) => canvas.querySelector('consult-my-topics') as ConsultMyTopics;
const root = (canvas: HTMLElement) => host(canvas).shadowRoot!;
const text = (canvas: HTMLElement) => squash(root(canvas).textContent);
const cards = (canvas: HTMLElement) => [...root(canvas).querySelectorAll<HTMLElement>('[part~=topic]')];
const current = (card: ParentNode) => squash(card.querySelector('[aria-current=step]')?.textContent);
/** The config's name for a step (the resident reads the city's own words). */
const stepLabel = (type: 'screening' | 'research' | 'meeting' | 'handling' | 'feedback' | 'evaluation', lang: 'zh-CN' | 'en' = 'zh-CN') =>
  wuxi().step[type]!.label![lang]!;

/** Waits until `count` topic cards show their stepper. */
async function ready(canvas: HTMLElement, count = 1): Promise<HTMLElement[]> {
  await waitFor(() => expect(root(canvas)?.querySelectorAll('[part~=topic] .stepper').length).toBe(count), { timeout: 10_000 });
  return cards(canvas);
}

/** A catalogue message with its `{placeholders}` filled, as the element words it. */
const say = (lang: 'zh-CN' | 'en', key: keyof typeof zh, params: Record<string, string | number>) =>
  MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
/** A date as the element shows it, in this browser's time zone (`withTime`: date and time). */
const dateText = (lang: string, iso: string, withTime = false) =>
  new Intl.DateTimeFormat(lang, withTime ? { dateStyle: 'long', timeStyle: 'short' } : { dateStyle: 'long' }).format(new Date(iso));

// ── The topics, one per state (the Wuxi example config; each event an hour after the last) ──

const submitted = (id: string, title: string, start = '2026-05-30T01:00:00.000Z') => new LoggedTopic(wuxi(), id, start).submit(title);

const topics = {
  screening: () => submitted('t-lights', '楼道灯不亮的问题'),
  rejected: () => wuxiStages().rejected,
  mergedInto: () => submitted('t-parking', '幸福里小区停车难', '2026-05-20T01:00:00.000Z'),
  merged: () => submitted('t-spaces', '小区车位不够停', '2026-05-25T01:00:00.000Z').send({ type: 'screening.merge', into: 't-parking' }),
  redirected: () =>
    submitted('t-manhole', '3号楼门口井盖破损').send({ type: 'screening.redirect', channel: 'hotline-12345', reason: '一个部门就能直接办理，打 12345 更快' }),
  escalated: () => submitted('t-bus', '小区门口公交站太远').send({ type: 'screening.escalate', level: 'street', reason: '涉及公交线路调整，需要街道协调' }),
  withdrawn: async () =>
    submitted('t-noise', '夜间广场舞噪音').send({ type: 'topic.withdraw', reason: '已经和跳舞的邻居商量好了' }, { role: 'resident', id: await actorOf(CODES[0]!) }),
  research: () => wuxiStages().research,
  scheduled: () => wuxiStages().scheduled,
  inSession: () => wuxiStages().inSession,
  /** Measures in every status: in progress and overdue, declined with its reason, adopted, implemented with its result. */
  handling: () =>
    new LoggedTopic(wuxi(), 't-parking-lots', '2026-03-02T01:00:00.000Z')
      .submit('幸福里小区停车难')
      .toMeeting()
      .meet([
        { text: '重新划设停车位，增加四十个车位', party: 'street-office', due: '2026-04-15' },
        { text: '把小区绿地改成停车场', party: 'property-company', due: '2026-05-01' },
        { text: '错时共享周边单位停车场', party: 'residents-committee', due: '2026-09-30' },
        { text: '清理占用消防通道的僵尸车', party: 'property-company', due: '2026-04-30' },
      ])
      .adopt('m1-1')
      .progress('m1-1')
      .decline('m1-2', '绿地是规划绿化用地，不能改作停车场')
      .adopt('m1-3')
      .adopt('m1-4')
      .implement('m1-4'),
  /** Every measure settled; the departments have not reported back yet. */
  feedback: () =>
    new LoggedTopic(wuxi(), 't-waste', '2026-05-10T01:00:00.000Z')
      .submit('垃圾分类投放点异味')
      .toMeeting()
      .meet([{ text: '投放点加装除臭设备并每天清洗', party: 'property-company', due: '2026-07-31' }])
      .adopt('m1-1')
      .implement('m1-1'),
  /** Fed back on 21 May: the 14-day window is open at `now`. */
  ratingOpen: () =>
    new LoggedTopic(wuxi(), 't-benches', '2026-05-20T01:00:00.000Z')
      .submit('小区花园增设座椅')
      .toMeeting()
      .meet([{ text: '在中心花园增设十张座椅', party: 'street-office', due: '2026-07-31' }])
      .adopt('m1-1')
      .implement('m1-1')
      .feedback()
      .send({ type: 'rating.submit', stars: 5 }, { role: 'resident', id: 'portal:rater-1' })
      .send({ type: 'rating.submit', stars: 4 }, { role: 'resident', id: 'portal:rater-2' }),
  rated: async (code: string) => {
    const t = topics.ratingOpen();
    return t.send({ type: 'rating.submit', stars: 4, comment: '座椅很实用' }, { role: 'resident', id: await actorOf(code) });
  },
  closed: () => wuxiStages().closed,
  /** Five poor ratings: closing the round sent the topic back to handling. */
  reopened: () =>
    new LoggedTopic(wuxi(), 't-gate', '2026-05-20T01:00:00.000Z')
      .submit('小区门禁经常坏')
      .toMeeting()
      .meet([{ text: '更换小区门禁系统', party: 'property-company', due: '2026-07-31' }])
      .adopt('m1-1')
      .implement('m1-1')
      .feedback()
      .rate([2, 1, 2, 3, 2]),
  /** Reopened, handled again and fed back again: the second round of rating is open. */
  reopenedAgain: () => topics.reopened().implement('m1-1').feedback(),
};

const one = (topic: () => LoggedTopic, extra: Partial<OnPhone> = {}) => () => [{ topic: topic(), ...extra }];

const meta = {
  title: 'Components/My topics 我的议题',
  id: 'components-my-topics',
  component: 'consult-my-topics',
  render,
  args: { now: STORY_NOW },
  parameters: {
    docs: {
      description: {
        component:
          'A resident follows their own topics to the end: a plain-language stepper of the configured lifecycle, the follow code with copy and a QR code, add by follow code, withdraw while screening, rate once. Each story is a phone (a real IndexedDB store) as it last pulled from the city’s server.',
      },
    },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** Just submitted (`topic` brings it forward): thanked, the follow code at once with a copy button and a QR code; copying is announced. */
export const JustSubmitted: Story = {
  name: 'Just submitted: the follow code',
  args: { topic: 't-lights' },
  loaders: [onPhone(one(topics.screening, { raisedHere: true }))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(squash(card!.textContent)).toContain(zh['mine.thanks']);
    const panel = card!.querySelector('[part~=follow-code]')!;
    expect(squash(panel.querySelector('.code')?.textContent)).toBe(CODES[0]);
    // The QR encoder loads with the first code shown: the picture follows the code.
    await waitFor(() => expect(panel.querySelector('svg[role=img]')?.getAttribute('aria-label')).toContain(CODES[0]));
    expect(panel.querySelectorAll('rect.qr-dark').length).toBeGreaterThan(20);
    panel.querySelector<HTMLButtonElement>('button')!.click();
    // Where the clipboard is refused (a headless browser), the code is selected for the person to copy.
    await waitFor(() => expect([zh['follow.copied'], zh['follow.selected']]).toContain(squash(panel.querySelector('[role=status]')?.textContent)));
  },
};

/** Received, being screened: the current step says so in words; the resident may withdraw it. */
export const Screening: Story = {
  name: 'Received — being screened (withdraw)',
  loaders: [onPhone(one(topics.screening, { raisedHere: true }))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(current(card!)).toContain(stepLabel('screening'));
    expect(current(card!)).toContain(zh['mine.status.current']);
    expect(squash(card!.textContent)).toContain(zh['mine.screening.pending']);
    expect(squash(card!.querySelector('.meta')?.textContent)).toBe(say('zh-CN', 'mine.updated', { date: dateText('zh-CN', PULLED_AT, true) }));
    expect(card!.querySelector('#withdraw-t-lights')?.textContent).toContain(zh['mine.withdraw']);
    // Not just raised: the code is one click away.
    expect(squash(card!.querySelector('details summary')?.textContent)).toBe(zh['follow.show']);
  },
};

/** "Withdraw this topic" asks first (focus on the question); withdrawing is sent with the follow code and the topic ends there. */
export const Withdrawing: Story = {
  name: 'Withdrawing (confirm, then withdrawn)',
  loaders: [onPhone(one(topics.screening, { raisedHere: true }))],
  play: async ({ canvasElement, loaded }) => {
    const { server, store } = (loaded as Loaded).phone!;
    const [card] = await ready(canvasElement);
    card!.querySelector<HTMLButtonElement>('#withdraw-t-lights')!.click();
    await waitFor(() => expect(root(canvasElement).activeElement?.id).toBe('withdraw-title-t-lights'));
    expect(text(canvasElement)).toContain(zh['mine.withdraw.confirmText']);
    root(canvasElement).querySelector<HTMLTextAreaElement>('.confirm textarea')!.value = '灯已经修好了';
    root(canvasElement).querySelector<HTMLButtonElement>('.confirm button[type=submit]')!.click();
    await waitFor(() => expect(current(cards(canvasElement)[0]!)).toContain(zh['mine.status.ended']));
    expect(text(canvasElement)).toContain('理由：灯已经修好了');
    // Sent with the follow code: the server took it as this code's holder.
    await store.drain();
    expect(server.log.at(-1)?.event.type).toBe('topic.withdraw');
    expect(server.log.at(-1)?.by.id).toBe(await actorOf(CODES[0]!));
  },
};

/** Withdrawn earlier by the resident, with their reason: the stepper ends at screening. */
export const Withdrawn: Story = {
  name: 'Withdrawn',
  loaders: [onPhone(async () => [{ topic: await topics.withdrawn() }])],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(card!.querySelectorAll('.stepper > li')).toHaveLength(2);
    expect(current(card!)).toContain(zh['mine.status.ended']);
    expect(squash(card!.textContent)).toContain('理由：已经和跳舞的邻居商量好了');
    expect(card!.querySelector('[id^=withdraw-]')).toBe(null);
  },
};

/** Not taken up, with the conveners' reason; nothing after it. */
export const Rejected: Story = {
  name: 'Rejected, with the reason',
  loaders: [onPhone(one(topics.rejected))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(current(card!)).toContain(zh['mine.status.ended']);
    expect(squash(card!.textContent)).toContain('理由：属于个人诉求，请通过人民调解解决');
  },
};

/** Merged into another topic about the same matter: which one, by its title. */
export const Merged: Story = {
  name: 'Merged into another topic',
  loaders: [onPhone(one(topics.merged), () => ({ others: [topics.mergedInto()] }))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    const at = topics.merged().entries.at(-1)!.at;
    expect(squash(card!.textContent)).toContain(say('zh-CN', 'mine.screening.merged', { date: dateText('zh-CN', at), into: '幸福里小区停车难' }));
    expect(current(card!)).toContain(zh['mine.status.ended']);
  },
};

/** Passed on to the 12345 hotline: the channel's name, a link to it, and why. */
export const Redirected: Story = {
  name: 'Redirected to a channel',
  loaders: [onPhone(one(topics.redirected))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    const link = card!.querySelector<HTMLAnchorElement>('a.link');
    expect(link?.getAttribute('href')).toBe('tel:12345');
    expect(squash(link?.textContent)).toBe('12345 政务服务便民热线');
    expect(squash(card!.textContent)).toContain('理由：一个部门就能直接办理，打 12345 更快');
  },
};

/** Moved up to the street level: still being screened there. */
export const Escalated: Story = {
  name: 'Escalated to the street',
  loaders: [onPhone(one(topics.escalated))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(current(card!)).toContain(stepLabel('screening'));
    const at = topics.escalated().entries.at(-1)!.at;
    expect(squash(card!.textContent)).toContain(say('zh-CN', 'mine.screening.escalated', { level: zh['timeline.level.street'], date: dateText('zh-CN', at) }));
    expect(squash(card!.textContent)).toContain('理由：涉及公交线路调整，需要街道协调');
    expect(squash(card!.textContent)).toContain(zh['mine.screening.pending']);
  },
};

/** Accepted; the facts are being gathered. */
export const Research: Story = {
  name: 'Research',
  loaders: [onPhone(one(topics.research))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(current(card!)).toContain(stepLabel('research'));
    expect(squash(card!.textContent)).toContain(zh['mine.research.pending']);
  },
};

/** A courtyard meeting is scheduled: its format, date and place. */
export const MeetingScheduled: Story = {
  name: 'Meeting scheduled',
  loaders: [onPhone(one(topics.scheduled))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(current(card!)).toContain(stepLabel('meeting'));
    expect(squash(card!.textContent)).toContain('小区院落协商');
    expect(squash(card!.textContent)).toContain('幸福里小区中心花园');
    expect(squash(card!.textContent)).toContain(dateText('zh-CN', '2026-06-08T01:30:00.000Z', true));
  },
};

/** The meeting is in session (the residents see the round, not the agenda's inner steps). */
export const InSession: Story = {
  name: 'Meeting in session',
  loaders: [onPhone(one(topics.inSession))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(current(card!)).toContain(stepLabel('meeting'));
    expect(squash(card!.textContent)).toContain('社区议事室');
  },
};

/** Handling: the five-haves record and each measure — responsible party, due date, overdue, declined with its reason, implemented with its result. */
export const Handling: Story = {
  name: 'Handling: measures',
  loaders: [onPhone(one(topics.handling))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(current(card!)).toContain(stepLabel('handling'));
    const measures = [...card!.querySelectorAll('.measure')].map((m) => squash(m.textContent));
    expect(measures).toHaveLength(4);
    expect(measures[0]).toContain(zh['mine.measure.overdue']);
    expect(measures[0]).toContain('街道办事处');
    expect(measures[1]).toContain('理由：绿地是规划绿化用地，不能改作停车场');
    expect(measures[1]).not.toContain(zh['mine.measure.overdue']);
    expect(measures[2]).not.toContain(zh['mine.measure.overdue']);
    expect(measures[3]).toContain('结果：已完成并通过验收');
    expect(card!.querySelector('dl.record')).toBeTruthy();
  },
};

/** Every measure settled: the departments' feedback is awaited. */
export const Feedback: Story = {
  name: 'Waiting for the feedback',
  loaders: [onPhone(one(topics.feedback))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(current(card!)).toContain(stepLabel('feedback'));
    expect(squash(card!.textContent)).toContain(zh['mine.feedback.pending']);
  },
};

/** Fed back; the rating is open (until when, said plainly) with the star rating and a comment. */
export const RatingOpen: Story = {
  name: 'Rating open',
  loaders: [onPhone(one(topics.ratingOpen))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(current(card!)).toContain(stepLabel('evaluation'));
    expect(squash(card!.textContent)).toContain('各项措施已办理完毕');
    // The window: 14 days (the config's windowDays) from the feedback.
    const fedBack = topics.ratingOpen().entries.find((e) => e.event.type === 'feedback.publish')!.at;
    const until = new Date(Date.parse(fedBack) + 14 * 86_400_000).toISOString();
    expect(squash(card!.textContent)).toContain(say('zh-CN', 'mine.rating.until', { date: dateText('zh-CN', until, true) }));
    expect(card!.querySelector('.rating-form consult-star-rating')).toBeTruthy();
  },
};

/** Rated with this follow code: "you rated it 4 out of 5", and no second form. */
export const Rated: Story = {
  name: 'Rated',
  loaders: [onPhone(async () => [{ topic: await topics.rated(CODES[0]!) }])],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    // This person's own rating is known by the `by.id` their follow code stands for.
    await waitFor(() => expect(squash(card!.textContent)).toContain(say('zh-CN', 'mine.rating.mine', { stars: 4, scale: 5 })));
    expect(card!.querySelector('.rating-form')).toBe(null);
  },
};

/** Closed after the rating, with the average and when the time to rate ended. */
export const Closed: Story = {
  name: 'Closed',
  loaders: [onPhone(one(topics.closed))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    const closedAt = topics.closed().entries.at(-1)!.at;
    expect(current(card!)).toContain(zh['mine.step.closed']);
    expect(card!.querySelectorAll('.stepper > li[part~=step-done]').length).toBe(card!.querySelectorAll('.stepper > li').length - 1);
    expect(squash(card!.textContent)).toContain(say('zh-CN', 'mine.closed', { date: dateText('zh-CN', closedAt) }));
  },
};

/**
 * Residents were not satisfied (average 2 of 5): closing the round sent the topic back to the
 * departments — handling is current again and its measure is back in progress.
 */
export const Reopened: Story = {
  name: 'Reopened after a poor rating',
  loaders: [onPhone(one(topics.reopened))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(current(card!)).toContain(stepLabel('handling'));
    expect(squash(card!.querySelector('.measure .measure-status')?.textContent)).toBe(zh['timeline.measure.status.inProgress']);
  },
};

/** Handled and fed back again after the reopening: the rating says why there is a second round, and it is open. */
export const ReopenedRatingAgain: Story = {
  name: 'Reopened: rating again',
  loaders: [onPhone(one(topics.reopenedAgain))],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    expect(current(card!)).toContain(stepLabel('evaluation'));
    expect(squash(card!.textContent)).toContain(zh['mine.rating.reopened']);
    expect(card!.querySelector('.rating-form consult-star-rating')).toBeTruthy();
  },
};

/** Adding a topic by its follow code: a clear message for each problem (GOV.UK error summary, focus on it), then the topic. */
export const AddByCode: Story = {
  name: 'Add by follow code (every error)',
  loaders: [onPhone(() => [], () => ({ others: [topics.scheduled()] }))],
  play: async ({ canvasElement, loaded }) => {
    const { server } = (loaded as Loaded).phone!;
    server.codes.set('K7QM3XPA9DRT', 't-scheduled');
    server.revoked.add('H4NW8ZCE2BUF');
    const r = () => root(canvasElement);
    await waitFor(() => expect(r()?.querySelector('#follow-code')).toBeTruthy(), { timeout: 10_000 });
    const input = () => r().querySelector<HTMLInputElement>('#follow-code')!;
    const summary = () => squash(r().querySelector('#follow-error-summary')?.textContent);
    const type = async (value: string) => {
      input().focus();
      input().select();
      const keyboard = realKeyboard();
      if (keyboard) {
        if (value) await keyboard.type(value);
        else await keyboard.press('{Backspace}');
        await keyboard.press('{Enter}');
      } else {
        input().value = value;
        input().dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        r().querySelector<HTMLButtonElement>('.add-form button[type=submit]')!.click();
      }
      await host(canvasElement).updateComplete;
    };
    await type('');
    await waitFor(() => expect(summary()).toContain(zh['mine.add.error.empty']));
    expect(r().activeElement?.id).toBe('follow-error-summary');
    await type('K7QM-3XPA');
    await waitFor(() => expect(summary()).toContain(zh['mine.add.error.invalid']));
    expect(input().value).toBe('K7QM-3XPA');
    await type('P9TR 6YGM 3KVS');
    await waitFor(() => expect(summary()).toContain(zh['mine.add.error.notFound']));
    await type('h4nw-8zce-2buf');
    await waitFor(() => expect(summary()).toContain(zh['mine.add.error.revoked']));
    server.rateLimited = true;
    await type('P9TR6YGM3KVS');
    await waitFor(() => expect(summary()).toContain(say('zh-CN', 'mine.add.error.rateLimited', { minutes: 3 })));
    server.rateLimited = false;
    server.online = false;
    await type('P9TR6YGM3KVS');
    await waitFor(() => expect(summary()).toContain(zh['mine.add.error.offline']));
    // The right code, lower case, no hyphens: the topic is added and its heading takes focus.
    server.online = true;
    server.answersPulls = true;
    await type('k7qm3xpa9drt');
    await waitFor(() => expect(r().activeElement?.getAttribute('data-topic-heading')).toBe('t-scheduled'), { timeout: 8000 });
    expect(r().querySelector('#follow-error-summary')).toBe(null);
    expect(text(canvasElement)).toContain('背街小巷路面破损');
  },
};

/** No connection: a topic raised here waits to be sent (its code to come); the others show when they were last updated. */
export const Offline: Story = {
  name: 'Offline, last updated',
  args: { topic: 't-offline' },
  loaders: [onPhone(one(topics.handling), () => ({ online: false, pending: submitted('t-offline', '村口路灯不亮', '2026-05-31T22:00:00.000Z') }))],
  play: async ({ canvasElement }) => {
    const [first, second] = await ready(canvasElement, 2);
    expect(squash(first!.textContent)).toContain(zh['mine.savedHere']);
    expect(squash(first!.textContent)).toContain(zh['follow.pending']);
    expect(squash(first!.textContent)).toContain(zh['mine.notUpdated']);
    expect(squash(second!.querySelector('.meta')?.textContent)).toBe(say('zh-CN', 'mine.updated', { date: dateText('zh-CN', PULLED_AT, true) }));
  },
};

/** A phone following a topic at each stage, in English. */
export const English: Story = {
  name: 'English (lang="en")',
  args: { lang: 'en' },
  loaders: [onPhone(() => [{ topic: topics.screening(), raisedHere: true }, { topic: topics.handling() }, { topic: topics.ratingOpen() }])],
  play: async ({ canvasElement }) => {
    const all = await ready(canvasElement, 3);
    expect(current(all[0]!)).toContain(stepLabel('screening', 'en'));
    expect(current(all[0]!)).toContain(en['mine.status.current']);
    expect(squash(all[1]!.textContent)).toContain(en['mine.measure.overdue']);
    expect(squash(all[1]!.textContent)).toContain('Responsible: Street office');
    expect(squash(all[2]!.textContent)).toContain('You can rate how satisfied you are until');
    expect(text(canvasElement)).toContain(en['mine.add.title']);
  },
};

/** In Chinese (`lang="zh-CN"`, the default), every state at once. */
export const EveryState: Story = {
  name: '中文 — every state at once',
  args: { lang: 'zh-CN' },
  loaders: [
    onPhone(
      async () => [
        { topic: topics.screening(), raisedHere: true },
        { topic: topics.rejected() },
        { topic: topics.merged() },
        { topic: topics.redirected() },
        { topic: topics.escalated() },
        { topic: topics.research() },
        { topic: topics.scheduled() },
        { topic: topics.handling() },
      ],
      () => ({ others: [topics.mergedInto()] }),
    ),
  ],
  play: async ({ canvasElement }) => {
    const all = await ready(canvasElement, 8);
    expect(all.every((c) => c.querySelector('[aria-current=step]'))).toBe(true);
    expect(text(canvasElement)).toContain(zh['mine.add.title']);
  },
};

/** Large text and targets for older residents (`large-text`). */
export const LargeText: Story = {
  name: 'Large text',
  args: { 'large-text': true, topic: 't-benches' },
  loaders: [onPhone(() => [{ topic: topics.ratingOpen(), raisedHere: true }])],
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    expect(host(canvasElement).hasAttribute('large-text')).toBe(true);
    expect(root(canvasElement).querySelector('consult-star-rating')?.hasAttribute('large-text')).toBe(true);
  },
};

/** Nothing followed yet: what "my topics" is, and the form to add one by its code. */
export const Empty: Story = {
  name: 'Nothing yet',
  loaders: [onPhone(() => [])],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(text(canvasElement)).toContain(zh['mine.empty']), { timeout: 10_000 });
    expect(root(canvasElement).querySelector('#follow-code')).toBeTruthy();
  },
};


/** Issue 17: "有进展时通知我" — an e-mail typed and sent with the keyboard; then where notices go (masked) and Stop notices. */
export const NoticesOptIn: Story = {
  name: 'Notices: opt in by e-mail',
  loaders: [onPhone(one(topics.handling), { notices: true })],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    await waitFor(() => expect(card!.querySelector('.notices-form')).toBeTruthy());
    expect(squash(card!.querySelector('.notices-optin')?.textContent)).toContain(zh['mine.notices.purpose']);
    const input = card!.querySelector<HTMLInputElement>('input[name=address]')!;
    expect(input.type).toBe('email');
    input.focus();
    const keyboard = realKeyboard();
    if (keyboard) {
      await keyboard.type('lihua.resident@example.org');
      await keyboard.press('{Enter}');
    } else {
      input.value = 'lihua.resident@example.org';
      input.dispatchEvent(new Event('input'));
      card!.querySelector<HTMLButtonElement>('.notices-form button[type=submit]')!.click();
    }
    await waitFor(() => expect(squash(card!.querySelector('.notices-active')?.textContent)).toContain('通知将发送到 l***@example.org'));
    expect(squash(card!.querySelector('.notices-active button')?.textContent)).toBe(zh['mine.notices.stop']);
  },
};

/** A wrong mobile number in English: the error summary takes focus, links to the field, what was typed stays. */
export const NoticesError: Story = {
  name: 'Notices: a wrong number (English)',
  args: { lang: 'en' },
  loaders: [onPhone(one(topics.handling), { notices: true })],
  play: async ({ canvasElement }) => {
    const [card] = await ready(canvasElement);
    await waitFor(() => expect(card!.querySelector('.notices-form')).toBeTruthy());
    const sms = card!.querySelector<HTMLInputElement>('input[type=radio][value=sms]')!;
    sms.click();
    await waitFor(() => expect(card!.querySelector<HTMLInputElement>('input[name=address]')!.type).toBe('tel'));
    const input = card!.querySelector<HTMLInputElement>('input[name=address]')!;
    input.value = '12';
    input.dispatchEvent(new Event('input'));
    card!.querySelector<HTMLButtonElement>('.notices-form button[type=submit]')!.click();
    await waitFor(() => expect(card!.querySelector('.error-summary')).toBeTruthy());
    expect(squash(card!.querySelector('.error-summary')?.textContent)).toContain(en['mine.notices.error.sms']);
    expect(card!.querySelector<HTMLInputElement>('input[name=address]')!.value).toBe('12');
  },
};
