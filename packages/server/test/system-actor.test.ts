/**
 * The server's clock acts as SYSTEM_ACTOR (`system:clock`): it closes an ended rating window
 * whatever the programme's permissions say. Nobody else may stand for it: a token file naming it
 * is refused at start-up, and a token (or a provider's subject) that resolves to it is answered
 * 401 and cannot close an evaluation early.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '@consult-kit/machine';
import { sha256Hex } from '../src/canonical-json.js';
import { parseTokens, type Principal, type TokenTable } from '../src/authn.js';
import { append, call, perDatabase, TOKENS, wuxiProgramme } from './helpers.js';

const IMPOSTOR = { token: 'impostor-of-the-clock-0123456789', principal: { id: SYSTEM_ACTOR.id, roles: ['admin'] } satisfies Principal };
const tokens: TokenTable = new Map([...TOKENS, [sha256Hex(IMPOSTOR.token), IMPOSTOR.principal as Principal]]);

it('a token file that gives someone the clock\'s id is refused with a sentence saying why', () => {
  assert.throws(
    () => parseTokens({ 'a-long-enough-token-000000000001': { role: 'admin', id: SYSTEM_ACTOR.id } }, 'tokens.json'),
    /tokens\.json: token "a-lo…": the id "system:clock" is reserved for the server's own clock/,
  );
});

perDatabase(
  'nobody stands for the server clock',
  ({ db, server }) => {
    it('a token that resolves to system:clock is answered 401 and closes nothing', async () => {
      const programme = await wuxiProgramme(db());
      const me = await call(server(), '/api/me', { token: IMPOSTOR.token });
      assert.equal(me.status, 401, me.text);
      assert.match(String(me.body?.detail), /reserved for the server's clock/);
      const close = await append(server(), programme, { id: `e-${randomUUID()}`, topicId: `t-${randomUUID()}`, event: { type: 'evaluation.close' }, by: { role: 'admin' }, at: new Date().toISOString() }, { token: IMPOSTOR.token });
      assert.equal(close.status, 401, close.text);
    });
  },
  { tokens },
);
