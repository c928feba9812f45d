/**
 * The studio's document model, in Node: pointers as the checker names them, edits that copy only
 * the path they change, one undo history whichever pane edited, coalesced typing, the checker's
 * answer after every change, and the canonical text that export writes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { StudioDocument } from '../src/document.js';
import { canonicalText, getAt, jsonEqual, parsePointer, toPointer, updateAt, type Json, type JsonObject } from '../src/pointer.js';

const examples = readdirSync('examples/configs')
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, text: readFileSync(`examples/configs/${f}`, 'utf8') }));
const wuxi = JSON.parse(examples.find((e) => e.file === 'wuxi-community.json')!.text) as JsonObject;
/** The example's form, typed as the tests read it. */
interface Form {
  pages: Array<{ fields: Array<{ name: string; label: { en: string } }> }>;
}
const wuxiForm = wuxi.form as unknown as Form;

describe('JSON Pointers', () => {
  it('escapes ~ and / both ways (RFC 6901)', () => {
    assert.deepEqual(parsePointer('/a~1b/c~0d/0'), ['a/b', 'c~d', '0']);
    assert.equal(toPointer(['a/b', 'c~d', 0]), '/a~1b/c~0d/0');
    assert.deepEqual(parsePointer(''), []);
    assert.throws(() => parsePointer('form'), /Not a JSON Pointer/);
  });

  it('reads the node an error names, and nothing for a path that is not there', () => {
    assert.equal(getAt(wuxi, '/form/pages/0/fields/0/name'), wuxiForm.pages[0]!.fields[0]!.name);
    assert.equal(getAt(wuxi, '/form/pages/99'), undefined);
    assert.equal(getAt(wuxi, '/title/en/x'), undefined);
    assert.equal(getAt(wuxi, '/steps/01'), undefined, 'a leading zero is not an index');
  });

  it('copies only the path to the changed node', () => {
    const next = updateAt(wuxi, '/form/pages/0/fields/0/label/en', () => 'Subject') as unknown as { form: Form; steps: Json };
    assert.equal(next.form.pages[0]!.fields[0]!.label.en, 'Subject');
    assert.notEqual(wuxiForm.pages[0]!.fields[0]!.label.en, 'Subject', 'the original is untouched');
    assert.equal(next.steps, wuxi.steps, 'an unchanged subtree keeps its identity');
    assert.equal(next.form.pages[0]!.fields[1], wuxiForm.pages[0]!.fields[1]);
  });
});

describe('StudioDocument', () => {
  it('answers the checker after every change, with the pointer of the fault', () => {
    const doc = new StudioDocument(wuxi);
    assert.equal(doc.errors.length, 0);
    assert.ok(doc.config, 'a config without faults is checked');
    doc.set('/steps/0/type', 'intakes');
    assert.ok(doc.errors.some((e) => e.pointer.startsWith('/steps/0')), JSON.stringify(doc.errors));
    assert.equal(doc.config, undefined);
    assert.ok(doc.lastGoodConfig, 'the last config without faults is kept for the preview');
    doc.undo();
    assert.deepEqual(doc.errors, []);
  });

  it('undoes a run of typing as one step, and other edits one by one', () => {
    const doc = new StudioDocument(wuxi);
    const p = '/title/en';
    for (const text of ['L', 'Le', 'Let']) doc.set(p, text, { merge: p });
    doc.set('/version', '2.0.0');
    assert.equal(doc.get(p), 'Let');
    doc.undo();
    assert.equal(doc.get('/version'), wuxi.version);
    assert.equal(doc.get(p), 'Let');
    doc.undo();
    assert.equal(doc.get(p), (wuxi.title as JsonObject).en, 'the whole run of typing is undone at once');
    assert.equal(doc.canUndo, false);
    doc.redo();
    assert.equal(doc.get(p), 'Let');
    doc.redo();
    assert.equal(doc.get('/version'), '2.0.0');
    assert.equal(doc.canRedo, false);
  });

  it('keeps one history across the visual editors and the JSON pane', () => {
    const doc = new StudioDocument(wuxi);
    const origins: string[] = [];
    doc.addEventListener('change', (e) => origins.push((e as CustomEvent).detail.origin));
    doc.set('/version', '1.1.0');
    const fromJson = JSON.parse(doc.text()) as JsonObject;
    fromJson.id = 'wuxi-copy';
    doc.replace(fromJson, { origin: 'json' });
    doc.undo();
    assert.equal(doc.get('/id'), wuxi.id);
    assert.equal(doc.get('/version'), '1.1.0');
    doc.undo();
    assert.equal(doc.get('/version'), wuxi.version);
    assert.deepEqual(origins, ['editor', 'json', 'undo', 'undo']);
  });

  it('inserts, moves and removes array items; a new edit clears redo', () => {
    const doc = new StudioDocument(wuxi);
    const fields = '/form/pages/0/fields';
    const names = () => (doc.get(fields) as JsonObject[]).map((f) => f.name);
    const before = names();
    doc.move(fields, 0, 2);
    assert.deepEqual(names(), [before[1], before[2], before[0], ...before.slice(3)]);
    doc.insert(fields, { name: 'extra', type: 'text', label: { 'zh-CN': '补充', en: 'Extra' } }, 1);
    assert.equal(names()[1], 'extra');
    doc.remove(`${fields}/1`);
    assert.deepEqual(names(), [before[1], before[2], before[0], ...before.slice(3)]);
    doc.undo();
    doc.set('/version', '9.9.9');
    assert.equal(doc.canRedo, false);
  });

  it('is dirty until saved, and a no-op edit changes nothing', () => {
    const doc = new StudioDocument(wuxi);
    let changes = 0;
    doc.addEventListener('change', () => changes++);
    doc.set('/id', wuxi.id as Json);
    assert.equal(changes, 0);
    assert.equal(doc.dirty, false);
    doc.set('/version', '1.0.1');
    assert.equal(doc.dirty, true);
    doc.markSaved();
    assert.equal(doc.dirty, false);
    doc.undo();
    assert.equal(doc.dirty, true, 'undoing past the save point differs from what was saved');
  });

  it('never throws on a value that is not a config: every fault comes back', () => {
    for (const value of [null, 42, 'x', [], {}] as Json[]) {
      const doc = new StudioDocument(value);
      assert.ok(doc.errors.length > 0, `${JSON.stringify(value)} has faults`);
    }
  });

  it('exports every example config in the same canonical form it was opened in', () => {
    for (const { file, text } of examples) {
      const value = JSON.parse(text) as Json;
      const doc = new StudioDocument(value);
      assert.equal(doc.text(), canonicalText(JSON.parse(text) as Json), file);
      assert.equal(doc.text(), `${JSON.stringify(JSON.parse(text), null, 2)}\n`, file);
      assert.ok(jsonEqual(JSON.parse(doc.text()) as Json, value));
    }
  });
});
