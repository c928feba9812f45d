/**
 * What `<consult-sign-in>` keeps for the tab, in sessionStorage: the signed-in token (by backend)
 * and the sign-in waiting for the provider's answer. sessionStorage, not localStorage: a token
 * stays with the tab that signed in and is gone when it closes. Storage that throws (disabled,
 * full, a sandboxed frame) is treated as empty: the person signs in again.
 */
import type { PendingSignIn } from './oidc.js';
import type { SignInSource } from './sign-in-events.js';

const PREFIX = 'consult-kit.sign-in';
const PENDING = `${PREFIX}.pending`;

/** A signed-in token kept for the tab. */
export interface KeptSession {
  token: string;
  source: Exclude<SignInSource, 'host'>;
  /** Epoch ms; absent when the provider did not say. */
  expiresAt?: number;
}

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function read<T>(key: string, valid: (value: unknown) => value is T): T | undefined {
  try {
    const raw = storage()?.getItem(key);
    if (!raw) return undefined;
    const value: unknown = JSON.parse(raw);
    return valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === undefined) storage()?.removeItem(key);
    else storage()?.setItem(key, JSON.stringify(value));
  } catch {
    /* not kept: the person signs in again after a reload */
  }
}

const isSession = (v: unknown): v is KeptSession =>
  typeof v === 'object' && v !== null && typeof (v as KeptSession).token === 'string' && ((v as KeptSession).source === 'oidc' || (v as KeptSession).source === 'token');

const isPending = (v: unknown): v is PendingSignIn =>
  typeof v === 'object' &&
  v !== null &&
  ['state', 'codeVerifier', 'redirectUri', 'returnTo', 'endpoint', 'issuer', 'clientId', 'scope'].every((k) => typeof (v as Record<string, unknown>)[k] === 'string');

const sessionKey = (endpoint: string) => `${PREFIX}.session:${endpoint}`;

/** The token kept for this backend, if any (expired or not: the caller decides). */
export const keptSession = (endpoint: string): KeptSession | undefined => read(sessionKey(endpoint), isSession);
export const keepSession = (endpoint: string, session: KeptSession | undefined): void => write(sessionKey(endpoint), session);

export const pendingSignIn = (): PendingSignIn | undefined => read(PENDING, isPending);
export const keepPending = (pending: PendingSignIn | undefined): void => write(PENDING, pending);
