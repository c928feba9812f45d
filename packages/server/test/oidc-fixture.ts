/**
 * A real OpenID Provider for the tests: `oidc-provider` (OpenID-certified) in this process, on
 * an ephemeral port of 127.0.0.1, shaped like a Keycloak realm — and a host portal that signs
 * resident assertions. Nothing here signs a provider token by hand: provider tokens come out of
 * the provider's own authorization-code flow (PKCE), as a staff page would get them.
 *
 * ```ts
 * const idp = await startOidcProvider({ staffRedirectUris: [`${server.url}/staff.html`] });
 * const token = await idp.tokenFor('convener-wuxi');            // a JWT access token for `consult-kit`
 * const authenticator = createAuthenticator({ tokens, oidc: idp.serverOptions() }); // or loadOptions(idp.flags(file))
 * await idp.rotateKeys();                                       // a new signing key (new kid)
 * await idp.close();
 * ```
 *
 * The provider:
 * - issuer `http://127.0.0.1:<port>`; discovery at `/.well-known/openid-configuration`, keys at
 *   `/jwks`; JWT access tokens (RFC 9068) for the resource indicator `urn:consult-kit:api`, whose
 *   audience is `audience` (default `consult-kit`). The resource is the default one, so a client
 *   need not send `resource`: any authorization-code token of either client is for our API.
 * - clients: `STAFF_CLIENT_ID` (public, PKCE S256, token endpoint auth `none`, the redirect URIs
 *   the caller gives plus `NODE_REDIRECT_URI`; CORS allowed from those URIs' origins) and
 *   `CONFIDENTIAL_CLIENT_ID` / `CONFIDENTIAL_CLIENT_SECRET` (client_secret_basic,
 *   authorization_code and client_credentials).
 * - users (`FIXTURE_USERS`, extendable through `users`): the login name is the user id, any
 *   password is accepted (the provider's development interactions). The access token carries the
 *   claims the documented Keycloak mapping (`KEYCLOAK_CLAIMS_MAPPING`, docs/server.md#identity)
 *   reads: `realm_access.roles`, `consult_rooms`, `consult_levels`, `consult_parties`, `name`,
 *   `preferred_username`.
 *
 * Signing in through a browser (playwright selectors; identity-browser.test.ts runs them in Chromium):
 * ```ts
 * // the staff page redirected the browser to `${idp.issuer}/auth?...`
 * await page.locator('input[name="login"]').fill('convener-wuxi');
 * await page.locator('input[name="password"]').fill('any password');
 * await page.locator('button[type="submit"]').click();          // "Sign-in"
 * await page.locator('button[type="submit"]').click();          // consent page: "Continue"
 * // the browser lands on the redirect URI with ?code=…&state=…&iss=…
 * ```
 * The login page is `…/interaction/<uid>` with a form posting to `…/interaction/<uid>/login`;
 * the consent page posts to `…/interaction/<uid>/confirm` (its one button reads "Continue").
 * Both are the provider's own pages (inline styles: they do not run under our CSP).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { parseClaimsMapping } from '../src/identity/claims.js';
import type { OidcSettings } from '../src/identity/oidc.js';

/** The public client a staff page uses (Authorization Code + PKCE). */
export const STAFF_CLIENT_ID = 'consult-kit-staff';
/** The second, confidential client (a back office). */
export const CONFIDENTIAL_CLIENT_ID = 'consult-kit-backoffice';
/** Its secret (client_secret_basic). */
export const CONFIDENTIAL_CLIENT_SECRET = 'backoffice-secret-for-tests-only-0123456789';
/** A redirect URI both clients have, which `tokenFor` uses: nothing listens there, the flow stops at the redirect. */
export const NODE_REDIRECT_URI = 'http://127.0.0.1/oidc-fixture/callback';
/** The resource indicator of our API (RFC 8707); its audience is the fixture's `audience`. */
export const RESOURCE = 'urn:consult-kit:api';
/** What a staff page asks for by default. */
export const STAFF_SCOPE = 'openid profile';

/** One user of the provider: what their access token says about them. */
export interface FixtureUser {
  name: string;
  /** Keycloak realm roles (`realm_access.roles`). */
  realmRoles: string[];
  /** Programme (room) ids: `consult_rooms`. */
  rooms?: string[];
  /** Topic levels: `consult_levels`. */
  levels?: string[];
  /** Responsible parties: `consult_parties`. */
  parties?: string[];
}

/**
 * The users, by login name (= `sub`). Programme ids are those of examples/configs
 * (`wuxi-youshi-haoshangliang`, `sichuan-xiaowei-xieshang`); `former-staff` has no consult-kit
 * role left (a user the realm took the role from, or deleted and re-created).
 */
export const FIXTURE_USERS: Readonly<Record<string, FixtureUser>> = {
  'convener-wuxi': { name: '张丽华', realmRoles: ['consult-convener', 'offline_access'], rooms: ['wuxi-youshi-haoshangliang'], levels: ['community'] },
  'convener-sichuan': { name: '杨帆', realmRoles: ['consult-convener'], rooms: ['sichuan-xiaowei-xieshang'], levels: ['village', 'community'] },
  'department-housing': { name: '刘明', realmRoles: ['consult-department'], parties: ['housing-bureau'] },
  admin: { name: '赵敏', realmRoles: ['consult-admin'] },
  resident: { name: '王秀英', realmRoles: ['consult-resident'] },
  'former-staff': { name: '钱七', realmRoles: ['offline_access', 'uma_authorization'] },
};

/**
 * The claims mapping (the `--oidc-claims` file) for this provider, as docs/server.md shows it
 * for a Keycloak realm: realm roles → our roles, `consult_*` user attributes → scopes.
 */
export const KEYCLOAK_CLAIMS_MAPPING = {
  id: 'sub',
  name: ['name', 'preferred_username'],
  roles: {
    from: ['/realm_access/roles'],
    map: { 'consult-convener': 'convener', 'consult-department': 'department', 'consult-admin': 'admin', 'consult-resident': 'resident' },
  },
  scopes: { programmes: 'consult_rooms', levels: 'consult_levels', parties: 'consult_parties' },
} as const;

/** What `startOidcProvider` takes. */
export interface OidcFixtureOptions {
  /** The staff page's redirect URIs (its origin also gets CORS on the token endpoint). */
  staffRedirectUris?: string[];
  /** The access tokens' audience (our `--oidc-audience`); default `consult-kit`. */
  audience?: string;
  /** Access token lifetime in seconds; default 300. */
  accessTokenTtl?: number;
  /** More users, or other claims for the default ones (e.g. a test programme's id in `rooms`). */
  users?: Record<string, FixtureUser>;
}


/** A running provider. */
export interface OidcFixture {
  /** `http://127.0.0.1:<port>` */
  issuer: string;
  audience: string;
  /** The users it knows, by login name. */
  users: Readonly<Record<string, FixtureUser>>;
  /** The `kid` the provider signs with now. */
  readonly kid: string;
  /**
   * Our server's settings for this provider, as the `--oidc-*` flags with
   * `KEYCLOAK_CLAIMS_MAPPING` give them (clock skew 60 s), with key refetch and discovery retry
   * not held back (tests rotate keys and take the provider down at once).
   */
  serverOptions(): OidcSettings;
  /** The same as command-line flags (`claimsFile`: where the caller wrote `KEYCLOAK_CLAIMS_MAPPING`). */
  flags(claimsFile: string): string[];
  /**
   * A real access token for a user: runs the authorization-code flow with PKCE through the
   * provider's login and consent pages with plain HTTP (cookies kept), then redeems the code.
   * `client`: `staff` (public, default) or `confidential`.
   */
  tokenFor(userId: string, options?: { client?: 'staff' | 'confidential'; scope?: string }): Promise<string>;
  /** A client_credentials access token of the confidential client (no user: no `sub` of a person). */
  clientCredentialsToken(): Promise<string>;
  /**
   * Swaps the signing key for a new one (new kid). `keepOld` (default true) keeps publishing
   * the old key so tokens signed before stay verifiable; false drops it from the JWKS. The
   * issuer, port, clients, users and sessions stay.
   */
  rotateKeys(options?: { keepOld?: boolean }): Promise<{ kid: string }>;
  /**
   * For bad-input tests only: a JWT the provider would never issue (a future `nbf`, another
   * `aud` or `iss`), signed RS256 with the provider's current key and kid — or, with
   * `foreignKey`, with a key it never published (kid `unknown-…`). Defaults: the provider's
   * `iss`, our audience, `sub` convener-wuxi with its claims, `iat` now, `exp` in 5 minutes.
   */
  forge(claims?: JWTPayload, options?: { foreignKey?: boolean }): Promise<string>;
  /** Makes the provider answer 503 to everything (`true`) or serve again (`false`): a provider that is down. */
  setDown(down: boolean): void;
  /** How many requests reached the JWKS endpoint (to see refetches). */
  readonly jwksRequests: number;
  close(): Promise<void>;
}

type PrivateJwk = JWK & { kid: string };

async function newSigningKey(): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `k-${randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Starts the provider. Close it after the suite. */
export async function startOidcProvider(options: OidcFixtureOptions = {}): Promise<OidcFixture> {
  const audience = options.audience ?? 'consult-kit';
  const ttl = options.accessTokenTtl ?? 300;
  const users: Record<string, FixtureUser> = { ...FIXTURE_USERS, ...options.users };
  const staffRedirectUris = [...(options.staffRedirectUris ?? []), NODE_REDIRECT_URI];
  let keys: PrivateJwk[] = [await newSigningKey()];
  let provider: Provider | undefined;
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let down = false;
  let jwksRequests = 0;

  const http = createServer((req, res) => {
    if (req.url?.startsWith('/jwks')) jwksRequests += 1;
    if (down || !handler) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
      return;
    }
    handler(req, res);
  });
  const port = await listen(http);
  const issuer = `http://127.0.0.1:${port}`;
  const cookieKeys = [randomBytes(24).toString('hex')];

  const configuration = (): Configuration => ({
    clients: [
      {
        client_id: STAFF_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: staffRedirectUris,
      },
      {
        client_id: CONFIDENTIAL_CLIENT_ID,
        client_secret: CONFIDENTIAL_CLIENT_SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'client_credentials'],
        response_types: ['code'],
        redirect_uris: [NODE_REDIRECT_URI],
      },
    ],
    jwks: { keys: keys.map((k) => ({ ...k })) as never },
    cookies: { keys: cookieKeys },
    pkce: { required: () => true },
    // A browser page may call the token endpoint from the origin of one of its client's redirect URIs.
    clientBasedCORS: (_ctx, origin, client) => (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    findAccount: (_ctx, id) => {
      const user = users[id];
      if (!user) return undefined;
      return { accountId: id, claims: () => ({ sub: id, name: user.name, preferred_username: id }) };
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'consult', audience, accessTokenTTL: ttl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
      },
    },
    // What a Keycloak realm puts into its access tokens (realm roles, user attributes by mapper).
    extraTokenClaims: (_ctx, token) => {
      const id = 'accountId' in token ? token.accountId : undefined;
      const user = typeof id === 'string' ? users[id] : undefined;
      if (!user || typeof id !== 'string') return undefined;
      return {
        name: user.name,
        preferred_username: id,
        realm_access: { roles: user.realmRoles },
        ...(user.rooms ? { consult_rooms: user.rooms } : {}),
        ...(user.levels ? { consult_levels: user.levels } : {}),
        ...(user.parties ? { consult_parties: user.parties } : {}),
      };
    },
    ttl: { AccessToken: ttl, ClientCredentials: ttl, Grant: 3600, Interaction: 600, Session: 3600, IdToken: ttl, AuthorizationCode: 60 },
    renderError: (ctx, out) => {
      ctx.type = 'text/plain';
      ctx.body = `oidc-fixture error: ${JSON.stringify(out)}`;
    },
  });

  const build = () => {
    provider = new Provider(issuer, configuration());
    const callback = provider.callback();
    handler = (req, res) => void callback(req, res);
  };
  build();

  async function tokenFor(userId: string, opts: { client?: 'staff' | 'confidential'; scope?: string } = {}): Promise<string> {
    if (!users[userId]) throw new Error(`oidc-fixture: no user "${userId}" (known: ${Object.keys(users).join(', ')})`);
    const confidential = opts.client === 'confidential';
    const clientId = confidential ? CONFIDENTIAL_CLIENT_ID : STAFF_CLIENT_ID;
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(8).toString('hex');
    const jar = new Map<string, string>();
    const remember = (res: Response) => {
      for (const cookie of res.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';', 1);
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq);
        const value = pair.slice(eq + 1);
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name);
        else jar.set(name, value);
      }
    };
    const cookieHeader = () => [...jar].map(([n, v]) => `${n}=${v}`).join('; ');
    const request = async (url: string, init: RequestInit = {}) => {
      const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() } });
      remember(res);
      return res;
    };
    const params = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: NODE_REDIRECT_URI,
      scope: opts.scope ?? STAFF_SCOPE,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    let url = `${issuer}/auth?${params}`;
    for (let step = 0; step < 12; step += 1) {
      const res = await request(url);
      if (res.status >= 300 && res.status < 400) {
        const location = new URL(res.headers.get('location') ?? '', url).href;
        await res.arrayBuffer();
        if (location.startsWith(NODE_REDIRECT_URI)) return redeem(new URL(location), clientId, verifier, state);
        url = location;
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`oidc-fixture: ${url} answered ${res.status}: ${html.slice(0, 300)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`oidc-fixture: no form on ${url}`);
      const body = html.includes('name="login"')
        ? new URLSearchParams({ prompt: 'login', login: userId, password: 'any password' })
        : new URLSearchParams({ prompt: 'consent' });
      const posted = await request(new URL(action, url).href, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      await posted.arrayBuffer();
      const next = posted.headers.get('location');
      if (!next) throw new Error(`oidc-fixture: posting ${action} answered ${posted.status}`);
      url = new URL(next, url).href;
    }
    throw new Error('oidc-fixture: the authorization flow did not reach the redirect URI');
  }

  async function redeem(callback: URL, clientId: string, verifier: string, state: string): Promise<string> {
    if (callback.searchParams.get('state') !== state) throw new Error('oidc-fixture: state mismatch');
    const code = callback.searchParams.get('code');
    if (!code) throw new Error(`oidc-fixture: no code (${callback.search})`);
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: NODE_REDIRECT_URI, code_verifier: verifier });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (clientId === CONFIDENTIAL_CLIENT_ID) headers.authorization = `Basic ${Buffer.from(`${CONFIDENTIAL_CLIENT_ID}:${CONFIDENTIAL_CLIENT_SECRET}`).toString('base64')}`;
    else body.set('client_id', clientId);
    return accessToken(await fetch(`${issuer}/token`, { method: 'POST', body, headers }));
  }

  async function accessToken(res: Response): Promise<string> {
    const json = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
    if (!res.ok || !json.access_token) throw new Error(`oidc-fixture: token endpoint answered ${res.status} ${json.error ?? ''} ${json.error_description ?? ''}`);
    return json.access_token;
  }

  return {
    issuer,
    audience,
    users,
    get kid() {
      return keys[0]!.kid;
    },
    get jwksRequests() {
      return jwksRequests;
    },
    serverOptions: () => {
      const { mapping } = parseClaimsMapping(JSON.parse(JSON.stringify(KEYCLOAK_CLAIMS_MAPPING)));
      if (!mapping) throw new Error('oidc-fixture: KEYCLOAK_CLAIMS_MAPPING does not parse');
      return { issuer, audience, clientId: STAFF_CLIENT_ID, scope: STAFF_SCOPE, claims: mapping, clockSkewSeconds: 60, jwksCooldownSeconds: 0, discoveryRetrySeconds: 0 };
    },
    flags: (claimsFile) => ['--oidc-issuer', issuer, '--oidc-audience', audience, '--oidc-client-id', STAFF_CLIENT_ID, '--oidc-scope', STAFF_SCOPE, '--oidc-claims', claimsFile],
    tokenFor,
    async clientCredentialsToken() {
      const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'consult', resource: RESOURCE });
      const basic = Buffer.from(`${CONFIDENTIAL_CLIENT_ID}:${CONFIDENTIAL_CLIENT_SECRET}`).toString('base64');
      return accessToken(await fetch(`${issuer}/token`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` } }));
    },
    async rotateKeys({ keepOld = true } = {}) {
      const fresh = await newSigningKey();
      keys = keepOld ? [fresh, ...keys] : [fresh];
      build();
      return { kid: fresh.kid };
    },
    async forge(claims: JWTPayload = {}, opts: { foreignKey?: boolean } = {}) {
      const now = Math.floor(Date.now() / 1000);
      const user = users['convener-wuxi']!;
      const payload: JWTPayload = {
        iss: issuer,
        aud: audience,
        sub: 'convener-wuxi',
        iat: now,
        exp: now + 300,
        client_id: STAFF_CLIENT_ID,
        realm_access: { roles: user.realmRoles },
        consult_rooms: user.rooms,
        ...claims,
      };
      const foreign = opts.foreignKey ? await newSigningKey() : undefined;
      const jwk = foreign ?? keys[0]!;
      const kid = foreign ? `unknown-${jwk.kid}` : jwk.kid;
      return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' }).sign(await importJWK(jwk, 'RS256'));
    },
    setDown(value: boolean) {
      down = value;
    },
    close: () => closeServer(http),
  };
}

/** What `startPortalFixture` takes. */
export interface PortalFixtureOptions {
  /** The portal's issuer (`--portal-issuer`); default `https://portal.example.gov.cn`. */
  issuer?: string;
  /** The audience it signs for; default `consult-kit`. */
  audience?: string;
}

/** A host portal that signs resident assertions with its own key and publishes the public key. */
export interface PortalFixture {
  issuer: string;
  audience: string;
  /** Where the portal publishes its JWKS (`--portal-jwks`). */
  jwksUrl: string;
  /** The public key as PEM (SPKI), what `--portal-key <file>` holds. */
  publicKeyPem: string;
  /** The public key as a JWK. */
  publicJwk: JWK;
  /**
   * Signs an assertion for a resident (RS256, kid of the published key): `sub`, `iat` now,
   * `exp` after `lifetimeSeconds` (default 120). `claims` adds or overrides (e.g.
   * `communities`, or `exp`/`iat` to make an expired one); `wrongKey` signs with a key the
   * portal never published.
   */
  sign(sub: string, options?: { claims?: JWTPayload; lifetimeSeconds?: number; wrongKey?: boolean; audience?: string; issuer?: string }): Promise<string>;
  close(): Promise<void>;
}

/** Starts a portal fixture (its JWKS served on 127.0.0.1). */
export async function startPortalFixture(options: PortalFixtureOptions = {}): Promise<PortalFixture> {
  const issuer = options.issuer ?? 'https://portal.example.gov.cn';
  const audience = options.audience ?? 'consult-kit';
  const kid = `portal-${randomBytes(4).toString('hex')}`;
  const pair = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const http = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    else res.writeHead(404).end();
  });
  const port = await listen(http);
  return {
    issuer,
    audience,
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    publicKeyPem: await exportSPKI(pair.publicKey),
    publicJwk,
    async sign(sub, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = { iat: now, exp: now + (opts.lifetimeSeconds ?? 120), jti: randomBytes(8).toString('hex'), ...opts.claims };
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(opts.issuer ?? issuer)
        .setAudience(opts.audience ?? audience)
        .setSubject(sub)
        .sign(opts.wrongKey ? other.privateKey : pair.privateKey);
    },
    close: () => closeServer(http),
  };
}
