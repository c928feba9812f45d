/**
 * The pieces the shell's panels are built from: the pointer-level difference of two configs and
 * its readable locations, grouping faults by section, the JSON fault finder behind "line 3,
 * column 12", and the difference table as a person reads it (axe on it in both languages).
 */
import { expect } from '@esm-bundle/chai';
import '../src/shell/diff-table.js';
import { StudioDocument } from '../src/document.js';
import { diffJson, readableLocation, shortValue } from '../src/shell/diff.js';
import { groupErrors, type ListedError } from '../src/shell/errors.js';
import { parseFile } from '../src/shell/file.js';
import { readJson } from '../src/json/json-syntax.js';
import { paneForPointer } from '../src/shell/panes.js';
import type { JsonObject } from '../src/pointer.js';
import { expectAccessible } from '../../elements/test/a11y.js';
import { exampleText, squash } from './shell-helpers.js';

let wuxi: JsonObject;

before(async () => {
  wuxi = JSON.parse(await exampleText('wuxi-community')) as JsonObject;
});

afterEach(() => document.body.replaceChildren());

describe('diffJson', () => {
  it('is empty for equal configs, whatever the key order', () => {
    expect(diffJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).to.deep.equal([]);
  });

  it('names each added, removed and changed node by its pointer, with old and new values', () => {
    const before = { title: { en: 'A', 'zh-CN': '甲' }, steps: [{ type: 'intake' }, { type: 'research' }], gone: true };
    const after = { title: { en: 'B', 'zh-CN': '甲' }, steps: [{ type: 'intake', anonymous: true }], extra: { x: 1 } };
    expect(diffJson(before, after)).to.deep.equal([
      { kind: 'changed', pointer: '/title/en', before: 'A', after: 'B' },
      { kind: 'added', pointer: '/steps/0/anonymous', after: true },
      { kind: 'removed', pointer: '/steps/1', before: { type: 'research' } },
      { kind: 'removed', pointer: '/gone', before: true },
      { kind: 'added', pointer: '/extra', after: { x: 1 } },
    ]);
  });

  it('a node that changes kind is one change; keys with / and ~ are escaped', () => {
    expect(diffJson({ 'a/b': [1], '~': 1 }, { 'a/b': { 0: 1 }, '~': 2 })).to.deep.equal([
      { kind: 'changed', pointer: '/a~1b', before: [1], after: { 0: 1 } },
      { kind: 'changed', pointer: '/~0', before: 1, after: 2 },
    ]);
  });
});

describe('readableLocation', () => {
  it('names array items by their id, name or type, else by number', () => {
    expect(readableLocation(wuxi, '/form/pages/1/fields/2/label/en')).to.equal('form › pages › «about-you» › fields › «phone» › label › en');
    expect(readableLocation(wuxi, '/steps/6/scale')).to.equal('steps › «evaluation» › scale');
    expect(readableLocation({ list: [1, 2] }, '/list/1')).to.equal('list › #2');
    expect(readableLocation(wuxi, '')).to.equal('/');
  });

  it('shortens long values for a table cell', () => {
    expect(shortValue('x'.repeat(300), 10)).to.equal(`${'x'.repeat(9)}…`);
    expect(shortValue({ a: 1 })).to.equal('{"a":1}');
    expect(shortValue(undefined)).to.equal('');
  });
});

describe('groupErrors and paneForPointer', () => {
  const errors: ListedError[] = [
    { pointer: '/form/pages/0', code: 'x', message: 'm', source: 'checker' },
    { pointer: '/steps/1', code: 'x', message: 'm', source: 'checker' },
    { pointer: '/privacy/url', code: 'x', message: 'm', source: 'server' },
    { pointer: '', code: 'x', message: 'm', source: 'checker' },
  ];

  it('groups by the section the machine names, in first-seen order', () => {
    const section = (p: string) => (p.startsWith('/form') || p.startsWith('/privacy') ? 'form' : p.startsWith('/steps') ? 'lifecycle' : 'root');
    expect(groupErrors(errors, section).map((g) => [g.section, g.errors.length])).to.deep.equal([
      ['form', 2],
      ['lifecycle', 1],
      ['root', 1],
    ]);
  });

  it('without the machine’s sectionOf, groups by the top-level key', () => {
    expect(groupErrors(errors, null).map((g) => g.section)).to.deep.equal(['form', 'steps', 'privacy', '']);
  });

  it('routes a pointer to the pane that edits it', () => {
    expect(paneForPointer('/form/pages/0/fields/2/label/en')).to.equal('form');
    expect(paneForPointer('/privacy/contact')).to.equal('form');
    expect(paneForPointer('/steps/3/agenda')).to.equal('lifecycle');
    expect(paneForPointer('/level')).to.equal('lifecycle');
    expect(paneForPointer('/steps/0/anonymous')).to.equal('form', 'the anonymous option sits with the privacy notice');
    expect(paneForPointer('/steps/0/sources')).to.equal('lifecycle');
    expect(paneForPointer('/permissions/rating.submit')).to.equal('permissions');
    expect(paneForPointer('/personalDataRoles/0')).to.equal('permissions');
    expect(paneForPointer('/title/en')).to.equal('settings');
    expect(paneForPointer('/transport')).to.equal('settings');
    expect(paneForPointer('')).to.equal('json');
  });
});

describe('the JSON fault finder', () => {
  it('points at the first character that is not JSON', () => {
    for (const [text, offset] of [
      ['{"a":1,}', 7],
      ['[1 2]', 3],
      ['{"a":"\\x"}', 6], // the bad escape, from its backslash
      ['{"a":1} trailing', 8],
      ['', 0],
      ['"unterminated', 13],
    ] as const) {
      expect(() => JSON.parse(text), text).to.throw();
      const reading = readJson(text);
      expect(reading.ok ? undefined : reading.problem.from, text).to.equal(offset);
    }
    expect(readJson(JSON.stringify(wuxi, null, 2)).ok).to.equal(true);
  });

  it('gives the line and column a person finds in an editor', () => {
    expect(parseFile('{\n  "a": 1,\n  "b": ]\n}')).to.deep.include({ ok: false, line: 3, column: 8 });
  });
});

describe('<consult-studio-diff>', () => {
  for (const lang of ['zh-CN', 'en']) {
    it(`shows each difference as a row a person can read (${lang}), and axe finds nothing`, async () => {
      const after = structuredClone(wuxi);
      (after.title as JsonObject).en = 'New title';
      after.offlineGraceHours = 24;
      const el = document.createElement('consult-studio-diff');
      el.setAttribute('lang', lang);
      el.doc = new StudioDocument(after);
      el.older = wuxi;
      el.newer = after;
      el.olderLabel = lang === 'en' ? 'Version 1' : '第 1 版';
      el.newerLabel = lang === 'en' ? 'My draft' : '我的草稿';
      document.body.append(el);
      await el.updateComplete;
      const rows = [...el.shadowRoot!.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => squash(c.textContent)));
      expect(rows).to.have.length(2);
      expect(rows[0]).to.deep.equal([lang === 'en' ? 'Changed' : '修改', 'title › en /title/en', (wuxi.title as JsonObject).en, 'New title']);
      expect(rows[1]![0]).to.equal(lang === 'en' ? 'Added' : '新增');
      expect(squash(el.shadowRoot!.querySelector('caption')?.textContent)).to.contain(lang === 'en' ? '2 differences' : '2 处差别');
      await expectAccessible(el, `diff ${lang}`);
    });
  }
});
