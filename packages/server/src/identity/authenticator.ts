/**
 * The server's authenticator: `Authorization: Bearer <t>` is looked up in the token table
 * first (the demo default); otherwise, when it has the shape of a JWT, its unverified `iss`
 * only picks which configured issuer verifies it — the city's OpenID Connect provider
 * (oidc.ts) or the host portal (portal.ts) — and that issuer's verifier checks everything.
 * Every refusal carries a reason an operator can act on, never the token.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { sha256Hex } from '../canonical-json.js';
import type { Authentication, Authenticator, TokenTable } from '../authn.js';
import { quote, refused, type JwtVerifier } from './jwt.js';
import { oidcVerifier, type OidcSettings } from './oidc.js';
import { portalVerifier, type PortalSettings } from './portal.js';

/** What the authenticator trusts. */
export interface IdentitySettings {
  tokens: TokenTable;
  oidc?: OidcSettings | undefined;
  portal?: PortalSettings | undefined;
  /** The server's clock for exp / nbf / iat (tests move it); default the system clock. */
  now?: (() => Date) | undefined;
}

/** An authenticator that can also say what it trusts and fetch its keys ahead of the first request. */
export interface IdentityAuthenticator extends Authenticator {
  /** Fetches discovery and keys of every configured issuer now; one reason per failure (the server starts anyway). */
  warm(): Promise<string[]>;
}

/** Three base64url parts: the shape of a compact JWS. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Builds the authenticator from the settings. */
export function createAuthenticator(settings: IdentitySettings): IdentityAuthenticator {
  const verifiers: JwtVerifier[] = [];
  if (settings.oidc) verifiers.push(oidcVerifier(settings.oidc, settings.now));
  if (settings.portal) verifiers.push(portalVerifier(settings.portal, settings.now));
  const accepted = verifiers.map((v) => quote(v.issuer)).join(', ');

  const authenticate = async (header: string | undefined): Promise<Authentication> => {
    if (header === undefined || header === '') return { kind: 'anonymous' };
    const token = /^Bearer +(\S+) *$/i.exec(header)?.[1];
    if (token === undefined) return refused('the Authorization header must be "Bearer <token>"');
    const principal = settings.tokens.get(sha256Hex(token));
    if (principal) return { kind: 'token', principal };
    if (!JWT_SHAPE.test(token)) return refused("not a token of this server's token table");
    let iss: unknown;
    let alg: string | undefined;
    try {
      const protectedHeader = decodeProtectedHeader(token);
      alg = typeof protectedHeader.alg === 'string' ? protectedHeader.alg : undefined;
      iss = decodeJwt(token).iss;
    } catch {
      return refused('not a token of this server: neither in its token table nor a readable JWT');
    }
    if (verifiers.length === 0) return refused('a JWT, but this server trusts no issuer of JWTs (no --oidc-issuer, no --portal-issuer): only its token table');
    const verifier = verifiers.find((v) => v.issuer === iss);
    if (!verifier) return refused(`wrong issuer: the token comes from ${quote(iss ?? '(no iss)')}; this server accepts ${accepted}`);
    return verifier.verify(token, alg);
  };
  return Object.assign(authenticate, {
    async warm() {
      const reasons = await Promise.all(verifiers.map((v) => v.warm()));
      return reasons.filter((r): r is string => r !== undefined);
    },
  });
}
