/**
 * What a room's QR code may point at: the city's `rooms.intakeUrl`, filled by the server, must be
 * `https://…` or relative to the portal (`/…`, `?…`, `./…`, never `//host`), the machine's rule
 * for the pattern. A relative URL is completed against the portal's origin (the poster's `origin`,
 * else the page's), which must itself be https — or http on this machine (localhost, 127.0.0.1,
 * [::1]) for the demo — because a printed code cannot be taken back.
 */
import { safeUrl } from '../base/safe-url.js';

export type QrTarget =
  | { ok: true; url: string }
  | { ok: false; reason: 'scheme'; url: string }
  | { ok: false; reason: 'origin'; url: string; origin: string };

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether an absolute base may complete a relative intake URL. */
function trustedBase(origin: string): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}

/**
 * The absolute URL to encode, or why none may be.
 *
 * @param intakeUrl The room's filled intake URL.
 * @param origin The portal's origin (or page URL) a relative URL is completed against.
 */
export function qrTarget(intakeUrl: string, origin: string): QrTarget {
  const value = intakeUrl.trim();
  // safeUrl refuses javascript:, data:, control characters; `//host` and `\\host` are refused here.
  if (safeUrl(value) === undefined || /^[\\/]{2}/.test(value) || /^[\\/][\\/]/.test(value.replace(/^\.\//, ''))) return { ok: false, reason: 'scheme', url: value };
  if (SCHEME.test(value)) {
    if (!/^https:/i.test(value)) return { ok: false, reason: 'scheme', url: value };
    try {
      new URL(value);
    } catch {
      return { ok: false, reason: 'scheme', url: value };
    }
    return { ok: true, url: value };
  }
  if (!trustedBase(origin)) return { ok: false, reason: 'origin', url: value, origin };
  return { ok: true, url: new URL(value, origin).href };
}
