/**
 * What OIDC tokens and portal assertions share: the algorithm allow-list, the longest subject
 * id, and turning a verification failure (from `jose`) into a reason an operator can act on —
 * never holding the token itself.
 */
import { decodeProtectedHeader, errors, type JWTPayload } from 'jose';
import type { Authentication } from '../authn.js';

/** The only JWS algorithms accepted: asymmetric ones. Never `none`, never HS* (a public key is no secret). */
export const ALLOWED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

/** `by.id` is at most this long (the contract's EventActor). */
export const MAX_SUBJECT_LENGTH = 128;

/** `by.name` is at most this long. */
export const MAX_NAME_LENGTH = 100;

/** Verifies JWTs of one issuer. */
export interface JwtVerifier {
  /** The `iss` this verifier is for. */
  readonly issuer: string;
  /** Verifies a compact JWT whose (unverified) `iss` is this issuer; its header says `alg`. */
  verify(token: string, alg: string | undefined): Promise<Authentication>;
  /** Fetches what verification needs (discovery, keys) now; the reason if that failed. */
  warm(): Promise<string | undefined>;
}

/** A refusal with its reason. */
export function refused(reason: string): Authentication {
  return { kind: 'invalid', reason };
}

/** An untrusted string from a token, quoted and cut short for a reason. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}

/** Whether a header's algorithm is allowed; the reason if not. */
export function algorithmProblem(alg: string | undefined, allowed: readonly string[] = ALLOWED_ALGORITHMS): string | undefined {
  if (alg !== undefined && allowed.includes(alg)) return undefined;
  const what = alg === undefined ? 'no algorithm' : alg === 'none' ? 'an unsigned token (alg "none")' : alg.startsWith('HS') ? `a shared-secret signature (${quote(alg)}), which a public key cannot verify` : `algorithm ${quote(alg)}`;
  return `algorithm not allowed: ${what}; allowed: ${allowed.join(', ')}`;
}

function time(seconds: unknown): string {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : 'an unreadable time';
}

/** What is being verified, for the words of a reason. */
export interface FailureContext {
  /** "the token" or "the portal assertion". */
  what: string;
  now: Date;
  clockSkewSeconds: number;
  audience: string;
  /** Which setting names the audience (`--oidc-audience`). */
  audienceSetting: string;
  /** Whose keys: "the provider" or "the portal". */
  owner: string;
  /** Where the keys come from, for "cannot be fetched" and "no such key". */
  keysAt: string;
  /** How often an unknown kid may refetch the keys, in seconds (remote key sets). */
  cooldownSeconds?: number;
  /** Added to the expiry reason (how to get a fresh one). */
  expiredHint: string;
}

/** An error's message with its cause's code (`fetch failed (ECONNREFUSED)`), for a reason. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
  return detail && !message.includes(detail) ? `${message} (${detail})` : message;
}

/** Whether an error means the keys could not be had (network, HTTP status, not a JWKS), not a bad token. */
export function isKeyFetchFailure(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return error.code === 'ERR_JOSE_GENERIC' || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid;
}

/** A verification failure as a reason. */
export function describeFailure(error: unknown, header: { alg?: string; kid?: string }, context: FailureContext): string {
  const { what, now, clockSkewSeconds: skew } = context;
  const clock = `server time ${now.toISOString()}, ${skew} s tolerance`;
  if (error instanceof errors.JWTExpired) {
    const payload = error.payload as JWTPayload;
    if (error.claim === 'iat') return `${what} was issued at ${time(payload.iat)}, too long ago (${clock}); ${context.expiredHint}`;
    return `${what} expired at ${time(payload.exp)} (${clock}); ${context.expiredHint}`;
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const payload = error.payload as JWTPayload;
    if (error.reason === 'missing') return `${what} has no "${error.claim}" claim, which is required`;
    switch (error.claim) {
      case 'nbf':
        return `${what} is not valid before ${time(payload.nbf)} (${clock}); check the clocks of the issuer and of this server`;
      case 'iat':
        return `${what} was issued in the future, at ${time(payload.iat)} (${clock}); check the clocks of the issuer and of this server`;
      case 'aud':
        return `wrong audience: ${what} is for ${quote(payload.aud ?? null)}, this server expects ${quote(context.audience)} (${context.audienceSetting}); configure the issuer to add that audience`;
      case 'iss':
        return `wrong issuer: ${what} comes from ${quote(payload.iss ?? null)}`;
      default:
        return `${what} has an unacceptable "${error.claim}" claim (${error.message})`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return algorithmProblem(header.alg) ?? `algorithm not allowed: ${quote(header.alg)}`;
  if (error instanceof errors.JWKSNoMatchingKey) {
    const again = context.cooldownSeconds === undefined ? '' : ` even after fetching them again (at most every ${context.cooldownSeconds} s)`;
    return `unknown key: no key ${quote(header.kid ?? '(no kid)')} for ${quote(header.alg)} among the keys at ${context.keysAt}${again}; a token of another issuer or realm, or signed with a key ${context.owner} has dropped`;
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) return `the keys at ${context.keysAt} hold several keys that match ${what} without a "kid" to choose; the issuer must set "kid"`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return `${what}'s signature does not verify with the key ${quote(header.kid ?? '(no kid)')} from ${context.keysAt}: forged, altered, or signed with another key`;
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return `${what} is not a well-formed signed JWT (${error.message})`;
  if (error instanceof errors.JOSENotSupported || error instanceof errors.JWKInvalid) return `${what} uses a key or algorithm this server cannot use (${error.message})`;
  if (isKeyFetchFailure(error)) return `${context.owner}'s keys cannot be fetched from ${context.keysAt} (${errorText(error)}); tried again on the next request`;
  return `${what} cannot be verified (${(error as Error).message})`;
}

/** A compact JWT's header fields a reason names (unverified; empty when unreadable). */
export function headerOf(token: string): { alg?: string; kid?: string } {
  try {
    const { alg, kid } = decodeProtectedHeader(token);
    return { ...(typeof alg === 'string' ? { alg } : {}), ...(typeof kid === 'string' ? { kid } : {}) };
  } catch {
    return {};
  }
}
