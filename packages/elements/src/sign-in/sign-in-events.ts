/**
 * The events of `<consult-sign-in>`: `consult-signed-in` once the server has said who the token
 * stands for (`GET {endpoint}/me`), `consult-signed-out` when that ends. Both bubble and are
 * composed, so a portal can listen on any ancestor.
 */

import type { Identity } from '@consult-kit/store';

/** Who the server says a token stands for: `GET {endpoint}/me` (the store's `whoAmI`). */
export type SignedInPerson = Identity;

/** How the token came: the city's provider (PKCE), the token field (demo), or the host portal. */
export type SignInSource = 'oidc' | 'token' | 'host';

/** The current bearer token, or `undefined` once it has expired or the person signed out. */
export type TokenSource = () => string | undefined | Promise<string | undefined>;

export interface ConsultSignedInDetail {
  /** The current token: hand it to `<consult-workflow>` as its `token` property. */
  token: TokenSource;
  /** Who the server says the token stands for. */
  me: SignedInPerson;
  source: SignInSource;
  /** When the token expires (ISO 8601), when the provider said. */
  expiresAt?: string;
}

/** The server accepted the token and said who it stands for. */
export class ConsultSignedInEvent extends CustomEvent<ConsultSignedInDetail> {
  static readonly eventName = 'consult-signed-in';
  constructor(detail: ConsultSignedInDetail) {
    super(ConsultSignedInEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

export interface ConsultSignedOutDetail {
  /**
   * Why: `user` (they chose to sign out), `expired` (the token's lifetime ended), `required` (the
   * page asked to sign in again, e.g. the server answered 401 to an action).
   */
  reason: 'user' | 'expired' | 'required';
}

/** The sign-in ended; the element offers to sign in again. Unsent actions stay in the outbox. */
export class ConsultSignedOutEvent extends CustomEvent<ConsultSignedOutDetail> {
  static readonly eventName = 'consult-signed-out';
  constructor(detail: ConsultSignedOutDetail) {
    super(ConsultSignedOutEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'consult-signed-in': ConsultSignedInEvent;
    'consult-signed-out': ConsultSignedOutEvent;
  }
}
