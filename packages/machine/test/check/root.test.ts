/** The root section (the programme's own properties and the document itself), through `checkSection('root')`. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSection } from '../../src/config/parse-config.js';
import { at, broken, example, sectionErrors } from './helpers.js';

describe("checkSection('root')", () => {
  it('finds nothing in a sound example', () => {
    assert.deepEqual(sectionErrors('root', example()), []);
  });

  it("reports the programme's id, version, title and locale, and properties the schema does not know", () => {
    const config = broken((c) => {
      c.id = 'Wuxi Room';
      c.version = '1.0';
      delete c.title.en;
      c.defaultLocale = 'zh-TW';
      c.colour = 'red';
    });
    assert.deepEqual(at(sectionErrors('root', config)), [
      ['/id', 'pattern'],
      ['/version', 'pattern'],
      ['/title/en', 'required'],
      ['/defaultLocale', 'enum'],
      ['/colour', 'unknown-property'],
    ]);
  });

  it('reports a misspelt section once, as unknown, and the section does not also call it missing', () => {
    const config = broken((c) => {
      c.fomr = c.form;
      delete c.form;
    });
    const errors = sectionErrors('root', config);
    assert.deepEqual(at(errors), [['/fomr', 'unknown-property']]);
    assert.equal(errors[0]!.hint, 'Did you mean "form"?');
    assert.deepEqual(sectionErrors('form', config), []);
    // Without the misspelling, the form section says it is missing.
    assert.deepEqual(at(sectionErrors('form', broken((c) => delete c.form))), [['/form', 'required']]);
  });

  it('answers for the document itself: not an object, or something JSON cannot hold', () => {
    assert.deepEqual(at(checkSection('root', '{"id": "x"}')), [['', 'type']]);
    assert.deepEqual(checkSection('form', '{"id": "x"}'), []);
    assert.deepEqual(at(checkSection('root', null)), [['', 'type']]);
    const cyclic = example();
    cyclic.title.self = cyclic;
    assert.deepEqual(at(sectionErrors('root', cyclic)), [['/title/self', 'cycle']]);
  });
});
