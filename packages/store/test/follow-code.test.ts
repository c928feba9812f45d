/**
 * Follow codes as a resident types them: read aloud on the phone, copied with spaces, typed in
 * lower case or with a Chinese input method's full-width characters. A typo is caught before the
 * server is asked.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FOLLOW_CODE_ALPHABET, FOLLOW_CODE_LENGTH, formatFollowCode, normalizeFollowCode } from '../src/follow-code.js';

describe('follow codes', () => {
  it('has 31 characters and none that look alike (0/O, 1/I/l)', () => {
    assert.equal(new Set(FOLLOW_CODE_ALPHABET).size, 31);
    for (const c of '01OIL') assert.ok(!FOLLOW_CODE_ALPHABET.includes(c), `${c} is not in the alphabet`);
    assert.equal(FOLLOW_CODE_LENGTH, 12);
  });

  it('normalises case, spaces, hyphens and full-width characters', () => {
    for (const typed of ['K7QM-3XPA-9DRT', 'k7qm-3xpa-9drt', ' K7QM 3XPA 9DRT ', 'K7QM3XPA9DRT', 'Ｋ７ＱＭ－３ＸＰＡ－９ＤＲＴ', 'K7QM\u30003XPA\u30009DRT']) {
      assert.equal(normalizeFollowCode(typed), 'K7QM3XPA9DRT', JSON.stringify(typed));
    }
  });

  it('refuses what cannot be a code: look-alikes, wrong length, other characters', () => {
    for (const typed of ['K7QM-3XPA-9DR', 'K7QM-3XPA-9DRTX', 'K0QM-3XPA-9DRT', 'K7OM-3XPA-9DRT', 'K1QM-3XPA-9DRT', 'KIQM-3XPA-9DRT', 'KlQM-3XPA-9DRT', 'K7QM_3XPA_9DRT', '', '53D4 D78E']) {
      assert.equal(normalizeFollowCode(typed), null, JSON.stringify(typed));
    }
    assert.equal(normalizeFollowCode(undefined), null);
    assert.equal(normalizeFollowCode(12), null);
  });

  it('formats a code in three groups of four, and leaves a non-code as typed', () => {
    assert.equal(formatFollowCode('k7qm3xpa9drt'), 'K7QM-3XPA-9DRT');
    assert.equal(formatFollowCode(' not a code '), 'not a code');
  });
});
