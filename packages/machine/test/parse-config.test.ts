/**
 * Unit tests of parseWorkflowConfig: normalization and defaults, the reduction of schema
 * errors to one precise error per fault, every rule beyond the schema, and that it never
 * throws whatever it is given.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowConfig } from '../src/config/parse-config.js';
import { EVENT_TYPES, type ConfigError, type WorkflowConfig } from '../src/config/config.types.js';
import { DEFAULT_FORMATS, DEFAULT_PERMISSIONS } from '../src/config/defaults.js';

// ─── Fixtures and helpers ─────────────────────────────────────────────────────────────────

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A config under test: loosely typed so a test can break it any way it likes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Config = Record<string, any>;

const text = (zh: string, en = zh): { 'zh-CN': string; en: string } => ({ 'zh-CN': zh, en });

/** The smallest valid config: three steps and a one-field form. */
function minimal(): Config {
  return {
    id: 'demo-room',
    version: '1.0.0',
    title: text('有事好商量', "Let's Talk It Over"),
    level: 'community',
    steps: [{ type: 'intake' }, { type: 'meeting' }, { type: 'handling' }],
    form: { pages: [{ id: 'topic', title: text('议题', 'Topic'), fields: [{ name: 'title', type: 'text', role: 'title', label: text('议题名称', 'Topic') }] }] },
  };
}

const PRIVACY = { controller: text('社区'), purpose: text('协商'), retention: text('3 年'), contact: '0510-0000 0000' };

/** A config with every step, a screening channel and a richer form. */
function full(): Config {
  const config = minimal();
  config.steps = [
    { type: 'intake' },
    { type: 'screening', channels: [{ id: 'petition', label: text('信访'), url: 'https://www.gjxfj.gov.cn/' }] },
    { type: 'research' },
    { type: 'meeting' },
    { type: 'handling', parties: [{ id: 'street-office', label: text('街道办') }] },
    { type: 'feedback' },
    { type: 'evaluation' },
  ];
  config.form.pages[0].fields.push(
    { name: 'kind', type: 'radio', label: text('类别'), options: [{ value: 'public', label: text('公共') }, { value: 'personal', label: text('个人') }] },
    { name: 'details', type: 'textarea', role: 'description', label: text('详情') },
    { name: 'households', type: 'number', label: text('户数') },
  );
  return config;
}

function parsed(config: unknown): WorkflowConfig {
  const result = parseWorkflowConfig(config);
  assert.ok(result.ok, `expected the config to parse, got:\n${result.ok ? '' : JSON.stringify(result.errors, null, 2)}`);
  return result.config;
}

function errorsOf(config: unknown): ConfigError[] {
  const result = parseWorkflowConfig(config);
  assert.equal(result.ok, false, 'expected the config to be refused');
  assert.ok(!result.ok);
  for (const error of result.errors) assertWellFormed(error);
  return result.errors;
}

function assertWellFormed(error: ConfigError): void {
  assert.equal(typeof error.pointer, 'string');
  assert.ok(error.pointer === '' || error.pointer.startsWith('/'), `bad pointer ${error.pointer}`);
  assert.equal(typeof error.code, 'string');
  assert.ok(error.code.length > 0);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  for (const key of ['expected', 'got', 'hint'] as const) {
    if (key in error) assert.equal(typeof error[key], 'string', `${key} of ${JSON.stringify(error)}`);
  }
}

/** Exactly one error, at this pointer with this code: one fault, one error. */
function onlyError(config: unknown, pointer: string, code: string): ConfigError {
  const errors = errorsOf(config);
  assert.deepEqual(
    errors.map((e) => [e.pointer, e.code]),
    [[pointer, code]],
  );
  return errors[0]!;
}

function mutate(base: Config, change: (config: Config) => void): Config {
  change(base);
  return base;
}

const FIELDS = '/form/pages/0/fields';

// ─── Normalization and defaults ───────────────────────────────────────────────────────────

describe('parseWorkflowConfig: normalization', () => {
  it('applies every default to a minimal config', () => {
    const config = parsed(minimal());
    assert.equal(config.defaultLocale, 'zh-CN');
    assert.deepEqual(config.transport, { type: 'local' });
    assert.equal(config.privacy, undefined);
    assert.equal('description' in config, false);
    assert.deepEqual(
      config.steps.map((s) => s.type),
      ['intake', 'meeting', 'handling'],
    );
    assert.deepEqual(config.step.intake, { type: 'intake', sources: [{ id: 'resident' }, { id: 'member' }, { id: 'government' }, { id: 'grid' }], anonymous: false });
    assert.deepEqual(config.step.meeting, {
      type: 'meeting',
      conveners: 2,
      maxRounds: 3,
      earlyStartMinutes: 60,
      formats: DEFAULT_FORMATS.map((f) => ({ id: f.id, label: { ...f.label } })),
      agenda: [{ id: 'briefing' }, { id: 'deliberation' }, { id: 'interaction' }, { id: 'response' }],
      fiveHaves: ['time', 'place', 'topic', 'measures', 'effect'],
    });
    assert.deepEqual(config.step.handling, { type: 'handling', deadlineDays: 30, parties: [] });
    assert.equal(config.step.screening, undefined);
    assert.equal(config.step.evaluation, undefined);
    assert.deepEqual(config.form.pages[0]!.fields[0], { name: 'title', type: 'text', role: 'title', label: text('议题名称', 'Topic'), required: false, personal: false });
  });

  it('applies the defaults of the optional steps', () => {
    const config = parsed(full());
    assert.deepEqual(config.step.screening?.escalation, { levels: [] });
    assert.equal(config.step.screening?.channels.length, 1);
    assert.deepEqual(config.step.research, { type: 'research', minFindingsLength: 20 });
    assert.deepEqual(config.step.feedback, { type: 'feedback', minLength: 10 });
    assert.deepEqual(config.step.evaluation, { type: 'evaluation', scale: 5, reopenThreshold: 3, windowDays: 14, minRatings: 1, raters: ['submitter'] });
    assert.equal(config.offlineGraceHours, 72, 'an offline event counts at its own time up to three days before the server received it');
    assert.deepEqual(config.step.handling.parties, [{ id: 'street-office', label: text('街道办') }]);
    assert.deepEqual(config.step.screening?.channels, [{ id: 'petition', label: text('信访'), url: 'https://www.gjxfj.gov.cn/' }]);
    assert.equal(config.step.research, config.steps[2], 'config.step holds the same step objects as config.steps');
  });

  it('keeps what the city wrote over the defaults', () => {
    const base = full();
    base.steps[0] = { type: 'intake', sources: [{ id: 'grid', label: text('网格筛题') }], anonymous: true };
    base.steps[3] = { type: 'meeting', conveners: 1, maxRounds: 5, formats: [{ id: 'courtyard', label: text('坝坝会') }], agenda: [{ id: 'briefing' }], fiveHaves: ['time'] };
    base.steps[6] = { type: 'evaluation', scale: 3, reopenThreshold: 2, starLabels: [text('差'), text('中'), text('好')], raters: ['community', 'participants'] };
    base.offlineGraceHours = 24;
    base.defaultLocale = 'en';
    base.transport = { type: 'http', endpoint: '/api' };
    base.description = text('说明');
    const config = parsed(base);
    assert.deepEqual(config.step.intake, { type: 'intake', sources: [{ id: 'grid', label: text('网格筛题') }], anonymous: true });
    assert.equal(config.step.meeting.conveners, 1);
    assert.equal(config.step.meeting.maxRounds, 5);
    assert.deepEqual(config.step.meeting.agenda, [{ id: 'briefing' }]);
    assert.deepEqual(config.step.evaluation, {
      type: 'evaluation',
      scale: 3,
      reopenThreshold: 2,
      windowDays: 14,
      minRatings: 1,
      starLabels: [text('差'), text('中'), text('好')],
      raters: ['community', 'participants'],
    });
    assert.equal(config.offlineGraceHours, 24);
    assert.equal(config.defaultLocale, 'en');
    assert.deepEqual(config.transport, { type: 'http', endpoint: '/api' });
    assert.deepEqual(config.description, text('说明'));
  });

  it('merges the city permissions into the defaults, event by event', () => {
    const config = parsed(mutate(minimal(), (c) => (c.permissions = { 'rating.submit': ['resident', 'member'] })));
    assert.deepEqual(config.permissions['rating.submit'], ['resident', 'member']);
    for (const event of EVENT_TYPES.filter((e) => e !== 'rating.submit')) assert.deepEqual(config.permissions[event], [...DEFAULT_PERMISSIONS[event]]);
    assert.notEqual(config.permissions['meeting.start'], DEFAULT_PERMISSIONS['meeting.start'], 'a copy, not the default array');
  });

  it('marks tel, email and location fields personal whatever the config says', () => {
    const base = mutate(minimal(), (c) => {
      c.privacy = PRIVACY;
      c.form.pages[0].fields.push(
        { name: 'phone', type: 'tel', personal: false, label: text('电话') },
        { name: 'email', type: 'email', label: text('邮箱') },
        { name: 'place', type: 'location', label: text('地点') },
        { name: 'fullName', type: 'text', personal: true, required: true, label: text('姓名') },
      );
    });
    const fields = parsed(base).form.pages[0]!.fields;
    assert.deepEqual(
      fields.map((f) => [f.name, f.personal, f.required]),
      [
        ['title', false, false],
        ['phone', true, false],
        ['email', true, false],
        ['place', true, false],
        ['fullName', true, true],
      ],
    );
  });

  it('drops $schema, keeps the privacy notice', () => {
    const config = parsed(mutate(minimal(), (c) => ((c.$schema = './workflow.schema.json'), (c.privacy = { ...PRIVACY, url: '/privacy' }))));
    assert.equal('$schema' in config, false);
    assert.deepEqual(config.privacy, { ...PRIVACY, url: '/privacy' });
  });

  it('never mutates its input and returns a deep copy', () => {
    const input = full();
    const before = structuredClone(input);
    const deepFreeze = (value: unknown): void => {
      if (typeof value !== 'object' || value === null) return;
      Object.freeze(value);
      Object.values(value).forEach(deepFreeze);
    };
    deepFreeze(input);
    const config = parsed(input);
    assert.deepEqual(input, before);
    assert.notEqual(config.title, input.title);
    assert.notEqual(config.form.pages[0]!.fields[0]!.label, input.form.pages[0].fields[0].label);
    assert.notEqual(config.step.screening?.channels[0], input.steps[1].channels[0]);
  });

  it('never shares the defaults with a config', () => {
    const first = parsed(minimal());
    first.step.meeting.formats[0]!.label.en = 'changed';
    first.step.meeting.fiveHaves.pop();
    first.step.intake.sources.pop();
    first.permissions['topic.submit'].pop();
    const second = parsed(minimal());
    assert.equal(second.step.meeting.formats[0]!.label.en, DEFAULT_FORMATS[0].label.en);
    assert.equal(second.step.meeting.fiveHaves.length, 5);
    assert.equal(second.step.intake.sources.length, 4);
    assert.deepEqual(second.permissions['topic.submit'], [...DEFAULT_PERMISSIONS['topic.submit']]);
  });
});

// ─── Schema errors ────────────────────────────────────────────────────────────────────────

describe('parseWorkflowConfig: schema errors, one per fault', () => {
  it('reports every missing required property at its own pointer, all at once', () => {
    const errors = errorsOf(mutate(minimal(), (c) => (delete c.level, delete c.form, delete c.title['zh-CN'])));
    assert.deepEqual(errors.map((e) => [e.pointer, e.code]).sort(), [
      ['/form', 'required'],
      ['/level', 'required'],
      ['/title/zh-CN', 'required'],
    ]);
    assert.match(errors.find((e) => e.pointer === '/level')!.message, /missing the required property "level"/);
  });

  it('reports a step without a type once, without the other steps’ noise', () => {
    onlyError(mutate(minimal(), (c) => (c.steps[1] = { conveners: 2 })), '/steps/1/type', 'required');
  });

  it('reports an unknown step type once, with the allowed types', () => {
    const error = onlyError(mutate(minimal(), (c) => (c.steps[1].type = 'meetin')), '/steps/1/type', 'enum');
    assert.equal(error.expected, 'one of "intake", "screening", "research", "meeting", "handling", "feedback", "evaluation"');
    assert.equal(error.got, '"meetin"');
    assert.match(error.hint ?? '', /Did you mean "meeting"\?/);
  });

  it('reports every fault of who may rate and of the offline grace, each at its pointer', () => {
    const result = parseWorkflowConfig(
      mutate(full(), (c) => {
        c.steps[6] = { type: 'evaluation', raters: ['submitter', 'neighbours', 'submitter'] };
        c.offlineGraceHours = -1;
      }),
    );
    assert.ok(!result.ok);
    const faults = result.errors.map((e) => [e.pointer, e.code]);
    assert.ok(faults.some(([p, code]) => p === '/steps/6/raters/1' && code === 'enum'), JSON.stringify(faults));
    assert.ok(faults.some(([p]) => p === '/steps/6/raters'), `duplicate rater kind: ${JSON.stringify(faults)}`);
    assert.ok(faults.some(([p]) => p === '/offlineGraceHours'), JSON.stringify(faults));
    const kind = result.errors.find((e) => e.pointer === '/steps/6/raters/1')!;
    assert.match(kind.expected ?? '', /"submitter", "community", "participants"/);
    onlyError(mutate(full(), (c) => (c.steps[6] = { type: 'evaluation', raters: [] })), '/steps/6/raters', 'minItems');
    onlyError(mutate(full(), (c) => (c.offlineGraceHours = 1.5)), '/offlineGraceHours', 'type');
  });

  it('reports a step that is not an object once', () => {
    const error = onlyError(mutate(minimal(), (c) => (c.steps[1] = 5)), '/steps/1', 'type');
    assert.equal(error.expected, 'an object');
    assert.equal(error.got, '5');
  });

  it('checks a step against its own type’s definition', () => {
    const unknown = onlyError(mutate(minimal(), (c) => (c.steps[1] = { type: 'meeting', deadlineDays: 3 })), '/steps/1/deadlineDays', 'unknown-property');
    assert.match(unknown.expected ?? '', /"conveners"/);
    const typed = onlyError(mutate(minimal(), (c) => (c.steps[2] = { type: 'handling', deadlineDays: '30' })), '/steps/2/deadlineDays', 'type');
    assert.equal(typed.expected, 'an integer');
    assert.equal(typed.got, '"30"');
  });

  it('suggests the property an unknown one probably misspells', () => {
    const error = onlyError(mutate(minimal(), (c) => (c.steps[1] = { type: 'meeting', convener: 2 })), '/steps/1/convener', 'unknown-property');
    assert.equal(error.hint, 'Did you mean "conveners"?');
    assert.equal(error.got, '"convener"');
  });

  it('reports a misspelt required property once, as unknown, not also as missing', () => {
    const error = onlyError(mutate(minimal(), (c) => (c.title = { 'zh-CN': '有事好商量', EN: 'Talk' })), '/title/EN', 'unknown-property');
    assert.equal(error.hint, 'Did you mean "en"?');
  });

  it('escapes ~ and / in pointers (RFC 6901)', () => {
    onlyError(mutate(minimal(), (c) => (c['a/b~c'] = 1)), '/a~1b~0c', 'unknown-property');
    onlyError(mutate(minimal(), (c) => (c['议题'] = 1)), '/议题', 'unknown-property');
  });

  it('reports an unknown event type in permissions as an unknown property', () => {
    const error = onlyError(mutate(minimal(), (c) => (c.permissions = { 'topic.sumbit': ['resident'] })), '/permissions/topic.sumbit', 'unknown-property');
    assert.equal(error.hint, 'Did you mean "topic.submit"?');
    onlyError(mutate(minimal(), (c) => (c.permissions = { 'topic.submit': ['resident', 'mayor'] })), '/permissions/topic.submit/1', 'enum');
    onlyError(mutate(minimal(), (c) => (c.permissions = { 'topic.submit': [] })), '/permissions/topic.submit', 'minItems');
  });

  it('describes ranges, types, patterns and lengths', () => {
    const low = onlyError(mutate(minimal(), (c) => (c.steps[1].conveners = 0)), '/steps/1/conveners', 'minimum');
    assert.equal(low.expected, 'integer from 1 to 4');
    assert.equal(low.got, '0');
    onlyError(mutate(minimal(), (c) => (c.steps[1].maxRounds = 21)), '/steps/1/maxRounds', 'maximum');
    const size = onlyError(mutate(minimal(), (c) => c.form.pages[0].fields.push({ name: 'photos', type: 'file', label: text('照片'), maxSize: 0 })), `${FIELDS}/1/maxSize`, 'minimum');
    assert.equal(size.expected, 'integer ≥ 1');
    const id = onlyError(mutate(minimal(), (c) => (c.id = 42)), '/id', 'type');
    assert.equal(id.expected, 'a string');
    assert.match(id.message, /must be a string, but it is a number/);
    const pattern = onlyError(mutate(minimal(), (c) => (c.id = 'Demo Room')), '/id', 'pattern');
    assert.match(pattern.expected ?? '', /lower-case letters, digits and hyphens/);
    onlyError(mutate(minimal(), (c) => (c.version = 'v1')), '/version', 'pattern');
    onlyError(mutate(minimal(), (c) => (c.title.en = '')), '/title/en', 'minLength');
    onlyError(mutate(minimal(), (c) => (c.level = 'province')), '/level', 'enum');
    onlyError(mutate(minimal(), (c) => (c.defaultLocale = 'zh-TW')), '/defaultLocale', 'enum');
  });

  it('describes a long value briefly', () => {
    const error = onlyError(mutate(minimal(), (c) => (c.id = 'x'.repeat(500))), '/id', 'pattern');
    assert.ok((error.got ?? '').length <= 60, error.got);
    assert.ok(error.got?.endsWith('…'));
  });

  it('reports arrays that are too short or repeat themselves at the array', () => {
    onlyError(mutate(minimal(), (c) => (c.steps = [])), '/steps', 'minItems');
    onlyError(mutate(minimal(), (c) => (c.form.pages = [])), '/form/pages', 'minItems');
    const repeated = onlyError(mutate(minimal(), (c) => (c.steps[1].fiveHaves = ['time', 'place', 'time'])), '/steps/1/fiveHaves', 'uniqueItems');
    assert.match(repeated.message, /"time" more than once/);
  });

  it('needs options on select and radio fields', () => {
    onlyError(mutate(minimal(), (c) => c.form.pages[0].fields.push({ name: 'kind', type: 'select', label: text('类别') })), `${FIELDS}/1/options`, 'required');
    onlyError(mutate(minimal(), (c) => c.form.pages[0].fields.push({ name: 'kind', type: 'radio', label: text('类别') })), `${FIELDS}/1/options`, 'required');
    parsed(mutate(minimal(), (c) => c.form.pages[0].fields.push({ name: 'agree', type: 'checkbox', label: text('同意') })));
  });

  it('needs a type on the transport, and an endpoint for http, without noise', () => {
    onlyError(mutate(minimal(), (c) => (c.transport = {})), '/transport/type', 'required');
    onlyError(mutate(minimal(), (c) => (c.transport = { type: 'http' })), '/transport/endpoint', 'required');
    onlyError(mutate(minimal(), (c) => (c.transport = { type: 'ftp' })), '/transport/type', 'enum');
  });

  it('lists errors in the order of the file', () => {
    const errors = errorsOf(mutate(minimal(), (c) => ((c.form.pages[0].fields[0].type = 'dropdown'), (c.id = 1), (c.steps[2].deadlineDays = 0))));
    assert.deepEqual(
      errors.map((e) => e.pointer),
      ['/id', '/steps/2/deadlineDays', `${FIELDS}/0/type`],
    );
  });
});

describe('parseWorkflowConfig: conditions that fit none of their forms', () => {
  const withCondition = (condition: Json): Config =>
    mutate(full(), (c) => (c.form.pages[0].fields[2].visibleWhen = condition));
  const at = `${FIELDS}/2/visibleWhen`;

  it('accepts every form, nested', () => {
    parsed(withCondition({ field: 'kind', equals: 'public' }));
    parsed(withCondition({ field: 'kind', in: ['public', 'personal'] }));
    parsed(withCondition({ field: 'households', filled: true }));
    parsed(withCondition({ all: [{ any: [{ field: 'kind', equals: 'public' }] }, { not: { field: 'households', filled: false } }] }));
  });

  it('reports a field without a test at the condition', () => {
    const error = onlyError(withCondition({ field: 'kind' }), at, 'invalid-condition');
    assert.equal(error.expected, 'one of "equals", "in", "filled"');
  });

  it('reports an empty condition at the condition', () => {
    onlyError(withCondition({}), at, 'invalid-condition');
    onlyError(withCondition({ not: {} }), `${at}/not`, 'invalid-condition');
  });

  it('reports a test without a field as a missing field', () => {
    onlyError(withCondition({ equals: 'public' }), `${at}/field`, 'required');
  });

  it('reports two tests, or a test mixed with all/any/not, at the second one', () => {
    onlyError(withCondition({ field: 'kind', equals: 'public', in: ['public'] }), `${at}/in`, 'invalid-condition');
    onlyError(withCondition({ field: 'kind', equals: 'public', all: [{ field: 'kind', equals: 'public' }] }), `${at}/all`, 'invalid-condition');
    onlyError(withCondition({ all: [{ field: 'kind', equals: 'public' }], any: [{ field: 'kind', equals: 'public' }] }), `${at}/any`, 'invalid-condition');
    onlyError(withCondition({ any: [{ field: 'kind', equals: 'public' }, { field: 'kind', filled: true, in: ['x'] }] }), `${at}/any/1/in`, 'invalid-condition');
  });

  it('reports a wrong value type or an unknown key on its own', () => {
    onlyError(withCondition({ field: 'kind', equals: { value: 'public' } }), `${at}/equals`, 'type');
    onlyError(withCondition({ field: 'kind', equals: 'public', also: 1 }), `${at}/also`, 'unknown-property');
    onlyError(withCondition('kind == public'), at, 'type');
    onlyError(withCondition({ all: [] }), `${at}/all`, 'minItems');
  });
});

// ─── Rules beyond the schema ──────────────────────────────────────────────────────────────

describe('parseWorkflowConfig: rules on steps', () => {
  it('refuses a step type used twice, at the second one', () => {
    const error = onlyError(mutate(minimal(), (c) => c.steps.push({ type: 'meeting' })), '/steps/3/type', 'duplicate-step');
    assert.match(error.message, /first at \/steps\/1/);
  });

  it('refuses steps out of lifecycle order, at the step out of place', () => {
    onlyError(mutate(minimal(), (c) => c.steps.splice(2, 0, { type: 'screening' })), '/steps/2/type', 'step-order');
    onlyError(mutate(full(), (c) => c.steps.push(c.steps.splice(0, 1)[0])), '/steps/6/type', 'step-order');
    onlyError(mutate(minimal(), (c) => c.steps.unshift(c.steps.splice(1, 1)[0])), '/steps/1/type', 'step-order');
  });

  it('refuses a programme without intake, meeting or handling', () => {
    const error = onlyError(mutate(minimal(), (c) => (c.steps = [{ type: 'intake' }, { type: 'meeting' }, { type: 'feedback' }])), '/steps', 'missing-step');
    assert.match(error.message, /"handling"/);
    const two = onlyError(mutate(minimal(), (c) => (c.steps = [{ type: 'screening' }, { type: 'research' }, { type: 'handling' }])), '/steps', 'missing-step');
    assert.match(two.message, /"intake" and "meeting" are missing/);
  });

  it('refuses duplicate ids in every list', () => {
    const dup = (list: Json[]): Json[] => [...list, list[0]!];
    const base = mutate(full(), (c) => {
      c.steps[0].sources = dup([{ id: 'resident' }, { id: 'grid' }]);
      c.steps[1].channels = dup(c.steps[1].channels);
      c.steps[3].formats = dup([{ id: 'room', label: text('议事室') }]);
      c.steps[3].agenda = dup([{ id: 'briefing' }, { id: 'response' }]);
      c.steps[4].parties = dup(c.steps[4].parties);
      c.form.pages.push({ id: 'topic', title: text('再来'), fields: [{ name: 'more', type: 'text', label: text('更多') }] });
    });
    const errors = errorsOf(base);
    assert.deepEqual(
      errors.map((e) => [e.pointer, e.code]),
      [
        ['/steps/0/sources/2/id', 'duplicate-id'],
        ['/steps/1/channels/1/id', 'duplicate-id'],
        ['/steps/3/formats/1/id', 'duplicate-id'],
        ['/steps/3/agenda/2/id', 'duplicate-id'],
        ['/steps/4/parties/1/id', 'duplicate-id'],
        ['/form/pages/1/id', 'duplicate-id'],
      ],
    );
  });

  it('refuses an escalation level that is not above the programme', () => {
    const base = mutate(full(), (c) => ((c.level = 'street'), (c.steps[1].escalation = { levels: ['district', 'town', 'community', 'city'] })));
    const errors = errorsOf(base);
    assert.deepEqual(
      errors.map((e) => [e.pointer, e.code]),
      [
        ['/steps/1/escalation/levels/1', 'escalation-level'],
        ['/steps/1/escalation/levels/2', 'escalation-level'],
      ],
    );
    assert.match(errors[0]!.expected ?? '', /"district"/);
    onlyError(mutate(full(), (c) => ((c.level = 'city'), (c.steps[1].escalation = { levels: ['city'] }))), '/steps/1/escalation/levels/0', 'escalation-level');
    parsed(mutate(full(), (c) => ((c.level = 'village'), (c.steps[1].escalation = { levels: ['town', 'sector', 'city'] }))));
  });

  it('refuses a reopen threshold above the scale', () => {
    const error = onlyError(mutate(full(), (c) => (c.steps[6] = { type: 'evaluation', scale: 3, reopenThreshold: 4 })), '/steps/6/reopenThreshold', 'threshold-above-scale');
    assert.equal(error.expected, 'a number from 1 to 3');
    assert.equal(error.got, '4');
    onlyError(mutate(full(), (c) => (c.steps[6] = { type: 'evaluation', scale: 2 })), '/steps/6/reopenThreshold', 'threshold-above-scale');
    parsed(mutate(full(), (c) => (c.steps[6] = { type: 'evaluation', scale: 3, reopenThreshold: 3 })));
  });

  it('refuses star labels that do not match the scale', () => {
    onlyError(mutate(full(), (c) => (c.steps[6] = { type: 'evaluation', starLabels: [text('差'), text('好')] })), '/steps/6/starLabels', 'star-labels-length');
    parsed(mutate(full(), (c) => (c.steps[6] = { type: 'evaluation', scale: 2, reopenThreshold: 2, starLabels: [text('差'), text('好')] })));
  });
});

describe('parseWorkflowConfig: rules on the form', () => {
  it('refuses a field name used twice across pages, at the later name', () => {
    const base = mutate(minimal(), (c) => c.form.pages.push({ id: 'more', title: text('更多'), fields: [{ name: 'title', type: 'text', label: text('再来') }] }));
    const error = onlyError(base, '/form/pages/1/fields/0/name', 'duplicate-field-name');
    assert.match(error.message, /first at \/form\/pages\/0\/fields\/0\/name/);
  });

  it('refuses an option value used twice', () => {
    onlyError(mutate(full(), (c) => c.form.pages[0].fields[1].options.push({ value: 'public', label: text('又一个') })), `${FIELDS}/1/options/2/value`, 'duplicate-option');
  });

  it('refuses a condition on a field that does not exist, wherever it is nested', () => {
    const error = onlyError(mutate(full(), (c) => (c.form.pages[0].fields[2].visibleWhen = { field: 'knid', equals: 'public' })), `${FIELDS}/2/visibleWhen/field`, 'unknown-field');
    assert.equal(error.hint, 'Did you mean "kind"?');
    assert.equal(error.got, '"knid"');
    onlyError(
      mutate(full(), (c) => (c.form.pages[0].fields[2].visibleWhen = { all: [{ field: 'kind', equals: 'public' }, { not: { any: [{ field: 'ghost', filled: true }] } }] })),
      `${FIELDS}/2/visibleWhen/all/1/not/any/0/field`,
      'unknown-field',
    );
    onlyError(mutate(full(), (c) => (c.steps[1].channels[0].when = { field: 'ghost', equals: 'x' })), '/steps/1/channels/0/when/field', 'unknown-field');
  });

  it('accepts a condition on a field of a later page', () => {
    parsed(
      mutate(full(), (c) => {
        c.form.pages[0].fields[2].visibleWhen = { field: 'later', filled: true };
        c.form.pages.push({ id: 'more', title: text('更多'), fields: [{ name: 'later', type: 'text', label: text('后面') }] });
      }),
    );
  });

  it('refuses a field that depends on itself', () => {
    onlyError(mutate(full(), (c) => (c.form.pages[0].fields[2].visibleWhen = { field: 'details', filled: true })), `${FIELDS}/2/visibleWhen/field`, 'self-reference');
  });

  it('refuses a test against a value that is not among the field’s options', () => {
    const error = onlyError(mutate(full(), (c) => (c.steps[1].channels[0].when = { field: 'kind', equals: 'privat' })), '/steps/1/channels/0/when/equals', 'unknown-option');
    assert.equal(error.expected, 'one of "public", "personal"');
    onlyError(mutate(full(), (c) => (c.form.pages[0].fields[2].visibleWhen = { field: 'kind', in: ['public', 'other'] })), `${FIELDS}/2/visibleWhen/in/1`, 'unknown-option');
    const checkbox = mutate(full(), (c) => {
      c.form.pages[0].fields.push({ name: 'needs', type: 'checkbox', label: text('需要'), options: [{ value: 'lift', label: text('电梯') }] });
      c.form.pages[0].fields[2].visibleWhen = { field: 'needs', equals: 'ramp' };
    });
    onlyError(checkbox, `${FIELDS}/2/visibleWhen/equals`, 'unknown-option');
    parsed(mutate(full(), (c) => (c.form.pages[0].fields[2].visibleWhen = { field: 'households', equals: 3 })));
  });

  it('refuses min above max, and minLength above maxLength', () => {
    onlyError(mutate(full(), (c) => Object.assign(c.form.pages[0].fields[3], { min: 10, max: 1 })), `${FIELDS}/3/min`, 'min-above-max');
    onlyError(mutate(full(), (c) => Object.assign(c.form.pages[0].fields[0], { minLength: 10, maxLength: 5 })), `${FIELDS}/0/minLength`, 'min-above-max');
    const date = (min: Json, max: Json): Config => mutate(full(), (c) => c.form.pages[0].fields.push({ name: 'when', type: 'date', label: text('日期'), min, max }));
    onlyError(date('2024-05-02', '2024-05-01'), `${FIELDS}/4/min`, 'min-above-max');
    parsed(date('2024-05-01', '2024-05-01'));
  });

  it('refuses bounds of the wrong kind', () => {
    const date = (min: Json): Config => mutate(full(), (c) => c.form.pages[0].fields.push({ name: 'when', type: 'date', label: text('日期'), min }));
    for (const bad of ['2024/05/01', '2024-13-01', '2023-02-29', '01-05-2024', 20240501]) onlyError(date(bad), `${FIELDS}/4/min`, 'date-format');
    parsed(date('2024-02-29'));
    onlyError(mutate(full(), (c) => (c.form.pages[0].fields[3].max = '100')), `${FIELDS}/3/max`, 'type');
  });

  it('refuses a pattern that is not a valid regular expression', () => {
    const error = onlyError(mutate(full(), (c) => (c.form.pages[0].fields[0].pattern = '([a-z]+')), `${FIELDS}/0/pattern`, 'invalid-pattern');
    assert.match(error.message, /not a valid regular expression/);
    parsed(mutate(full(), (c) => (c.form.pages[0].fields[0].pattern = '^1[3-9][0-9]{9}$')));
  });

  it('refuses properties on field types they do not apply to', () => {
    const cases: Array<[string, string, Json]> = [
      ['text', 'min', 1],
      ['textarea', 'max', 9],
      ['number', 'minLength', 1],
      ['date', 'maxLength', 9],
      ['select', 'pattern', 'x'],
      ['number', 'options', [{ value: 'a', label: text('甲') }]],
      ['text', 'accept', ['image/png']],
      ['email', 'maxSize', 100],
      ['consent', 'maxFiles', 2],
    ];
    for (const [type, key, value] of cases) {
      const base = mutate(minimal(), (c) => {
        c.privacy = PRIVACY;
        const field: Config = { name: 'probe', type, label: text('探针'), [key]: value };
        if (type === 'select') field.options = [{ value: 'a', label: text('甲') }];
        if (type === 'consent') field.required = true;
        c.form.pages[0].fields.push(field);
      });
      const error = onlyError(base, `${FIELDS}/1/${key}`, 'not-applicable');
      assert.match(error.message, new RegExp(`does not apply to a ${type} field`));
    }
  });

  it('refuses a consent field that is not required', () => {
    onlyError(mutate(minimal(), (c) => c.form.pages[0].fields.push({ name: 'agree', type: 'consent', label: text('同意') })), `${FIELDS}/1/required`, 'consent-not-required');
    onlyError(mutate(minimal(), (c) => c.form.pages[0].fields.push({ name: 'agree', type: 'consent', required: false, label: text('同意') })), `${FIELDS}/1/required`, 'consent-not-required');
  });

  it('needs a privacy notice when the form collects personal data', () => {
    for (const extra of [
      { name: 'phone', type: 'tel', label: text('电话') },
      { name: 'email', type: 'email', label: text('邮箱') },
      { name: 'place', type: 'location', label: text('地点') },
      { name: 'fullName', type: 'text', personal: true, label: text('姓名') },
    ]) {
      const base = mutate(minimal(), (c) => c.form.pages[0].fields.push(extra));
      const error = onlyError(base, '/privacy', 'privacy-required');
      assert.match(error.hint ?? '', new RegExp(`${FIELDS}/1 \\(${extra.name}\\)`));
      parsed(mutate(base, (c) => (c.privacy = PRIVACY)));
    }
  });

  it('refuses more than one title or description field', () => {
    const base = mutate(full(), (c) => {
      c.form.pages[0].fields.push({ name: 'title2', type: 'text', role: 'title', label: text('标题') });
      c.form.pages[0].fields.push({ name: 'details2', type: 'textarea', role: 'description', label: text('详情') });
    });
    const errors = errorsOf(base);
    assert.deepEqual(
      errors.map((e) => [e.pointer, e.code]),
      [
        [`${FIELDS}/4/role`, 'duplicate-role'],
        [`${FIELDS}/5/role`, 'duplicate-role'],
      ],
    );
  });

  it('needs a text field with the title role', () => {
    const error = onlyError(mutate(minimal(), (c) => delete c.form.pages[0].fields[0].role), '/form', 'missing-title-field');
    assert.match(error.hint ?? '', /"role": "title"/);
    onlyError(mutate(full(), (c) => ((c.form.pages[0].fields[3].role = 'title'), delete c.form.pages[0].fields[0].role)), `${FIELDS}/3/role`, 'role-type');
    parsed(mutate(full(), (c) => ((c.form.pages[0].fields[2].role = 'title'), delete c.form.pages[0].fields[0].role)));
  });
});

describe('parseWorkflowConfig: URLs', () => {
  const withChannelUrl = (url: string): Config => mutate(full(), (c) => (c.steps[1].channels[0].url = url));
  const at = '/steps/1/channels/0/url';

  it('accepts https, http, mailto, tel and relative URLs', () => {
    for (const url of ['https://example.gov.cn/x', 'HTTP://example.gov.cn', 'mailto:office@example.gov.cn', 'tel:12345', '/mediation', '../help', 'help.html', '?q=1', '#top']) {
      parsed(withChannelUrl(url));
    }
  });

  it('refuses script and other schemes, however they are disguised', () => {
    const bad = [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      '\u0000javascript:alert(1)',
      'javascript\u0001:alert(1)',
      '\u0085javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'blob:https://example.gov.cn/uuid',
      'ftp://example.gov.cn/',
    ];
    for (const url of bad) onlyError(withChannelUrl(url), at, 'url-scheme');
  });

  it('checks the privacy URL and the http endpoint too', () => {
    onlyError(mutate(minimal(), (c) => (c.privacy = { ...PRIVACY, url: 'javascript:void(0)' })), '/privacy/url', 'url-scheme');
    onlyError(mutate(minimal(), (c) => (c.transport = { type: 'http', endpoint: 'data:,x' })), '/transport/endpoint', 'url-scheme');
    onlyError(mutate(minimal(), (c) => (c.transport = { type: 'http', endpoint: 'mailto:api@example.gov.cn' })), '/transport/endpoint', 'url-scheme');
    parsed(mutate(minimal(), (c) => (c.transport = { type: 'http', endpoint: 'https://consult.example.gov.cn/api' })));
  });

  it('refuses a URL that cannot be parsed', () => {
    onlyError(withChannelUrl('http://exa mple.com'), at, 'invalid-url');
  });
});

// ─── Never throws ─────────────────────────────────────────────────────────────────────────

describe('parseWorkflowConfig: never throws', () => {
  it('gives one root error for anything that is not an object', () => {
    for (const input of [undefined, null, 0, -1, Number.NaN, '', '{"id":"x"}', true, false, [], [minimal()], () => minimal(), Symbol('x'), 10n]) {
      const errors = errorsOf(input);
      assert.equal(errors.length, 1, String(typeof input));
      assert.equal(errors[0]!.pointer, '');
      assert.equal(errors[0]!.code, 'type');
    }
    assert.match(errorsOf('{"id":"x"}')[0]!.hint ?? '', /JSON\.parse/);
  });

  it('refuses objects that are not plain JSON', () => {
    for (const input of [new Date(), new Map([['id', 'x']]), /id/, new Uint8Array(3), Promise.resolve(minimal())]) {
      const errors = errorsOf(input);
      assert.equal(errors.length, 1);
      assert.equal(errors[0]!.pointer, '');
    }
    onlyError(mutate(minimal(), (c) => (c.title = new Map())), '/title', 'type');
  });

  it('reports values JSON cannot hold once, at their pointer', () => {
    onlyError(mutate(minimal(), (c) => (c.id = () => 'x')), '/id', 'type');
    onlyError(mutate(minimal(), (c) => (c.steps[1].conveners = Number.POSITIVE_INFINITY)), '/steps/1/conveners', 'type');
    onlyError(mutate(minimal(), (c) => (c.version = 1n)), '/version', 'type');
    onlyError(mutate(minimal(), (c) => (c.steps[1] = undefined)), '/steps/1', 'type');
    parsed(mutate(minimal(), (c) => (c.description = undefined)));
  });

  it('survives cycles, deep nesting, huge arrays and hostile objects', () => {
    const cyclic = minimal();
    cyclic.form.pages[0].fields[0].visibleWhen = cyclic;
    onlyError(cyclic, `${FIELDS}/0/visibleWhen`, 'cycle');

    const cyclicArray = minimal();
    cyclicArray.steps.push(cyclicArray.steps);
    onlyError(cyclicArray, '/steps/3', 'cycle');

    let deep: Json = { field: 'title', filled: true };
    for (let i = 0; i < 100_000; i++) deep = { not: deep };
    const deepErrors = errorsOf(mutate(minimal(), (c) => (c.form.pages[0].fields[0].visibleWhen = deep)));
    assert.deepEqual(
      deepErrors.map((e) => e.code),
      ['too-deep'],
    );

    let deepArray: Json = [];
    for (let i = 0; i < 100_000; i++) deepArray = [deepArray];
    assert.ok(errorsOf(mutate(minimal(), (c) => (c.steps = deepArray))).some((e) => e.code === 'too-deep'));

    onlyError(mutate(minimal(), (c) => (c.steps = new Array(10_000_000))), '/steps', 'too-large');

    const getter = minimal();
    Object.defineProperty(getter, 'level', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    onlyError(getter, '/level', 'unreadable');

    const trap = new Proxy(minimal(), {
      ownKeys() {
        throw new Error('no keys');
      },
    });
    assert.equal(errorsOf(trap)[0]!.code, 'unreadable');

    const { proxy, revoke } = Proxy.revocable(minimal(), {});
    revoke();
    assert.equal(errorsOf(proxy).length, 1);
    assert.equal(errorsOf(mutate(minimal(), (c) => (c.form = proxy)))[0]!.pointer, '/form');

    const tagged = mutate(minimal(), (c) => (c.title = { [Symbol.toStringTag]: 'Evil', 'zh-CN': 'x', en: 'y' }));
    assert.equal(errorsOf(tagged)[0]!.pointer, '/title');
  });

  it('treats a "__proto__" key as an ordinary unknown property', () => {
    onlyError(JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(minimal()).slice(1)}`), '/__proto__', 'unknown-property');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    onlyError(mutate(minimal(), (c) => (c.steps[1] = JSON.parse('{"type": "meeting", "constructor": 1}'))), '/steps/1/constructor', 'unknown-property');
  });

  it('refuses property names that are not valid Unicode', () => {
    onlyError(mutate(minimal(), (c) => (c['\uD800'] = 1)), '/\uD800', 'invalid-key');
  });

  it('never throws on random junk and random damage (seeded)', () => {
    let state = 20240501;
    const random = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 4294967296;
    };
    const leaves: unknown[] = [0, -1, 1.5, 1e308, '', 'x', 'javascript:alert(1)', true, false, null, undefined, [], {}, Number.NaN, '\uDC00'];
    const junk = (depth: number): unknown => {
      const r = random();
      if (depth > 4 || r < 0.4) return leaves[Math.floor(random() * leaves.length)];
      if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => junk(depth + 1));
      const keys = ['id', 'type', 'steps', 'form', 'pages', 'fields', 'field', 'all', 'not', 'options', 'visibleWhen', 'level', 'x'];
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [keys[Math.floor(random() * keys.length)]!, junk(depth + 1)]));
    };
    const paths = (node: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> => {
      out.push(path);
      if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) paths(v, [...path, Array.isArray(node) ? Number(k) : k], out);
      return out;
    };
    for (let round = 0; round < 300; round++) {
      const results = [parseWorkflowConfig(junk(0))];
      const damaged = full();
      const all = paths(damaged).filter((p) => p.length > 0);
      const target = all[Math.floor(random() * all.length)]!;
      let parent: Config = damaged;
      for (const segment of target.slice(0, -1)) parent = parent[segment];
      parent[target[target.length - 1]!] = junk(2);
      results.push(parseWorkflowConfig(damaged));
      for (const result of results) if (!result.ok) result.errors.forEach(assertWellFormed);
    }
  });
});

describe('toConfig: only what the checker passed skips the checker', () => {
  it('a raw config that merely has the keys of a checked one is checked, and its faults named', async () => {
    const { toConfig, WorkflowConfigError } = await import('../src/consultation.machine.js');
    const lookalike = { ...minimal(), step: {}, permissions: {}, transport: {} };
    assert.throws(
      () => toConfig(lookalike),
      (error: unknown) => error instanceof WorkflowConfigError && error.errors.some((e) => e.pointer === '/step'),
    );
  });

  it('the checked object passes as it is; a JSON copy of it is checked again and refused', async () => {
    const { toConfig, WorkflowConfigError } = await import('../src/consultation.machine.js');
    const parsed = parseWorkflowConfig(minimal());
    assert.ok(parsed.ok);
    assert.equal(toConfig(parsed.config), parsed.config);
    const copy = JSON.parse(JSON.stringify(parsed.config)) as WorkflowConfig;
    assert.throws(() => toConfig(copy), WorkflowConfigError);
  });
});
