/**
 * The server's settings, from command-line flags and environment variables (a flag wins over its
 * variable). Every setting is listed, with its default, in docs/server.md.
 */
import { readNotifyFile } from './notifications/options.js';
import type { NotifyOptions } from './notifications/types.js';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PULL_ACCESS, type PullAccess } from './auth.js';
import { parseTokens, type Authenticator, type TokenTable } from './authn.js';
import { DEFAULT_CLAIMS_MAPPING, parseClaimsMapping, type ClaimsMapping } from './identity/claims.js';
import { OIDC_DEFAULTS, type OidcSettings } from './identity/oidc.js';
import { algorithmsForKey, PORTAL_DEFAULTS, type PortalSettings } from './identity/portal.js';

/** What the HTTP app needs to know. */
export interface AppOptions {
  /** Configured bearer tokens. */
  tokens: TokenTable;
  /**
   * Who a request's `Authorization` header stands for; absent: the token table alone. The
   * server builds it from the token table, the OIDC provider and the portal's assertion keys.
   */
  authenticator?: Authenticator | undefined;
  /** The city's OpenID Connect provider (`--oidc-*`); GET /api/identity tells staff pages how to sign in. */
  oidc?: OidcSettings | undefined;
  /** The host portal's resident assertions (`--portal-issuer`, `--portal-jwks` / `--portal-key`). */
  portalAssertions?: PortalSettings | undefined;
  /** Portal origins allowed to call the API from a browser (exact `scheme://host[:port]`). */
  corsOrigins: string[];
  /** Largest request body in bytes (at least 64 KiB, as the contract requires). */
  bodyLimit: number;
  /** Requests per client (token subject, or address) per window. */
  rateLimit: { max: number; windowMs: number };
  /** Seconds after which an `in_flight` Idempotency-Key claim is taken as abandoned. */
  staleInFlightSeconds: number;
  /** Who may pull a programme's log, and who gets its personal values joined (auth.ts). */
  pullAccess: PullAccess;
  /** Failed follow-code lookups allowed per client (address) per window, before 429. */
  followLimit: { max: number; windowMs: number };
  /**
   * Resident writes (`topic.submit`, `rating.submit`, `topic.withdraw` sent as a resident or
   * representative, or without a token) allowed per identity (a principal's id, a follow code's
   * subject) and per client address in `windowMs`, counted in the database (limits.ts).
   * Absent: not limited (the command always sets it, from its flags or their defaults).
   */
  residentLimit?: { perIdentity: number; perAddress: number; windowMs: number } | undefined;
  /**
   * Follow-code look-ups allowed per client address (every look-up, found or not), and wrong
   * codes allowed for one topic from all addresses together, in `followLimit.windowMs`.
   * Absent: not limited (the command always sets it).
   */
  followLookupLimit?: { perAddress: number; perTopicFailures: number } | undefined;
  /**
   * The HMAC key follow codes are derived from (CONSULT_FOLLOW_SECRET); undefined: one is made
   * once and kept in the database. Changing it changes every topic's code.
   */
  followSecret?: string | undefined;
  /** Pino log level, or false for no log. */
  logLevel: string | false;
  /** Where log lines go (default standard output); tests capture them. */
  logStream?: { write(line: string): void } | undefined;
  /**
   * Which proxies to trust for the client's address (rate limits by address): false (default),
   * true (any), or the load balancers' addresses/CIDRs, comma-separated.
   */
  trustProxy: boolean | string;
  /**
   * `Strict-Transport-Security: max-age=<seconds>` on every answer (`--hsts`), for a server
   * reached only over HTTPS (behind a TLS-terminating proxy). Undefined: no HSTS header (a
   * server on plain HTTP must not promise TLS). 0 tells browsers to forget an earlier promise.
   */
  hstsMaxAge?: number | undefined;
  /** The bearer token `/metrics` wants (`--metrics-token`); undefined: `/metrics` is open (keep it off the public proxy). */
  metricsToken?: string | undefined;
  /**
   * A folder of static files (a city portal) served at `/`, its `index.html` at `/`; the
   * programme list then moves to `/programmes`. Undefined: `/` is the programme list.
   */
  portalDir?: string | undefined;
  /** A folder served at `/assets/` (the one-file embed); defaults to `@consult-kit/embed`'s `dist` when a portal is served. */
  assetsDir?: string | undefined;
  /** The studio's built app, served at `/studio/app/`; default `packages/studio/dist/app` beside this package. */
  studioDir?: string | undefined;
  /**
   * The server's clock, which stamps when each event was received (`receivedAt`, beside the
   * claimed `at`); default the system clock. Tests set it to play a device clock set wrong.
   */
  clock?: (() => Date) | undefined;
  /**
   * Where notices go (`--notify <file>`: webhooks, SMTP, the staff directory; notifications/types.ts).
   * Absent: notices are still derived and queued for nobody; timers still act (a rating window
   * that ends closes its evaluation).
   */
  notify?: NotifyOptions | undefined;
}

/** Everything the `consult-kit-server` command needs. */
export interface ServerOptions extends AppOptions {
  host: string;
  port: number;
  /** PostgreSQL connection string; when set, PGlite is not used. */
  databaseUrl: string | undefined;
  /** PGlite's data folder. */
  dataDir: string;
  /** Folders of workflow configs to store (upsert) at start. */
  seedDirs: string[];
}

/** The defaults, as docs/server.md lists them. */
export const DEFAULTS = {
  host: 'localhost',
  port: 8080,
  dataDir: './data',
  bodyLimit: 64 * 1024,
  rateLimit: { max: 600, windowMs: 60_000 },
  staleInFlightSeconds: 30,
  pullAccess: 'redacted' as PullAccess,
  followLimit: { max: 10, windowMs: 15 * 60_000 },
  residentLimit: { perIdentity: 20, perAddress: 120, windowMs: 600_000 },
  followLookupLimit: { perAddress: 100, perTopicFailures: 30 },
  logLevel: 'info',
} as const;

/** The contract's floor for the body limit. */
export const MIN_BODY_LIMIT = 64 * 1024;

/** Thrown for settings that are wrong; `problems` lists every one. */
export class OptionsError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'OptionsError';
    this.problems = problems;
  }
}

/** `--help` text. */
export const USAGE = `consult-kit-server — the reference city backend (docs/server.md)

  --port <n>            PORT                 port to listen on (default 8080)
  --host <addr>         HOST                 address to listen on (default localhost; 0.0.0.0 in a container)
  --data <dir>          CONSULT_DATA_DIR     PGlite data folder (default ./data)
                        DATABASE_URL         use this PostgreSQL instead of PGlite
  --seed <dir>          CONSULT_SEED_DIRS    store every *.json workflow config of the folder at start (repeatable; comma-separated)
  --tokens <file>       CONSULT_TOKENS_FILE  bearer tokens, a JSON file (or the JSON itself in CONSULT_TOKENS)
  --cors-origins <list> CONSULT_CORS_ORIGINS portal origins allowed by CORS, comma-separated
  --body-limit <bytes>  CONSULT_BODY_LIMIT   largest request body (default 65536, at least 65536)
  --rate-limit <n>      CONSULT_RATE_LIMIT   requests per client per window (default 600)
  --rate-window <s>     CONSULT_RATE_WINDOW  the window in seconds (default 60)
  --stale-after <s>     CONSULT_STALE_AFTER  seconds before an in-flight Idempotency-Key is taken over (default 30)
  --oidc-issuer <url>   CONSULT_OIDC_ISSUER  accept staff tokens of this OpenID Connect provider (its issuer exactly; https, or http on loopback)
  --oidc-audience <aud> CONSULT_OIDC_AUDIENCE  the audience our API's tokens carry (required with --oidc-issuer)
  --oidc-claims <file>  CONSULT_OIDC_CLAIMS  claims → id, name, roles, scopes (JSON; default: sub, name, "roles"/"groups" named as ours, no scopes)
  --oidc-clock-skew <s> CONSULT_OIDC_CLOCK_SKEW  clock tolerance for exp/nbf/iat, 0 to 300 (default 60; also for portal assertions)
  --oidc-client-id <id> CONSULT_OIDC_CLIENT_ID  the public client (PKCE) staff pages sign in with, told by GET /api/identity
  --oidc-scope <scope>  CONSULT_OIDC_SCOPE   the scope staff pages ask for (default "openid profile")
  --portal-issuer <iss> CONSULT_PORTAL_ISSUER  accept resident assertions signed by this portal (their "iss")
  --portal-jwks <url>   CONSULT_PORTAL_JWKS  the portal's public keys (JWKS), or…
  --portal-key <file>   CONSULT_PORTAL_KEY   …its public key (PEM or JWK)
  --portal-lifetime <s> CONSULT_PORTAL_LIFETIME  longest exp − iat of an assertion, 30 to 3600 (default 600)
  --pull-access <mode>  CONSULT_PULL_ACCESS  redacted (default), staff or open: who may pull the event log and who sees personal data in it
  --follow-attempts <n> CONSULT_FOLLOW_ATTEMPTS  follow codes that do not match allowed per client per window (default 10)
  --follow-window <s>   CONSULT_FOLLOW_WINDOW  that window in seconds (default 900)
  --follow-lookups <n>  CONSULT_FOLLOW_LOOKUPS  follow-code look-ups (found or not) allowed per client per follow window (default 100)
  --follow-topic-failures <n> CONSULT_FOLLOW_TOPIC_FAILURES  wrong follow codes for one topic, from all clients, per follow window (default 30)
  --resident-writes <n> CONSULT_RESIDENT_WRITES  resident writes (topic.submit, rating.submit, topic.withdraw) per identity per window (default 20)
  --resident-address-writes <n> CONSULT_RESIDENT_ADDRESS_WRITES  resident writes per client address per window (default 120)
  --resident-window <s> CONSULT_RESIDENT_WINDOW  that window in seconds (default 600)
                        CONSULT_FOLLOW_SECRET  the key follow codes are derived from (default: made once, kept in the database)
  --trust-proxy <v>     CONSULT_TRUST_PROXY  behind a load balancer: true, or its addresses (default false)
  --hsts <max-age>      CONSULT_HSTS         reached only over HTTPS: send Strict-Transport-Security with this max-age in seconds (e.g. 31536000; 0 to withdraw; default none)
  --metrics-token <t>   CONSULT_METRICS_TOKEN  bearer token /metrics wants, 16 characters or more (default none: open)
  --log-level <level>   LOG_LEVEL            fatal, error, warn, info (default), debug, trace or silent
  --portal <dir>        CONSULT_PORTAL_DIR   serve this folder's static files at / (index.html at /; the programme list moves to /programmes)
  --assets <dir>        CONSULT_ASSETS_DIR   serve this folder at /assets/ (default with --portal: @consult-kit/embed's dist, the one-file embed)
  --notify <file>       CONSULT_NOTIFY       where notices go: webhooks, SMTP, the staff directory, retries, public URL, time zone, tick (JSON; docs/server.md#notifications)
  --help                                     this text
`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  seed: { type: 'string', multiple: true },
  tokens: { type: 'string' },
  'cors-origins': { type: 'string' },
  'body-limit': { type: 'string' },
  'rate-limit': { type: 'string' },
  'rate-window': { type: 'string' },
  'stale-after': { type: 'string' },
  'pull-access': { type: 'string' },
  'oidc-issuer': { type: 'string' },
  'oidc-audience': { type: 'string' },
  'oidc-claims': { type: 'string' },
  'oidc-clock-skew': { type: 'string' },
  'oidc-client-id': { type: 'string' },
  'oidc-scope': { type: 'string' },
  'portal-issuer': { type: 'string' },
  'portal-jwks': { type: 'string' },
  'portal-key': { type: 'string' },
  'portal-lifetime': { type: 'string' },
  'follow-attempts': { type: 'string' },
  'follow-window': { type: 'string' },
  'follow-lookups': { type: 'string' },
  'follow-topic-failures': { type: 'string' },
  'resident-writes': { type: 'string' },
  'resident-address-writes': { type: 'string' },
  'resident-window': { type: 'string' },
  'log-level': { type: 'string' },
  'trust-proxy': { type: 'string' },
  hsts: { type: 'string' },
  'metrics-token': { type: 'string' },
  portal: { type: 'string' },
  assets: { type: 'string' },
  notify: { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** Whether the arguments ask for `--help`. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * Reads the settings from flags and environment. Throws `OptionsError` with every problem at
 * once (an unknown flag, a number that is not one, a token file that cannot be read…).
 */
export function loadOptions(argv: readonly string[], env: NodeJS.ProcessEnv, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): ServerOptions {
  const problems: string[] = [];
  let flags: Partial<Record<keyof typeof FLAGS, string | string[] | boolean>> = {};
  try {
    flags = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new OptionsError([`${(error as Error).message}\n\n${USAGE}`]);
  }
  const pick = (flag: keyof typeof FLAGS, variable: string): string | undefined => {
    const value = flags[flag];
    if (typeof value === 'string') return value;
    const fromEnv = env[variable];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };
  const integer = (flag: keyof typeof FLAGS, variable: string, fallback: number, min: number, max: number): number => {
    const raw = pick(flag, variable);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
      problems.push(`--${flag} / ${variable} must be a whole number from ${min} to ${max}; got "${raw}"`);
      return fallback;
    }
    return value;
  };

  const tokens = readTokens(pick('tokens', 'CONSULT_TOKENS_FILE'), env.CONSULT_TOKENS || undefined, readFile, problems);
  const pullAccess = pick('pull-access', 'CONSULT_PULL_ACCESS') ?? DEFAULTS.pullAccess;
  if (!PULL_ACCESS.includes(pullAccess as PullAccess)) problems.push(`--pull-access / CONSULT_PULL_ACCESS must be "redacted", "staff" or "open"; got "${pullAccess}"`);
  const followSecret = env.CONSULT_FOLLOW_SECRET || undefined;
  if (followSecret !== undefined && followSecret.length < 32) problems.push('CONSULT_FOLLOW_SECRET must have at least 32 characters (a random string; it keys every follow code)');
  const corsOrigins = splitList(pick('cors-origins', 'CONSULT_CORS_ORIGINS'));
  for (const origin of corsOrigins) {
    if (!isOrigin(origin)) problems.push(`CORS origin "${origin}" is not an origin like https://portal.example.gov.cn (scheme, host, optional port; no path, never *)`);
  }
  const logLevel = pick('log-level', 'LOG_LEVEL') ?? DEFAULTS.logLevel;
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) problems.push(`--log-level / LOG_LEVEL "${logLevel}" is not a level`);
  const portal = pick('portal', 'CONSULT_PORTAL_DIR');
  const portalDir = portal === undefined ? undefined : resolve(portal);
  if (portalDir !== undefined && !isFile(join(portalDir, 'index.html'))) problems.push(`--portal / CONSULT_PORTAL_DIR: ${portalDir} is not a folder with an index.html`);
  const assets = pick('assets', 'CONSULT_ASSETS_DIR');
  let assetsDir = assets === undefined ? undefined : resolve(assets);
  if (assetsDir === undefined && portalDir !== undefined) {
    assetsDir = embedDist();
    if (assetsDir === undefined) problems.push('--portal: the one-file embed (@consult-kit/embed, dist/consult-kit.min.js) is not installed or not built; run `npm run build`, or give --assets <dir>');
  } else if (assetsDir !== undefined && !isDir(assetsDir)) {
    problems.push(`--assets / CONSULT_ASSETS_DIR: ${assetsDir} is not a folder`);
  }
  const clockSkewSeconds = integer('oidc-clock-skew', 'CONSULT_OIDC_CLOCK_SKEW', OIDC_DEFAULTS.clockSkewSeconds, 0, OIDC_DEFAULTS.maxClockSkewSeconds);
  const oidc = readOidc(pick, clockSkewSeconds, readFile, problems);
  const portalAssertions = readPortal(pick, integer('portal-lifetime', 'CONSULT_PORTAL_LIFETIME', PORTAL_DEFAULTS.maxLifetimeSeconds, 30, 3600), clockSkewSeconds, oidc, readFile, problems);
  const notify = readNotifyFile(pick('notify', 'CONSULT_NOTIFY'), readFile, problems);
  const seeds = Array.isArray(flags.seed) ? flags.seed.map(String) : splitList(env.CONSULT_SEED_DIRS);

  const metricsToken = pick('metrics-token', 'CONSULT_METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16) problems.push('--metrics-token / CONSULT_METRICS_TOKEN must have at least 16 characters');
  const options: ServerOptions = {
    host: pick('host', 'HOST') ?? DEFAULTS.host,
    port: integer('port', 'PORT', DEFAULTS.port, 0, 65535),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(pick('data', 'CONSULT_DATA_DIR') ?? DEFAULTS.dataDir),
    seedDirs: seeds.map((dir) => resolve(dir)),
    tokens,
    oidc,
    portalAssertions,
    corsOrigins,
    bodyLimit: integer('body-limit', 'CONSULT_BODY_LIMIT', DEFAULTS.bodyLimit, MIN_BODY_LIMIT, 64 * 1024 * 1024),
    rateLimit: {
      max: integer('rate-limit', 'CONSULT_RATE_LIMIT', DEFAULTS.rateLimit.max, 1, 1_000_000),
      windowMs: integer('rate-window', 'CONSULT_RATE_WINDOW', DEFAULTS.rateLimit.windowMs / 1000, 1, 86_400) * 1000,
    },
    staleInFlightSeconds: integer('stale-after', 'CONSULT_STALE_AFTER', DEFAULTS.staleInFlightSeconds, 1, 86_400),
    pullAccess: pullAccess as PullAccess,
    followLimit: {
      max: integer('follow-attempts', 'CONSULT_FOLLOW_ATTEMPTS', DEFAULTS.followLimit.max, 1, 1_000_000),
      windowMs: integer('follow-window', 'CONSULT_FOLLOW_WINDOW', DEFAULTS.followLimit.windowMs / 1000, 1, 86_400) * 1000,
    },
    followLookupLimit: {
      perAddress: integer('follow-lookups', 'CONSULT_FOLLOW_LOOKUPS', DEFAULTS.followLookupLimit.perAddress, 1, 1_000_000),
      perTopicFailures: integer('follow-topic-failures', 'CONSULT_FOLLOW_TOPIC_FAILURES', DEFAULTS.followLookupLimit.perTopicFailures, 1, 1_000_000),
    },
    residentLimit: {
      perIdentity: integer('resident-writes', 'CONSULT_RESIDENT_WRITES', DEFAULTS.residentLimit.perIdentity, 1, 1_000_000),
      perAddress: integer('resident-address-writes', 'CONSULT_RESIDENT_ADDRESS_WRITES', DEFAULTS.residentLimit.perAddress, 1, 1_000_000),
      windowMs: integer('resident-window', 'CONSULT_RESIDENT_WINDOW', DEFAULTS.residentLimit.windowMs / 1000, 1, 86_400) * 1000,
    },
    followSecret,
    logLevel: logLevel === 'silent' ? false : logLevel,
    trustProxy: trustProxyOf(pick('trust-proxy', 'CONSULT_TRUST_PROXY')),
    hstsMaxAge: pick('hsts', 'CONSULT_HSTS') === undefined ? undefined : integer('hsts', 'CONSULT_HSTS', 0, 0, 63_072_000),
    ...(metricsToken ? { metricsToken } : {}),
    portalDir,
    assetsDir,
    // Without a notify file the clock still ticks (every 15 s): timers that act, like closing an
    // evaluation whose window ended, run; notices are queued for nobody.
    ...(notify ? { notify } : {}),
  };
  if (notify && notify.publicUrl === undefined) notify.publicUrl = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  if (problems.length > 0) throw new OptionsError(problems);
  return options;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * The built one-file embed: the `dist` folder of `@consult-kit/embed` as Node resolves it from
 * here (the workspace link in this repository, or an installed package), when it holds
 * `consult-kit.min.js`.
 */
export function embedDist(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@consult-kit/embed/package.json');
    const dist = join(dirname(manifest), 'dist');
    return isFile(join(dist, 'consult-kit.min.js')) ? dist : undefined;
  } catch {
    return undefined;
  }
}

function trustProxyOf(value: string | undefined): boolean | string {
  return value === undefined || value === 'false' ? false : value === 'true' ? true : value;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Whether a string is a bare web origin (`https://host[:port]`), as browsers send in `Origin`. */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

type Pick = (flag: keyof typeof FLAGS, variable: string) => string | undefined;

/** Whether a URL may name an issuer or a key set: https, or http on a loopback host (tests, a provider on the same machine). */
export function isTrustedUrl(value: string): boolean {
  const url = URL.parse(value);
  if (!url) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
}

/** The OIDC settings, when --oidc-issuer is set; every fault to `problems`. */
function readOidc(pick: Pick, clockSkewSeconds: number, readFile: (path: string) => string, problems: string[]): OidcSettings | undefined {
  const issuer = pick('oidc-issuer', 'CONSULT_OIDC_ISSUER');
  const audience = pick('oidc-audience', 'CONSULT_OIDC_AUDIENCE');
  const claimsFile = pick('oidc-claims', 'CONSULT_OIDC_CLAIMS');
  const clientId = pick('oidc-client-id', 'CONSULT_OIDC_CLIENT_ID');
  const scope = pick('oidc-scope', 'CONSULT_OIDC_SCOPE');
  if (issuer === undefined) {
    const stray = [
      ['--oidc-audience / CONSULT_OIDC_AUDIENCE', audience],
      ['--oidc-claims / CONSULT_OIDC_CLAIMS', claimsFile],
      ['--oidc-client-id / CONSULT_OIDC_CLIENT_ID', clientId],
      ['--oidc-scope / CONSULT_OIDC_SCOPE', scope],
    ].filter(([, value]) => value !== undefined);
    for (const [name] of stray) problems.push(`${name} needs --oidc-issuer / CONSULT_OIDC_ISSUER, the provider's issuer`);
    return undefined;
  }
  if (!isTrustedUrl(issuer)) problems.push(`--oidc-issuer / CONSULT_OIDC_ISSUER must be the provider's issuer URL (https; http only on localhost); got "${issuer}"`);
  if (audience === undefined) problems.push('--oidc-audience / CONSULT_OIDC_AUDIENCE is required with --oidc-issuer: the audience ("aud") the provider puts into access tokens for this API');
  let claims: ClaimsMapping = DEFAULT_CLAIMS_MAPPING;
  if (claimsFile !== undefined) {
    let text: string | undefined;
    try {
      text = readFile(claimsFile);
    } catch (error) {
      problems.push(`cannot read the claims mapping ${claimsFile}: ${(error as Error).message}`);
    }
    if (text !== undefined) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        problems.push(`${claimsFile} is not JSON: ${(error as Error).message}`);
      }
      if (json !== undefined) {
        const parsed = parseClaimsMapping(json);
        if (parsed.mapping) claims = parsed.mapping;
        else problems.push(...parsed.faults.map((fault) => `${claimsFile}#${fault}`));
      }
    }
  }
  if (scope !== undefined && !/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/.test(scope)) problems.push(`--oidc-scope / CONSULT_OIDC_SCOPE must be scope names separated by single spaces; got "${scope}"`);
  return { issuer, audience: audience ?? '', claims, clockSkewSeconds, clientId, scope: scope ?? OIDC_DEFAULTS.scope };
}

/** The portal assertion settings, when --portal-issuer is set; every fault to `problems`. */
function readPortal(
  pick: Pick,
  maxLifetimeSeconds: number,
  clockSkewSeconds: number,
  oidc: OidcSettings | undefined,
  readFile: (path: string) => string,
  problems: string[],
): PortalSettings | undefined {
  const issuer = pick('portal-issuer', 'CONSULT_PORTAL_ISSUER');
  const jwksUrl = pick('portal-jwks', 'CONSULT_PORTAL_JWKS');
  const keyFile = pick('portal-key', 'CONSULT_PORTAL_KEY');
  if (issuer === undefined) {
    if (jwksUrl !== undefined || keyFile !== undefined) problems.push('--portal-jwks / --portal-key need --portal-issuer / CONSULT_PORTAL_ISSUER, the "iss" the portal signs its assertions with');
    return undefined;
  }
  if (oidc && oidc.issuer === issuer) problems.push('--portal-issuer must differ from --oidc-issuer: the issuer decides how a token is verified');
  if ((jwksUrl === undefined) === (keyFile === undefined)) problems.push("--portal-issuer needs exactly one of --portal-jwks <url> (the portal's JWKS) or --portal-key <file> (its public key, PEM or JWK)");
  if (jwksUrl !== undefined && !isTrustedUrl(jwksUrl)) problems.push(`--portal-jwks / CONSULT_PORTAL_JWKS must be an https URL (http only on localhost); got "${jwksUrl}"`);
  let key: KeyObject | undefined;
  if (keyFile !== undefined) {
    try {
      key = readPublicKey(readFile(keyFile), keyFile);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { issuer, audience: oidc?.audience || PORTAL_DEFAULTS.audience, jwksUrl, key, maxLifetimeSeconds, clockSkewSeconds };
}

/** A portal's public key from PEM (SPKI or certificate) or a JWK; throws a message naming the file. */
export function readPublicKey(text: string, file: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as Record<string, unknown>;
      if ('d' in jwk) throw new Error('private');
      key = createPublicKey({ key: jwk as never, format: 'jwk' });
    } else {
      if (/PRIVATE KEY-----/.test(trimmed)) throw new Error('private');
      key = createPublicKey(trimmed);
    }
  } catch (error) {
    if ((error as Error).message === 'private') throw new Error(`--portal-key ${file} holds a private key: give this server only the portal's public key`, { cause: error });
    throw new Error(`--portal-key ${file} is not a public key in PEM or JWK form: ${(error as Error).message}`, { cause: error });
  }
  if (algorithmsForKey(key).length === 0) throw new Error(`--portal-key ${file}: a ${key.asymmetricKeyType} key; use RSA, EC P-256 or Ed25519`);
  return key;
}

/** Tokens from a file (`--tokens`, `CONSULT_TOKENS_FILE`) or inline JSON (`CONSULT_TOKENS`); none without either. */
function readTokens(file: string | undefined, inline: string | undefined, readFile: (path: string) => string, problems: string[]): TokenTable {
  const [source, text] = file !== undefined ? [file, safeRead(file, readFile, problems)] : ['CONSULT_TOKENS', inline];
  if (text === undefined) return new Map();
  try {
    return parseTokens(JSON.parse(text), source);
  } catch (error) {
    problems.push(error instanceof SyntaxError ? `${source} is not JSON: ${error.message}` : (error as Error).message);
    return new Map();
  }
}

function safeRead(path: string, readFile: (path: string) => string, problems: string[]): string | undefined {
  try {
    return readFile(path);
  } catch (error) {
    problems.push(`cannot read the tokens file ${path}: ${(error as Error).message}`);
    return undefined;
  }
}
