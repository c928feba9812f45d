/**
 * The studio's "done when" test (issue 19): a new programme built from scratch in
 * `<consult-studio>` by keyboard only — real key presses through `sendKeys`, no clicks, no values
 * or properties set on the panes, no `doc.set`; the focus moves only by Tab, Shift+Tab and the
 * arrow keys. The test only reads what a person would see (and the document, to check it).
 *
 * 1. The start screen: a new programme from the template, its id typed; its titles in the
 *    Programme pane.
 * 2. The form pane: a select field with two options (labels in zh-CN and en), a text field shown
 *    only when the select equals one option (built with the pickers), required.
 * 3. The lifecycle pane: research switched on, the meeting's maxRounds, the evaluation threshold.
 * 4. The permissions pane: a grid worker (网格员) may publish the feedback, ticked with Space.
 * 5. The errors panel says there are no problems; the translations pane counts 0 missing and
 *    lists the texts built above.
 * 6. Export by keys (the Blob handed to `URL.createObjectURL` is captured, and the shell's link
 *    click kept from downloading: observation only, nothing is driven through it).
 * 7. The exported text is canonical, the checker accepts it, it holds exactly what was built, and
 *    the machine runs a topic through it from submit to closed: the condition makes the text field
 *    required when it holds, and the grid worker publishes the feedback, which the defaults refuse.
 * 8. axe on the studio at the end.
 *
 * A second test opens every example config from the real reference server, exports it by keys
 * without a change, and gets its canonical text byte for byte.
 */
import { expect } from '@esm-bundle/chai';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import {
  applyEntry,
  DEFAULT_PERMISSIONS,
  EVENT_LABELS,
  EVENT_TYPES,
  parseWorkflowConfig,
  replay,
  ROLES,
  stateName,
  type LogEntry,
  type TopicEvent,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine';
import type { ConsultStudio } from '../src/shell/studio.component.js';
import { fromTemplate, TEMPLATES } from '../src/shell/templates.js';
import type { JsonObject } from '../src/pointer.js';
import { expectAccessible } from '../../elements/test/a11y.js';
import { announced, captureDownloads, clearDrafts, editing, errorsPanel, EXAMPLES, exampleText, FakeServer, find, mountStudio, shadow, squash, waitFor } from './shell-helpers.js';
import { focusLandsOn, focused, id, pointer, press, pressUntil, retype, settle, tabTo, type } from './keyboard.js';

const PROGRAMME = 'chengxi-lift';
const TITLE = { 'zh-CN': '城西社区坡道议事', en: 'Chengxi ramp consultations' };
const F = '/form/pages/0/fields';
const SELECT = `${F}/2`;
const TEXT = `${F}/3`;

beforeEach(async () => {
  await clearDrafts();
  await setViewport({ width: 1280, height: 900 });
});

afterEach(() => {
  document.body.replaceChildren();
});

/** A pane's element once the shell has loaded it (waits; the shell loads a pane when its tab is shown). */
async function paneLoaded(el: ConsultStudio, pane: 'form' | 'lifecycle' | 'settings' | 'permissions' | 'translations'): Promise<HTMLElement> {
  await waitFor(() => !!el.pane(pane)?.shadowRoot?.childElementCount, `the ${pane} pane`, 15_000);
  await settle(el);
  return el.pane(pane)!;
}

/** The value shown by a select element that has the focus. */
const selectValue = () => (focused() as HTMLSelectElement | null)?.value;

/** Shift+Tab back to the selected editing tab, then the arrow keys to another tab. */
async function switchTab(el: ConsultStudio, from: string, to: string, key: 'ArrowRight' | 'ArrowLeft' = 'ArrowRight'): Promise<void> {
  await tabTo(id(`tab-${from}`), `the ${from} tab`, { back: true, max: 400 });
  await pressUntil(key, () => focused()?.id === `tab-${to}`, `the ${to} tab`, 8);
  await settle(el);
  expect(find(el, `#tab-${to}`).getAttribute('aria-selected')).to.equal('true');
}

describe('a new programme from scratch, by keyboard only', () => {
  it('builds fields, a condition, the lifecycle and a permission; exports; the checker accepts it and the machine runs a topic through it', async function () {
    this.timeout(180_000);
    // ── 1. The start screen: new from the template, the id typed ───────────────────────────
    const el = await mountStudio({ server: new FakeServer(), lang: 'zh-CN' });
    await waitFor(() => !!shadow(el).querySelector('form[data-template] input[name=id]'), 'the start screen');
    await settle(el);
    await tabTo((e) => e.getAttribute('name') === 'id' && !!e.closest('form[data-template]'), 'the new programme id');
    await type(PROGRAMME);
    await press('Enter');
    await editing(el);
    expect(el.doc.get('/id')).to.equal(PROGRAMME);
    expect(el.base).to.deep.include({ id: PROGRAMME, isNew: true });
    // The Programme pane: its titles. Tab into the tabs, the arrow keys to 项目 (Programme, the third tab).
    await paneLoaded(el, 'form');
    await tabTo(id('tab-form'), 'the form tab', { max: 20 });
    await pressUntil('ArrowRight', () => focused()?.id === 'tab-settings', 'the Programme tab', 4);
    const settings = await paneLoaded(el, 'settings');
    await tabTo(pointer('/title/zh-CN'), 'the programme title in Chinese', { max: 20 });
    expect((settings.shadowRoot!.querySelector('[data-pointer="/id"]') as HTMLInputElement).value).to.equal(PROGRAMME);
    await retype(TITLE['zh-CN']);
    await tabTo(pointer('/title/en'), 'the programme title in English', { max: 2 });
    await retype(TITLE.en);
    await settle(el);
    expect(squash(find(el, '[part=toolbar] h1').textContent)).to.equal(TITLE['zh-CN']);
    await switchTab(el, 'settings', 'form', 'ArrowLeft');

    // ── 2. The form pane ───────────────────────────────────────────────────────────────────
    await paneLoaded(el, 'form');
    // A select field: choose its type, add it.
    await tabTo((e) => e.localName === 'select' && e.id.startsWith('add-type-'), 'the new field type');
    await pressUntil('ArrowDown', () => selectValue() === 'select', 'the select type');
    await tabTo((e) => e.getAttribute('data-action') === 'add-field', 'Add field');
    await press('Enter');
    await settle(el);
    // The focus goes to the new field's zh-CN label.
    await focusLandsOn(pointer(`${SELECT}/label/zh-CN`), 'the new field’s label');
    await retype('出行方式');
    await press('Tab');
    expect(focused()?.getAttribute('data-pointer')).to.equal(`${SELECT}/label/en`);
    await retype('Way of getting in');
    // Its name, two controls back.
    await tabTo(pointer(`${SELECT}/name`), 'the field name', { back: true, max: 4 });
    await retype('access');
    // The first option's value and labels.
    await tabTo(pointer(`${SELECT}/options/0/value`), 'option 1 value', { max: 40 });
    await retype('lift');
    await press('Tab');
    expect(focused()?.getAttribute('data-pointer')).to.equal(`${SELECT}/options/0/label/zh-CN`);
    await retype('电梯');
    await press('Tab');
    await retype('Lift');
    // A second option.
    await tabTo(pointer(`${SELECT}/options`), 'Add option', { max: 10 });
    await press('Enter');
    await settle(el);
    await focusLandsOn(pointer(`${SELECT}/options/1/value`), 'option 2 value');
    await retype('ramp');
    await press('Tab');
    await retype('坡道');
    await press('Tab');
    expect(focused()?.getAttribute('data-pointer')).to.equal(`${SELECT}/options/1/label/en`);
    await retype('Ramp');

    // A text field after it.
    await tabTo((e) => e.localName === 'select' && e.id.startsWith('add-type-'), 'the new field type', { max: 60 });
    await pressUntil('ArrowUp', () => selectValue() === 'text', 'the text type');
    await tabTo((e) => e.getAttribute('data-action') === 'add-field', 'Add field', { max: 2 });
    await press('Enter');
    await settle(el);
    await focusLandsOn(pointer(`${TEXT}/label/zh-CN`), 'the text field’s label');
    await retype('坡道位置');
    await press('Tab');
    await retype('Where the ramp should go');
    await tabTo(pointer(`${TEXT}/name`), 'the field name', { back: true, max: 4 });
    await retype('rampPlace');
    // Required, with Space.
    await tabTo(pointer(`${TEXT}/required`), 'Required', { max: 10 });
    await press('Space');
    await settle(el);
    expect((focused() as HTMLInputElement).checked).to.equal(true);
    // The condition: built with the pickers.
    await tabTo(pointer(`${TEXT}/visibleWhen`), 'Add a condition', { max: 20 });
    expect(focused()?.localName).to.equal('button');
    await press('Enter');
    await settle(el);
    await focusLandsOn(pointer(`${TEXT}/visibleWhen/field`), 'the condition’s field picker');
    expect(selectValue()).to.equal('access');
    await tabTo(pointer(`${TEXT}/visibleWhen/equals`), 'the condition’s value picker', { max: 4 });
    expect(selectValue()).to.equal('s:lift');
    await pressUntil('ArrowDown', () => selectValue() === 's:ramp', 'the ramp option');
    await settle(el);
    const form = el.pane('form')!;
    expect(squash(form.shadowRoot!.textContent)).to.contain('出行方式');

    // ── 3. The lifecycle pane ──────────────────────────────────────────────────────────────
    await switchTab(el, 'form', 'lifecycle');
    await paneLoaded(el, 'lifecycle');
    await tabTo(pointer('/steps#research'), 'Use research', { max: 100 });
    expect((focused() as HTMLInputElement).checked).to.equal(false);
    await press('Space');
    await settle(el);
    await tabTo(pointer('/steps/3/maxRounds'), 'the meeting’s rounds', { max: 120 });
    await retype('2');
    await tabTo(pointer('/steps/6/reopenThreshold'), 'the evaluation threshold', { max: 120 });
    await retype('4');
    await settle(el);

    // ── 4. The permissions pane ────────────────────────────────────────────────────────────
    await switchTab(el, 'lifecycle', 'permissions');
    await paneLoaded(el, 'permissions');
    await tabTo((e) => e.getAttribute('data-r') === '0' && e.getAttribute('data-c') === '0', 'the first tick box', { max: 20 });
    const row = EVENT_TYPES.indexOf('feedback.publish');
    const column = ROLES.indexOf('grid');
    for (let r = 0; r < row; r += 1) await press('ArrowDown');
    for (let c = 0; c < column; c += 1) await press('ArrowRight');
    const box = focused() as HTMLInputElement;
    expect(box.dataset.row).to.equal('feedback.publish');
    expect(box.dataset.role).to.equal('grid');
    expect(box.checked).to.equal(false);
    await press('Space');
    await settle(el);
    expect(box.checked).to.equal(true);
    // The shell's live region reads the tick out.
    await announced(el, `网格员现在可以发送「${EVENT_LABELS['feedback.publish']['zh-CN']}」`);

    // ── 5. No problems; no missing translations ────────────────────────────────────────────
    await settle(el);
    expect(squash(errorsPanel(el).querySelector('h2')?.textContent), JSON.stringify(el.doc.errors)).to.equal('配置无误');
    await switchTab(el, 'permissions', 'translations');
    const translations = await paneLoaded(el, 'translations');
    const counts = squash(translations.shadowRoot!.querySelector('[part=counts]')?.textContent);
    expect(counts).to.match(/^共 \d+ 条文字 中文和英文都齐了。$/);
    expect(counts).to.not.contain('缺');
    // The texts typed above are there: the search finds them in both languages.
    await tabTo(pointer('#search'), 'the translations search', { max: 10 });
    await type('坡道');
    await settle(el);
    const rows = [...translations.shadowRoot!.querySelectorAll('tbody tr')].map((r) =>
      [...r.querySelectorAll<HTMLInputElement>('input[lang]')].map((i) => i.value).join(' / '),
    );
    expect(rows).to.deep.equal([`${TITLE['zh-CN']} / ${TITLE.en}`, '坡道 / Ramp', '坡道位置 / Where the ramp should go']);

    // ── 6. Export by keys ──────────────────────────────────────────────────────────────────
    const downloads = captureDownloads();
    let text: string;
    try {
      await tabTo((e) => e.getAttribute('data-action') === 'export', 'Export', { back: true, max: 400 });
      await press('Enter');
      await waitFor(() => downloads.files.length === 1, 'the download');
      expect(downloads.files[0]!.name).to.equal(`${PROGRAMME}.json`);
      text = await downloads.files[0]!.blob.text();
    } finally {
      downloads.restore();
    }

    // ── 7. What was exported ───────────────────────────────────────────────────────────────
    const exported = JSON.parse(text) as JsonObject;
    expect(text).to.equal(`${JSON.stringify(exported, null, 2)}\n`, 'canonical text');
    const parsed = parseWorkflowConfig(exported);
    expect(parsed.ok, JSON.stringify(parsed.ok ? [] : parsed.errors)).to.equal(true);
    const config = (parsed as { config: WorkflowConfig }).config;
    expect(exported.id).to.equal(PROGRAMME);
    expect(exported.title).to.deep.equal(TITLE);
    const fields = (exported.form as { pages: Array<{ fields: JsonObject[] }> }).pages[0]!.fields;
    expect(fields.map((f) => f.name)).to.deep.equal(['title', 'description', 'access', 'rampPlace']);
    expect(fields[2]).to.deep.equal({
      name: 'access',
      type: 'select',
      label: { 'zh-CN': '出行方式', en: 'Way of getting in' },
      options: [
        { value: 'lift', label: { 'zh-CN': '电梯', en: 'Lift' } },
        { value: 'ramp', label: { 'zh-CN': '坡道', en: 'Ramp' } },
      ],
    });
    expect(fields[3]).to.deep.equal({
      name: 'rampPlace',
      type: 'text',
      label: { 'zh-CN': '坡道位置', en: 'Where the ramp should go' },
      required: true,
      visibleWhen: { field: 'access', equals: 'ramp' },
    });
    const steps = exported.steps as JsonObject[];
    expect(steps.map((s) => s.type)).to.deep.equal(['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']);
    expect(steps[3]!.maxRounds).to.equal(2);
    expect(steps[6]!.reopenThreshold).to.equal(4);
    expect(exported.permissions).to.deep.equal({ 'feedback.publish': [...DEFAULT_PERMISSIONS['feedback.publish'], 'grid'] });
    // Exactly this and nothing else: the template with these changes.
    const expected = fromTemplate(TEMPLATES[0]!, PROGRAMME);
    expected.title = TITLE;
    (expected.form as { pages: Array<{ fields: JsonObject[] }> }).pages[0]!.fields.push(fields[2]!, fields[3]!);
    const templateSteps = expected.steps as JsonObject[];
    templateSteps.splice(2, 0, steps[2]!);
    templateSteps[3] = { ...templateSteps[3]!, maxRounds: 2 };
    templateSteps[6] = { ...templateSteps[6]!, reopenThreshold: 4 };
    expected.permissions = exported.permissions!;
    expect(exported).to.deep.equal(expected);
    expect(config.step.meeting.maxRounds).to.equal(2);
    expect(config.step.evaluation?.reopenThreshold).to.equal(4);
    expect(config.permissions['feedback.publish']).to.include('grid');

    // The machine runs a topic through it, from submit to closed.
    runTopic(config, exported);

    // ── 8. axe ─────────────────────────────────────────────────────────────────────────────
    await settle(el);
    await expectAccessible(el, 'the studio after building a programme');
  });
});

/** Drives one topic from submit to closed through the machine's own replay, each entry accepted. */
function runTopic(config: WorkflowConfig, exported: JsonObject): void {
  const convener = { role: 'convener' as const, id: 'c1' };
  const department = { role: 'department' as const, id: 'd1' };
  const grid = { role: 'grid' as const, id: 'g1' };
  const resident = { role: 'resident' as const, id: 'r1' };
  let clock = Date.parse('2026-03-02T01:00:00.000Z');
  const later = (hours = 1) => new Date((clock += hours * 3_600_000)).toISOString();
  const topics = new Map<string, TopicSnapshot>();
  const entries: LogEntry[] = [];
  const send = (event: TopicEvent): void => {
    const { by, at, ...body } = event;
    const entry: LogEntry = { id: `e${entries.length + 1}`, topicId: 't1', seq: entries.length + 1, by, at, event: body as LogEntry['event'] };
    const refusal = applyEntry(config, topics, entry);
    expect(refusal, `${event.type}: ${JSON.stringify(refusal)}`).to.equal(null);
    entries.push(entry);
  };
  const values = { title: '3号楼门口修坡道', description: '三号楼门口有台阶，轮椅和婴儿车进不去。', access: 'ramp' };
  // The condition holds (access = ramp): the required field is asked for.
  const { rampPlace: _none, ...missing } = { ...values, rampPlace: '' };
  const refused = applyEntry(config, new Map(), { id: 'x', topicId: 't0', seq: 0, by: resident, at: later(), event: { type: 'topic.submit', values: missing, source: 'resident' } });
  expect(refused?.code).to.equal('missing-value');
  send({ type: 'topic.submit', values: { ...values, rampPlace: '东侧单元门 The east entrance' }, source: 'resident', by: resident, at: later() });
  send({ type: 'screening.accept', by: convener, at: later() });
  send({ type: 'research.complete', findings: '走访了二十户居民，十八户支持修坡道。Visited 20 households; 18 support a ramp.', by: convener, at: later() });
  const start = later(24 * 7);
  clock -= 24 * 7 * 3_600_000;
  send({
    type: 'meeting.schedule',
    format: config.step.meeting.formats[0]!.id,
    start,
    place: '社区议事室 Community room',
    conveners: [
      { name: '李书记 Secretary Li', role: 'convener' },
      { name: '王委员 Member Wang', role: 'member' },
    ],
    participants: [{ name: '陈阿姨 Auntie Chen', role: 'representative' }],
    by: convener,
    at: later(),
  });
  clock = Date.parse(start);
  send({ type: 'meeting.start', by: convener, at: later(0) });
  for (let i = 1; i < config.step.meeting.agenda.length; i += 1) send({ type: 'meeting.advance', by: convener, at: later() });
  send({
    type: 'meeting.record',
    time: start,
    place: '社区议事室 Community room',
    topic: '3号楼门口修坡道 A ramp for building 3',
    measures: [{ text: '在东侧单元门修一条坡道 A ramp at the east entrance', party: config.step.handling.parties[0]!.id }],
    effect: '达成共识 Consensus reached',
    consensus: 'full',
    by: convener,
    at: later(),
  });
  const measureId = topics.get('t1')!.context.measures[0]!.id;
  send({ type: 'measure.adopt', measureId, by: department, at: later() });
  send({ type: 'measure.implement', measureId, result: '坡道已修好 The ramp is built', by: department, at: later(24) });
  // The grid worker publishes the feedback: the permission ticked above (the defaults refuse it).
  const feedback: TopicEvent = { type: 'feedback.publish', text: '坡道已经修好并通过验收，欢迎监督。The ramp is built and inspected.', by: grid, at: later() };
  const { by, at, ...body } = feedback;
  const feedbackEntry: LogEntry = { id: 'fb', topicId: 't1', seq: entries.length + 1, by, at, event: body as LogEntry['event'] };
  const { permissions: _ticked, ...withoutPermissions } = exported;
  const defaults = parseWorkflowConfig(withoutPermissions);
  expect(defaults.ok).to.equal(true);
  const underDefaults = replay((defaults as { config: WorkflowConfig }).config, entries);
  expect(underDefaults.refused).to.deep.equal([]);
  expect(applyEntry((defaults as { config: WorkflowConfig }).config, underDefaults.topics, feedbackEntry)?.code).to.equal('role-not-permitted');
  send(feedback);
  expect(stateName(topics.get('t1')!)).to.equal('evaluation');
  send({ type: 'rating.submit', stars: 5, by: resident, at: later() });
  send({ type: 'evaluation.close', by: convener, at: later() });
  expect(stateName(topics.get('t1')!)).to.equal('closed');
  // The log replays to the same end.
  const again = replay(config, entries);
  expect(again.refused).to.deep.equal([]);
  expect(stateName(again.topics.get('t1')!)).to.equal('closed');
}

describe('every example config, opened from the real server and exported by keys without a change', () => {
  let server: { handle: number; endpoint: string };

  before(async function () {
    this.timeout(120_000);
    server = (await executeServerCommand('studio-server-start', { programmes: EXAMPLES.map((n) => `${n}.json`) })) as typeof server;
  });

  after(async () => {
    if (server) await executeServerCommand('studio-server-stop', { handle: server.handle });
  });

  for (const name of EXAMPLES) {
    it(`${name}: the exported text is the file's canonical text, byte for byte`, async () => {
      const original = await exampleText(name);
      const programmeId = (JSON.parse(original) as JsonObject).id as string;
      const el = document.createElement('consult-studio');
      el.setAttribute('lang', 'en');
      el.setAttribute('endpoint', server.endpoint);
      document.body.append(el);
      await waitFor(() => !!shadow(el).querySelector(`[data-open="${programmeId}"]`), `${programmeId} on the start screen`, 10_000);
      await settle(el);
      await tabTo((e) => e.getAttribute('data-open') === programmeId, `open ${programmeId}`);
      await press('Enter');
      await editing(el);
      await settle(el);
      const downloads = captureDownloads();
      try {
        await tabTo((e) => e.getAttribute('data-action') === 'export', 'Export', { back: true });
        await press('Enter');
        await waitFor(() => downloads.files.length === 1, 'the download');
      } finally {
        downloads.restore();
      }
      expect(downloads.files[0]!.name).to.equal(`${programmeId}.json`);
      expect(await downloads.files[0]!.blob.text()).to.equal(`${JSON.stringify(JSON.parse(original), null, 2)}\n`);
    });
  }
});
