/** The form section's rules (check/form.ts, check/privacy.ts), through `checkSection('form')`. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSection } from '../../src/config/parse-config.js';
import { FIELD_TYPES } from '../../src/config/config.types.js';
import { at, broken, example, sectionErrors } from './helpers.js';

const FIELDS = '/form/pages/0/fields';

describe("checkSection('form')", () => {
  it('finds nothing in a sound example, whatever the other sections hold', () => {
    assert.deepEqual(sectionErrors('form', example()), []);
    // Faults elsewhere are not the form's.
    const elsewhere = broken((c) => {
      c.steps[0].type = 'intak';
      c.version = 'one';
      c.transport = { type: 'ftp' };
    });
    assert.deepEqual(checkSection('form', elsewhere), []);
  });

  it('reports each field fault at the property at fault', () => {
    const config = broken((c) => {
      const [title, description, category, , photos, households] = c.form.pages[0].fields;
      photos.min = 1; // not-applicable: min is for number and date fields
      households.min = 10;
      households.max = 2; // min-above-max
      description.pattern = '(unclosed'; // invalid-pattern
      description.minLength = 50;
      description.maxLength = 10; // min-above-max on minLength
      category.options.push({ ...category.options[0] }); // duplicate-option
      title.name = 'description'; // duplicate-field-name, at the later one
      c.form.pages[1].fields[3].required = false; // consent-not-required
    });
    assert.deepEqual(at(sectionErrors('form', config)), [
      [`${FIELDS}/1/name`, 'duplicate-field-name'],
      [`${FIELDS}/1/minLength`, 'min-above-max'],
      [`${FIELDS}/1/pattern`, 'invalid-pattern'],
      [`${FIELDS}/2/options/${config.form.pages[0].fields[2].options.length - 1}/value`, 'duplicate-option'],
      [`${FIELDS}/4/min`, 'not-applicable'],
      [`${FIELDS}/5/min`, 'min-above-max'],
      ['/form/pages/1/fields/3/required', 'consent-not-required'],
    ]);
  });

  it('reports roles and conditions: a second title, a role on a choice field, a condition on a missing field', () => {
    const config = broken((c) => {
      c.form.pages[0].fields[2].role = 'title'; // on a select: duplicate-role and role-type
      c.form.pages[1].fields[2].visibleWhen = { field: 'contactWantd', equals: 'yes' };
      c.form.pages[1].fields[1].visibleWhen = { field: 'contactWanted', equals: 'yes' }; // self-reference
    });
    const errors = sectionErrors('form', config);
    assert.deepEqual(at(errors), [
      [`${FIELDS}/2/role`, 'duplicate-role'],
      [`${FIELDS}/2/role`, 'role-type'],
      ['/form/pages/1/fields/1/visibleWhen/field', 'self-reference'],
      ['/form/pages/1/fields/2/visibleWhen/field', 'unknown-field'],
    ]);
    assert.equal(errors[3]!.hint, 'Did you mean "contactWanted"?');
  });

  it('asks for a title field, and for a privacy notice when personal data is collected', () => {
    const config = broken((c) => {
      delete c.form.pages[0].fields[0].role;
      delete c.privacy;
    });
    const errors = sectionErrors('form', config);
    assert.deepEqual(at(errors), [
      ['/form', 'missing-title-field'],
      ['/privacy', 'privacy-required'],
    ]);
    assert.match(errors[1]!.hint!, /\/form\/pages\/0\/fields\/3 \(location\)/);
  });

  it("checks the privacy notice's own shape and URL", () => {
    const config = broken((c) => {
      c.privacy.url = 'javascript:alert(1)';
      delete c.privacy.contact;
    });
    assert.deepEqual(at(sectionErrors('form', config)), [
      ['/privacy/url', 'url-scheme'],
      ['/privacy/contact', 'required'],
    ]);
  });

  it('reports the schema faults of the form: a missing label, a wrong type, a misspelt property once', () => {
    const config = broken((c) => {
      delete c.form.pages[0].fields[0].label;
      c.form.pages[0].fields[5].min = 'ten';
      c.form.pages[0].fields[1].requird = true;
    });
    assert.deepEqual(at(sectionErrors('form', config)), [
      [`${FIELDS}/0/label`, 'required'],
      [`${FIELDS}/1/requird`, 'unknown-property'],
      [`${FIELDS}/5/min`, 'type'],
    ]);
  });

  it('calls a field type it does not know unknown-field-type, with the known types and a guess', () => {
    const config = broken((c) => {
      c.form.pages[0].fields[0].type = 'texts';
      c.form.pages[0].fields[5].type = 'rating'; // a type from a newer version
    });
    const errors = sectionErrors('form', config);
    assert.deepEqual(at(errors), [
      [`${FIELDS}/0/type`, 'unknown-field-type'],
      [`${FIELDS}/5/type`, 'unknown-field-type'],
    ]);
    for (const e of errors) assert.equal(e.expected, `one of ${FIELD_TYPES.map((t) => `"${t}"`).join(', ')}`);
    assert.equal(errors[0]!.hint, 'Did you mean "text"?');
    assert.match(errors[1]!.hint!, /newer version/);
    assert.equal(errors[1]!.got, '"rating"');
  });
});
