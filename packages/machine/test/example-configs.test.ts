/**
 * The example configs in examples/configs/ are what a city copies first: each must parse,
 * speak both interface languages everywhere, and show what it was written to show.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { parseWorkflowConfig } from '../src/config/parse-config.js';
import { evaluateCondition } from '../src/config/condition.js';
import { LOCALES, STEP_ORDER } from '../src/config/config.types.js';
import type { Condition, FormField, WorkflowConfig } from '../src/config/config.types.js';

const configsDir = fileURLToPath(new URL('../../../examples/configs/', import.meta.url));
const schemaPath = fileURLToPath(new URL('../src/config/workflow.schema.json', import.meta.url));
const SCHEMA_REF = '../../packages/machine/src/config/workflow.schema.json';

const files = readdirSync(configsDir)
  .filter((name) => name.endsWith('.json'))
  .sort();

function readRaw(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(configsDir, file), 'utf8')) as Record<string, unknown>;
}

const parsed = new Map<string, WorkflowConfig>();

/** The parsed config of one example; fails the calling test if it does not parse. */
function config(file: string): WorkflowConfig {
  const cached = parsed.get(file);
  if (cached) return cached;
  const result = parseWorkflowConfig(readRaw(file));
  if (!result.ok) {
    assert.fail(
      `${file} does not parse:\n${result.errors.map((e) => `  ${e.pointer || '/'} [${e.code}] ${e.message}`).join('\n')}`,
    );
  }
  parsed.set(file, result.config);
  return result.config;
}

function fields(c: WorkflowConfig): FormField[] {
  return c.form.pages.flatMap((page) => page.fields);
}

function field(c: WorkflowConfig, name: string): FormField {
  const f = fields(c).find((x) => x.name === name);
  assert.ok(f, `no field named ${name}`);
  return f;
}

const CJK = /[\u3400-\u9fff]/;
const LATIN = /[A-Za-z]/;

/** Every object with a zh-CN or en key, with its JSON Pointer. */
function localizedTexts(node: unknown, pointer = ''): Array<{ pointer: string; text: Record<string, unknown> }> {
  if (Array.isArray(node)) return node.flatMap((item, i) => localizedTexts(item, `${pointer}/${i}`));
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = LOCALES.some((locale) => locale in record) ? [{ pointer, text: record }] : [];
  return [
    ...own,
    ...Object.entries(record).flatMap(([key, value]) =>
      localizedTexts(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
    ),
  ];
}

/** Conditions on a single field, as `[field, values]`; `all`/`any`/`not` are walked into. */
function conditionValues(condition: Condition): Array<[string, unknown[]]> {
  if ('all' in condition) return condition.all.flatMap(conditionValues);
  if ('any' in condition) return condition.any.flatMap(conditionValues);
  if ('not' in condition) return conditionValues(condition.not);
  if ('equals' in condition) return [[condition.field, [condition.equals]]];
  if ('in' in condition) return [[condition.field, [...condition.in]]];
  return [[condition.field, []]];
}

test('the three example programmes are there', () => {
  for (const name of ['wuxi-community.json', 'sichuan-courtyard.json', 'guangshui-frontline.json']) {
    assert.ok(files.includes(name), `examples/configs/${name} is missing`);
  }
});

for (const file of files) {
  test(`${file} parses with parseWorkflowConfig`, () => {
    config(file);
  });

  test(`${file} points editors at the schema`, () => {
    const raw = readRaw(file);
    assert.equal(Object.keys(raw)[0], '$schema', '$schema should be the first property');
    assert.equal(raw['$schema'], SCHEMA_REF);
    assert.equal(resolve(configsDir, SCHEMA_REF), schemaPath);
    assert.ok(existsSync(schemaPath));
  });

  test(`${file} has zh-CN and en for every localized text`, () => {
    const texts = localizedTexts(readRaw(file));
    assert.ok(texts.length > 20, `only ${texts.length} localized texts found`);
    for (const { pointer, text } of texts) {
      for (const locale of LOCALES) {
        const value = text[locale];
        assert.ok(typeof value === 'string' && value.trim() !== '', `${pointer}/${locale} is missing or empty`);
      }
      assert.match(String(text['zh-CN']), CJK, `${pointer}/zh-CN is not Chinese`);
      assert.match(String(text['en']), LATIN, `${pointer}/en is not English`);
      assert.notEqual(text['zh-CN'], text['en'], `${pointer}: zh-CN and en are the same text`);
    }
  });

  test(`${file} labels every step and uses one title field`, () => {
    const c = config(file);
    for (const step of c.steps) assert.ok(step.label, `the ${step.type} step has no label`);
    assert.equal(fields(c).filter((f) => f.role === 'title').length, 1);
  });
}

test('the examples differ in id and level', () => {
  const all = files.map(config);
  assert.equal(new Set(all.map((c) => c.id)).size, all.length, 'two examples share an id');
  assert.deepEqual(
    Object.fromEntries(
      ['wuxi-community.json', 'sichuan-courtyard.json', 'guangshui-frontline.json'].map((f) => [f, config(f).id]),
    ),
    {
      'wuxi-community.json': 'wuxi-youshi-haoshangliang',
      'sichuan-courtyard.json': 'sichuan-xiaowei-xieshang',
      'guangshui-frontline.json': 'guangshui-xieshang-yixian',
    },
  );
});

test('Wuxi: a community room with all seven steps, two conveners and every source', () => {
  const c = config('wuxi-community.json');
  assert.equal(c.level, 'community');
  assert.deepEqual(
    c.steps.map((s) => s.type),
    [...STEP_ORDER],
  );
  assert.equal(c.step.meeting.conveners, 2);
  assert.deepEqual(c.step.intake.sources.map((s) => s.id).sort(), ['government', 'grid', 'member', 'resident']);
  assert.deepEqual(c.step.screening?.escalation.levels, ['street', 'district']);
  assert.ok(c.step.screening?.channels.some((ch) => ch.id === 'petition'), 'no petition (信访) channel');
  assert.deepEqual(
    c.step.meeting.formats.map((f) => f.id),
    ['room', 'courtyard', 'stairwell', 'online'],
  );
  assert.equal(c.step.evaluation?.scale, 5);
  assert.equal(c.step.evaluation?.starLabels?.length, 5);
  assert.equal(c.step.evaluation?.starLabels?.[0]?.['zh-CN'], '非常不满意');
  assert.equal(c.step.evaluation?.starLabels?.[4]?.['zh-CN'], '非常满意');
  assert.equal(c.step.evaluation?.reopenThreshold, 3);
  assert.ok(c.form.pages.length >= 2, 'the intake form should have several pages');
  const photos = field(c, 'photos');
  assert.equal(photos.type, 'file');
  assert.deepEqual(photos.accept, ['image/jpeg', 'image/png', 'image/webp']);
  assert.equal(photos.maxSize, 5 * 1024 * 1024);
  assert.equal(photos.maxFiles, 3);
  const phone = field(c, 'phone');
  assert.equal(phone.type, 'tel');
  assert.ok(phone.pattern && new RegExp(phone.pattern).test('13812345678') && !new RegExp(phone.pattern).test('12345'));
  assert.deepEqual(phone.visibleWhen, { field: 'contactWanted', equals: 'yes' });
  assert.equal(field(c, 'consent').required, true);
  assert.equal(field(c, 'name').personal, true);
  assert.ok(c.privacy, 'a form with personal data needs a privacy notice');
  assert.equal(c.transport.type, 'local');
});

test('Sichuan: a village courtyard with no research step, channels with `when`, and a short anonymous form', () => {
  const c = config('sichuan-courtyard.json');
  assert.equal(c.level, 'village');
  assert.ok(!c.steps.some((s) => s.type === 'research'), 'the Sichuan example must not have a research step');
  assert.equal(c.step.research, undefined);
  assert.deepEqual(c.step.screening?.escalation.levels, ['town']);
  assert.equal(c.step.intake.anonymous, true);
  assert.equal(c.form.pages.length, 1, 'one page, fit for an old phone');
  assert.equal(c.step.meeting.maxRounds, 2);
  assert.deepEqual(
    c.step.meeting.formats.map((f) => f.id),
    ['courtyard', 'field-edge', 'big-tree', 'roaming'],
  );
  assert.equal(c.step.evaluation?.scale, 3);
  assert.equal(c.step.evaluation?.reopenThreshold, 2);
  assert.deepEqual(
    c.step.evaluation?.starLabels?.map((l) => l['zh-CN']),
    ['不满意', '基本满意', '满意'],
  );
  assert.ok(c.permissions['topic.submit'].includes('notable'), '乡贤 (notable) should be able to raise topics');

  const channels = c.step.screening?.channels ?? [];
  const routed = new Map<string, unknown[]>();
  for (const channel of channels) {
    if (!channel.when) continue;
    for (const [name, values] of conditionValues(channel.when)) {
      const f = field(c, name);
      const allowed = (f.options ?? []).map((o) => o.value);
      for (const value of values) {
        assert.ok(allowed.includes(String(value)), `channel ${channel.id}: ${name} has no option ${String(value)}`);
      }
      routed.set(channel.id, values);
    }
  }
  for (const id of ['petition', 'legal-aid', 'enforcement']) {
    assert.ok(routed.has(id), `channel ${id} should have a \`when\` condition`);
  }
  const kind = field(c, 'matterKind');
  assert.equal(kind.type, 'radio');
  assert.equal(kind.required, true, 'the matter-kind question must be answered, or routing can be dodged');
  const channelsFor = (matterKind: string) =>
    channels.filter((ch) => ch.when && evaluateCondition(ch.when, { title: '…', matterKind })).map((ch) => ch.id);
  assert.deepEqual(channelsFor('public'), [], 'a public matter must reach the courtyard meeting');
  assert.deepEqual(channelsFor('personal'), ['petition']);
  assert.deepEqual(channelsFor('lawsuit'), ['legal-aid']);
  assert.deepEqual(channelsFor('enforcement'), ['enforcement']);
  assert.deepEqual(
    (kind.options ?? []).map((o) => o.value).filter((v) => channelsFor(v).length === 0),
    ['public'],
    'only public matters may reach a courtyard meeting',
  );

  const { visibleWhen } = field(c, 'consent');
  assert.ok(visibleWhen, 'consent is asked only from those who leave a phone number');
  assert.equal(evaluateCondition(visibleWhen, { phone: '' }), false);
  assert.equal(evaluateCondition(visibleWhen, { phone: '13812345678' }), true);

  if (fields(c).some((f) => f.personal)) assert.ok(c.privacy, 'a personal field needs a privacy notice');
  assert.equal(c.transport.type, 'local');
});

test('Guangshui: a street programme with required research, a deadline for departments and http transport', () => {
  const c = config('guangshui-frontline.json');
  assert.ok(['town', 'street'].includes(c.level));
  assert.equal(c.step.research?.minFindingsLength, 50);
  assert.equal(c.step.handling.deadlineDays, 15);
  assert.deepEqual(
    c.step.handling.parties.map((p) => p.id).sort(),
    ['gas-company', 'housing-bureau', 'street-office', 'transport-bureau'],
  );
  assert.deepEqual(c.step.intake.sources.map((s) => s.id).sort(), ['government', 'member', 'resident']);
  assert.deepEqual(c.step.screening?.escalation.levels, ['county']);
  assert.equal(c.step.feedback?.minLength, 30);
  assert.equal(c.step.evaluation?.scale, 5);
  assert.equal(c.step.evaluation?.reopenThreshold, 4);
  assert.equal(c.step.evaluation?.windowDays, 30);
  assert.deepEqual(c.transport, { type: 'http', endpoint: '/api' });
  assert.ok(c.privacy, 'a form with personal data needs a privacy notice');
});
