/** The lifecycle section's rules (check/lifecycle.ts), through `checkSection('lifecycle')`. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSection } from '../../src/config/parse-config.js';
import { at, broken, example, fullErrors, sectionErrors } from './helpers.js';

describe("checkSection('lifecycle')", () => {
  it('finds nothing in a sound example, whatever the other sections hold', () => {
    assert.deepEqual(sectionErrors('lifecycle', example()), []);
    assert.deepEqual(checkSection('lifecycle', broken((c) => (c.form.pages[0].fields[0].name = '1bad'))), []);
  });

  it('reports the order of the steps: a duplicate, one out of place, the required ones missing', () => {
    const config = broken((c) => {
      const [intake, screening, research, , , feedback, evaluation] = c.steps;
      // meeting and handling left out, screening after research, feedback twice
      c.steps = [intake, research, screening, feedback, feedback, evaluation];
    });
    const errors = sectionErrors('lifecycle', config);
    assert.deepEqual(at(errors), [
      ['/steps', 'missing-step'],
      // intake, research, feedback, evaluation is the longest run in order: screening is the one out of place.
      ['/steps/2/type', 'step-order'],
      ['/steps/4/type', 'duplicate-step'],
    ]);
    assert.match(errors[0]!.message, /"meeting" and "handling" are missing/);
  });

  it("reports each step's own faults: ids used twice, an escalation that goes down, a channel's scheme", () => {
    const config = broken((c) => {
      c.steps[0].sources.push({ id: 'grid' });
      c.steps[1].channels[1].id = 'petition';
      c.steps[1].channels[2].url = 'data:text/html,hi';
      c.steps[1].escalation.levels = ['district', 'community'];
      c.steps[3].formats[2].id = 'room';
      c.steps[4].parties[4].id = 'street-office';
    });
    assert.deepEqual(at(sectionErrors('lifecycle', config)), [
      ['/steps/0/sources/4/id', 'duplicate-id'],
      ['/steps/1/channels/1/id', 'duplicate-id'],
      ['/steps/1/channels/2/url', 'url-scheme'],
      ['/steps/1/escalation/levels/1', 'escalation-level'],
      ['/steps/3/formats/2/id', 'duplicate-id'],
      ['/steps/4/parties/4/id', 'duplicate-id'],
    ]);
  });

  it("reads the programme's level with the lifecycle: a city programme cannot escalate", () => {
    const config = broken((c) => (c.level = 'city'));
    const errors = sectionErrors('lifecycle', config);
    assert.deepEqual(at(errors), [
      ['/steps/1/escalation/levels/0', 'escalation-level'],
      ['/steps/1/escalation/levels/1', 'escalation-level'],
    ]);
    assert.equal(errors[0]!.expected, 'no level (nothing ranks above "city")');
    assert.deepEqual(at(sectionErrors('lifecycle', broken((c) => (c.level = 'province')))), [['/level', 'enum']]);
  });

  it("checks the evaluation's threshold and star labels against its scale, and the schema's ranges", () => {
    const config = broken((c) => {
      c.steps[6].scale = 3; // 5 star labels, threshold 3: only the labels are wrong
      c.steps[3].maxRounds = 0;
    });
    assert.deepEqual(at(sectionErrors('lifecycle', config)), [
      ['/steps/3/maxRounds', 'minimum'],
      ['/steps/6/starLabels', 'star-labels-length'],
    ]);
    const threshold = broken((c) => {
      c.steps[6].scale = 2;
      c.steps[6].starLabels = c.steps[6].starLabels.slice(0, 2);
      delete c.steps[6].reopenThreshold; // the default, 3, is above 2
    });
    const errors = sectionErrors('lifecycle', threshold);
    assert.deepEqual(at(errors), [['/steps/6/reopenThreshold', 'threshold-above-scale']]);
    assert.match(errors[0]!.message, /^The default reopenThreshold 3/);
  });

  it("checks a channel's when against the form's fields and options", () => {
    const config = broken((c) => {
      c.steps[1].channels[0].when = { any: [{ field: 'categry', equals: 'x' }, { field: 'category', in: ['no-such-option'] }] };
    });
    const errors = sectionErrors('lifecycle', config);
    assert.deepEqual(at(errors), [
      ['/steps/1/channels/0/when/any/0/field', 'unknown-field'],
      ['/steps/1/channels/0/when/any/1/in/0', 'unknown-option'],
    ]);
    assert.equal(errors[0]!.hint, 'Did you mean "category"?');
  });

  it("cannot see the form's own faults: a channel's test of malformed options is still compared (documented)", () => {
    const config = broken((c) => {
      c.steps[1].channels[0].when = { field: 'category', equals: 'no-such-option' };
      c.form.pages[0].fields[2].options[0].label = 'not localized'; // the form's fault: the whole check skips the comparison
    });
    assert.deepEqual(at(fullErrors(config, 'lifecycle')), []);
    assert.deepEqual(at(checkSection('lifecycle', config)), [['/steps/1/channels/0/when/equals', 'unknown-option']]);
  });
});
