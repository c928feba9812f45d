/**
 * Authorization Code + PKCE against the city's OpenID Connect provider, through `oauth4webapi`.
 *
 * Why oauth4webapi: a kept, spec-following client (OpenID-certified) with no dependencies, built
 * on `fetch` and WebCrypto only — no `eval`, no `new Function`, nothing that a strict CSP or
 * Trusted Types blocks — and tree-shakeable: the few functions used here are ≈ 6.6 KiB min+gzip.
 *
 * The page is a public client (no secret): PKCE (S256) and `state` bind the answer to this tab.
 * The code verifier and state wait in sessionStorage while the browser is at the provider; the
 * redirect URI is this page's URL without its query and fragment, and the query is put back
 * after the code exchange.
 */
import {
  allowInsecureRequests,
  authorizationCodeGrantRequest,
  AuthorizationResponseError,
  calculatePKCECodeChallenge,
  customFetch,
  discoveryRequest,
  generateRandomCodeVerifier,
  generateRandomState,
  None,
  processAuthorizationCodeResponse,
  processDiscoveryResponse,
  ResponseBodyError,
  validateAuthResponse,
  type AuthorizationServer,
  type Client,
  type HttpRequestOptions,
} from 'oauth4webapi';
import { safeUrl } from '../base/safe-url.js';

/** What `GET {endpoint}/identity` says of the city's provider. */
export interface OidcOffer {
  issuer: string;
  clientId: string;
  scope: string;
  /** The API's resource indicator (RFC 8707), when the provider issues audience-bound tokens by it. */
  resource?: string;
}

/** A sign-in waiting for the provider's answer (kept in sessionStorage meanwhile). */
export interface PendingSignIn extends OidcOffer {
  state: string;
  codeVerifier: string;
  redirectUri: string;
  /** The page's URL before it left (query and fragment included), restored after the exchange. */
  returnTo: string;
  /** The backend the sign-in is for (the element's resolved `endpoint`). */
  endpoint: string;
}

/** A failure of the sign-in flow, by what a person can do about it. */
export class SignInFlowError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'refused' | 'cancelled' | 'invalid' | 'insecure' | 'stale',
    readonly reason = '',
    options?: { cause?: unknown },
  ) {
    super(reason || kind, options);
    this.name = 'SignInFlowError';
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The issuer as a URL, or a `SignInFlowError`: absolute `https:` (through the scheme allow-list),
 * or `http:` on this machine's loopback address only (a developer's or a test's provider).
 */
export function issuerUrl(issuer: string): URL {
  const safe = safeUrl(issuer);
  let url: URL | undefined;
  try {
    url = safe === undefined ? undefined : new URL(safe);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new SignInFlowError('invalid', 'issuer');
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) throw new SignInFlowError('insecure');
  return url;
}

/** oauth4webapi's request options: plain http only for a loopback issuer; the given fetch. */
function requestOptions<Method, Body>(issuer: URL, fetcher: typeof fetch | undefined): HttpRequestOptions<Method, Body> {
  return {
    signal: AbortSignal.timeout(15_000),
    ...(issuer.protocol === 'http:' ? { [allowInsecureRequests]: true } : {}),
    ...(fetcher ? { [customFetch]: (url: string, init: RequestInit) => fetcher(url, init) } : {}),
  } as HttpRequestOptions<Method, Body>;
}

/** Reads the provider's discovery document (`/.well-known/openid-configuration`). */
async function discover(issuer: URL, fetcher: typeof fetch | undefined): Promise<AuthorizationServer> {
  let response: Response;
  try {
    response = await discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions<'GET', undefined>(issuer, fetcher) });
  } catch (error) {
    throw new SignInFlowError('unreachable', '', { cause: error });
  }
  if (response.status >= 500) throw new SignInFlowError('unreachable', `HTTP ${response.status}`);
  try {
    return await processDiscoveryResponse(issuer, response);
  } catch (error) {
    throw new SignInFlowError('invalid', error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** An http(s) endpoint of the provider's metadata, through the scheme allow-list. */
function endpointOf(as: AuthorizationServer, name: 'authorization_endpoint' | 'token_endpoint'): URL {
  const value = safeUrl(as[name]);
  if (!value || !/^https?:/i.test(value)) throw new SignInFlowError('invalid', name);
  return new URL(value);
}

/**
 * Starts a sign-in: discovery, a fresh code verifier and state (kept by `keep`), and the
 * provider's authorization URL to send the browser to.
 */
export async function beginSignIn(
  offer: OidcOffer,
  page: { redirectUri: string; returnTo: string; endpoint: string },
  keep: (pending: PendingSignIn) => void,
  fetcher?: typeof fetch,
): Promise<URL> {
  const issuer = issuerUrl(offer.issuer);
  const as = await discover(issuer, fetcher);
  const authorize = endpointOf(as, 'authorization_endpoint');
  endpointOf(as, 'token_endpoint');
  const codeVerifier = generateRandomCodeVerifier();
  const state = generateRandomState();
  const challenge = await calculatePKCECodeChallenge(codeVerifier);
  keep({ ...offer, state, codeVerifier, ...page });
  const params = authorize.searchParams;
  params.set('client_id', offer.clientId);
  params.set('redirect_uri', page.redirectUri);
  params.set('response_type', 'code');
  params.set('scope', offer.scope);
  params.set('code_challenge', challenge);
  params.set('code_challenge_method', 'S256');
  params.set('state', state);
  if (offer.resource) params.set('resource', offer.resource);
  return authorize;
}

/** Whether a URL is the provider's answer to an authorization request (`state` with `code` or `error`). */
export function isAuthorizationResponse(url: URL): boolean {
  const q = url.searchParams;
  return q.has('state') && (q.has('code') || q.has('error'));
}

/** The access token and when it expires (epoch ms), from the provider's answer at `current`. */
export async function completeSignIn(pending: PendingSignIn, current: URL, fetcher?: typeof fetch): Promise<{ token: string; expiresAt?: number }> {
  const issuer = issuerUrl(pending.issuer);
  const as = await discover(issuer, fetcher);
  const client: Client = { client_id: pending.clientId };
  let params: URLSearchParams;
  try {
    params = validateAuthResponse(as, client, current, pending.state);
  } catch (error) {
    if (error instanceof AuthorizationResponseError) {
      const kind = error.error === 'access_denied' ? 'cancelled' : 'refused';
      throw new SignInFlowError(kind, error.error_description ?? error.error, { cause: error });
    }
    throw new SignInFlowError('invalid', error instanceof Error ? error.message : String(error), { cause: error });
  }
  let response: Response;
  try {
    response = await authorizationCodeGrantRequest(as, client, None(), params, pending.redirectUri, pending.codeVerifier, {
      ...requestOptions<'POST', URLSearchParams>(issuer, fetcher),
      ...(pending.resource ? { additionalParameters: { resource: pending.resource } } : {}),
    });
  } catch (error) {
    throw new SignInFlowError('unreachable', '', { cause: error });
  }
  try {
    const result = await processAuthorizationCodeResponse(as, client, response);
    const lifetime = typeof result.expires_in === 'number' && result.expires_in > 0 ? result.expires_in * 1000 : undefined;
    return { token: result.access_token, ...(lifetime ? { expiresAt: Date.now() + lifetime } : {}) };
  } catch (error) {
    if (error instanceof ResponseBodyError) throw new SignInFlowError('refused', error.error_description ?? error.error, { cause: error });
    throw new SignInFlowError('invalid', error instanceof Error ? error.message : String(error), { cause: error });
  }
}
