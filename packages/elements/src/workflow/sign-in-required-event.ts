/**
 * `consult-sign-in-required`: `<consult-workflow>` needs the host page to sign the person in
 * (again). Bubbles and is composed, so a portal can listen on any ancestor.
 */

export interface ConsultSignInRequiredDetail {
  /**
   * `unauthenticated`: the server did not take the token (`GET /me` or an action answered 401:
   * missing, expired, revoked…); `role-not-held`: the person chose to sign in as someone else
   * because this sign-in does not hold the `user-role`.
   */
  reason: 'unauthenticated' | 'role-not-held';
  /** The server's problem `detail` (English, for operators), when it gave one. */
  detail?: string;
  /** Actions kept on this device, sent once the person has signed in again. */
  pending: number;
}

/** The person must sign in (again); nothing kept on this device is lost meanwhile. */
export class ConsultSignInRequiredEvent extends CustomEvent<ConsultSignInRequiredDetail> {
  static readonly eventName = 'consult-sign-in-required';
  constructor(detail: ConsultSignInRequiredDetail) {
    super(ConsultSignInRequiredEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'consult-sign-in-required': ConsultSignInRequiredEvent;
  }
}
