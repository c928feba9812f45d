/** Unit tests of conditions on intake answers: evaluateCondition, conditionFields, isFilled. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conditionFields, evaluateCondition, isFilled } from '../src/config/condition.js';
import type { Condition } from '../src/config/config.types.js';

const answers = {
  kind: 'public',
  households: 12,
  zero: 0,
  agreed: true,
  declined: false,
  needs: ['lift', 'ramp'],
  none: [],
  blank: '   ',
  empty: '',
  nothing: null,
  place: { address: '3号楼' },
};

const holds = (condition: Condition, values: Record<string, unknown> = answers): boolean => evaluateCondition(condition, values);

describe('evaluateCondition', () => {
  it('equals: strict equality', () => {
    assert.equal(holds({ field: 'kind', equals: 'public' }), true);
    assert.equal(holds({ field: 'kind', equals: 'personal' }), false);
    assert.equal(holds({ field: 'households', equals: 12 }), true);
    assert.equal(holds({ field: 'households', equals: '12' }), false, 'no type coercion');
    assert.equal(holds({ field: 'agreed', equals: true }), true);
    assert.equal(holds({ field: 'declined', equals: true }), false);
    assert.equal(holds({ field: 'missing', equals: 'public' }), false);
  });

  it('equals on a list answer (checkbox with options): membership', () => {
    assert.equal(holds({ field: 'needs', equals: 'lift' }), true);
    assert.equal(holds({ field: 'needs', equals: 'parking' }), false);
    assert.equal(holds({ field: 'none', equals: 'lift' }), false);
  });

  it('in: the answer is one of the values; for a list answer, any overlap', () => {
    assert.equal(holds({ field: 'kind', in: ['personal', 'public'] }), true);
    assert.equal(holds({ field: 'kind', in: ['personal'] }), false);
    assert.equal(holds({ field: 'households', in: [11, 12] }), true);
    assert.equal(holds({ field: 'needs', in: ['parking', 'ramp'] }), true);
    assert.equal(holds({ field: 'needs', in: ['parking'] }), false);
    assert.equal(holds({ field: 'missing', in: ['public'] }), false);
  });

  it('filled: a non-empty string or list, true, a number, a place', () => {
    for (const field of ['kind', 'households', 'zero', 'agreed', 'needs', 'place']) {
      assert.equal(holds({ field, filled: true }), true, field);
      assert.equal(holds({ field, filled: false }), false, field);
    }
    for (const field of ['declined', 'none', 'blank', 'empty', 'nothing', 'missing']) {
      assert.equal(holds({ field, filled: true }), false, field);
      assert.equal(holds({ field, filled: false }), true, field);
    }
  });

  it('all, any and not combine conditions, nested', () => {
    const publicLift: Condition = { all: [{ field: 'kind', equals: 'public' }, { field: 'needs', equals: 'lift' }] };
    assert.equal(holds(publicLift), true);
    assert.equal(holds({ all: [{ field: 'kind', equals: 'public' }, { field: 'needs', equals: 'parking' }] }), false);
    assert.equal(holds({ any: [{ field: 'kind', equals: 'personal' }, { field: 'needs', equals: 'ramp' }] }), true);
    assert.equal(holds({ any: [{ field: 'kind', equals: 'personal' }, { field: 'empty', filled: true }] }), false);
    assert.equal(holds({ not: publicLift }), false);
    assert.equal(holds({ not: { not: publicLift } }), true);
    assert.equal(holds({ any: [{ not: { field: 'households', filled: true } }, { all: [publicLift, { field: 'zero', in: [0] }] }] }), true);
  });

  it('reads only the answers’ own properties', () => {
    assert.equal(holds({ field: 'constructor', filled: true }, {}), false);
    assert.equal(holds({ field: 'toString', filled: true }, {}), false);
    assert.equal(holds({ field: '__proto__', filled: true }, {}), false);
  });

  it('is false for a malformed condition instead of throwing', () => {
    const malformed = [null, undefined, 'kind', {}, { field: 'kind' }, { field: 3, equals: 3 }, { all: 'x' }, { any: null }, { field: 'kind', in: 'public' }];
    for (const condition of malformed) assert.equal(holds(condition as unknown as Condition), false, JSON.stringify(condition));
  });
});

describe('conditionFields', () => {
  it('lists the fields a condition reads, once each, in order', () => {
    const condition: Condition = {
      any: [
        { field: 'kind', equals: 'public' },
        { all: [{ field: 'needs', in: ['lift'] }, { not: { field: 'kind', filled: true } }] },
        { field: 'households', filled: true },
      ],
    };
    assert.deepEqual(conditionFields(condition), ['kind', 'needs', 'households']);
    assert.deepEqual(conditionFields({ field: 'kind', equals: 'x' }), ['kind']);
  });

  it('is empty for a malformed condition', () => {
    assert.deepEqual(conditionFields(null as unknown as Condition), []);
    assert.deepEqual(conditionFields({ all: 'x' } as unknown as Condition), []);
  });
});

describe('isFilled', () => {
  it('counts strings with text, non-empty lists, true, finite numbers and objects', () => {
    for (const value of ['x', ' x ', [0], true, 0, -1.5, { lat: 1 }, {}]) assert.equal(isFilled(value), true, JSON.stringify(value));
    for (const value of ['', ' \n\t', [], false, Number.NaN, Number.POSITIVE_INFINITY, null, undefined]) assert.equal(isFilled(value), false, String(value));
  });
});
