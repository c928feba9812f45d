/**
 * A stand-in for the city's server, for the staff-desk stories only: Storybook has no server
 * behind it, so `fetch` to `/stand-in-desk/<scenario>/api/…` is answered here, in the page, the
 * way the reference server answers in that scenario (its status codes and problem bodies, as in
 * docs/api/openapi.yaml). Every other request goes to the browser's own fetch untouched. The same
 * states are tested against the real server in packages/elements/test/staff-desk.test.ts.
 */

/** What the stand-in server does. */
export type DeskScenario =
  /** `GET /me` never answers: the desk is still checking. */
  | 'checking'
  /** `GET /me` answers 401: the token is not valid. */
  | 'signed-out'
  /** `GET /me` names a department's person; the desk is for a convener. */
  | 'role-not-held'
  /** Signed in as a convener; every action is refused as outside their scope (another level). */
  | 'refused-scope'
  /** Signed in as a convener; every action is refused because the token no longer holds the role. */
  | 'refused-role'
  /** Signed in as a convener; the events route cannot be reached. */
  | 'unreachable'
  /** Signed in as a convener; every action is accepted. */
  | 'sent';

const PREFIX = '/stand-in-desk/';
const json = (status: number, body: unknown, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
const problem = (status: number, name: string, title: string, detail: string, extensions: Record<string, unknown> = {}) =>
  json(status, { type: `/problems/${name}`, title, status, detail, ...extensions }, 'application/problem+json');

const CONVENER = { id: 'c-001', name: '张丽华', roles: ['convener'], source: 'oidc' };
const DEPARTMENT = { id: 'd-hb-01', name: '刘明', roles: ['department'], source: 'oidc' };

let seq = 100_000;
let installed = false;

async function answer(scenario: DeskScenario, path: string, init: RequestInit | undefined): Promise<Response> {
  const method = init?.method ?? 'GET';
  if (path === '/me') {
    if (scenario === 'checking') return new Promise<Response>(() => undefined);
    if (scenario === 'signed-out') return problem(401, 'unauthenticated', 'Sign in again', 'The token is not valid (expired); sign in again.');
    return json(200, scenario === 'role-not-held' ? DEPARTMENT : CONVENER);
  }
  if (/\/events$/.test(path) && method === 'POST') {
    const entry = JSON.parse(String(init?.body)) as Record<string, unknown>;
    switch (scenario) {
      case 'refused-scope':
        return problem(403, 'out-of-scope', 'Outside your scope', 'The topic is at the street level; this convener acts at community level only.', { missingScope: 'level:street' });
      case 'refused-role':
        return problem(403, 'forbidden', 'Not allowed', 'The token does not hold the role convener.', { eventType: (entry.event as { type?: string })?.type, role: 'convener' });
      case 'unreachable':
        throw new TypeError('Failed to fetch');
      default:
        return json(201, { entry: { ...entry, by: { ...(entry.by as object), id: CONVENER.id, name: CONVENER.name }, seq: (seq += 1) } });
    }
  }
  if (/\/events(\?|$)/.test(path)) return json(200, { entries: [], cursor: '', more: false });
  return problem(404, 'unknown-topic', 'Not here', 'The stand-in answers only what the desk stories need.');
}

/** The endpoint of a scenario; installs the stand-in on first use. */
export function deskEndpoint(scenario: DeskScenario): string {
  if (!installed) {
    installed = true;
    const real = window.fetch.bind(window);
    window.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      if (url.origin !== location.origin || !url.pathname.startsWith(PREFIX)) return real(input, init);
      const [name, ...rest] = url.pathname.slice(PREFIX.length).split('/');
      const path = `/${rest.slice(1).join('/')}${url.search}`; // after "<scenario>/api"
      return answer(name as DeskScenario, path, init);
    };
  }
  return `${PREFIX}${scenario}/api`;
}
