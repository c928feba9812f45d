import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import type { ConsultStore } from '@consult-kit/store';
import { everyFieldTypeConfig, localConfig, offlineStore, seededStore, type ConfigName } from './support/programme.js';
import { element, squash, type StoryArgs } from './support/render.js';
import { choose, field, fillWuxiFirstPage, formReady, formRoot, heading, pressSubmit, tick, typeInto } from './support/form.js';

/** Each story gets a fresh store in an IndexedDB database of its own (no draft from another story). */
const withStore = (name: ConfigName) => async ({ id }: { id: string }) => ({ store: await seededStore(`storybook-${id}`, name) });

type Loaded = { store?: ConsultStore };

const render = (args: StoryArgs, { loaded }: { loaded: Loaded }): HTMLElement => element('consult-topic-form', args, loaded.store ? { store: loaded.store } : {});

const meta = {
  title: 'Components/Topic form 议题征集',
  id: 'components-topic-form',
  component: 'consult-topic-form',
  loaders: [withStore('wuxi')],
  render,
  args: {},
  parameters: {
    docs: {
      description: {
        component:
          'The intake form built from a city config: pages with progress, GOV.UK-style error summary, autosaved drafts, privacy notice and consent, anonymous option, offline submit. Each story uses a fresh IndexedDB store.',
      },
    },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The Wuxi example's first page: text, textarea, drop-down, location, photos, number. */
export const WuxiFirstPage: Story = {
  name: 'Wuxi — page 1 of 2',
  play: async ({ canvasElement }) => {
    await formReady(canvasElement);
    expect(heading(canvasElement)).toMatch(/您想商量的事|The matter to talk over/);
    expect(squash(formRoot(canvasElement).querySelector('[part~=progress]')?.textContent)).toMatch(/1.*2/);
  },
};

/** Page 2 (您的信息): name, contact choice revealing a phone field, privacy notice and consent. */
export const WuxiSecondPage: Story = {
  name: 'Wuxi — page 2, phone revealed',
  play: async ({ canvasElement }) => {
    await formReady(canvasElement);
    await fillWuxiFirstPage(canvasElement);
    expect(heading(canvasElement)).toMatch(/您的信息|About you/);
    expect(field(canvasElement, 'f-phone')).toBe(null);
    await tick(canvasElement, 'f-contactWanted-0');
    await waitFor(() => expect(field(canvasElement, 'f-phone')).toBeTruthy());
    expect(formRoot(canvasElement).querySelector('[part=privacy]')).toBeTruthy();
  },
};

/** One field of every type the example configs use: text, textarea, select, location, file, number, radio, tel, consent, checkbox, date, email. */
export const EveryFieldType: Story = {
  name: 'Every field type',
  render: (args) => element('consult-topic-form', { 'db-name': 'storybook-every-field-type', ...args }, { config: everyFieldTypeConfig() }),
  loaders: [],
  play: async ({ canvasElement }) => {
    await formReady(canvasElement);
    const fields = (everyFieldTypeConfig().form as { pages: Array<{ fields: Array<{ name: string; type: string }> }> }).pages[0]!.fields;
    expect(new Set(fields.map((f) => f.type)).size).toBe(12);
    for (const f of fields) {
      expect(field(canvasElement, `f-${f.name}`) ?? field(canvasElement, `f-${f.name}-0`), `the ${f.type} field "${f.name}"`).toBeTruthy();
    }
  },
};

/** Next pressed on an empty page: the error summary takes focus and links to each field; nothing typed is lost. */
export const Errors: Story = {
  name: 'Error summary',
  play: async ({ canvasElement }) => {
    await formReady(canvasElement);
    await typeInto(canvasElement, 'f-title', '电梯');
    await pressSubmit(canvasElement);
    await waitFor(() => expect(formRoot(canvasElement).activeElement?.id).toBe('error-summary'));
    const links = [...formRoot(canvasElement).querySelectorAll<HTMLAnchorElement>('#error-summary a')];
    expect(links.length).toBeGreaterThanOrEqual(3); // title too short, description and category missing
    expect(field(canvasElement, 'f-title')!.value, 'what was typed stays').toBe('电梯');
    expect(field(canvasElement, 'f-title')!.getAttribute('aria-invalid')).toBe('true');
  },
};

/** A draft saved on this device earlier is restored, and the form says so (with "Start again"). */
export const RestoredDraft: Story = {
  name: 'Restored draft',
  loaders: [
    async ({ id }) => {
      const store = await seededStore(`storybook-${id}`, 'wuxi');
      await store.saveDraft({
        key: 'intake:wuxi-youshi-haoshangliang',
        values: { title: '3号楼加装电梯', description: '三号楼住了很多老人，上下楼很难，希望社区组织大家商量加装电梯。', category: 'lift', name: '陈阿姨' },
        files: {},
        page: 1,
        updatedAt: '2026-05-20T02:30:00.000Z',
      });
      return { store };
    },
  ],
  play: async ({ canvasElement }) => {
    await formReady(canvasElement);
    await waitFor(() => expect(formRoot(canvasElement).querySelector('[part=notice]')).toBeTruthy());
    expect(heading(canvasElement)).toMatch(/您的信息|About you/);
    expect(field(canvasElement, 'f-name')!.value).toBe('陈阿姨');
  },
};

/**
 * Filled with the keyboard and submitted while the city's server cannot be reached: the topic is
 * saved on this device and will be sent — said plainly; its follow code will appear once sent.
 */
export const OfflineQueued: Story = {
  name: 'Submitted offline (queued)',
  loaders: [async ({ id }) => ({ store: await offlineStore(`storybook-${id}`, 'sichuan') })],
  play: async ({ canvasElement }) => {
    await formReady(canvasElement);
    await typeInto(canvasElement, 'f-title', '村口路灯不亮');
    await tick(canvasElement, 'f-matterKind-0');
    await pressSubmit(canvasElement);
    await waitFor(() => expect(formRoot(canvasElement).activeElement?.id).toBe('done-title'), { timeout: 8000 });
    await waitFor(() => expect(squash(formRoot(canvasElement).querySelector('.delivery')?.textContent)).toMatch(/已保存在本机|Saved on this device/));
    // No follow code before the server has answered: the confirmation says it will come.
    expect(squash(formRoot(canvasElement).querySelector('[part=code-pending]')?.textContent)).toMatch(/查询码|follow code/);
  },
};

/** The whole Sichuan form filled and submitted with the keyboard: the confirmation with the reference number. */
export const Submitted: Story = {
  name: 'Filled and submitted',
  loaders: [withStore('sichuan')],
  play: async ({ canvasElement }) => {
    const submitted: CustomEvent[] = [];
    canvasElement.addEventListener('consult-submit', (e) => submitted.push(e as CustomEvent));
    await formReady(canvasElement);
    await typeInto(canvasElement, 'f-title', '二组进组路坑多');
    await tick(canvasElement, 'f-matterKind-0');
    await typeInto(canvasElement, 'f-details', '下雨天老人孩子不好走。');
    await typeInto(canvasElement, 'f-phone', '13900001111');
    await waitFor(() => expect(field(canvasElement, 'f-consent')).toBeTruthy());
    await tick(canvasElement, 'f-consent');
    await pressSubmit(canvasElement);
    await waitFor(() => expect(formRoot(canvasElement).activeElement?.id).toBe('done-title'), { timeout: 8000 });
    expect(submitted).toHaveLength(1);
    expect(submitted[0]!.detail.entry.event.values.title).toBe('二组进组路坑多');
    expect(submitted[0]!.detail.title).toBe('二组进组路坑多');
    await waitFor(() => expect(squash(formRoot(canvasElement).querySelector('.delivery')?.textContent)).not.toBe(''));
  },
};

/** Sichuan allows anonymous topics: ticking the option hides the personal fields (and the consent that depends on them). */
export const Anonymous: Story = {
  name: 'Anonymous',
  loaders: [withStore('sichuan')],
  play: async ({ canvasElement }) => {
    await formReady(canvasElement);
    await typeInto(canvasElement, 'f-phone', '13900001111');
    await waitFor(() => expect(field(canvasElement, 'f-consent')).toBeTruthy());
    await tick(canvasElement, 'anonymous');
    await waitFor(() => expect(field(canvasElement, 'f-phone')).toBe(null));
    expect(field(canvasElement, 'f-consent')).toBe(null);
  },
};

/** In English (`lang="en"` on the element; the toolbar's language sets it on an ancestor). */
export const English: Story = {
  name: 'English (lang="en")',
  args: { lang: 'en' },
  play: async ({ canvasElement }) => {
    await formReady(canvasElement);
    expect(heading(canvasElement)).toBe('The matter to talk over');
  },
};

/** In Chinese (`lang="zh-CN"`, the default). */
export const Chinese: Story = {
  name: '中文 (lang="zh-CN")',
  args: { lang: 'zh-CN' },
  play: async ({ canvasElement }) => {
    await formReady(canvasElement);
    expect(heading(canvasElement)).toBe('您想商量的事');
  },
};

/** Large text and targets for older residents (`large-text`). */
export const LargeText: Story = { name: 'Large text', args: { 'large-text': true } };

/** A council member raising a topic may choose its source (委员荐题…). */
export const MemberWithSources: Story = {
  name: 'Council member (sources)',
  args: { 'user-role': 'member', source: 'member' },
  play: async ({ canvasElement }) => {
    await formReady(canvasElement);
    await waitFor(() => expect(field(canvasElement, 'source-0')).toBeTruthy());
    const chosen = formRoot(canvasElement).querySelector<HTMLInputElement>('input[name="$source"]:checked');
    expect(chosen?.value).toBe('member');
  },
};

/** A config with mistakes never starts: every fault is listed with its JSON Pointer. */
export const ConfigErrors: Story = {
  name: 'Config with errors',
  loaders: [],
  render: (args) => {
    const broken = { ...localConfig('wuxi'), form: { pages: [] }, defaultLocale: 'fr' };
    return element('consult-topic-form', { 'db-name': 'storybook-config-errors', ...args }, { config: broken });
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(formRoot(canvasElement)?.querySelector('[part=problem]')).toBeTruthy(), { timeout: 8000 });
    expect(squash(formRoot(canvasElement).querySelector('[part=problem]')!.textContent)).toMatch(/\/defaultLocale|\/form/);
  },
};

/** The Guangshui example: a date, tick boxes and an e-mail field. */
export const Guangshui: Story = {
  name: 'Guangshui — date, tick boxes',
  loaders: [withStore('guangshui')],
  play: async ({ canvasElement }) => {
    await formReady(canvasElement);
    await choose(canvasElement, 'f-area', 'gas');
    expect(field(canvasElement, 'f-noticedOn')!.type).toBe('date');
  },
};
