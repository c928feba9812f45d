/**
 * The permissions section (`permissions`, `residentAccess`, `personalDataRoles`): the schema says
 * all there is to say, so `checkSection('permissions')` is its part of the schema.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSection } from '../../src/config/parse-config.js';
import { at, broken, example, sectionErrors } from './helpers.js';

describe("checkSection('permissions')", () => {
  it('finds nothing in a sound example, or with the section left out (every default applies)', () => {
    assert.deepEqual(sectionErrors('permissions', example()), []);
    assert.deepEqual(sectionErrors('permissions', broken((c) => delete c.permissions)), []);
  });

  it('reports an event that does not exist, a role that does not exist, a role listed twice', () => {
    const config = broken((c) => {
      c.permissions['screening.acept'] = ['convener'];
      c.permissions['rating.submit'] = ['resident', 'mayor', 'resident'];
    });
    const errors = sectionErrors('permissions', config);
    assert.deepEqual(at(errors), [
      ['/permissions/rating.submit', 'uniqueItems'],
      ['/permissions/rating.submit/1', 'enum'],
      ['/permissions/screening.acept', 'unknown-property'],
    ]);
    assert.equal(errors[2]!.hint, 'Did you mean "screening.accept"?');
  });

  it('reports residentAccess and personalDataRoles', () => {
    const config = broken((c) => {
      c.residentAccess = 'closed';
      c.personalDataRoles = ['convener', 'admn'];
    });
    const errors = sectionErrors('permissions', config);
    assert.deepEqual(at(errors), [
      ['/residentAccess', 'enum'],
      ['/personalDataRoles/1', 'enum'],
    ]);
    assert.equal(errors[1]!.hint, 'Did you mean "admin"?');
  });

  it('keeps its hands off the other sections', () => {
    assert.deepEqual(checkSection('permissions', broken((c) => delete c.form)), []);
  });
});
