/**
 * What the outbox tells the desk, through the real http transport (its fetch answered by a
 * scripted stand-in for the server's HTTP answers, so each status and problem body is exact):
 * why it waits (`status.hold`), what a refusal said (`Conflict`), and that a 401 keeps every
 * event until the person signs in again. The same flows against the reference server itself are
 * driven in packages/elements/test/staff-desk.test.ts.
 */
import { expect } from '@esm-bundle/chai';
import { httpTransport, openStore, whoAmI, type ConsultStore } from '../src/index.js';
import { accept, dbName, exampleConfig, submit, waitFor } from './helpers.js';

const http = { type: 'http', endpoint: '/api' } as const;

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'network-down';

/** A fetch that answers POSTs from a script (then 201 with the entry), and pulls with an empty page. */
function scriptedFetch(script: Answer[]) {
  const posts: Array<{ key: string; auth: string | null }> = [];
  let seq = 0;
  const fetchFn = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (init?.method !== 'POST') {
      return new Response(JSON.stringify({ entries: [], cursor: 'c0', more: false }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }
    posts.push({ key: headers.get('Idempotency-Key') ?? '', auth: headers.get('Authorization') });
    const answer = script.shift();
    if (answer === 'network-down') throw new TypeError('Failed to fetch');
    if (answer) {
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': 'application/problem+json', ...answer.headers },
      });
    }
    const entry = JSON.parse(String(init.body)) as Record<string, unknown>;
    return new Response(JSON.stringify({ entry: { ...entry, seq: (seq += 1) } }), { status: 201, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetchFn, posts };
}

async function open(label: string, script: Answer[], token: () => string | undefined = () => 'tok-1'): Promise<{ store: ConsultStore; posts: Array<{ key: string; auth: string | null }> }> {
  const { fetchFn, posts } = scriptedFetch(script);
  const config = await exampleConfig('wuxi-community', http);
  const store = await openStore({
    config,
    transport: httpTransport({ endpoint: '/api', programmeId: config.id, token, fetch: fetchFn }),
    dbName: dbName(label),
    pullIntervalMs: 0,
    backoff: { baseMs: 20, maxMs: 40 },
  });
  return { store, posts };
}

describe('store: why the outbox waits, and what a refusal said', () => {
  it('a 401 keeps the events queued (nothing lost, nothing resent) and says signed out; resume() sends them with the new token', async () => {
    let token = 'expired-token';
    const { store, posts } = await open('signed-out', [{ status: 401, body: { type: '/problems/unauthenticated', title: 'Sign in again', status: 401, detail: 'The token is not valid (expired); sign in again.' } }], () => token);
    await store.append('t1', submit());
    await waitFor(() => store.status.hold?.reason === 'signed-out', 'signed out');
    expect(store.status.hold?.detail).to.equal('The token is not valid (expired); sign in again.');
    // Another action while signed out: kept too, and not sent.
    await store.append('t1', accept());
    await new Promise((r) => setTimeout(r, 150));
    expect(store.status.pending).to.equal(2, 'both kept in the outbox');
    expect(store.status.conflicts).to.equal(0, 'a 401 is not a refusal of the action');
    expect(posts).to.have.length(1, 'nothing is sent again while signed out');
    expect(store.topics.get('t1')?.value).to.not.equal('screening', 'the queued actions still show on this device');

    token = 'fresh-token';
    await store.resume();
    await waitFor(() => store.status.pending === 0, 'both sent after signing in');
    expect(store.status.hold).to.equal(undefined);
    expect(store.status.lastSentAt).to.be.a('string');
    expect(posts.slice(1).map((p) => p.auth)).to.deep.equal(['Bearer fresh-token', 'Bearer fresh-token']);
    expect(posts[1]!.key).to.equal(posts[0]!.key, 'the same Idempotency-Key as the refused attempt');
    store.close();
  });

  it('429 says rate-limited with when it retries (the server’s Retry-After); 503 says unavailable; a network fault says unreachable', async () => {
    const { store } = await open('holds', [
      { status: 429, body: { type: '/problems/rate-limited', title: 'Too many requests', status: 429, detail: 'try again in 1 seconds.' }, headers: { 'Retry-After': '1' } },
      { status: 503, body: { type: '/problems/unavailable', title: 'Temporarily unavailable', status: 503 } },
      'network-down',
    ]);
    const seen: string[] = [];
    store.subscribe((s) => {
      if (s.hold && seen.at(-1) !== s.hold.reason) seen.push(s.hold.reason);
    });
    const before = Date.now();
    await store.append('t1', submit());
    await waitFor(() => store.status.hold?.reason === 'rate-limited', 'rate-limited');
    const retryAt = Date.parse(store.status.hold!.retryAt!);
    expect(retryAt - before).to.be.at.least(1000, 'not before the server’s Retry-After');
    await waitFor(() => store.status.pending === 0, 'sent in the end', 10_000);
    expect(seen).to.deep.equal(['rate-limited', 'unavailable', 'unreachable']);
    expect(store.status.hold).to.equal(undefined, 'nothing waits, nothing to say');
    store.close();
  });

  it('a 403 out-of-scope keeps the missing scope; a 403 forbidden the role; discard takes it out of the outbox for good, retry sends it again', async () => {
    const { store, posts } = await open('refused', [
      { status: 403, body: { type: '/problems/out-of-scope', title: 'Outside your scope', status: 403, detail: 'Not your room.', missingScope: 'programme:wuxi-x' } },
      { status: 403, body: { type: '/problems/forbidden', title: 'Not allowed', status: 403, detail: 'The token does not hold the role convener.', eventType: 'screening.accept', role: 'convener', reason: 'role-not-held' } },
    ]);
    const first = await store.append('t1', submit());
    await waitFor(() => store.status.conflicts === 1, 'the first refusal');
    const second = await store.append('t2', submit('路灯不亮'));
    await waitFor(() => store.status.conflicts === 2, 'the second refusal');
    const [scope, role] = store.conflicts;
    expect(scope!.id).to.equal(first.ok ? first.entry.id : '');
    expect(scope!.conflict).to.include({ status: 403, type: '/problems/out-of-scope', missingScope: 'programme:wuxi-x', detail: 'Not your room.' });
    expect(role!.conflict).to.include({ status: 403, type: '/problems/forbidden', role: 'convener', forbidden: 'role-not-held' });
    expect(store.topics.has('t1')).to.equal(false, 'a refused event is not shown as if it happened');

    await store.discardConflict(scope!.id);
    expect(store.conflicts.map((c) => c.id)).to.deep.equal([second.ok ? second.entry.id : '']);
    await store.retryConflict(role!.id);
    await waitFor(() => store.status.conflicts === 0 && store.status.pending === 0, 'the retried one sent');
    expect(posts.map((p) => p.key)).to.deep.equal([scope!.id, role!.id, role!.id], 'the discarded one was never sent again');
    expect(store.topics.has('t2')).to.equal(true);
    expect(store.topics.has('t1')).to.equal(false);
    store.close();
  });
});

describe('whoAmI: GET /me', () => {
  const answer = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('names the subject, its roles and scopes', async () => {
    const result = await whoAmI({
      endpoint: '/api/',
      token: 't',
      fetch: answer(200, { id: 'c-1', name: '张丽华', roles: ['convener'], scopes: { levels: ['community'] }, source: 'oidc' }),
    });
    expect(result).to.deep.equal({ ok: true, identity: { id: 'c-1', name: '张丽华', roles: ['convener'], scopes: { levels: ['community'] }, source: 'oidc' } });
  });

  it('401 is unauthenticated with the server’s reason; a network fault offline; anything else unavailable', async () => {
    expect(await whoAmI({ endpoint: '/api', token: 'not-a-token', fetch: answer(401, { detail: 'The token is not valid (unknown token); sign in again.' }) })).to.deep.equal({
      ok: false,
      reason: 'unauthenticated',
      status: 401,
      detail: 'The token is not valid (unknown token); sign in again.',
    });
    expect(await whoAmI({ endpoint: '/api', fetch: async () => Promise.reject(new TypeError('Failed to fetch')) })).to.deep.equal({ ok: false, reason: 'offline' });
    expect((await whoAmI({ endpoint: '/api', fetch: answer(200, { roles: ['convener'] }) })).ok).to.equal(false, 'an answer without an id is no identity');
    expect(await whoAmI({ endpoint: '/api', fetch: answer(404, { title: 'Not Found' }) })).to.deep.include({ ok: false, reason: 'unavailable', status: 404 });
  });
});
