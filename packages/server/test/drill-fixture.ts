/**
 * What a city sees of its data through the API, for the drills that must find the same after a
 * crash or a restore: per programme the whole pulled log, the topics (their states, from the
 * machine's selectors), and the figures.
 */
import assert from 'node:assert/strict';

/** One programme as the API shows it. */
export interface ProgrammeView {
  entries: Array<Record<string, unknown>>;
  topics: unknown;
  figures: unknown;
}

async function getJson(url: string, token: string): Promise<unknown> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `${url}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

/** The whole log of a programme, page by page. */
export async function pullAll(base: string, programme: string, token: string, limit = 1000): Promise<Array<Record<string, unknown>>> {
  const entries: Array<Record<string, unknown>> = [];
  let after: string | undefined;
  for (;;) {
    const page = (await getJson(`${base}/api/programmes/${programme}/events?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`, token)) as { entries: Array<Record<string, unknown>>; cursor: string; more: boolean };
    entries.push(...page.entries);
    if (!page.more) return entries;
    after = page.cursor;
  }
}

/** An answer without its `asOf` (when it was answered, which differs between two reads). */
function timeless(answer: unknown): unknown {
  if (answer && typeof answer === 'object' && 'asOf' in answer) {
    const { asOf: _asOf, ...rest } = answer as Record<string, unknown>;
    return rest;
  }
  return answer;
}

/** Every programme's view, by id. */
export async function readViews(base: string, token: string): Promise<Record<string, ProgrammeView>> {
  const { programmes } = (await getJson(`${base}/api/programmes`, token)) as { programmes: Array<{ id: string }> };
  const views: Record<string, ProgrammeView> = {};
  for (const { id } of programmes) {
    views[id] = {
      entries: await pullAll(base, id, token),
      topics: timeless(await getJson(`${base}/api/programmes/${id}/topics`, token)),
      figures: timeless(await getJson(`${base}/api/programmes/${id}/figures`, token)),
    };
  }
  return views;
}
