/**
 * Bad input of every kind gets a clear 4xx problem — never a 500, never a crash: the server
 * answers normally afterwards.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { append, call, PATHS, perDatabase, topicSubmission, wuxiProgramme, type Answer } from './helpers.js';

perDatabase('bad input', ({ db, server }) => {
  let programme = '';
  const answers: Answer[] = [];
  const post = async (body: unknown, init: Parameters<typeof append>[3] = {}) => {
    const res = await append(server(), programme, body, init);
    answers.push(res);
    return res;
  };
  const expectProblem = (res: Answer, status: number, type: string) => {
    assert.equal(res.status, status, res.text);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(res.body?.type, type);
    assert.equal(res.body?.status, status);
    assert.equal(typeof res.body?.detail, 'string');
  };

  it('malformed JSON is 400 malformed-json, saying where', async () => {
    programme = await wuxiProgramme(db());
    for (const raw of ['{"id": "x",', '{bad}', 'null x', '', '   ']) {
      const res = await post(undefined, { rawBody: raw, key: 'k-1' });
      expectProblem(res, 400, '/problems/malformed-json');
    }
  });

  it('a body with a __proto__ member is refused', async () => {
    const res = await post(undefined, { rawBody: '{"__proto__": {"admin": true}, "id": "k-1"}', key: 'k-1' });
    expectProblem(res, 400, '/problems/malformed-json');
  });

  it('no Idempotency-Key is 400; a key outside the allowed characters or too long is 400; a key other than the id is 400', async () => {
    const body = topicSubmission();
    expectProblem(await post(body, { key: null }), 400, '/problems/missing-idempotency-key');
    expectProblem(await post(body, { key: 'has space' }), 400, '/problems/invalid-idempotency-key');
    expectProblem(await post(body, { key: 'x'.repeat(129) }), 400, '/problems/invalid-idempotency-key');
    expectProblem(await post(body, { key: 'another' }), 400, '/problems/idempotency-key-mismatch');
  });

  it('a body over the limit is 413 with maxBytes', async () => {
    const body = topicSubmission();
    const big = { ...body, event: { ...body.event, values: { title: 'x'.repeat(65 * 1024) } } };
    const res = await post(big);
    expectProblem(res, 413, '/problems/payload-too-large');
    assert.equal(res.body?.maxBytes, 65536);
  });

  it('text/plain, a form post or no Content-Type is 415 with the accepted type', async () => {
    const body = topicSubmission();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/problem+json']) {
      const res = await post(body, { headers: { 'content-type': type } });
      expectProblem(res, 415, '/problems/unsupported-media-type');
      assert.deepEqual(res.body?.accepted, ['application/json']);
    }
    const none = await call(server(), `/api/programmes/${programme}/events`, { method: 'POST', headers: { 'idempotency-key': 'k-2' }, template: PATHS.events });
    expectProblem(none, 415, '/problems/unsupported-media-type');
  });

  it('an unknown programme is 404', async () => {
    for (const id of ['no-such-programme', 'UPPER-case', 'x'.repeat(70)]) {
      const res = await append(server(), id, topicSubmission());
      expectProblem(res, 404, '/problems/unknown-programme');
    }
  });

  it('missing fields are 400 invalid-request, each with its pointer', async () => {
    const { event: _event, at: _at, ...rest } = topicSubmission();
    const res = await post(rest);
    expectProblem(res, 400, '/problems/invalid-request');
    assert.deepEqual(res.body?.errors, [
      { pointer: '/event', message: 'An EventSubmission needs event.' },
      { pointer: '/at', message: 'An EventSubmission needs at.' },
    ]);
    const adopt = { ...topicSubmission(), event: { type: 'measure.adopt' } };
    assert.deepEqual((await post(adopt)).body?.errors, [{ pointer: '/event/measureId', message: 'measure.adopt needs measureId.' }]);
  });

  it('unknown fields are 400 invalid-request, in the envelope and in the event', async () => {
    const body = topicSubmission();
    const res = await post({ ...body, seq: 5 });
    expectProblem(res, 400, '/problems/invalid-request');
    assert.deepEqual(res.body?.errors, [{ pointer: '/seq', message: 'An EventSubmission has no property "seq".' }]);
    const inEvent = await post({ ...body, event: { ...body.event, priority: 'high' } });
    assert.deepEqual(inEvent.body?.errors, [{ pointer: '/event/priority', message: 'topic.submit has no property "priority".' }]);
    const inBy = await post({ ...body, by: { ...body.by, token: 'x' } });
    assert.deepEqual(inBy.body?.errors, [{ pointer: '/by/token', message: 'An EventSubmission has no property "token".' }]);
  });

  it('wrong types, unknown event types, bad times and roles are 400 invalid-request', async () => {
    const body = topicSubmission();
    const cases: unknown[] = [
      { ...body, event: { type: 'topic.delete' } },
      { ...body, at: 'yesterday' },
      { ...body, by: { role: 'mayor' } },
      { ...body, topicId: 42 },
      { ...body, event: { type: 'rating.submit', stars: 0 } },
      { ...body, event: { type: 'rating.submit', stars: 4.5 } },
      [body],
      'a string',
    ];
    for (const c of cases) {
      const res = await post(c, { key: body.id });
      expectProblem(res, 400, '/problems/invalid-request');
      assert.ok((res.body?.errors as unknown[]).length > 0, JSON.stringify(c).slice(0, 80));
    }
  });

  it('a path or method outside the contract is a 404 problem', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing'],
      ['POST', '/api/programmes'],
      ['GET', `/api/programmes/${programme}`],
    ] as const) {
      const res = await call(server(), path, { method, ...(method === 'POST' ? { rawBody: '{}' } : {}) });
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    }
  });

  it('a repeated query parameter is 400', async () => {
    const res = await call(server(), `/api/programmes/${programme}/figures?now=2026-01-01T00:00:00Z&now=2026-01-02T00:00:00Z`, { template: PATHS.figures });
    expectProblem(res, 400, '/problems/invalid-request');
  });

  it('none of these was a 500, and the server still answers', async () => {
    assert.ok(answers.length > 20);
    assert.deepEqual(answers.filter((a) => a.status >= 500).map((a) => a.text), []);
    assert.equal((await call(server(), '/healthz')).status, 200);
    assert.equal((await append(server(), programme, topicSubmission())).status, 201);
  });
});
