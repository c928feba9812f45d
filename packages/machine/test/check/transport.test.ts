/** The transport section (`transport`, `offlineGraceHours`; check/transport.ts), through `checkSection('transport')`. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { at, broken, example, sectionErrors } from './helpers.js';

describe("checkSection('transport')", () => {
  it('finds nothing in a sound example', () => {
    assert.deepEqual(sectionErrors('transport', example()), []);
    assert.deepEqual(sectionErrors('transport', broken((c) => (c.transport = { type: 'http', endpoint: '/api/consult' }))), []);
  });

  it("refuses an http endpoint with another scheme, or with control characters hiding one", () => {
    const scheme = sectionErrors('transport', broken((c) => (c.transport = { type: 'http', endpoint: 'javascript:alert(1)' })));
    assert.deepEqual(at(scheme), [['/transport/endpoint', 'url-scheme']]);
    assert.equal(scheme[0]!.expected, 'an https: or http: URL, or a relative path');
    const hidden = sectionErrors('transport', broken((c) => (c.transport = { type: 'http', endpoint: 'java\tscript:alert(1)' })));
    assert.deepEqual(at(hidden), [['/transport/endpoint', 'url-scheme']]);
    assert.match(hidden[0]!.message, /control characters/);
  });

  it('reports the schema faults: an unknown type, a missing endpoint, offlineGraceHours out of range', () => {
    assert.deepEqual(at(sectionErrors('transport', broken((c) => (c.transport = { type: 'ftp' })))), [['/transport/type', 'enum']]);
    const config = broken((c) => {
      c.transport = { type: 'http' };
      c.offlineGraceHours = -1;
    });
    assert.deepEqual(at(sectionErrors('transport', config)), [
      ['/transport/endpoint', 'required'],
      ['/offlineGraceHours', 'minimum'],
    ]);
  });
});
