/**
 * The form pane's pure parts: the condition builder's model (every shape it shows reads and
 * writes back exactly; every other shape is refused, so the pane keeps it as it is), stable card
 * keys, and the form edits (unique names, duplicates, a change of type, renames).
 */
import { expect } from '@esm-bundle/chai';
import { readCondition, rowPointer, writeCondition } from '../src/form/condition-model.js';
import { ItemKeys } from '../src/form/item-keys.js';
import { duplicatePage, newField, renameField, withType } from '../src/form/form-ops.js';
import type { Json, JsonObject } from '../src/pointer.js';

const words = { field: { zh: '新字段', en: 'New field' }, consent: { zh: '同意', en: 'Agree' }, option: (n: number) => ({ zh: `选项 ${n}`, en: `Option ${n}` }) };

describe('form pane model', () => {
  it('reads and writes back, key for key, every condition shape the builder shows', () => {
    const shapes: Json[] = [
      { field: 'a', equals: 'x' },
      { field: 'a', equals: true },
      { field: 'a', equals: 3 },
      { field: 'a', in: ['x', 'y'] },
      { field: 'a', filled: true },
      { field: 'a', filled: false },
      { not: { field: 'a', equals: 'x' } },
      { all: [{ field: 'a', equals: 'x' }, { field: 'b', filled: true }] },
      { any: [{ field: 'a', in: ['x'] }, { field: 'b', filled: false }] },
      { not: { any: [{ field: 'a', equals: 'x' }, { field: 'b', equals: 'y' }] } },
    ];
    for (const shape of shapes) {
      const model = readCondition(shape);
      expect(model, JSON.stringify(shape)).not.to.equal(undefined);
      const back = writeCondition(model!);
      expect(JSON.stringify(back)).to.equal(JSON.stringify(shape));
    }
    expect(rowPointer(readCondition(shapes[9]!)!, 1)).to.equal('/not/any/1');
    expect(rowPointer(readCondition(shapes[0]!)!, 0)).to.equal('');
  });

  it('refuses shapes it cannot show (so they are kept, never rewritten)', () => {
    const refused: Json[] = [
      { all: [{ any: [{ field: 'a', equals: 'x' }] }] },
      { all: [{ not: { field: 'a', equals: 'x' } }] },
      { not: { not: { field: 'a', equals: 'x' } } },
      { field: 'a', equals: 'x', in: ['y'] },
      { field: 'a', equals: { nested: true } },
      { field: 'a', in: [] },
      { all: [] },
      { all: [{ field: 'a', equals: 'x' }], any: [{ field: 'b', equals: 'y' }] },
      'a string',
      null,
    ];
    for (const shape of refused) expect(readCondition(shape), JSON.stringify(shape)).to.equal(undefined);
  });

  it('keeps a key per item across edits, moves, inserts and undo', () => {
    const keys = new ItemKeys('k');
    const a = { n: 'a' };
    const b = { n: 'b' };
    const [ka, kb] = keys.keysOf('list', [a, b]);
    const a2 = { n: 'a2' }; // an edit: a new object at the same index
    expect(keys.keysOf('list', [a2, b])).to.deep.equal([ka, kb]);
    expect(keys.keysOf('list', [b, a2]), 'a move').to.deep.equal([kb, ka]);
    const c = { n: 'c' };
    const withC = keys.keysOf('list', [b, c, a2]);
    expect(withC[0]).to.equal(kb);
    expect(withC[2]).to.equal(ka);
    expect([ka, kb]).not.to.include(withC[1]);
    expect(keys.keysOf('list', [a, b]), 'undo brings old objects with their keys').to.deep.equal([ka, kb]);
  });

  it('makes unique names, drops what a new type does not take, duplicates pages with their conditions relinked', () => {
    const taken = new Set(['field1', 'field2']);
    expect(newField('text', taken, words)).to.deep.equal({ name: 'field3', type: 'text', label: { 'zh-CN': '新字段', en: 'New field' } });
    expect(newField('consent', taken, words)).to.deep.include({ name: 'consent', required: true });
    expect(newField('radio', taken, words).options).to.deep.equal([{ value: 'option1', label: { 'zh-CN': '选项 1', en: 'Option 1' } }]);
    const number: JsonObject = { name: 'n', type: 'number', label: { 'zh-CN': '数', en: 'N' }, min: 1, max: 9, required: true };
    expect(withType(number, 'select', words.option)).to.deep.equal({ name: 'n', type: 'select', label: { 'zh-CN': '数', en: 'N' }, required: true, options: [{ value: 'option1', label: { 'zh-CN': '选项 1', en: 'Option 1' } }] });
    const page: JsonObject = {
      id: 'p',
      title: { 'zh-CN': '页', en: 'P' },
      fields: [
        { name: 'a', type: 'select', role: 'title', label: { 'zh-CN': '甲', en: 'A' }, options: [{ value: 'x', label: { 'zh-CN': 'x', en: 'x' } }] },
        { name: 'b', type: 'text', label: { 'zh-CN': '乙', en: 'B' }, visibleWhen: { field: 'a', equals: 'x' } },
      ],
    };
    const copy = duplicatePage(page, [page]);
    expect(copy.id).to.equal('p-copy');
    expect((copy.fields as JsonObject[]).map((f) => f.name)).to.deep.equal(['aCopy', 'bCopy']);
    expect((copy.fields as JsonObject[])[1]!.visibleWhen).to.deep.equal({ field: 'aCopy', equals: 'x' });
    expect((copy.fields as JsonObject[])[0]).not.to.have.property('role');
    expect((page.fields as JsonObject[])[1]!.visibleWhen, 'the original is untouched').to.deep.equal({ field: 'a', equals: 'x' });
  });

  it('renames a field with the conditions that read it, and leaves an unread one to a plain set', () => {
    const root: JsonObject = {
      form: { pages: [page([{ name: 'a' }, { name: 'b', visibleWhen: { all: [{ field: 'a', filled: true }, { field: 'b2', filled: true }] } }])] },
      steps: [{ type: 'screening', channels: [{ id: 'c', when: { not: { field: 'a', equals: 'x' } } }, { id: 'd' }] }],
    };
    const next = renameField(root, 0, 0, 'a', 'z') as JsonObject;
    expect(JSON.stringify(next)).to.equal(JSON.stringify(root).replace(/"a"/g, '"z"'));
    expect((next.steps as JsonObject[])[0]!.channels).to.have.length(2);
    expect(renameField(root, 0, 1, 'b', 'y'), 'nothing reads b').to.equal(undefined);
  });
});

function page(fields: JsonObject[]): JsonObject {
  return { id: 'p', title: { 'zh-CN': '页', en: 'P' }, fields };
}
