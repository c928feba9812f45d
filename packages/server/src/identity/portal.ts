/**
 * Resident assertions from the host portal: the portal, which already knows its signed-in
 * resident, signs a short-lived JWT (`iss` the portal, `aud` this server, `sub` the resident,
 * `iat` and `exp` at most `maxLifetimeSeconds` apart) with its own key; this server verifies it
 * with the portal's public key or JWKS and takes the resident as `portal:<sub>`. No state is
 * kept: an assertion replayed after its `exp` is refused by its `exp`, so a portal signs one per
 * page view and keeps it short. Examples: examples/portal-assertion/.
 */
import type { KeyObject } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type RemoteJWKSet } from 'jose';
import type { Principal } from '../authn.js';
import { ALLOWED_ALGORITHMS, algorithmProblem, describeFailure, errorText, headerOf, MAX_NAME_LENGTH, MAX_SUBJECT_LENGTH, refused, type JwtVerifier } from './jwt.js';

/** How the server trusts the portal (the `--portal-*` settings). */
export interface PortalSettings {
  /** The portal's `iss` (`--portal-issuer`). */
  issuer: string;
  /** The `aud` assertions must carry: `--oidc-audience` when set, else `consult-kit`. */
  audience: string;
  /** The portal's JWKS (`--portal-jwks`), or… */
  jwksUrl?: string | undefined;
  /** …its public key (`--portal-key`, PEM or JWK). */
  key?: KeyObject | undefined;
  /** Longest `exp - iat` accepted, in seconds (default 600). */
  maxLifetimeSeconds: number;
  /** Clock tolerance in seconds (the `--oidc-clock-skew` setting, default 60). */
  clockSkewSeconds: number;
  /** Least seconds between two JWKS fetches for an unknown `kid` (default 30). */
  jwksCooldownSeconds?: number | undefined;
}

/** The documented defaults. */
export const PORTAL_DEFAULTS = { audience: 'consult-kit', maxLifetimeSeconds: 600, jwksCooldownSeconds: 30 } as const;

/** The prefix of a portal resident's id (`by.id`). */
export const PORTAL_ID_PREFIX = 'portal:';

/** The algorithms a public key can verify. */
export function algorithmsForKey(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'PS256'];
    case 'rsa-pss':
      return ['PS256'];
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? ['ES256'] : [];
    case 'ed25519':
      return ['EdDSA'];
    default:
      return [];
  }
}

/** The programmes a portal resident belongs to: the `communities` or `programmes` claim, when a list of strings. */
function programmesOf(payload: JWTPayload): string[] | undefined {
  for (const claim of ['communities', 'programmes']) {
    const value = payload[claim];
    if (Array.isArray(value)) return [...new Set(value.filter((v): v is string => typeof v === 'string'))];
  }
  return undefined;
}

/** A verifier for the portal's assertions. `now`: the server's clock (tests move it). */
export function portalVerifier(settings: PortalSettings, now: () => Date = () => new Date()): JwtVerifier {
  const cooldownSeconds = settings.jwksCooldownSeconds ?? PORTAL_DEFAULTS.jwksCooldownSeconds;
  const remote: RemoteJWKSet | undefined =
    settings.jwksUrl === undefined ? undefined : createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: cooldownSeconds * 1000, timeoutDuration: 5000 });
  const allowed = settings.key ? algorithmsForKey(settings.key) : [...ALLOWED_ALGORITHMS];
  const keysAt = settings.jwksUrl ?? 'the --portal-key file';
  const max = settings.maxLifetimeSeconds;
  return {
    issuer: settings.issuer,
    async warm() {
      if (!remote) return undefined;
      try {
        await remote.reload();
        return undefined;
      } catch (error) {
        return `the portal's keys cannot be fetched from ${keysAt} (${errorText(error)})`;
      }
    },
    async verify(token, alg) {
      const badAlg = algorithmProblem(alg, allowed);
      if (badAlg) return refused(badAlg);
      const at = now();
      let payload: JWTPayload;
      try {
        const options = {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: allowed,
          clockTolerance: settings.clockSkewSeconds,
          currentDate: at,
          requiredClaims: ['exp', 'iat', 'sub'],
          maxTokenAge: max + settings.clockSkewSeconds,
        };
        ({ payload } = remote ? await jwtVerify(token, remote, options) : await jwtVerify(token, settings.key!, options));
      } catch (error) {
        return refused(
          describeFailure(error, headerOf(token), {
            what: 'the portal assertion',
            now: at,
            clockSkewSeconds: settings.clockSkewSeconds,
            audience: settings.audience,
            audienceSetting: 'the portal audience: --oidc-audience, or "consult-kit"',
            owner: 'the portal',
            keysAt,
            ...(remote ? { cooldownSeconds } : {}),
            expiredHint: `portal assertions live at most ${max} s and are refused once expired, also when replayed; the portal must sign a fresh one`,
          }),
        );
      }
      const lifetime = (payload.exp ?? 0) - (payload.iat ?? 0);
      if (lifetime > max) return refused(`the portal assertion lives ${lifetime} s (exp − iat); at most ${max} s are accepted: sign assertions with a shorter exp`);
      const sub = payload.sub ?? '';
      if (sub === '' || sub.length > MAX_SUBJECT_LENGTH - PORTAL_ID_PREFIX.length) {
        return refused(`the portal assertion's "sub" must be 1 to ${MAX_SUBJECT_LENGTH - PORTAL_ID_PREFIX.length} characters`);
      }
      const name = typeof payload.name === 'string' && payload.name !== '' ? payload.name.slice(0, MAX_NAME_LENGTH) : undefined;
      const programmes = programmesOf(payload);
      const principal: Principal = {
        id: `${PORTAL_ID_PREFIX}${sub}`,
        roles: ['resident'],
        ...(name ? { name } : {}),
        ...(programmes ? { scopes: { programmes } } : {}),
        source: 'portal',
      };
      return { kind: 'token', principal };
    },
  };
}
