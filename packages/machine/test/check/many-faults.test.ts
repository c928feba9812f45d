/**
 * Bad input as the studio meets it (issue 19): a pasted config with 50 faults shows all 50, each
 * with its pointer, and the check never throws; a field type from a newer version is reported
 * by its own code, so the studio can keep the field and show it read-only.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSection, parseWorkflowConfig } from '../../src/config/parse-config.js';
import { CONFIG_SECTIONS, sectionOf } from '../../src/config/check/sections.js';
import { FIELD_TYPES, type ConfigError } from '../../src/config/config.types.js';
import schemaDocument from '../../src/config/workflow.schema.json' with { type: 'json' };
import { example, type Config } from './helpers.js';

/** A copy of the Wuxi example with 52 faults, each in its own place, and the [pointer, code] each must give. */
function fiftyFaults(): { config: Config; expected: Array<[string, string]> } {
  const c = example();
  const expected: Array<[string, string]> = [];
  const fault = (pointer: string, code: string, change: () => void) => {
    change();
    expected.push([pointer, code]);
  };
  c.form.pages.forEach((page: Config, p: number) => {
    fault(`/form/pages/${p}/title`, 'required', () => delete page.title);
    page.fields.forEach((field: Config, f: number) => {
      const at = `/form/pages/${p}/fields/${f}`;
      fault(`${at}/label`, 'type', () => (field.label = 42));
      fault(`${at}/colour`, 'unknown-property', () => (field.colour = 'red'));
    });
  });
  fault('/form/pages/0/fields/5/type', 'unknown-field-type', () => (c.form.pages[0].fields[5].type = 'rating'));
  const [intake, screening, , meeting, handling, , evaluation] = c.steps;
  intake.sources.forEach((s: Config, i: number) => fault(`/steps/0/sources/${i}/label`, 'type', () => (s.label = 'x')));
  screening.channels.forEach((ch: Config, i: number) => fault(`/steps/1/channels/${i}/url`, 'url-scheme', () => (ch.url = 'javascript:void(0)')));
  meeting.formats.forEach((f: Config, i: number) => fault(`/steps/3/formats/${i}/label/zh-CN`, 'required', () => delete f.label['zh-CN']));
  handling.parties.forEach((party: Config, i: number) => fault(`/steps/4/parties/${i}/label/en`, 'required', () => delete party.label.en));
  evaluation.starLabels.forEach((l: Config, i: number) => fault(`/steps/6/starLabels/${i}/en`, 'required', () => delete l.en));
  for (const event of ['topic.sumbit', 'rating.give', 'measure.finish']) fault(`/permissions/${event}`, 'unknown-property', () => (c.permissions[event] = ['admin']));
  fault('/id', 'pattern', () => (c.id = 'Wuxi Community'));
  fault('/version', 'pattern', () => (c.version = 'v1'));
  fault('/defaultLocale', 'enum', () => (c.defaultLocale = 'zh'));
  fault('/transport/type', 'enum', () => (c.transport = { type: 'ftp' }));
  fault('/privacy/url', 'url-scheme', () => (c.privacy.url = 'data:text/html,x'));
  return { config: c, expected };
}

describe('a pasted config with 50 faults', () => {
  it('shows every fault, each with its pointer and a message, and nothing else', () => {
    const { config, expected } = fiftyFaults();
    assert.ok(expected.length >= 50, `the fixture has ${expected.length} faults`);
    assert.equal(new Set(expected.map(([p]) => p)).size, expected.length, 'each fault has a place of its own');
    let result: ReturnType<typeof parseWorkflowConfig> | undefined;
    // Pasted: it arrives as text.
    assert.doesNotThrow(() => (result = parseWorkflowConfig(JSON.parse(JSON.stringify(config)))));
    assert.ok(result && !result.ok);
    const errors = result.errors;
    assert.ok(errors.length >= 50, `${errors.length} errors`);
    for (const e of errors) {
      assert.equal(typeof e.pointer, 'string');
      assert.ok(e.pointer.startsWith('/'), `${e.code} has a pointer into the file: "${e.pointer}"`);
      assert.ok(e.message.length > 10, `${e.pointer} says what is wrong`);
    }
    const found = errors.map((e) => `${e.pointer} ${e.code}`);
    const missing = expected.filter(([p, code]) => !found.includes(`${p} ${code}`));
    assert.deepEqual(missing, [], `not reported:\n${missing.join('\n')}\ngot:\n${found.join('\n')}`);
    // Nothing but the injected faults.
    assert.equal(errors.length, expected.length, found.join('\n'));
  });

  it('is the same 50 when checked section by section', () => {
    const { config } = fiftyFaults();
    const result = parseWorkflowConfig(config);
    assert.ok(!result.ok);
    const bySection: ConfigError[] = CONFIG_SECTIONS.flatMap(({ id }) => checkSection(id, config));
    const key = (e: ConfigError) => `${e.pointer} ${e.code}`;
    assert.deepEqual(bySection.map(key).sort(), result.errors.map(key).sort());
    assert.deepEqual(
      [...new Set(result.errors.map((e) => sectionOf(e.pointer)))].sort(),
      ['form', 'lifecycle', 'permissions', 'root', 'transport'],
    );
  });

  it('never throws on far worse: 500 faults, odd values and a cycle', () => {
    const config = example();
    for (let i = 0; i < 500; i++) config[`extra${i}`] = i % 2 ? { nested: [i] } : null;
    config.form.pages[0].fields[0].label = { self: config.form };
    config.steps[0].count = Number.NaN;
    config.steps[1].call = () => 1;
    let result: ReturnType<typeof parseWorkflowConfig> | undefined;
    assert.doesNotThrow(() => (result = parseWorkflowConfig(config)));
    assert.ok(result && !result.ok);
    assert.ok(result.errors.length >= 503, `${result.errors.length} errors`);
    assert.ok(result.errors.some((e) => e.code === 'cycle' && e.pointer === '/form/pages/0/fields/0/label/self'));
    assert.doesNotThrow(() => CONFIG_SECTIONS.forEach(({ id }) => checkSection(id, config)));
  });
});

describe('a field type from a newer version', () => {
  it('is unknown-field-type (not a generic enum error), listing the known types', () => {
    const config = example();
    config.form.pages[0].fields[1] = { name: 'mood', type: 'emoji-scale', label: { 'zh-CN': '心情', en: 'Mood' } };
    const result = parseWorkflowConfig(config);
    assert.ok(!result.ok);
    assert.deepEqual(result.errors, [
      {
        pointer: '/form/pages/0/fields/1/type',
        code: 'unknown-field-type',
        message: 'form.pages[0].fields[1].type is "emoji-scale", which is not a field type this version knows.',
        expected: `one of ${FIELD_TYPES.map((t) => `"${t}"`).join(', ')}`,
        got: '"emoji-scale"',
        hint: 'Use one of the known field types. A type from a newer version of consult-kit needs that version: this one can neither show nor check such a field.',
      },
    ]);
  });

  it("guesses a misspelt known type, and other enumerations keep the generic code", () => {
    const config = example();
    config.form.pages[0].fields[3].type = 'locaton';
    const result = parseWorkflowConfig(config);
    assert.ok(!result.ok);
    const typeError = result.errors.find((e) => e.pointer === '/form/pages/0/fields/3/type');
    assert.equal(typeError?.code, 'unknown-field-type');
    assert.equal(typeError?.hint, 'Did you mean "location"?');
    assert.ok(!result.errors.some((e) => e.code === 'enum' && e.pointer.endsWith('/type')), JSON.stringify(result.errors));
    config.level = 'province';
    const level = parseWorkflowConfig(config);
    assert.ok(!level.ok && level.errors.some((e) => e.pointer === '/level' && e.code === 'enum'));
  });

  it('FIELD_TYPES is the schema’s list of field types', () => {
    assert.deepEqual(FIELD_TYPES, schemaDocument.$defs.field.properties.type.enum);
  });
});
