/**
 * Staff bearer tokens from the city's OpenID Connect provider: discovery once
 * (`<issuer>/.well-known/openid-configuration` → `jwks_uri`, tried again after a failure), the
 * provider's keys through `jose`'s remote key set (an unknown `kid` fetches them again, at most
 * once per cooldown: key rotation needs no restart), then issuer, audience, expiry and
 * not-before checked with a bounded clock tolerance, and the claims mapped to a principal.
 */
import { createRemoteJWKSet, jwtVerify, type RemoteJWKSet } from 'jose';
import { principalFromClaims, type ClaimsMapping } from './claims.js';
import { ALLOWED_ALGORITHMS, algorithmProblem, describeFailure, errorText, headerOf, MAX_NAME_LENGTH, MAX_SUBJECT_LENGTH, quote, refused, type JwtVerifier } from './jwt.js';

/** How the server trusts the city's provider (the `--oidc-*` settings). */
export interface OidcSettings {
  /** The provider's issuer, exactly as its tokens' `iss` (`--oidc-issuer`). */
  issuer: string;
  /** The audience our API's tokens carry (`--oidc-audience`). */
  audience: string;
  /** How claims become a principal (`--oidc-claims`). */
  claims: ClaimsMapping;
  /** Clock tolerance for exp / nbf / iat, in seconds (`--oidc-clock-skew`, 0..300, default 60). */
  clockSkewSeconds: number;
  /** The public client a staff page signs in with (`--oidc-client-id`), told by GET /api/identity. */
  clientId?: string | undefined;
  /** The scope a staff page asks for (`--oidc-scope`, default "openid profile"). */
  scope: string;
  /** Least seconds between two key fetches for an unknown `kid` (default 30; tests rotate keys faster). */
  jwksCooldownSeconds?: number | undefined;
  /** Least seconds between two discovery attempts after one failed (default 5). */
  discoveryRetrySeconds?: number | undefined;
}

/** The documented defaults. */
export const OIDC_DEFAULTS = { clockSkewSeconds: 60, maxClockSkewSeconds: 300, scope: 'openid profile', jwksCooldownSeconds: 30, discoveryRetrySeconds: 5 } as const;

/** Where discovery lives for an issuer. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

const FETCH_TIMEOUT_MS = 5000;

/** A verifier for the provider's tokens. `now`: the server's clock (tests move it). */
export function oidcVerifier(settings: OidcSettings, now: () => Date = () => new Date()): JwtVerifier {
  const cooldownSeconds = settings.jwksCooldownSeconds ?? OIDC_DEFAULTS.jwksCooldownSeconds;
  const retryMs = (settings.discoveryRetrySeconds ?? OIDC_DEFAULTS.discoveryRetrySeconds) * 1000;
  const wellKnown = discoveryUrl(settings.issuer);
  let keys: { set: RemoteJWKSet; uri: string } | undefined;
  let pending: Promise<{ set: RemoteJWKSet; uri: string }> | undefined;
  let failure: { at: number; reason: string } | undefined;

  async function discover(): Promise<{ set: RemoteJWKSet; uri: string }> {
    let res: Response;
    try {
      res = await fetch(wellKnown, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
    } catch (error) {
      throw new Error(`${wellKnown}: ${errorText(error)}`, { cause: error });
    }
    if (!res.ok) throw new Error(`${wellKnown} answered HTTP ${res.status}`);
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      document = (await res.json()) as typeof document;
    } catch {
      throw new Error(`${wellKnown} is not JSON`);
    }
    if (document.issuer !== settings.issuer) throw new Error(`${wellKnown} names the issuer ${quote(document.issuer ?? null)}, not ${quote(settings.issuer)} (--oidc-issuer must be the provider's issuer exactly)`);
    if (typeof document.jwks_uri !== 'string' || !URL.canParse(document.jwks_uri)) throw new Error(`${wellKnown} has no jwks_uri`);
    const uri = document.jwks_uri;
    return { uri, set: createRemoteJWKSet(new URL(uri), { cooldownDuration: cooldownSeconds * 1000, timeoutDuration: FETCH_TIMEOUT_MS }) };
  }

  /** The key set, or why there is none yet. */
  async function keySet(): Promise<{ set: RemoteJWKSet; uri: string } | string> {
    if (keys) return keys;
    if (!pending) {
      if (failure && Date.now() - failure.at < retryMs) return failure.reason;
      pending = discover();
    }
    const attempt = pending;
    try {
      keys = await attempt;
      failure = undefined;
      return keys;
    } catch (error) {
      failure = { at: Date.now(), reason: `the provider's keys cannot be fetched (discovery failed: ${(error as Error).message}); tried again on a later request` };
      return failure.reason;
    } finally {
      if (pending === attempt) pending = undefined;
    }
  }

  return {
    issuer: settings.issuer,
    async warm() {
      const got = await keySet();
      if (typeof got === 'string') return got;
      try {
        await got.set.reload();
        return undefined;
      } catch (error) {
        return `the provider's keys cannot be fetched from ${got.uri} (${errorText(error)})`;
      }
    },
    async verify(token, alg) {
      const badAlg = algorithmProblem(alg);
      if (badAlg) return refused(badAlg);
      const got = await keySet();
      if (typeof got === 'string') return refused(got);
      const at = now();
      try {
        const { payload } = await jwtVerify(token, got.set, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: [...ALLOWED_ALGORITHMS],
          clockTolerance: settings.clockSkewSeconds,
          currentDate: at,
          requiredClaims: ['exp'],
        });
        const mapped = principalFromClaims(settings.claims, payload as Record<string, unknown>);
        if (!mapped.principal) return refused(mapped.reason);
        if (mapped.principal.id.length > MAX_SUBJECT_LENGTH) return refused(`the subject id is longer than ${MAX_SUBJECT_LENGTH} characters; map a shorter claim as "id"`);
        const { name } = mapped.principal;
        return { kind: 'token', principal: name && name.length > MAX_NAME_LENGTH ? { ...mapped.principal, name: name.slice(0, MAX_NAME_LENGTH) } : mapped.principal };
      } catch (error) {
        const header = headerOf(token);
        return refused(
          describeFailure(error, header, {
            what: 'the token',
            now: at,
            clockSkewSeconds: settings.clockSkewSeconds,
            audience: settings.audience,
            audienceSetting: '--oidc-audience',
            owner: 'the provider',
            keysAt: got.uri,
            cooldownSeconds,
            expiredHint: 'sign in again (access tokens are short-lived)',
          }),
        );
      }
    },
  };
}
