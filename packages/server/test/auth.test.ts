/**
 * Who may do what: staff events need a token whose role is `by.role` and which the config's
 * permissions allow; residents' own events are open or protected as the config says; pulling
 * the log needs a staff token with `--pull-access staff`, gives anyone the redacted log by default.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { append, call, PATHS, PEOPLE, perDatabase, serve, topicSubmission, wuxiProgramme } from './helpers.js';

const accept = (topicId: string, by: Record<string, string> = { role: 'convener', id: PEOPLE.convener.id }) => ({
  id: `e-${randomUUID()}`,
  topicId,
  event: { type: 'screening.accept' },
  by,
  at: '2026-03-04T10:05:00+08:00',
});

perDatabase('auth', ({ db, server }) => {
  let programme = '';
  let topicId = '';

  it('a resident may raise a topic without a token where resident access is open (the default)', async () => {
    programme = await wuxiProgramme(db());
    const topic = topicSubmission();
    topicId = topic.topicId;
    const res = await append(server(), programme, topic, { token: undefined });
    assert.equal(res.status, 201);
  });

  it('a staff event without a token is 401 with WWW-Authenticate: Bearer', async () => {
    const res = await append(server(), programme, accept(topicId), { token: undefined });
    assert.equal(res.status, 401);
    assert.equal(res.body?.type, '/problems/unauthenticated');
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="consult-kit"');
  });

  it('a bad token is 401 with error="invalid_token", also on a resident event', async () => {
    for (const authorization of ['Bearer not-a-configured-token', 'Basic Y29udmVuZXI6eA==', 'Bearer']) {
      const res = await append(server(), programme, accept(topicId), { token: undefined, headers: { authorization } });
      assert.equal(res.status, 401, authorization);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="consult-kit", error="invalid_token"');
    }
    const resident = await append(server(), programme, topicSubmission(), { token: 'tok-expired-or-unknown-000000' });
    assert.equal(resident.status, 401);
  });

  it('a resident\'s token cannot send a staff event: 403 (the token does not hold convener)', async () => {
    const res = await append(server(), programme, accept(topicId), { token: PEOPLE.resident.token });
    assert.equal(res.status, 403);
    assert.equal(res.body?.detail, 'The token does not hold the role convener.');
    assert.equal(res.body?.role, 'convener');
    assert.equal(res.body?.reason, 'role-not-held', 'a code the desk names in the person\'s language');
  });

  it('by.role other than the token\'s role is 403, even when that role would be allowed', async () => {
    const res = await append(server(), programme, accept(topicId, { role: 'admin', id: PEOPLE.convener.id }), { token: PEOPLE.convener.token });
    assert.equal(res.status, 403);
    assert.equal(res.body?.detail, 'The token does not hold the role admin.');
  });

  it('by.id other than the token\'s subject is 403', async () => {
    const res = await append(server(), programme, accept(topicId, { role: 'convener', id: 'c-999' }), { token: PEOPLE.convener.token });
    assert.equal(res.status, 403);
    assert.match(String(res.body?.detail), /not the token's subject/);
    assert.equal(res.body?.reason, 'not-the-subject');
  });

  it('a resident with a token acting as a role the permissions allow is 403 when they do not allow it', async () => {
    const res = await append(server(), programme, accept(topicId, { role: 'resident', id: PEOPLE.resident.id }), { token: PEOPLE.resident.token });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body?.allowed, ['convener', 'admin']);
    assert.equal(res.body?.reason, 'role-not-permitted');
  });

  it('without a token a request may act only as a resident', async () => {
    const grid = { ...topicSubmission(), by: { role: 'grid', id: PEOPLE.grid.id } };
    grid.event = { ...grid.event, source: 'grid' };
    const res = await append(server(), programme, grid, { token: undefined });
    assert.equal(res.status, 401);
    assert.equal((await append(server(), programme, grid, { token: PEOPLE.grid.token })).status, 201);
  });

  it('the right token sends the staff event', async () => {
    assert.equal((await append(server(), programme, accept(topicId), { token: PEOPLE.convener.token })).status, 201);
  });

  it('where the config says residentAccess: token, residents need a token too', async () => {
    const closed = await wuxiProgramme(db(), (c) => (c.residentAccess = 'token'));
    const topic = topicSubmission();
    const anonymous = await append(server(), closed, topic, { token: undefined });
    assert.equal(anonymous.status, 401);
    assert.match(String(anonymous.body?.detail), /needs a token to send topic\.submit/);
    assert.equal((await append(server(), closed, topic, { token: PEOPLE.resident.token })).status, 201);
  });

  it('with pullAccess: staff, pulling the log needs a staff token: 401 without, 403 with a resident\'s, 200 with a department\'s', async () => {
    const staff = await serve(db(), { pullAccess: 'staff' });
    try {
      const path = `/api/programmes/${programme}/events`;
      assert.equal((await call(staff, path, { template: PATHS.events })).status, 401);
      assert.equal((await call(staff, path, { template: PATHS.events, token: PEOPLE.resident.token })).status, 403);
      assert.equal((await call(staff, path, { template: PATHS.events, token: PEOPLE.department.token })).status, 200);
    } finally {
      await staff.close();
    }
  });

  it('by default anyone may pull the (redacted) log; a bad token is still 401', async () => {
    const path = `/api/programmes/${programme}/events`;
    assert.equal((await call(server(), path, { template: PATHS.events })).status, 200);
    assert.equal((await call(server(), path, { template: PATHS.events, token: PEOPLE.resident.token })).status, 200);
    assert.equal((await call(server(), path, { template: PATHS.events, headers: { authorization: 'Bearer not-a-configured-token' } })).status, 401);
  });

  it('reading programmes, configs and figures is open', async () => {
    assert.equal((await call(server(), '/api/programmes', { template: PATHS.programmes })).status, 200);
    assert.equal((await call(server(), `/api/programmes/${programme}/config`, { template: PATHS.config })).status, 200);
    assert.equal((await call(server(), `/api/programmes/${programme}/figures`, { template: PATHS.figures })).status, 200);
  });

  describe('with pullAccess: open', () => {
    it('anyone may pull', async () => {
      const open = await serve(db(), { pullAccess: 'open' });
      try {
        const res = await call(open, `/api/programmes/${programme}/events`, { template: PATHS.events });
        assert.equal(res.status, 200);
      } finally {
        await open.close();
      }
    });
  });
});
